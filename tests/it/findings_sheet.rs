//! The Findings sheet as a workpaper to work in, read back from the sample quarters: stable
//! finding IDs (the SHA-256 rule, the same ID next quarter, suffixes for repeated IDs), the
//! column order, frozen identifying columns, status and severity coloured by conditional
//! formatting, FAIL and PARTIAL only; the Changes sheet's IDs; and `report` rebuilding the same
//! Findings and Open items sheets.

use crate::common::raw;
use crate::workbook_support::{col, data_rows, header, part, scratch, sheet, sheet_xml};
use iam_evidence::checks::Thresholds;
use iam_evidence::output::meta::{RunOptions, RunRecord};
use iam_evidence::output::workbook::{WorkbookWriter, parse_line};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The samples' quarter folder.
pub fn quarter(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// Runs `audit` on `input` into `dir` with `--results` and extra arguments; returns the
/// workbook and the results file.
pub fn audit_into(input: &Path, dir: &Path, extra: &[&str]) -> (PathBuf, PathBuf) {
    let xlsx = dir.join("workbook.xlsx");
    let jsonl = dir.join("results.jsonl");
    let mut args = vec![
        "audit",
        input.to_str().unwrap(),
        "-o",
        xlsx.to_str().unwrap(),
        "--results",
        jsonl.to_str().unwrap(),
        "--quiet",
    ];
    args.extend(extra);
    let (code, _, stderr) = raw(&args);
    assert_eq!(code, 0, "{stderr}");
    (xlsx, jsonl)
}

/// The Q1 sample run, and Q2 against it as the baseline: (workbook, results) each.
pub fn quarters() -> &'static [(PathBuf, PathBuf); 2] {
    static RUNS: OnceLock<[(PathBuf, PathBuf); 2]> = OnceLock::new();
    RUNS.get_or_init(|| {
        let q1 = audit_into(&quarter("2025-Q1"), &scratch("findings-q1"), &[]);
        let baseline = q1.1.to_str().unwrap().to_string();
        let q2 = audit_into(
            &quarter("2025-Q2"),
            &scratch("findings-q2"),
            &["--baseline", &baseline],
        );
        [q1, q2]
    })
}

/// `F-` and the first 12 hex characters of the SHA-256 of the key fields joined by newlines,
/// computed here independently of the tool.
fn expected_id(check: &str, account: &str, resource: &str, credential: &str) -> String {
    let digest = Sha256::digest(format!("{check}\n{account}\n{resource}\n{credential}"));
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("F-{}", &hex[..12])
}

/// The Findings rows keyed by (check, account, resource, credential), with the ID.
fn ids_by_key(xlsx: &Path) -> BTreeMap<(String, String, String, String), String> {
    let range = sheet(xlsx, "Findings");
    let c = |n: &str| col(&range, n);
    let (id, check, account, resource, credential) = (
        c("Finding ID"),
        c("Check ID"),
        c("Account"),
        c("Resource"),
        c("Credential"),
    );
    data_rows(&range)
        .into_iter()
        .map(|r| {
            let key = (
                r[check].clone(),
                r[account].clone(),
                r[resource].clone(),
                r.get(credential).cloned().unwrap_or_default(),
            );
            (key, r[id].clone())
        })
        .collect()
}

#[test]
fn finding_id_is_f_and_the_sha256_prefix_of_check_account_resource_and_credential() {
    let (xlsx, _) = &quarters()[1];
    let ids = ids_by_key(xlsx);
    assert!(!ids.is_empty());
    for ((check, account, resource, credential), id) in &ids {
        assert_eq!(
            *id,
            expected_id(check, account, resource, credential),
            "{check} {resource} {credential}"
        );
    }
    // A known row, spelled out: bob's console password without MFA in account A.
    let bob = (
        "console-user-mfa".to_string(),
        "111111111111".to_string(),
        "arn:aws:iam::111111111111:user/bob".to_string(),
        String::new(),
    );
    let digest = Sha256::digest(
        b"console-user-mfa\n111111111111\narn:aws:iam::111111111111:user/bob\n".as_slice(),
    );
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(ids[&bob], format!("F-{}", &hex[..12]));
    // A per-credential finding hashes its credential too.
    assert!(
        ids.keys().any(|k| !k.3.is_empty()),
        "the samples have a per-credential finding"
    );
}

