//! What can fail while the outputs are written, saying which part failed. The commands report
//! it as "cannot write PATH: ..." with the output's path.

/// A failure while writing the results file, its sidecars or the workbook.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The workbook library refused a value or could not save the workbook.
    #[error("{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// A file could not be written or read back (an output, a spill file, the results file).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A line of the results file, read back for the workbook, is not a result.
    #[error("the results file has an unreadable line: {0}")]
    ResultsLine(serde_json::Error),
    /// The run options could not be written as JSON.
    #[error("the run options cannot be written as JSON: {0}")]
    RunOptions(serde_json::Error),
    /// A list gave fewer rows than its sheet was sized for.
    #[error("{0} ended before the sheet's last row")]
    EndedEarly(&'static str),
    /// A spilled finding or open item is not the row it was spilled as.
    #[error("a spilled {what} has {cells} cells where {expected} were written")]
    SpilledShape {
        /// `finding` or `open item`.
        what: &'static str,
        /// Cells read back.
        cells: usize,
        /// Cells written.
        expected: usize,
    },
    /// A row has more cells than its sheet has columns.
    #[error("{sheet} row has {cells} cells for {columns} columns")]
    RowTooWide {
        /// The sheet.
        sheet: &'static str,
        /// Cells in the row.
        cells: usize,
        /// Columns of the sheet.
        columns: usize,
    },
}
