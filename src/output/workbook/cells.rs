//! Cell helpers: text from inputs is always a string (never a formula), long text is truncated
//! with a visible marker, dates are Excel dates, header rows are styled, column widths follow
//! the content, and every data sheet gets the same table, freeze and print setup.

use super::spill::CellRef;
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Table, TableColumn, TableStyle,
    Worksheet, XlsxError,
};

/// Excel's limit on characters in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Sheets above this many rows use an autofilter instead of a table (tables keep per-cell state).
pub const TABLE_ROW_LIMIT: u32 = 100_000;

/// Excel's row limit per sheet, header included.
pub const EXCEL_MAX_ROWS: u32 = 1_048_576;

/// The row limits the data sheets are written under: Excel's, or smaller ones in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Rows per sheet, header included; past it a sheet continues on "NAME 2", "NAME 3", ...
    pub max_rows: u32,
    /// Data rows up to which a sheet is an Excel table; above it, an autofilter.
    pub table_rows: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: EXCEL_MAX_ROWS,
            table_rows: TABLE_ROW_LIMIT,
        }
    }
}

/// Text cut to Excel's cell limit, with the marker SPEC prescribes.
pub fn truncate_cell(text: &str) -> std::borrow::Cow<'_, str> {
    // Fast path: byte length bounds character count.
    if text.len() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let count = text.chars().count();
    if count <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let marker_for =
        |n: usize| format!("… [truncated: {n} characters; full text in the results file]");
    // The marker names how many characters were dropped, so its length depends on the cut:
    // settle the cut so that text and marker fill the cell exactly.
    let mut keep = MAX_CELL_CHARS - marker_for(count).chars().count();
    while keep + marker_for(count - keep).chars().count() < MAX_CELL_CHARS {
        keep += 1;
    }
    let cut: String = text.chars().take(keep).collect();
    std::borrow::Cow::Owned(format!("{cut}{}", marker_for(count - keep)))
}

/// Width, in characters, given to date-time columns.
const DATE_WIDTH: usize = 19;

/// Widest a column grows, in characters.
const MAX_WIDTH: usize = 80;

/// Widest a wrapped column grows; longer text wraps onto more lines.
const WRAP_WIDTH: usize = 60;

/// Points per line of 11-point text.
pub const LINE_HEIGHT: f64 = 15.0;

/// Excel's tallest row, in points.
pub const MAX_ROW_HEIGHT: f64 = 409.0;

/// Lines `text` takes when wrapped at `width` characters (greedy, at spaces; a conservative
/// estimate since most characters are narrower than the width unit).
pub fn wrapped_lines(text: &str, width: usize) -> usize {
    let width = width.max(1);
    text.split('\n')
        .map(|line| {
            let mut lines = 1;
            let mut current = 0usize;
            for word in line.split(' ') {
                let w = word.chars().count();
                if current == 0 {
                    current = w;
                } else if current + 1 + w <= width {
                    current += 1 + w;
                } else {
                    lines += 1;
                    current = w;
                }
                while current > width {
                    lines += 1;
                    current -= width;
                }
            }
            lines
        })
        .sum()
}

/// What a column holds, for its column format: cells of the column's own kind are written
/// without a format of their own and take the column's (a per-cell format costs the writer a
/// hash of the whole `Format` on every write).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text (the default).
    Text,
    /// Excel date-times.
    Date,
    /// Booleans.
    Flag,
    /// Counts.
    Count,
}

/// How a sheet's cells get their formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Styling {
    /// Every cell carries its own format (small, hand-built sheets such as the cover).
    PerCell,
    /// Every column carries a format (top-aligned, wrapped where asked, or its kind's number
    /// format); cells of the column's kind carry none.
    Columns,
    /// Large pages: no row heights are set there, so top alignment and wrapping would not show;
    /// only typed columns carry a format (dates stay dates), text carries none.
    Bare,
}

