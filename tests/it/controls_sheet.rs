//! `audit --framework NAME`: the Controls sheet files the results under each framework's
//! controls; the results file carries every check's references whatever the option.

use crate::common::{audit, raw, sheet, sheet_names};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn q2() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2")
}

const ALL: [&str; 9] = [
    "nist-800-53-r5",
    "fedramp-moderate",
    "nist-800-171-r2",
    "cmmc-2-l2",
    "pci-dss-4.0.1",
    "iso-27001-2022",
    "soc2-2017",
    "cis-v3.0",
    "cis-v6.0",
];

/// Counts by status (pass, fail, partial, manual, not determinable) per check, from the
/// results file.
fn counts_by_check(results: &[serde_json::Value]) -> BTreeMap<String, [u64; 5]> {
    let mut out: BTreeMap<String, [u64; 5]> = BTreeMap::new();
    for r in results {
        let i = match r["status"].as_str().unwrap() {
            "PASS" => 0,
            "FAIL" => 1,
            "PARTIAL" => 2,
            "MANUAL" => 3,
            _ => 4,
        };
        out.entry(r["check_id"].as_str().unwrap().to_string())
            .or_default()[i] += 1;
    }
    out
}

/// The Controls sheet's rows as (framework title, control, checks) -> the six counts.
fn control_rows(workbook: &Path) -> Vec<(Vec<String>, [u64; 6])> {
    let rows = sheet(workbook, "Controls");
    assert_eq!(
        rows[0][..12],
        [
            "Framework",
            "Control",
            "Source",
            "Checks",
            "Tested",
            "Pass",
            "Fail",
            "Partial",
            "Manual",
            "Not determinable",
            "Conclusion (drafted)",
            "Reviewer conclusion"
        ]
    );
    rows[1..]
        .iter()
        .map(|r| {
            let n = |i: usize| r[i].parse::<u64>().unwrap();
            (r[..4].to_vec(), [n(4), n(5), n(6), n(7), n(8), n(9)])
        })
        .collect()
}

