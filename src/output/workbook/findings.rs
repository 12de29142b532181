//! The Findings sheet(s): every non-PASS result, sorted by severity (critical, high, medium,
//! low), then account and results order, with the check's remediation, a short source
//! reference, and empty reviewer columns (a Disposition drop-down, Owner, Due date, Reviewer
//! comment).
//!
//! Memory stays bounded: as results arrive (in account and results order), each non-PASS one
//! is copied, as the cells the sheet will show, to a spill file for its severity
//! ([`FindingSpill`]); reading the spills in severity order gives the sorted sheet without
//! holding or sorting any finding.

use super::cells::{Limits, Widths, date_format, text};
use super::paged::{Layout, pages};
use super::spill::{CellRef, RowSpill, SpilledRows};
use crate::output::error::OutputError;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Workbook,
    Worksheet, XlsxError,
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
pub const HEADERS: [&str; 19] = [
    "Severity",
    "Account",
    "Check ID",
    "Check title",
    "Resource",
    "Credential",
    "Status",
    "Reason",
    "Evidence",
    "Remediation",
    "Source file",
    "Source SHA-256 (prefix)",
    "Source location",
    "Exception",
    "Change",
    "Disposition",
    "Owner",
    "Due date",
    "Reviewer comment",
];

const DISPOSITION_COL: u16 = 15;
const DUE_DATE_COL: u16 = 17;
const COMMENT_COL: u16 = 18;

/// Non-PASS results, one spill file per severity.
pub struct FindingSpill {
    by_severity: Vec<RowSpill>,
}

impl FindingSpill {
    /// Empty spill files.
    pub fn new() -> std::io::Result<FindingSpill> {
        let by_severity = (0..=SEVERITY_ORDER.len())
            .map(|_| RowSpill::new())
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(FindingSpill { by_severity })
    }

    /// Keeps one finding under its severity, as its Results row (the Findings sheet reorders
    /// it and adds the check's title and remediation when it is written).
    pub fn push(&mut self, severity: &str, results_row: &[CellRef<'_>]) -> std::io::Result<()> {
        self.by_severity[severity_rank(severity)].push(results_row)
    }

    /// Findings so far.
    pub fn count(&self) -> u64 {
        self.by_severity.iter().map(RowSpill::rows).sum()
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
    workbook: &mut Workbook,
    spill: FindingSpill,
    thresholds: &crate::checks::Thresholds,
    limits: &Limits,
) -> Result<Vec<Worksheet>, OutputError> {
    // Titles state the limits in force, as the Checks and Summary sheets do.
    let titles: Vec<(&str, String)> = crate::checks::REGISTRY
        .iter()
        .map(|c| (c.meta.id, c.meta.title.render(thresholds)))
        .collect();
    let total = spill.count();
    let mut findings = BySeverity::drain(spill)?;
    let disposition = disposition_validation()?;
    let due = due_date_validation()?;
    pages(
        workbook,
        &Layout {
            name: "Findings",
            headers: &HEADERS,
            wrap: &[7, 8, 9, 13],
            typed: &[],
        },
        total,
        limits,
        |ws, rows| {
            ws.set_column_format(DUE_DATE_COL, &date_format())?;
            if rows > 0 {
                ws.add_data_validation(1, DISPOSITION_COL, rows, DISPOSITION_COL, &disposition)?;
                ws.add_data_validation(1, DUE_DATE_COL, rows, DUE_DATE_COL, &due)?;
            }
            Ok(())
        },
        |ws, row, w| write_finding(ws, row, &findings.next_row()?, &titles, w),
    )
}

/// The spilled findings read back in sheet order: every critical one, then high, ...
struct BySeverity {
    spills: Vec<SpilledRows>,
    current: usize,
}

impl BySeverity {
    fn drain(mut spill: FindingSpill) -> Result<BySeverity, OutputError> {
        let mut spills = Vec::with_capacity(spill.by_severity.len());
        for rows in &mut spill.by_severity {
            spills.push(rows.drain()?);
        }
        Ok(BySeverity { spills, current: 0 })
    }

    /// The next finding, as its Results row.
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

/// Writes one Findings row from a finding's Results row: reordered, with the check's title
/// and remediation and a short SHA-256, and room for the reviewer columns.
fn write_finding(
    ws: &mut Worksheet,
    row: u32,
    results_row: &[CellRef<'_>],
    titles: &[(&str, String)],
    w: &mut Widths,
) -> Result<(), OutputError> {
    // The row of results::with_row: the Results sheet's columns without the account name.
    let [
        account,
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
    ] = results_row
    else {
        return Err(OutputError::SpilledFindingShape(results_row.len()));
    };
    let check = crate::checks::find(text_of(check_id)).map(|c| c.meta);
    let title = titles
        .iter()
        .find(|(id, _)| *id == text_of(check_id))
        .map_or("", |(_, t)| t.as_str());
    let cells = [
        text_of(severity),
        text_of(account),
        text_of(check_id),
        title,
        text_of(resource),
        text_of(credential),
        text_of(status),
        text_of(reason),
        text_of(evidence),
        check.map_or("", |m| m.remediation),
        text_of(file),
        text_of(sha).get(..SHA_PREFIX).unwrap_or(text_of(sha)),
        text_of(location),
        text_of(exception),
        text_of(change),
    ];
    for (col, value) in cells.iter().enumerate() {
        text(ws, row, col as u16, value, w)?;
    }
    w.see_len(usize::from(DISPOSITION_COL), 20);
    w.see_len(usize::from(DUE_DATE_COL), 12);
    w.see_len(usize::from(COMMENT_COL), 40);
    Ok(())
}

/// The text of a spilled text cell (empty for any other).
fn text_of<'a>(cell: &CellRef<'a>) -> &'a str {
    match *cell {
        CellRef::Text(s) => s,
        _ => "",
    }
}
