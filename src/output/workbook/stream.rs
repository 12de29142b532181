//! Data sheets fed one row at a time, while the run is still producing them.
//!
//! Whether a page is an Excel table depends on how many rows it ends with, and a table must be
//! added before its rows. So a page's rows are held back in a spill file until they pass the
//! table limit: a page that ends at or under it is written as a table once its count is known
//! (at the end), and a page that passes it becomes an autofilter page on the spot, takes the
//! held-back rows, and from then on receives rows as they arrive. Large sheets are thus
//! written while the accounts are still being checked, and memory stays bounded by one row.

use super::cells::{Limits, cell};
use super::paged::{Layout, Page, Pages, rows_per_page};
use super::spill::{CellRef, RowSpill};
use crate::output::error::OutputError;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// A sheet's layout with static lifetimes, kept by a sheet written over time.
pub type StaticLayout = Layout<'static>;

/// A data sheet (and its continuation pages) written as its rows arrive.
pub struct StreamedSheet {
    layout: StaticLayout,
    limits: Limits,
    done: Vec<Worksheet>,
    /// The page receiving rows directly (it passed the table limit), with its rows so far.
    open: Option<(Page, u32)>,
    /// Rows of the current page held back while it may still be a table.
    held: RowSpill,
}

impl StreamedSheet {
    /// An empty sheet.
    pub fn new(layout: StaticLayout, limits: Limits) -> std::io::Result<StreamedSheet> {
        Ok(StreamedSheet {
            layout,
            limits,
            done: Vec::new(),
            open: None,
            held: RowSpill::new()?,
        })
    }

    fn page_index(&self) -> u32 {
        self.done.len() as u32 + 1
    }

    /// Adds one row.
    pub fn push(&mut self, book: &Pages<'_>, cells: &[CellRef<'_>]) -> Result<(), OutputError> {
        if cells.len() > self.layout.headers.len() {
            return Err(OutputError::RowTooWide {
                sheet: self.layout.name,
                cells: cells.len(),
                columns: self.layout.headers.len(),
            });
        }
        if let Some((page, rows)) = &mut self.open {
            *rows += 1;
            write_row(page, *rows, cells)?;
            page.end_row(*rows, false)?;
            if *rows == rows_per_page(&self.limits) {
                self.close_open()?;
            }
            return Ok(());
        }
        self.held.push(cells)?;
        let held = self.held.rows();
        let table_rows = u64::from(self.limits.table_rows);
        if held == u64::from(rows_per_page(&self.limits)) && held <= table_rows {
            // A full page within the table limit (only with limits where a page is no bigger
            // than a table): a table, written now.
            self.close(book)?;
            self.fill_held()?;
        } else if held > table_rows {
            // Past the table limit: this page becomes an autofilter page, written from now on.
            let mut page = Page::open(book, &self.layout, self.page_index(), None, &self.limits)?;
            let mut held = self.held.drain()?;
            let mut rows = 0;
            while let Some(row) = held.next_row()? {
                rows += 1;
                write_row(&mut page, rows, &row)?;
                page.end_row(rows, false)?;
            }
            self.open = Some((page, rows));
            if rows == rows_per_page(&self.limits) {
                self.close_open()?;
            }
        }
        Ok(())
    }

    fn close_open(&mut self) -> Result<(), OutputError> {
        if let Some((page, rows)) = self.open.take() {
            self.done.push(page.close(rows)?);
        }
        Ok(())
    }

    /// Ends the sheet's streaming: the open page is closed, and the last page, for the rows
    /// held back (or an empty table for a sheet without rows), is opened as a table. Runs on
    /// the thread that owns the workbook; [`StreamedSheet::write_held`] then fills the page and
    /// may run on another.
    pub fn close(&mut self, book: &Pages<'_>) -> Result<(), OutputError> {
        self.close_open()?;
        if self.held.rows() > 0 || self.done.is_empty() {
            let count = self.held.rows() as u32;
            let page = Page::open(
                book,
                &self.layout,
                self.page_index(),
                Some(count),
                &self.limits,
            )?;
            self.open = Some((page, count));
        }
        Ok(())
    }

    /// Writes the held-back rows on the page [`StreamedSheet::close`] opened and returns every
    /// page of the sheet.
    pub fn write_held(mut self) -> Result<Vec<Worksheet>, OutputError> {
        self.fill_held()?;
        Ok(self.done)
    }

    /// Writes the held-back rows on the table page [`StreamedSheet::close`] opened, and
    /// finishes it.
    fn fill_held(&mut self) -> Result<(), OutputError> {
        if let Some((mut page, count)) = self.open.take() {
            let mut held = self.held.drain()?;
            let mut rows = 0;
            while let Some(row) = held.next_row()? {
                rows += 1;
                write_row(&mut page, rows, &row)?;
                page.end_row(rows, rows == count)?;
            }
            self.done.push(page.close(rows)?);
        }
        Ok(())
    }
}

fn write_row(page: &mut Page, row: u32, cells: &[CellRef<'_>]) -> Result<(), XlsxError> {
    let (ws, widths) = page.parts();
    for (col, value) in cells.iter().enumerate() {
        cell(ws, row, col as u16, *value, widths)?;
    }
    Ok(())
}
