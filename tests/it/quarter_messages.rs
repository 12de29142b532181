//! Issue "no silent mistakes in a quarter's run", the messages: every error line has the
//! `error:` prefix and says what to do; `verify` names a recorded option file it cannot find and
//! takes `--exceptions` / `--baseline` / `--org-accounts` instead; a bad baseline is named as the
//! baseline; `verify` leads with the results that differ and shows where a value changed.

use crate::common::{audit, bin};
use std::path::Path;
use std::process::Command;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Copies a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs the binary in `cwd`: (exit code, stderr).
fn run_in(cwd: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(bin())
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_conflict_error_line_has_the_error_prefix_and_the_hint() {
    let inputs = tempfile::tempdir().unwrap();
    // Two accounts, each with two credential reports that differ.
    for (n, report) in [
        "2025-Q2/acme-prod/111111111111/credential-report.csv",
        "2025-Q2/acme-govcloud/GovCloud 333333333333/credential_report (1).csv",
    ]
    .iter()
    .enumerate()
    {
        let text = std::fs::read_to_string(samples().join(report)).unwrap();
        let changed = text.replacen("2025-", "2024-", 1);
        assert_ne!(changed, text);
        std::fs::write(inputs.path().join(format!("{n}-a.csv")), &text).unwrap();
        std::fs::write(inputs.path().join(format!("{n}-b.csv")), changed).unwrap();
    }
    let run = audit(&[inputs.path()], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    for line in &lines {
        assert!(line.starts_with("error: "), "{line}");
        assert!(
            line.ends_with(
                "with different content; neither can be chosen over the other, so neither is \
                 used: keep one in the inputs"
            ),
            "{line}"
        );
    }
    assert!(lines[1].starts_with("error: 1-b.csv: conflicts with 1-a.csv: both are the credential report of account 333333333333"), "{}", lines[1]);
    assert!(!run.workbook.exists());
}

#[test]
fn verify_from_another_folder_names_the_recorded_exceptions_path_and_takes_exceptions() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&samples().join("2025-Q2"), &dir.path().join("q2"));
    std::fs::copy(
        samples().join("exceptions.csv"),
        dir.path().join("exceptions.csv"),
    )
    .unwrap();
    let (code, stderr) = run_in(
        dir.path(),
        &[
            "audit",
            "q2",
            "-o",
            "q2.xlsx",
            "--exceptions",
            "exceptions.csv",
            "--quiet",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let (code, stderr) = run_in(&elsewhere, &["verify", "../q2.xlsx", "../q2"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        "error: ../q2.xlsx: the recorded --exceptions path exceptions.csv does not exist from \
         here; give --exceptions with that file's path\n"
    );
    let (code, stderr) = run_in(
        &elsewhere,
        &[
            "verify",
            "../q2.xlsx",
            "../q2",
            "--exceptions",
            "../exceptions.csv",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.starts_with("verified: ../q2.xlsx matches its inputs"),
        "{stderr}"
    );
    // A changed exceptions file given in its place is a mismatch, not a silent pass.
    let edited = elsewhere.join("exceptions.csv");
    let text = std::fs::read_to_string(dir.path().join("exceptions.csv")).unwrap();
    std::fs::write(&edited, format!("{text}\n")).unwrap();
    let (code, stderr) = run_in(
        &elsewhere,
        &[
            "verify",
            "../q2.xlsx",
            "../q2",
            "--exceptions",
            "exceptions.csv",
        ],
    );
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("  input exceptions.csv changed: SHA-256 "),
        "{stderr}"
    );
}

#[test]
fn verify_refuses_an_option_file_the_audit_did_not_have() {
    let dir = tempfile::tempdir().unwrap();
    let workbook = dir.path().join("q2.xlsx");
    let q2 = samples().join("2025-Q2");
    let run = Command::new(bin())
        .args([
            "audit",
            q2.to_str().unwrap(),
            "-o",
            workbook.to_str().unwrap(),
            "--quiet",
        ])
        .status()
        .unwrap();
    assert!(run.success());
    let (code, stderr) = run_in(
        dir.path(),
        &[
            "verify",
            "q2.xlsx",
            q2.to_str().unwrap(),
            "--baseline",
            "q1.jsonl",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr,
        "error: q2.xlsx was audited without --baseline, so verify cannot re-perform it with \
         one; leave --baseline out\n"
    );
}

#[test]
fn a_bad_baseline_is_named_as_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("q1.jsonl");
    std::fs::write(&baseline, "{\"check_id\": 1}\n").unwrap();
    let run = audit(
        &[&samples().join("2025-Q2")],
        &["--baseline", baseline.to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = format!(
        "error: cannot read the baseline {}: line 1: expected a results line: ",
        baseline.display()
    );
    assert!(run.stderr.starts_with(&expected), "{}", run.stderr);
    let missing = dir.path().join("q0.jsonl");
    let run = audit(
        &[&samples().join("2025-Q2")],
        &["--baseline", missing.to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "error: cannot read the baseline {}: No such file",
            missing.display()
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn verify_leads_with_the_result_differences_and_shows_the_differing_part() {
    let dir = tempfile::tempdir().unwrap();
    let q2 = dir.path().join("q2");
    copy_tree(&samples().join("2025-Q2"), &q2);
    let (code, stderr) = run_in(dir.path(), &["audit", "q2", "-o", "q2.xlsx", "--quiet"]);
    assert_eq!(code, 0, "{stderr}");
    // One cell: a user's access key 1 last rotated a year earlier.
    let report = q2.join("acme-prod/111111111111/credential-report.csv");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, text.replacen("2025-", "2024-", 1)).unwrap();
    let (code, stderr) = run_in(dir.path(), &["verify", "q2.xlsx", "q2"]);
    assert_eq!(code, 3, "{stderr}");
    // The root's last sign-in moved a year back: one result changes, 21 more cite the changed
    // file's hash. The change leads; the input and the hash-only rows follow.
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines[0],
        "MISMATCH: q2.xlsx does not match its inputs (22 result(s) and 1 input(s) differ):"
    );
    assert!(
        lines[1].starts_with(
            "  result 33 (111111111111 root-usage arn:aws:iam::111111111111:root): \
             Status: 'FAIL' now 'PASS'; Reason: 'root signed in 2025-06-02, 27 days before"
        ),
        "{stderr}"
    );
    assert!(
        lines[1].contains("' now 'root signed in 2024-06-02, 392 days before"),
        "{stderr}"
    );
    assert!(!lines[1].contains("SHA-256"), "{stderr}");
    assert!(
        lines[2].starts_with("  input acme-prod/111111111111/credential-report.csv changed: "),
        "{stderr}"
    );
    assert_eq!(
        lines[3],
        "  21 result(s) differ only in their source's SHA-256 (their input changed)"
    );
    assert_eq!(lines.len(), 4, "{stderr}");
}
