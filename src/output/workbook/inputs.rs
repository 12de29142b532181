//! The Inputs sheet: every file looked at, with kind, account, size, SHA-256, rows,
//! generated time and what was done with it (used, skipped, left out, unassigned, duplicate).

use super::cells::{Kind, Limits, iso_datetime, number, text};
use super::paged::{Layout, Pages, pages};
use crate::output::error::OutputError;
use crate::output::meta::RunRecord;
use rust_xlsxwriter::Worksheet;

/// Inputs sheet columns.
pub const HEADERS: [&str; 9] = [
    "File",
    "Kind",
    "Account",
    "Size (bytes)",
    "SHA-256",
    "Rows",
    "Generated time (UTC)",
    "Disposition",
    "Note",
];

/// Builds the inputs sheet.
pub fn sheets(
    book: &Pages<'_>,
    record: &RunRecord,
    limits: &Limits,
) -> Result<Vec<Worksheet>, OutputError> {
    let mut inputs = record.inputs.iter();
    pages(
        book,
        &Layout {
            name: "Inputs",
            headers: &HEADERS,
            wrap: &[8],
            typed: &[(3, Kind::Count), (5, Kind::Count), (6, Kind::Date)],
        },
        record.inputs.len() as u64,
        limits,
        |_, _| Ok(()),
        |ws, row, w| {
            let Some(input) = inputs.next() else {
                return Ok(());
            };
            text(ws, row, 0, &input.file, w)?;
            text(ws, row, 1, &input.kind, w)?;
            text(ws, row, 2, input.account.as_deref().unwrap_or(""), w)?;
            number(ws, row, 3, input.size, w)?;
            text(ws, row, 4, &input.sha256, w)?;
            if let Some(rows) = input.rows {
                number(ws, row, 5, rows as u64, w)?;
            }
            if let Some(t) = &input.generated_time {
                iso_datetime(ws, row, 6, t, w)?;
            }
            text(ws, row, 7, &input.disposition, w)?;
            text(ws, row, 8, &input.note, w)?;
            Ok(())
        },
    )
}