#[test]
fn the_controls_sheets_counts_equal_the_results_files_for_every_framework() {
    let mut args = Vec::new();
    for f in ALL {
        args.extend(["--framework", f]);
    }
    let run = audit(&[&q2()], &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let by_check = counts_by_check(&run.results);
    let rows = control_rows(&run.workbook);
    for f in ALL {
        let title = frameworks_title(f);
        assert!(
            rows.iter().any(|(r, _)| r[0] == title),
            "no row of {f} ({title})"
        );
    }
    for (cells, counts) in &rows {
        let mut expected = [0u64; 6];
        for check in cells[3].split(", ") {
            let c = by_check.get(check).copied().unwrap_or_default();
            for i in 0..5 {
                expected[i + 1] += c[i];
            }
        }
        expected[0] = expected[1..].iter().sum();
        assert_eq!(*counts, expected, "row {cells:?}");
    }
}

/// The title the sheet shows for a framework name, from `checks --format json`'s listing.
fn frameworks_title(name: &str) -> String {
    let (code, out, err) = raw(&["checks", "--framework", name, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["title"].as_str().unwrap().to_string()
}

#[test]
fn the_controls_sheet_follows_the_summary_only_when_a_framework_is_asked_for() {
    let plain = audit(&[&q2()], &[]);
    assert!(!sheet_names(&plain.workbook).contains(&"Controls".to_string()));
    let pci = audit(&[&q2()], &["--framework", "pci-dss-4.0.1"]);
    let names = sheet_names(&pci.workbook);
    let at = |n: &str| names.iter().position(|s| s == n).unwrap();
    assert_eq!(at("Controls"), at("Summary") + 1, "{names:?}");
}

#[test]
fn pci_rows_say_their_mapping_is_this_projects_and_draft_a_conclusion() {
    let run = audit(&[&q2()], &["--framework", "pci-dss-4.0.1"]);
    let rows = sheet(&run.workbook, "Controls");
    let row = rows.iter().find(|r| r[1] == "8.4.2").expect("8.4.2 row");
    assert_eq!(row[0], "PCI DSS v4.0.1");
    assert_eq!(row[2], "iam-evidence mapping: review before relying on it");
    assert_eq!(row[3], "console-user-mfa, mfa-enforced-by-policy");
    let fail: u64 = row[6].parse().unwrap();
    let partial: u64 = row[7].parse().unwrap();
    assert!(fail > 0, "{row:?}");
    assert!(
        row[10].starts_with(&format!(
            "{} exceptions noted, see Findings",
            fail + partial
        )),
        "{row:?}"
    );
    assert_eq!(row[11], "", "the reviewer column is left empty");
}

#[test]
fn checks_the_aws_packs_do_not_map_are_listed_as_not_mapped_by_aws() {
    let run = audit(&[&q2()], &["--framework", "nist-800-53-r5"]);
    let rows = sheet(&run.workbook, "Controls");
    let row = rows
        .iter()
        .find(|r| r[3] == "privileged-user-mfa")
        .expect("privileged-user-mfa row");
    assert_eq!(row[1], "not mapped by AWS");
    assert_eq!(row[2], "AWS conformance pack");
}

#[test]
fn an_unknown_framework_is_a_usage_error_listing_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.xlsx");
    let (code, _, err) = raw(&[
        "audit",
        q2().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--framework",
        "pci-dss-4",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("unknown framework; known: nist-800-53-r5"),
        "{err}"
    );
    assert!(err.contains("pci-dss-4.0.1"), "{err}");
    assert!(!out.exists());
}

#[test]
fn every_results_line_carries_every_frameworks_references_with_their_source() {
    let run = audit(&[&q2()], &[]);
    for r in &run.results {
        let refs = r["frameworks"].as_array().expect("frameworks array");
        let names: Vec<&str> = refs
            .iter()
            .map(|f| f["framework"].as_str().unwrap())
            .collect();
        assert_eq!(names, ALL, "{r}");
        for f in refs {
            assert!(
                [
                    "AWS conformance pack",
                    "iam-evidence mapping",
                    "CIS Benchmark"
                ]
                .contains(&f["source"].as_str().unwrap()),
                "{f}"
            );
        }
    }
    let console = run
        .results
        .iter()
        .find(|r| r["check_id"] == "console-user-mfa")
        .unwrap();
    let pci = &console["frameworks"][4];
    assert_eq!(pci["framework"], "pci-dss-4.0.1");
    assert_eq!(pci["controls"], serde_json::json!(["8.4.2"]));
}

#[test]
fn the_frameworks_are_recorded_in_the_sidecar_in_the_order_given_once_each() {
    let run = audit(
        &[&q2()],
        &[
            "--framework",
            "soc2-2017",
            "--framework",
            "cis-v6.0",
            "--framework",
            "soc2-2017",
        ],
    );
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.jsonl.with_extension("jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        meta["options"]["frameworks"],
        serde_json::json!(["soc2-2017", "cis-v6.0"])
    );
    let rows = sheet(&run.workbook, "Controls");
    let first_cis = rows.iter().position(|r| r[0].starts_with("CIS")).unwrap();
    assert!(rows[1..first_cis].iter().all(|r| r[0].starts_with("SOC 2")));
}

#[test]
fn report_rebuilds_the_controls_sheet_when_merging_runs_split_by_account() {
    let dir = tempfile::tempdir().unwrap();
    let whole = audit(&[&q2()], &["--framework", "pci-dss-4.0.1"]);
    let mut parts = Vec::new();
    for (i, account) in ["acme-prod", "acme-shared-services", "acme-govcloud"]
        .iter()
        .enumerate()
    {
        let results = dir.path().join(format!("part{i}.jsonl"));
        // Every part reads the organization's account list, as the whole run does.
        let args = [
            "audit",
            q2().join(account).to_str().unwrap(),
            q2().join("acme-management").to_str().unwrap(),
            "-o",
            results.with_extension("xlsx").to_str().unwrap(),
            "--results",
            results.to_str().unwrap(),
            "--quiet",
            "--framework",
            "pci-dss-4.0.1",
        ]
        .map(String::from);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, err) = raw(&args);
        assert_eq!(code, 0, "{err}");
        parts.push(results);
    }
    let merged = dir.path().join("merged.xlsx");
    let mut args: Vec<&str> = vec!["report", "--from-results"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend(["-o", merged.to_str().unwrap(), "--quiet"]);
    let (code, _, err) = raw(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        sheet(&merged, "Controls"),
        sheet(&whole.workbook, "Controls")
    );
}

#[test]
fn report_adds_a_framework_the_merged_runs_did_not_record() {
    let dir = tempfile::tempdir().unwrap();
    let run = audit(&[&q2()], &[]);
    let merged = dir.path().join("merged.xlsx");
    let (code, _, err) = raw(&[
        "report",
        "--from-results",
        run.jsonl.to_str().unwrap(),
        "-o",
        merged.to_str().unwrap(),
        "--framework",
        "iso-27001-2022",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = sheet(&merged, "Controls");
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[0] == "ISO/IEC 27001:2022 Annex A")
    );
    assert!(rows.iter().any(|r| r[1] == "A.8.5"));
}

#[test]
fn the_checks_sheet_gives_each_frameworks_controls_under_a_header_naming_the_source() {
    let run = audit(&[&q2()], &[]);
    let rows = sheet(&run.workbook, "Checks");
    let col = |h: &str| {
        rows[0]
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("no column {h} in {:?}", rows[0]))
    };
    let nist = col("NIST SP 800-53 Rev. 5 (AWS conformance pack)");
    let pci = col("PCI DSS v4.0.1 (iam-evidence mapping: review before relying on it)");
    col("SOC 2 (2017 Trust Services Criteria) (iam-evidence mapping: review before relying on it)");
    col("CMMC 2.0 Level 2 (AWS conformance pack)");
    let row = |id: &str| rows.iter().find(|r| r[0] == id).unwrap().clone();
    let console = row("console-user-mfa");
    assert_eq!(console[pci], "8.4.2");
    assert!(console[nist].contains("IA-2(1)"), "{console:?}");
    assert_eq!(row("privileged-user-mfa")[nist], "—");
}
