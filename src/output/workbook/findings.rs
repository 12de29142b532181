//! The Findings sheet(s): every FAIL and PARTIAL result, sorted by severity (critical, high,
//! medium, low), then account and results order. Each finding has its stable ID
//! ([`super::finding_id`]); the identifying columns (ID, severity, account, check, resource)
//! come first and stay frozen when scrolling right; the status and the reviewer's columns (a
//! Disposition drop-down, Owner, Reviewer, Due date, Reviewer comment) follow, before the long
//! text (reason, evidence, the check's remediation) and a short source reference. Status and
//! severity are coloured by conditional formatting ([`super::highlight`]).
//!
//! Memory stays bounded: as results arrive (in account and results order), each finding is
//! copied, as the cells the sheet will show, to a spill file for its severity
//! ([`FindingSpill`]); reading the spills in severity order gives the sorted sheet without
//! holding or sorting any finding.

use super::cells::{Limits, Widths, date_format, text};
use super::finding_id::{FindingIds, ID_HEX, IdLedger, id_number};
use super::highlight::colour_column;
use super::paged::{Layout, Pages, pages};
use super::palette::{SEVERITY, STATUS};
use super::results::ResultView;
use super::results::RowCells;
use super::spill::{CellRef, RowSpill, SpilledRows};
use crate::output::error::OutputError;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Worksheet,
    XlsxError,
};

/// Severities in sheet order; anything else sorts last.
pub const SEVERITY_ORDER: [&str; 4] = ["critical", "high", "medium", "low"];

/// The choices of the Disposition drop-down.
pub const DISPOSITIONS: [&str; 6] = [
    "Open",
    "Remediated",
    "Risk accepted",
    "Compensating control",
    "False positive",
    "Not applicable",
];

/// Hex characters of the SHA-256 shown on the Findings sheet (the Results sheet has it whole).
pub const SHA_PREFIX: usize = 16;

/// Findings sheet columns.
pub const HEADERS: [&str; 22] = [
    "Finding ID",
    "Severity",
    "Account",
    "Account name",
    "Check ID",
    "Resource",
    "Status",
    "Disposition",
    "Owner",
    "Reviewer",
    "Due date",
    "Reviewer comment",
    "Credential",
    "Check title",
    "Reason",
    "Evidence",
    "Remediation",
    "Source file",
    "Source SHA-256 (prefix)",
    "Source location",
    "Exception",
    "Change",
];

/// The identifying columns (ID, severity, account and its name, check, resource), frozen on
/// the left.
pub const FROZEN_COLUMNS: u16 = 6;

const SEVERITY_COL: u16 = 1;
const STATUS_COL: u16 = 6;
const DISPOSITION_COL: u16 = 7;
const OWNER_COL: u16 = 8;
const REVIEWER_COL: u16 = 9;
const DUE_DATE_COL: u16 = 10;
const COMMENT_COL: u16 = 11;
/// Reason, Evidence, Remediation, Exception.
const WRAPPED: [u16; 4] = [14, 15, 16, 20];

/// Whether a status makes a result a finding (FAIL or PARTIAL).
pub fn is_finding_status(status: &str) -> bool {
    matches!(status, "FAIL" | "PARTIAL")
}

/// Findings, one spill file per severity, and their ID numbers in results order.
pub struct FindingSpill {
    by_severity: Vec<RowSpill>,
    ledger: IdLedger,
    id_hex: usize,
}

impl FindingSpill {
    /// Empty spill files.
    pub fn new() -> std::io::Result<FindingSpill> {
        let by_severity = (0..=SEVERITY_ORDER.len())
            .map(|_| RowSpill::new())
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(FindingSpill {
            by_severity,
            ledger: IdLedger::new()?,
            id_hex: ID_HEX,
        })
    }

    /// Finding IDs of `hex` hex characters instead of [`ID_HEX`] (short ones force repeated
    /// IDs in tests).
    pub fn set_id_hex(&mut self, hex: usize) {
        self.id_hex = hex;
    }

    /// Keeps one finding (the next in results order) under its severity, as its Results row
    /// with its ID number and position (the Findings sheet reorders it and adds the check's
    /// title and remediation when it is written).
    pub fn push(&mut self, r: &ResultView<'_>, results_row: &[CellRef<'_>]) -> std::io::Result<()> {
        let number = id_number(
            r.check_id,
            r.account_id,
            r.resource_arn,
            r.credential,
            self.id_hex,
        );
        let position = self.ledger.push(number)?;
        let mut row = Vec::with_capacity(results_row.len() + 2);
        row.extend_from_slice(results_row);
        row.push(CellRef::Count(number));
        row.push(CellRef::Count(position));
        self.by_severity[severity_rank(r.severity)].push(&row)
    }

    /// Findings so far.
    pub fn count(&self) -> u64 {
        self.ledger.count()
    }

    /// Ends the run's findings: the spills ready to read in sheet order, and the run's
    /// finding IDs (which findings repeat an earlier one's ID, and their suffixes).
    pub fn finish(mut self) -> Result<(SortedFindings, FindingIds), OutputError> {
        let total = self.ledger.count();
        let mut spills = Vec::with_capacity(self.by_severity.len());
        for rows in &mut self.by_severity {
            spills.push(rows.drain()?);
        }
        let ids = FindingIds {
            hex: self.id_hex,
            suffixes: self.ledger.suffixes()?,
        };
        Ok((
            SortedFindings {
                spills,
                current: 0,
                total,
            },
            ids,
        ))
    }
}

/// The position of a severity in sheet order; unknown ones sort last.
fn severity_rank(severity: &str) -> usize {
    SEVERITY_ORDER
        .iter()
        .position(|s| *s == severity)
        .unwrap_or(SEVERITY_ORDER.len())
}

