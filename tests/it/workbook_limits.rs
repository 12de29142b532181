//! Excel's limits, exercised with small injected ones: sheets continue on "NAME 2", "NAME 3",
//! ... with every row kept in order, and sheets above the table limit get an autofilter with a
//! styled, frozen header instead of a table.

use crate::workbook_support::*;
use iam_evidence::checks::{Status, Thresholds};
use iam_evidence::output::evidence_rows::{AccountEvidence, Cell, USER_HEADERS};
use iam_evidence::output::meta::{AccountRecord, CheckCounts, RunOptions, RunRecord};
use iam_evidence::output::workbook::{Limits, WorkbookWriter, parse_line};
use iam_evidence::primitives::asof::AsOfRule;
use std::collections::BTreeMap;
use std::io::Write;

const RESULTS: usize = 10;
const USERS: usize = 7;

fn result_line(i: usize) -> serde_json::Value {
    let status = if i.is_multiple_of(2) { "FAIL" } else { "PASS" };
    let severity = ["low", "high", "critical", "medium"][i % 4];
    serde_json::json!({
        "check_id": "console-user-mfa", "account_id": "000011112222",
        "resource_arn": format!("arn:aws:iam::000011112222:user/u{i:02}"), "credential": null,
        "status": status, "severity": severity, "reason": format!("reason {i}"),
        "source": {"file": "r.csv", "sha256": "ab".repeat(32), "location": format!("line {}", i + 2)},
        "evidence": ""
    })
}

fn build(dir: &std::path::Path, limits: Limits) -> std::path::PathBuf {
    let jsonl = dir.join("results.jsonl");
    let mut f = std::fs::File::create(&jsonl).unwrap();
    for i in 0..RESULTS {
        writeln!(f, "{}", result_line(i)).unwrap();
    }
    let mut counts = CheckCounts::default();
    for status in [Status::Pass, Status::Fail] {
        for _ in 0..5 {
            counts.add("console-user-mfa", status);
        }
    }
    let record = RunRecord {
        tool: "iam-evidence",
        version: "test",
        command_line: "iam-evidence audit in -o out.xlsx".into(),
        options: RunOptions {
            as_of: None,
            thresholds: Thresholds::default(),
            keep_going: false,
            org_accounts: None,
            exceptions: None,
            baseline: None,
            frameworks: Vec::new(),
            engagement: Default::default(),
            parts: Vec::new(),
        },
        input_digest: "0".repeat(64),
        accounts: vec![AccountRecord {
            account_id: "000011112222".into(),
            name: None,
            partition: "aws".into(),
            as_of: Some("2024-06-01T00:00:00Z".into()),
            as_of_rule: AsOfRule::LatestTimestamp,
            left_out: vec![],
            left_out_files: BTreeMap::new(),
            users: USERS,
            roles: 0,
            policies: 0,
            counts,
            excepted: BTreeMap::new(),
            as_of_day: None,
            report_time: None,
            population: Default::default(),
        }],
        inputs: vec![],
        results: RESULTS as u64,
        exceptions: vec![],
        changes: None,
        org: None,
    };
    let mut book = WorkbookWriter::with_limits(limits).unwrap();
    for line in std::fs::read_to_string(&jsonl).unwrap().lines() {
        book.result((&parse_line(line).unwrap()).into(), "")
            .unwrap();
    }
    let users = (0..USERS)
        .map(|i| {
            let mut row = vec![Cell::Empty; USER_HEADERS.len()];
            row[0] = Cell::Text("000011112222".into());
            row[1] = Cell::Text(format!("u{i:02}"));
            row[3] = Cell::DateTime(1_700_000_000 + i as i64);
            row[7] = Cell::Bool(i % 2 == 0);
            row
        })
        .collect();
    book.evidence(&AccountEvidence {
        users,
        ..AccountEvidence::default()
    })
    .unwrap();
    let xlsx = dir.join("limits.xlsx");
    book.finish(&xlsx, &record, &jsonl).unwrap();
    xlsx
}

