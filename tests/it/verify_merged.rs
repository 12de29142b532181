//! `verify` of a workbook merged by `report --from-results`: each part is re-performed with
//! its own options (here, its own `--as-of`) and the accounts it audited.

use crate::common::raw;
use std::path::{Path, PathBuf};

/// The Q2 sample's account folders and its organization list folder.
const FOLDERS: [&str; 4] = [
    "acme-prod",
    "acme-shared-services",
    "acme-govcloud",
    "acme-management",
];

/// A copy of `samples/2025-Q2` in `dir` (so a test can change a file), audited in two parts
/// with different `--as-of` dates (prod and shared services at 2025-06-30, GovCloud at
/// 2025-07-15, each with the organization list) and merged: the merged workbook and the
/// copy's folders, as `verify` takes them.
fn merged_parts(dir: &Path) -> (PathBuf, Vec<String>) {
    let samples = dir.join("2025-Q2");
    copy_tree(Path::new("samples/2025-Q2"), &samples);
    let folder = |name: &str| samples.join(name).to_str().unwrap().to_string();
    let parts: [(&str, &[&str], &str); 2] = [
        (
            "a",
            &["acme-prod", "acme-shared-services", "acme-management"],
            "2025-06-30",
        ),
        ("b", &["acme-govcloud", "acme-management"], "2025-07-15"),
    ];
    let mut results = Vec::new();
    for (name, folders, as_of) in parts {
        let jsonl = dir.join(format!("{name}.jsonl"));
        let xlsx = dir.join(format!("{name}.xlsx"));
        let mut args: Vec<String> = vec!["audit".into()];
        args.extend(folders.iter().map(|f| folder(f)));
        for a in ["--as-of", as_of, "--quiet", "-o"] {
            args.push(a.into());
        }
        args.push(xlsx.to_str().unwrap().into());
        args.push("--results".into());
        args.push(jsonl.to_str().unwrap().into());
        let (code, _, stderr) = raw(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(code, 0, "{stderr}");
        results.push(jsonl.to_str().unwrap().to_string());
    }
    let merged = dir.join("merged.xlsx");
    let merged_jsonl = dir.join("merged.jsonl");
    let (code, _, stderr) = raw(&[
        "report",
        "--from-results",
        &results[0],
        &results[1],
        "-o",
        merged.to_str().unwrap(),
        "--results",
        merged_jsonl.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 0, "{stderr}");
    (merged, FOLDERS.iter().map(|f| folder(f)).collect())
}

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

/// `verify MERGED PATH...`: exit code and stderr.
fn verify(merged: &Path, paths: &[String]) -> (i32, String) {
    let mut args = vec!["verify", merged.to_str().unwrap()];
    args.extend(paths.iter().map(String::as_str));
    let (code, _, stderr) = raw(&args);
    (code, stderr)
}

#[test]
fn a_merge_of_parts_audited_at_different_as_of_dates_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (merged, paths) = merged_parts(dir.path());
    let (code, stderr) = verify(&merged, &paths);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("matches its inputs"), "{stderr}");
}

#[test]
fn the_merge_records_each_parts_options_and_accounts() {
    let dir = tempfile::tempdir().unwrap();
    merged_parts(dir.path());
    let text = std::fs::read_to_string(dir.path().join("merged.jsonl.meta.json")).unwrap();
    let meta: serde_json::Value = serde_json::from_str(&text).unwrap();
    let parts: Vec<(String, Vec<String>)> = meta["options"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let accounts = p["accounts"].as_array().unwrap();
            (
                p["options"]["as_of"].as_str().unwrap().to_string(),
                accounts
                    .iter()
                    .map(|a| a.as_str().unwrap().into())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            (
                "2025-06-30".to_string(),
                vec!["111111111111".to_string(), "222222222222".to_string()]
            ),
            ("2025-07-15".to_string(), vec!["333333333333".to_string()]),
        ]
    );
    // The merge as a whole has no one as-of; a part's own record has no parts.
    assert!(meta["options"]["as_of"].is_null());
    assert!(
        meta["options"]["parts"][0]["options"]
            .get("parts")
            .is_none()
    );
    // An ordinary audit records no parts.
    let part = std::fs::read_to_string(dir.path().join("a.jsonl.meta.json")).unwrap();
    assert!(!part.contains("\"parts\""), "{part}");
}

#[test]
fn a_merged_workbook_does_not_verify_against_a_changed_input() {
    let dir = tempfile::tempdir().unwrap();
    let (merged, paths) = merged_parts(dir.path());
    // GovCloud's credential report (the part audited at 2025-07-15) changes after the merge:
    // leo now has MFA.
    let report = dir
        .path()
        .join("2025-Q2/acme-govcloud/GovCloud 333333333333/credential_report (1).csv");
    let text = std::fs::read_to_string(&report).unwrap();
    let leo = "2022-06-01T09:00:00Z,N/A,FALSE,";
    assert!(text.contains(leo));
    std::fs::write(&report, text.replace(leo, "2022-06-01T09:00:00Z,N/A,TRUE,")).unwrap();
    let (code, stderr) = verify(&merged, &paths);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("input GovCloud 333333333333/credential_report (1).csv changed"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("(333333333333 console-user-mfa arn:aws-us-gov:iam::333333333333:user/leo)"),
        "{stderr}"
    );
}
