//! The workbook: an auditor's workpaper.
//!
//! Sheets, in order: Cover, Summary, Controls (with `--framework`), Population, Findings, Open
//! items, Results, Changes, Exceptions, Users, Roles, Privileged access, MFA policies, Inputs,
//! Checks. Every data sheet is written in constant memory (a table, or an
//! autofilter above [`Limits::table_rows`] rows), continuing on "NAME 2", ... past
//! [`Limits::max_rows`].
//! [`WorkbookWriter`] takes the results and evidence rows while the run produces them: the
//! Results and evidence sheets are streamed (see [`stream`]), findings (FAIL, PARTIAL) are
//! kept per severity for the Findings sheet and open items (MANUAL, NOT_DETERMINABLE) for the
//! Open items sheet, both in spill files, and the sheets that need the whole run (cover,
//! summary, findings, open items, inputs) are written by [`WorkbookWriter::finish`], which
//! pushes every sheet in order and saves.
//!
//! Every sheet gets the same print setup there too (see [`print`]).
//!
//! The output is reproducible: the document's creation date is the run's latest as-of, and no
//! wall-clock value enters anywhere.

mod cells;
mod checks_sheet;
mod conclusion;
mod controls;
mod cover;
mod evidence_request;
mod evidence_sheets;
mod finding_id;
mod findings;
mod highlight;
mod inputs;
mod open_items;
mod paged;
mod palette;
mod population;
mod print;
mod results;
mod spill;
mod stream;
mod summary;
mod workflow_sheets;

use crate::output::error::OutputError;
use crate::output::evidence_rows::{AccountEvidence, EvidenceSheet};
use crate::output::meta::RunRecord;
use crate::primitives::parallel;
use crate::workflow::Annotated;
use paged::Pages;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet};
use std::path::Path;

pub use cells::{EXCEL_MAX_ROWS, Limits, MAX_CELL_CHARS, TABLE_ROW_LIMIT, truncate_cell};
pub use cover::RUN_OPTIONS_NAME;
pub use finding_id::ID_HEX;
pub use findings::DISPOSITIONS;
pub use paged::is_page;
pub use results::{HEADERS as RESULTS_HEADERS, ResultView, parse_line};
pub use spill::CellRef;

/// The workbook while a run produces its rows.
pub struct WorkbookWriter {
    workbook: Workbook,
    limits: Limits,
    results: stream::StreamedSheet,
    findings: findings::FindingSpill,
    open_items: open_items::OpenItemSpill,
    /// One per sheet of [`EvidenceSheet::ALL`].
    evidence: Vec<stream::StreamedSheet>,
    /// Threads that write the last sheets and compress the workbook (see
    /// [`WorkbookWriter::set_threads`]).
    threads: usize,
}

impl WorkbookWriter {
    /// A workbook under Excel's limits.
    pub fn new() -> std::io::Result<WorkbookWriter> {
        WorkbookWriter::with_limits(Limits::default())
    }

    /// A workbook under the given row limits (smaller ones exercise continuation sheets and
    /// the autofilter fallback in tests).
    pub fn with_limits(limits: Limits) -> std::io::Result<WorkbookWriter> {
        let mut workbook = Workbook::new();
        workbook.set_zip_compression_level(3);
        Ok(WorkbookWriter {
            workbook,
            limits,
            results: results::sheet(&limits)?,
            findings: findings::FindingSpill::new()?,
            open_items: open_items::OpenItemSpill::new()?,
            evidence: EvidenceSheet::ALL
                .iter()
                .map(|s| evidence_sheets::sheet(*s, &limits))
                .collect::<std::io::Result<_>>()?,
            threads: 1,
        })
    }

    /// At most `threads` threads (at least one) write the sheets that need the whole run and
    /// compress the sheets into the file, at the end; the workbook is the same whatever their
    /// number. One by default.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// Finding IDs of `hex` hex characters instead of [`ID_HEX`]: short ones make repeated
    /// IDs likely, to exercise their suffixes in tests. Call before the first result.
    pub fn set_finding_id_length(&mut self, hex: usize) {
        self.findings.set_id_hex(hex);
    }

    /// Adds one result (in results order) of the account named `account_name` (empty when
    /// no organization list names it) to the Results sheet, and to the findings (FAIL,
    /// PARTIAL) or the open items (MANUAL, NOT_DETERMINABLE).
    pub fn result(&mut self, r: ResultView<'_>, account_name: &str) -> Result<(), OutputError> {
        let Self {
            workbook,
            results,
            findings,
            open_items,
            ..
        } = self;
        let book = Pages::new(workbook);
        results::with_row(&r, account_name, |row| {
            results.push(&book, row)?;
            if findings::is_finding_status(r.status) {
                findings.push(&r, row)?;
            } else if open_items::is_open_item_status(r.status) {
                open_items.push(row)?;
            }
            Ok(())
        })
    }

