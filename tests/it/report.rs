//! `iam-evidence report --from-results`: one workbook from the results of separate runs.

use crate::common::{raw, sheet};
use std::path::{Path, PathBuf};

fn samples() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    // The current quarter's dump (samples/ or samples/2025-Q2/).
    let q2 = root.join("2025-Q2");
    if q2.is_dir() { q2 } else { root }
}

/// Runs `report --from-results PARTS... -o OUT EXTRA...`: exit code and stderr.
fn report(parts: &[&Path], out: &Path, extra: &[&str]) -> (i32, String) {
    let mut args: Vec<&str> = vec!["report", "--from-results"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend(["-o", out.to_str().unwrap()]);
    args.extend(extra);
    let (code, _, stderr) = raw(&args);
    (code, stderr)
}

fn run_on(paths: &[PathBuf], results: &Path, extra: &[&str]) {
    let out = results.with_extension("xlsx");
    let mut args: Vec<String> = vec!["audit".into()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend([
        "-o".into(),
        out.display().to_string(),
        "--results".into(),
        results.display().to_string(),
        "--quiet".into(),
    ]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, stderr) = raw(&args);
    assert_eq!(code, 0, "{stderr}");
}

fn verdicts(jsonl: &Path) -> Vec<(String, String, String, String, String, String)> {
    std::fs::read_to_string(jsonl)
        .unwrap()
        .lines()
        .map(|l| {
            let r: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (
                s("account_id"),
                s("check_id"),
                s("resource_arn"),
                s("credential"),
                s("status"),
                s("reason"),
            )
        })
        .collect()
}

#[test]
fn two_runs_merge_into_the_same_results_as_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let s = samples();
    // A split dump classifies trusted accounts as internal from the organization's list, not
    // from what each part happens to hold.
    let org = dir.path().join("org.json");
    std::fs::write(
        &org,
        r#"{"Accounts": [{"Id": "111111111111", "Status": "ACTIVE"}, {"Id": "222222222222", "Status": "ACTIVE"}, {"Id": "333333333333", "Status": "ACTIVE"}]}"#,
    )
    .unwrap();
    let org_arg = ["--org-accounts", org.to_str().unwrap()];
    let whole = dir.path().join("whole.jsonl");
    run_on(std::slice::from_ref(&s), &whole, &org_arg);
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    run_on(
        &[s.join("acme-govcloud"), s.join("acme-prod")],
        &a,
        &org_arg,
    );
    run_on(&[s.join("acme-shared-services")], &b, &org_arg);
    let merged = dir.path().join("merged.jsonl");
    let out = dir.path().join("merged.xlsx");
    let (code, stderr) = report(&[&b, &a], &out, &["--results", merged.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(verdicts(&merged), verdicts(&whole));
    let rows = sheet(&out, "Results");
    assert_eq!(rows.len() - 1, verdicts(&whole).len());
    // The evidence sheets come back from the runs' evidence sidecars, in account order.
    for name in ["Users", "Roles", "Privileged access", "MFA policies"] {
        let merged_rows = sheet(&out, name);
        let whole_rows = sheet(&whole.with_extension("xlsx"), name);
        assert!(merged_rows.len() > 1, "{name} is empty");
        let accounts = |rows: &[Vec<String>]| rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>();
        assert_eq!(accounts(&merged_rows), accounts(&whole_rows), "{name}");
    }
    // The Privileged access rows come back whole (the source file is cited relative to the
    // PATH each run was given, so it is left out of the comparison).
    let cut = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
        let file = rows[0].iter().position(|h| h == "Source file").unwrap();
        rows.into_iter().map(|r| r[..file].to_vec()).collect()
    };
    assert_eq!(
        cut(sheet(&out, "Privileged access")),
        cut(sheet(&whole.with_extension("xlsx"), "Privileged access"))
    );
    let summary = sheet(&out, "Summary");
    let header = &summary[0];
    let fail = header.iter().position(|h| h == "Fail").unwrap();
    let root_mfa = summary
        .iter()
        .find(|r| r[0] == "(all accounts)" && r[2] == "root-mfa")
        .unwrap();
    assert_eq!(root_mfa[fail], "1", "{root_mfa:?}");
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("merged.jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(meta["accounts"].as_array().unwrap().len(), 3);
}

#[test]
fn overlapping_runs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = samples();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    run_on(&[s.join("acme-prod")], &a, &[]);
    run_on(&[s.join("acme-prod")], &b, &[]);
    let out = dir.path().join("m.xlsx");
    let (code, stderr) = report(&[&a, &b], &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("account 111111111111 is also in"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn runs_with_other_thresholds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = samples();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    run_on(&[s.join("acme-prod")], &a, &[]);
    run_on(
        &[s.join("acme-shared-services")],
        &b,
        &["--max-unused-days", "30"],
    );
    let out = dir.path().join("m.xlsx");
    let (code, stderr) = report(&[&a, &b], &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("other thresholds"), "{stderr}");
}

#[test]
fn a_results_file_without_its_sidecar_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    std::fs::write(&a, "").unwrap();
    let (code, stderr) = report(&[&a], &dir.path().join("m.xlsx"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("a.jsonl.meta.json"), "{stderr}");
}

#[test]
fn a_bad_results_line_is_named_by_its_line_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    run_on(&[samples().join("acme-prod")], &a, &[]);
    // Break the third line; the error must name line 3 of the file, not a count since the
    // last result read.
    let text = std::fs::read_to_string(&a).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 3, "the sample run has results to break");
    lines[2] = "{\"not\": \"a result\"}";
    std::fs::write(&a, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("m.xlsx");
    let (code, stderr) = report(&[&a], &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("a.jsonl: line 3: expected a results line"),
        "{stderr}"
    );
    assert!(!out.exists());
}
