//! Authorization details in every shape: document forms, pages, account identity from ARNs.

use crate::common::{audit, fixture};
use iam_evidence::input::authorization;
use iam_evidence::primitives::source::FileRef;

fn parse(rel: &str) -> Result<authorization::Parsed, iam_evidence::primitives::error::InputError> {
    let text = std::fs::read_to_string(fixture(rel)).unwrap();
    let file = FileRef {
        file: rel.into(),
        sha256: "x".into(),
    };
    authorization::parse(&text, &file)
}

fn documents(p: &authorization::Parsed) -> Vec<iam_evidence::policy::Policy> {
    let a = &p.authorization;
    let mut out: Vec<_> = a
        .users
        .iter()
        .flat_map(|u| u.inline_policies.iter().map(|i| i.document.clone()))
        .collect();
    out.extend(a.roles.iter().filter_map(|r| r.trust_policy.clone()));
    out.extend(
        a.policies
            .iter()
            .flat_map(|p| p.versions.iter().filter_map(|v| v.document.clone())),
    );
    out
}

#[test]
fn object_url_encoded_and_json_text_documents_are_the_same_policy() {
    let object = parse("authz/object_documents.json").unwrap();
    let encoded = parse("authz/url_encoded_documents.json").unwrap();
    let text = parse("authz/json_text_documents.json").unwrap();
    assert_eq!(documents(&object).len(), 4);
    assert_eq!(documents(&object), documents(&encoded));
    assert_eq!(documents(&object), documents(&text));
}

#[test]
fn default_version_is_the_effective_document() {
    let parsed = parse("authz/object_documents.json").unwrap();
    let policy = parsed
        .authorization
        .policy("arn:aws:iam::123456789012:policy/RequireMFA")
        .unwrap();
    assert_eq!(policy.versions.len(), 2);
    assert_eq!(policy.default_version().unwrap().version_id, "v2");
}

#[test]
fn entities_keep_their_json_pointer() {
    let parsed = parse("authz/object_documents.json").unwrap();
    let bob = parsed
        .authorization
        .user("arn:aws:iam::123456789012:user/ops/bob")
        .unwrap();
    assert_eq!(bob.source.location, "/UserDetailList/1");
    let alice = parsed
        .authorization
        .user("arn:aws:iam::123456789012:user/alice")
        .unwrap();
    assert_eq!(
        alice.inline_policies[0].source.location,
        "/UserDetailList/0/UserPolicyList/0"
    );
}

#[test]
fn account_field_aws_belongs_to_the_files_account() {
    let parsed = parse("authz/aws_account_field_users.json").unwrap();
    assert_eq!(parsed.account.unwrap().account, "123456789012");
    let u = &parsed.authorization.users[0];
    assert_eq!(u.arn, "arn:aws:iam::aws:user/alice");
    assert_eq!(u.canonical_arn, "arn:aws:iam::123456789012:user/alice");
}

#[test]
fn a_file_naming_two_accounts_is_an_error_with_its_pointer() {
    let err = parse("authz/two_accounts_in_one_file.json").unwrap_err();
    assert_eq!(err.location, "/RoleDetailList/0/Arn");
    assert!(
        err.message.contains("555555555555") && err.message.contains("123456789012"),
        "{err}"
    );
}

#[test]
fn a_document_that_is_not_json_is_an_error_naming_its_pointer() {
    let err = parse("authz/document_not_json.json").unwrap_err();
    assert!(
        err.location
            .starts_with("/RoleDetailList/0/AssumeRolePolicyDocument"),
        "{err}"
    );
}

#[test]
fn pages_of_one_account_are_merged_and_an_account_less_page_joins_by_folder() {
    let report = fixture("reports/plain.csv");
    let dir = tempfile::tempdir().unwrap();
    for page in ["page-1.json", "page-2.json", "page-3.json"] {
        std::fs::copy(
            fixture(&format!("authz/paged/{page}")),
            dir.path().join(page),
        )
        .unwrap();
    }
    std::fs::copy(&report, dir.path().join("credential-report.csv")).unwrap();
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // alice (page 1) and bob (page 2) are both known to the authorization export:
    // no "user not in the credential report" rows, and carol (no password) is not tested.
    let console: Vec<&serde_json::Value> = run
        .results
        .iter()
        .filter(|r| r["check_id"] == "console-user-mfa")
        .collect();
    assert_eq!(console.len(), 2, "{console:#?}");
    assert!(
        console.iter().all(|r| r["status"] != "NOT_DETERMINABLE"),
        "{console:#?}"
    );
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    let used: Vec<&serde_json::Value> = meta["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["disposition"] == "used")
        .collect();
    assert_eq!(used.len(), 4, "{meta:#}");
    assert!(used.iter().all(|i| i["account"] == "123456789012"));
}

#[test]
fn an_account_less_page_in_a_folder_of_no_account_is_unassigned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("loose")).unwrap();
    std::fs::copy(
        fixture("authz/paged/page-3.json"),
        dir.path().join("loose/page-3.json"),
    )
    .unwrap();
    std::fs::copy(
        fixture("reports/plain.csv"),
        dir.path().join("credential-report.csv"),
    )
    .unwrap();
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    let page = meta["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"] == "loose/page-3.json")
        .unwrap();
    assert_eq!(page["disposition"], "unassigned");
    assert!(page["note"].as_str().unwrap().contains("names no account"));
}
