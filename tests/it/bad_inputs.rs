//! The bad-input catalogue: each case named after itself, asserting the exit code, the message
//! (file, position, what was expected), the outputs, and that nothing panicked.

use crate::common::{Run, audit, fixture};
use std::path::Path;

/// A folder holding one good credential report and the bad file `name` with `bytes`.
fn folder_with(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("reports/plain.csv"), dir.path().join("good.csv")).unwrap();
    let path = dir.path().join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
    dir
}

/// The run fails with exit 1, no outputs, and stderr naming the file and each fragment.
fn fails(dir: &Path, fragments: &[&str]) -> Run {
    let run = audit(&[dir], &[]);
    assert_eq!(run.code, 1, "expected exit 1: {}", run.stderr);
    for f in fragments {
        assert!(run.stderr.contains(f), "missing '{f}' in: {}", run.stderr);
    }
    assert!(
        !run.workbook.exists() && !run.jsonl.exists(),
        "an output was written"
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// The run succeeds and stderr says the file was skipped for the reason.
fn skipped(dir: &Path, name: &str, reason: &str) -> Run {
    let run = audit(&[dir], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = format!("skipped {name}: {reason}");
    assert!(
        run.stderr.contains(&line),
        "missing '{line}' in: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
    run
}

fn report_with(edit: impl Fn(String) -> String) -> Vec<u8> {
    edit(
        std::fs::read_to_string(fixture("reports/plain.csv"))
            .unwrap()
            .replace("123456789012", "222222222222"),
    )
    .into_bytes()
}

fn authz_with(edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let text = std::fs::read_to_string(fixture("authz/object_documents.json")).unwrap();
    let mut v: serde_json::Value =
        serde_json::from_str(&text.replace("123456789012", "222222222222")).unwrap();
    edit(&mut v);
    serde_json::to_vec_pretty(&v).unwrap()
}

#[test]
fn empty_file() {
    let dir = folder_with("empty.csv", b"");
    skipped(dir.path(), "empty.csv", "empty file");
}

#[test]
fn truncated_json_mid_string() {
    let dir = folder_with("authz.json", b"{\"UserDetailList\": [{\"UserName\": \"ali");
    fails(
        dir.path(),
        &[
            "authz.json: /UserDetailList/0/UserName (line 1, column 37)",
            "EOF while parsing a string",
        ],
    );
}

#[test]
fn truncated_json_mid_array() {
    let dir = folder_with("authz.json", b"{\"UserDetailList\": [\n  {\"UserName\": \"a\", \"Arn\": \"arn:aws:iam::222222222222:user/a\"},\n");
    fails(
        dir.path(),
        &[
            "authz.json: /UserDetailList (line 3, column 0)",
            "EOF while parsing",
        ],
    );
}

#[test]
fn valid_json_that_is_not_an_export() {
    let dir = folder_with("other.json", b"{\"foo\": 1}");
    let run = skipped(
        dir.path(),
        "other.json",
        "not a recognized IAM export (first JSON key `foo`)",
    );
    let meta = std::fs::read_to_string(run.dir.path().join("out.jsonl.meta.json")).unwrap();
    assert!(meta.contains("\"disposition\": \"skipped\""));
}

#[test]
fn api_error_response() {
    let dir = folder_with(
        "report.json",
        br#"{"Error": {"Code": "ReportNotPresent", "Message": "Report not present"}}"#,
    );
    skipped(
        dir.path(),
        "report.json",
        "not a recognized IAM export: an API error response (Code ReportNotPresent)",
    );
}

#[test]
fn credential_report_missing_a_required_column() {
    let dir = folder_with(
        "r.csv",
        &report_with(|t| t.replacen("mfa_active", "mfa", 1)),
    );
    fails(
        dir.path(),
        &["r.csv: line 1: credential report header lacks required column(s): mfa_active"],
    );
}

#[test]
fn row_with_the_wrong_field_count() {
    let dir = folder_with(
        "r.csv",
        &report_with(|t| t.replacen(",N/A,false,N/A,false,N/A\n", ",N/A,false,N/A\n", 2)),
    );
    fails(
        dir.path(),
        &["r.csv: line 2: expected 22 fields as in the header, found 20"],
    );
}

#[test]
fn unparseable_date() {
    let dir = folder_with(
        "r.csv",
        &report_with(|t| t.replace("2022-03-04T05:06:07+00:00,true", "04/03/2022,true")),
    );
    fails(
        dir.path(),
        &[
            "r.csv: line 4, column user_creation_time: expected an ISO 8601 timestamp",
            "'04/03/2022'",
        ],
    );
}

#[test]
fn invalid_utf8() {
    let mut bytes = report_with(|t| t);
    let pos = bytes.windows(5).position(|w| w == b"carol").unwrap();
    bytes[pos] = 0xFF;
    let dir = folder_with("r.csv", &bytes);
    fails(dir.path(), &["r.csv: line 5: expected UTF-8 text"]);
}

#[test]
fn utf16_text_is_decoded() {
    let text = String::from_utf8(report_with(|t| t)).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let dir = folder_with("unicode.txt", &bytes);
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.status("console-user-mfa", "arn:aws:iam::222222222222:user/ops/bob"),
        "FAIL"
    );
}

#[test]
fn bad_base64_content() {
    let dir = folder_with(
        "report.json",
        br#"{"Content": "not base64 at all!", "GeneratedTime": "2024-06-01T00:00:00Z"}"#,
    );
    fails(
        dir.path(),
        &["report.json: /Content: expected the CSV text or base64 of it"],
    );
}

#[test]
fn corrupt_or_foreign_zip() {
    let dir = folder_with(
        "export.xlsx",
        b"PK\x03\x04this is not really a zip file at all",
    );
    skipped(
        dir.path(),
        "export.xlsx",
        "a zip archive that is not a credential report workbook",
    );
}

#[test]
fn binary_file() {
    let dir = folder_with("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    skipped(dir.path(), "logo.png", "binary file");
}

#[test]
fn json_nested_100000_deep() {
    let mut text = String::from(
        "{\"UserDetailList\": [{\"UserName\": \"a\", \"Arn\": \"arn:aws:iam::222222222222:user/a\", \
         \"UserPolicyList\": [{\"PolicyName\": \"p\", \"PolicyDocument\": ",
    );
    text.push_str(&"[".repeat(100_000));
    text.push_str(&"]".repeat(100_000));
    text.push_str("}]}]}");
    let dir = folder_with("deep.json", text.as_bytes());
    fails(
        dir.path(),
        &[
            "deep.json: /UserDetailList/0/UserPolicyList/0/PolicyDocument",
            "recursion limit exceeded",
        ],
    );
}

#[test]
fn fifty_megabyte_string_value() {
    let big = "x".repeat(50 * 1024 * 1024);
    let bytes = authz_with(|v| v["Junk"] = serde_json::Value::String(big.clone()));
    let dir = folder_with("authz.json", &bytes);
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.results
            .iter()
            .any(|r| r["account_id"] == "222222222222")
    );
}

#[test]
fn policy_document_neither_json_nor_url_encoded() {
    let bytes = authz_with(|v| {
        v["RoleDetailList"][0]["AssumeRolePolicyDocument"] = "Allow everyone please".into()
    });
    let dir = folder_with("authz.json", &bytes);
    fails(
        dir.path(),
        &["authz.json: /RoleDetailList/0/AssumeRolePolicyDocument"],
    );
}

#[test]
fn statement_of_the_wrong_type() {
    let bytes = authz_with(|v| {
        v["UserDetailList"][0]["UserPolicyList"][0]["PolicyDocument"]["Statement"] = 42.into()
    });
    let dir = folder_with("authz.json", &bytes);
    fails(
        dir.path(),
        &["authz.json: /UserDetailList/0/UserPolicyList/0/PolicyDocument/Statement"],
    );
}

#[test]
fn two_files_of_one_account_disagreeing_on_partition() {
    let dir = folder_with(
        "gov.csv",
        &report_with(|t| t.replace("arn:aws:", "arn:aws-us-gov:")),
    );
    std::fs::copy(
        fixture("authz/object_documents.json"),
        dir.path().join("authz.json"),
    )
    .unwrap();
    let text = std::fs::read_to_string(fixture("authz/object_documents.json"))
        .unwrap()
        .replace("123456789012", "222222222222");
    std::fs::write(dir.path().join("authz.json"), text).unwrap();
    fails(dir.path(), &["account 222222222222 appears in partition"]);
    let kept = audit(&[dir.path()], &["--keep-going"]);
    assert_eq!(
        kept.code, 0,
        "with --keep-going the export in the second partition is left out: {}",
        kept.stderr
    );
    assert!(
        kept.stderr.contains("left out (--keep-going)"),
        "{}",
        kept.stderr
    );
}

#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder_with("secret.csv", &report_with(|t| t));
    let path = dir.path().join("secret.csv");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Root reads a file whatever its mode (CI runs as root). Stand in a file that root
        // cannot read either: a link to /proc/self/mem, a regular file whose first page is
        // unmapped, so reading it fails (EIO) in the tool as it would with EACCES.
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink("/proc/self/mem", &path).unwrap();
        assert!(
            std::fs::metadata(&path).is_ok_and(|m| m.is_file()) && std::fs::read(&path).is_err(),
            "/proc/self/mem no longer stands in for an unreadable file here"
        );
    }
    fails(dir.path(), &["secret.csv: cannot read"]);
}

#[test]
fn inputs_are_never_modified() {
    let dir = folder_with("authz.json", &authz_with(|_| {}));
    let snapshot = |p: &Path| {
        let mut out = Vec::new();
        for e in std::fs::read_dir(p).unwrap() {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            out.push((
                e.file_name(),
                std::fs::read(e.path()).unwrap(),
                meta.modified().unwrap(),
                meta.len(),
            ));
        }
        out.sort();
        out
    };
    let before = snapshot(dir.path());
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(before == snapshot(dir.path()), "an input changed");
}

#[test]
fn no_networking_crate_in_the_dependency_tree() {
    // Cargo.lock lists every package of the resolved tree, for every platform.
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \"")?.strip_suffix('"'))
        .collect();
    assert!(names.contains(&"rust_xlsxwriter"), "Cargo.lock looks wrong");
    for banned in [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "isahc",
        "surf",
        "attohttpc",
        "tokio",
        "mio",
        "socket2",
        "native-tls",
        "rustls",
        "openssl",
        "h2",
        "http",
    ] {
        assert!(
            !names.contains(&banned),
            "networking crate {banned} is in the dependency tree"
        );
    }
}
