//! Inputs at the edges, through the real binary: what `--keep-going` leaves out instead of
//! stopping, ARNs kept as written, duplicate rows that differ only in the user name, optional
//! evidence and the checks that read it, and the messages a reader sees.

use crate::common::{Run, audit, fixture, sheet};
use std::path::Path;

const BOB: &str = "arn:aws:iam::123456789012:user/ops/bob";

/// A folder holding the good credential report of account 123456789012.
fn good_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("reports/plain.csv"), dir.path().join("good.csv")).unwrap();
    dir
}

/// The run fails with exit 1, writes nothing, and stderr holds each fragment.
fn fails(paths: &[&Path], fragments: &[&str]) {
    let run = audit(paths, &[]);
    assert_eq!(run.code, 1, "expected exit 1: {}", run.stderr);
    for f in fragments {
        assert!(run.stderr.contains(f), "missing '{f}' in: {}", run.stderr);
    }
    assert!(
        !run.workbook.exists() && !run.jsonl.exists(),
        "an output was written"
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// The Inputs sheet's disposition, note and account of `file` (panics when there is none).
fn inputs_row(workbook: &Path, file: &str) -> Vec<String> {
    let rows = sheet(workbook, "Inputs");
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (file_col, disposition, note) = (col("File"), col("Disposition"), col("Note"));
    let account = col("Account");
    let row = rows
        .iter()
        .find(|r| r[file_col] == file)
        .unwrap_or_else(|| panic!("no Inputs row for {file}: {rows:?}"));
    vec![
        row[disposition].clone(),
        row[note].clone(),
        row[account].clone(),
    ]
}

/// Every cell of the Cover sheet, joined by lines.
fn cover_text(workbook: &Path) -> String {
    sheet(workbook, "Cover")
        .into_iter()
        .map(|r| r.join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// With `--keep-going` the run completes: exit 0, the good account audited, and stderr, the
/// Inputs sheet and the cover name `left` as left out.
fn kept_going_without(paths: &[&Path], left: &str) -> Run {
    let run = audit(paths, &["--keep-going"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.status("console-user-mfa", BOB), "FAIL");
    assert!(
        run.stderr.contains("left out (--keep-going)") && run.stderr.contains(left),
        "{}",
        run.stderr
    );
    assert_eq!(inputs_row(&run.workbook, left)[0], "left out");
    let cover = cover_text(&run.workbook);
    let section = cover
        .split("Left out or unassigned")
        .nth(1)
        .unwrap_or_default();
    assert!(
        section.contains(left),
        "cover does not name {left}: {cover}"
    );
    run
}

#[test]
fn keep_going_with_a_nonexistent_path_next_to_a_good_one() {
    let dir = good_folder();
    let nowhere = dir.path().join("nowhere");
    fails(&[dir.path(), &nowhere], &["nowhere"]);
    let shown = nowhere.display().to_string();
    let run = kept_going_without(&[dir.path(), &nowhere], &shown);
    assert!(
        inputs_row(&run.workbook, &shown)[1].contains("No such file"),
        "{:?}",
        inputs_row(&run.workbook, &shown)
    );
}

#[test]
fn keep_going_with_a_symlink_to_itself_inside_an_input_folder() {
    let dir = good_folder();
    std::os::unix::fs::symlink(dir.path().join("self"), dir.path().join("self")).unwrap();
    fails(&[dir.path()], &["self", "symbolic link loop"]);
    let run = kept_going_without(&[dir.path()], "self");
    assert!(
        inputs_row(&run.workbook, "self")[1].contains("symbolic link loop"),
        "{:?}",
        inputs_row(&run.workbook, "self")
    );
}

#[test]
fn keep_going_with_one_account_in_two_partitions() {
    let dir = good_folder();
    let report = std::fs::read_to_string(fixture("reports/plain.csv"))
        .unwrap()
        .replace("123456789012", "222222222222");
    std::fs::write(dir.path().join("other-report.csv"), report).unwrap();
    let authz = std::fs::read_to_string(fixture("authz/object_documents.json"))
        .unwrap()
        .replace("123456789012", "222222222222")
        .replace("arn:aws:", "arn:aws-us-gov:");
    std::fs::write(dir.path().join("other-authz.json"), authz).unwrap();
    fails(
        &[dir.path()],
        &[
            "other-report.csv",
            "account 222222222222 appears in partition aws here and in partition aws-us-gov in other-authz.json",
        ],
    );
    let run = kept_going_without(&[dir.path()], "other-report.csv");
    // The account keeps the export read first; the one in the other partition is left out.
    let root = run.one("root-mfa", "arn:aws-us-gov:iam::222222222222:root");
    assert_eq!(root["status"], "NOT_DETERMINABLE", "{root}");
    assert!(
        root["reason"]
            .as_str()
            .unwrap()
            .contains("other-report.csv"),
        "{root}"
    );
    assert!(
        run.results
            .iter()
            .any(|r| r["account_id"] == "222222222222"
                && r["check_id"] == "no-full-admin-policies"),
        "the authorization export of the account is still audited"
    );
}

#[test]
fn aws_as_the_account_of_an_entity_arn_is_kept_as_written() {
    let dir = good_folder();
    std::fs::copy(
        fixture("authz/aws_account_field_users.json"),
        dir.path().join("authz.json"),
    )
    .unwrap();
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let alice = run.one("mfa-enforced-by-policy", "arn:aws:iam::aws:user/alice");
    assert_eq!(alice["account_id"], "123456789012", "{alice}");
    assert!(
        !run.results
            .iter()
            .any(|r| r["check_id"] != "console-user-mfa"
                && r["check_id"] != "access-key-rotation"
                && r["check_id"] != "unused-credentials"
                && r["check_id"] != "single-active-access-key"
                && r["resource_arn"]
                    .as_str()
                    .unwrap()
                    .starts_with("arn:aws:iam::123456789012:user/alice")),
        "an authorization-export result was keyed by a rewritten ARN: {:#?}",
        run.results
    );
    // The user still matches its credential report row: no "not in the credential report".
    assert!(
        !run.results.iter().any(|r| r["reason"]
            .as_str()
            .unwrap()
            .contains("not in the credential report")),
        "{:#?}",
        run.results
    );
}

#[test]
fn credential_report_rows_differing_only_in_the_user_column_are_one_user() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("reports/plain.csv")).unwrap();
    let bob = text.lines().find(|l| l.starts_with("bob,")).unwrap();
    let renamed = |name: &str| bob.replacen("bob,", &format!("{name},"), 1);
    let report = format!(
        "{}\n{}\n{}\n",
        text.trim_end(),
        renamed("Bob"),
        renamed("bob (ops)")
    );
    std::fs::write(dir.path().join("report.csv"), report).unwrap();
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.status("console-user-mfa", BOB), "FAIL");
}

/// The virtual MFA device list and account summary of account 123456789012.
fn write_optional_evidence(dir: &Path, account: &str) {
    std::fs::write(
        dir.join("virtual-mfa.json"),
        format!(
            r#"{{"VirtualMFADevices": [{{"SerialNumber": "arn:aws:iam::{account}:mfa/root-account-mfa-device",
                "User": {{"Arn": "arn:aws:iam::{account}:root"}}}}]}}"#
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("summary.json"),
        r#"{"SummaryMap": {"Users": 3, "AccountMFAEnabled": 1}}"#,
    )
    .unwrap();
}

