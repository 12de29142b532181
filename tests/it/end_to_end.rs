//! End to end on `samples/2025-Q2/`: the built binary's results match the expectations written
//! in samples/README.md, and the workbook read back with calamine holds the same results.

use crate::common::{audit, sheet, sheet_names};
use std::path::Path;

/// One expected row of samples/README.md: (account, check, item, credential, status).
type Expected = (String, String, String, String, String);

fn expectations() -> Vec<Expected> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/README.md")).unwrap();
    let mut account = String::new();
    let mut out = Vec::new();
    for line in readme.lines() {
        if let Some(rest) = line.strip_prefix("## ") {
            account = match rest.strip_prefix("Account ") {
                Some(r) => r.split('`').nth(1).unwrap_or_default().to_string(),
                None => String::new(),
            };
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 6 || !cells[1].starts_with('`') || account.is_empty() {
            continue;
        }
        let status = cells[4].replace('`', "");
        if !["PASS", "FAIL", "PARTIAL", "MANUAL", "NOT_DETERMINABLE"].contains(&status.as_str()) {
            continue;
        }
        let check = cells[1].trim_matches('`').to_string();
        out.push((
            account.clone(),
            check,
            cells[2].replace('`', ""),
            cells[3].replace('`', ""),
            status,
        ));
    }
    out
}

/// True when a result's resource is the README's item.
fn is_item(resource: &str, item: &str) -> bool {
    match item {
        "root" | "account" => resource.ends_with(":root"),
        _ if item.contains('/') => {
            resource.ends_with(&format!(":{item}")) || resource.ends_with(&format!("/{item}"))
        }
        _ => resource.ends_with(&format!("/{item}")),
    }
}

#[test]
fn samples_match_their_readme_for_every_registered_check() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2");
    let run = audit(&[&samples], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("skipped acme-prod/README-from-client.txt: not a recognized IAM export")
    );
    let registered: Vec<&str> = iam_evidence::checks::REGISTRY
        .iter()
        .map(|c| c.meta.id)
        .collect();
    let expected: Vec<Expected> = expectations()
        .into_iter()
        .filter(|e| registered.contains(&e.1.as_str()))
        .collect();
    assert!(
        expected.len() >= 10,
        "README parsing found too few rows: {expected:?}"
    );
    for (account, check, item, credential, status) in &expected {
        let found: Vec<&serde_json::Value> = run
            .results
            .iter()
            .filter(|r| {
                r["account_id"] == account.as_str()
                    && r["check_id"] == check.as_str()
                    && is_item(r["resource_arn"].as_str().unwrap_or_default(), item)
                    && r["credential"].as_str().unwrap_or_default() == credential
            })
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{account} {check} {item} {credential}: {found:#?}"
        );
        assert_eq!(
            found[0]["status"],
            status.as_str(),
            "{account} {check} {item} {credential}: {}",
            found[0]
        );
    }
    assert_eq!(
        run.results.len(),
        expected.len(),
        "results beyond the README's expectations"
    );
}

#[test]
fn workbook_holds_the_same_results_with_their_sources() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2");
    let run = audit(&[&samples], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names = sheet_names(&run.workbook);
    for expected in ["Cover", "Summary", "Results", "Inputs", "Checks"] {
        assert!(
            names.iter().any(|n| n == expected),
            "no {expected} sheet in {names:?}"
        );
    }
    assert_eq!(names[0], "Cover");
    let results = sheet(&run.workbook, "Results");
    let header = &results[0];
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    assert_eq!(
        results.len() - 1,
        run.results.len(),
        "Results rows differ from the JSONL lines"
    );
    let bob = results
        .iter()
        .find(|r| {
            r[col("Check ID")] == "console-user-mfa" && r[col("Resource")].ends_with("user/bob")
        })
        .expect("bob's row");
    assert_eq!(bob[col("Status")], "FAIL");
    assert_eq!(bob[col("Account")], "111111111111");
    assert_eq!(
        bob[col("Source file")],
        "acme-prod/111111111111/credential-report.csv"
    );
    assert_eq!(bob[col("Source location")], "line 4");
    let jsonl_bob = run.one("console-user-mfa", "arn:aws:iam::111111111111:user/bob");
    assert_eq!(
        bob[col("Source SHA-256")],
        jsonl_bob["source"]["sha256"].as_str().unwrap()
    );
    let inputs = sheet(&run.workbook, "Inputs");
    let skipped = inputs
        .iter()
        .find(|r| r[0] == "acme-prod/README-from-client.txt")
        .expect("README listed");
    assert!(skipped.iter().any(|c| c == "skipped"), "{skipped:?}");
    let cover = sheet(&run.workbook, "Cover");
    let flat: Vec<&String> = cover.iter().flatten().collect();
    assert!(
        flat.iter().any(|c| c.contains("2025-06-30T12:00:00Z")),
        "account B's as-of missing from the cover"
    );
    assert!(
        flat.iter().any(|c| c.as_str() == "aws-us-gov"),
        "partition missing from the cover"
    );
}