#[test]
fn a_finding_present_in_both_quarters_keeps_its_id() {
    let [(q1, _), (q2, _)] = quarters();
    let (q1, q2) = (ids_by_key(q1), ids_by_key(q2));
    let both: Vec<_> = q1.keys().filter(|k| q2.contains_key(*k)).collect();
    assert!(both.len() > 10, "{} findings in both quarters", both.len());
    for key in both {
        assert_eq!(q1[key], q2[key], "{key:?}");
    }
}

#[test]
fn the_changes_sheet_shows_last_quarters_finding_id() {
    let [(q1, _), (q2, _)] = quarters();
    let q1_ids = ids_by_key(q1);
    let changes = sheet(q2, "Changes");
    let c = |n: &str| col(&changes, n);
    let rows = data_rows(&changes);
    assert_eq!(header(&changes)[0], "Finding ID");
    // A resolved finding (gone from Q2) shows the ID it had on Q1's Findings sheet.
    let resolved = rows
        .iter()
        .find(|r| r[c("Change")] == "resolved")
        .expect("a resolved finding");
    let key = (
        resolved[c("Check ID")].clone(),
        resolved[c("Account")].clone(),
        resolved[c("Resource")].clone(),
        resolved[c("Credential")].clone(),
    );
    assert_eq!(resolved[c("Finding ID")], q1_ids[&key]);
    // A row that is not and was not a finding has no ID; every other row has its ID.
    for r in &rows {
        let finding = |s: &str| s == "FAIL" || s == "PARTIAL";
        let was_or_is = finding(&r[c("Status")]) || finding(&r[c("Previous status")]);
        let id = &r[c("Finding ID")];
        if was_or_is {
            assert_eq!(
                *id,
                expected_id(
                    &r[c("Check ID")],
                    &r[c("Account")],
                    &r[c("Resource")],
                    &r[c("Credential")]
                ),
                "{r:?}"
            );
        } else {
            assert_eq!(id, "", "{r:?}");
        }
    }
}

#[test]
fn findings_hold_fail_and_partial_only() {
    let (xlsx, jsonl) = &quarters()[1];
    let range = sheet(xlsx, "Findings");
    let status = col(&range, "Status");
    let rows = data_rows(&range);
    assert!(
        rows.iter()
            .all(|r| r[status] == "FAIL" || r[status] == "PARTIAL")
    );
    let findings = std::fs::read_to_string(jsonl)
        .unwrap()
        .lines()
        .filter(|l| l.contains("\"status\":\"FAIL\"") || l.contains("\"status\":\"PARTIAL\""))
        .count();
    assert_eq!(rows.len(), findings);
}

#[test]
fn findings_columns_lead_with_the_identity_then_status_and_reviewer_columns() {
    let (xlsx, _) = &quarters()[1];
    let h = header(&sheet(xlsx, "Findings"));
    assert_eq!(
        h[..12],
        [
            "Finding ID",
            "Severity",
            "Account",
            "Account name",
            "Check ID",
            "Resource",
            "Status",
            "Disposition",
            "Owner",
            "Reviewer",
            "Due date",
            "Reviewer comment",
        ]
    );
    let pos = |n: &str| h.iter().position(|x| x == n).unwrap();
    assert!(
        pos("Reviewer comment") < pos("Reason") && pos("Reason") < pos("Evidence"),
        "reviewer columns before the long text: {h:?}"
    );
}

#[test]
fn findings_freeze_the_header_row_and_the_identifying_columns() {
    let (xlsx, _) = &quarters()[1];
    let xml = sheet_xml(xlsx, "Findings");
    assert!(
        xml.contains(
            "<pane xSplit=\"6\" ySplit=\"1\" topLeftCell=\"G2\" activePane=\"bottomRight\" state=\"frozen\"/>"
        ),
        "{}",
        &xml[..xml.find("<sheetData").unwrap_or(0)]
    );
}