/// A sheet's columns while it is written: widths tracked from the content (constant-memory
/// sheets cannot be autofitted: the writer only sees the last row), which columns wrap, what
/// each column holds, and the cell formats (top-aligned, so wrapped rows read well).
pub struct Widths {
    widths: Vec<usize>,
    wrap: Vec<bool>,
    kinds: Vec<Kind>,
    styling: Styling,
    /// Lines the current row's wrapped text takes.
    row_lines: usize,
    plain: Format,
    wrapped: Format,
    date: Format,
    boolean: Format,
    number: Format,
}

impl Widths {
    /// Widths starting from the header texts (plus room for the filter button); every cell
    /// carries its own format.
    pub fn new(headers: &[&str]) -> Self {
        Self::wrapping(headers, &[])
    }

    /// Like [`Widths::new`], with long-text columns that wrap at a readable width.
    pub fn wrapping(headers: &[&str], wrap: &[u16]) -> Self {
        let top = Format::new().set_align(FormatAlign::Top);
        Widths {
            widths: headers.iter().map(|h| h.chars().count() + 3).collect(),
            wrap: (0..headers.len())
                .map(|i| wrap.contains(&(i as u16)))
                .collect(),
            kinds: vec![Kind::Text; headers.len()],
            styling: Styling::PerCell,
            row_lines: 1,
            wrapped: top.clone().set_text_wrap(),
            // Left-aligned, like the sentinel words that share their columns.
            date: top
                .clone()
                .set_align(FormatAlign::Left)
                .set_num_format(DATE_NUM_FORMAT),
            // Counts centred under their (left-aligned) headers.
            number: top.clone().set_align(FormatAlign::Center),
            // Excel shows booleans as TRUE/FALSE whatever the format; LibreOffice needs it.
            boolean: top
                .clone()
                .set_align(FormatAlign::Center)
                .set_num_format("\"TRUE\";\"TRUE\";\"FALSE\""),
            plain: top,
        }
    }

    /// Declares the typed columns (`(column, kind)`; the others hold text) and gives every
    /// column of `ws` its format under `styling`. Call before the first data row.
    pub fn style_columns(
        &mut self,
        ws: &mut Worksheet,
        typed: &[(u16, Kind)],
        styling: Styling,
    ) -> Result<(), XlsxError> {
        for &(col, kind) in typed {
            if let Some(k) = self.kinds.get_mut(usize::from(col)) {
                *k = kind;
            }
        }
        self.styling = styling;
        if styling == Styling::PerCell {
            return Ok(());
        }
        for col in 0..self.kinds.len() as u16 {
            let format = match self.kinds[usize::from(col)] {
                Kind::Date => &self.date,
                Kind::Flag => &self.boolean,
                Kind::Count => &self.number,
                Kind::Text if styling == Styling::Bare => continue,
                Kind::Text if self.is_wrapped(col) => &self.wrapped,
                Kind::Text => &self.plain,
            };
            ws.set_column_format(col, format)?;
        }
        Ok(())
    }

    /// Registers every format a sheet's pages use (the header's and the columns') with the
    /// workbook, in a fixed order, through `scratch`, a worksheet that is then thrown away.
    /// The workbook numbers formats in the order they are first used, so sheets written on
    /// several threads at once, which then only use formats already known, number them the
    /// same way whatever the threads' timing.
    pub fn register_formats(scratch: &mut Worksheet) -> Result<(), XlsxError> {
        let w = Widths::new(&[]);
        let formats = [
            header_format(),
            w.plain,
            w.wrapped,
            w.date,
            w.boolean,
            w.number,
        ];
        for (col, format) in formats.iter().enumerate() {
            scratch.set_column_format(col as u16, format)?;
        }
        Ok(())
    }

    fn is_wrapped(&self, col: u16) -> bool {
        self.wrap.get(usize::from(col)).copied().unwrap_or(false)
    }

