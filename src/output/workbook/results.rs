//! The Results sheet(s): the whole tested population, streamed from the results file in
//! constant memory, continuing on "Results 2", "Results 3", ... past Excel's row limit.

use super::cells::{TABLE_ROW_LIMIT, Widths, print_setup, table_or_filter, text};
use crate::output::jsonl::ResultRecord;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use std::io::BufRead;
use std::path::Path;

const HEADERS: [&str; 11] = [
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
];

/// Builds the results sheets from `total` lines of the results file, `max_rows` rows a sheet
/// (header included).
pub fn sheets(
    workbook: &mut Workbook,
    jsonl: &Path,
    total: u64,
    max_rows: u32,
) -> Result<Vec<Worksheet>, XlsxError> {
    let per_sheet = u64::from(max_rows.saturating_sub(1).max(1));
    let file = std::fs::File::open(jsonl)?;
    let mut lines = std::io::BufReader::with_capacity(1 << 16, file).lines();
    let mut out = Vec::new();
    let mut remaining = total;
    let mut index = 1;
    loop {
        let rows = remaining.min(per_sheet) as u32;
        let mut ws = workbook.new_worksheet_with_constant_memory()?;
        ws.set_name(if index == 1 {
            "Results".to_string()
        } else {
            format!("Results {index}")
        })?;
        table_or_filter(&mut ws, &HEADERS, rows, TABLE_ROW_LIMIT)?;
        let mut w = Widths::new(&HEADERS);
        for row in 1..=rows {
            let line = lines
                .next()
                .ok_or_else(|| XlsxError::ParameterError("results file ended early".into()))??;
            let r: ResultRecord = serde_json::from_str(&line)
                .map_err(|e| XlsxError::ParameterError(format!("results file unreadable: {e}")))?;
            let (file, sha, loc) = match &r.source {
                Some(s) => (s.file.as_str(), s.sha256.as_str(), s.location.as_str()),
                None => ("", "", ""),
            };
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
            ];
            for (col, value) in cells.iter().enumerate() {
                text(&mut ws, row, col as u16, value, &mut w)?;
            }
        }
        w.apply(&mut ws)?;
        print_setup(&mut ws, true)?;
        out.push(ws);
        remaining -= u64::from(rows);
        index += 1;
        if remaining == 0 {
            break;
        }
    }
    Ok(out)
}
