//! `mfa-enforced-by-policy`: one user per SPEC decision in
//! `fixtures/policy_checks/mfa_enforced_by_policy/decisions.json` (each user is named after the
//! decision it exercises), run through the real binary with its credential report.

use crate::common::{Run, audit, fixture};

const CHECK: &str = "mfa-enforced-by-policy";

fn run() -> Run {
    let run = audit(
        &[&fixture("policy_checks/mfa_enforced_by_policy")],
        &["--quiet"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

fn user(name: &str) -> String {
    format!("arn:aws:iam::123456789012:user/{name}")
}

/// (status, reason, source location) of the user's result.
fn verdict(run: &Run, name: &str) -> (String, String, String) {
    let r = run.one(CHECK, &user(name));
    assert_eq!(r["severity"], "medium", "{r}");
    (
        r["status"].as_str().unwrap().to_string(),
        r["reason"].as_str().unwrap().to_string(),
        r["source"]["location"].as_str().unwrap().to_string(),
    )
}

fn assert_contains(text: &str, parts: &[&str]) {
    for p in parts {
        assert!(text.contains(p), "expected {p:?} in {text:?}");
    }
}

#[test]
fn every_user_of_the_export_and_of_the_report_has_one_result() {
    let run = run();
    let users: Vec<&str> = run
        .results
        .iter()
        .filter(|r| r["check_id"] == CHECK)
        .map(|r| r["resource_arn"].as_str().unwrap())
        .collect();
    assert_eq!(users.len(), 20, "{users:#?}");
    assert!(!users.contains(&"arn:aws:iam::123456789012:root"));
}

#[test]
fn null_on_the_age_key_covers_keys_and_sessions() {
    let run = run();
    let (status, reason, location) = verdict(&run, "pass-null-age-deny");
    assert_eq!(status, "PASS");
    assert_contains(
        &reason,
        &[
            "policy DenyWithoutMFA-NullAge",
            "attached to user",
            "Sid DenyAllWithoutMFA",
        ],
    );
    assert_eq!(
        location,
        "/Policies/0/PolicyVersionList/0/Document/Statement/0"
    );
}

#[test]
fn one_deny_covering_keys_and_another_covering_sessions_is_enforcement() {
    let run = run();
    let r = run.one(CHECK, &user("pass-k-and-s-covered-by-two-denies"));
    assert_eq!(r["status"], "PASS");
    let reason = r["reason"].as_str().unwrap();
    assert_contains(
        reason,
        &[
            "two Deny statements together",
            "Sid DenyWhenMfaKeyAbsent",
            "Sid DenySessionsWithoutMFA",
            "permissions boundary",
        ],
    );
    // The second statement used is cited among the evidence sources.
    let sources: Vec<&str> = r["evidence_sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["location"].as_str().unwrap())
        .collect();
    assert!(
        sources.contains(&"/Policies/1/PolicyVersionList/0/Document/Statement/1"),
        "{sources:?}"
    );
}

#[test]
fn via_aws_service_false_narrows_nothing() {
    let run = run();
    let (status, reason, _) = verdict(&run, "pass-aws-recommended-via-aws-service-false");
    assert_eq!(status, "PASS", "{reason}");
}

#[test]
fn pass_wins_over_a_missing_document() {
    let run = run();
    let (status, _, _) = verdict(&run, "pass-despite-missing-policy");
    assert_eq!(status, "PASS");
}

#[test]
fn bool_instead_of_bool_if_exists_leaves_long_term_keys_uncovered() {
    let run = run();
    let (status, reason, location) = verdict(&run, "partial-bool-instead-of-bool-if-exists");
    assert_eq!(status, "PARTIAL");
    assert_contains(
        &reason,
        &[
            "not enforced for long-term access keys",
            "via group Contractors",
            "Bool instead of BoolIfExists",
        ],
    );
    assert_eq!(
        location,
        "/GroupDetailList/0/GroupPolicyList/0/PolicyDocument/Statement/0"
    );
}

#[test]
fn not_action_exempting_a_service_is_a_named_gap() {
    let run = run();
    let (status, reason, _) = verdict(&run, "partial-notaction-exempts-s3");
    assert_eq!(status, "PARTIAL");
    assert_contains(&reason, &["NotAction exempts", "\"s3:*\""]);
    assert!(!reason.contains("iam:ChangePassword"), "{reason}");
}

#[test]
fn a_wildcard_exemption_is_a_gap_even_within_iam() {
    // cloudmapper's BAD_MFA_POLICY, verbatim: NotAction "iam:*".
    let run = run();
    let (status, reason, location) = verdict(&run, "partial-notaction-wildcard-exemption");
    assert_eq!(status, "PARTIAL");
    assert_contains(
        &reason,
        &[
            "\"iam:*\" (a wildcard)",
            "BlockAnyAccessOtherThanAboveUnlessSignedInWithMFA",
        ],
    );
    assert_eq!(
        location,
        "/Policies/2/PolicyVersionList/0/Document/Statement/4"
    );
}

#[test]
fn a_deny_listing_only_some_actions_is_partial() {
    let run = run();
    let (status, reason, _) = verdict(&run, "partial-deny-lists-only-some-actions");
    assert_eq!(status, "PARTIAL");
    assert_contains(&reason, &["denies only \"ec2:StopInstances\""]);
}

#[test]
fn a_narrowing_condition_is_named() {
    let run = run();
    let (status, reason, _) = verdict(&run, "partial-narrowed-by-source-ip");
    assert_eq!(status, "PARTIAL");
    assert_contains(
        &reason,
        &[r#"applies only when IpAddress aws:SourceIp ["10.0.0.0/8"]"#],
    );
}

#[test]
fn resource_other_than_star_is_partial() {
    let run = run();
    let (status, reason, _) = verdict(&run, "partial-resource-not-star");
    assert_eq!(status, "PARTIAL");
    assert_contains(&reason, &["Resource is not \"*\"", "arn:aws:s3:::*"]);
}

#[test]
fn a_gap_remains_a_gap_whichever_statement_leaves_it() {
    // One Deny covers sessions only (Bool); the other covers keys only from one network.
    let run = run();
    let (status, reason, _) = verdict(&run, "partial-gap-left-by-either-statement");
    assert_eq!(status, "PARTIAL");
    assert_contains(
        &reason,
        &[
            "not enforced for long-term access keys",
            "Sid SessionsOnly",
            "Sid KeysOnlyFromOffice",
            "IpAddress aws:SourceIp",
        ],
    );
}

#[test]
fn a_deny_without_mfa_key_is_ignored_and_the_user_fails() {
    let run = run();
    let (status, reason, location) = verdict(&run, "fail-no-mfa-deny");
    assert_eq!(status, "FAIL");
    assert_contains(
        &reason,
        &[
            "no Deny statement requires MFA",
            "read (inline on user)",
            "NoDeletes (inline on user)",
            "(SCPs, RCPs) are not in the inputs and could enforce MFA organization-wide",
        ],
    );
    assert_eq!(location, "/UserDetailList/11");
}

#[test]
fn an_mfa_deny_that_applies_neither_to_keys_nor_to_sessions_is_ignored() {
    let run = run();
    let (status, reason, _) = verdict(&run, "fail-mfa-deny-that-never-applies-without-mfa");
    assert_eq!(status, "FAIL");
    assert_contains(
        &reason,
        &["ignored", "Sid WrongPolarity", "Sid AgeLimitOnly"],
    );
}

#[test]
fn a_missing_aws_managed_policy_is_taken_to_hold_no_mfa_deny() {
    let run = run();
    let (status, reason, _) = verdict(&run, "fail-aws-managed-policy-not-exported");
    assert_eq!(status, "FAIL");
    assert_contains(
        &reason,
        &[
            "taken to hold no MFA Deny",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "SCPs, RCPs",
        ],
    );
}

#[test]
fn a_user_without_any_policy_fails() {
    let run = run();
    let (status, reason, _) = verdict(&run, "fail-no-policies");
    assert_eq!(status, "FAIL");
    assert_contains(&reason, &["the user has no policies"]);
}

#[test]
fn a_missing_customer_policy_is_not_determinable_and_names_the_partial_control() {
    let run = run();
    let (status, reason, _) = verdict(&run, "nd-customer-policy-missing-with-partial-control");
    assert_eq!(status, "NOT_DETERMINABLE");
    assert_contains(
        &reason,
        &[
            "arn:aws:iam::123456789012:policy/NotExported",
            "not in the export's Policies",
            "partial control found",
            "Bool instead of BoolIfExists",
        ],
    );
}

#[test]
fn a_group_absent_from_the_export_is_missing() {
    let run = run();
    let (status, reason, _) = verdict(&run, "nd-group-not-in-export");
    assert_eq!(status, "NOT_DETERMINABLE");
    assert_contains(
        &reason,
        &["group Ghosts", "not in the export's GroupDetailList"],
    );
}

#[test]
fn a_boundary_absent_from_the_export_is_missing() {
    let run = run();
    let (status, reason, _) = verdict(&run, "nd-boundary-not-in-export");
    assert_eq!(status, "NOT_DETERMINABLE");
    assert_contains(
        &reason,
        &["permissions boundary policy arn:aws:iam::123456789012:policy/MissingBoundary"],
    );
}

#[test]
fn a_default_version_without_document_is_missing() {
    let run = run();
    let (status, reason, _) = verdict(&run, "nd-default-version-without-document");
    assert_eq!(status, "NOT_DETERMINABLE");
    assert_contains(&reason, &["default version v1 has no document"]);
}

#[test]
fn a_user_only_in_the_credential_report_is_not_determinable() {
    let run = run();
    let r = run.one(CHECK, &user("created-after-the-authorization-export"));
    assert_eq!(r["status"], "NOT_DETERMINABLE");
    assert_contains(
        r["reason"].as_str().unwrap(),
        &["user not in the authorization details export"],
    );
    assert_eq!(r["source"]["file"], "credential-report.csv");
    assert_eq!(r["source"]["location"], "line 5");
}

#[test]
fn evidence_names_the_policy_route_sid_and_statement() {
    let run = run();
    let r = run.one(CHECK, &user("partial-bool-instead-of-bool-if-exists"));
    let evidence = r["evidence"].as_str().unwrap();
    assert_contains(
        evidence,
        &[
            "DenyWithoutMFA arn:aws:iam::123456789012:group/Contractors#inline:DenyWithoutMFA (via group Contractors)",
            "Sid DenyAllWithoutMFA: {",
            r#""Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}"#,
        ],
    );
}

#[test]
fn no_authorization_export_gives_one_account_row() {
    let run = audit(
        &[&fixture(
            "policy_checks/mfa_enforced_by_policy/credential-report.csv",
        )],
        &["--quiet"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<&serde_json::Value> = run
        .results
        .iter()
        .filter(|r| r["check_id"] == CHECK)
        .collect();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0]["resource_arn"], "arn:aws:iam::123456789012:root");
    assert_eq!(rows[0]["status"], "NOT_DETERMINABLE");
    assert_contains(
        rows[0]["reason"].as_str().unwrap(),
        &["no authorization details export"],
    );
}
