//! `console-user-mfa` and `root-mfa`: PASS, FAIL and each edge case in SPEC.

use crate::common::{audit, fixture};

const ALICE: &str = "arn:aws:iam::123456789012:user/alice";
const BOB: &str = "arn:aws:iam::123456789012:user/ops/bob";
const CAROL: &str = "arn:aws:iam::123456789012:user/carol";
const ROOT: &str = "arn:aws:iam::123456789012:root";

#[test]
fn console_user_with_mfa_passes_and_without_fails() {
    let run = audit(&[&fixture("reports/plain.csv")], &[]);
    assert_eq!(run.status("console-user-mfa", ALICE), "PASS");
    let bob = run.one("console-user-mfa", BOB);
    assert_eq!(bob["status"], "FAIL");
    assert_eq!(bob["severity"], "high");
    assert_eq!(bob["reason"], "console password enabled, no MFA device");
    assert_eq!(bob["source"]["file"], "plain.csv");
    assert_eq!(bob["source"]["sha256"].as_str().unwrap().len(), 64);
    assert!(
        bob["evidence"]
            .as_str()
            .unwrap()
            .contains("password_last_used=no_information")
    );
}

#[test]
fn users_without_a_password_are_not_in_the_population() {
    let run = audit(&[&fixture("reports/plain.csv")], &[]);
    assert!(
        run.results
            .iter()
            .all(|r| r["resource_arn"] != CAROL || r["check_id"] != "console-user-mfa")
    );
}

#[test]
fn root_is_not_a_console_user_even_with_a_real_password_column() {
    let run = audit(&[&fixture("reports/newer_root_row.csv")], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.results
            .iter()
            .all(|r| r["check_id"] != "console-user-mfa" || r["resource_arn"] != ROOT)
    );
    assert_eq!(run.status("root-mfa", ROOT), "PASS");
}

#[test]
fn identical_duplicate_rows_count_once() {
    let run = audit(&[&fixture("reports/duplicate_identical_rows.csv")], &[]);
    assert_eq!(run.status("console-user-mfa", BOB), "FAIL");
}

#[test]
fn conflicting_duplicate_rows_are_not_determinable() {
    let run = audit(&[&fixture("reports/duplicate_conflicting_rows.csv")], &[]);
    let bob = run.one("console-user-mfa", BOB);
    assert_eq!(bob["status"], "NOT_DETERMINABLE");
    assert!(
        bob["reason"]
            .as_str()
            .unwrap()
            .contains("line 4 and line 6"),
        "{bob}"
    );
    assert_eq!(run.status("console-user-mfa", ALICE), "PASS");
}

#[test]
fn root_with_mfa_passes() {
    let run = audit(&[&fixture("reports/plain.csv")], &[]);
    let root = run.one("root-mfa", ROOT);
    assert_eq!(root["status"], "PASS");
    assert_eq!(root["severity"], "critical");
    assert_eq!(root["source"]["location"], "line 2");
}

#[test]
fn root_without_mfa_fails() {
    let run = audit(&[&fixture("reports/root_without_mfa.csv")], &[]);
    assert_eq!(run.status("root-mfa", ROOT), "FAIL");
}

#[test]
fn root_with_credentials_removed_passes() {
    let run = audit(&[&fixture("reports/root_credentials_removed.csv")], &[]);
    let root = run.one("root-mfa", ROOT);
    assert_eq!(root["status"], "PASS");
    assert_eq!(
        root["reason"],
        "root credentials removed; no sign-in possible"
    );
}

#[test]
fn no_root_row_is_not_determinable() {
    let run = audit(&[&fixture("reports/no_root_row.csv")], &[]);
    let root = run.one("root-mfa", ROOT);
    assert_eq!(root["status"], "NOT_DETERMINABLE");
    assert!(
        root["reason"]
            .as_str()
            .unwrap()
            .contains("no <root_account> row")
    );
}

#[test]
fn conflicting_root_rows_are_not_determinable() {
    let run = audit(&[&fixture("reports/duplicate_conflicting_root.csv")], &[]);
    assert_eq!(run.status("root-mfa", ROOT), "NOT_DETERMINABLE");
}

#[test]
fn account_without_credential_report_gets_one_row_per_check() {
    let run = audit(&[&fixture("authz/object_documents.json")], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for check in ["console-user-mfa", "root-mfa"] {
        let row = run.one(check, ROOT);
        assert_eq!(row["status"], "NOT_DETERMINABLE");
        assert_eq!(row["source"], serde_json::Value::Null);
        assert!(
            row["reason"]
                .as_str()
                .unwrap()
                .contains("no credential report"),
            "{row}"
        );
    }
}

#[test]
fn user_only_in_the_authorization_export_is_not_determinable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("authz/object_documents.json"),
        dir.path().join("authz.json"),
    )
    .unwrap();
    std::fs::copy(
        fixture("reports/no_root_row.csv"),
        dir.path().join("report.csv"),
    )
    .unwrap();
    // Drop bob from the report: he is then only in the authorization export.
    let text = std::fs::read_to_string(dir.path().join("report.csv")).unwrap();
    let without_bob: Vec<&str> = text.lines().filter(|l| !l.starts_with("bob,")).collect();
    std::fs::write(dir.path().join("report.csv"), without_bob.join("\n")).unwrap();
    let run = audit(&[dir.path()], &[]);
    let bob = run.one("console-user-mfa", BOB);
    assert_eq!(bob["status"], "NOT_DETERMINABLE");
    assert!(
        bob["reason"]
            .as_str()
            .unwrap()
            .starts_with("user not in the credential report")
    );
    assert_eq!(bob["source"]["location"], "/UserDetailList/1");
}

#[test]
fn results_are_sorted_bytewise_by_account_check_resource_credential() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("reports/plain.csv"), dir.path().join("a.csv")).unwrap();
    let other = std::fs::read_to_string(fixture("reports/plain.csv"))
        .unwrap()
        .replace("123456789012", "012345678901");
    std::fs::write(dir.path().join("b.csv"), other).unwrap();
    let run = audit(&[dir.path()], &[]);
    let keys: Vec<(String, String, String)> = run
        .results
        .iter()
        .map(|r| {
            (
                r["account_id"].as_str().unwrap().to_string(),
                r["check_id"].as_str().unwrap().to_string(),
                r["resource_arn"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys[0].0, "012345678901");
}
