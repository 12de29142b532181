//! `third_party/rust_xlsxwriter` is the published rust_xlsxwriter 0.102.0 with only the change
//! its `PATCHED.md` documents. Checked offline against two committed files:
//!
//! - `third_party/rust_xlsxwriter/PRISTINE.sha256`: the SHA-256 of every file of the published
//!   crate (`sha256sum` format; `sha256sum -c` it inside a fresh download to check it);
//! - `tests/fixtures/rust_xlsxwriter/vendored.diff`: `diff -u` from the published files to the
//!   vendored ones.
//!
//! Every vendored file must be a published one (or one of this project's notes), every published
//! file must be vendored unless it is of a kind left out, an untouched file must hash to its
//! published hash, and a patched file with the diff reversed must hash to its published hash.
//! The diff itself may only drop `[[example]]`/`[[bench]]` tables from `Cargo.toml` and, in the
//! sources, make the changes `PATCHED.md` shows hunk for hunk.

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Published files that are deliberately not vendored (PATCHED.md says why).
const LEFT_OUT: [&str; 8] = [
    ".cargo_vcs_info.json",
    ".github/",
    ".gitignore",
    ".typos.toml",
    "Cargo.lock",
    "Cargo.toml.orig",
    "benches/",
    "examples/",
];

/// This project's notes beside the vendored crate.
const OURS: [&str; 2] = ["PATCHED.md", "PRISTINE.sha256"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("third_party/rust_xlsxwriter")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// path -> published SHA-256.
fn pristine() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root().join("PRISTINE.sha256")).unwrap();
    let manifest: BTreeMap<String, String> = text
        .lines()
        .map(|line| {
            let (hash, path) = line
                .split_once("  ")
                .unwrap_or_else(|| panic!("PRISTINE.sha256: bad line {line:?}"));
            assert!(
                hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
                "PRISTINE.sha256: bad hash in {line:?}"
            );
            (path.to_string(), hash.to_string())
        })
        .collect();
    assert!(
        manifest.contains_key("src/worksheet.rs") && manifest.len() > 600,
        "PRISTINE.sha256 does not list the published crate"
    );
    manifest
}

/// Vendored files, as paths relative to the crate root with `/` separators.
fn vendored() -> BTreeSet<String> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(parts.join("/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&root(), &root(), &mut out);
    out
}

/// One hunk of a unified diff: where the new side starts (1-based) and its lines, each with
/// its `' '`, `'-'` or `'+'` tag.
struct Hunk {
    header: String,
    new_start: usize,
    lines: Vec<(char, String)>,
}

/// `diff -u` output: file (the `+++ b/` path) -> its hunks.
fn parse_diff(text: &str) -> BTreeMap<String, Vec<Hunk>> {
    let mut files: BTreeMap<String, Vec<Hunk>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(old) = line.strip_prefix("--- a/") {
            let new = lines.next().and_then(|l| l.strip_prefix("+++ b/"));
            assert_eq!(new, Some(old), "diff: --- a/{old} without +++ b/{old}");
            current = Some(old.to_string());
            files.entry(old.to_string()).or_default();
        } else if let Some(ranges) = line.strip_prefix("@@ -") {
            let file = current.clone().expect("diff: hunk before a file header");
            let range = |s: &str| -> (usize, usize) {
                let (start, len) = s.split_once(',').unwrap_or((s, "1"));
                (start.parse().unwrap(), len.parse().unwrap())
            };
            let mut parts = ranges.split(' ');
            let (_, old_len) = range(parts.next().unwrap());
            let (new_start, new_len) = range(parts.next().unwrap().trim_start_matches('+'));
            let mut hunk = Hunk {
                header: line.to_string(),
                new_start,
                lines: Vec::new(),
            };
            let (mut old_seen, mut new_seen) = (0, 0);
            while old_seen < old_len || new_seen < new_len {
                let body = lines.next().expect("diff: hunk shorter than its header");
                let (tag, rest) = body.split_at(body.chars().next().map_or(0, char::len_utf8));
                let tag = tag.chars().next().unwrap_or(' ');
                match tag {
                    ' ' => (old_seen, new_seen) = (old_seen + 1, new_seen + 1),
                    '-' => old_seen += 1,
                    '+' => new_seen += 1,
                    _ => panic!("diff: unexpected line {body:?} in {file}"),
                }
                hunk.lines.push((tag, rest.to_string()));
            }
            assert!(
                old_seen == old_len && new_seen == new_len,
                "diff: {file} {line} counts do not add up"
            );
            files.get_mut(&file).unwrap().push(hunk);
        } else {
            assert!(
                !line.starts_with('\\'),
                "diff: files without a final newline are not handled: {line}"
            );
            panic!("diff: unexpected line outside a hunk: {line:?}");
        }
    }
    files
}

