//! Cell helpers: text from inputs is always a string (never a formula), long text is truncated
//! with a visible marker, header rows are styled, and column widths follow the content.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// Excel's limit on characters in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Text cut to Excel's cell limit, with the marker SPEC prescribes.
pub fn truncate_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let count = text.chars().count();
    if count <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let marker_for =
        |n: usize| format!("… [truncated: {n} characters; full text in the results file]");
    let keep = MAX_CELL_CHARS - marker_for(count).chars().count();
    let cut: String = text.chars().take(keep).collect();
    std::borrow::Cow::Owned(format!("{cut}{}", marker_for(count - keep)))
}

/// Tracks column widths while writing, so widths fit without a second pass.
pub struct Widths(Vec<usize>);

impl Widths {
    /// Widths starting from the header texts.
    pub fn new(headers: &[&str]) -> Self {
        Widths(headers.iter().map(|h| h.chars().count() + 2).collect())
    }

    /// Notes a cell's text.
    pub fn see(&mut self, col: usize, text: &str) {
        if let Some(w) = self.0.get_mut(col) {
            *w = (*w).max(text.chars().count().min(80));
        }
    }

    /// Applies the widths (capped to stay readable).
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (i, w) in self.0.iter().enumerate() {
            ws.set_column_width(i as u16, (*w as f64 + 1.0).min(80.0))?;
        }
        Ok(())
    }
}

/// Writes text as a string cell (never a formula), truncated to the cell limit.
pub fn text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    let value = truncate_cell(value);
    widths.see(col as usize, &value);
    ws.write_string(row, col, value.as_ref())?;
    Ok(())
}

/// The bold header format.
pub fn header_format() -> Format {
    Format::new().set_bold()
}

/// Landscape, one page wide, header row repeated, footer with sheet name and page.
pub fn print_setup(ws: &mut Worksheet, repeat_header: bool) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&A — page &P of &N");
    if repeat_header {
        ws.set_repeat_rows(0, 0)?;
    }
    Ok(())
}

/// A data sheet's table or, above `table_limit` rows, an autofilter on a frozen header.
pub fn table_or_filter(
    ws: &mut Worksheet,
    headers: &[&str],
    rows: u32,
    table_limit: u32,
) -> Result<(), XlsxError> {
    let last_col = headers.len() as u16 - 1;
    if rows > 0 && rows <= table_limit {
        let columns: Vec<rust_xlsxwriter::TableColumn> = headers
            .iter()
            .map(|h| rust_xlsxwriter::TableColumn::new().set_header(*h))
            .collect();
        let table = rust_xlsxwriter::Table::new().set_columns(&columns);
        ws.add_table(0, 0, rows, last_col, &table)?;
    } else {
        for (i, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *h, &header_format())?;
        }
        ws.autofilter(0, 0, rows.max(1), last_col)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Sheets above this many rows use an autofilter instead of a table (tables keep per-cell state).
pub const TABLE_ROW_LIMIT: u32 = 100_000;
