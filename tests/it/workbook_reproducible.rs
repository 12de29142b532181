//! Same inputs and options give the same workbook, byte for byte.

use crate::workbook_support::*;
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn two_runs_write_identical_bytes() {
    let dir = scratch("workbook-reproducible");
    let (xlsx, jsonl) = audit(&fixtures().join("acme"), &dir);
    let first = std::fs::read(&xlsx).unwrap();
    let first_results = std::fs::read(&jsonl).unwrap();
    // Same command line, same output path: the second run replaces the first.
    let (xlsx, jsonl) = audit(&fixtures().join("acme"), &dir);
    let second = std::fs::read(&xlsx).unwrap();
    assert_eq!(first_results, std::fs::read(&jsonl).unwrap());
    assert!(first == second, "workbooks differ between runs");
    // Nothing time-dependent leaks into the properties: the created date is the latest as-of
    // (tests/it/engagement.rs).
}

/// Runs `audit` on the Q2 sample (against the Q1 results, with exceptions and a framework, so
/// every sheet has rows) in `dir`, with `--threads threads`: (workbook, results).
fn sample_quarter(dir: &Path, baseline: &Path, threads: usize) -> (PathBuf, PathBuf) {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let out = Command::new(env!("CARGO_BIN_EXE_iam-evidence"))
        .current_dir(dir)
        .arg("audit")
        .arg(samples.join("2025-Q2"))
        .args(["-o", "q2.xlsx", "--results", "q2.jsonl", "-q"])
        .arg("--exceptions")
        .arg(samples.join("exceptions.csv"))
        .arg("--baseline")
        .arg(baseline)
        .args(["--framework", "pci-dss-4.0.1", "--as-of", "2025-06-30"])
        .args(["--threads", &threads.to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir.join("q2.xlsx"), dir.join("q2.jsonl"))
}

/// Every part of a workbook, by name, with the cover's command line made thread-blind.
fn parts_without_threads(xlsx: &Path, threads: usize) -> Vec<(String, String)> {
    part_names(xlsx)
        .into_iter()
        .map(|name| {
            let text = part(xlsx, &name).replace(&format!("--threads {threads}"), "--threads N");
            (name, text)
        })
        .collect()
}

#[test]
fn the_workbook_and_results_are_the_same_whatever_the_threads() {
    let root = scratch("workbook-threads");
    let q1 = root.join("q1");
    std::fs::create_dir_all(&q1).unwrap();
    let (_, baseline) = audit(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q1"),
        &q1,
    );
    let runs: Vec<(usize, PathBuf, PathBuf)> = [1, 2, 3, 8]
        .into_iter()
        .map(|threads| {
            let dir = root.join(format!("t{threads}"));
            std::fs::create_dir_all(&dir).unwrap();
            let (xlsx, jsonl) = sample_quarter(&dir, &baseline, threads);
            (threads, xlsx, jsonl)
        })
        .collect();
    let (one, xlsx, jsonl) = &runs[0];
    let parts = parts_without_threads(xlsx, *one);
    assert!(
        parts
            .iter()
            .any(|(n, t)| n == "xl/sharedStrings.xml" && t.contains("--threads N"))
    );
    for (threads, other_xlsx, other_jsonl) in &runs[1..] {
        assert!(
            std::fs::read(jsonl).unwrap() == std::fs::read(other_jsonl).unwrap(),
            "results differ at {threads} threads"
        );
        let other = parts_without_threads(other_xlsx, *threads);
        assert_eq!(parts.len(), other.len());
        for ((name, text), (other_name, other_text)) in parts.iter().zip(&other) {
            assert_eq!(name, other_name);
            assert!(text == other_text, "{name} differs at {threads} threads");
        }
    }
}
