//! `no-full-admin-policies`: the policies of
//! `fixtures/policy_checks/no_full_admin_policies/decisions.json` are named after the SPEC
//! decision they exercise.

use crate::common::{Run, audit, fixture};

const CHECK: &str = "no-full-admin-policies";

fn run() -> Run {
    let run = audit(
        &[&fixture(
            "policy_checks/no_full_admin_policies/decisions.json",
        )],
        &["--quiet"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

fn policy(name: &str) -> String {
    format!("arn:aws:iam::123456789012:policy/{name}")
}

/// (status, reason, source location) of one result.
fn verdict(run: &Run, resource: &str) -> (String, String, String) {
    let r = run.one(CHECK, resource);
    assert_eq!(r["severity"], "high", "{r}");
    (
        r["status"].as_str().unwrap().to_string(),
        r["reason"].as_str().unwrap().to_string(),
        r["source"]["location"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

#[test]
fn population_is_customer_managed_policies_in_use_and_every_inline_policy() {
    let run = run();
    let mut tested: Vec<&str> = run
        .results
        .iter()
        .filter(|r| r["check_id"] == CHECK)
        .map(|r| r["resource_arn"].as_str().unwrap())
        .collect();
    tested.sort();
    let mut expected = vec![
        policy("fail-star-on-star"),
        policy("fail-star-colon-star-in-action-array"),
        policy("fail-with-condition"),
        policy("pass-not-action"),
        policy("pass-deny-star-on-star"),
        policy("pass-service-wildcard"),
        policy("pass-star-on-some-resources"),
        policy("pass-default-version-is-narrow"),
        policy("in-use-though-attachment-count-is-zero"),
        policy("nd-default-version-without-document"),
        policy("nd-attached-but-not-exported"),
        "arn:aws:iam::123456789012:user/alice#inline:inline-admin".to_string(),
        "arn:aws:iam::123456789012:user/alice#inline:inline-read".to_string(),
        "arn:aws:iam::123456789012:group/Admins#inline:group-admin-no-sid".to_string(),
        "arn:aws:iam::123456789012:role/ops#inline:role-read".to_string(),
        "arn:aws:iam::123456789012:role/ops#inline:role-admin-two-statements".to_string(),
    ];
    expected.sort();
    assert_eq!(tested, expected);
}

#[test]
fn aws_managed_unattached_and_boundary_only_policies_are_not_tested() {
    let run = run();
    for resource in [
        "arn:aws:iam::aws:policy/AdministratorAccess".to_string(),
        policy("not-in-population-unattached"),
        policy("not-in-population-boundary-only"),
        policy("missing-boundary-is-not-an-attachment"),
    ] {
        assert!(
            run.results
                .iter()
                .all(|r| r["check_id"] != CHECK || r["resource_arn"] != resource.as_str()),
            "{resource}"
        );
    }
}

#[test]
fn allow_star_on_star_fails_and_quotes_the_sid() {
    let run = run();
    let (status, reason, location) = verdict(&run, &policy("fail-star-on-star"));
    assert_eq!(status, "FAIL");
    assert!(
        reason.contains(r#"Sid "FullAccess" allows Action "*" on Resource "*""#),
        "{reason}"
    );
    assert_eq!(
        location,
        "/Policies/0/PolicyVersionList/0/Document/Statement/0"
    );
}

#[test]
fn star_colon_star_in_an_action_array_with_star_among_resources_fails() {
    let run = run();
    let (status, reason, _) = verdict(&run, &policy("fail-star-colon-star-in-action-array"));
    assert_eq!(status, "FAIL");
    assert!(reason.contains(r#"Sid "Everything""#), "{reason}");
}

#[test]
fn conditions_do_not_save_a_full_admin_statement() {
    let run = run();
    let (status, reason, _) = verdict(&run, &policy("fail-with-condition"));
    assert_eq!(status, "FAIL");
    assert!(reason.contains("IpAddress aws:SourceIp"), "{reason}");
}

#[test]
fn not_action_deny_service_wildcards_and_narrow_resources_pass() {
    let run = run();
    for name in [
        "pass-not-action",
        "pass-deny-star-on-star",
        "pass-service-wildcard",
        "pass-star-on-some-resources",
    ] {
        let (status, reason, _) = verdict(&run, &policy(name));
        assert_eq!(status, "PASS", "{name}: {reason}");
    }
}

#[test]
fn only_the_default_version_is_evaluated() {
    let run = run();
    let (status, reason, location) = verdict(&run, &policy("pass-default-version-is-narrow"));
    assert_eq!(status, "PASS");
    assert!(reason.contains("default version v2"), "{reason}");
    assert_eq!(location, "/Policies/7/PolicyVersionList/1");
}

#[test]
fn a_policy_listed_as_attached_is_in_use_whatever_its_attachment_count() {
    let run = run();
    let (status, _, _) = verdict(&run, &policy("in-use-though-attachment-count-is-zero"));
    assert_eq!(status, "FAIL");
}

#[test]
fn an_attached_policy_absent_from_the_export_is_not_determinable() {
    let run = run();
    let (status, reason, location) = verdict(&run, &policy("nd-attached-but-not-exported"));
    assert_eq!(status, "NOT_DETERMINABLE");
    assert!(reason.contains("not in the export's Policies"), "{reason}");
    assert!(
        reason.contains("user/alice") && reason.contains("user/bob"),
        "{reason}"
    );
    assert_eq!(location, "/UserDetailList/0");
}

#[test]
fn a_default_version_without_document_is_not_determinable() {
    let run = run();
    let (status, reason, _) = verdict(&run, &policy("nd-default-version-without-document"));
    assert_eq!(status, "NOT_DETERMINABLE");
    assert!(reason.contains("has no document"), "{reason}");
}

#[test]
fn inline_policies_of_users_groups_and_roles_are_tested() {
    let run = run();
    let (status, reason, location) = verdict(
        &run,
        "arn:aws:iam::123456789012:user/alice#inline:inline-admin",
    );
    assert_eq!(status, "FAIL");
    assert!(reason.contains(r#"Sid "InlineAdmin""#), "{reason}");
    assert_eq!(
        location,
        "/UserDetailList/0/UserPolicyList/0/PolicyDocument/Statement/0"
    );
    let (status, reason, _) = verdict(
        &run,
        "arn:aws:iam::123456789012:group/Admins#inline:group-admin-no-sid",
    );
    assert_eq!(status, "FAIL");
    assert!(reason.contains("a statement with no Sid"), "{reason}");
    let r = run.one(
        CHECK,
        "arn:aws:iam::123456789012:role/ops#inline:role-admin-two-statements",
    );
    assert_eq!(r["status"], "FAIL");
    let reason = r["reason"].as_str().unwrap();
    assert!(
        reason.contains(r#"Sid "First""#) && reason.contains(r#"Sid "Second""#),
        "{reason}"
    );
    let cited: Vec<&str> = r["evidence_sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["location"].as_str().unwrap())
        .collect();
    assert!(
        cited.contains(&"/RoleDetailList/0/RolePolicyList/1/PolicyDocument/Statement/1"),
        "{cited:?}"
    );
    let (status, _, _) = verdict(&run, "arn:aws:iam::123456789012:role/ops#inline:role-read");
    assert_eq!(status, "PASS");
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
