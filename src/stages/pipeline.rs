//! The audit pipeline: discover -> scan (parallel) -> plan -> per account load and check
//! (parallel, in account order, bounded look-ahead) -> results streamed to the writers.

use crate::checks::Thresholds;
use crate::model::{Account, OrgAccounts};
use crate::output::atomic::{AtomicFile, output_error};
use crate::output::jsonl::JsonlWriter;
use crate::output::meta::{
    AccountRecord, ChangesRecord, ExceptionStanding, InputRecord, RunOptions, RunRecord,
    input_digest,
};
use crate::output::workbook::WorkbookWriter;
use crate::primitives::error::RunError;
use crate::stages::discover::discover;
use crate::stages::load::{LoadContext, load};
use crate::stages::plan::{AccountPlan, Plan, plan};
use crate::stages::progress::Progress;
use crate::stages::scan::{Outcome, ScannedFile, scan};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Everything `audit` needs.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Input paths.
    pub paths: Vec<PathBuf>,
    /// Workbook path.
    pub output: PathBuf,
    /// Results JSONL path.
    pub results: Option<PathBuf>,
    /// `--as-of`.
    pub as_of: Option<time::Date>,
    /// `--org-accounts`.
    pub org_accounts: Option<PathBuf>,
    /// Threads that work at once (reading, checking, writing, compressing); at least one.
    pub threads: usize,
    /// `--keep-going`.
    pub keep_going: bool,
    /// Thresholds.
    pub thresholds: Thresholds,
    /// The command line, for the cover's "how to re-perform".
    pub command_line: String,
    /// How progress and warnings are shown on stderr.
    pub progress: crate::stages::progress::Mode,
    /// `--exceptions`: approved exceptions (CSV).
    pub exceptions: Option<PathBuf>,
    /// `--baseline`: a previous results file or workbook.
    pub baseline: Option<PathBuf>,
    /// `--framework`: the frameworks of the Controls sheet.
    pub frameworks: Vec<crate::checks::frameworks::Framework>,
    /// `--client`, `--period`, `--prepared-by`.
    pub engagement: crate::output::meta::Engagement,
}

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// Accounts audited.
    pub accounts: usize,
    /// Results written.
    pub results: u64,
    /// Findings: FAIL and PARTIAL results.
    pub findings: u64,
    /// Open items: MANUAL and NOT_DETERMINABLE results.
    pub open_items: u64,
}

/// One account's outcome, handed to the writers in account order.
struct AccountOutcome {
    record: AccountRecord,
    results: Vec<crate::workflow::Annotated>,
    evidence: crate::output::evidence_rows::AccountEvidence,
    /// Exports left out while loading (the plan's were reported before processing).
    newly_left_out: Vec<String>,
    /// Files and bytes this account read (for progress rates).
    files: u64,
    bytes: u64,
    /// The results as lines of the results file, rendered by the worker.
    jsonl: Vec<u8>,
    /// The evidence rows as lines of the evidence sidecar (with `--results`), rendered by the
    /// worker.
    sidecar: Vec<u8>,
}

/// What the workers do with an account besides loading it: run the checks, then finish the
/// outcome so that writing it, which goes in account order, one account at a time, only
/// writes: mark exceptions, compare with the baseline (both keep counts under a lock; neither
/// depends on the order of accounts), and render the results and evidence lines.
struct Work<'a> {
    thresholds: &'a Thresholds,
    exceptions: Mutex<Option<&'a mut crate::workflow::exceptions::Exceptions>>,
    baseline: Mutex<Option<&'a mut crate::workflow::baseline::Baseline>>,
    sidecar: bool,
    /// The workbook path, to name in an error.
    output: &'a std::path::Path,
}

