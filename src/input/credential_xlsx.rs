//! A credential report re-saved by Excel as .xlsx: the first sheet holds the CSV's cells.

use super::credential_csv::{LocationStyle, ParsedReport, ReportBuilder};
use crate::primitives::error::InputError;
use crate::primitives::source::FileRef;
use calamine::{Data, DataRef, Reader, Xlsx, XlsxError};
use std::collections::BTreeMap;
use std::io::Cursor;

/// Columns a sheet may span. The report has 22; a cell far to the right (a stray edit, or a
/// crafted `r="XFD1048576"`) would otherwise pad every row out to it.
const MAX_COLUMNS: u32 = 1024;
/// Cells the sheet's non-empty rows may hold once padded to its width (IAM allows 5,000 users
/// of 22 columns per account).
const MAX_CELLS: usize = 4_000_000;

/// True when the bytes are an .xlsx workbook whose first sheet starts with the report header.
pub fn is_report_workbook(bytes: &[u8]) -> bool {
    first_sheet(bytes).is_ok_and(|(_, rows)| {
        rows.first()
            .is_some_and(|(_, r)| crate::input::credential_csv::looks_like_header(&r.join(",")))
    })
}

/// Parses the first sheet of an .xlsx credential report.
pub fn parse(bytes: &[u8], file: &FileRef) -> Result<ParsedReport, InputError> {
    let (name, rows) = first_sheet(bytes).map_err(|m| InputError::file(&file.file, m))?;
    let style = LocationStyle::Sheet(name);
    let mut rows = rows
        .into_iter()
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()));
    let Some((header_index, header)) = rows.next() else {
        return Err(InputError::file(
            &file.file,
            "empty workbook: expected the header row `user,arn,...`",
        ));
    };
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut builder = ReportBuilder::new(&header, file, style, header_index + 1)?;
    for (i, row) in rows {
        let mut cells: Vec<&str> = row.iter().map(String::as_str).collect();
        while cells.len() > header.len() && cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        builder.add_row(&cells, i + 1)?;
    }
    builder.finish(None)
}

/// The first sheet's name and its rows that hold a cell, each with its index counted from the
/// first such row and its cells as text counted from the leftmost column used (Excel dates
/// written back as ISO 8601). Only rows with cells are built: a sheet's span can be far larger
/// than its content.
type SheetRows = Vec<(usize, Vec<String>)>;

fn first_sheet(bytes: &[u8]) -> Result<(String, SheetRows), String> {
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a readable .xlsx workbook: {e}"))?;
    let name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| "workbook has no sheets".to_string())?;
    let unreadable = |e: XlsxError| format!("sheet {name} unreadable: {e}");
    let mut cells = BTreeMap::new();
    match workbook.worksheet_cells_reader(&name) {
        Ok(mut reader) => {
            while let Some(cell) = reader.next_cell().map_err(unreadable)? {
                if !matches!(cell.get_value(), DataRef::Empty) {
                    let data: Data = cell.get_value().clone().into();
                    cells.insert(cell.get_position(), cell_text(&data));
                }
            }
        }
        // A chart sheet or the like holds no cells.
        Err(XlsxError::NotAWorksheet(_)) => {}
        Err(e) => return Err(unreadable(e)),
    }
    let (Some(first_row), Some(first_col), Some(last_col)) = (
        cells.keys().map(|(r, _)| *r).min(),
        cells.keys().map(|(_, c)| *c).min(),
        cells.keys().map(|(_, c)| *c).max(),
    ) else {
        return Ok((name, Vec::new()));
    };
    let width = last_col - first_col + 1;
    if width > MAX_COLUMNS {
        return Err(format!(
            "sheet {name} spans {width} columns; a credential report has 22 (cells as far apart \
             as columns {} and {})",
            first_col + 1,
            last_col + 1
        ));
    }
    let width = width as usize;
    let mut rows: SheetRows = Vec::new();
    for ((row, col), text) in cells {
        let index = (row - first_row) as usize;
        if rows.last().is_none_or(|(i, _)| *i != index) {
            if (rows.len() + 1).saturating_mul(width) > MAX_CELLS {
                return Err(format!(
                    "sheet {name} holds more than {MAX_CELLS} cells; too large for a credential report"
                ));
            }
            rows.push((index, vec![String::new(); width]));
        }
        if let Some((_, row_cells)) = rows.last_mut() {
            row_cells[(col - first_col) as usize] = text;
        }
    }
    Ok((name, rows))
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::DateTime(d) => excel_serial_to_iso(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// An Excel serial date (days since 1899-12-30, 1900 date system) as an ISO 8601 UTC timestamp;
/// a serial outside the years 0000 to 9999 stays a number, for the reader to refuse.
fn excel_serial_to_iso(serial: f64) -> String {
    let epoch = time::macros::datetime!(1899-12-30 0:00 UTC);
    let seconds = (serial * 86_400.0).round() as i64;
    epoch
        .checked_add(time::Duration::seconds(seconds))
        .map_or_else(
            || serial.to_string(),
            crate::primitives::timestamp::format_utc,
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (row, col, text) in cells {
            ws.write_string(*row, *col, *text).unwrap();
        }
        wb.save_to_buffer().unwrap()
    }

    fn file() -> FileRef {
        FileRef {
            file: "r.xlsx".into(),
            sha256: "x".into(),
        }
    }

    #[test]
    fn a_cell_in_the_last_column_is_an_error_not_a_sheet_sized_allocation() {
        // The sheet's span is 16,384 x 1,048,576 cells: padding it out needed 512 GiB.
        let bytes = workbook(&[(0, 0, "user"), (0, 1, "arn"), (1_048_575, 16_383, "x")]);
        let e = parse(&bytes, &file()).unwrap_err();
        assert!(e.message.contains("spans 16384 columns"), "{e}");
        assert!(!is_report_workbook(&bytes));
    }

    #[test]
    fn a_date_serial_beyond_year_9999_stays_a_number() {
        assert_eq!(excel_serial_to_iso(45000.5), "2023-03-15T12:00:00Z");
        assert_eq!(excel_serial_to_iso(1e10), "10000000000");
        assert_eq!(excel_serial_to_iso(1e300), 1e300.to_string());
        assert_eq!(excel_serial_to_iso(-1e9), "-1000000000");
        assert_eq!(excel_serial_to_iso(f64::NAN), "1899-12-30T00:00:00Z");
    }

    #[test]
    fn rows_far_apart_are_read_without_the_rows_between() {
        let bytes = workbook(&[(0, 0, "user"), (0, 1, "arn"), (1_048_575, 1, "x")]);
        assert!(is_report_workbook(&bytes));
        let e = parse(&bytes, &file()).unwrap_err();
        assert!(e.message.contains("lacks required column"), "{e}");
    }
}
