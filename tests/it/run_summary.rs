//! The last line on stderr: accounts, results, findings and open items counted apart, and how
//! many files were left out under `--keep-going` when there were any.

use crate::common::{audit, fixture};
use crate::findings_sheet::quarter;

/// The last stderr line of a run.
fn last_line(stderr: &str) -> &str {
    stderr.lines().last().unwrap_or_default()
}

/// (findings, open items) among a run's results.
fn counts(results: &[serde_json::Value]) -> (usize, usize) {
    let n = |statuses: [&str; 2]| {
        results
            .iter()
            .filter(|r| statuses.iter().any(|s| r["status"] == *s))
            .count()
    };
    (n(["FAIL", "PARTIAL"]), n(["MANUAL", "NOT_DETERMINABLE"]))
}

#[test]
fn the_summary_line_counts_findings_and_open_items_apart() {
    let run = audit(&[&quarter("2025-Q2")], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (findings, open) = counts(&run.results);
    assert!(findings > 0 && open > 0);
    let line = last_line(&run.stderr);
    let want = format!(
        "audited 3 account(s): {} result(s), {findings} finding(s), {open} open item(s); wrote {}",
        run.results.len(),
        run.workbook.display()
    );
    assert!(line.starts_with(&want), "{line}");
    assert!(line.ends_with(" s"), "{line}");
    assert!(!line.contains("left out"), "{line}");
}

#[test]
fn the_summary_line_counts_the_files_left_out_under_keep_going() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("reports/plain.csv"), dir.path().join("good.csv")).unwrap();
    let broken = std::fs::read_to_string(fixture("reports/plain.csv"))
        .unwrap()
        .replace("123456789012", "222222222222")
        .replace("2021-01-01T00:00:00+00:00,true", "yesterday,true");
    std::fs::write(dir.path().join("broken.csv"), broken).unwrap();
    let run = audit(&[dir.path()], &["--keep-going"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (findings, open) = counts(&run.results);
    let line = last_line(&run.stderr);
    let want = format!(
        "audited 2 account(s): {} result(s), {findings} finding(s), {open} open item(s); \
         1 file(s) left out (see the Inputs sheet); wrote ",
        run.results.len()
    );
    assert!(line.starts_with(&want), "{line}");
}
