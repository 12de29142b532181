//! This tool's outputs read back: a results file or a workbook's Results pages as a
//! [`Baseline`], and the pages of a workbook's data sheet (`verify` reads them too).

use crate::checks::{ResultKey, ResultRecord};
use crate::output::workbook::is_page;
use crate::primitives::error::InputError;
use crate::workflow::baseline::Baseline;
use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::Path;

/// A workbook opened for reading back.
pub type Workbook = Xlsx<std::io::BufReader<std::fs::File>>;

/// Opens a workbook; `file` names it in errors.
pub fn open(path: &Path, file: &str) -> Result<Workbook, InputError> {
    open_workbook(path).map_err(|e| InputError::file(file, format!("not a readable workbook: {e}")))
}

/// Reads a baseline: a results JSONL or a workbook's Results pages (recognized by content).
pub fn baseline(path: &Path) -> Result<Baseline, InputError> {
    let display = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| InputError::file(&display, format!("cannot read: {e}")))?;
    let previous = if bytes.starts_with(b"PK\x03\x04") {
        statuses_from_workbook(path, &display)?
    } else {
        statuses_from_jsonl(&bytes, &display)?
    };
    Ok(Baseline::new(
        display,
        crate::primitives::digest::sha256_hex(&bytes),
        bytes.len() as u64,
        previous,
    ))
}

/// Each result's status in a results file.
fn statuses_from_jsonl(
    bytes: &[u8],
    file: &str,
) -> Result<BTreeMap<ResultKey, String>, InputError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| InputError::file(file, "expected a UTF-8 results file"))?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let r: ResultRecord = serde_json::from_str(line).map_err(|e| {
            InputError::at(
                file,
                format!("line {}", i + 1),
                format!("expected a results line: {e}"),
            )
        })?;
        out.insert(r.key().owned(), r.status);
    }
    Ok(out)
}

/// Each result's status on a workbook's Results pages.
fn statuses_from_workbook(
    path: &Path,
    file: &str,
) -> Result<BTreeMap<ResultKey, String>, InputError> {
    let mut wb = open(path, file)?;
    let mut out = BTreeMap::new();
    let pages = for_each_page(&mut wb, file, "Results", |name, range| {
        let mut rows = range.rows();
        let header: Vec<String> = rows
            .next()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .unwrap_or_default();
        let col = |h: &str| header.iter().position(|x| x == h);
        let (Some(a), Some(c), Some(r), Some(cr), Some(s)) = (
            col("Account"),
            col("Check ID"),
            col("Resource"),
            col("Credential"),
            col("Status"),
        ) else {
            return Err(InputError::at(
                file,
                format!("sheet {name} row 1"),
                "expected the Results columns",
            ));
        };
        for row in rows {
            let cell = |i: usize| row.get(i).map(|x| x.to_string()).unwrap_or_default();
            let credential = cell(cr);
            let key = ResultKey {
                account_id: cell(a),
                check_id: cell(c),
                resource_arn: cell(r),
                credential: (!credential.is_empty()).then_some(credential),
            };
            out.insert(key, cell(s));
        }
        Ok(())
    })?;
    if pages == 0 {
        return Err(InputError::file(
            file,
            "expected a workbook written by iam-evidence (no Results sheet)",
        ));
    }
    Ok(out)
}

/// Calls `read` with each page of data sheet `base` (`base`, `base 2`, ...) in workbook
/// order: its name and cells. Returns the number of pages; a page that cannot be read is an
/// error naming it.
pub fn for_each_page<R: Read + Seek, E: From<InputError>>(
    wb: &mut Xlsx<R>,
    file: &str,
    base: &str,
    mut read: impl FnMut(&str, &Range<Data>) -> Result<(), E>,
) -> Result<usize, E> {
    let names: Vec<String> = wb
        .sheet_names()
        .into_iter()
        .filter(|n| is_page(base, n))
        .collect();
    for name in &names {
        let range = wb
            .worksheet_range(name)
            .map_err(|e| InputError::file(file, format!("sheet {name}: {e}")))?;
        read(name, &range)?;
    }
    Ok(names.len())
}