#[test]
fn every_optional_evidence_file_read_is_used() {
    let dir = good_folder();
    write_optional_evidence(dir.path(), "123456789012");
    std::fs::write(
        dir.path().join("certificates.json"),
        r#"{"ServerCertificateMetadataList": [{"Path": "/", "ServerCertificateName": "web",
            "ServerCertificateId": "ASCAEXAMPLE", "Arn": "arn:aws:iam::123456789012:server-certificate/web",
            "UploadDate": "2024-01-01T00:00:00Z", "Expiration": "2026-01-01T00:00:00Z"}]}"#,
    )
    .unwrap();
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // root-hardware-mfa reads the virtual MFA device list and the account summary,
    // expired-server-certificates the certificate list.
    for file in [
        "virtual-mfa.json",
        "summary.json",
        "certificates.json",
        "good.csv",
    ] {
        assert_eq!(inputs_row(&run.workbook, file)[0], "used", "{file}");
    }
    assert_eq!(
        run.status(
            "expired-server-certificates",
            "arn:aws:iam::123456789012:server-certificate/web"
        ),
        "PASS"
    );
    let cover = cover_text(&run.workbook);
    assert!(
        !cover.contains("Hardware vs virtual MFA for root cannot be told"),
        "the cover claims a limit the inputs do not have: {cover}"
    );
    assert!(
        cover.contains("4 file(s) looked at: 4 used, 0 skipped"),
        "the cover's input count: {cover}"
    );
}

