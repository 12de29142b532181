//! `iam-evidence verify WORKBOOK PATH...`: re-performs a workpaper. Re-runs the audit on the
//! given inputs with the options recorded in the workbook, and compares the inputs (file and
//! SHA-256) and every result row. Exit 0 when they match, 3 when they differ, 1 when an input
//! cannot be read, 2 for bad usage.

use crate::cli::VerifyArgs;
use crate::output::meta::RunOptions;
use crate::primitives::error::RunError;
use crate::stages::pipeline::{AuditOptions, run as run_pipeline};
use calamine::{Reader, Xlsx, open_workbook};
use std::collections::BTreeMap;
use std::path::Path;

/// Exit status when the workbook does not match its inputs.
pub const MISMATCH: i32 = 3;

/// How many differences are printed before "... and N more".
const SHOWN: usize = 20;

/// Runs the verification; returns the exit status.
pub fn run(args: &VerifyArgs) -> i32 {
    match verify(args) {
        Ok(differences) if differences.is_empty() => {
            eprintln!(
                "verified: {} matches its inputs (every input hash and every result row)",
                args.workbook.display()
            );
            0
        }
        Ok(differences) => {
            eprintln!(
                "MISMATCH: {} does not match its inputs:",
                args.workbook.display()
            );
            for d in differences.iter().take(SHOWN) {
                eprintln!("  {d}");
            }
            if differences.len() > SHOWN {
                eprintln!("  ... and {} more", differences.len() - SHOWN);
            }
            MISMATCH
        }
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

/// The differences between the workbook and a fresh run on `args.paths`.
fn verify(args: &VerifyArgs) -> Result<Vec<String>, RunError> {
    let recorded = Recorded::read(&args.workbook)?;
    let dir = tempfile::tempdir().map_err(|e| RunError::Output {
        path: std::env::temp_dir(),
        message: e.to_string(),
    })?;
    let again = dir.path().join("re-performed.xlsx");
    let options = &recorded.options;
    let as_of = match &options.as_of {
        Some(d) => {
            Some(crate::primitives::asof::parse_date_option(d).map_err(|m| recorded.error(m))?)
        }
        None => None,
    };
    run_pipeline(&AuditOptions {
        paths: args.paths.clone(),
        output: again.clone(),
        results: None,
        as_of,
        org_accounts: options.org_accounts.as_ref().map(Into::into),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        keep_going: options.keep_going,
        thresholds: options.thresholds,
        command_line: String::new(),
        progress: crate::stages::progress::Mode::Quiet,
        exceptions: options.exceptions.as_ref().map(Into::into),
        baseline: options.baseline.as_ref().map(Into::into),
    })?;
    let fresh = Recorded::read(&again)?;

    let mut out = Vec::new();
    for (file, sha) in &recorded.inputs {
        match fresh.inputs.get(file) {
            None => out.push(format!("input {file} is missing from the given paths")),
            Some(now) if now != sha => out.push(format!(
                "input {file} changed: SHA-256 {now}, recorded {sha}"
            )),
            Some(_) => {}
        }
    }
    for file in fresh
        .inputs
        .keys()
        .filter(|f| !recorded.inputs.contains_key(*f))
    {
        out.push(format!("input {file} is not in the workbook's inputs"));
    }
    let header = &recorded.header;
    let n = recorded.results.len().max(fresh.results.len());
    for i in 0..n {
        match (recorded.results.get(i), fresh.results.get(i)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) => {
                let cols: Vec<String> = header
                    .iter()
                    .enumerate()
                    .filter(|(c, _)| a.get(*c) != b.get(*c))
                    .map(|(c, h)| {
                        format!("{h}: '{}' now '{}'", short(cell(a, c)), short(cell(b, c)))
                    })
                    .collect();
                out.push(format!(
                    "result {} ({}): {}",
                    i + 1,
                    row_id(a),
                    cols.join("; ")
                ));
            }
            (Some(a), None) => out.push(format!(
                "result {} ({}) is no longer produced",
                i + 1,
                row_id(a)
            )),
            (None, Some(b)) => out.push(format!("result {} ({}) is new", i + 1, row_id(b))),
            (None, None) => {}
        }
    }
    Ok(out)
}

fn cell(row: &[String], c: usize) -> &str {
    row.get(c).map_or("", String::as_str)
}

/// A value cut to a readable length for a difference line.
fn short(text: &str) -> String {
    const MAX: usize = 72;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

fn row_id(row: &[String]) -> String {
    format!(
        "{} {} {} {}",
        cell(row, 0),
        cell(row, 1),
        cell(row, 2),
        cell(row, 3)
    )
    .trim_end()
    .to_string()
}

/// What a workbook records: its run options, its inputs, and its result rows.
struct Recorded {
    file: String,
    options: RunOptions,
    inputs: BTreeMap<String, String>,
    header: Vec<String>,
    results: Vec<Vec<String>>,
}

impl Recorded {
    fn error(&self, message: impl Into<String>) -> RunError {
        RunError::Input(crate::primitives::error::InputError::file(
            &self.file, message,
        ))
    }

    fn read(path: &Path) -> Result<Recorded, RunError> {
        let file = path.display().to_string();
        let err = |m: String| RunError::Input(crate::primitives::error::InputError::file(&file, m));
        let mut wb: Xlsx<_> =
            open_workbook(path).map_err(|e| err(format!("not a readable workbook: {e}")))?;
        let target = wb
            .defined_names()
            .iter()
            .find(|(n, _)| n == crate::output::workbook::RUN_OPTIONS_NAME)
            .map(|(_, f)| f.clone())
            .ok_or_else(|| {
                err("no RunOptions name: not a workbook written by iam-evidence".into())
            })?;
        let (sheet, row, col) = parse_reference(&target).ok_or_else(|| {
            err(format!(
                "RunOptions refers to '{target}', expected Sheet!$C$R"
            ))
        })?;
        let range = wb
            .worksheet_range(&sheet)
            .map_err(|e| err(format!("sheet {sheet}: {e}")))?;
        let json = range
            .get_value((row, col))
            .map(|c| c.to_string())
            .ok_or_else(|| err(format!("RunOptions cell {target} is empty")))?;
        let options: RunOptions = serde_json::from_str(&json)
            .map_err(|e| err(format!("RunOptions is not readable: {e}")))?;

        let mut inputs = BTreeMap::new();
        for (name, rows) in pages(&mut wb, "Inputs") {
            let (Some(f), Some(s)) = (col_of(&rows, "File"), col_of(&rows, "SHA-256")) else {
                return Err(err(format!(
                    "sheet {name} lacks the File and SHA-256 columns"
                )));
            };
            for r in rows.iter().skip(1) {
                inputs.insert(cell(r, f).to_string(), cell(r, s).to_string());
            }
        }
        let mut header = Vec::new();
        let mut results = Vec::new();
        for (_, rows) in pages(&mut wb, "Results") {
            if let Some(h) = rows.first() {
                header = h.clone();
            }
            results.extend(
                rows.into_iter()
                    .skip(1)
                    .filter(|r| r.iter().any(|c| !c.is_empty())),
            );
        }
        Ok(Recorded {
            file,
            options,
            inputs,
            header,
            results,
        })
    }
}

/// The rows of a sheet and its continuation pages (`NAME`, `NAME 2`, ...), as text.
fn pages(
    wb: &mut Xlsx<std::io::BufReader<std::fs::File>>,
    base: &str,
) -> Vec<(String, Vec<Vec<String>>)> {
    let names: Vec<String> = wb
        .sheet_names()
        .iter()
        .filter(|n| {
            *n == base
                || n.strip_prefix(base)
                    .and_then(|r| r.strip_prefix(' '))
                    .is_some_and(|r| r.parse::<u32>().is_ok())
        })
        .cloned()
        .collect();
    names
        .into_iter()
        .filter_map(|n| {
            let range = wb.worksheet_range(&n).ok()?;
            let rows = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            Some((n, rows))
        })
        .collect()
}

fn col_of(rows: &[Vec<String>], name: &str) -> Option<usize> {
    rows.first()?.iter().position(|h| h == name)
}

/// `Cover!$B$45` (or with a leading `=`, or a quoted sheet) as (sheet, 0-based row, column).
fn parse_reference(text: &str) -> Option<(String, u32, u32)> {
    let text = text.trim_start_matches('=');
    let (sheet, cell) = text.rsplit_once('!')?;
    let sheet = sheet.trim_matches('\'').to_string();
    let cell = cell.replace('$', "");
    let split = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = cell.split_at(split);
    let col = letters.bytes().try_fold(0u32, |acc, b| {
        b.is_ascii_uppercase()
            .then(|| acc * 26 + u32::from(b - b'A' + 1))
    })?;
    let row: u32 = digits.parse().ok()?;
    Some((sheet, row.checked_sub(1)?, col.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_defined_name_references() {
        assert_eq!(
            parse_reference("Cover!$B$45"),
            Some(("Cover".into(), 44, 1))
        );
        assert_eq!(
            parse_reference("='My Sheet'!$AA$1"),
            Some(("My Sheet".into(), 0, 26))
        );
        assert_eq!(parse_reference("nonsense"), None);
    }
}
