//! The public corpus in ../shared/corpus: every export in it is read, and what is not an
//! export is skipped with a clear message. Skipped with a printed reason when absent.

use crate::common::{audit, corpus};
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Files SPEC says must be refused: their ARNs name two real accounts.
const TWO_ACCOUNT_FILES: [&str; 1] = ["salesforce__cloudsplaining__example.json"];

#[test]
fn every_credential_report_and_authorization_export_is_read() {
    let Some(root) = corpus() else { return };
    let mut read = 0;
    for dir in [
        "credential-reports",
        "credential-reports/extracted",
        "authorization-details",
    ] {
        for f in files(&root.join(dir)) {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let run = audit(&[&f], &[]);
            if TWO_ACCOUNT_FILES.contains(&name.as_str()) {
                assert_eq!(run.code, 1, "{name}: {}", run.stderr);
                assert!(
                    run.stderr.contains("one file must hold one account"),
                    "{name}: {}",
                    run.stderr
                );
                continue;
            }
            let export = run.code == 0;
            if export {
                read += 1;
                assert!(!run.results.is_empty(), "{name}");
                for r in &run.results {
                    if let Some(src) = r["source"].as_object() {
                        assert_eq!(src["file"], name.as_str());
                    }
                }
            } else {
                // Not an export: skipped with the reason, and no export found at all.
                assert_eq!(run.code, 1, "{name}: {}", run.stderr);
                assert!(
                    run.stderr.contains("not a recognized IAM export"),
                    "{name}: {}",
                    run.stderr
                );
                assert!(
                    name.contains("placebo") || name.contains("NONSTANDARD"),
                    "{name} was not read: {}",
                    run.stderr
                );
            }
            assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        }
    }
    assert!(read >= 25, "only {read} corpus exports read");
}

#[test]
fn the_whole_corpus_in_one_run_skips_non_exports_and_names_conflicts() {
    let Some(root) = corpus() else { return };
    let strict = audit(&[&root], &[]);
    assert_eq!(strict.code, 1);
    assert!(
        strict.stderr.contains("one file must hold one account"),
        "{}",
        strict.stderr
    );
    assert!(!strict.workbook.exists());
    let run = audit(&[&root], &["--keep-going"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for skipped in [
        "skipped credential-reports/cloud-custodian__cloud-custodian__placebo-error-ReportNotPresent.json: not a recognized IAM export",
        "skipped authorization-details/bridgecrewio__AirIAM__iam_data.NONSTANDARD.json: not a recognized IAM export",
        "skipped README.md: not a recognized IAM export",
    ] {
        assert!(
            run.stderr.contains(skipped),
            "missing '{skipped}' in {}",
            run.stderr
        );
    }
    assert!(
        run.results
            .iter()
            .any(|r| r["account_id"] == "644160558196")
    );
    assert!(!run.stderr.contains("panicked"));
}
