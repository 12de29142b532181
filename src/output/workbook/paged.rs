//! Streamed data sheets that continue on "NAME 2", "NAME 3", ... past the row limit: each page
//! is a constant-memory worksheet with its table (or autofilter) added before its rows, widths
//! tracked while writing, and the common print setup.

use super::cells::{Kind, Limits, Styling, Widths, print_setup, table_or_filter};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

/// The name of page `index` (1-based) of a sheet: `NAME`, then `NAME 2`, ...
pub fn page_name(base: &str, index: u32) -> String {
    if index == 1 {
        base.to_string()
    } else {
        format!("{base} {index}")
    }
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

/// Writes `total` rows on as many pages as the limits need (at least one, possibly empty).
/// `prepare` runs on each page before its rows (data validation, column formats) with the
/// page's row count; `row` writes data row `r` (1-based on the page) and is called `total`
/// times in all, in order.
pub fn pages(
    workbook: &mut Workbook,
    layout: &Layout<'_>,
    total: u64,
    limits: &Limits,
    mut prepare: impl FnMut(&mut Worksheet, u32) -> Result<(), XlsxError>,
    mut row: impl FnMut(&mut Worksheet, u32, &mut Widths) -> Result<(), XlsxError>,
) -> Result<Vec<Worksheet>, XlsxError> {
    let per_page = u64::from(limits.max_rows.saturating_sub(1).max(1));
    let mut out = Vec::new();
    let mut remaining = total;
    let mut index = 1u32;
    loop {
        let rows = remaining.min(per_page) as u32;
        let mut ws = workbook.new_worksheet_with_constant_memory()?;
        ws.set_name(page_name(layout.name, index))?;
        table_or_filter(&mut ws, layout.headers, rows, limits)?;
        let mut widths = Widths::wrapping(layout.headers, layout.wrap);
        // Row heights only on table-sized pages (the writer keeps every row's options), and
        // never on a page's last row: rust_xlsxwriter 0.102 in constant memory writes a
        // second, duplicate <row> element for a last row that has options, which Excel
        // rejects as corrupt.
        let set_heights = rows <= limits.table_rows;
        let styling = if set_heights {
            Styling::Columns
        } else {
            Styling::Bare
        };
        widths.style_columns(&mut ws, layout.typed, styling)?;
        prepare(&mut ws, rows)?;
        for r in 1..=rows {
            row(&mut ws, r, &mut widths)?;
            widths.end_row(&mut ws, r, set_heights && r < rows)?;
        }
        widths.apply(&mut ws)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_continue_with_numbers() {
        assert_eq!(page_name("Results", 1), "Results");
        assert_eq!(page_name("Results", 2), "Results 2");
        assert!(page_name("MFA policies", 99).len() <= 31);
    }
}
