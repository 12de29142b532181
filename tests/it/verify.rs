//! `iam-evidence verify`: a reviewer re-performs a workpaper from its inputs.

use crate::common::{fixture, raw};
use std::path::Path;

fn audit_into(dir: &Path, extra: &[&str]) -> std::path::PathBuf {
    let inputs = dir.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::copy(
        fixture("reports/plain.csv"),
        inputs.join("credential-report.csv"),
    )
    .unwrap();
    std::fs::copy(
        fixture("authz/object_documents.json"),
        inputs.join("authz.json"),
    )
    .unwrap();
    let out = dir.join("audit.xlsx");
    let mut args = vec![
        "audit",
        inputs.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let (code, _, stderr) = raw(&args);
    assert_eq!(code, 0, "{stderr}");
    out
}

/// Runs `verify WORKBOOK DIR/in`: exit code and stderr.
fn verify(workbook: &Path, dir: &Path) -> (i32, String) {
    let (code, _, stderr) = raw(&[
        "verify",
        workbook.to_str().unwrap(),
        dir.join("in").to_str().unwrap(),
    ]);
    (code, stderr)
}

#[test]
fn a_workbook_verifies_against_its_own_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let wb = audit_into(dir.path(), &[]);
    let (code, stderr) = verify(&wb, dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("matches its inputs"), "{stderr}");
}

#[test]
fn the_recorded_options_are_used_to_re_perform() {
    let dir = tempfile::tempdir().unwrap();
    // With a 1-day key age limit bob's key fails; re-performed with the default 90 it would not.
    let wb = audit_into(
        dir.path(),
        &["--max-key-age-days", "1", "--as-of", "2024-06-06"],
    );
    let (code, stderr) = verify(&wb, dir.path());
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn one_changed_input_byte_is_a_mismatch_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let wb = audit_into(dir.path(), &[]);
    let report = dir.path().join("in/credential-report.csv");
    let text = std::fs::read_to_string(&report).unwrap().replacen(
        ",false,true,2024",
        ",true,true,2024",
        1,
    );
    std::fs::write(&report, text).unwrap();
    let (code, stderr) = verify(&wb, dir.path());
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("input credential-report.csv changed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("console-user-mfa arn:aws:iam::123456789012:user/ops/bob"),
        "{stderr}"
    );
    assert!(stderr.contains("Status: 'FAIL' now 'PASS'"), "{stderr}");
}

#[test]
fn an_extra_input_is_a_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let wb = audit_into(dir.path(), &[]);
    std::fs::write(dir.path().join("in/notes.txt"), "not an export").unwrap();
    let (code, stderr) = verify(&wb, dir.path());
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("input notes.txt is not in the workbook's inputs"),
        "{stderr}"
    );
}

#[test]
fn unreadable_inputs_exit_1_and_bad_usage_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let wb = audit_into(dir.path(), &[]);
    let (code, _, stderr) = raw(&["verify", wb.to_str().unwrap(), "/no/such/inputs"]);
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) = raw(&[
        "verify",
        fixture("reports/plain.csv").to_str().unwrap(),
        "/tmp",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("not a readable workbook"), "{stderr}");
    let (code, _, _) = raw(&["verify", wb.to_str().unwrap()]);
    assert_eq!(code, 2);
}

/// A workbook with a Cover sheet whose `RunOptions` name refers to `reference`.
fn workbook_with_run_options_at(path: &Path, reference: &str) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("Cover")
        .unwrap()
        .write_string(0, 0, "{}")
        .unwrap();
    wb.define_name("RunOptions", reference).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn a_run_options_column_past_u32_is_an_unreadable_workbook_exit_1_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    let wb = dir.path().join("crafted.xlsx");
    // Eight letters: 26^8 columns overflow a u32.
    workbook_with_run_options_at(&wb, "=Cover!$ZZZZZZZZ$1");
    let (code, stderr) = verify(&wb, dir.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("RunOptions refers to") && stderr.contains("expected Sheet!$C$R"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_run_options_row_past_u32_is_an_unreadable_workbook_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    let wb = dir.path().join("crafted.xlsx");
    workbook_with_run_options_at(&wb, "=Cover!$B$99999999999");
    let (code, stderr) = verify(&wb, dir.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("RunOptions refers to"), "{stderr}");
}
