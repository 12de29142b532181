//! Distribution contract: `--version` provenance.

use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn version_output() -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_iam-evidence"))
        .arg("--version")
        .output()
        .expect("run iam-evidence --version");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 --version")
}

/// `commit unknown`, or `commit HEX, built from ...`.
fn assert_commit_field(provenance: &str) {
    if provenance == "commit unknown" {
        return;
    }
    let rest = provenance
        .strip_prefix("commit ")
        .unwrap_or_else(|| panic!("no commit field in {provenance:?}"));
    let (hash, how) = rest
        .split_once(", ")
        .unwrap_or_else(|| panic!("no build origin after the commit in {provenance:?}"));
    assert!(
        hash.len() >= 7 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "commit {hash:?} is not a hash in {provenance:?}"
    );
    assert!(
        [
            "built from a clean tree",
            "built from a modified tree",
            "built from the vendored source tarball",
            "tree state unknown",
        ]
        .contains(&how),
        "unexpected build origin {how:?}"
    );
}

#[test]
fn version_names_the_crate_version_and_the_commit() {
    let stdout = version_output();
    let line = stdout.trim_end();
    let prefix = concat!("iam-evidence ", env!("CARGO_PKG_VERSION"), " (");
    let provenance = line
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("--version printed {line:?}, expected {prefix}...)"));
    assert_commit_field(provenance);
}

#[test]
fn version_line_is_what_version_prints() {
    // The workbook cover shows VERSION_LINE: it must be the same text as --version.
    let stdout = version_output();
    assert_eq!(
        stdout.trim_end(),
        format!("iam-evidence {}", iam_evidence::commands::VERSION_LINE)
    );
}

#[test]
fn built_in_a_git_checkout_the_commit_is_head() {
    // In the repository (not the vendored tarball), the commit is HEAD's when git is available.
    let root = Path::new(ROOT);
    if root.join("COMMIT").exists() {
        println!("skipped: built from the vendored source tarball (COMMIT file present)");
        return;
    }
    let head = Command::new("git")
        .args(["-C", ROOT, "rev-parse", "HEAD"])
        .output();
    let head = match head {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        _ => {
            println!("skipped: git unavailable or {ROOT} is not a git work tree");
            return;
        }
    };
    let line = iam_evidence::commands::VERSION_LINE;
    assert!(
        line.contains(&format!("commit {}", &head[..12])),
        "VERSION_LINE {line:?} does not name HEAD {head}"
    );
}
