//! The Results sheet(s): the whole tested population, one row per result in results order,
//! streamed as the results arrive (see [`super::stream`]), continuing on "Results 2",
//! "Results 3", ... past the row limit.

use super::cells::Limits;
use super::paged::Layout;
use super::spill::CellRef;
use super::stream::StreamedSheet;
use crate::checks::CheckResult;
use crate::output::jsonl::ResultRecord;
use crate::workflow::exceptions::ExceptionNote;

/// Results sheet columns.
pub const HEADERS: [&str; 13] = [
    "Account",
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

impl<'a> From<&'a CheckResult> for ResultView<'a> {
    fn from(r: &'a CheckResult) -> Self {
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
            exception: r.exception.as_ref(),
            change: r.change,
            previous_status: r.previous_status.as_deref(),
        }
    }
}

impl<'a> From<&'a ResultRecord> for ResultView<'a> {
    fn from(r: &'a ResultRecord) -> Self {
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
            exception: r.exception.as_ref(),
            change: r.change.as_deref(),
            previous_status: r.previous_status.as_deref(),
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

    /// Whether the result is a finding (not PASS).
    pub fn is_finding(&self) -> bool {
        self.status != "PASS"
    }
}

/// Parses one line of the results file.
pub fn parse_line(line: &str) -> Result<ResultRecord, rust_xlsxwriter::XlsxError> {
    serde_json::from_str(line).map_err(|e| {
        rust_xlsxwriter::XlsxError::ParameterError(format!("results file unreadable: {e}"))
    })
}

/// The Results sheet, empty, ready to take rows.
pub fn sheet(limits: &Limits) -> std::io::Result<StreamedSheet> {
    StreamedSheet::new(
        Layout {
            name: "Results",
            headers: &HEADERS,
            wrap: &[6, 7, 11],
            typed: &[],
        },
        *limits,
    )
}

/// Calls `write` with the Results row of `r`.
pub fn with_row<T>(r: &ResultView<'_>, write: impl FnOnce(&[CellRef<'_>]) -> T) -> T {
    let (file, sha, location) = r.source;
    let (exception, change) = (r.exception_text(), r.change_text());
    write(&[
        CellRef::Text(r.account_id),
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
