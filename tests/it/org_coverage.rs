//! `org-coverage` through the real CLI: one account list shape per case (ACTIVE with both
//! exports, missing one, with nothing, SUSPENDED, unlisted, no list, `State` instead of
//! `Status`, the two disagreeing, PENDING_ACTIVATION, neither field, a NextToken), lists given
//! by `--org-accounts` or found in the inputs, merged or disagreeing, and an export left out
//! under `--keep-going`.

use crate::common::{audit, corpus};
use serde_json::{Value, json};
use std::path::Path;

pub const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/// A credential report for `account` with its root row and one user.
pub fn report(account: &str) -> String {
    format!(
        "{HEADER}\n<root_account>,arn:aws:iam::{account}:root,2020-01-01T00:00:00+00:00,not_supported,2025-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
         alice,arn:aws:iam::{account}:user/alice,2021-01-01T00:00:00+00:00,true,2025-06-01T08:00:00+00:00,2021-01-01T00:00:00+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
    )
}

/// An authorization export for `account` holding the same one user.
pub fn authorization(account: &str) -> String {
    json!({
        "UserDetailList": [{
            "Path": "/", "UserName": "alice", "UserId": "AIDAEXAMPLEALICE0001",
            "Arn": format!("arn:aws:iam::{account}:user/alice"),
            "CreateDate": "2021-01-01T00:00:00+00:00",
            "UserPolicyList": [], "GroupList": [], "AttachedManagedPolicies": [], "Tags": []
        }],
        "GroupDetailList": [], "RoleDetailList": [], "Policies": []
    })
    .to_string()
}

/// An `organizations list-accounts` export of these entries (each a JSON object).
pub fn list(entries: &[Value]) -> String {
    json!({ "Accounts": entries }).to_string()
}

/// An entry with the given fields besides `Id` and `Arn`.
pub fn entry(id: &str, fields: Value) -> Value {
    let mut e = json!({
        "Id": id,
        "Arn": format!("arn:aws:organizations::111111111111:account/o-example/{id}"),
        "Name": format!("acct-{id}"),
    });
    if let (Some(e), Some(f)) = (e.as_object_mut(), fields.as_object()) {
        e.extend(f.clone());
    }
    e
}