impl Work<'_> {
    fn finish(&self, outcome: &mut AccountOutcome) -> Result<(), RunError> {
        {
            let mut exceptions = self.exceptions.lock().unwrap_or_else(|p| p.into_inner());
            let mut baseline = self.baseline.lock().unwrap_or_else(|p| p.into_inner());
            annotate(outcome, exceptions.as_deref_mut(), baseline.as_deref_mut());
        }
        crate::output::jsonl::render(&outcome.results, &mut outcome.jsonl)
            .map_err(|e| output_error(self.output, &e))?;
        if self.sidecar {
            crate::output::evidence_jsonl::write_account(
                &mut outcome.sidecar,
                &outcome.record.account_id,
                &outcome.evidence,
            )
            .map_err(|e| output_error(self.output, &e))?;
        }
        Ok(())
    }
}

impl Work<'_> {
    /// Writes the `org-coverage` rows of listed accounts with no exports (in account order,
    /// between the audited accounts), annotated like every result.
    fn write_absent(
        &self,
        rows: Vec<crate::checks::CheckResult>,
        org: &OrgAccounts,
        streams: &mut Streams,
    ) -> Result<(), RunError> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut results: Vec<crate::workflow::Annotated> =
            rows.into_iter().map(Into::into).collect();
        {
            let mut exceptions = self.exceptions.lock().unwrap_or_else(|p| p.into_inner());
            let mut baseline = self.baseline.lock().unwrap_or_else(|p| p.into_inner());
            crate::workflow::annotate(
                &mut results,
                exceptions.as_deref_mut(),
                baseline.as_deref_mut(),
                None,
            );
        }
        let mut rendered = Vec::new();
        crate::output::jsonl::render(&results, &mut rendered)
            .map_err(|e| output_error(self.output, &e))?;
        streams
            .jsonl
            .write_rendered(&rendered, results.len() as u64)
            .map_err(|e| output_error(self.output, &e))?;
        results.iter().try_for_each(|r| {
            let name = org.name(&r.result.account_id).unwrap_or_default();
            streams
                .workbook
                .results(std::slice::from_ref(r), name)
                .map_err(|e| output_error(self.output, &e))
        })
    }
}

/// Runs an audit end to end. Outputs are written only when the whole run succeeds.
pub fn run(opts: &AuditOptions) -> Result<RunSummary, RunError> {
    // Fail fast on an unwritable output before reading anything.
    let mut files = OutputFiles::create(opts)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| output_error(&opts.output, &e))?;

    let started = std::time::Instant::now();
    let mut progress = Progress::new(opts.progress);
    let scanned = scan_inputs(&pool, &mut progress, &opts.paths, opts.keep_going)?;
    let mut given = GivenFiles::read(opts)?;
    let mut plan = plan_accounts(&scanned, opts.keep_going, &mut progress)?;
    let ctx = load_context(opts, &mut plan, std::mem::take(&mut given.org))?;

    let mut streams = Streams::open(&mut files, &opts.output, opts.threads)?;
    let records = audit_accounts(
        opts,
        &pool,
        &mut progress,
        (&plan, &scanned, &ctx),
        &mut given,
        &mut streams,
    )?;
    let total = streams.jsonl.lines();
    let Streams {
        jsonl,
        workbook,
        evidence,
        results_path,
        scratch,
    } = streams;
    jsonl.finish().map_err(|e| output_error(&opts.output, &e))?;
    if let Some(ex) = &given.exceptions {
        for line in ex.summary_lines() {
            progress.warn(&line);
        }
    }
    let mut record = run_record(
        opts,
        input_list(opts, &scanned, &plan, &records, &given),
        records,
        total,
        given,
    );
    record.org =
        crate::output::population::OrgListRecord::of(&ctx.org, opts.org_accounts.is_some());
    // What the scan and the plan found is in the record now; the workbook's end needs memory.
    drop((scanned, plan, ctx));

    for line in crate::stages::left_out::lines(&record.inputs) {
        progress.warn(&line);
    }
    for warning in record.as_of_warnings() {
        progress.warn(&format!("warning: {warning}"));
    }
    if let Some(path) = &opts.baseline {
        warn_of_baseline_run(path, &record, &mut progress);
    }

    // The Results and evidence sheets are written; the rest needs the whole run.
    progress.stage("writing the workbook");
    let (findings, open_items) = (workbook.findings(), workbook.open_items());
    let written = workbook.finish(files.workbook.temp_path(), &record, &results_path);
    drop(scratch);
    written.map_err(|e| output_error(&opts.output, &e))?;
    files.commit(&record, evidence, &opts.output)?;
    progress.finish(&format!(
        "{}; wrote {} in {:.1} s",
        summary_line(&record, findings, open_items),
        opts.output.display(),
        started.elapsed().as_secs_f64(),
    ));
    Ok(RunSummary {
        accounts: record.accounts.len(),
        results: total,
        findings,
        open_items,
    })
}

