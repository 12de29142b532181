//! `iam-evidence report --from-results A.jsonl B.jsonl ... --output X.xlsx`: one workbook from
//! the results of separate runs (one per business unit, or a dump split across machines).
//! Each results file needs its `<RESULTS>.meta.json` sidecar; runs must not share an account
//! and must have used the same thresholds.

use crate::checks::Status;
use crate::cli::ReportArgs;
use crate::output::atomic::{AtomicFile, output_error};
use crate::output::jsonl::ResultRecord;
use crate::output::meta::{
    AccountRecord, InputRecord, RunOptions, RunRecord, input_digest, status_index,
};
use crate::output::workbook::{CellRef, WorkbookWriter};
use crate::primitives::error::{InputError, RunError};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// Builds the merged workbook; returns the exit status.
pub fn run(args: &ReportArgs) -> i32 {
    crate::output::atomic::remove_pending_on_interrupt();
    match report(args) {
        Ok((accounts, results)) => {
            if !args.quiet {
                eprintln!(
                    "merged {} run(s): {accounts} account(s), {results} result(s); wrote {}",
                    args.from_results.len(),
                    args.output.display()
                );
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

/// One run's sidecar: options, accounts and inputs.
#[derive(serde::Deserialize)]
struct Meta {
    options: RunOptions,
    accounts: Vec<AccountRecord>,
    inputs: Vec<InputRecord>,
}

fn input_error(file: &Path, message: impl Into<String>) -> RunError {
    RunError::Input(InputError::file(&file.display().to_string(), message))
}

fn report(args: &ReportArgs) -> Result<(usize, u64), RunError> {
    let workbook = AtomicFile::create(&args.output)?;
    let mut results_out = match &args.results {
        Some(p) => Some(AtomicFile::create(p)?),
        None => None,
    };
    let mut options: Option<(RunOptions, &PathBuf)> = None;
    let mut owner: BTreeMap<String, &PathBuf> = BTreeMap::new();
    let mut accounts: BTreeMap<String, AccountRecord> = BTreeMap::new();
    let mut inputs = Vec::new();
    for path in &args.from_results {
        let meta_path = crate::output::meta::meta_path(path);
        let text = std::fs::read_to_string(&meta_path).map_err(|e| {
            input_error(
                &meta_path,
                format!("cannot read the run's metadata sidecar: {e}"),
            )
        })?;
        let meta: Meta = serde_json::from_str(&text).map_err(|e| {
            input_error(
                &meta_path,
                format!("expected an iam-evidence results sidecar: {e}"),
            )
        })?;
        match &options {
            None => options = Some((meta.options.clone(), path)),
            Some((first, first_path)) if first.thresholds != meta.options.thresholds => {
                return Err(input_error(
                    path,
                    format!(
                        "was run with other thresholds than {}; merge only runs with the same options",
                        first_path.display()
                    ),
                ));
            }
            Some(_) => {}
        }
        for a in meta.accounts {
            if let Some(other) = owner.insert(a.account_id.clone(), path) {
                return Err(input_error(
                    path,
                    format!(
                        "account {} is also in {}; runs to merge must not overlap",
                        a.account_id,
                        other.display()
                    ),
                ));
            }
            accounts.insert(a.account_id.clone(), a);
        }
        inputs.extend(meta.inputs);
    }
    let Some((mut options, _)) = options else {
        return Err(RunError::NoExports { skipped: 0 });
    };
    options.as_of = None;

    // Merge the sorted results files into one, counting per account and check on the way.
    let scratch = tempfile::NamedTempFile::new().map_err(|e| output_error(&args.output, &e))?;
    let (merged_path, file) = match &mut results_out {
        Some(f) => (f.temp_path().to_path_buf(), f.file().try_clone()),
        None => (scratch.path().to_path_buf(), scratch.as_file().try_clone()),
    };
    let mut out = std::io::BufWriter::new(file.map_err(|e| output_error(&args.output, &e))?);
    let mut heads = Vec::new();
    for path in &args.from_results {
        let f = std::fs::File::open(path)
            .map_err(|e| input_error(path, format!("cannot read: {e}")))?;
        let mut lines = std::io::BufReader::new(f).lines();
        let next = next_line(&mut lines, path)?;
        heads.push(Head { lines, next, path });
    }
    let mut book = WorkbookWriter::new().map_err(|e| output_error(&args.output, &e))?;
    let mut total = 0u64;
    while let Some(i) = (0..heads.len())
        .filter(|i| heads[*i].next.is_some())
        .min_by(|a, b| heads[*a].key().cmp(&heads[*b].key()))
    {
        let head = &mut heads[i];
        let Some((r, line)) = head.next.take() else {
            break;
        };
        if let Some(a) = accounts.get_mut(&r.account_id)
            && let (Some(check), Some(status)) =
                (crate::checks::find(&r.check_id), parse_status(&r.status))
        {
            a.counts.entry(check.meta.id).or_default()[status_index(status)] += 1;
            if r.exception.is_some() {
                *a.excepted.entry(check.meta.id).or_default() += 1;
            }
        }
        writeln!(out, "{line}").map_err(|e| output_error(&args.output, &e))?;
        book.result((&r).into())
            .map_err(|e| output_error(&args.output, &e))?;
        total += 1;
        head.next = next_line(&mut head.lines, head.path)?;
    }
    out.flush().map_err(|e| output_error(&args.output, &e))?;
    drop(out);

    let accounts: Vec<AccountRecord> = accounts.into_values().collect();
    let record = RunRecord {
        tool: "iam-evidence",
        version: crate::primitives::version::VERSION_LINE,
        command_line: std::iter::once("iam-evidence".to_string())
            .chain(std::env::args().skip(1))
            .collect::<Vec<_>>()
            .join(" "),
        options,
        input_digest: input_digest(&inputs),
        accounts,
        inputs,
        results: total,
        exceptions: Vec::new(),
        changes: None,
    };
    merge_evidence(&args.from_results, args.quiet, &mut book)
        .map_err(|e| output_error(&args.output, &e))?;
    book.finish(workbook.temp_path(), &record, &merged_path)
        .map_err(|e| output_error(&args.output, &e))?;
    if let (Some(mut f), Some(p)) = (results_out, &args.results) {
        let mut meta = AtomicFile::create(&crate::output::meta::meta_path(p))?;
        let json = serde_json::to_vec_pretty(&record).map_err(|e| output_error(p, &e))?;
        meta.file()
            .write_all(&json)
            .map_err(|e| output_error(p, &e))?;
        f.file().flush().map_err(|e| output_error(p, &e))?;
        meta.commit()?;
        f.commit()?;
    }
    workbook.commit()?;
    Ok((record.accounts.len(), total))
}

/// One results file being merged: its remaining lines and its next result.
struct Head<'a> {
    lines: std::io::Lines<std::io::BufReader<std::fs::File>>,
    next: Option<(ResultRecord, String)>,
    path: &'a Path,
}

impl Head<'_> {
    /// The sort key of the next result: account, check, resource, credential (none first).
    fn key(&self) -> Option<(&str, &str, &str, Option<&str>)> {
        self.next.as_ref().map(|(r, _)| {
            (
                r.account_id.as_str(),
                r.check_id.as_str(),
                r.resource_arn.as_str(),
                r.credential.as_deref(),
            )
        })
    }
}

fn next_line(
    lines: &mut std::io::Lines<std::io::BufReader<std::fs::File>>,
    path: &Path,
) -> Result<Option<(ResultRecord, String)>, RunError> {
    for (n, line) in lines.by_ref().enumerate() {
        let line = line.map_err(|e| input_error(path, format!("cannot read: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let r: ResultRecord = serde_json::from_str(&line).map_err(|e| {
            RunError::Input(InputError::at(
                &path.display().to_string(),
                format!("line {}", n + 1),
                format!("expected a results line: {e}"),
            ))
        })?;
        return Ok(Some((r, line)));
    }
    Ok(None)
}

/// The evidence rows of every run, sheet by sheet, merged in account order from each run's
/// `<RESULTS>.evidence.jsonl` (a run without one contributes no evidence rows, with a warning).
/// Feeds the evidence rows of the runs' sidecars to the workbook, per sheet, merged in account
/// order.
fn merge_evidence(
    parts: &[PathBuf],
    quiet: bool,
    book: &mut WorkbookWriter,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    use crate::output::evidence_jsonl::{path_for, sheet_rows};
    use crate::output::evidence_rows::EvidenceSheet;
    let sidecars: Vec<PathBuf> = parts
        .iter()
        .map(|p| path_for(p))
        .filter(|p| {
            let present = p.is_file();
            if !present && !quiet {
                eprintln!(
                    "warning: {} is missing: that run's evidence sheets rows are left out",
                    p.display()
                );
            }
            present
        })
        .collect();
    for sheet in EvidenceSheet::ALL {
        let mut heads = Vec::new();
        for path in &sidecars {
            let mut rows = sheet_rows(path, sheet)?;
            let next = rows.next().transpose()?;
            heads.push((rows, next));
        }
        while let Some(i) = (0..heads.len())
            .filter(|i| heads[*i].1.is_some())
            .min_by(|a, b| {
                heads[*a]
                    .1
                    .as_ref()
                    .map(|x| &x.0)
                    .cmp(&heads[*b].1.as_ref().map(|x| &x.0))
            })
        {
            let (rows, next) = &mut heads[i];
            if let Some((_, row)) = next.take() {
                let cells: Vec<CellRef<'_>> = row.iter().map(CellRef::from).collect();
                book.evidence_row(sheet, &cells)?;
            }
            *next = rows.next().transpose()?;
        }
    }
    Ok(())
}

fn parse_status(text: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|s| s.as_str() == text)
}
