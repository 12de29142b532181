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
    // Nothing time-dependent leaks into the properties.
    let core = part(&xlsx, "docProps/core.xml");
    assert!(core.contains("2000-01-01T00:00:00Z"), "{core}");
}