#[test]
fn sheets_continue_past_the_row_limit_and_switch_to_autofilter() {
    let dir = scratch("workbook-limits");
    let xlsx = build(
        &dir,
        Limits {
            max_rows: 4,
            table_rows: 2,
        },
    );
    let names = sheet_names(&xlsx);
    // The summary has a row per check for all accounts and for the one account.
    let summary_pages = (2 * iam_evidence::checks::REGISTRY.len()).div_ceil(3);
    assert_eq!(
        names.iter().filter(|n| n.starts_with("Summary")).count(),
        summary_pages
    );
    // The catalogue has a row per check.
    let check_pages = iam_evidence::checks::REGISTRY.len().div_ceil(3);
    assert_eq!(
        names.iter().filter(|n| n.starts_with("Checks")).count(),
        check_pages
    );
    let names: Vec<&String> = names
        .iter()
        .filter(|n| !n.starts_with("Summary") && !n.starts_with("Checks"))
        .collect();
    assert_eq!(
        names,
        [
            "Cover",
            "Population",
            "Findings",
            "Findings 2",
            "Open items",
            "Results",
            "Results 2",
            "Results 3",
            "Results 4",
            "Users",
            "Users 2",
            "Users 3",
            "Roles",
            "Privileged access",
            "MFA policies",
            "Inputs",
        ]
    );

    // Every result, in order, 3 data rows a page (4 rows with the header).
    let mut all = Vec::new();
    for name in ["Results", "Results 2", "Results 3", "Results 4"] {
        let range = sheet(&xlsx, name);
        assert_eq!(header(&range)[0], "Account", "{name} has its header");
        let rows = data_rows(&range);
        assert!(rows.len() <= 3, "{name}: {} rows", rows.len());
        all.extend(rows.into_iter().map(|r| r[3].clone()));
    }
    let want: Vec<String> = (0..RESULTS)
        .map(|i| format!("arn:aws:iam::000011112222:user/u{i:02}"))
        .collect();
    assert_eq!(all, want);

    // Findings: the 5 FAILs, critical, high, medium, low; continued with the drop-down.
    let mut findings = Vec::new();
    for name in ["Findings", "Findings 2"] {
        findings.extend(
            data_rows(&sheet(&xlsx, name))
                .into_iter()
                .map(|r| (r[1].clone(), r[5].clone())),
        );
    }
    let sev = |s: &str| {
        ["critical", "high", "medium", "low"]
            .iter()
            .position(|x| *x == s)
    };
    let mut want: Vec<(String, String)> = (0..RESULTS)
        .map(result_line)
        .filter(|r| r["status"] == "FAIL")
        .map(|r| {
            (
                r["severity"].as_str().unwrap().to_string(),
                r["resource_arn"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    want.sort_by_key(|(s, _)| sev(s));
    assert_eq!(findings, want);
    assert!(sheet_xml(&xlsx, "Findings 2").contains("sqref=\"H2:H3\""));

    // Evidence pages keep types.
    let users: Vec<_> = ["Users", "Users 2", "Users 3"]
        .iter()
        .flat_map(|n| {
            sheet(&xlsx, n)
                .rows()
                .skip(1)
                .map(|r| r.to_vec())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(users.len(), USERS);
    assert!(
        users
            .iter()
            .all(|r| matches!(r[3], calamine::Data::DateTime(_)))
    );

    // 3 rows > table limit 2: autofilter on a styled header; 1 or 2 rows: a table; no rows:
    // a table with one empty row.
    assert!(data_rows(&sheet(&xlsx, "Roles")).is_empty());
    for (name, table) in [
        ("Results", false),
        ("Results 4", true),
        ("Findings", false),
        ("Findings 2", true),
        ("Roles", true),
        ("MFA policies", true),
    ] {
        let xml = sheet_xml(&xlsx, name);
        assert_eq!(xml.contains("<tablePart "), table, "{name}");
        assert_eq!(xml.contains("<autoFilter "), !table, "{name}");
        assert!(xml.contains("state=\"frozen\""), "{name}");
    }
}

#[test]
fn a_sheet_that_passes_the_table_limit_mid_page_gets_an_autofilter_over_all_its_rows() {
    let dir = scratch("workbook-limits-streamed");
    // Rows past the table limit are streamed before the sheet's size is known; the autofilter
    // is added when the page ends and must cover every row, the held-back ones included.
    let xlsx = build(
        &dir,
        Limits {
            max_rows: 100,
            table_rows: 2,
        },
    );
    let names = sheet_names(&xlsx);
    assert!(names.contains(&"Results".to_string()));
    assert!(!names.contains(&"Results 2".to_string()));
    let resources: Vec<String> = data_rows(&sheet(&xlsx, "Results"))
        .into_iter()
        .map(|r| r[3].clone())
        .collect();
    let want: Vec<String> = (0..RESULTS)
        .map(|i| format!("arn:aws:iam::000011112222:user/u{i:02}"))
        .collect();
    assert_eq!(resources, want);
    let results = sheet_xml(&xlsx, "Results");
    assert!(
        results.contains(&format!("<autoFilter ref=\"A1:N{}\"", RESULTS + 1)),
        "the filter covers the header and every result"
    );
    assert!(!results.contains("<tablePart "));
    let users = sheet_xml(&xlsx, "Users");
    assert!(users.contains(&format!("<autoFilter ref=\"A1:S{}\"", USERS + 1)));
    assert_eq!(data_rows(&sheet(&xlsx, "Users")).len(), USERS);
    // The findings (5, known before their sheet is written) pass the limit too.
    assert!(sheet_xml(&xlsx, "Findings").contains("<autoFilter ref=\"A1:V6\""));
}

#[test]
fn pages_no_bigger_than_a_table_are_all_tables() {
    let dir = scratch("workbook-limits-small-pages");
    // 2 data rows a page, tables up to 5 rows: every page fills before it could pass the
    // table limit, so each is a table, written as soon as it is full.
    let xlsx = build(
        &dir,
        Limits {
            max_rows: 3,
            table_rows: 5,
        },
    );
    let pages: Vec<String> = sheet_names(&xlsx)
        .into_iter()
        .filter(|n| n.starts_with("Results"))
        .collect();
    assert_eq!(pages.len(), RESULTS.div_ceil(2));
    let mut resources = Vec::new();
    for name in &pages {
        let xml = sheet_xml(&xlsx, name);
        assert!(xml.contains("<tablePart "), "{name} is a table");
        assert!(!xml.contains("<autoFilter "), "{name}");
        let rows = data_rows(&sheet(&xlsx, name));
        assert!(rows.len() <= 2, "{name}: {} rows", rows.len());
        resources.extend(rows.into_iter().map(|r| r[3].clone()));
    }
    let want: Vec<String> = (0..RESULTS)
        .map(|i| format!("arn:aws:iam::000011112222:user/u{i:02}"))
        .collect();
    assert_eq!(resources, want);
}
