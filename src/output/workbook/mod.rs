//! The workbook: an auditor's workpaper.
//!
//! Sheets, in order: Cover, Summary, Findings, Results, Users, Roles, MFA policies, Inputs,
//! Checks. Every data sheet is streamed in constant memory (a table, or an autofilter above
//! [`Limits::table_rows`] rows), continuing on "NAME 2", ... past [`Limits::max_rows`].
//! Worksheets are built in the order their data can be read and pushed in sheet order:
//! Results is streamed from the results file first, copying non-PASS lines into per-severity
//! spill files, from which Findings is then written; the evidence sheets read the rows the
//! pipeline spilled per account ([`SpilledEvidence`]).
//!
//! The output is reproducible: fixed document creation date, no wall-clock value anywhere.

mod cells;
mod checks_sheet;
mod cover;
mod evidence_sheets;
mod findings;
mod inputs;
mod paged;
mod results;
mod spill;
mod summary;
mod workflow_sheets;

use crate::evidence::EvidenceSheet;
use crate::output::meta::RunRecord;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};
use std::path::Path;

pub use cells::{EXCEL_MAX_ROWS, Limits, MAX_CELL_CHARS, TABLE_ROW_LIMIT, truncate_cell};
pub use cover::RUN_OPTIONS_NAME;
pub use findings::DISPOSITIONS;
pub use spill::{EvidenceSpill, SpilledEvidence};

/// Writes the whole workbook to `path` under Excel's limits.
pub fn write(
    path: &Path,
    record: &RunRecord,
    results_jsonl: &Path,
    evidence: &SpilledEvidence,
) -> Result<(), XlsxError> {
    write_with_limits(path, record, results_jsonl, evidence, &Limits::default())
}

/// Writes the whole workbook with the given row limits (smaller ones exercise continuation
/// sheets and the autofilter fallback in tests).
pub fn write_with_limits(
    path: &Path,
    record: &RunRecord,
    results_jsonl: &Path,
    evidence: &SpilledEvidence,
    limits: &Limits,
) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(3);
    let options_json = serde_json::to_string(&record.options)
        .map_err(|e| XlsxError::ParameterError(format!("run options: {e}")))?;
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    let mut properties = DocProperties::new()
        .set_title("IAM evidence workpaper")
        .set_author(record.tool)
        .set_comment(format!(
            "{} {}; input digest {}",
            record.tool, record.version, record.input_digest
        ))
        .set_creation_datetime(&fixed)
        .set_custom_property("iam-evidence version", record.version)
        .set_custom_property("iam-evidence input digest", record.input_digest.as_str());
    // Excel keeps custom text properties up to 255 characters; the Cover cell always has it.
    if options_json.chars().count() <= 255 {
        properties = properties.set_custom_property("iam-evidence run options", options_json);
    }
    workbook.set_properties(&properties);

    let cover = cover::sheet(record)?;
    let summary = summary::sheets(&mut workbook, record, limits)?;
    let mut finding_spill = findings::FindingSpill::new()?;
    let results = results::sheets(
        &mut workbook,
        results_jsonl,
        record.results,
        limits,
        &mut finding_spill,
    )?;
    let findings = findings::sheets(&mut workbook, finding_spill, limits)?;
    let changes = workflow_sheets::changes(&mut workbook, record, results_jsonl, limits)?;
    let exceptions = workflow_sheets::exceptions(&mut workbook, record, limits)?;
    let mut evidence_pages = Vec::new();
    for sheet in EvidenceSheet::ALL {
        evidence_pages.extend(evidence_sheets::sheets(
            &mut workbook,
            sheet,
            evidence,
            limits,
        )?);
    }
    let inputs = inputs::sheets(&mut workbook, record, limits)?;
    let checks = checks_sheet::sheets(&mut workbook, limits)?;

    workbook.push_worksheet(cover.sheet);
    for ws in summary
        .into_iter()
        .chain(findings)
        .chain(results)
        .chain(changes)
        .chain(exceptions)
        .chain(evidence_pages)
        .chain(inputs)
        .chain(checks)
    {
        workbook.push_worksheet(ws);
    }
    workbook.define_name(
        RUN_OPTIONS_NAME,
        &format!("=Cover!$B${}", cover.options_row + 1),
    )?;
    workbook.save(path)
}