#[test]
fn cover_names_how_many_accounts_lack_the_virtual_mfa_device_list() {
    let dir = good_folder();
    write_optional_evidence(dir.path(), "123456789012");
    let other = tempfile::tempdir().unwrap();
    let report = std::fs::read_to_string(fixture("reports/plain.csv"))
        .unwrap()
        .replace("123456789012", "222222222222");
    std::fs::write(other.path().join("report.csv"), report).unwrap();
    let run = audit(&[dir.path(), other.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cover = cover_text(&run.workbook);
    assert!(
        cover.contains(
            "Hardware vs virtual MFA for root cannot be told for 1 of 2 accounts: no virtual MFA device list (list-virtual-mfa-devices) was read for it."
        ),
        "{cover}"
    );
}

#[test]
fn a_json_array_is_skipped_as_a_json_array_not_an_iam_export() {
    let dir = good_folder();
    std::fs::write(
        dir.path().join("results.json"),
        br#"[{"check_id": "root-mfa", "status": "PASS"}]"#,
    )
    .unwrap();
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("skipped results.json: a JSON array, not an IAM export"),
        "{}",
        run.stderr
    );
    assert_eq!(
        inputs_row(&run.workbook, "results.json")[1],
        "a JSON array, not an IAM export"
    );
}

#[test]
fn only_optional_evidence_names_what_was_found_and_why_it_is_not_enough() {
    let dir = tempfile::tempdir().unwrap();
    write_optional_evidence(dir.path(), "123456789012");
    std::fs::copy(
        fixture("checks/exports/password-policy.json"),
        dir.path().join("password-policy.json"),
    )
    .unwrap();
    fails(
        &[dir.path()],
        &["3 optional evidence file(s) found, but no credential report or authorization export"],
    );
}

#[test]
fn a_password_policy_in_a_folder_of_two_accounts_is_unassigned_with_a_warning() {
    let dir = good_folder();
    let report = std::fs::read_to_string(fixture("reports/plain.csv"))
        .unwrap()
        .replace("123456789012", "222222222222");
    std::fs::write(dir.path().join("other.csv"), report).unwrap();
    std::fs::copy(
        fixture("checks/exports/password-policy.json"),
        dir.path().join("password-policy.json"),
    )
    .unwrap();
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "unassigned password-policy.json: names no account, and its folder holds exports of 2 accounts (123456789012, 222222222222)"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        inputs_row(&run.workbook, "password-policy.json")[0],
        "unassigned"
    );
}