/// What a run found, for the last line on stderr: accounts, results, findings and open items
/// counted apart, and the files left out under `--keep-going` when there are any.
fn summary_line(record: &RunRecord, findings: u64, open_items: u64) -> String {
    let mut line = format!(
        "audited {} account(s): {} result(s), {findings} finding(s), {open_items} open item(s)",
        record.accounts.len(),
        record.results
    );
    let left_out = record
        .inputs
        .iter()
        .filter(|i| i.disposition == "left out")
        .count();
    if left_out > 0 {
        line.push_str(&format!(
            "; {left_out} file(s) left out (see the Inputs sheet)"
        ));
    }
    line
}

/// The output files, created before anything is read so that an unwritable one fails fast, and
/// committed together at the end.
struct OutputFiles {
    workbook: AtomicFile,
    results: Option<AtomicFile>,
    meta: Option<AtomicFile>,
    evidence: Option<AtomicFile>,
}

impl OutputFiles {
    fn create(opts: &AuditOptions) -> Result<Self, RunError> {
        let workbook = AtomicFile::create(&opts.output)?;
        let results = match &opts.results {
            Some(p) => Some(AtomicFile::create(p)?),
            None => None,
        };
        let meta = match &opts.results {
            Some(p) => Some(AtomicFile::create(&crate::output::meta::meta_path(p))?),
            None => None,
        };
        let evidence = match &opts.results {
            Some(p) => Some(AtomicFile::create(
                &crate::output::evidence_jsonl::path_for(p),
            )?),
            None => None,
        };
        Ok(OutputFiles {
            workbook,
            results,
            meta,
            evidence,
        })
    }

    /// Writes the metadata, flushes the evidence sidecar and moves every file into place.
    fn commit(
        self,
        record: &RunRecord,
        evidence_out: Option<std::io::BufWriter<std::fs::File>>,
        output: &std::path::Path,
    ) -> Result<(), RunError> {
        if let Some(mut meta) = self.meta {
            // Streamed: the run's record with a long organization list runs to megabytes.
            let target = meta.target().to_path_buf();
            let mut out = std::io::BufWriter::new(meta.file());
            serde_json::to_writer_pretty(&mut out, record)
                .map_err(|e| output_error(&target, &e))?;
            std::io::Write::flush(&mut out).map_err(|e| output_error(&target, &e))?;
            drop(out);
            meta.commit()?;
        }
        if let Some(out) = evidence_out {
            out.into_inner()
                .map_err(|e| output_error(output, &e.into_error()))?;
        }
        if let Some(f) = self.evidence {
            f.commit()?;
        }
        if let Some(f) = self.results {
            f.commit()?;
        }
        self.workbook.commit()
    }
}

/// The writers each account's outcome streams into, in account order.
struct Streams {
    jsonl: JsonlWriter<std::fs::File>,
    workbook: WorkbookWriter,
    evidence: Option<std::io::BufWriter<std::fs::File>>,
    /// The results file the workbook reads back: the one asked for, or `scratch`.
    results_path: PathBuf,
    scratch: Option<tempfile::NamedTempFile>,
}

