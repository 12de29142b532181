//! The Open items sheet(s): every MANUAL and NOT_DETERMINABLE result in results order, which
//! are not findings: a scope limitation (the inputs cannot decide the item) or a procedure
//! still to perform, each with the evidence to request or the procedure
//! ([`super::evidence_request`]). The identifying columns (account, check, resource) stay
//! frozen; status and severity are coloured as on the Findings sheet.
//!
//! Memory stays bounded as for the findings: each open item is copied, as its Results row, to
//! a spill file while the run produces it, and read back once when the sheet is written.

use super::cells::{Limits, Widths, text};
use super::evidence_request::request;
use super::findings::{check_titles, text_of, title_of};
use super::highlight::colour_column;
use super::paged::{Layout, Pages, pages};
use super::palette::{SEVERITY, STATUS};
use super::results::RowCells;
use super::spill::{CellRef, RowSpill};
use crate::output::error::OutputError;
use rust_xlsxwriter::Worksheet;

/// Open items sheet columns.
pub const HEADERS: [&str; 18] = [
    "Account",
    "Account name",
    "Check ID",
    "Resource",
    "Credential",
    "Status",
    "Type",
    "Evidence to request or procedure",
    "Owner",
    "Reviewer comment",
    "Reason",
    "Severity",
    "Check title",
    "Evidence",
    "Source file",
    "Source location",
    "Exception",
    "Change",
];

/// The identifying columns (account and its name, check, resource), frozen on the left.
pub const FROZEN_COLUMNS: u16 = 4;

const STATUS_COL: u16 = 5;
const REQUEST_COL: u16 = 7;
const OWNER_COL: u16 = 8;
const COMMENT_COL: u16 = 9;
const SEVERITY_COL: u16 = 11;
/// Evidence to request, Reason, Evidence, Exception.
const WRAPPED: [u16; 4] = [REQUEST_COL, 10, 13, 16];

/// Whether a status makes a result an open item (MANUAL or NOT_DETERMINABLE).
pub fn is_open_item_status(status: &str) -> bool {
    matches!(status, "MANUAL" | "NOT_DETERMINABLE")
}

/// Open items in results order, in a spill file.
pub struct OpenItemSpill {
    rows: RowSpill,
}

impl OpenItemSpill {
    /// An empty spill file.
    pub fn new() -> std::io::Result<OpenItemSpill> {
        Ok(OpenItemSpill {
            rows: RowSpill::new()?,
        })
    }

    /// Keeps the next open item, as its Results row.
    pub fn push(&mut self, results_row: &[CellRef<'_>]) -> std::io::Result<()> {
        self.rows.push(results_row)
    }

    /// Open items so far.
    pub fn count(&self) -> u64 {
        self.rows.rows()
    }
}

/// Builds the open items sheets from the spilled items.
pub fn sheets(
    book: &Pages<'_>,
    mut spill: OpenItemSpill,
    thresholds: &crate::checks::Thresholds,
    limits: &Limits,
) -> Result<Vec<Worksheet>, OutputError> {
    let titles = check_titles(thresholds);
    let total = spill.count();
    let mut items = spill.rows.drain()?;
    pages(
        book,
        &Layout {
            name: "Open items",
            headers: &HEADERS,
            wrap: &WRAPPED,
            typed: &[],
        },
        total,
        limits,
        |ws, rows| {
            ws.set_freeze_panes(1, FROZEN_COLUMNS)?;
            colour_column(ws, STATUS_COL, rows, &STATUS)?;
            colour_column(ws, SEVERITY_COL, rows, &SEVERITY)?;
            Ok(())
        },
        |ws, row, w| {
            let cells = items
                .next_row()?
                .ok_or(OutputError::EndedEarly("the open items spill"))?;
            write_item(ws, row, &cells, &titles, w)
        },
    )
}

/// Writes one Open items row from an item's Results row.
fn write_item(
    ws: &mut Worksheet,
    row: u32,
    results_row: &[CellRef<'_>],
    titles: &[(&str, String)],
    w: &mut Widths,
) -> Result<(), OutputError> {
    let RowCells {
        account,
        account_name,
        check_id,
        resource,
        credential,
        status,
        severity,
        reason,
        evidence,
        file,
        location,
        exception,
        change,
        ..
    } = RowCells::split(results_row, "open item", 0)?.0;
    let asked = request(text_of(check_id), text_of(status), text_of(reason));
    let cells = [
        text_of(account),
        text_of(account_name),
        text_of(check_id),
        text_of(resource),
        text_of(credential),
        text_of(status),
        asked.kind,
        &asked.text,
    ];
    for (col, value) in cells.iter().enumerate() {
        text(ws, row, col as u16, value, w)?;
    }
    let details = [
        text_of(reason),
        text_of(severity),
        title_of(titles, text_of(check_id)),
        text_of(evidence),
        text_of(file),
        text_of(location),
        text_of(exception),
        text_of(change),
    ];
    for (i, value) in details.iter().enumerate() {
        text(ws, row, COMMENT_COL + 1 + i as u16, value, w)?;
    }
    w.see_len(usize::from(OWNER_COL), 16);
    w.see_len(usize::from(COMMENT_COL), 40);
    Ok(())
}
