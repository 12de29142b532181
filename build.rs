//! Build provenance for `--version` and the workbook cover.
//!
//! Sets `IAM_EVIDENCE_VERSION_LINE` to the crate version plus the git commit the binary was built
//! from, in this order of preference:
//!
//! 1. a `COMMIT` file beside `Cargo.toml` (written by `scripts/vendor.sh` into the vendored
//!    source tarball, whose sources are exactly that commit's `git archive`):
//!    `0.1.0 (commit 0123456789ab, built from the vendored source tarball)`;
//! 2. the git work tree this crate is the top of:
//!    `0.1.0 (commit 0123456789ab, built from a clean tree)`, or `... built from a modified
//!    tree` when a file that goes into the binary (`src/`, `build.rs`, `Cargo.toml`,
//!    `Cargo.lock`) differs from that commit;
//! 3. otherwise `0.1.0 (commit unknown)`.
//!
//! No dependency: only `std` and, when present, the `git` program. A missing or failing `git`
//! never fails the build; it gives `commit unknown`.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The paths whose changes make the binary differ from the commit.
const BUILD_INPUTS: &[&str] = &["src", "build.rs", "Cargo.toml", "Cargo.lock"];

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let version = env::var("CARGO_PKG_VERSION").unwrap_or_default();

    for input in BUILD_INPUTS {
        println!("cargo:rerun-if-changed={input}");
    }
    println!("cargo:rerun-if-changed=COMMIT");

    let provenance = from_commit_file(&manifest_dir)
        .or_else(|| from_git(&manifest_dir))
        .unwrap_or_else(|| "commit unknown".to_string());
    println!("cargo:rustc-env=IAM_EVIDENCE_VERSION_LINE={version} ({provenance})");
}

/// Short form shown to people; the full hash is in `COMMIT` and the git history.
fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

fn is_commit_hash(text: &str) -> bool {
    (7..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The first line of `COMMIT`, if it is a commit hash.
fn from_commit_file(manifest_dir: &Path) -> Option<String> {
    let text = fs::read_to_string(manifest_dir.join("COMMIT")).ok()?;
    let commit = text.lines().next()?.trim();
    if !is_commit_hash(commit) {
        println!(
            "cargo:warning=COMMIT does not start with a commit hash; version says commit unknown"
        );
        return None;
    }
    Some(format!(
        "commit {}, built from the vendored source tarball",
        short(commit)
    ))
}

fn git(manifest_dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(manifest_dir)
        .args(args)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Commit and cleanliness of the git work tree whose top is the manifest directory. A crate
/// unpacked somewhere inside another repository is not that repository's commit.
fn from_git(manifest_dir: &Path) -> Option<String> {
    let top = git(manifest_dir, &["rev-parse", "--show-toplevel"])?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same(Path::new(&top), manifest_dir) {
        return None;
    }
    let commit = git(manifest_dir, &["rev-parse", "HEAD"])?;
    if !is_commit_hash(&commit) {
        return None;
    }
    watch_git_metadata(manifest_dir);

    let mut status_args = vec!["status", "--porcelain", "--untracked-files=all", "--"];
    status_args.extend_from_slice(BUILD_INPUTS);
    let tree = match git(manifest_dir, &status_args) {
        Some(changes) if changes.is_empty() => "built from a clean tree",
        Some(_) => "built from a modified tree",
        None => "tree state unknown",
    };
    Some(format!("commit {}, {tree}", short(&commit)))
}

/// Rerun when HEAD moves or the index changes (commit, checkout, reset, stage). Only existing
/// paths are watched: a missing one would make cargo rerun this script on every build.
fn watch_git_metadata(manifest_dir: &Path) {
    let absolute = |p: String| {
        let p = PathBuf::from(p);
        if p.is_absolute() {
            p
        } else {
            manifest_dir.join(p)
        }
    };
    let Some(git_dir) = git(manifest_dir, &["rev-parse", "--git-dir"]).map(absolute) else {
        return;
    };
    let common_dir = git(manifest_dir, &["rev-parse", "--git-common-dir"])
        .map(absolute)
        .unwrap_or_else(|| git_dir.clone());
    let mut watched = vec![
        git_dir.join("HEAD"),
        git_dir.join("index"),
        git_dir.join("logs").join("HEAD"),
        common_dir.join("packed-refs"),
        common_dir.join("refs").join("heads"),
    ];
    if let Ok(head) = fs::read_to_string(git_dir.join("HEAD"))
        && let Some(reference) = head.trim().strip_prefix("ref: ")
    {
        watched.push(common_dir.join(reference));
    }
    for path in watched.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}
