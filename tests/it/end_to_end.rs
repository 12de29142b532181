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

#[test]
fn cover_names_hardware_vs_virtual_mfa_only_for_the_account_without_a_device_list() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2");
    let run = audit(&[&samples], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cover: Vec<String> = sheet(&run.workbook, "Cover")
        .into_iter()
        .flatten()
        .collect();
    let limits: Vec<&String> = cover
        .iter()
        .filter(|c| c.starts_with("Hardware vs virtual MFA"))
        .collect();
    assert_eq!(
        limits,
        [
            "Hardware vs virtual MFA for root cannot be told for 1 of 3 accounts: no virtual MFA \
          device list (list-virtual-mfa-devices) was read for it."
        ]
    );
    assert!(
        cover
            .iter()
            .any(|c| c == "90 days: root used fewer days than this before the as-of fails"),
        "{cover:?}"
    );
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(meta["options"]["root_usage_days"], 90);
    assert_eq!(meta["options"]["max_export_age_days"], 7);
    assert!(
        cover
            .iter()
            .any(|c| c.starts_with("7 days: with --as-of")
                && c.ends_with("no effect without --as-of")),
        "{cover:?}"
    );
}

#[test]
fn a_report_generated_longer_before_the_as_of_than_max_export_age_days_is_a_difference() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2");
    let completeness = |extra: &[&str]| -> Vec<(String, String, String)> {
        let mut args = vec!["--as-of", "2025-07-15"];
        args.extend_from_slice(extra);
        let run = audit(&[&samples], &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.results
            .iter()
            .filter(|r| r["check_id"] == "export-completeness")
            .map(|r| {
                (
                    r["account_id"].as_str().unwrap().to_string(),
                    r["status"].as_str().unwrap().to_string(),
                    r["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // B's report was generated 2025-06-30T12:00:00Z, 15 whole days before the end of 2025-07-15.
    let strict = completeness(&[]);
    assert_eq!(strict[1].1, "FAIL", "{strict:?}");
    assert!(
        strict[1].2.contains(
            "credential report generated 2025-06-30T12:00:00Z, 15 days before as-of 2025-07-15; \
             more than --max-export-age-days 7"
        ),
        "{strict:?}"
    );
    // C is a plain CSV: an old latest timestamp is no difference.
    assert_eq!(strict[2].1, "PASS", "{strict:?}");
    let lenient = completeness(&["--max-export-age-days", "15"]);
    assert_eq!(lenient[1].1, "PASS", "{lenient:?}");
    assert!(
        lenient[1].2.starts_with("4 comparisons agree"),
        "{lenient:?}"
    );
}

#[test]
fn cover_drops_the_hardware_vs_virtual_limit_when_every_account_has_a_device_list() {
    let samples =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2/acme-prod/111111111111");
    let run = audit(&[&samples], &["--root-usage-days", "30"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cover: Vec<String> = sheet(&run.workbook, "Cover")
        .into_iter()
        .flatten()
        .collect();
    assert!(
        !cover
            .iter()
            .any(|c| c.starts_with("Hardware vs virtual MFA"))
    );
    assert!(
        cover
            .iter()
            .any(|c| c == "30 days: root used fewer days than this before the as-of fails")
    );
}

/// The rows of samples/README.md's "Privileged access sheet" table: (account ID, type, ARN
/// suffix, privileges).
fn privileged_expectations() -> Vec<(String, String, String, String)> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/README.md")).unwrap();
    let section = readme
        .split("\n## Privileged access sheet\n")
        .nth(1)
        .expect("a Privileged access sheet section");
    let section = section.split("\n## ").next().unwrap_or_default();
    let accounts = [
        ("A", "111111111111"),
        ("B", "222222222222"),
        ("C", "333333333333"),
    ];
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let account = accounts.iter().find(|(k, _)| cells.get(1) == Some(k))?.1;
            Some((
                account.to_string(),
                cells[2].to_string(),
                cells[3].to_string(),
                cells[4].to_string(),
            ))
        })
        .collect()
}

#[test]
fn privileged_access_sheet_matches_the_readme() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2");
    let run = audit(&[&samples], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = sheet(&run.workbook, "Privileged access");
    let header = &rows[0];
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let expected = privileged_expectations();
    assert_eq!(expected.len(), 7, "{expected:?}");
    assert_eq!(rows.len() - 1, expected.len(), "{rows:#?}");
    for (row, (account, kind, arn, privileges)) in rows[1..].iter().zip(&expected) {
        assert_eq!(&row[col("Account")], account);
        assert_eq!(&row[col("Type")], kind);
        assert!(
            row[col("ARN")].ends_with(&format!(":{arn}")),
            "{} is not {arn}",
            row[col("ARN")]
        );
        assert_eq!(&row[col("Privileges")], privileges);
    }
    let dave = &rows[4];
    assert_eq!(
        dave[col("Permissions boundary")],
        "arn:aws:iam::111111111111:policy/ci-boundary: does not allow * on *, caps"
    );
    let ops = &rows[7];
    assert_eq!(
        ops[col("Who may assume (trusted principals)")],
        "AWS: arn:aws:iam::111111111111:root"
    );
    assert_eq!(ops[col("MFA required to assume")], "false");
    assert_eq!(ops[col("Role last used (UTC)")], "no recorded use");
}

/// The Cover sheet's cells, as text.
fn cover_cells(run: &crate::common::Run) -> Vec<String> {
    crate::common::sheet(&run.workbook, "Cover")
        .into_iter()
        .flatten()
        .collect()
}

#[test]
fn a_plain_csv_report_warns_that_the_as_of_is_estimated_and_the_cover_marks_it() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2");
    let run = audit(&[&samples], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A and C have plain CSV reports; B's JSON wrapper has a GeneratedTime.
    let warning = "account 111111111111: as-of 2025-06-30T10:00:00Z is estimated from the \
                   credential report's latest timestamp (the report has no GeneratedTime); give --as-of";
    assert!(
        run.stderr.contains(&format!("warning: {warning}")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("account 333333333333: as-of"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("account 222222222222: as-of"),
        "{}",
        run.stderr
    );
    let cover = cover_cells(&run);
    assert!(cover.iter().any(|c| c == "As-of warnings"), "{cover:?}");
    assert!(cover.iter().any(|c| c == warning), "{cover:?}");
    assert!(
        cover
            .iter()
            .any(|c| c == "latest timestamp in the credential report (estimated: give --as-of)"),
        "{cover:?}"
    );
}

#[test]
fn an_as_of_before_the_reports_were_generated_warns_on_stderr_and_the_cover() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2");
    let run = audit(&[&samples], &["--as-of", "2025-01-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warning = "account 222222222222: --as-of (ends 2025-01-02T00:00:00Z) is before its \
                   credential report was generated (2025-06-30T12:00:00Z): every credential used \
                   after the as-of reads as age 0";
    assert!(run.stderr.contains(warning), "{}", run.stderr);
    assert!(cover_cells(&run).iter().any(|c| c == warning));
    // An as-of after the reports says nothing of the kind.
    let later = audit(&[&samples], &["--as-of", "2025-07-01"]);
    assert_eq!(later.code, 0, "{}", later.stderr);
    assert!(
        !later.stderr.contains("before its credential report"),
        "{}",
        later.stderr
    );
    assert!(!cover_cells(&later).iter().any(|c| c == "As-of warnings"));
}