    /// Adds one account's results, in order.
    pub fn results(
        &mut self,
        results: &[Annotated],
        account_name: &str,
    ) -> Result<(), OutputError> {
        results
            .iter()
            .try_for_each(|r| self.result(r.into(), account_name))
    }

    /// Adds one row to an evidence sheet (in account order).
    pub fn evidence_row(
        &mut self,
        sheet: EvidenceSheet,
        cells: &[CellRef<'_>],
    ) -> Result<(), OutputError> {
        self.evidence[sheet.index()].push(&Pages::new(&mut self.workbook), cells)
    }

    /// Adds one account's evidence rows.
    pub fn evidence(&mut self, evidence: &AccountEvidence) -> Result<(), OutputError> {
        for sheet in EvidenceSheet::ALL {
            for row in evidence.rows(sheet) {
                let cells: Vec<CellRef<'_>> = row.iter().map(CellRef::from).collect();
                self.evidence_row(sheet, &cells)?;
            }
        }
        Ok(())
    }

    /// Findings (FAIL, PARTIAL) so far.
    pub fn findings(&self) -> u64 {
        self.findings.count()
    }

    /// Open items (MANUAL, NOT_DETERMINABLE) so far.
    pub fn open_items(&self) -> u64 {
        self.open_items.count()
    }

    /// Writes the sheets that need the whole run and saves the workbook to `path`.
    /// `results_jsonl` is the run's results file (the Changes sheet reads it back).
    pub fn finish(
        self,
        path: &Path,
        record: &RunRecord,
        results_jsonl: &Path,
    ) -> Result<(), OutputError> {
        let WorkbookWriter {
            mut workbook,
            limits,
            results,
            findings,
            open_items,
            evidence,
            threads,
        } = self;
        workbook.set_properties(&properties(record)?);
        workbook.set_zip_compression_threads(threads);
        let sheets = write_sheets(
            &Pages::new(&mut workbook),
            std::iter::once(results).chain(evidence).collect(),
            (findings, open_items),
            (record, results_jsonl),
            (&limits, threads),
        )?;
        let names: Vec<String> = sheets.iter().map(Worksheet::name).collect();
        let cover = cover::sheet(record, &names)?;
        let header = print::page_header(record);
        for mut ws in std::iter::once(cover.sheet).chain(sheets) {
            print::apply(&mut ws, &header)?;
            workbook.push_worksheet(ws);
        }
        workbook.define_name(
            RUN_OPTIONS_NAME,
            &format!("=Cover!$B${}", cover.options_row + 1),
        )?;
        workbook.save(path)?;
        Ok(())
    }
}

/// The document properties: title, author, the creation date (the latest as-of, so the bytes
/// are reproducible), the version, the input digest and, when short enough, the run options.
fn properties(record: &RunRecord) -> Result<DocProperties, OutputError> {
    let options_json = serde_json::to_string(&record.options).map_err(OutputError::RunOptions)?;
    let created = created(record)?;
    let mut properties = DocProperties::new()
        .set_title(print::TITLE)
        .set_author(record.tool)
        .set_comment(format!(
            "{} {}; input digest {}",
            record.tool, record.version, record.input_digest
        ))
        .set_creation_datetime(&created)
        .set_custom_property("iam-evidence version", record.version)
        .set_custom_property("iam-evidence input digest", record.input_digest.as_str());
    // Excel keeps custom text properties up to 255 characters; the Cover cell always has it.
    if options_json.chars().count() <= 255 {
        properties = properties.set_custom_property("iam-evidence run options", options_json);
    }
    Ok(properties)
}

/// The document's creation date: the latest as-of instant of the run's accounts (UTC, to the
/// second), or 2000-01-01 when no account has one.
fn created(record: &RunRecord) -> Result<ExcelDateTime, OutputError> {
    let latest = record
        .accounts
        .iter()
        .filter_map(|a| a.as_of.as_deref())
        .filter_map(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        })
        .map(|t| t.to_offset(time::UtcOffset::UTC))
        .max();
    Ok(match latest {
        Some(t) => ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day())?.and_hms(
            u16::from(t.hour()),
            t.minute(),
            t.second(),
        )?,
        None => ExcelDateTime::from_ymd(2000, 1, 1)?,
    })
}

/// A sheet's pages, or why they could not be written.
type Written = Result<Vec<Worksheet>, OutputError>;