/// The vendored text with the hunks reversed: the published text, if the hunks are exactly
/// what changed. Err says which hunk does not match the vendored file.
fn reverse(vendored: &str, hunks: &[Hunk]) -> Result<String, String> {
    let have: Vec<&str> = vendored.lines().collect();
    if !vendored.ends_with('\n') {
        return Err("the vendored file lacks a final newline".to_string());
    }
    let mut out: Vec<&str> = Vec::new();
    let mut next = 0; // first vendored line not yet copied
    for hunk in hunks {
        // A hunk whose new side is empty starts after line new_start; otherwise at it.
        let new_len = hunk.lines.iter().filter(|(t, _)| *t != '-').count();
        let at = if new_len == 0 {
            hunk.new_start
        } else {
            hunk.new_start - 1
        };
        if at < next || at + new_len > have.len() {
            return Err(format!("{} is out of place", hunk.header));
        }
        out.extend(&have[next..at]);
        let mut cursor = at;
        for (tag, text) in &hunk.lines {
            if *tag != '-' {
                if have[cursor] != text {
                    return Err(format!(
                        "{}: vendored line {} is {:?}, the diff expects {:?}",
                        hunk.header,
                        cursor + 1,
                        have[cursor],
                        text
                    ));
                }
                cursor += 1;
            }
            if *tag != '+' {
                out.push(text);
            }
        }
        next = cursor;
    }
    out.extend(&have[next..]);
    Ok(out.iter().map(|l| format!("{l}\n")).collect())
}

fn diff() -> BTreeMap<String, Vec<Hunk>> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rust_xlsxwriter/vendored.diff");
    parse_diff(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn vendored_files_are_the_published_ones() {
    let pristine = pristine();
    let vendored = vendored();
    let left_out = |p: &str| {
        LEFT_OUT
            .iter()
            .any(|l| p == *l || (l.ends_with('/') && p.starts_with(l)))
    };
    let extra: Vec<&String> = vendored
        .iter()
        .filter(|p| !pristine.contains_key(*p) && !OURS.contains(&p.as_str()))
        .collect();
    let missing: Vec<&String> = pristine
        .keys()
        .filter(|p| !vendored.contains(*p) && !left_out(p))
        .collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "third_party/rust_xlsxwriter holds files the published 0.102.0 does not ({extra:?}) or \
         lacks published files that are not left out on purpose ({missing:?}); see its PATCHED.md"
    );
    for kept in vendored.iter().filter(|p| pristine.contains_key(*p)) {
        assert!(!left_out(kept), "{kept} is vendored but listed as left out");
    }
}

