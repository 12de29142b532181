//! The Results sheet(s): the whole tested population, one row per result in results order,
//! streamed as the results arrive (see [`super::stream`]), continuing on "Results 2",
//! "Results 3", ... past the row limit.

use super::cells::Limits;
use super::paged::Layout;
use super::spill::CellRef;
use super::stream::StreamedSheet;
use crate::output::error::OutputError;
use crate::workflow::exceptions::ExceptionNote;
use crate::workflow::{Annotated, AnnotatedRecord};

/// Results sheet columns.
pub const HEADERS: [&str; 14] = [
    "Account",
    "Account name",
    "Check ID",
    "Resource",
    "Credential",
    "Status",
    "Severity",
    "Reason",
    "Evidence",
    "Source file",
    "Source SHA-256",
    "Source location",
    "Exception",
    "Change",
];

/// One result as the workbook shows it, borrowed from a result of this run or a line read back
/// from a results file.
#[derive(Debug, Clone, Copy)]
pub struct ResultView<'a> {
    /// Account.
    pub account_id: &'a str,
    /// Check ID.
    pub check_id: &'a str,
    /// Resource.
    pub resource_arn: &'a str,
    /// Credential, or empty.
    pub credential: &'a str,
    /// Status.
    pub status: &'a str,
    /// Severity.
    pub severity: &'a str,
    /// Reason.
    pub reason: &'a str,
    /// Evidence values.
    pub evidence: &'a str,
    /// Source file, SHA-256 and location (empty without a source).
    pub source: (&'a str, &'a str, &'a str),
    /// The approved exception, if one applies.
    pub exception: Option<&'a ExceptionNote>,
    /// `new`, `unchanged` or `changed` against a baseline.
    pub change: Option<&'a str>,
    /// The baseline's status of a changed result.
    pub previous_status: Option<&'a str>,
}

impl<'a> From<&'a Annotated> for ResultView<'a> {
    fn from(a: &'a Annotated) -> Self {
        let r = &a.result;
        ResultView {
            account_id: &r.account_id,
            check_id: r.check_id,
            resource_arn: &r.resource_arn,
            credential: r.credential.unwrap_or(""),
            status: r.status.as_str(),
            severity: r.severity.as_str(),
            reason: &r.reason,
            evidence: &r.evidence,
            source: r.source.as_ref().map_or(("", "", ""), |s| {
                (&*s.file, &*s.sha256, s.location.as_str())
            }),
            exception: a.exception.as_ref(),
            change: a.change.as_ref().map(|c| c.as_str()),
            previous_status: a.change.as_ref().and_then(|c| c.previous()),
        }
    }
}

impl<'a> From<&'a AnnotatedRecord> for ResultView<'a> {
    fn from(a: &'a AnnotatedRecord) -> Self {
        let r = &a.result;
        ResultView {
            account_id: &r.account_id,
            check_id: &r.check_id,
            resource_arn: &r.resource_arn,
            credential: r.credential.as_deref().unwrap_or(""),
            status: &r.status,
            severity: &r.severity,
            reason: &r.reason,
            evidence: &r.evidence,
            source: r.source.as_ref().map_or(("", "", ""), |s| {
                (s.file.as_str(), s.sha256.as_str(), s.location.as_str())
            }),
            exception: a.exception.as_ref(),
            change: a.change.as_deref(),
            previous_status: a.previous_status.as_deref(),
        }
    }
}

impl ResultView<'_> {
    /// The Exception cell: the approved exception in one line, or empty.
    pub fn exception_text(&self) -> String {
        self.exception.map(|e| e.describe()).unwrap_or_default()
    }

    /// The Change cell: `new`, `unchanged`, `changed (was FAIL)`, or empty.
    pub fn change_text(&self) -> String {
        match (self.change, self.previous_status) {
            (Some("changed"), Some(previous)) => format!("changed (was {previous})"),
            (Some(c), _) => c.to_string(),
            (None, _) => String::new(),
        }
    }
}

/// Parses one line of the results file.
pub fn parse_line(line: &str) -> Result<AnnotatedRecord, OutputError> {
    serde_json::from_str(line).map_err(OutputError::ResultsLine)
}

/// The Results sheet, empty, ready to take rows.
pub fn sheet(limits: &Limits) -> std::io::Result<StreamedSheet> {
    StreamedSheet::new(
        Layout {
            name: "Results",
            headers: &HEADERS,
            wrap: &[7, 8, 12],
            typed: &[],
        },
        *limits,
    )
}

/// Calls `write` with the Results row of `r`, the account's name (empty when no organization
/// list names it) beside its ID; the Findings and Open items sheets are built from it too.
pub fn with_row<T>(
    r: &ResultView<'_>,
    account_name: &str,
    write: impl FnOnce(&[CellRef<'_>]) -> T,
) -> T {
    let (file, sha, location) = r.source;
    let (exception, change) = (r.exception_text(), r.change_text());
    write(&[
        CellRef::Text(r.account_id),
        CellRef::Text(account_name),
        CellRef::Text(r.check_id),
        CellRef::Text(r.resource_arn),
        CellRef::Text(r.credential),
        CellRef::Text(r.status),
        CellRef::Text(r.severity),
        CellRef::Text(r.reason),
        CellRef::Text(r.evidence),
        CellRef::Text(file),
        CellRef::Text(sha),
        CellRef::Text(location),
        CellRef::Text(&exception),
        CellRef::Text(&change),
    ])
}

/// A Results row read back from a spill file, cell by cell (the Findings and Open items sheets
/// reorder it).
pub struct RowCells<'a> {
    /// The account cell.
    pub account: &'a CellRef<'a>,
    /// The account name cell.
    pub account_name: &'a CellRef<'a>,
    /// The check id cell.
    pub check_id: &'a CellRef<'a>,
    /// The resource cell.
    pub resource: &'a CellRef<'a>,
    /// The credential cell.
    pub credential: &'a CellRef<'a>,
    /// The status cell.
    pub status: &'a CellRef<'a>,
    /// The severity cell.
    pub severity: &'a CellRef<'a>,
    /// The reason cell.
    pub reason: &'a CellRef<'a>,
    /// The evidence cell.
    pub evidence: &'a CellRef<'a>,
    /// The file cell.
    pub file: &'a CellRef<'a>,
    /// The sha cell.
    pub sha: &'a CellRef<'a>,
    /// The location cell.
    pub location: &'a CellRef<'a>,
    /// The exception cell.
    pub exception: &'a CellRef<'a>,
    /// The change cell.
    pub change: &'a CellRef<'a>,
}

impl<'a> RowCells<'a> {
    /// The Results row at the start of `cells` (a spilled row) and the cells after it; an
    /// error naming `what` when the row is shorter.
    pub fn split(
        cells: &'a [CellRef<'a>],
        what: &'static str,
        extra: usize,
    ) -> Result<(RowCells<'a>, &'a [CellRef<'a>]), OutputError> {
        let shape = || OutputError::SpilledShape {
            what,
            cells: cells.len(),
            expected: HEADERS.len() + extra,
        };
        if cells.len() != HEADERS.len() + extra {
            return Err(shape());
        }
        let (row, rest) = cells.split_at(HEADERS.len());
        let [
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
        ] = row
        else {
            return Err(shape());
        };
        Ok((
            RowCells {
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
            },
            rest,
        ))
    }
}
