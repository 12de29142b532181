//! The audit pipeline: discover -> scan (parallel) -> plan -> per account load and check
//! (parallel, in account order, bounded look-ahead) -> results streamed to the writers.

use crate::checks::{CheckResult, Thresholds};
use crate::model::{Account, OrgAccounts};
use crate::output::atomic::{AtomicFile, output_error};
use crate::output::jsonl::JsonlWriter;
use crate::output::meta::{
    AccountRecord, ChangesRecord, ExceptionStanding, InputRecord, RunOptions, RunRecord,
    input_digest, status_index,
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
use std::sync::{Arc, Condvar, Mutex, mpsc};

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
    /// Worker threads.
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
}

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// Accounts audited.
    pub accounts: usize,
    /// Results written.
    pub results: u64,
    /// Non-PASS results.
    pub findings: u64,
}

/// One account's outcome, handed to the writers in account order.
struct AccountOutcome {
    record: AccountRecord,
    results: Vec<CheckResult>,
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
/// outcome so the writer's thread, which all output goes through, only writes: mark
/// exceptions, compare with the baseline (both keep counts under a lock; neither depends on
/// the order of accounts), and render the results and evidence lines.
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

/// Runs an audit end to end. Outputs are written only when the whole run succeeds.
pub fn run(opts: &AuditOptions) -> Result<RunSummary, RunError> {
    // Fail fast on an unwritable output before reading anything.
    let workbook_file = AtomicFile::create(&opts.output)?;
    let mut results_file = match &opts.results {
        Some(p) => Some(AtomicFile::create(p)?),
        None => None,
    };
    let meta_file = match &opts.results {
        Some(p) => Some(AtomicFile::create(&crate::output::meta::meta_path(p))?),
        None => None,
    };
    let mut evidence_file = match &opts.results {
        Some(p) => Some(AtomicFile::create(
            &crate::output::evidence_jsonl::path_for(p),
        )?),
        None => None,
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .start_handler(|_| crate::stages::threads::lower_worker_priority())
        .build()
        .map_err(|e| output_error(&opts.output, &e))?;

    let started = std::time::Instant::now();
    let mut progress = Progress::new(opts.progress);
    let found = discover(&opts.paths)?;
    progress.phase("files", found.len() as u64);
    let scanned: Vec<ScannedFile> = pool.install(|| {
        found
            .par_iter()
            .map(|f| {
                let s = scan(f);
                progress.advance(1, s.size);
                s
            })
            .collect()
    });
    let mut org = OrgAccounts::default();
    if let Some(path) = &opts.org_accounts {
        org = read_org_accounts(path)?;
    }
    let mut exceptions = match &opts.exceptions {
        Some(path) => Some(read_exceptions(path)?),
        None => None,
    };
    let mut baseline = match &opts.baseline {
        Some(path) => Some(crate::workflow::baseline::Baseline::read(path)?),
        None => None,
    };
    for f in &scanned {
        if let Outcome::Skipped(reason) = &f.outcome {
            progress.warn(&format!("warning: skipped {}: {reason}", f.file.file));
        }
    }
    let mut plan = plan(&scanned);
    if !plan.fatal.is_empty() {
        return Err(RunError::Inputs(plan.fatal));
    }
    if !plan.errors.is_empty() && !opts.keep_going {
        return Err(RunError::Inputs(plan.errors));
    }
    for e in &plan.errors {
        progress.warn(&format!("warning: left out (--keep-going): {e}"));
    }
    if plan.accounts.is_empty() {
        let skipped = scanned
            .iter()
            .filter(|f| matches!(f.outcome, Outcome::Skipped(_)))
            .count();
        return Err(RunError::NoExports { skipped });
    }
    org.accounts.extend(std::mem::take(&mut plan.org.accounts));
    org.sources.extend(std::mem::take(&mut plan.org.sources));

    let known: BTreeSet<String> = plan.accounts.iter().map(|a| a.account.clone()).collect();
    let ctx = LoadContext {
        as_of: opts.as_of,
        keep_going: opts.keep_going,
        org: Arc::new(org),
        known_accounts: Arc::new(known),
    };

    // Results always go to a file: the one asked for, or a scratch file the workbook reads back.
    let mut scratch = None;
    let (results_path, handle) = match &mut results_file {
        Some(f) => (f.temp_path().to_path_buf(), f.file().try_clone()),
        None => {
            let t = tempfile::NamedTempFile::new().map_err(|e| output_error(&opts.output, &e))?;
            let pair = (t.path().to_path_buf(), t.as_file().try_clone());
            scratch = Some(t);
            pair
        }
    };
    let handle = handle.map_err(|e| output_error(&opts.output, &e))?;
    let mut jsonl = JsonlWriter::new(handle);
    let mut workbook = WorkbookWriter::new().map_err(|e| output_error(&opts.output, &e))?;
    let mut evidence_out = match &mut evidence_file {
        Some(f) => Some(std::io::BufWriter::new(
            f.file()
                .try_clone()
                .map_err(|e| output_error(f.target(), &e))?,
        )),
        None => None,
    };
    let mut records = Vec::with_capacity(plan.accounts.len());
    progress.phase("accounts", plan.accounts.len() as u64);
    let work = Work {
        thresholds: &opts.thresholds,
        exceptions: Mutex::new(exceptions.as_mut()),
        baseline: Mutex::new(baseline.as_mut()),
        sidecar: evidence_out.is_some(),
        output: &opts.output,
    };
    process_in_order(
        &pool,
        opts.threads,
        &plan.accounts,
        &scanned,
        &ctx,
        &work,
        |outcome| {
            progress.advance(outcome.files, outcome.bytes);
            for l in &outcome.newly_left_out {
                progress.warn(&format!("warning: left out (--keep-going): {l}"));
            }
            jsonl
                .write_rendered(&outcome.jsonl, outcome.results.len() as u64)
                .map_err(|e| output_error(&opts.output, &e))?;
            workbook
                .results(&outcome.results)
                .map_err(|e| output_error(&opts.output, &e))?;
            workbook
                .evidence(&outcome.evidence)
                .map_err(|e| output_error(&opts.output, &e))?;
            if let Some(out) = &mut evidence_out {
                std::io::Write::write_all(out, &outcome.sidecar)
                    .map_err(|e| output_error(&opts.output, &e))?;
            }
            records.push(outcome.record);
            Ok(())
        },
    )?;
    let total = jsonl.lines();
    jsonl.finish().map_err(|e| output_error(&opts.output, &e))?;

    if let Some(ex) = &exceptions {
        for line in ex.summary_lines() {
            progress.warn(&line);
        }
    }
    let mut inputs = input_records(&scanned, &plan, &records);
    // The exceptions file and the baseline shape the results too: list them with their hashes.
    if let (Some(ex), Some(path)) = (&exceptions, &opts.exceptions)
        && let Some(file) = &ex.file
    {
        inputs.push(option_input(
            path,
            "exceptions file (--exceptions)",
            &file.sha256,
            ex.entries.len(),
        ));
    }
    if let (Some(b), Some(path)) = (&baseline, &opts.baseline) {
        let mut rec = option_input(path, "baseline (--baseline)", &b.sha256, 0);
        rec.size = b.size;
        rec.rows = None;
        inputs.push(rec);
    }
    let record = RunRecord {
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
        },
        input_digest: input_digest(&inputs),
        accounts: records,
        inputs,
        results: total,
        exceptions: exceptions.map_or_else(Vec::new, |e| {
            e.standings()
                .into_iter()
                .map(|(entry, standing, results)| ExceptionStanding {
                    entry: entry.clone(),
                    standing,
                    results,
                })
                .collect()
        }),
        changes: baseline.map(|mut b| {
            let gone = b.gone();
            ChangesRecord {
                baseline: b.file.clone(),
                counts: b.counts,
                gone,
            }
        }),
    };

    if let Some(path) = &opts.baseline {
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

    // The Results and evidence sheets are written; the rest needs the whole run.
    progress.stage("writing the workbook");
    let findings = workbook.findings();
    let written = workbook.finish(workbook_file.temp_path(), &record, &results_path);
    drop(scratch);
    written.map_err(|e| output_error(&opts.output, &e))?;
    if let Some(mut meta) = meta_file {
        let json =
            serde_json::to_vec_pretty(&record).map_err(|e| output_error(meta.target(), &e))?;
        std::io::Write::write_all(meta.file(), &json)
            .map_err(|e| output_error(meta.target(), &e))?;
        meta.commit()?;
    }
    if let Some(out) = evidence_out {
        out.into_inner()
            .map_err(|e| output_error(&opts.output, &e.into_error()))?;
    }
    if let Some(f) = evidence_file {
        f.commit()?;
    }
    if let Some(f) = results_file {
        f.commit()?;
    }
    workbook_file.commit()?;
    progress.finish(&format!(
        "audited {} account(s): {total} result(s), {findings} finding(s) in {:.1} s; wrote {}",
        record.accounts.len(),
        started.elapsed().as_secs_f64(),
        opts.output.display()
    ));
    Ok(RunSummary {
        accounts: record.accounts.len(),
        results: total,
        findings,
    })
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

/// Loads and checks accounts on `threads` workers, taking them in order, with a bounded
/// look-ahead, and hands each outcome to `sink` in account order.
fn process_in_order(
    pool: &rayon::ThreadPool,
    threads: usize,
    accounts: &[AccountPlan],
    files: &[ScannedFile],
    ctx: &LoadContext,
    work: &Work<'_>,
    mut sink: impl FnMut(AccountOutcome) -> Result<(), RunError>,
) -> Result<(), RunError> {
    let window = (threads * 4).max(4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let written = (Mutex::new(0usize), Condvar::new());
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(usize, Result<AccountOutcome, RunError>)>();
    let mut result = Ok(());
    pool.in_place_scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, written, stop) = (&next, &written, &stop);
            scope.spawn(move |_| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if i >= accounts.len() || stop.load(std::sync::atomic::Ordering::SeqCst) {
                        break;
                    }
                    {
                        let (lock, cv) = written;
                        let mut done = lock.lock().unwrap_or_else(|p| p.into_inner());
                        while i >= *done + window && !stop.load(std::sync::atomic::Ordering::SeqCst)
                        {
                            done = cv.wait(done).unwrap_or_else(|p| p.into_inner());
                        }
                    }
                    let outcome = load(&accounts[i], files, ctx).map_err(RunError::Input);
                    let outcome = outcome.and_then(|account| {
                        let mut o = check(&account, work.thresholds, accounts[i].left_out.len());
                        (o.files, o.bytes) = footprint(&accounts[i], files);
                        work.finish(&mut o)?;
                        Ok(o)
                    });
                    if tx.send((i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Result<AccountOutcome, RunError>> = BTreeMap::new();
        let mut expected = 0usize;
        for (i, outcome) in rx.iter() {
            pending.insert(i, outcome);
            while let Some(outcome) = pending.remove(&expected) {
                let step = outcome.and_then(&mut sink);
                if let Err(e) = step {
                    result = Err(e);
                    stop.store(true, std::sync::atomic::Ordering::SeqCst);
                }
                expected += 1;
                let (lock, cv) = &written;
                *lock.lock().unwrap_or_else(|p| p.into_inner()) = expected;
                cv.notify_all();
            }
            if result.is_err() {
                let (_, cv) = &written;
                cv.notify_all();
            }
        }
    });
    result
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
/// baseline (in the writer's thread, in results order).
fn annotate(
    outcome: &mut AccountOutcome,
    mut exceptions: Option<&mut crate::workflow::exceptions::Exceptions>,
    mut baseline: Option<&mut crate::workflow::baseline::Baseline>,
) {
    for r in &mut outcome.results {
        if let Some(ex) = exceptions.as_deref_mut()
            && r.status != crate::checks::Status::Pass
            && let crate::workflow::exceptions::Match::Live(e) = ex.apply(
                r.check_id,
                &r.account_id,
                &r.resource_arn,
                outcome.record.as_of_day,
            )
        {
            r.exception = Some(e.note());
            *outcome.record.excepted.entry(r.check_id).or_default() += 1;
        }
        if let Some(b) = baseline.as_deref_mut() {
            let key = (
                r.account_id.clone(),
                r.check_id.to_string(),
                r.resource_arn.clone(),
                r.credential.unwrap_or_default().to_string(),
            );
            match b.compare(key, r.status.as_str()) {
                crate::workflow::baseline::Change::New => r.change = Some("new"),
                crate::workflow::baseline::Change::Unchanged => r.change = Some("unchanged"),
                crate::workflow::baseline::Change::Changed { previous } => {
                    r.change = Some("changed");
                    r.previous_status = Some(previous);
                }
            }
        }
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
    let mut counts: BTreeMap<&'static str, [u64; 5]> = BTreeMap::new();
    for r in &results {
        counts.entry(r.check_id).or_default()[status_index(r.status)] += 1;
    }
    let record = AccountRecord {
        account_id: account.id.clone(),
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
    };
    let evidence = crate::output::evidence_rows::collect(account);
    let newly_left_out = account.left_out[planned_left_out.min(account.left_out.len())..]
        .iter()
        .map(|l| l.reason.clone())
        .collect();
    AccountOutcome {
        record,
        results,
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
    let all: Vec<usize> = plan
        .credential_report
        .iter()
        .chain(&plan.authorization)
        .chain(&plan.authorization_duplicates)
        .chain(&plan.password_policy)
        .chain(&plan.virtual_mfa)
        .chain(&plan.summary)
        .copied()
        .collect();
    (all.len() as u64, all.iter().map(|&i| files[i].size).sum())
}

fn input_records(
    files: &[ScannedFile],
    plan: &Plan,
    accounts: &[AccountRecord],
) -> Vec<InputRecord> {
    let left_out: BTreeMap<&str, (&str, &str)> = accounts
        .iter()
        .flat_map(|a| {
            a.left_out_files
                .iter()
                .map(move |(f, r)| (f.as_str(), (a.account_id.as_str(), r.as_str())))
        })
        .collect();
    let mut used: BTreeMap<usize, String> = BTreeMap::new();
    for a in &plan.accounts {
        for i in a
            .credential_report
            .iter()
            .chain(&a.authorization)
            .chain(&a.authorization_duplicates)
            .chain(&a.password_policy)
            .chain(&a.virtual_mfa)
            .chain(&a.summary)
        {
            used.insert(*i, a.account.clone());
        }
    }
    let unassigned: BTreeMap<usize, &String> =
        plan.unassigned.iter().map(|(i, r)| (*i, r)).collect();
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
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
                Outcome::Export(info) => {
                    rec.kind = info.kind.label().to_string();
                    rec.rows = info.rows;
                    rec.generated_time = info
                        .generated_time
                        .map(crate::primitives::timestamp::format_utc);
                    if let Some(account) = used.get(&i) {
                        rec.account = Some(account.clone());
                        rec.disposition = "used".into();
                        if !crate::primitives::arn::is_standard_account_id(account) {
                            rec.note = format!("account ID '{account}' is not 12 digits");
                        }
                    } else if let Some(reason) = unassigned.get(&i) {
                        rec.disposition = "unassigned".into();
                        rec.note = (*reason).clone();
                    } else if info.org.is_some() {
                        rec.disposition = "used".into();
                        rec.note = "organization account list".into();
                    } else if let Some(a) = &info.account {
                        rec.account = Some(a.account.clone());
                        rec.disposition = "duplicate".into();
                        rec.note =
                            "identical to another export of this account; counted once".into();
                    }
                }
            }
            if let Some((account, reason)) = left_out.get(rec.file.as_str()) {
                rec.account = Some((*account).to_string());
                rec.disposition = "left out".into();
                rec.note = (*reason).to_string();
            }
            rec
        })
        .collect()
}