impl Streams {
    fn open(
        files: &mut OutputFiles,
        output: &std::path::Path,
        threads: usize,
    ) -> Result<Self, RunError> {
        // Results always go to a file: the one asked for, or a scratch file the workbook reads
        // back.
        let mut scratch = None;
        let (results_path, handle) = match &mut files.results {
            Some(f) => (f.temp_path().to_path_buf(), f.file().try_clone()),
            None => {
                let t = tempfile::NamedTempFile::new().map_err(|e| output_error(output, &e))?;
                let pair = (t.path().to_path_buf(), t.as_file().try_clone());
                scratch = Some(t);
                pair
            }
        };
        let handle = handle.map_err(|e| output_error(output, &e))?;
        let mut workbook = WorkbookWriter::new().map_err(|e| output_error(output, &e))?;
        workbook.set_threads(threads);
        let evidence = match &mut files.evidence {
            Some(f) => Some(std::io::BufWriter::new(
                f.file()
                    .try_clone()
                    .map_err(|e| output_error(f.target(), &e))?,
            )),
            None => None,
        };
        Ok(Streams {
            jsonl: JsonlWriter::new(handle),
            workbook,
            evidence,
            results_path,
            scratch,
        })
    }

    /// Writes one account's rendered results and evidence.
    fn write(
        &mut self,
        outcome: &AccountOutcome,
        output: &std::path::Path,
    ) -> Result<(), RunError> {
        self.jsonl
            .write_rendered(&outcome.jsonl, outcome.results.len() as u64)
            .map_err(|e| output_error(output, &e))?;
        self.workbook
            .results(
                &outcome.results,
                outcome.record.name.as_deref().unwrap_or_default(),
            )
            .map_err(|e| output_error(output, &e))?;
        self.workbook
            .evidence(&outcome.evidence)
            .map_err(|e| output_error(output, &e))?;
        if let Some(out) = &mut self.evidence {
            std::io::Write::write_all(out, &outcome.sidecar)
                .map_err(|e| output_error(output, &e))?;
        }
        Ok(())
    }
}

/// Discovers the inputs (under `--keep-going` a path that cannot be walked is an unreadable
/// input) and scans every file on the workers.
fn scan_inputs(
    pool: &rayon::ThreadPool,
    progress: &mut Progress,
    paths: &[PathBuf],
    keep_going: bool,
) -> Result<Vec<ScannedFile>, RunError> {
    let found = discover(paths, keep_going)?;
    progress.phase("files", found.len() as u64);
    let progress = &*progress;
    Ok(pool.install(|| {
        found
            .par_iter()
            .map(|f| {
                let s = scan(f);
                progress.advance(1, s.size);
                s
            })
            .collect()
    }))
}

/// The files given by option: the organization's accounts, approved exceptions, the baseline.
struct GivenFiles {
    org: OrgAccounts,
    /// `--org-accounts`: its SHA-256 and how many accounts it lists (for the Inputs sheet).
    org_file: Option<(String, usize)>,
    exceptions: Option<crate::workflow::exceptions::Exceptions>,
    baseline: Option<crate::workflow::baseline::Baseline>,
}

impl GivenFiles {
    fn read(opts: &AuditOptions) -> Result<Self, RunError> {
        let org = match &opts.org_accounts {
            Some(path) => read_org_accounts(path)?,
            None => OrgAccounts::default(),
        };
        let exceptions = match &opts.exceptions {
            Some(path) => Some(read_exceptions(path)?),
            None => None,
        };
        let baseline = match &opts.baseline {
            Some(path) => Some(
                crate::output::read_back::baseline(path).map_err(|e| baseline_error(path, e))?,
            ),
            None => None,
        };
        let org_file = org
            .sources
            .first()
            .map(|s| (s.sha256.to_string(), org.len()));
        Ok(GivenFiles {
            org,
            org_file,
            exceptions,
            baseline,
        })
    }
}

/// A baseline that cannot be read, named as the baseline.
fn baseline_error(path: &std::path::Path, e: crate::primitives::error::InputError) -> RunError {
    let message = e
        .message
        .strip_prefix("cannot read: ")
        .unwrap_or(&e.message);
    RunError::OptionFile {
        what: "baseline",
        path: path.to_path_buf(),
        message: if e.location.is_empty() {
            message.to_string()
        } else {
            format!("{}: {message}", e.location)
        },
    }
}

