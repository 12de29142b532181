//! Helpers shared by the integration tests: run the real binary, read its outputs back.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The built binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_iam-evidence"))
}

/// A path under tests/fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Whether this is a CI run (`CI=true`): CI has everything the tests need, so a test that
/// cannot run there fails instead of skipping.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Says loudly that the calling test did not test anything and why; the caller then returns.
/// The line goes straight to stderr, past the test harness's output capture, so it shows in a
/// passing run too. Under `CI=true` it panics instead: there a skip would hide a gap.
pub fn skip(because: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("an unnamed test")
        .to_string();
    if in_ci() {
        panic!("{test} cannot run, and CI=true does not allow skipping: {because}");
    }
    let _ = writeln!(std::io::stderr(), "skipped: {test} because {because}");
}

/// The corpus of real third-party exports: `IAM_EVIDENCE_CORPUS`, else `../shared/corpus`
/// beside the repository. When it is absent, the calling test is skipped loudly (see `skip`)
/// and gets `None`; under `CI=true` that is a failure.
pub fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("IAM_EVIDENCE_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    skip(&format!(
        "the corpus of real exports is not at {} (set IAM_EVIDENCE_CORPUS to its path)",
        dir.display()
    ));
    None
}

/// One finished run of `audit`.
pub struct Run {
    pub code: i32,
    pub stderr: String,
    pub results: Vec<serde_json::Value>,
    pub workbook: PathBuf,
    pub jsonl: PathBuf,
    pub dir: tempfile::TempDir,
}

impl Run {
    /// (check_id, resource_arn, credential, status) of every result, in file order.
    pub fn verdicts(&self) -> Vec<(String, String, String, String)> {
        self.results
            .iter()
            .map(|r| {
                (
                    r["check_id"].as_str().unwrap_or_default().to_string(),
                    r["resource_arn"].as_str().unwrap_or_default().to_string(),
                    r["credential"].as_str().unwrap_or_default().to_string(),
                    r["status"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// The one result of a check for a resource (panics with the whole list otherwise).
    pub fn one(&self, check: &str, resource: &str) -> &serde_json::Value {
        let found: Vec<&serde_json::Value> = self
            .results
            .iter()
            .filter(|r| r["check_id"] == check && r["resource_arn"] == resource)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected one {check} result for {resource}; got {:#?}",
            self.results
        );
        found[0]
    }

    /// Status of the one result of a check for a resource.
    pub fn status(&self, check: &str, resource: &str) -> String {
        self.one(check, resource)["status"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// Runs `audit` on the paths with extra arguments, writing into a fresh temp folder.
pub fn audit(paths: &[&Path], extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let workbook = dir.path().join("out.xlsx");
    let jsonl = dir.path().join("out.jsonl");
    let output = Command::new(bin())
        .arg("audit")
        .args(paths)
        .arg("--output")
        .arg(&workbook)
        .arg("--results")
        .arg(&jsonl)
        .args(extra)
        .output()
        .expect("run binary");
    let results = std::fs::read_to_string(&jsonl)
        .map(|t| {
            t.lines()
                .map(|l| serde_json::from_str(l).expect("JSON line"))
                .collect()
        })
        .unwrap_or_default();
    Run {
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        results,
        workbook,
        jsonl,
        dir,
    }
}

/// Runs the binary with raw arguments: (exit code, stdout, stderr).
pub fn raw(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(bin()).args(args).output().expect("run binary");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A sheet of a workbook as rows of cell texts.
pub fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path).expect("open workbook");
    let range = wb.worksheet_range(name).expect("sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// The sheet names of a workbook, in order.
pub fn sheet_names(path: &Path) -> Vec<String> {
    use calamine::{Reader, Xlsx, open_workbook};
    let wb: Xlsx<_> = open_workbook(path).expect("open workbook");
    wb.sheet_names().to_vec()
}
