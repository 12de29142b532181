//! Streamed data sheets that continue on "NAME 2", "NAME 3", ... past the row limit: each page
//! is a constant-memory worksheet with its table (or autofilter) added before its rows, widths
//! tracked while writing, and the common print setup.

use super::cells::{Kind, Limits, Styling, Widths, filter, filter_header, table};
use crate::output::error::OutputError;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use std::sync::Mutex;

/// The workbook's source of new pages, shared by the threads that write sheets at the same
/// time: each page is a constant-memory worksheet the workbook makes (its temporary file and
/// its share of the workbook's formats), and the sheet is pushed into the workbook at the end.
pub struct Pages<'a>(Mutex<&'a mut Workbook>);

impl<'a> Pages<'a> {
    /// New pages of `workbook`.
    pub fn new(workbook: &'a mut Workbook) -> Pages<'a> {
        Pages(Mutex::new(workbook))
    }

    /// A new, empty constant-memory worksheet.
    pub fn worksheet(&self) -> Result<Worksheet, XlsxError> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .new_worksheet_with_constant_memory()
    }
}

/// The name of page `index` (1-based) of a sheet: `NAME`, then `NAME 2`, ...
pub fn page_name(base: &str, index: u32) -> String {
    if index == 1 {
        base.to_string()
    } else {
        format!("{base} {index}")
    }
}

/// Whether `name` is a page of the sheet named `base`: `base` itself, or `base N`.
pub fn is_page(base: &str, name: &str) -> bool {
    name == base
        || name
            .strip_prefix(base)
            .and_then(|rest| rest.strip_prefix(' '))
            .is_some_and(|n| n.parse::<u32>().is_ok())
}

/// What a data sheet looks like: its base name, column headers, and the long-text columns
/// that wrap.
pub struct Layout<'a> {
    /// The first page's name; later pages add " 2", " 3", ...
    pub name: &'a str,
    /// Column headers.
    pub headers: &'a [&'a str],
    /// Columns whose text wraps at a readable width.
    pub wrap: &'a [u16],
    /// Columns that hold dates, booleans or counts (the others hold text).
    pub typed: &'a [(u16, Kind)],
}

/// Data rows a page holds under `limits` (the header takes one row).
pub fn rows_per_page(limits: &Limits) -> u32 {
    limits.max_rows.saturating_sub(1).max(1)
}

/// A page being written: its constant-memory worksheet and its columns.
pub struct Page {
    ws: Worksheet,
    widths: Widths,
    columns: u16,
    /// Row heights are set (table-sized pages only: the writer keeps every row's options).
    heights: bool,
    /// The autofilter waits for the row count (a page streamed before its rows are counted).
    filter_pending: bool,
}

impl Page {
    /// Opens page `index` (1-based) of a sheet for `rows` data rows: a table when they fit the
    /// table limit, else an autofilter. With `rows` unknown (`None`), the page is streamed
    /// as rows arrive and gets its autofilter when closed; callers stream only rows past the
    /// table limit.
    pub fn open(
        pages: &Pages<'_>,
        layout: &Layout<'_>,
        index: u32,
        rows: Option<u32>,
        limits: &Limits,
    ) -> Result<Page, XlsxError> {
        let mut ws = pages.worksheet()?;
        ws.set_name(page_name(layout.name, index))?;
        let is_table = rows.is_some_and(|n| n <= limits.table_rows);
        match rows {
            Some(n) if is_table => table(&mut ws, layout.headers, n)?,
            Some(n) => {
                filter_header(&mut ws, layout.headers)?;
                filter(&mut ws, layout.headers, n)?;
            }
            None => filter_header(&mut ws, layout.headers)?,
        }
        let mut widths = Widths::wrapping(layout.headers, layout.wrap);
        let styling = if is_table {
            Styling::Columns
        } else {
            Styling::Bare
        };
        widths.style_columns(&mut ws, layout.typed, styling)?;
        Ok(Page {
            ws,
            widths,
            columns: layout.headers.len() as u16,
            heights: is_table,
            filter_pending: rows.is_none(),
        })
    }

    /// The worksheet and its column widths, to write a row.
    pub fn parts(&mut self) -> (&mut Worksheet, &mut Widths) {
        (&mut self.ws, &mut self.widths)
    }

    /// Ends data row `row` (1-based); `last` when no row follows on this page.
    pub fn end_row(&mut self, row: u32, last: bool) -> Result<(), XlsxError> {
        // Never a height on a page's last row: rust_xlsxwriter 0.102 in constant memory
        // writes a second, duplicate <row> element for a last row that has options, which
        // Excel rejects as corrupt.
        self.widths
            .end_row(&mut self.ws, row, self.heights && !last)
    }

    /// Finishes the page after its `rows` data rows: autofilter (if pending), widths and
    /// print width (see [`super::print`]).
    pub fn close(mut self, rows: u32) -> Result<Worksheet, XlsxError> {
        if self.filter_pending {
            self.ws
                .autofilter(0, 0, rows, self.columns.saturating_sub(1))?;
        }
        self.widths.apply(&mut self.ws)?;
        super::print::fit_if_narrow(&mut self.ws, self.widths.pixels());
        Ok(self.ws)
    }
}

/// Writes `total` rows on as many pages as the limits need (at least one, possibly empty).
/// `prepare` runs on each page before its rows (data validation, column formats) with the
/// page's row count; `row` writes data row `r` (1-based on the page) and is called `total`
/// times in all, in order.
pub fn pages(
    pages: &Pages<'_>,
    layout: &Layout<'_>,
    total: u64,
    limits: &Limits,
    mut prepare: impl FnMut(&mut Worksheet, u32) -> Result<(), OutputError>,
    mut row: impl FnMut(&mut Worksheet, u32, &mut Widths) -> Result<(), OutputError>,
) -> Result<Vec<Worksheet>, OutputError> {
    let per_page = u64::from(rows_per_page(limits));
    let mut out = Vec::new();
    let mut remaining = total;
    let mut index = 1u32;
    loop {
        let rows = remaining.min(per_page) as u32;
        let mut page = Page::open(pages, layout, index, Some(rows), limits)?;
        prepare(&mut page.ws, rows)?;
        for r in 1..=rows {
            let (ws, widths) = page.parts();
            row(ws, r, widths)?;
            page.end_row(r, r == rows)?;
        }
        out.push(page.close(rows)?);
        remaining -= u64::from(rows);
        index += 1;
        if remaining == 0 {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_continue_with_numbers() {
        assert_eq!(page_name("Results", 1), "Results");
        assert_eq!(page_name("Results", 2), "Results 2");
        assert!(page_name("MFA policies", 99).len() <= 31);
    }

    #[test]
    fn every_page_name_is_a_page_of_its_sheet_and_no_other() {
        for index in [1, 2, 10, 4000] {
            assert!(is_page("Results", &page_name("Results", index)));
            assert!(!is_page("Inputs", &page_name("Results", index)));
        }
        assert!(!is_page("Results", "Results summary"));
        assert!(!is_page("Results", "Results2"));
        assert!(!is_page("Results", "Results "));
    }
}