/// Warns of skipped files, plans the accounts, and stops on errors unless `--keep-going`
/// (then warns of what is left out), or when there is no account to audit.
fn plan_accounts(
    scanned: &[ScannedFile],
    keep_going: bool,
    progress: &mut Progress,
) -> Result<Plan, RunError> {
    for f in scanned {
        if let Outcome::Skipped(reason) = &f.outcome {
            progress.warn(&format!("warning: skipped {}: {reason}", f.file.file));
        }
    }
    let plan = plan(scanned);
    if !plan.errors.is_empty() && !keep_going {
        return Err(RunError::Inputs(plan.errors));
    }
    for e in &plan.errors {
        progress.warn(&format!("warning: left out (--keep-going): {e}"));
    }
    for (i, reason) in &plan.unassigned {
        progress.warn(&format!(
            "warning: unassigned {}: {reason}; it changes no result",
            scanned[*i].file.file
        ));
    }
    if plan.accounts.is_empty() {
        let count =
            |pick: fn(&Outcome) -> bool| scanned.iter().filter(|f| pick(&f.outcome)).count();
        let skipped = count(|o| matches!(o, Outcome::Skipped(_)));
        let found = count(|o| {
            matches!(o, Outcome::Export(info) if !info.kind.is_credential_report()
                && info.kind != crate::input::classify::FileKind::AuthorizationDetails)
        });
        return Err(if found > 0 {
            RunError::OnlyOptionalEvidence { found, skipped }
        } else {
            RunError::NoExports { skipped }
        });
    }
    Ok(plan)
}

/// What every account's load shares: options, the organization's accounts, and the accounts
/// in this run. A list given by `--org-accounts` supersedes the lists found in the inputs;
/// those are merged, and two that disagree about an account are an error.
fn load_context(
    opts: &AuditOptions,
    plan: &mut Plan,
    given: OrgAccounts,
) -> Result<LoadContext, RunError> {
    let org = if given.is_known() {
        Arc::new(given)
    } else if let Some(conflict) = plan.org_conflict.take() {
        return Err(RunError::Input(conflict));
    } else {
        std::mem::take(&mut plan.org)
    };
    let known: BTreeSet<String> = plan.accounts.iter().map(|a| a.account.clone()).collect();
    Ok(LoadContext {
        as_of: opts.as_of,
        keep_going: opts.keep_going,
        org,
        known_accounts: Arc::new(known),
    })
}

/// Loads, checks and writes every account, returning their records in account order.
fn audit_accounts(
    opts: &AuditOptions,
    pool: &rayon::ThreadPool,
    progress: &mut Progress,
    (plan, scanned, ctx): (&Plan, &[ScannedFile], &LoadContext),
    given: &mut GivenFiles,
    streams: &mut Streams,
) -> Result<Vec<AccountRecord>, RunError> {
    let mut records = Vec::with_capacity(plan.accounts.len());
    progress.phase("accounts", plan.accounts.len() as u64);
    let work = Work {
        thresholds: &opts.thresholds,
        exceptions: Mutex::new(given.exceptions.as_mut()),
        baseline: Mutex::new(given.baseline.as_mut()),
        sidecar: streams.evidence.is_some(),
        output: &opts.output,
    };
    let mut absent =
        crate::checks::org_coverage::absent_accounts(&ctx.org, &ctx.known_accounts).peekable();
    let accounts = &plan.accounts;
    crate::stages::in_order::process_in_order(
        pool,
        opts.threads,
        accounts.len(),
        |i| {
            let account = load(&accounts[i], scanned, ctx).map_err(RunError::Input)?;
            let mut o = check(&account, work.thresholds, accounts[i].left_out.len());
            (o.files, o.bytes) = footprint(&accounts[i], scanned);
            work.finish(&mut o)?;
            Ok::<_, RunError>(o)
        },
        |outcome| {
            progress.advance(outcome.files, outcome.bytes);
            for l in &outcome.newly_left_out {
                progress.warn(&format!("warning: left out (--keep-going): {l}"));
            }
            let before =
                std::iter::from_fn(|| absent.next_if(|r| r.account_id < outcome.record.account_id));
            work.write_absent(before.collect(), &ctx.org, streams)?;
            streams.write(&outcome, &opts.output)?;
            records.push(outcome.record);
            Ok(())
        },
    )?;
    work.write_absent(absent.collect(), &ctx.org, streams)?;
    Ok(records)
}