/// The values and the dxf (differential format) index of each rule over `range`.
fn rules_over(xml: &str, range: &str) -> Vec<(String, usize)> {
    let start = xml
        .find(&format!("<conditionalFormatting sqref=\"{range}\">"))
        .unwrap_or_else(|| panic!("no conditional formatting over {range}"));
    let block = &xml[start..start + xml[start..].find("</conditionalFormatting>").unwrap()];
    block
        .split("<cfRule ")
        .skip(1)
        .map(|rule| {
            assert!(
                rule.contains("type=\"cellIs\"") && rule.contains("operator=\"equal\""),
                "{rule}"
            );
            let dxf = rule.split("dxfId=\"").nth(1).unwrap();
            let dxf: usize = dxf[..dxf.find('"').unwrap()].parse().unwrap();
            let value = rule.split("<formula>\"").nth(1).unwrap();
            (value[..value.find('"').unwrap()].to_string(), dxf)
        })
        .collect()
}

/// The fill colour (RGB hex) of each differential format in styles.xml.
fn dxf_fills(xlsx: &Path) -> Vec<String> {
    let styles = part(xlsx, "xl/styles.xml");
    let dxfs = &styles[styles.find("<dxfs").unwrap()..styles.find("</dxfs>").unwrap()];
    dxfs.split("<dxf>")
        .skip(1)
        .map(|d| {
            let fill = d.split("<bgColor rgb=\"FF").nth(1).unwrap();
            fill[..6].to_string()
        })
        .collect()
}

#[test]
fn status_and_severity_are_coloured_by_conditional_formats_over_the_columns() {
    let (xlsx, _) = &quarters()[1];
    let rows = data_rows(&sheet(xlsx, "Findings")).len();
    let xml = sheet_xml(xlsx, "Findings");
    let fills = dxf_fills(xlsx);
    let status = rules_over(&xml, &format!("G2:G{}", rows + 1));
    let values: Vec<&str> = status.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(
        values,
        ["PASS", "FAIL", "PARTIAL", "MANUAL", "NOT_DETERMINABLE"]
    );
    let severity = rules_over(&xml, &format!("B2:B{}", rows + 1));
    let values: Vec<&str> = severity.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(values, ["critical", "high", "medium", "low"]);
    // Each value has a fill of its own among its kind, and FAIL is red.
    let fill = |rules: &[(String, usize)], v: &str| {
        fills[rules.iter().find(|(x, _)| x == v).unwrap().1].clone()
    };
    assert!(fill(&status, "FAIL").starts_with("FF"), "{fills:?}");
    let mut distinct: Vec<String> = status.iter().map(|(v, _)| fill(&status, v)).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 5, "{fills:?}");
    // Not per-cell formats: every status cell has the style of a plain text cell (the
    // account's), whatever its status.
    let style = |cell: &str| {
        let at = xml
            .find(&format!("<c r=\"{cell}\""))
            .unwrap_or_else(|| panic!("no cell {cell}"));
        let tag = &xml[at..at + xml[at..].find('>').unwrap()];
        tag.split(" s=\"")
            .nth(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
    };
    for row in 2..=rows + 1 {
        assert_eq!(style(&format!("F{row}")), style("C2"), "F{row}");
    }
}

/// Builds a workbook of `n` FAIL results of one check through the library, with finding IDs
/// of one hex character (16 possible IDs, so repeats are certain); returns the workbook and
/// the results in results order.
fn workbook_with_repeated_ids(n: usize) -> (PathBuf, Vec<serde_json::Value>) {
    let dir = scratch("findings-repeated-ids");
    let lines: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let severity = ["low", "high", "critical", "medium"][i % 4];
            serde_json::json!({
                "check_id": "console-user-mfa", "account_id": "000011112222",
                "resource_arn": format!("arn:aws:iam::000011112222:user/u{i:02}"),
                "credential": null, "status": "FAIL",
                "severity": severity,
                "reason": "r", "source": null, "evidence": ""
            })
        })
        .collect();
    let jsonl = dir.join("results.jsonl");
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&jsonl, text).unwrap();
    // Default options (read as a sidecar would be: fields not given are left unset).
    let mut options = serde_json::to_value(Thresholds::default()).unwrap();
    options["keep_going"] = false.into();
    let options: RunOptions = serde_json::from_value(options).unwrap();
    let record = RunRecord {
        tool: "iam-evidence",
        version: "test",
        command_line: String::new(),
        options,
        input_digest: String::new(),
        accounts: Vec::new(),
        inputs: Vec::new(),
        results: n as u64,
        exceptions: Vec::new(),
        changes: None,
        org: None,
    };
    let mut book = WorkbookWriter::new().unwrap();
    book.set_finding_id_length(1);
    for line in std::fs::read_to_string(&jsonl).unwrap().lines() {
        book.result((&parse_line(line).unwrap()).into(), "")
            .unwrap();
    }
    let xlsx = dir.join("repeated.xlsx");
    book.finish(&xlsx, &record, &jsonl).unwrap();
    (xlsx, lines)
}