    /// The format a cell of `kind` in `col` must carry itself: none when its column's format
    /// already fits. Text never needs one on a styled page (a typed column's format shows text
    /// as it is), so rows of declared kinds register no format while they are written: pages
    /// can then be filled on another thread without changing the workbook's format order.
    fn own_format(&self, col: u16, kind: Kind) -> Option<&Format> {
        let column = self.kinds.get(usize::from(col)).copied();
        if self.styling != Styling::PerCell && (kind == Kind::Text || column == Some(kind)) {
            return None;
        }
        match kind {
            Kind::Text if self.is_wrapped(col) => Some(&self.wrapped),
            Kind::Text => Some(&self.plain),
            Kind::Date => Some(&self.date),
            Kind::Flag => Some(&self.boolean),
            Kind::Count => Some(&self.number),
        }
    }

    /// Notes a cell's text (its longest line).
    pub fn see(&mut self, col: usize, text: &str) {
        let longest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        self.see_len(col, longest);
    }

    /// Notes a cell's width in characters.
    pub fn see_len(&mut self, col: usize, len: usize) {
        let cap = if self.is_wrapped(col as u16) {
            WRAP_WIDTH
        } else {
            MAX_WIDTH
        };
        if let Some(w) = self.widths.get_mut(col) {
            *w = (*w).max(len.min(cap));
        }
    }

    /// Ends a row: when `set_height`, gives it the height its wrapped text needs (LibreOffice
    /// does not grow rows on opening; Excel does, but an explicit height does no harm). The
    /// writer keeps every row height it is given, so callers pass `false` on large sheets.
    pub fn end_row(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        set_height: bool,
    ) -> Result<(), XlsxError> {
        if set_height && self.row_lines > 1 {
            let points = (LINE_HEIGHT * self.row_lines as f64).min(MAX_ROW_HEIGHT);
            ws.set_row_height(row, points)?;
        }
        self.row_lines = 1;
        Ok(())
    }

    /// Applies the widths.
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (i, w) in self.applied().enumerate() {
            ws.set_column_width(i as u16, w as f64)?;
        }
        Ok(())
    }

    /// The widths [`Widths::apply`] sets, in characters.
    pub fn applied(&self) -> impl Iterator<Item = usize> + '_ {
        self.widths.iter().map(|w| (w + 1).min(MAX_WIDTH))
    }

    /// The columns' total width in pixels at 100% (7 a character of 11-point Calibri, plus
    /// 5 of padding a column), as Excel converts widths.
    pub fn pixels(&self) -> u32 {
        self.applied().map(|w| w as u32 * 7 + 5).sum()
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
    if widths.styling != Styling::Bare && widths.is_wrapped(col) {
        widths.row_lines = widths.row_lines.max(wrapped_lines(&value, WRAP_WIDTH));
    }
    match widths.own_format(col, Kind::Text) {
        Some(format) => ws.write_string_with_format(row, col, value.as_ref(), format)?,
        None => ws.write_string(row, col, value.as_ref())?,
    };
    Ok(())
}

/// The number format of every date cell.
const DATE_NUM_FORMAT: &str = "yyyy-mm-dd hh:mm:ss";

/// The date-time format of every date cell.
pub fn date_format() -> Format {
    Format::new().set_num_format(DATE_NUM_FORMAT)
}

/// Writes an instant (Unix seconds, UTC) as an Excel date-time; outside Excel's range
/// (before 1900), as ISO 8601 text.
pub fn datetime(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    unix_seconds: i64,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    match ExcelDateTime::from_timestamp(unix_seconds) {
        Ok(dt) => {
            widths.see_len(col as usize, DATE_WIDTH);
            match widths.own_format(col, Kind::Date) {
                Some(format) => ws.write_datetime_with_format(row, col, &dt, format)?,
                None => ws.write_datetime(row, col, &dt)?,
            };
        }
        Err(_) => {
            let iso = time::OffsetDateTime::from_unix_timestamp(unix_seconds)
                .map(crate::primitives::timestamp::format_utc)
                .unwrap_or_else(|_| unix_seconds.to_string());
            text(ws, row, col, &iso, widths)?;
        }
    }
    Ok(())
}

