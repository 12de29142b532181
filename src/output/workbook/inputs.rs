//! The Inputs sheet: every file looked at, with kind, account, size, SHA-256, rows,
//! generated time and what was done with it.

use super::cells::{TABLE_ROW_LIMIT, Widths, print_setup, table_or_filter, text};
use crate::output::meta::RunRecord;
use rust_xlsxwriter::{Worksheet, XlsxError};

const HEADERS: [&str; 9] = [
    "File",
    "Kind",
    "Account",
    "Size (bytes)",
    "SHA-256",
    "Rows",
    "Generated time",
    "Disposition",
    "Note",
];

/// Builds the inputs sheet.
pub fn sheet(record: &RunRecord) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Inputs")?;
    let mut w = Widths::new(&HEADERS);
    for (i, input) in record.inputs.iter().enumerate() {
        let row = i as u32 + 1;
        text(&mut ws, row, 0, &input.file, &mut w)?;
        text(&mut ws, row, 1, &input.kind, &mut w)?;
        text(
            &mut ws,
            row,
            2,
            input.account.as_deref().unwrap_or(""),
            &mut w,
        )?;
        ws.write_number(row, 3, input.size as f64)?;
        text(&mut ws, row, 4, &input.sha256, &mut w)?;
        if let Some(rows) = input.rows {
            ws.write_number(row, 5, rows as f64)?;
        }
        text(
            &mut ws,
            row,
            6,
            input.generated_time.as_deref().unwrap_or(""),
            &mut w,
        )?;
        text(&mut ws, row, 7, &input.disposition, &mut w)?;
        text(&mut ws, row, 8, &input.note, &mut w)?;
    }
    table_or_filter(
        &mut ws,
        &HEADERS,
        record.inputs.len() as u32,
        TABLE_ROW_LIMIT,
    )?;
    w.apply(&mut ws)?;
    print_setup(&mut ws, true)?;
    Ok(ws)
}
