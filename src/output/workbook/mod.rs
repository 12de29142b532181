//! The workbook: an auditor's workpaper. Small sheets are built in memory; the results sheet
//! is streamed from the spilled results file in constant memory, once its row count is known.

mod cells;
mod checks_sheet;
mod cover;
mod inputs;
mod results;
mod summary;

use crate::output::meta::RunRecord;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};
use std::path::Path;

pub use cells::{MAX_CELL_CHARS, truncate_cell};

/// Excel's row limit per sheet, header included.
pub const EXCEL_MAX_ROWS: u32 = 1_048_576;

/// Writes the whole workbook to `path` from the run record and the results file.
pub fn write(path: &Path, record: &RunRecord, results_jsonl: &Path) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(3);
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title("IAM evidence workpaper")
            .set_author(record.tool)
            .set_creation_datetime(&fixed),
    );
    workbook.push_worksheet(cover::sheet(record)?);
    workbook.push_worksheet(summary::sheet(record)?);
    for sheet in results::sheets(&mut workbook, results_jsonl, record.results, EXCEL_MAX_ROWS)? {
        workbook.push_worksheet(sheet);
    }
    workbook.push_worksheet(inputs::sheet(record)?);
    workbook.push_worksheet(checks_sheet::sheet()?);
    workbook.save(path)
}