/// Every sheet after the cover, in workbook order: Summary, Controls, Population, Findings,
/// Open items, Results, Changes, Exceptions, the evidence sheets, Inputs, Checks.
///
/// The small sheets are written first, in turn; then the large ones (Findings, Open items,
/// Changes, and the streamed sheets' last pages: rows held back while they could still be
/// tables) are written at the same time on up to `threads` threads, largest first, once
/// every format they use is known to the workbook (see [`cells::Widths::register_formats`]).
fn write_sheets(
    book: &Pages<'_>,
    mut streamed: Vec<stream::StreamedSheet>,
    (findings, open_items): (findings::FindingSpill, open_items::OpenItemSpill),
    (record, results_jsonl): (&RunRecord, &Path),
    (limits, threads): (&Limits, usize),
) -> Result<Vec<Worksheet>, OutputError> {
    let thresholds = &record.options.thresholds;
    let summary = summary::sheets(book, record, limits)?;
    let controls = controls::sheets(book, record, limits)?;
    let population = population::sheets(book, record, limits)?;
    let exceptions = workflow_sheets::exceptions(book, record, limits)?;
    let inputs = inputs::sheets(book, record, limits)?;
    let checks = checks_sheet::sheets(book, thresholds, limits)?;
    for sheet in &mut streamed {
        sheet.close(book)?;
    }
    let (findings, ids) = findings.finish()?;
    cells::Widths::register_formats(&mut book.worksheet()?)?;

    let streamed_count = streamed.len();
    let mut jobs: Vec<parallel::Job<'_, Written>> = vec![Box::new(|| {
        findings::sheets(book, findings, &ids, thresholds, limits)
    })];
    jobs.extend(
        streamed
            .into_iter()
            .map(|sheet| -> parallel::Job<'_, Written> { Box::new(move || sheet.write_held()) }),
    );
    jobs.push(Box::new(|| {
        open_items::sheets(book, open_items, thresholds, limits)
    }));
    jobs.push(Box::new(|| {
        workflow_sheets::changes(book, record, results_jsonl, &ids, limits)
    }));
    // The first error in job order, as when the sheets were written in turn.
    let mut written = parallel::run(threads, jobs)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter();
    let findings = written.next().unwrap_or_default();
    let streamed: Vec<Vec<Worksheet>> = written.by_ref().take(streamed_count).collect();
    let open_items = written.next().unwrap_or_default();
    let changes = written.next().unwrap_or_default();
    let mut streamed = streamed.into_iter();
    let results = streamed.next().unwrap_or_default();
    let evidence_pages = streamed.flatten();
    Ok(summary
        .into_iter()
        .chain(controls)
        .chain(population)
        .chain(findings)
        .chain(open_items)
        .chain(results)
        .chain(changes)
        .chain(exceptions)
        .chain(evidence_pages)
        .chain(inputs)
        .chain(checks)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::meta::{ChangesRecord, RunOptions};
    use crate::workflow::baseline::ChangeCounts;

    /// A run of no accounts whose baseline comparison counted `new` new results.
    fn record_with_new_results(new: u64) -> RunRecord {
        RunRecord {
            tool: "iam-evidence",
            version: "test",
            command_line: String::new(),
            options: RunOptions {
                as_of: None,
                thresholds: crate::checks::Thresholds::default(),
                keep_going: false,
                org_accounts: None,
                exceptions: None,
                baseline: Some("q1.jsonl".into()),
                frameworks: Vec::new(),
                engagement: Default::default(),
                parts: Vec::new(),
            },
            input_digest: String::new(),
            accounts: Vec::new(),
            inputs: Vec::new(),
            results: 0,
            exceptions: Vec::new(),
            changes: Some(ChangesRecord {
                baseline: "q1.jsonl".into(),
                counts: ChangeCounts {
                    new,
                    ..ChangeCounts::default()
                },
                gone: Vec::new(),
            }),
            org: None,
        }
    }

    /// Finishes an empty workbook for `record` over a results file holding `results`.
    fn finish_over(results: &str, record: &RunRecord) -> OutputError {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("results.jsonl");
        std::fs::write(&jsonl, results).unwrap();
        let book = WorkbookWriter::new().unwrap();
        book.finish(&dir.path().join("out.xlsx"), record, &jsonl)
            .unwrap_err()
    }

    #[test]
    fn an_unreadable_results_line_is_reported_as_such_not_as_an_excel_error() {
        let e = finish_over("{\"check_id\": 1}\n", &record_with_new_results(1));
        assert!(matches!(e, OutputError::ResultsLine(_)), "{e:?}");
        assert!(
            e.to_string()
                .starts_with("the results file has an unreadable line: "),
            "{e}"
        );
    }

    #[test]
    fn a_results_file_shorter_than_its_changes_says_the_changes_ended_early() {
        let e = finish_over("", &record_with_new_results(2));
        assert!(matches!(e, OutputError::EndedEarly(_)), "{e:?}");
        assert_eq!(
            e.to_string(),
            "the changes ended before the sheet's last row"
        );
        assert_eq!(
            crate::output::atomic::output_error(Path::new("q2.xlsx"), &e).to_string(),
            "cannot write q2.xlsx: the changes ended before the sheet's last row"
        );
    }
}
