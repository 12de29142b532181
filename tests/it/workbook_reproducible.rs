//! Same inputs and options give the same workbook, byte for byte.

use crate::workbook_support::*;

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
