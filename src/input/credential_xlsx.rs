//! A credential report re-saved by Excel as .xlsx: the first sheet holds the CSV's cells.

use super::credential_csv::{LocationStyle, ParsedReport, ReportBuilder};
use crate::error::InputError;
use crate::source::FileRef;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// True when the bytes are an .xlsx workbook whose first sheet starts with the report header.
pub fn is_report_workbook(bytes: &[u8]) -> bool {
    first_sheet(bytes).is_ok_and(|(_, rows)| {
        rows.first()
            .is_some_and(|r| crate::input::credential_csv::looks_like_header(&r.join(",")))
    })
}

/// Parses the first sheet of an .xlsx credential report.
pub fn parse(bytes: &[u8], file: &FileRef) -> Result<ParsedReport, InputError> {
    let (name, rows) = first_sheet(bytes).map_err(|m| InputError::file(&file.file, m))?;
    let style = LocationStyle::Sheet(name);
    let mut rows = rows
        .into_iter()
        .enumerate()
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

/// The first sheet's name and its cells as text (Excel dates written back as ISO 8601).
fn first_sheet(bytes: &[u8]) -> Result<(String, Vec<Vec<String>>), String> {
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a readable .xlsx workbook: {e}"))?;
    let name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| "workbook has no sheets".to_string())?;
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| format!("sheet {name} unreadable: {e}"))?;
    let width = range.width();
    let rows = range
        .rows()
        .map(|row| {
            let mut cells: Vec<String> = row.iter().map(cell_text).collect();
            cells.resize(width, String::new());
            cells
        })
        .collect();
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

/// An Excel serial date (days since 1899-12-30, 1900 date system) as an ISO 8601 UTC timestamp.
fn excel_serial_to_iso(serial: f64) -> String {
    let epoch = time::macros::datetime!(1899-12-30 0:00 UTC);
    let seconds = (serial * 86_400.0).round() as i64;
    crate::timestamp::format_utc(epoch + time::Duration::seconds(seconds))
}