fn disposition_validation() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(&DISPOSITIONS)?
        .set_input_title("Disposition")?
        .set_input_message("Choose how this finding was resolved.")?
        .set_error_title("Disposition")?
        .set_error_message("Choose one of the listed dispositions.")
}

fn due_date_validation() -> Result<DataValidation, XlsxError> {
    let earliest = ExcelDateTime::from_ymd(2000, 1, 1)?;
    DataValidation::new()
        .allow_date(DataValidationRule::GreaterThanOrEqualTo(earliest))
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_message("Enter a date, e.g. 2025-12-31.")
}

/// Builds the findings sheets from the spilled findings.
pub fn sheets(
    book: &Pages<'_>,
    mut findings: SortedFindings,
    ids: &FindingIds,
    thresholds: &crate::checks::Thresholds,
    limits: &Limits,
) -> Result<Vec<Worksheet>, OutputError> {
    let titles = check_titles(thresholds);
    let disposition = disposition_validation()?;
    let due = due_date_validation()?;
    pages(
        book,
        &Layout {
            name: "Findings",
            headers: &HEADERS,
            wrap: &WRAPPED,
            typed: &[],
        },
        findings.total,
        limits,
        |ws, rows| {
            ws.set_freeze_panes(1, FROZEN_COLUMNS)?;
            ws.set_column_format(DUE_DATE_COL, &date_format())?;
            colour_column(ws, STATUS_COL, rows, &STATUS)?;
            colour_column(ws, SEVERITY_COL, rows, &SEVERITY)?;
            if rows > 0 {
                ws.add_data_validation(1, DISPOSITION_COL, rows, DISPOSITION_COL, &disposition)?;
                ws.add_data_validation(1, DUE_DATE_COL, rows, DUE_DATE_COL, &due)?;
            }
            Ok(())
        },
        |ws, row, w| write_finding(ws, row, &findings.next_row()?, ids, &titles, w),
    )
}

/// Each check's ID and title; titles state the limits in force, as the Checks and Summary
/// sheets do.
pub fn check_titles(thresholds: &crate::checks::Thresholds) -> Vec<(&'static str, String)> {
    crate::checks::REGISTRY
        .iter()
        .map(|c| (c.meta.id, c.meta.title.render(thresholds)))
        .collect()
}

/// The title of a check, from [`check_titles`].
pub fn title_of<'a>(titles: &'a [(&str, String)], check_id: &str) -> &'a str {
    titles
        .iter()
        .find(|(id, _)| *id == check_id)
        .map_or("", |(_, t)| t.as_str())
}

/// The spilled findings read back in sheet order: every critical one, then high, ...
pub struct SortedFindings {
    spills: Vec<SpilledRows>,
    current: usize,
    total: u64,
}

impl SortedFindings {
    /// The next finding, as its Results row, ID number and position.
    fn next_row(&mut self) -> Result<Vec<CellRef<'_>>, OutputError> {
        while self
            .spills
            .get(self.current)
            .is_some_and(|rows| rows.left() == 0)
        {
            self.current += 1;
        }
        let Some(rows) = self.spills.get_mut(self.current) else {
            return Err(OutputError::EndedEarly("the findings spill"));
        };
        rows.next_row()?
            .ok_or(OutputError::EndedEarly("the findings spill"))
    }
}

/// Writes one Findings row from a spilled finding: its ID, then the Results row reordered,
/// with the check's title and remediation and a short SHA-256, and room for the reviewer
/// columns.
fn write_finding(
    ws: &mut Worksheet,
    row: u32,
    spilled: &[CellRef<'_>],
    ids: &FindingIds,
    titles: &[(&str, String)],
    w: &mut Widths,
) -> Result<(), OutputError> {
    // The Results row, then the ID number and the position.
    let (cells, rest) = RowCells::split(spilled, "finding", 2)?;
    let [CellRef::Count(number), CellRef::Count(position)] = rest else {
        return Err(OutputError::SpilledShape {
            what: "finding",
            cells: spilled.len(),
            expected: super::results::HEADERS.len() + 2,
        });
    };
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
        sha,
        location,
        exception,
        change,
    } = cells;
    let check = crate::checks::find(text_of(check_id)).map(|c| c.meta);
    let id = ids.text(*number, Some(*position));
    let identity = [
        id.as_str(),
        text_of(severity),
        text_of(account),
        text_of(account_name),
        text_of(check_id),
        text_of(resource),
        text_of(status),
    ];
    for (col, value) in identity.iter().enumerate() {
        text(ws, row, col as u16, value, w)?;
    }
    let details = [
        text_of(credential),
        title_of(titles, text_of(check_id)),
        text_of(reason),
        text_of(evidence),
        check.map_or("", |m| m.remediation),
        text_of(file),
        text_of(sha).get(..SHA_PREFIX).unwrap_or(text_of(sha)),
        text_of(location),
        text_of(exception),
        text_of(change),
    ];
    for (i, value) in details.iter().enumerate() {
        text(ws, row, COMMENT_COL + 1 + i as u16, value, w)?;
    }
    w.see_len(usize::from(DISPOSITION_COL), 20);
    w.see_len(usize::from(OWNER_COL), 16);
    w.see_len(usize::from(REVIEWER_COL), 16);
    w.see_len(usize::from(DUE_DATE_COL), 12);
    w.see_len(usize::from(COMMENT_COL), 40);
    Ok(())
}

/// The text of a spilled text cell (empty for any other).
pub fn text_of<'a>(cell: &CellRef<'a>) -> &'a str {
    match *cell {
        CellRef::Text(s) => s,
        _ => "",
    }
}
