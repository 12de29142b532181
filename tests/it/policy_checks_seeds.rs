//! The policies of the three seed documents (`shared/seeds/`), copied verbatim into
//! `fixtures/policy_checks/seeds/`, give the verdicts the documents intend.

use crate::common::{audit, fixture};

fn run_one(file: &str, check: &str, resource: &str) -> serde_json::Value {
    let run = audit(
        &[&fixture(&format!("policy_checks/seeds/{file}"))],
        &["--quiet"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.one(check, resource).clone()
}

#[test]
fn tutorial_require_mfa_attached_via_group_passes() {
    let r = run_one(
        "tutorial_require_mfa_attached_via_group.json",
        "mfa-enforced-by-policy",
        "arn:aws:iam::123456789012:user/alice",
    );
    assert_eq!(r["status"], "PASS", "{r}");
    let reason = r["reason"].as_str().unwrap();
    assert!(reason.contains("policy RequireMFA"), "{reason}");
    assert!(reason.contains("via group Developers"), "{reason}");
    assert!(
        reason.contains("Sid BlockMostAccessUnlessSignedInWithMFA"),
        "{reason}"
    );
    assert_eq!(
        r["source"]["location"],
        "/Policies/0/PolicyVersionList/0/Document/Statement/5"
    );
    // The group entry on the route is cited.
    let cited: Vec<&str> = r["evidence_sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["location"].as_str().unwrap())
        .collect();
    assert!(cited.contains(&"/GroupDetailList/0"), "{cited:?}");
    assert!(cited.contains(&"/UserDetailList/0"), "{cited:?}");
}

#[test]
fn console_rule_policy_bool_if_exists_deny_on_star_passes() {
    let r = run_one(
        "console_rule_policy_inline_on_user.json",
        "mfa-enforced-by-policy",
        "arn:aws:iam::123456789012:user/alice",
    );
    assert_eq!(r["status"], "PASS", "{r}");
    let reason = r["reason"].as_str().unwrap();
    assert!(reason.contains("inline on user"), "{reason}");
    assert!(
        reason.contains("Sid DenyAllActionsForUsersWithoutMFA"),
        "{reason}"
    );
    assert_eq!(
        r["source"]["location"],
        "/UserDetailList/0/UserPolicyList/0/PolicyDocument/Statement/1"
    );
}

#[test]
fn cross_account_document_trust_policy_passes() {
    let r = run_one(
        "cross_account_trust_with_mfa_condition.json",
        "cross-account-role-mfa",
        "arn:aws:iam::123456789012:role/ThirdPartyAccess",
    );
    assert_eq!(r["status"], "PASS", "{r}");
    assert_eq!(r["severity"], "high", "third party: external");
    let reason = r["reason"].as_str().unwrap();
    assert!(
        reason.contains("arn:aws:iam::THIRD_PARTY_ACCOUNT_ID:root"),
        "{reason}"
    );
    assert!(reason.contains("only with MFA"), "{reason}");
    assert_eq!(
        r["source"]["location"],
        "/RoleDetailList/0/AssumeRolePolicyDocument/Statement/0"
    );
}

#[test]
fn cross_account_document_trust_policy_without_its_condition_fails() {
    let r = run_one(
        "cross_account_trust_without_condition.json",
        "cross-account-role-mfa",
        "arn:aws:iam::123456789012:role/ThirdPartyAccess",
    );
    assert_eq!(r["status"], "FAIL", "{r}");
    assert_eq!(r["severity"], "high");
    let reason = r["reason"].as_str().unwrap();
    assert!(reason.contains("without MFA"), "{reason}");
    assert!(reason.contains("SCPs, RCPs"), "{reason}");
}