#[test]
fn vendored_files_differ_from_the_published_ones_only_by_the_documented_diff() {
    let pristine = pristine();
    let patched = diff();
    let mut failures = Vec::new();
    for file in vendored().iter().filter(|p| pristine.contains_key(*p)) {
        let bytes = std::fs::read(root().join(file)).unwrap();
        let restored = match patched.get(file) {
            None => bytes,
            Some(hunks) => match reverse(&String::from_utf8(bytes).unwrap(), hunks) {
                Ok(text) => text.into_bytes(),
                Err(e) => {
                    failures.push(format!("{file}: the documented diff does not apply: {e}"));
                    continue;
                }
            },
        };
        if sha256(&restored) != pristine[file] {
            failures.push(match patched.contains_key(file) {
                true => {
                    format!("{file}: differs from the published file beyond the documented diff")
                }
                false => format!("{file}: differs from the published file (not a patched file)"),
            });
        }
    }
    for file in patched.keys() {
        if !pristine.contains_key(file) {
            failures.push(format!(
                "the diff patches {file}, which is not a published file"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "third_party/rust_xlsxwriter is not rust_xlsxwriter 0.102.0 plus the change in its \
         PATCHED.md:\n  {}",
        failures.join("\n  ")
    );
}

#[test]
fn the_diff_is_the_documented_one() {
    let patched = diff();
    let notes = std::fs::read_to_string(root().join("PATCHED.md")).unwrap();
    assert!(
        patched.contains_key("src/worksheet.rs"),
        "the diff lost the table change"
    );
    for (file, hunks) in &patched {
        for hunk in hunks {
            if file == "Cargo.toml" {
                // Only whole [[example]] and [[bench]] tables are dropped from the manifest.
                for (tag, line) in &hunk.lines {
                    let dropped_target = line.is_empty()
                        || line == "[[example]]"
                        || line == "[[bench]]"
                        || line.starts_with("name = ")
                        || line.starts_with("path = \"examples/")
                        || line.starts_with("path = \"benches/")
                        || line.starts_with("required-features = ")
                        || (line.starts_with("    \"") && line.ends_with("\","))
                        || line == "]"
                        || line == "harness = false";
                    assert!(
                        *tag == ' ' || (*tag == '-' && dropped_target),
                        "Cargo.toml: {tag}{line:?} is not the removal of an example or bench target"
                    );
                }
            } else {
                let mut text = format!("{}\n", hunk.header);
                for (tag, line) in &hunk.lines {
                    text.push_str(&format!("{tag}{line}\n"));
                }
                assert!(
                    notes.contains(&text),
                    "PATCHED.md does not show this hunk of {file}:\n{text}"
                );
            }
        }
    }
}

#[test]
fn the_reversal_catches_a_change() {
    // The guard can fail: an extra edit next to a hunk, or anywhere else, is caught.
    let hunks = diff();
    let hunks = &hunks["src/worksheet.rs"];
    let text = std::fs::read_to_string(root().join("src/worksheet.rs")).unwrap();
    let pristine = pristine();
    let restored = reverse(&text, hunks).unwrap();
    assert_eq!(sha256(restored.as_bytes()), pristine["src/worksheet.rs"]);
    // Far from the hunks: the reversal applies, the hash differs.
    let edited = format!("{}X\n", text.trim_end());
    let restored = reverse(&edited, hunks).unwrap();
    assert_ne!(sha256(restored.as_bytes()), pristine["src/worksheet.rs"]);
    // Inside a hunk's context or its added lines: the reversal refuses.
    for (from, to) in [
        (
            "    table_ranges: Vec<CellRange>,",
            "    table_ranges: Vec<CellRange>, ",
        ),
        ("previous_cell_range.first_row <= last_row", "true"),
    ] {
        assert!(text.contains(from));
        assert!(reverse(&text.replacen(from, to, 1), hunks).is_err());
    }
}

/// The second change drops a row's options once the row is written: each row still carries
/// the height it was given, once, whether its cells come before or after the height.
#[test]
fn rows_written_in_constant_memory_keep_their_heights_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("heights.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let mut ws = workbook.new_worksheet_with_constant_memory().unwrap();
    for row in 0..4u32 {
        ws.write_string(row, 0, format!("row {row}")).unwrap();
        ws.set_row_height(row, 30 + 15 * row as u16).unwrap();
    }
    // A height on a row with no cells, after the last written row.
    ws.set_row_height(6, 90).unwrap();
    workbook.push_worksheet(ws);
    workbook.save(&path).unwrap();
    let xml = crate::workbook_support::part(&path, "xl/worksheets/sheet1.xml");
    for (row, height) in [(1, 30), (2, 45), (3, 60), (4, 75), (7, 90)] {
        let tag = format!("<row r=\"{row}\"");
        assert_eq!(xml.matches(&tag).count(), 1, "row {row} once: {xml}");
        let at = xml.find(&tag).unwrap();
        let element = &xml[at..at + xml[at..].find('>').unwrap()];
        assert!(element.contains(&format!("ht=\"{height}\"")), "{element}");
    }
}

/// A workbook of constant-memory sheets of different sizes and one in-memory sheet, saved with
/// its sheets compressed on `threads` threads (0: while writing, as published).
fn saved_with_compression_threads(dir: &Path, threads: usize) -> PathBuf {
    let path = dir.join(format!("threads-{threads}.xlsx"));
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.set_zip_compression_level(3);
    workbook.set_zip_compression_threads(threads);
    // A fixed creation date: the default is the clock's, which would differ between saves.
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1).unwrap();
    workbook.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    for (sheet, rows) in [(0u32, 10u32), (1, 3000), (2, 0), (3, 700)] {
        let mut ws = workbook.new_worksheet_with_constant_memory().unwrap();
        ws.set_name(format!("Data {sheet}")).unwrap();
        for row in 0..rows {
            ws.write_string(row, 0, format!("sheet {sheet} row {row}"))
                .unwrap();
            ws.write_number(row, 1, f64::from(row * sheet)).unwrap();
        }
        workbook.push_worksheet(ws);
    }
    workbook
        .add_worksheet()
        .set_name("In memory")
        .unwrap()
        .write_string(0, 0, "in memory")
        .unwrap();
    workbook.save(&path).unwrap();
    path
}

/// The third change compresses constant-memory sheets ahead of assembly on several threads:
/// the file is the same byte for byte whatever the number of threads, and every part holds
/// what compressing while writing (the published way) puts there.
#[test]
fn sheets_compressed_on_several_threads_save_the_same_file_as_on_one() {
    let dir = tempfile::tempdir().unwrap();
    let one = std::fs::read(saved_with_compression_threads(dir.path(), 1)).unwrap();
    for threads in [2, 3, 8] {
        let many = std::fs::read(saved_with_compression_threads(dir.path(), threads)).unwrap();
        assert!(one == many, "{threads} threads wrote a different file");
    }
    let published = saved_with_compression_threads(dir.path(), 0);
    let ahead = dir.path().join("threads-1.xlsx");
    let parts = |path: &Path| {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut entry = zip.by_index(i).unwrap();
                let mut text = String::new();
                std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
                (entry.name().unwrap().to_string(), text)
            })
            .collect::<Vec<_>>()
    };
    let (ahead, published) = (parts(&ahead), parts(&published));
    assert_eq!(ahead.len(), published.len());
    for ((name, text), (published_name, published_text)) in ahead.iter().zip(&published) {
        assert_eq!(name, published_name);
        assert!(text == published_text, "{name} differs");
    }
    let sheet2 = &ahead
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet2.xml")
        .unwrap()
        .1;
    assert!(
        sheet2.contains("sheet 1 row 2999"),
        "the largest sheet is whole"
    );
}
