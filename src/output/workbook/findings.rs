//! The Findings sheet(s): every non-PASS result, sorted by severity (critical, high, medium,
//! low), then account and results order, with the check's remediation, a short source
//! reference, and empty reviewer columns (a Disposition drop-down, Owner, Due date, Reviewer
//! comment).
//!
//! Memory stays bounded: while the Results sheet streams the results file, each non-PASS line
//! is copied to a spill file for its severity ([`FindingSpill`]); the results file is already
//! in account and results order, so reading the spills in severity order gives the sorted
//! sheet without holding or sorting any finding.

use super::cells::{Limits, date_format, text};
use super::paged::{Layout, pages};
use super::results::{change_text, exception_text, parse_line};
use super::spill::{LineSpill, SpilledLines};
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

/// Non-PASS result lines, one spill file per severity.
pub struct FindingSpill {
    by_severity: Vec<LineSpill>,
}

impl FindingSpill {
    /// Empty spill files.
    pub fn new() -> std::io::Result<FindingSpill> {
        let by_severity = (0..=SEVERITY_ORDER.len())
            .map(|_| LineSpill::new())
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(FindingSpill { by_severity })
    }

    /// Copies one results line under its severity.
    pub fn push(&mut self, severity: &str, line: &str) -> std::io::Result<()> {
        let i = SEVERITY_ORDER
            .iter()
            .position(|s| *s == severity)
            .unwrap_or(SEVERITY_ORDER.len());
        self.by_severity[i].push(line)
    }

    /// Findings so far.
    pub fn count(&self) -> u64 {
        self.by_severity.iter().map(LineSpill::lines).sum()
    }

    fn finish(self) -> std::io::Result<Vec<SpilledLines>> {
        self.by_severity
            .into_iter()
            .map(LineSpill::finish)
            .collect()
    }
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

/// Builds the findings sheets from the spilled non-PASS lines.
pub fn sheets(
    workbook: &mut Workbook,
    spill: FindingSpill,
    limits: &Limits,
) -> Result<Vec<Worksheet>, XlsxError> {
    let total = spill.count();
    let files = spill.finish()?;
    let mut readers = Vec::with_capacity(files.len());
    for f in &files {
        readers.push(f.reader()?);
    }
    let mut lines = readers.into_iter().flatten();
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
        |ws, row, w| {
            let line = lines
                .next()
                .ok_or_else(|| XlsxError::ParameterError("findings spill ended early".into()))??;
            let r = parse_line(&line)?;
            let (file, sha, loc) = match &r.source {
                Some(s) => (
                    s.file.as_str(),
                    s.sha256.get(..SHA_PREFIX).unwrap_or(&s.sha256),
                    s.location.as_str(),
                ),
                None => ("", "", ""),
            };
            let check = crate::checks::find(&r.check_id).map(|c| c.meta);
            let (exception, change) = (exception_text(&r), change_text(&r));
            let cells = [
                r.severity.as_str(),
                &r.account_id,
                &r.check_id,
                check.map_or("", |m| m.title),
                &r.resource_arn,
                r.credential.as_deref().unwrap_or(""),
                &r.status,
                &r.reason,
                &r.evidence,
                check.map_or("", |m| m.remediation),
                file,
                sha,
                loc,
                &exception,
                &change,
            ];
            for (col, value) in cells.iter().enumerate() {
                text(ws, row, col as u16, value, w)?;
            }
            w.see_len(usize::from(DISPOSITION_COL), 20);
            w.see_len(usize::from(DUE_DATE_COL), 12);
            w.see_len(usize::from(COMMENT_COL), 40);
            Ok(())
        },
    )
}