/// Every input: the files found, then the exceptions file and the baseline, which shape the
/// results too (listed with their hashes).
fn input_list(
    opts: &AuditOptions,
    scanned: &[ScannedFile],
    plan: &Plan,
    records: &[AccountRecord],
    given: &GivenFiles,
) -> Vec<InputRecord> {
    let mut inputs = input_records(scanned, plan, records, given.org_file.is_some());
    if let (Some((sha256, rows)), Some(path)) = (&given.org_file, &opts.org_accounts) {
        inputs.push(option_input(
            path,
            "organization account list (--org-accounts)",
            sha256,
            *rows,
        ));
    }
    if let (Some(ex), Some(path)) = (&given.exceptions, &opts.exceptions)
        && let Some(file) = &ex.file
    {
        inputs.push(option_input(
            path,
            "exceptions file (--exceptions)",
            &file.sha256,
            ex.entries.len(),
        ));
    }
    if let (Some(b), Some(path)) = (&given.baseline, &opts.baseline) {
        let mut rec = option_input(path, "baseline (--baseline)", &b.sha256, 0);
        rec.size = b.size;
        rec.rows = None;
        inputs.push(rec);
    }
    inputs
}

/// The run's record: options, inputs, accounts, counts, exception standings and changes.
fn run_record(
    opts: &AuditOptions,
    inputs: Vec<InputRecord>,
    records: Vec<AccountRecord>,
    total: u64,
    given: GivenFiles,
) -> RunRecord {
    RunRecord {
        tool: "iam-evidence",
        version: crate::primitives::version::VERSION_LINE,
        command_line: opts.command_line.clone(),
        options: RunOptions {
            as_of: opts.as_of.map(|d| d.to_string()),
            thresholds: opts.thresholds,
            keep_going: opts.keep_going,
            org_accounts: opts.org_accounts.as_ref().map(|p| p.display().to_string()),
            exceptions: opts.exceptions.as_ref().map(|p| p.display().to_string()),
            baseline: opts.baseline.as_ref().map(|p| p.display().to_string()),
            frameworks: opts.frameworks.clone(),
            engagement: opts.engagement.clone(),
            parts: Vec::new(),
        },
        input_digest: input_digest(&inputs),
        accounts: records,
        inputs,
        results: total,
        exceptions: given.exceptions.map_or_else(Vec::new, |e| {
            e.standings()
                .into_iter()
                .map(|(entry, standing, results)| ExceptionStanding {
                    entry: entry.clone(),
                    standing,
                    results,
                })
                .collect()
        }),
        changes: given.baseline.map(|mut b| {
            let gone = b.gone();
            ChangesRecord {
                baseline: b.file.clone(),
                counts: b.counts,
                gone,
            }
        }),
        org: None,
    }
}

/// Warns when the baseline was run with other options or is not of an earlier quarter.
fn warn_of_baseline_run(path: &std::path::Path, record: &RunRecord, progress: &mut Progress) {
    let options = serde_json::to_value(&record.options).unwrap_or_default();
    let as_of = record.accounts.iter().map(|a| {
        let instant = a
            .as_of
            .as_deref()
            .and_then(crate::primitives::timestamp::parse);
        (a.account_id.as_str(), instant)
    });
    let before = crate::workflow::baseline_run::BaselineRun::read(path);
    for line in before.warnings(&path.display().to_string(), &options, as_of) {
        progress.warn(&line);
    }
}

