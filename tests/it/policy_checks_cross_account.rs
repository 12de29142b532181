//! `cross-account-role-mfa`: one role per SPEC decision in
//! `fixtures/policy_checks/cross_account_role_mfa/decisions.json` (each role is named after the
//! decision it exercises; 999988887777 is a third party, 111122223333 a sibling account).

use crate::common::{Run, audit, fixture};
use std::path::PathBuf;

const CHECK: &str = "cross-account-role-mfa";

fn decisions() -> PathBuf {
    fixture("policy_checks/cross_account_role_mfa/decisions.json")
}

fn run_with(extra_paths: &[&str], args: &[&str]) -> Run {
    let mut paths = vec![decisions()];
    paths.extend(
        extra_paths
            .iter()
            .map(|p| fixture(&format!("policy_checks/cross_account_role_mfa/{p}"))),
    );
    let refs: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    let mut all_args = vec!["--quiet"];
    all_args.extend_from_slice(args);
    let run = audit(&refs, &all_args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

fn run() -> Run {
    run_with(&[], &[])
}

fn role(name: &str) -> String {
    format!("arn:aws:iam::123456789012:role/{name}")
}

/// (status, severity, reason) of the role's result.
fn verdict(run: &Run, name: &str) -> (String, String, String) {
    let r = run.one(CHECK, &role(name));
    (
        r["status"].as_str().unwrap().to_string(),
        r["severity"].as_str().unwrap().to_string(),
        r["reason"].as_str().unwrap().to_string(),
    )
}

fn assert_contains(text: &str, parts: &[&str]) {
    for p in parts {
        assert!(text.contains(p), "expected {p:?} in {text:?}");
    }
}

#[test]
fn population_is_roles_another_account_star_federation_or_a_deleted_principal_may_assume() {
    let run = run();
    let roles: Vec<&str> = run
        .results
        .iter()
        .filter(|r| r["check_id"] == CHECK)
        .map(|r| r["resource_arn"].as_str().unwrap())
        .collect();
    assert_eq!(roles.len(), 31, "{roles:#?}");
    for name in [
        "service-role/not-in-population-service",
        "not-in-population-same-account",
        "not-in-population-tag-session-only",
        "not-in-population-deny-only",
    ] {
        assert!(!roles.contains(&role(name).as_str()), "{name}");
    }
}

#[test]
fn mfa_conditions_that_cannot_hold_without_mfa_pass() {
    let run = run();
    for (name, condition) in [
        (
            "pass-account-bool-true",
            r#"Bool aws:MultiFactorAuthPresent ["true"]"#,
        ),
        (
            "pass-null-age-false",
            r#"Null aws:MultiFactorAuthAge ["false"]"#,
        ),
        (
            "pass-age-numeric-less-than",
            r#"NumericLessThan aws:MultiFactorAuthAge ["3600"]"#,
        ),
    ] {
        let (status, severity, reason) = verdict(&run, name);
        assert_eq!(status, "PASS", "{name}: {reason}");
        assert_eq!(severity, "high", "{name}: third party is external");
        assert_contains(
            &reason,
            &["only with MFA", condition, "account 999988887777, external"],
        );
    }
}

#[test]
fn bool_if_exists_true_does_not_require_mfa() {
    let run = run();
    let (status, _, reason) = verdict(&run, "fail-bool-if-exists-true");
    assert_eq!(status, "FAIL");
    assert_contains(
        &reason,
        &["without MFA", "Sid IfExistsPassesKeys", "SCPs, RCPs"],
    );
}

#[test]
fn no_condition_fails_with_the_scp_note() {
    let run = run();
    let (status, severity, reason) = verdict(&run, "fail-no-condition");
    assert_eq!((status.as_str(), severity.as_str()), ("FAIL", "high"));
    assert_contains(
        &reason,
        &[
            "arn:aws:iam::999988887777:root",
            "without MFA",
            "(SCPs, RCPs) are not in the inputs and could enforce MFA organization-wide",
        ],
    );
}

#[test]
fn external_id_is_recorded_as_evidence_but_is_not_mfa() {
    let run = run();
    let r = run.one(CHECK, &role("fail-external-id-only"));
    assert_eq!(r["status"], "FAIL");
    assert_contains(
        r["reason"].as_str().unwrap(),
        &["sts:ExternalId condition is present, but it is not MFA"],
    );
    assert_contains(
        r["evidence"].as_str().unwrap(),
        &[r#"sts:ExternalId (recorded; not MFA): StringEquals sts:ExternalId ["acme-7f3k2p9q"]"#],
    );
}

#[test]
fn star_without_org_condition_fails_whatever_the_mfa_condition() {
    let run = run();
    let (status, severity, reason) = verdict(&run, "fail-star-principal-even-with-mfa");
    assert_eq!((status.as_str(), severity.as_str()), ("FAIL", "high"));
    assert_contains(
        &reason,
        &[
            "{\"AWS\": \"*\"}",
            "no organization or account condition",
            "its MFA condition does not limit who",
        ],
    );
    let (status, _, reason) = verdict(&run, "fail-star-string-principal");
    assert_eq!(status, "FAIL");
    assert_contains(&reason, &["\"*\" (any AWS principal)"]);
}

#[test]
fn star_restricted_to_the_organization_is_judged_like_any_statement() {
    let run = run();
    let (status, _, reason) = verdict(&run, "pass-star-org-id-with-mfa");
    assert_eq!(status, "PASS", "{reason}");
    assert_contains(
        &reason,
        &[r#"restricted by StringEquals aws:PrincipalOrgID ["o-a1b2c3d4e5"]"#],
    );
    let (status, _, reason) = verdict(&run, "fail-star-org-id-without-mfa");
    assert_eq!(status, "FAIL");
    assert_contains(&reason, &["restricted by", "without MFA"]);
    let (status, _, reason) = verdict(&run, "pass-star-for-any-value-org-paths");
    assert_eq!(status, "PASS", "{reason}");
}

#[test]
fn an_if_exists_org_condition_does_not_restrict_the_caller() {
    let run = run();
    let (status, _, reason) = verdict(&run, "fail-star-org-id-if-exists");
    assert_eq!(status, "FAIL");
    assert_contains(
        &reason,
        &["StringEqualsIfExists aws:PrincipalOrgID", "does not"],
    );
}

#[test]
fn a_trust_policy_deny_in_k_and_s_protects_the_principals_it_names() {
    let run = run();
    for (name, sid) in [
        ("pass-deny-protects-the-account", "DenyThirdPartyWithoutMFA"),
        ("pass-deny-star-protects-all", "DenyEveryoneWithoutMFA"),
        (
            "pass-not-principal-deny-protects-all-but-listed",
            "DenyOthersWithoutMFA",
        ),
    ] {
        let r = run.one(CHECK, &role(name));
        assert_eq!(r["status"], "PASS", "{name}: {r}");
        assert_contains(r["reason"].as_str().unwrap(), &[sid]);
        assert_contains(r["evidence"].as_str().unwrap(), &["protecting Deny Sid"]);
        // The Deny is cited among the evidence sources.
        let cited: Vec<&str> = r["evidence_sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["location"].as_str().unwrap())
            .collect();
        assert!(
            cited.iter().any(|l| l.ends_with("/Statement/1")),
            "{name}: {cited:?}"
        );
    }
}

#[test]
fn a_narrowed_deny_or_one_missing_long_term_keys_protects_nothing() {
    let run = run();
    for name in [
        "fail-narrowed-deny-protects-nothing",
        "fail-bool-deny-leaves-keys",
    ] {
        let (status, _, reason) = verdict(&run, name);
        assert_eq!(status, "FAIL", "{name}: {reason}");
    }
}

#[test]
fn a_deleted_principal_without_mfa_is_not_determinable() {
    let run = run();
    let (status, severity, reason) = verdict(&run, "nd-deleted-user-id");
    assert_eq!(
        (status.as_str(), severity.as_str()),
        ("NOT_DETERMINABLE", "high")
    );
    assert_contains(
        &reason,
        &[
            "AIDAJQABLZS4A3QDU576Q: trusted principal was deleted; account unknown; remove the stale statement",
        ],
    );
}

#[test]
fn a_role_without_trust_policy_in_the_export_is_not_determinable() {
    let run = run();
    let (status, _, reason) = verdict(&run, "nd-trust-policy-not-in-export");
    assert_eq!(status, "NOT_DETERMINABLE");
    assert_contains(&reason, &["no trust policy"]);
}

#[test]
fn an_unrecognized_principal_is_not_determinable() {
    let run = run();
    let (status, _, reason) = verdict(&run, "nd-unrecognized-principal");
    assert_eq!(status, "NOT_DETERMINABLE");
    assert_contains(&reason, &["deploy-bot: principal not recognized"]);
}

#[test]
fn a_deleted_principal_with_mfa_passes() {
    let run = run();
    let (status, _, reason) = verdict(&run, "pass-deleted-role-id-with-mfa");
    assert_eq!(status, "PASS", "{reason}");
    assert_contains(&reason, &["AROAJ52OTH4H7LEXAMPLE"]);
}

#[test]
fn identity_center_and_oidc_roles_are_manual() {
    let run = run();
    let r = run.one(
        CHECK,
        "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef",
    );
    assert_eq!(r["status"], "MANUAL");
    assert_eq!(
        r["severity"], "medium",
        "provider in the role's own account"
    );
    assert_contains(
        r["reason"].as_str().unwrap(),
        &[
            "saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE",
            "identity provider",
        ],
    );
    let (status, severity, _) = verdict(&run, "manual-oidc-github");
    assert_eq!((status.as_str(), severity.as_str()), ("MANUAL", "medium"));
    let (status, severity, reason) = verdict(&run, "manual-public-web-identity");
    assert_eq!((status.as_str(), severity.as_str()), ("MANUAL", "high"));
    assert_contains(&reason, &["accounts.google.com"]);
}

#[test]
fn the_role_status_is_the_worst_of_its_parts_and_the_reason_names_every_part() {
    let run = run();
    let (status, _, reason) = verdict(&run, "worst-of-parts-fail");
    assert_eq!(status, "FAIL");
    assert_contains(
        &reason,
        &[
            "saml-provider/Okta",
            "arn:aws:iam::111122223333:root",
            "AIDAJQABLZS4A3QDU576Q",
            "arn:aws:iam::999988887777:root",
        ],
    );
    let (status, _, _) = verdict(&run, "worst-of-parts-not-determinable");
    assert_eq!(status, "NOT_DETERMINABLE");
    let (status, _, _) = verdict(&run, "worst-of-parts-manual");
    assert_eq!(status, "MANUAL");
}

#[test]
fn one_allow_without_mfa_fails_the_role_even_if_another_requires_it() {
    let run = run();
    let r = run.one(CHECK, &role("same-principal-with-and-without-mfa"));
    assert_eq!(r["status"], "FAIL");
    assert_eq!(
        r["source"]["location"],
        "/RoleDetailList/25/AssumeRolePolicyDocument/Statement/1"
    );
}

#[test]
fn actions_match_by_pattern() {
    let run = run();
    let (status, _, _) = verdict(&run, "fail-action-pattern-sts-star");
    assert_eq!(status, "FAIL");
}

#[test]
fn internal_by_the_dump_gives_medium_and_the_reason_says_so() {
    let alone = run();
    let (status, severity, reason) = verdict(&alone, "sibling-account-without-mfa");
    assert_eq!((status.as_str(), severity.as_str()), ("FAIL", "high"));
    assert_contains(&reason, &["external: not in this run's inputs"]);

    let both = run_with(&["sibling-account-111122223333.json"], &[]);
    for name in [
        "sibling-account-without-mfa",
        "sibling-user-arn-without-mfa",
    ] {
        let (status, severity, reason) = verdict(&both, name);
        assert_eq!(
            (status.as_str(), severity.as_str()),
            ("FAIL", "medium"),
            "{name}"
        );
        assert_contains(
            &reason,
            &[
                "internal: in this run's inputs",
                "no organization account list given",
            ],
        );
    }
    // Mixed internal and external principals: high.
    let (_, severity, _) = verdict(&both, "worst-of-parts-fail");
    assert_eq!(severity, "high");
    let (_, severity, _) = verdict(&both, "worst-of-parts-manual");
    assert_eq!(severity, "medium");
}

#[test]
fn internal_by_the_organization_account_list_when_given() {
    let org = fixture("policy_checks/cross_account_role_mfa/org/list-accounts.json");
    let org = org.to_str().unwrap();
    let run = run_with(&[], &["--org-accounts", org]);
    let (status, severity, reason) = verdict(&run, "sibling-account-without-mfa");
    assert_eq!((status.as_str(), severity.as_str()), ("FAIL", "medium"));
    assert_contains(
        &reason,
        &[
            "internal: in the organization account list",
            "by the organization account list",
        ],
    );
    let (_, severity, reason) = verdict(&run, "pass-account-bool-true");
    assert_eq!(severity, "high");
    assert_contains(&reason, &["external: not in the organization account list"]);
}

#[test]
fn no_authorization_export_gives_one_account_row() {
    let run = audit(
        &[&fixture(
            "policy_checks/mfa_enforced_by_policy/credential-report.csv",
        )],
        &["--quiet"],
    );
    let rows: Vec<&serde_json::Value> = run
        .results
        .iter()
        .filter(|r| r["check_id"] == CHECK)
        .collect();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0]["resource_arn"], "arn:aws:iam::123456789012:root");
    assert_eq!(rows[0]["status"], "NOT_DETERMINABLE");
}