/// A `list-server-certificates` file holding certificates `names` of `account`.
fn certificates(account: &str, names: &[&str], tail: &str) -> String {
    let entries: Vec<String> = names
        .iter()
        .map(|n| {
            format!(
                r#"{{"Path": "/", "ServerCertificateName": "{n}", "ServerCertificateId": "ASCA{n}",
                    "Arn": "arn:aws:iam::{account}:server-certificate/{n}",
                    "UploadDate": "2012-05-08 01:02:03.004000+00:00", "Expiration": "2030-01-01T00:00:00Z"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"ServerCertificateMetadataList": [{}]{tail}}}"#,
        entries.join(",")
    )
}

#[test]
fn server_certificate_pages_and_an_empty_list_join_their_accounts() {
    let dir = good_folder();
    std::fs::write(
        dir.path().join("certs-1.json"),
        certificates(
            "123456789012",
            &["web"],
            r#", "IsTruncated": true, "Marker": "m""#,
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("certs-2.json"),
        certificates("123456789012", &["api"], ""),
    )
    .unwrap();
    let other = tempfile::tempdir().unwrap();
    let report = std::fs::read_to_string(fixture("reports/plain.csv"))
        .unwrap()
        .replace("123456789012", "222222222222");
    std::fs::write(other.path().join("report.csv"), report).unwrap();
    std::fs::write(other.path().join("certs.json"), certificates("", &[], "")).unwrap();
    let run = audit(&[dir.path(), other.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (file, account) in [
        ("certs-1.json", "123456789012"),
        ("certs-2.json", "123456789012"),
        ("certs.json", "222222222222"),
    ] {
        let row = inputs_row(&run.workbook, file);
        assert_eq!(row[0], "used", "{file}: {row:?}");
        assert_eq!(row[2], account, "{file}: {row:?}");
    }
    let rows: Vec<(String, String)> = run
        .verdicts()
        .into_iter()
        .filter(|v| v.0 == "expired-server-certificates")
        .map(|v| (v.1, v.3))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "arn:aws:iam::123456789012:server-certificate/api".to_string(),
                "PASS".to_string()
            ),
            (
                "arn:aws:iam::123456789012:server-certificate/web".to_string(),
                "PASS".to_string()
            ),
        ],
        "the pages merge into one complete list; the empty list of 222222222222 adds no row"
    );
}

#[test]
fn a_malformed_server_certificate_list_is_an_export_error() {
    let dir = good_folder();
    let bad = certificates("123456789012", &["web"], "").replace("2030-01-01T00:00:00Z", "soon");
    std::fs::write(dir.path().join("certs.json"), bad).unwrap();
    fails(
        &[dir.path()],
        &[
            "certs.json: /ServerCertificateMetadataList/0/Expiration",
            "expected an ISO 8601 timestamp, found 'soon'",
        ],
    );
    kept_going_without(&[dir.path()], "certs.json");
}

#[test]
fn a_certificate_list_without_its_last_page_gives_its_rows_and_a_manual_row() {
    let dir = good_folder();
    // The SDKs' timestamp form, as some scripts write it.
    let page = certificates(
        "123456789012",
        &["web"],
        r#", "IsTruncated": true, "Marker": "m""#,
    )
    .replace("2030-01-01T00:00:00Z", "2012-05-08 01:02:03.004000+00:00");
    std::fs::write(dir.path().join("certs-1.json"), page).unwrap();
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let web = run.one(
        "expired-server-certificates",
        "arn:aws:iam::123456789012:server-certificate/web",
    );
    assert_eq!(web["status"], "FAIL");
    assert!(
        web["reason"]
            .as_str()
            .unwrap_or_default()
            .starts_with("certificate web expired 2012-05-08, "),
        "{web}"
    );
    let manual = run.one(
        "expired-server-certificates",
        "arn:aws:iam::123456789012:root",
    );
    assert_eq!(manual["status"], "MANUAL");
    assert!(
        manual["reason"]
            .as_str()
            .unwrap_or_default()
            .starts_with("the last page of list-server-certificates is missing"),
        "{manual}"
    );
}