/// A file given by option (`--org-accounts`, `--exceptions`): its reference (path as given,
/// SHA-256) and its text.
fn read_option_file(
    path: &std::path::Path,
) -> Result<(crate::primitives::source::FileRef, String), RunError> {
    let bytes = std::fs::read(path).map_err(|e| RunError::Path {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let display = path.display().to_string();
    let file = crate::primitives::source::FileRef {
        file: display.as_str().into(),
        sha256: crate::primitives::digest::sha256_hex(&bytes).into(),
    };
    let text = crate::input::text::decode_text(&bytes, &file)?.into_owned();
    Ok((file, text))
}

fn read_org_accounts(path: &std::path::Path) -> Result<OrgAccounts, RunError> {
    let (file, text) = read_option_file(path)?;
    let mut org = OrgAccounts::default();
    crate::input::supplementary::org_accounts(&text, &file, &mut org)?;
    Ok(org)
}

/// An input given by option rather than found under a PATH.
fn option_input(path: &std::path::Path, kind: &str, sha256: &str, rows: usize) -> InputRecord {
    InputRecord {
        file: path.display().to_string(),
        kind: kind.into(),
        account: None,
        size: std::fs::metadata(path).map_or(0, |m| m.len()),
        sha256: sha256.into(),
        rows: Some(rows),
        generated_time: None,
        disposition: "used".into(),
        note: "given by option".into(),
    }
}

/// Marks a finding covered by an approved exception, and compares every result with the
/// baseline (on the worker that checked the account, in results order).
fn annotate(
    outcome: &mut AccountOutcome,
    exceptions: Option<&mut crate::workflow::exceptions::Exceptions>,
    baseline: Option<&mut crate::workflow::baseline::Baseline>,
) {
    let as_of_day = outcome.record.as_of_day;
    crate::workflow::annotate(&mut outcome.results, exceptions, baseline, as_of_day);
    for a in outcome.results.iter().filter(|a| a.exception.is_some()) {
        *outcome
            .record
            .excepted
            .entry(a.result.check_id)
            .or_default() += 1;
    }
}

fn read_exceptions(
    path: &std::path::Path,
) -> Result<crate::workflow::exceptions::Exceptions, RunError> {
    let (file, text) = read_option_file(path)?;
    Ok(crate::workflow::exceptions::Exceptions::parse(
        &text, &file,
    )?)
}

fn check(account: &Account, thresholds: &Thresholds, planned_left_out: usize) -> AccountOutcome {
    let results = crate::checks::run_all(account, thresholds);
    let population = crate::output::population::PopulationFacts::of(account, &results);
    let mut counts = crate::output::meta::CheckCounts::default();
    for r in &results {
        counts.add(r.check_id, r.status);
    }
    counts.shrink_to_fit();
    let record = AccountRecord {
        account_id: account.id.clone(),
        name: account.org.name(&account.id).map(str::to_string),
        partition: account.partition.clone(),
        as_of: account
            .as_of
            .instant
            .map(crate::primitives::timestamp::format_utc),
        as_of_rule: account.as_of.rule,
        left_out: account
            .left_out
            .iter()
            .map(|l| format!("{}: {}", l.kind.label(), l.reason))
            .collect(),
        users: account
            .credential_report
            .as_ref()
            .map_or(0, |r| r.users.len()),
        roles: account.authorization.as_ref().map_or(0, |a| a.roles.len()),
        policies: account
            .authorization
            .as_ref()
            .map_or(0, |a| a.policies.len()),
        left_out_files: account
            .left_out
            .iter()
            .flat_map(|l| l.files.iter().map(move |f| (f.clone(), l.reason.clone())))
            .collect(),
        counts,
        excepted: BTreeMap::new(),
        as_of_day: account.as_of.instant.map(|t| {
            // The day the as-of falls in; `--as-of D` is the end of D, i.e. midnight after it.
            (t - time::Duration::NANOSECOND).date()
        }),
        report_time: account.credential_report.as_ref().and_then(|r| {
            r.generated_time
                .or(r.latest_timestamp)
                .map(crate::primitives::timestamp::format_utc)
        }),
        population,
    };
    let evidence = crate::output::evidence_rows::collect(account);
    let newly_left_out = account.left_out[planned_left_out.min(account.left_out.len())..]
        .iter()
        .map(|l| l.reason.clone())
        .collect();
    AccountOutcome {
        record,
        results: results.into_iter().map(Into::into).collect(),
        evidence,
        newly_left_out,
        files: 0,
        bytes: 0,
        jsonl: Vec::new(),
        sidecar: Vec::new(),
    }
}

/// The number and total size of an account's files.
fn footprint(plan: &AccountPlan, files: &[ScannedFile]) -> (u64, u64) {
    let all: Vec<usize> = plan.files().collect();
    (all.len() as u64, all.iter().map(|&i| files[i].size).sum())
}

/// What the inputs sheet needs to say of each file beyond what its scan found.
struct Dispositions<'a> {
    /// Files left out while loading: (account, reason).
    left_out: BTreeMap<&'a str, (&'a str, &'a str)>,
    /// Files an account read: the account.
    used: BTreeMap<usize, &'a str>,
    /// Files placed with no account: the reason.
    unassigned: BTreeMap<usize, &'a str>,
    /// `--org-accounts` supersedes the organization account lists found in the inputs.
    org_superseded: bool,
}

fn input_records(
    files: &[ScannedFile],
    plan: &Plan,
    accounts: &[AccountRecord],
    org_superseded: bool,
) -> Vec<InputRecord> {
    let dispositions = Dispositions {
        left_out: accounts
            .iter()
            .flat_map(|a| {
                a.left_out_files
                    .iter()
                    .map(move |(f, r)| (f.as_str(), (a.account_id.as_str(), r.as_str())))
            })
            .collect(),
        used: plan
            .accounts
            .iter()
            .flat_map(|a| a.files().map(move |i| (i, a.account.as_str())))
            .collect(),
        unassigned: plan
            .unassigned
            .iter()
            .map(|(i, r)| (*i, r.as_str()))
            .collect(),
        org_superseded,
    };
    files
        .iter()
        .enumerate()
        .map(|(i, f)| input_record(i, f, &dispositions))
        .collect()
}

/// The inputs sheet's row for file `i`.
fn input_record(i: usize, f: &ScannedFile, dispositions: &Dispositions<'_>) -> InputRecord {
    let mut rec = InputRecord {
        file: f.file.file.to_string(),
        kind: String::new(),
        account: None,
        size: f.size,
        sha256: f.file.sha256.to_string(),
        rows: None,
        generated_time: None,
        disposition: String::new(),
        note: String::new(),
    };
    match &f.outcome {
        Outcome::Skipped(reason) => {
            rec.kind = "not an export".into();
            rec.disposition = "skipped".into();
            rec.note = reason.clone();
        }
        Outcome::Failed {
            kind,
            account,
            error,
        } => {
            rec.kind = kind.map_or("unreadable", |k| k.label()).to_string();
            rec.account = account.as_ref().map(|a| a.account.clone());
            rec.disposition = "left out".into();
            rec.note = error.to_string();
        }
        Outcome::Export(info) => describe_export(&mut rec, i, info, dispositions),
    }
    if let Some((account, reason)) = dispositions.left_out.get(rec.file.as_str()) {
        rec.account = Some((*account).to_string());
        rec.disposition = "left out".into();
        rec.note = (*reason).to_string();
    }
    rec
}

/// Kind, rows, generated time and disposition of a readable export.
fn describe_export(
    rec: &mut InputRecord,
    i: usize,
    info: &crate::stages::scan::ExportInfo,
    dispositions: &Dispositions<'_>,
) {
    rec.kind = info.kind.label().to_string();
    rec.rows = info.rows;
    rec.generated_time = info
        .generated_time
        .map(crate::primitives::timestamp::format_utc);
    if let Some(account) = dispositions.used.get(&i) {
        rec.account = Some((*account).to_string());
        rec.disposition = "used".into();
        if !crate::primitives::arn::is_standard_account_id(account) {
            rec.note = format!("account ID '{account}' is not 12 digits");
        }
    } else if let Some(reason) = dispositions.unassigned.get(&i) {
        rec.disposition = "unassigned".into();
        rec.note = (*reason).to_string();
    } else if info.org.is_some() && dispositions.org_superseded {
        rec.disposition = "superseded".into();
        rec.note =
            "organization account list; superseded by the one given by --org-accounts".into();
    } else if info.org.is_some() {
        rec.disposition = "used".into();
        rec.note = "organization account list".into();
    } else if let Some(a) = &info.account {
        rec.account = Some(a.account.clone());
        rec.disposition = "duplicate".into();
        rec.note = "identical to another export of this account; counted once".into();
    }
}
