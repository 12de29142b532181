//! The Exceptions and Changes sheets, present when `--exceptions` or `--baseline` was given.
//! The Changes sheet gives each row that is or was a finding its finding ID, so last quarter's
//! finding is found under the same ID.

use super::cells::{Limits, Widths, number, text};
use super::finding_id::FindingIds;
use super::findings::is_finding_status;
use super::paged::{Layout, Pages, pages};
use super::results::parse_line;
use crate::checks::ResultKey;
use crate::output::error::OutputError;
use crate::output::meta::RunRecord;
use rust_xlsxwriter::Worksheet;
use std::io::BufRead;
use std::path::Path;

const EXCEPTION_HEADERS: [&str; 10] = [
    "Line",
    "Check ID",
    "Account",
    "Resource",
    "Reason",
    "Approved by",
    "Approval date",
    "Expiry date",
    "Standing",
    "Results covered",
];

const CHANGE_HEADERS: [&str; 8] = [
    "Finding ID",
    "Account",
    "Check ID",
    "Resource",
    "Credential",
    "Change",
    "Previous status",
    "Status",
];

/// The Exceptions sheet: every entry of the exceptions file, applied, expired or stale.
pub fn exceptions(
    book: &Pages<'_>,
    record: &RunRecord,
    limits: &Limits,
) -> Result<Vec<Worksheet>, OutputError> {
    if record.options.exceptions.is_none() {
        return Ok(Vec::new());
    }
    let mut entries = record.exceptions.iter();
    pages(
        book,
        &Layout {
            name: "Exceptions",
            headers: &EXCEPTION_HEADERS,
            wrap: &[4],
            typed: &[],
        },
        record.exceptions.len() as u64,
        limits,
        |_, _| Ok(()),
        |ws, row, w| {
            let Some(e) = entries.next() else {
                return Err(OutputError::EndedEarly("the exceptions list"));
            };
            number(ws, row, 0, e.entry.line as u64, w)?;
            let standing = match e.standing {
                crate::workflow::exceptions::Standing::Applied => "applied",
                crate::workflow::exceptions::Standing::Expired => {
                    "expired (as-of after the expiry date)"
                }
                crate::workflow::exceptions::Standing::Stale => "stale (matches no finding)",
            };
            let cells = [
                e.entry.check_id.as_str(),
                &e.entry.account,
                &e.entry.resource,
                &e.entry.reason,
                &e.entry.approved_by,
                &e.entry.approval_date.to_string(),
                &e.entry.expiry_date.to_string(),
                standing,
            ];
            for (i, value) in cells.iter().enumerate() {
                text(ws, row, 1 + i as u16, value, w)?;
            }
            Ok(number(ws, row, 9, e.results, w)?)
        },
    )
}

/// The Changes sheet: results new or changed since the baseline (from the results file), then
/// baseline results that are gone (resolved findings, removed passes). A row whose status or
/// previous status is FAIL or PARTIAL shows the finding ID, as the Findings sheet does.
pub fn changes(
    book: &Pages<'_>,
    record: &RunRecord,
    results_jsonl: &Path,
    ids: &FindingIds,
    limits: &Limits,
) -> Result<Vec<Worksheet>, OutputError> {
    let Some(changes) = &record.changes else {
        return Ok(Vec::new());
    };
    let total = changes.counts.new + changes.counts.changed + changes.gone.len() as u64;
    let file = std::fs::File::open(results_jsonl)?;
    let mut lines = std::io::BufReader::with_capacity(1 << 16, file).lines();
    let mut gone = changes.gone.iter();
    // Findings of this run so far, in results order: the position of the next one.
    let mut findings = 0u64;
    pages(
        book,
        &Layout {
            name: "Changes",
            headers: &CHANGE_HEADERS,
            wrap: &[],
            typed: &[],
        },
        total,
        limits,
        |_, _| Ok(()),
        |ws, row, w| {
            for line in lines.by_ref() {
                let r = parse_line(&line?)?;
                let position = is_finding_status(&r.result.status).then(|| {
                    findings += 1;
                    findings - 1
                });
                if !matches!(r.change.as_deref(), Some("new" | "changed")) {
                    continue;
                }
                let previous = r.previous_status.as_deref().unwrap_or("");
                let id = (position.is_some() || is_finding_status(previous))
                    .then(|| ids.of_key(r.result.key(), position));
                let change = [
                    r.change.as_deref().unwrap_or(""),
                    previous,
                    &r.result.status,
                ];
                return change_row(ws, row, id.as_deref(), r.result.key(), change, w);
            }
            let Some(g) = gone.next() else {
                return Err(OutputError::EndedEarly("the changes"));
            };
            let id = is_finding_status(&g.previous).then(|| ids.of_key(g.key.borrowed(), None));
            let change = [g.outcome, g.previous.as_str(), ""];
            change_row(ws, row, id.as_deref(), g.key.borrowed(), change, w)
        },
    )
}

/// One Changes row: the finding ID (if any) and the result's identity, then its change,
/// previous status and status.
fn change_row(
    ws: &mut Worksheet,
    row: u32,
    id: Option<&str>,
    key: ResultKey<&str>,
    change: [&str; 3],
    w: &mut Widths,
) -> Result<(), OutputError> {
    let identity = [
        id.unwrap_or(""),
        key.account_id,
        key.check_id,
        key.resource_arn,
        key.credential.unwrap_or(""),
    ];
    for (i, value) in identity.into_iter().chain(change).enumerate() {
        text(ws, row, i as u16, value, w)?;
    }
    Ok(())
}