/// Writes an ISO 8601 timestamp as an Excel date-time (text when it does not parse).
pub fn iso_datetime(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    iso: &str,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    match crate::primitives::timestamp::parse(iso) {
        Some(t) => datetime(ws, row, col, t.unix_timestamp(), widths),
        None => text(ws, row, col, iso, widths),
    }
}

/// Writes a count as a number (a value, never a formula).
pub fn number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: u64,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    widths.see_len(col as usize, value.to_string().len());
    match widths.own_format(col, Kind::Count) {
        Some(format) => ws.write_number_with_format(row, col, value as f64, format)?,
        None => ws.write_number(row, col, value as f64)?,
    };
    Ok(())
}

/// Writes one cell with its type.
pub fn cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: CellRef<'_>,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    match value {
        CellRef::Empty => {}
        CellRef::Text(s) => text(ws, row, col, s, widths)?,
        CellRef::Bool(b) => {
            widths.see_len(col as usize, 5);
            match widths.own_format(col, Kind::Flag) {
                Some(format) => ws.write_boolean_with_format(row, col, b, format)?,
                None => ws.write_boolean(row, col, b)?,
            };
        }
        CellRef::Count(n) => number(ws, row, col, n, widths)?,
        CellRef::DateTime(secs) => datetime(ws, row, col, secs, widths)?,
    }
    Ok(())
}

/// The header format of sheets without a table: bold on a fill, with a bottom border.
pub fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x1F4E78))
        .set_border_bottom(FormatBorder::Thin)
}

/// An Excel table over the header and `rows` data rows (at least one), header frozen. Call
/// before any data row.
pub fn table(ws: &mut Worksheet, headers: &[&str], rows: u32) -> Result<(), XlsxError> {
    let last_col = headers.len().saturating_sub(1) as u16;
    let columns: Vec<TableColumn> = headers
        .iter()
        .map(|h| {
            TableColumn::new()
                .set_header(*h)
                .set_header_format(header_format())
        })
        .collect();
    let table = Table::new()
        .set_columns(&columns)
        .set_style(TableStyle::Medium2);
    ws.add_table(0, 0, rows.max(1), last_col, &table)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The styled, frozen header of a sheet without a table. Call before any data row; add the
/// autofilter with [`filter`] once the rows are known (it may come after them).
pub fn filter_header(ws: &mut Worksheet, headers: &[&str]) -> Result<(), XlsxError> {
    let format = header_format();
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &format)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The autofilter over the header and `rows` data rows of a sheet without a table.
pub fn filter(ws: &mut Worksheet, headers: &[&str], rows: u32) -> Result<(), XlsxError> {
    let last_col = headers.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, rows, last_col)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_counts_breaks_and_long_words() {
        assert_eq!(wrapped_lines("one line", 60), 1);
        assert_eq!(wrapped_lines("a\nb\nc", 60), 3);
        assert_eq!(wrapped_lines("aaaa bbbb cccc", 9), 2);
        assert_eq!(wrapped_lines(&"x".repeat(25), 10), 3);
    }

    #[test]
    fn short_text_is_kept() {
        assert_eq!(truncate_cell("abc"), "abc");
        let exact = "é".repeat(MAX_CELL_CHARS);
        assert_eq!(truncate_cell(&exact).chars().count(), MAX_CELL_CHARS);
    }

    #[test]
    fn long_text_is_cut_to_the_limit_with_the_marker() {
        let long = "x".repeat(40_000);
        let cut = truncate_cell(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        let dropped = 40_000 - cut.chars().take_while(|c| *c == 'x').count();
        assert!(cut.ends_with(&format!(
            "… [truncated: {dropped} characters; full text in the results file]"
        )));
    }
}
