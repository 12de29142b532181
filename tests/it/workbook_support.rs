//! Helpers for the workbook tests: run the real binary on fixtures, read the workbook back
//! with calamine, and read its XML parts with zip.

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The sheets of a fixture workbook, in order.
pub const SHEETS: [&str; 12] = [
    "Cover",
    "Summary",
    "Population",
    "Findings",
    "Open items",
    "Results",
    "Users",
    "Roles",
    "Privileged access",
    "MFA policies",
    "Inputs",
    "Checks",
];

/// The fixture folder of the workbook tests.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workbook")
}

/// A fresh scratch folder under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `iam-evidence audit INPUT -o DIR/workbook.xlsx --results DIR/results.jsonl -q` and
/// returns (workbook, results).
pub fn audit(input: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let xlsx = dir.join("workbook.xlsx");
    let jsonl = dir.join("results.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_iam-evidence"))
        .arg("audit")
        .arg(input)
        .arg("-o")
        .arg(&xlsx)
        .arg("--results")
        .arg(&jsonl)
        .arg("-q")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "audit failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (xlsx, jsonl)
}

/// The fixture accounts' workbook and results, built once per test run.
pub fn acme() -> &'static (PathBuf, PathBuf) {
    static RUN: std::sync::OnceLock<(PathBuf, PathBuf)> = std::sync::OnceLock::new();
    RUN.get_or_init(|| audit(&fixtures().join("acme"), &scratch("workbook-acme")))
}

/// Sheet names, in order.
pub fn sheet_names(xlsx: &Path) -> Vec<String> {
    let wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    wb.sheet_names()
}

/// One sheet's cells.
pub fn sheet(xlsx: &Path, name: &str) -> Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    wb.worksheet_range(name).unwrap()
}

/// A cell as text: strings as they are, numbers without a trailing `.0`, booleans as
/// `true`/`false`, dates as `DATE(serial)`, empty as "".
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => format!("DATE({})", dt.as_f64()),
        other => format!("{other:?}"),
    }
}

/// A sheet's data rows (header excluded), as text.
pub fn data_rows(range: &Range<Data>) -> Vec<Vec<String>> {
    range
        .rows()
        .skip(1)
        .map(|r| r.iter().map(cell_text).collect())
        .collect()
}

/// A sheet's header row.
pub fn header(range: &Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .map(|r| r.iter().map(cell_text).collect())
        .unwrap_or_default()
}

/// The column index of a header.
pub fn col(range: &Range<Data>, name: &str) -> usize {
    header(range)
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// The results file, one JSON value per line.
pub fn results(jsonl: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A part of the workbook's zip, as text.
pub fn part(xlsx: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut out = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

/// Every part name in the workbook's zip.
pub fn part_names(xlsx: &Path) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

/// The XML of a worksheet by name (the writer numbers sheet parts in sheet order).
pub fn sheet_xml(xlsx: &Path, name: &str) -> String {
    let index = sheet_names(xlsx)
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no sheet {name}"));
    let path = format!("xl/worksheets/sheet{}.xml", index + 1);
    let workbook = part(xlsx, "xl/workbook.xml");
    assert!(
        workbook.contains(&format!(
            "<sheet name=\"{}\" sheetId=\"{}\"",
            xml_escape(name),
            index + 1
        )),
        "sheet part numbering differs from sheet order"
    );
    part(xlsx, &path)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}
