//! The Population sheet and the cover's "Completeness of the population" section, read back
//! with calamine; and the same two checks and sheet after splitting a run by account and
//! merging the parts with `report --from-results`.

use crate::common::{audit, raw, sheet, sheet_names};
use crate::org_coverage::{A, authorization, entry, list, report, tree};
use serde_json::json;
use std::path::{Path, PathBuf};

fn q2() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2")
}

/// The cover's rows under "Completeness of the population": (label, value) until the next
/// section.
fn completeness(xlsx: &Path) -> Vec<(String, String)> {
    let cover = sheet(xlsx, "Cover");
    let start = cover
        .iter()
        .position(|r| r[0] == "Completeness of the population")
        .expect("the cover has the section");
    cover[start + 1..]
        .iter()
        .take_while(|r| !r[0].is_empty() || r.get(1).is_some_and(|c| !c.is_empty()))
        .map(|r| (r[0].clone(), r.get(1).cloned().unwrap_or_default()))
        .collect()
}

fn fact<'a>(facts: &'a [(String, String)], label: &str) -> &'a str {
    facts
        .iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {label} in {facts:?}"))
}

/// The Population sheet's rows as maps from header to cell text.
fn population(xlsx: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let rows = sheet(xlsx, "Population");
    let header = rows[0].clone();
    rows[1..]
        .iter()
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

#[test]
fn the_population_sheet_follows_the_summary() {
    let run = audit(&[&q2()], &["--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names = sheet_names(&run.workbook);
    let at = |n: &str| names.iter().position(|s| s == n).unwrap();
    assert_eq!(at("Population"), at("Summary") + 1, "{names:?}");
}

#[test]
fn the_sample_population_lists_every_listed_and_audited_account() {
    let run = audit(&[&q2()], &["--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = population(&run.workbook);
    let ids: Vec<&str> = rows.iter().map(|r| r["Account"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "111111111111",
            "222222222222",
            "333333333333",
            "555555555555",
            "666666666666"
        ]
    );
    let a = &rows[0];
    assert_eq!(a["Account name"], "acme-prod");
    assert_eq!(a["Organization status"], "ACTIVE");
    assert_eq!(a["Org coverage"], "PASS");
    assert_eq!(a["Credential report users"], "4");
    assert_eq!(a["Authorization users"], "3");
    assert_eq!(a["Summary Users"], "4");
    assert_eq!(a["Reconciliation (export-completeness)"], "FAIL");
    assert!(a["Differences"].contains("erin"), "{a:?}");
    let b = &rows[1];
    assert_eq!(
        b["Exports read"],
        "credential report, authorization details (2 files), account summary"
    );
    assert_eq!(b["Reconciliation (export-completeness)"], "PASS");
    assert_eq!(b["Differences"], "");
    let c = &rows[2];
    assert_eq!(c["Partition"], "aws-us-gov");
    assert_eq!(c["Org coverage"], "FAIL");
    assert_eq!(c["Missing exports"], "no authorization details export");
    assert_eq!(c["Authorization users"], "");
    let missing = &rows[3];
    assert_eq!(missing["Organization status"], "ACTIVE");
    assert_eq!(missing["Org coverage"], "FAIL");
    assert_eq!(missing["Exports read"], "none");
    assert_eq!(missing["Account name"], "acme-data-lake");
    let suspended = &rows[4];
    assert_eq!(suspended["Organization status"], "SUSPENDED");
    assert_eq!(suspended["Org coverage"], "MANUAL");
}

#[test]
fn the_sample_cover_says_the_population_is_not_shown_complete_and_what_is_open() {
    let run = audit(&[&q2()], &["--quiet"]);
    let facts = completeness(&run.workbook);
    let conclusion = fact(&facts, "Conclusion");
    assert!(conclusion.starts_with("NOT SHOWN"), "{conclusion}");
    assert!(
        !conclusion.contains("population complete and reconciled"),
        "{conclusion}"
    );
    assert_eq!(fact(&facts, "Accounts listed"), "5");
    assert_eq!(fact(&facts, "Accounts audited"), "3");
    assert_eq!(
        fact(&facts, "Listed but missing exports"),
        "3: 333333333333, 555555555555, 666666666666"
    );
    assert_eq!(fact(&facts, "Audited but not listed"), "0");
    assert_eq!(
        fact(&facts, "Accounts whose exports disagree"),
        "1: 111111111111"
    );
    let open: Vec<&str> = facts
        .iter()
        .filter(|(l, _)| l.starts_with("Open "))
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(
        open,
        [
            "2 ACTIVE listed account(s) missing an export (org-coverage FAIL)",
            "1 listed account(s) not ACTIVE and missing an export: confirm closed or out of scope (org-coverage MANUAL)",
            "1 account(s) whose exports disagree (export-completeness FAIL)",
        ]
    );
}

#[test]
fn the_cover_says_complete_and_reconciled_only_when_every_row_passes() {
    let dir = tree(&[
        ("a/report.csv", report(A)),
        ("a/authorization.json", authorization(A)),
        (
            "org/accounts.json",
            list(&[entry(A, json!({"Status": "ACTIVE"}))]),
        ),
    ]);
    let run = audit(&[dir.path()], &["--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let facts = completeness(&run.workbook);
    assert!(
        fact(&facts, "Conclusion").starts_with("population complete and reconciled"),
        "{facts:?}"
    );
    assert!(
        !facts.iter().any(|(l, _)| l.starts_with("Open ")),
        "{facts:?}"
    );
}

#[test]
fn without_a_list_the_cover_says_organization_coverage_was_not_tested() {
    let dir = tree(&[
        ("a/report.csv", report(A)),
        ("a/authorization.json", authorization(A)),
    ]);
    let run = audit(&[dir.path()], &["--quiet"]);
    let facts = completeness(&run.workbook);
    assert!(fact(&facts, "Conclusion").starts_with("NOT SHOWN"));
    assert_eq!(
        fact(&facts, "Accounts listed"),
        "no organization account list read"
    );
    assert!(
        fact(&facts, "Open 1").starts_with("organization coverage not tested: no account list"),
        "{facts:?}"
    );
    let rows = population(&run.workbook);
    assert_eq!(rows[0]["Organization status"], "no account list");
    assert_eq!(rows[0]["Org coverage"], "");
}

/// Runs `audit` writing `NAME.xlsx` and `NAME.jsonl` into `dir`.
fn audit_into(dir: &Path, name: &str, paths: &[PathBuf], extra: &[&str]) -> (PathBuf, PathBuf) {
    let xlsx = dir.join(format!("{name}.xlsx"));
    let jsonl = dir.join(format!("{name}.jsonl"));
    let mut args: Vec<String> = vec!["audit".into()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    for a in [
        "-o",
        xlsx.to_str().unwrap(),
        "--results",
        jsonl.to_str().unwrap(),
        "--quiet",
    ]
    .into_iter()
    .chain(extra.iter().copied())
    {
        args.push(a.to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, stderr) = raw(&args);
    assert_eq!(code, 0, "{stderr}");
    (xlsx, jsonl)
}

/// The results of two checks: (account, check, resource, status, reason).
fn population_checks(jsonl: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["check_id"] == "org-coverage" || r["check_id"] == "export-completeness")
        .map(|r| {
            ["account_id", "check_id", "resource_arn", "status", "reason"]
                .iter()
                .map(|k| r[*k].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn runs_split_by_account_merge_into_the_same_population_as_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let s = q2();
    let list = s.join("acme-management");
    let (whole_xlsx, whole) = audit_into(dir.path(), "whole", std::slice::from_ref(&s), &[]);
    let (_, a) = audit_into(dir.path(), "a", &[s.join("acme-prod"), list.clone()], &[]);
    let (_, b) = audit_into(
        dir.path(),
        "b",
        &[
            s.join("acme-shared-services"),
            s.join("acme-govcloud"),
            list,
        ],
        &[],
    );
    let merged_xlsx = dir.path().join("merged.xlsx");
    let merged = dir.path().join("merged.jsonl");
    let (code, _, stderr) = raw(&[
        "report",
        "--from-results",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-o",
        merged_xlsx.to_str().unwrap(),
        "--results",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("organization account list"), "{stderr}");
    let one_run = population_checks(&whole);
    assert_eq!(population_checks(&merged), one_run);
    assert_eq!(
        one_run.iter().filter(|r| r[1] == "org-coverage").count(),
        5,
        "{one_run:?}"
    );
    assert_eq!(
        sheet(&merged_xlsx, "Population"),
        sheet(&whole_xlsx, "Population")
    );
    assert_eq!(completeness(&merged_xlsx), completeness(&whole_xlsx));
}

#[test]
fn a_merge_refuses_parts_that_used_different_account_lists_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let s = q2();
    let lists = tree(&[
        (
            "one.json",
            list(&[entry("111111111111", json!({"Status": "ACTIVE"}))]),
        ),
        (
            "two.json",
            list(&[entry("222222222222", json!({"Status": "ACTIVE"}))]),
        ),
    ]);
    let one = lists.path().join("one.json");
    let two = lists.path().join("two.json");
    let (_, a) = audit_into(
        dir.path(),
        "a",
        &[s.join("acme-prod")],
        &["--org-accounts", one.to_str().unwrap()],
    );
    let (_, b) = audit_into(
        dir.path(),
        "b",
        &[s.join("acme-shared-services")],
        &["--org-accounts", two.to_str().unwrap()],
    );
    let out = dir.path().join("merged.xlsx");
    let (code, _, stderr) = raw(&[
        "report",
        "--from-results",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("a.jsonl") && stderr.contains("b.jsonl"),
        "{stderr}"
    );
    assert!(
        stderr.contains("another organization account list"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_merge_of_parts_without_a_list_warns() {
    let dir = tempfile::tempdir().unwrap();
    let s = q2();
    let (_, a) = audit_into(dir.path(), "a", &[s.join("acme-prod")], &[]);
    let (_, b) = audit_into(dir.path(), "b", &[s.join("acme-shared-services")], &[]);
    let out = dir.path().join("merged.xlsx");
    let (code, _, stderr) = raw(&[
        "report",
        "--from-results",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: none of the runs read an organization account list"),
        "{stderr}"
    );
}

#[test]
fn the_run_record_keeps_the_list_with_its_digest_account_ids_and_names() {
    let run = audit(&[&q2()], &["--quiet"]);
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    let org = &meta["org"];
    assert_eq!(
        org["files"][0]["file"],
        "acme-management/organizations-list-accounts.json"
    );
    assert_eq!(org["files"][0]["sha256"].as_str().unwrap().len(), 64);
    let ids: Vec<&str> = org["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "111111111111",
            "222222222222",
            "333333333333",
            "555555555555",
            "666666666666"
        ]
    );
    assert_eq!(org["accounts"][3]["name"], "acme-data-lake");
}
