//! The command-line contract: exit codes, usage errors, atomic outputs, the catalogue.

use crate::common::{audit, fixture, raw};

#[test]
fn usage_errors_exit_2() {
    let report = fixture("reports/plain.csv");
    let report = report.to_str().unwrap();
    for args in [
        vec!["audit", report],              // missing --output
        vec!["audit", "-o", "/tmp/x.xlsx"], // no PATH
        vec!["audit", report, "-o", "/tmp/x.xlsx", "--threads", "0"], // zero threads
        vec![
            "audit",
            report,
            "-o",
            "/tmp/x.xlsx",
            "--as-of",
            "2024-13-01",
        ],
        vec!["audit", report, "-o", "/tmp/x.xlsx", "--no-such-flag"],
        vec![
            "audit",
            report,
            "-o",
            "/tmp/x.xlsx",
            "--max-export-age-days",
            "0",
        ],
    ] {
        let (code, _, stderr) = raw(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
}

#[test]
fn output_names_without_xlsx_or_jsonl_extension_exit_2_and_write_nothing() {
    let report = fixture("reports/plain.csv");
    let report = report.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    for (args, message) in [
        (
            vec!["audit", report, "-o", &at("audit.csv")],
            "the workbook must be a .xlsx file name",
        ),
        (
            vec!["audit", report, "-o", &at("noext")],
            "the workbook must be a .xlsx file name",
        ),
        (
            vec![
                "audit",
                report,
                "-o",
                &at("a.xlsx"),
                "--results",
                &at("r.json"),
            ],
            "the results file must be a .jsonl file name",
        ),
        (
            vec![
                "report",
                "--from-results",
                &at("r.jsonl"),
                "-o",
                &at("merged.xls"),
            ],
            "the workbook must be a .xlsx file name",
        ),
    ] {
        let (code, _, stderr) = raw(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing is written"
    );
    // Letter case of the extension does not matter.
    let (code, _, stderr) = raw(&["audit", report, "-o", &at("AUDIT.XLSX")]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn nonexistent_path_exits_1_naming_it() {
    let run = audit(&[std::path::Path::new("/no/such/exports")], &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("/no/such/exports"), "{}", run.stderr);
    assert!(!run.workbook.exists());
}

#[test]
fn nonexistent_org_accounts_file_exits_1() {
    let run = audit(
        &[&fixture("reports/plain.csv")],
        &["--org-accounts", "/no/such/org.json"],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("/no/such/org.json"), "{}", run.stderr);
}

#[test]
fn no_export_at_all_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# notes\n").unwrap();
    std::fs::write(dir.path().join("other.json"), "{\"foo\": 1}").unwrap();
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no IAM export found"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("skipped other.json: not a recognized IAM export"),
        "{}",
        run.stderr
    );
    assert!(!run.workbook.exists() && !run.jsonl.exists());
}

#[test]
fn missing_output_folder_exits_1_and_is_not_created() {
    let (code, _, stderr) = raw(&[
        "audit",
        fixture("reports/plain.csv").to_str().unwrap(),
        "-o",
        "/tmp/iam-evidence-no-such-dir/out.xlsx",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(!std::path::Path::new("/tmp/iam-evidence-no-such-dir").exists());
}

#[test]
fn a_failed_run_leaves_previous_outputs_byte_identical_and_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit.xlsx");
    let jsonl = dir.path().join("audit.jsonl");
    std::fs::write(&out, b"last quarter's workpaper").unwrap();
    std::fs::write(&jsonl, b"last quarter's results").unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::copy(fixture("reports/plain.csv"), inputs.join("good.csv")).unwrap();
    std::fs::write(
        inputs.join("bad.csv"),
        "user,arn,user_creation_time\nx,arn:aws:iam::1:user/x,now\n",
    )
    .unwrap();
    let (code, _, stderr) = raw(&[
        "audit",
        inputs.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--results",
        jsonl.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("bad.csv") && stderr.contains("password_enabled"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"last quarter's workpaper");
    assert_eq!(std::fs::read(&jsonl).unwrap(), b"last quarter's results");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, ["audit.jsonl", "audit.xlsx", "in"]);
}

#[test]
fn keep_going_leaves_out_the_broken_export_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("reports/plain.csv"), dir.path().join("good.csv")).unwrap();
    let broken = std::fs::read_to_string(fixture("reports/plain.csv"))
        .unwrap()
        .replace("123456789012", "222222222222");
    let broken = broken.replace("2021-01-01T00:00:00+00:00,true", "yesterday,true");
    std::fs::write(dir.path().join("broken.csv"), broken).unwrap();
    let failed = audit(&[dir.path()], &[]);
    assert_eq!(failed.code, 1);
    assert!(
        failed
            .stderr
            .contains("broken.csv: line 3, column user_creation_time"),
        "{}",
        failed.stderr
    );
    let run = audit(&[dir.path()], &["--keep-going"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.status("console-user-mfa", "arn:aws:iam::123456789012:user/ops/bob"),
        "FAIL"
    );
    let left = run.one("root-mfa", "arn:aws:iam::222222222222:root");
    assert_eq!(left["status"], "NOT_DETERMINABLE");
    assert!(
        left["reason"].as_str().unwrap().contains("broken.csv"),
        "{left}"
    );
    assert!(run.stderr.contains("left out"), "{}", run.stderr);
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap(),
    )
    .unwrap();
    let broken = meta["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"] == "broken.csv")
        .unwrap();
    assert_eq!(broken["disposition"], "left out");
    assert_eq!(broken["account"], "222222222222");
    assert!(
        broken["note"]
            .as_str()
            .unwrap()
            .contains("user_creation_time")
    );
}

#[test]
fn checks_catalogue_lists_every_registered_check() {
    let (code, stdout, _) = raw(&["checks", "--format", "json"]);
    assert_eq!(code, 0);
    let list: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let ids: Vec<&str> = list.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let registry: Vec<&str> = iam_evidence::checks::REGISTRY
        .iter()
        .map(|c| c.meta.id)
        .collect();
    assert_eq!(ids, registry);
    assert!(ids.contains(&"console-user-mfa") && ids.contains(&"root-mfa"));
    let (_, table, _) = raw(&["checks"]);
    assert!(
        table.contains("IAM.5") && table.contains("1.10 / 2.9"),
        "{table}"
    );
}

#[test]
fn version_prints_the_crate_version() {
    let (code, stdout, _) = raw(&["--version"]);
    assert_eq!(code, 0);
    assert!(stdout.contains(env!("CARGO_PKG_VERSION")), "{stdout}");
}

#[test]
fn same_inputs_give_byte_identical_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.xlsx");
    let jsonl = dir.path().join("a.jsonl");
    let args: [String; 6] = [
        "audit".into(),
        fixture("reports/plain.csv").to_str().unwrap().to_string(),
        "-o".into(),
        out.to_str().unwrap().to_string(),
        "--results".into(),
        jsonl.to_str().unwrap().to_string(),
    ];
    let args: Vec<&str> = args.iter().map(|s| s.as_ref()).collect();
    assert_eq!(raw(&args).0, 0);
    let first = (std::fs::read(&out).unwrap(), std::fs::read(&jsonl).unwrap());
    assert_eq!(raw(&args).0, 0);
    let second = (std::fs::read(&out).unwrap(), std::fs::read(&jsonl).unwrap());
    assert!(
        first.0 == second.0,
        "workbooks differ between two identical runs"
    );
    assert!(
        first.1 == second.1,
        "results differ between two identical runs"
    );
}

#[test]
fn symlink_loop_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.path().join("self"), dir.path().join("self")).unwrap();
    std::fs::copy(fixture("reports/plain.csv"), dir.path().join("r.csv")).unwrap();
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("self"), "{}", run.stderr);
}

#[test]
fn a_folder_symlinked_to_its_parent_is_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("reports/plain.csv"), dir.path().join("r.csv")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.status("console-user-mfa", "arn:aws:iam::123456789012:user/ops/bob"),
        "FAIL"
    );
}
