//! Every input the fuzzers found a crash, hang or overflow with, replayed through the same
//! entry points (the fuzz targets' own bodies, `fuzz/harness.rs`): each must return, with the
//! input accepted or refused by a clean error that names the file. See docs/development.md.

#[path = "../../fuzz/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Far above what any fixture takes even unoptimized; a hang regression would blow it.
const BUDGET: Duration = Duration::from_secs(30);

fn fixtures(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "{} holds no regression input: the {target} replay would test nothing",
        dir.display()
    );
    files
}

fn replay(target: &str, run: fn(&[u8]) -> Vec<harness::Outcome>) {
    for path in fixtures(target) {
        let bytes = std::fs::read(&path).unwrap();
        let started = Instant::now();
        let outcomes = run(&bytes);
        let took = started.elapsed();
        assert!(!outcomes.is_empty(), "{}", path.display());
        assert!(took < BUDGET, "{} took {took:?}", path.display());
        for outcome in outcomes {
            if let Err(message) = outcome {
                assert!(
                    message.starts_with(harness::FILE) || message.starts_with("at "),
                    "{}: unclean error {message}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn credential_report_regressions() {
    replay("credential_report", harness::credential_report);
}

#[test]
fn authorization_details_regressions() {
    replay("authorization_details", harness::authorization_details);
}

#[test]
fn policy_document_regressions() {
    replay("policy_document", harness::policy_document);
}