/// Writes `files` (relative path, text) under a fresh folder.
pub fn tree(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

pub const A: &str = "100000000001";
pub const B: &str = "100000000002";
pub const C: &str = "100000000003";

/// Both exports of account A, plus the given files.
fn with_a(extra: &[(&str, String)]) -> tempfile::TempDir {
    let mut files = vec![
        ("a/report.csv", report(A)),
        ("a/authorization.json", authorization(A)),
    ];
    files.extend(extra.iter().cloned());
    tree(&files)
}

fn root(account: &str) -> String {
    format!("arn:aws:iam::{account}:root")
}

/// The org-coverage results: (account, status, reason).
fn coverage(results: &[Value]) -> Vec<(String, String, String)> {
    results
        .iter()
        .filter(|r| r["check_id"] == "org-coverage")
        .map(|r| {
            (
                r["account_id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn run_on(dir: &Path, extra: &[&str]) -> crate::common::Run {
    let run = audit(&[dir], extra);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

#[test]
fn active_account_with_both_exports_passes_citing_the_list_entry() {
    let dir = with_a(&[(
        "org/accounts.json",
        list(&[entry(A, json!({"Status": "ACTIVE"}))]),
    )]);
    let run = run_on(dir.path(), &[]);
    let r = run.one("org-coverage", &root(A));
    assert_eq!(r["status"], "PASS", "{r}");
    assert_eq!(r["source"]["file"], "org/accounts.json");
    assert_eq!(r["source"]["location"], "/Accounts/0");
}

#[test]
fn active_account_missing_the_authorization_export_fails_naming_it() {
    let dir = tree(&[
        ("a/report.csv", report(A)),
        (
            "org/accounts.json",
            list(&[entry(A, json!({"Status": "ACTIVE"}))]),
        ),
    ]);
    let run = run_on(dir.path(), &[]);
    let r = run.one("org-coverage", &root(A));
    assert_eq!(r["status"], "FAIL");
    assert_eq!(
        r["reason"],
        "listed (ACTIVE); no authorization details export"
    );
}

#[test]
fn active_account_with_nothing_fails_and_has_no_other_row() {
    let dir = with_a(&[(
        "org/accounts.json",
        list(&[
            entry(A, json!({"Status": "ACTIVE"})),
            entry(B, json!({"Status": "ACTIVE"})),
        ]),
    )]);
    let run = run_on(dir.path(), &[]);
    let r = run.one("org-coverage", &root(B));
    assert_eq!(r["status"], "FAIL");
    assert_eq!(
        r["reason"],
        "listed (ACTIVE); no credential report; no authorization details export"
    );
    assert_eq!(r["source"]["location"], "/Accounts/1");
    let rows_of_b = run.results.iter().filter(|r| r["account_id"] == B).count();
    assert_eq!(rows_of_b, 1, "other checks' populations do not grow");
    assert!(
        run.stderr.contains("audited 1 account(s)"),
        "{}",
        run.stderr
    );
}

#[test]
fn suspended_account_with_nothing_is_manual() {
    let dir = with_a(&[(
        "org/accounts.json",
        list(&[
            entry(A, json!({"Status": "ACTIVE"})),
            entry(B, json!({"Status": "SUSPENDED"})),
        ]),
    )]);
    let run = run_on(dir.path(), &[]);
    let r = run.one("org-coverage", &root(B));
    assert_eq!(r["status"], "MANUAL");
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .starts_with("account SUSPENDED: confirm it is closed or out of scope"),
        "{r}"
    );
}

#[test]
fn audited_account_not_in_the_list_is_manual_citing_its_first_export() {
    let dir = with_a(&[(
        "org/accounts.json",
        list(&[entry(B, json!({"Status": "SUSPENDED"}))]),
    )]);
    let run = run_on(dir.path(), &[]);
    let r = run.one("org-coverage", &root(A));
    assert_eq!(r["status"], "MANUAL");
    assert_eq!(
        r["reason"],
        "not in the organization's account list: confirm it is in scope"
    );
    assert_eq!(r["source"]["file"], "a/report.csv");
}

#[test]
fn no_list_gives_no_org_coverage_row() {
    let dir = with_a(&[]);
    let run = run_on(dir.path(), &[]);
    assert!(coverage(&run.results).is_empty());
}

#[test]
fn state_is_read_when_there_is_no_status() {
    let dir = with_a(&[(
        "org/accounts.json",
        list(&[
            entry(A, json!({"State": "ACTIVE"})),
            entry(B, json!({"State": "PENDING_CLOSURE"})),
        ]),
    )]);
    let run = run_on(dir.path(), &[]);
    assert_eq!(run.status("org-coverage", &root(A)), "PASS");
    let r = run.one("org-coverage", &root(B));
    assert_eq!(r["status"], "MANUAL");
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .starts_with("account PENDING_CLOSURE"),
        "{r}"
    );
}

#[test]
fn state_decides_when_state_and_status_disagree() {
    let dir = with_a(&[(
        "org/accounts.json",
        list(&[
            entry(B, json!({"Status": "ACTIVE", "State": "SUSPENDED"})),
            entry(C, json!({"Status": "SUSPENDED", "State": "ACTIVE"})),
        ]),
    )]);
    let run = run_on(dir.path(), &[]);
    assert_eq!(run.status("org-coverage", &root(B)), "MANUAL");
    assert_eq!(run.status("org-coverage", &root(C)), "FAIL");
}

#[test]
fn pending_activation_is_not_active() {
    let dir = with_a(&[(
        "org/accounts.json",
        list(&[entry(B, json!({"State": "PENDING_ACTIVATION"}))]),
    )]);
    let run = run_on(dir.path(), &[]);
    assert_eq!(run.status("org-coverage", &root(B)), "MANUAL");
}

#[test]
fn an_entry_with_neither_state_nor_status_counts_as_active() {
    let dir = with_a(&[("org/accounts.json", list(&[entry(B, json!({}))]))]);
    let run = run_on(dir.path(), &[]);
    let r = run.one("org-coverage", &root(B));
    assert_eq!(r["status"], "FAIL", "{r}");
}

#[test]
fn an_audited_account_missing_from_a_list_with_a_next_token_says_the_list_is_incomplete() {
    let mut page =
        serde_json::from_str::<Value>(&list(&[entry(B, json!({"Status": "ACTIVE"}))])).unwrap();
    page["NextToken"] = json!("AAEAAbc");
    let dir = with_a(&[("org/accounts-page1.json", page.to_string())]);
    let run = run_on(dir.path(), &[]);
    let r = run.one("org-coverage", &root(A));
    assert_eq!(r["status"], "MANUAL");
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("incomplete (it ends with a NextToken)"),
        "{r}"
    );
}

#[test]
fn org_accounts_option_supersedes_the_lists_in_the_inputs() {
    let dir = with_a(&[(
        "org/accounts.json",
        list(&[entry(B, json!({"Status": "ACTIVE"}))]),
    )]);
    let given = tree(&[("given.json", list(&[entry(A, json!({"Status": "ACTIVE"}))]))]);
    let given_path = given.path().join("given.json");
    let run = run_on(
        dir.path(),
        &["--org-accounts", given_path.to_str().unwrap()],
    );
    assert_eq!(
        coverage(&run.results)
            .iter()
            .map(|(a, s, _)| (a.as_str(), s.as_str()))
            .collect::<Vec<_>>(),
        [(A, "PASS")],
        "B, listed only in the superseded file, is not in the population"
    );
    let inputs = crate::common::sheet(&run.workbook, "Inputs");
    let found = inputs
        .iter()
        .find(|r| r[0] == "org/accounts.json")
        .expect("the found list is on the Inputs sheet");
    assert_eq!(found[7], "superseded", "{found:?}");
    assert!(
        inputs
            .iter()
            .any(|r| r[1] == "organization account list (--org-accounts)"),
        "{inputs:?}"
    );
}

#[test]
fn two_lists_in_the_inputs_are_merged() {
    let dir = with_a(&[
        (
            "org/ou-1.json",
            list(&[entry(A, json!({"Status": "ACTIVE"}))]),
        ),
        (
            "org/ou-2.json",
            list(&[entry(B, json!({"Status": "ACTIVE"}))]),
        ),
    ]);
    let run = run_on(dir.path(), &[]);
    assert_eq!(run.status("org-coverage", &root(A)), "PASS");
    let r = run.one("org-coverage", &root(B));
    assert_eq!(r["status"], "FAIL");
    assert_eq!(r["source"]["file"], "org/ou-2.json");
}

#[test]
fn two_lists_disagreeing_about_an_account_are_an_error_naming_both_files() {
    let dir = with_a(&[
        (
            "org/ou-1.json",
            list(&[entry(B, json!({"Status": "ACTIVE"}))]),
        ),
        (
            "org/ou-2.json",
            list(&[entry(B, json!({"Status": "SUSPENDED"}))]),
        ),
    ]);
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("org/ou-1.json") && run.stderr.contains("org/ou-2.json"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(B), "{}", run.stderr);
    assert!(!run.workbook.exists());
}

#[test]
fn an_export_left_out_under_keep_going_fails_org_coverage_naming_it() {
    let dir = with_a(&[
        (
            "org/accounts.json",
            list(&[
                entry(A, json!({"Status": "ACTIVE"})),
                entry(B, json!({"Status": "ACTIVE"})),
            ]),
        ),
        ("b/report.csv", report(B)),
        (
            "b/authorization.json",
            format!("{{\"UserDetailList\": [{{\"Arn\": \"arn:aws:iam::{B}:user/x\", "),
        ),
    ]);
    let run = run_on(dir.path(), &["--keep-going"]);
    let r = run.one("org-coverage", &root(B));
    assert_eq!(r["status"], "FAIL", "{r}");
    let reason = r["reason"].as_str().unwrap();
    assert!(
        reason.contains("authorization details export left out (--keep-going)")
            && reason.contains("b/authorization.json"),
        "{reason}"
    );
}

#[test]
fn the_corpus_list_accounts_recording_is_skipped_and_its_real_list_is_read() {
    let Some(corpus) = corpus() else { return };
    let folder = corpus.join("organizations");
    let recording = folder.join(
        "cloud-custodian__cloud-custodian__placebo-test_org_account_describe-organizations.ListAccounts_1.json",
    );
    // Found in the inputs, the test recording (a response wrapper) is skipped, not read.
    let dir = with_a(&[]);
    let run = audit(&[dir.path(), &folder], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(coverage(&run.results).is_empty(), "no list was read");
    assert!(
        run.stderr.contains("placebo-test_org_account_describe-organizations.ListAccounts_1.json: not a recognized IAM export"),
        "{}",
        run.stderr
    );
    // Its `data` is the real `list-accounts` shape (Email, JoinedMethod, a JoinedTimestamp
    // object): given by `--org-accounts`, it is read.
    let wrapped: Value =
        serde_json::from_str(&std::fs::read_to_string(recording).unwrap()).unwrap();
    let given = tree(&[("list.json", wrapped["data"].to_string())]);
    let given_path = given.path().join("list.json");
    let run = run_on(
        dir.path(),
        &["--org-accounts", given_path.to_str().unwrap()],
    );
    let rows = coverage(&run.results);
    assert_eq!(
        rows,
        [
            (
                A.to_string(),
                "MANUAL".to_string(),
                "not in the organization's account list: confirm it is in scope".to_string()
            ),
            (
                "644160558196".to_string(),
                "FAIL".to_string(),
                "listed (ACTIVE); no credential report; no authorization details export"
                    .to_string()
            ),
        ]
    );
}

#[test]
fn verify_re_performs_org_coverage_and_notices_a_changed_list() {
    let dir = with_a(&[(
        "org/accounts.json",
        list(&[
            entry(A, json!({"Status": "ACTIVE"})),
            entry(B, json!({"Status": "ACTIVE"})),
        ]),
    )]);
    let run = run_on(dir.path(), &["--quiet"]);
    let workbook = run.workbook.to_str().unwrap();
    let input = dir.path().to_str().unwrap();
    let (code, _, stderr) = crate::common::raw(&["verify", workbook, input]);
    assert_eq!(code, 0, "{stderr}");
    // The organization now says B is suspended: B's org-coverage row differs.
    std::fs::write(
        dir.path().join("org/accounts.json"),
        list(&[
            entry(A, json!({"Status": "ACTIVE"})),
            entry(B, json!({"Status": "SUSPENDED"})),
        ]),
    )
    .unwrap();
    let (code, _, stderr) = crate::common::raw(&["verify", workbook, input]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("org-coverage"), "{stderr}");
}
