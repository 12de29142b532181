//! The Results sheet(s): the whole tested population, streamed from the results file in
//! constant memory, continuing on "Results 2", "Results 3", ... past the row limit. Non-PASS
//! lines are copied to the findings spill on the way (see [`super::findings`]).

use super::cells::{Limits, text};
use super::findings::FindingSpill;
use super::paged::{Layout, pages};
use crate::output::jsonl::ResultRecord;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use std::io::BufRead;
use std::path::Path;

/// Results sheet columns.
pub const HEADERS: [&str; 13] = [
    "Account",
    "Check ID",
    "Resource",
    "Credential",
    "Status",
    "Severity",
    "Reason",
    "Evidence",
    "Source file",
    "Source SHA-256",
    "Source location",
    "Exception",
    "Change",
];

/// The Exception cell of a result: the approved exception in one line, or empty.
pub fn exception_text(r: &ResultRecord) -> String {
    r.exception
        .as_ref()
        .map(|e| e.describe())
        .unwrap_or_default()
}

/// The Change cell of a result: `new`, `unchanged`, `changed (was FAIL)`, or empty.
pub fn change_text(r: &ResultRecord) -> String {
    match (r.change.as_deref(), r.previous_status.as_deref()) {
        (Some("changed"), Some(previous)) => format!("changed (was {previous})"),
        (Some(c), _) => c.to_string(),
        (None, _) => String::new(),
    }
}

/// Parses one line of the results file.
pub fn parse_line(line: &str) -> Result<ResultRecord, XlsxError> {
    serde_json::from_str(line)
        .map_err(|e| XlsxError::ParameterError(format!("results file unreadable: {e}")))
}

/// Builds the results sheets from `total` lines of the results file, and fills `findings`
/// with its non-PASS lines.
pub fn sheets(
    workbook: &mut Workbook,
    jsonl: &Path,
    total: u64,
    limits: &Limits,
    findings: &mut FindingSpill,
) -> Result<Vec<Worksheet>, XlsxError> {
    let file = std::fs::File::open(jsonl)?;
    let mut lines = std::io::BufReader::with_capacity(1 << 16, file).lines();
    let sheets = pages(
        workbook,
        &Layout {
            name: "Results",
            headers: &HEADERS,
            wrap: &[6, 7, 11],
            typed: &[],
        },
        total,
        limits,
        |_, _| Ok(()),
        |ws, row, w| {
            let line = lines
                .next()
                .ok_or_else(|| XlsxError::ParameterError("results file ended early".into()))??;
            let r = parse_line(&line)?;
            let (file, sha, loc) = match &r.source {
                Some(s) => (s.file.as_str(), s.sha256.as_str(), s.location.as_str()),
                None => ("", "", ""),
            };
            let (exception, change) = (exception_text(&r), change_text(&r));
            let cells = [
                r.account_id.as_str(),
                &r.check_id,
                &r.resource_arn,
                r.credential.as_deref().unwrap_or(""),
                &r.status,
                &r.severity,
                &r.reason,
                &r.evidence,
                file,
                sha,
                loc,
                &exception,
                &change,
            ];
            for (col, value) in cells.iter().enumerate() {
                text(ws, row, col as u16, value, w)?;
            }
            if r.status != "PASS" {
                findings.push(&r.severity, &line)?;
            }
            Ok(())
        },
    )?;
    Ok(sheets)
}
