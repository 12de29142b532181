//! Export archives read as received: .zip and .tar.gz, source references into the archive,
//! and unsafe entries (path traversal, decompression bombs) refused with a clear error.

use crate::common::{Run, audit};
use std::io::Write;
use std::path::Path;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-Q2")
}

/// Every file under `dir`, as (path relative to `base`, bytes), in name order.
fn tree(dir: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            tree(&p, base, out);
        } else {
            let rel = p
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(&p).unwrap()));
        }
    }
}

fn write_zip(path: &Path, files: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn write_tar_gz(path: &Path, files: &[(String, Vec<u8>)]) {
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::default(),
    );
    let mut tar = tar::Builder::new(gz);
    for (name, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
}

fn verdicts_without_sources(run: &Run) -> Vec<(String, String, String, String, String)> {
    run.results
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (
                s("account_id"),
                s("check_id"),
                s("resource_arn"),
                s("credential"),
                s("status"),
            )
        })
        .collect()
}

#[test]
fn zip_and_tar_gz_read_like_the_folder_with_sources_into_the_archive() {
    let mut files = Vec::new();
    tree(&samples(), &samples(), &mut files);
    let dir = tempfile::tempdir().unwrap();
    let (zipped, tarred): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|(n, _)| !n.starts_with("acme-govcloud"));
    write_zip(&dir.path().join("export.zip"), &zipped);
    write_tar_gz(&dir.path().join("gov.tar.gz"), &tarred);
    let archived = audit(&[dir.path()], &[]);
    assert_eq!(archived.code, 0, "{}", archived.stderr);
    let folder = audit(&[&samples()], &[]);
    assert_eq!(
        verdicts_without_sources(&archived),
        verdicts_without_sources(&folder)
    );
    let root_c = archived.one("root-mfa", "arn:aws-us-gov:iam::333333333333:root");
    assert_eq!(
        root_c["source"]["file"],
        "gov.tar.gz!/acme-govcloud/GovCloud 333333333333/credential_report (1).csv"
    );
    let bob = archived.one("console-user-mfa", "arn:aws:iam::111111111111:user/bob");
    assert_eq!(
        bob["source"]["file"],
        "export.zip!/acme-prod/111111111111/credential-report.csv"
    );
    assert_eq!(bob["source"]["location"], "line 4");
    assert!(
        archived
            .stderr
            .contains("skipped export.zip!/acme-prod/README-from-client.txt"),
        "{}",
        archived.stderr
    );
}

#[test]
fn path_traversal_entry_is_refused() {
    let report =
        std::fs::read(samples().join("acme-prod/111111111111/credential-report.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_zip(
        &dir.path().join("export.zip"),
        &[
            ("acct/credential-report.csv".into(), report.clone()),
            ("../../evil.csv".into(), report),
        ],
    );
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("export.zip!/../../evil.csv")
            && run.stderr.contains("unsafe path in archive"),
        "{}",
        run.stderr
    );
    assert!(!run.workbook.exists());
    let kept = audit(&[dir.path()], &["--keep-going"]);
    assert_eq!(kept.code, 0, "{}", kept.stderr);
    assert_eq!(
        kept.status("root-mfa", "arn:aws:iam::111111111111:root"),
        "PASS"
    );
}

#[test]
fn decompression_bomb_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 80 << 20];
    let report =
        std::fs::read(samples().join("acme-prod/111111111111/credential-report.csv")).unwrap();
    write_zip(
        &dir.path().join("export.zip"),
        &[
            ("acct/credential-report.csv".into(), report),
            ("bomb.bin".into(), zeros),
        ],
    );
    let run = audit(&[dir.path()], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("export.zip!/bomb.bin") && run.stderr.contains("decompression bomb"),
        "{}",
        run.stderr
    );
}
