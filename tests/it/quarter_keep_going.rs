//! Issue "no silent mistakes in a quarter's run", `--keep-going`: stderr names every file left
//! out (the first twenty, then a count), the Inputs sheet lists each with the reason, and the
//! reason says why every file of an export went when one file failed or the files conflict.

use crate::common::{audit, sheet};
use std::path::Path;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2")
}

/// The Inputs sheet's (disposition, note, account) for `file`.
fn inputs_row(workbook: &Path, file: &str) -> (String, String, String) {
    let rows = sheet(workbook, "Inputs");
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let row = rows
        .iter()
        .find(|r| r[col("File")] == file)
        .unwrap_or_else(|| panic!("no Inputs row for {file}: {rows:?}"));
    (
        row[col("Disposition")].clone(),
        row[col("Note")].clone(),
        row[col("Account")].clone(),
    )
}

/// Three credential reports of account 111111111111: two identical, one with another password
/// date. None can be chosen, so all three go, and the reason says so.
fn three_reports(dir: &Path) {
    let report =
        std::fs::read_to_string(samples().join("acme-prod/111111111111/credential-report.csv"))
            .unwrap();
    for folder in ["a", "b", "c"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
    }
    std::fs::write(dir.join("a/report.csv"), &report).unwrap();
    std::fs::write(dir.join("b/report.csv"), &report).unwrap();
    let changed = report.replacen("2025-", "2024-", 1);
    assert_ne!(changed, report);
    std::fs::write(dir.join("c/report.csv"), changed).unwrap();
}

#[test]
fn keep_going_names_every_conflicting_file_and_says_why_all_went() {
    let inputs = tempfile::tempdir().unwrap();
    three_reports(inputs.path());
    let run = audit(&[inputs.path()], &["--keep-going"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let why = "both are the credential report of account 111111111111, with different content; \
               the 3 files hold 2 different versions and none can be chosen over another, so \
               none is used: keep one in the inputs";
    assert!(run.stderr.contains(why), "{}", run.stderr);
    for file in ["a/report.csv", "b/report.csv", "c/report.csv"] {
        let line = format!(
            "warning: left out (--keep-going): {file} (credential report (CSV), account 111111111111)\n"
        );
        assert!(run.stderr.contains(&line), "no '{line}' in {}", run.stderr);
        let (disposition, note, account) = inputs_row(&run.workbook, file);
        assert_eq!(disposition, "left out");
        assert!(note.contains(why), "{note}");
        assert_eq!(account, "111111111111");
    }
}

#[test]
fn keep_going_says_the_other_pages_of_an_unreadable_export_go_with_it() {
    let inputs = tempfile::tempdir().unwrap();
    let from = samples().join("acme-shared-services/iam-exports-2025Q2");
    for page in ["page-001.json", "page-002.json"] {
        std::fs::copy(
            from.join("authorization-details").join(page),
            inputs.path().join(page),
        )
        .unwrap();
    }
    std::fs::copy(
        from.join("credential-report.json"),
        inputs.path().join("credential-report.json"),
    )
    .unwrap();
    let page = inputs.path().join("page-002.json");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, &text[..text.len() / 2]).unwrap();
    let run = audit(&[inputs.path()], &["--keep-going"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in ["page-001.json", "page-002.json"] {
        let line = format!(
            "warning: left out (--keep-going): {file} (authorization details, account 222222222222)\n"
        );
        assert!(run.stderr.contains(&line), "no '{line}' in {}", run.stderr);
    }
    let (disposition, note, _) = inputs_row(&run.workbook, "page-001.json");
    assert_eq!(disposition, "left out");
    assert!(note.starts_with("page-002.json: "), "{note}");
    assert!(
        note.ends_with(
            "; the other 1 file(s) of this account's authorization details export are left out \
             with it: an export is used whole or not at all"
        ),
        "{note}"
    );
}

#[test]
fn keep_going_on_the_corpus_names_twenty_left_out_files_then_counts_the_rest() {
    let Some(root) = crate::common::corpus() else {
        return;
    };
    let run = audit(&[&root], &["--keep-going"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = sheet(&run.workbook, "Inputs");
    let col = rows[0].iter().position(|h| h == "Disposition").unwrap();
    let left_out = rows.iter().filter(|r| r[col] == "left out").count();
    assert!(left_out > 20, "only {left_out} left out");
    let named = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: left out (--keep-going): ") && l.ends_with(')'))
        .count();
    assert_eq!(named, 20, "{}", run.stderr);
    let more = format!(
        "warning: ... and {} more file(s) left out; the Inputs sheet lists every one with the reason\n",
        left_out - 20
    );
    assert!(run.stderr.contains(&more), "no '{more}' in {}", run.stderr);
    // One account's eleven complete authorization exports all differ: all go, and say why.
    assert!(
        run.stderr.contains(
            "two complete authorization exports of account 123456789012, with different content; \
             the 11 files hold 11 different versions and none can be chosen over another"
        ),
        "{}",
        run.stderr
    );
}