#[test]
fn repeated_ids_get_suffixes_2_3_in_results_order() {
    let (xlsx, lines) = workbook_with_repeated_ids(40);
    // Expected, computed here: the one-character ID of each finding in results order, the
    // first of each ID plain, the next ones -2, -3, ...
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut want: BTreeMap<String, String> = BTreeMap::new();
    for l in &lines {
        let resource = l["resource_arn"].as_str().unwrap();
        let full = expected_id("console-user-mfa", "000011112222", resource, "");
        let short = full[..3].to_string();
        let n = seen.entry(short.clone()).or_insert(0);
        *n += 1;
        let id = if *n == 1 {
            short
        } else {
            format!("{short}-{n}")
        };
        want.insert(resource.to_string(), id);
    }
    assert!(seen.values().any(|n| *n >= 3), "a triple repeat: {seen:?}");
    let range = sheet(&xlsx, "Findings");
    let (id, resource) = (col(&range, "Finding ID"), col(&range, "Resource"));
    let rows = data_rows(&range);
    let got: BTreeMap<String, String> = rows
        .iter()
        .map(|r| (r[resource].clone(), r[id].clone()))
        .collect();
    assert_eq!(got, want);
    // Sheet order (by severity) is not results order, yet every ID is unique.
    let mut ids: Vec<&String> = got.values().collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), rows.len());
}

/// The rows of a sheet, as text.
fn rows_of(xlsx: &Path, name: &str) -> Vec<Vec<String>> {
    let range = sheet(xlsx, name);
    std::iter::once(header(&range))
        .chain(data_rows(&range))
        .collect()
}

#[test]
fn report_from_the_results_rebuilds_the_same_findings_and_open_items() {
    let (xlsx, jsonl) = &quarters()[0];
    let dir = scratch("findings-report");
    let out = dir.join("merged.xlsx");
    let (code, _, stderr) = raw(&[
        "report",
        "--from-results",
        jsonl.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    for name in ["Findings", "Open items"] {
        let rows = rows_of(&out, name);
        assert!(rows.len() > 1, "{name} is empty");
        assert_eq!(rows, rows_of(xlsx, name), "{name}");
    }
}

#[test]
fn report_of_split_runs_gives_the_findings_and_open_items_of_one_run() {
    let dir = scratch("findings-report-split");
    let q2 = quarter("2025-Q2");
    let org = dir.join("org.json");
    std::fs::write(
        &org,
        r#"{"Accounts": [{"Id": "111111111111", "Status": "ACTIVE"}, {"Id": "222222222222", "Status": "ACTIVE"}, {"Id": "333333333333", "Status": "ACTIVE"}]}"#,
    )
    .unwrap();
    let org = ["--org-accounts", org.to_str().unwrap()];
    let whole = audit_into(&q2, &scratch("findings-report-whole"), &org);
    let a = audit_into(&q2.join("acme-prod"), &scratch("findings-report-a"), &org);
    let b = audit_into(
        &q2.join("acme-shared-services"),
        &scratch("findings-report-b"),
        &org,
    );
    let c = audit_into(
        &q2.join("acme-govcloud"),
        &scratch("findings-report-c"),
        &org,
    );
    let out = dir.join("merged.xlsx");
    let (code, _, stderr) = raw(&[
        "report",
        "--from-results",
        b.1.to_str().unwrap(),
        c.1.to_str().unwrap(),
        a.1.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    // Source files are cited relative to the PATH each run was given: left out here.
    let cut = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
        let file = rows[0].iter().position(|h| h == "Source file").unwrap();
        rows.into_iter()
            .map(|mut r| {
                if let Some(cell) = r.get_mut(file) {
                    cell.clear();
                }
                r
            })
            .collect()
    };
    for name in ["Findings", "Open items"] {
        assert_eq!(
            cut(rows_of(&out, name)),
            cut(rows_of(&whole.0, name)),
            "{name}"
        );
    }
}
