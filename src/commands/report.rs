//! `iam-evidence report --from-results A.jsonl B.jsonl ... --output X.xlsx`: one workbook from
//! the results of separate runs (one per business unit, or a dump split across machines).
//! Each results file needs its `<RESULTS>.meta.json` sidecar; runs must not share an account
//! and must have used the same thresholds.

use crate::checks::Status;
use crate::checks::frameworks::Framework;
use crate::cli::{EngagementArgs, ReportArgs};
use crate::commands::CommandError;
use crate::output::atomic::{AtomicFile, output_error};
use crate::output::error::OutputError;
use crate::output::evidence_rows::EvidenceSheet;
use crate::output::meta::{
    AccountRecord, Engagement, InputRecord, PartRecord, RunOptions, RunRecord, input_digest,
};
use crate::output::population::OrgListRecord;
use crate::output::workbook::{CellRef, WorkbookWriter};
use crate::primitives::error::{InputError, RunError};
use crate::workflow::AnnotatedRecord;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// Builds the merged workbook (and, with `--results`, the merged results and their sidecar).
pub fn run(args: &ReportArgs) -> Result<(), CommandError> {
    crate::output::atomic::remove_pending_on_interrupt();
    let (accounts, results) = report(args)?;
    if !args.quiet {
        eprintln!(
            "merged {} run(s): {accounts} account(s), {results} result(s); wrote {}",
            args.from_results.len(),
            args.output.display()
        );
    }
    Ok(())
}

/// One run's sidecar: options, accounts and inputs.
#[derive(serde::Deserialize)]
struct Meta {
    options: RunOptions,
    accounts: Vec<AccountRecord>,
    inputs: Vec<InputRecord>,
    /// The organization account list the run used (absent in runs without one).
    #[serde(default)]
    org: Option<OrgListRecord>,
}

/// The runs to merge, as their sidecars describe them.
struct Runs {
    /// The options they share (the thresholds are the same; the first run's others).
    options: RunOptions,
    /// Every account, each from one run only.
    accounts: BTreeMap<String, AccountRecord>,
    /// Every input of every run.
    inputs: Vec<InputRecord>,
    /// The organization account list every run used (the same in each), if any.
    org: Option<OrgListRecord>,
    /// The accounts each run audited, in run order.
    audited: Vec<BTreeSet<String>>,
}

fn input_error(file: &Path, message: impl Into<String>) -> RunError {
    RunError::Input(InputError::file(&file.display().to_string(), message))
}

/// Writes the outputs; returns the number of accounts and results merged.
pub(crate) fn report(args: &ReportArgs) -> Result<(usize, u64), RunError> {
    let workbook = AtomicFile::create(&args.output)?;
    let mut results_out = match &args.results {
        Some(p) => Some(AtomicFile::create(p)?),
        None => None,
    };
    let Runs {
        mut options,
        mut accounts,
        inputs,
        org,
        audited,
    } = read_sidecars(&args.from_results)?;
    options.as_of = None;
    let asked = options.frameworks.iter().chain(&args.frameworks);
    options.frameworks = Framework::each_once(asked.copied());
    options.engagement = merged_engagement(options.engagement, &args.engagement);
    warn_if_options_overflow(&options, args.quiet);
    if org.is_none() && !args.quiet {
        eprintln!(
            "warning: none of the runs read an organization account list: org-coverage is not tested \
             and cross-account trusts were classified by each run's own accounts"
        );
    }

    // The merged results go to a file: the one asked for, or a scratch file the workbook reads.
    let scratch = tempfile::NamedTempFile::new().map_err(|e| output_error(&args.output, &e))?;
    let (merged_path, file) = match &mut results_out {
        Some(f) => (f.temp_path().to_path_buf(), f.file().try_clone()),
        None => (scratch.path().to_path_buf(), scratch.as_file().try_clone()),
    };
    let file = file.map_err(|e| output_error(&args.output, &e))?;
    let mut book = WorkbookWriter::new().map_err(|e| output_error(&args.output, &e))?;
    book.set_threads(std::thread::available_parallelism().map_or(1, |n| n.get()));
    let coverage = Coverage {
        org: org.as_ref().map(|o| std::sync::Arc::clone(&o.list)),
        audited,
    };
    let total = merge_results(args, &mut accounts, &coverage, file, &mut book)?;

    let mut record = run_record(options, accounts.into_values().collect(), inputs, total);
    record.org = org;
    merge_evidence(&args.from_results, args.quiet, &mut book)
        .map_err(|e| output_error(&args.output, &e))?;
    book.finish(workbook.temp_path(), &record, &merged_path)
        .map_err(|e| output_error(&args.output, &e))?;
    if let (Some(f), Some(p)) = (results_out, &args.results) {
        commit_merged_results(f, p, &record)?;
    }
    workbook.commit()?;
    Ok((record.accounts.len(), total))
}

/// Warns when the run options with every part's accounts are longer than the cover cell
/// that records them holds: that cell is cut, and `verify` cannot read the workbook's parts
/// (the merged results' sidecar keeps them whole).
fn warn_if_options_overflow(options: &RunOptions, quiet: bool) {
    if let Some(length) = options_overflow(options)
        && !quiet
    {
        eprintln!(
            "warning: the run options with each part's accounts are {length} characters, more \
             than the cover cell holds ({}): the cell is cut and verify cannot re-perform the \
             merged workbook part by part",
            crate::output::workbook::MAX_CELL_CHARS
        );
    }
}

/// The length of the run options' JSON when it is longer than a cell holds.
fn options_overflow(options: &RunOptions) -> Option<usize> {
    let length = serde_json::to_string(options).map_or(0, |j| j.chars().count());
    (length > crate::output::workbook::MAX_CELL_CHARS).then_some(length)
}

/// The engagement of the merged workbook: each of `--client`, `--period`, `--prepared-by`
/// given to `report`, else the first run's.
fn merged_engagement(first: Engagement, given: &EngagementArgs) -> Engagement {
    Engagement {
        client: given.client.clone().or(first.client),
        period: given.period.clone().or(first.period),
        prepared_by: given.prepared_by.clone().or(first.prepared_by),
    }
}

/// Reads every run's sidecar; refuses runs with other thresholds than the first, and runs that
/// share an account. The merge is filed under every framework some run was filed under.
fn read_sidecars(paths: &[PathBuf]) -> Result<Runs, RunError> {
    let mut options: Option<(RunOptions, &PathBuf)> = None;
    let mut owner: BTreeMap<String, &PathBuf> = BTreeMap::new();
    let mut accounts: BTreeMap<String, AccountRecord> = BTreeMap::new();
    let mut inputs = Vec::new();
    let mut org: Option<(Option<OrgListRecord>, &PathBuf)> = None;
    let mut audited = Vec::new();
    let mut parts = Vec::new();
    for path in paths {
        let meta = read_sidecar(path)?;
        parts.extend(parts_of(&meta));
        match &org {
            None => org = Some((meta.org.clone(), path)),
            Some((first, first_path)) if !same_list(first.as_ref(), meta.org.as_ref()) => {
                return Err(input_error(
                    path,
                    format!(
                        "used another organization account list than {} ({} here, {} there); \
                         merge only runs given the same --org-accounts",
                        first_path.display(),
                        describe_list(meta.org.as_ref()),
                        describe_list(first.as_ref()),
                    ),
                ));
            }
            Some(_) => {}
        }
        audited.push(meta.accounts.iter().map(|a| a.account_id.clone()).collect());
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
            Some((first, _)) => {
                let more = first.frameworks.iter().chain(&meta.options.frameworks);
                let union = Framework::each_once(more.copied());
                options = options.map(|(o, p)| {
                    (
                        RunOptions {
                            frameworks: union,
                            ..o
                        },
                        p,
                    )
                });
            }
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
    let Some((options, _)) = options else {
        return Err(RunError::NoExports { skipped: 0 });
    };
    Ok(Runs {
        options: RunOptions { parts, ..options },
        accounts,
        inputs,
        org: org.and_then(|(o, _)| o),
        audited,
    })
}

/// The parts a run contributes to the merge: itself with its options and accounts, or, for a
/// run that was itself a merge, its parts.
fn parts_of(meta: &Meta) -> Vec<PartRecord> {
    if !meta.options.parts.is_empty() {
        return meta.options.parts.clone();
    }
    vec![PartRecord {
        options: meta.options.clone(),
        accounts: meta.accounts.iter().map(|a| a.account_id.clone()).collect(),
    }]
}

/// Whether two runs used the same organization account list (or both none).
fn same_list(a: Option<&OrgListRecord>, b: Option<&OrgListRecord>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.same_as(b),
        _ => false,
    }
}

/// A list as an error names it: its files with their SHA-256 and how many accounts.
fn describe_list(list: Option<&OrgListRecord>) -> String {
    match list {
        None => "no list".into(),
        Some(l) => format!(
            "{} listing {} account(s)",
            l.files()
                .iter()
                .map(|f| format!("{} (SHA-256 {})", f.file, f.sha256))
                .collect::<Vec<_>>()
                .join(", "),
            l.list.len()
        ),
    }
}

/// `org-coverage` over the union of the runs: each run's rows for the accounts it audited,
/// and one row per listed account no run audited.
struct Coverage {
    org: Option<std::sync::Arc<crate::model::OrgAccounts>>,
    audited: Vec<BTreeSet<String>>,
}

impl Coverage {
    /// Whether run `part`'s result belongs in the merge: every result but an `org-coverage`
    /// row of an account the run did not audit (recomputed over the union).
    fn keeps(&self, part: usize, r: &AnnotatedRecord) -> bool {
        r.result.check_id != crate::checks::org_coverage::META.id
            || self
                .audited
                .get(part)
                .is_some_and(|a| a.contains(&r.result.account_id))
    }

    /// The rows of listed accounts no run audited, as results lines.
    fn absent(&self) -> Result<Vec<(AnnotatedRecord, String)>, RunError> {
        let Some(org) = &self.org else {
            return Ok(Vec::new());
        };
        let union: BTreeSet<String> = self.audited.iter().flatten().cloned().collect();
        crate::checks::org_coverage::absent_accounts(org, &union)
            .map(|r| {
                let line = serde_json::to_string(&crate::workflow::Annotated::from(r))
                    .map_err(|e| input_error(Path::new("org-coverage"), e.to_string()))?;
                let record = serde_json::from_str(&line)
                    .map_err(|e| input_error(Path::new("org-coverage"), e.to_string()))?;
                Ok((record, line))
            })
            .collect()
    }
}

/// The `<RESULTS>.meta.json` sidecar of a results file.
fn read_sidecar(results: &Path) -> Result<Meta, RunError> {
    let meta_path = crate::output::meta::meta_path(results);
    let text = std::fs::read_to_string(&meta_path).map_err(|e| {
        input_error(
            &meta_path,
            format!("cannot read the run's metadata sidecar: {e}"),
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        input_error(
            &meta_path,
            format!("expected an iam-evidence results sidecar: {e}"),
        )
    })
}

/// A results file's lines, each read back with its text.
type ResultLines<'a> = Box<dyn Iterator<Item = Result<(AnnotatedRecord, String), RunError>> + 'a>;

/// Merges the sorted results files into `out` and the workbook in results order, counting
/// each account's results per check and status (and the excepted ones) on the way. Returns
/// the number of results.
fn merge_results(
    args: &ReportArgs,
    accounts: &mut BTreeMap<String, AccountRecord>,
    coverage: &Coverage,
    out: std::fs::File,
    book: &mut WorkbookWriter,
) -> Result<u64, RunError> {
    let mut sources: Vec<ResultLines<'_>> = Vec::new();
    for (part, p) in args.from_results.iter().enumerate() {
        let lines = results_lines(p)?;
        sources.push(Box::new(lines.filter(move |line| match line {
            Ok((r, _)) => coverage.keeps(part, r),
            Err(_) => true,
        })));
    }
    sources.push(Box::new(coverage.absent()?.into_iter().map(Ok)));
    let mut out = std::io::BufWriter::new(out);
    let mut total = 0u64;
    merge_sorted(
        sources,
        |(a, _), (b, _)| a.result.key().cmp(&b.result.key()),
        |(r, line)| {
            count_result(accounts, &r);
            let id = &r.result.account_id;
            let name = accounts
                .get(id)
                .and_then(|a| a.name.as_deref())
                .or_else(|| coverage.org.as_ref().and_then(|o| o.name(id)))
                .unwrap_or_default();
            writeln!(out, "{line}").map_err(|e| output_error(&args.output, &e))?;
            book.result((&r).into(), name)
                .map_err(|e| output_error(&args.output, &e))?;
            total += 1;
            Ok(())
        },
    )?;
    out.flush().map_err(|e| output_error(&args.output, &e))?;
    Ok(total)
}

/// Counts a merged result in its account's counts per check and status.
fn count_result(accounts: &mut BTreeMap<String, AccountRecord>, r: &AnnotatedRecord) {
    if let Some(a) = accounts.get_mut(&r.result.account_id)
        && let (Some(check), Some(status)) = (
            crate::checks::find(&r.result.check_id),
            parse_status(&r.result.status),
        )
    {
        a.counts.add(check.meta.id, status);
        if r.exception.is_some() {
            *a.excepted.entry(check.meta.id).or_default() += 1;
        }
    }
}

/// The results of a results file, each with its line as written; blank lines are skipped and
/// a line that is not a result is an error naming it.
pub(crate) fn results_lines(
    path: &Path,
) -> Result<impl Iterator<Item = Result<(AnnotatedRecord, String), RunError>> + '_, RunError> {
    let f =
        std::fs::File::open(path).map_err(|e| input_error(path, format!("cannot read: {e}")))?;
    let lines = std::io::BufReader::new(f).lines().enumerate();
    Ok(lines.filter_map(move |(n, line)| {
        let line = match line {
            Ok(line) => line,
            Err(e) => return Some(Err(input_error(path, format!("cannot read: {e}")))),
        };
        if line.trim().is_empty() {
            return None;
        }
        let parsed = serde_json::from_str(&line).map_err(|e| {
            RunError::Input(InputError::at(
                &path.display().to_string(),
                format!("line {}", n + 1),
                format!("expected a results line: {e}"),
            ))
        });
        Some(parsed.map(|r| (r, line)))
    }))
}

/// The run record of the merged runs: no as-of option (each run had its own), every account,
/// every input.
fn run_record(
    options: RunOptions,
    accounts: Vec<AccountRecord>,
    inputs: Vec<InputRecord>,
    results: u64,
) -> RunRecord {
    RunRecord {
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
        results,
        exceptions: Vec::new(),
        changes: None,
        org: None,
    }
}

/// Writes the merged results' sidecar and commits both files.
fn commit_merged_results(
    mut results: AtomicFile,
    path: &Path,
    record: &RunRecord,
) -> Result<(), RunError> {
    let mut meta = AtomicFile::create(&crate::output::meta::meta_path(path))?;
    let json = serde_json::to_vec_pretty(record).map_err(|e| output_error(path, &e))?;
    meta.file()
        .write_all(&json)
        .map_err(|e| output_error(path, &e))?;
    results.file().flush().map_err(|e| output_error(path, &e))?;
    meta.commit()?;
    results.commit()
}

/// Feeds the evidence rows of the runs' `<RESULTS>.evidence.jsonl` sidecars to the workbook,
/// sheet by sheet, merged in account order (a run without one contributes no evidence rows,
/// with a warning).
fn merge_evidence(
    parts: &[PathBuf],
    quiet: bool,
    book: &mut WorkbookWriter,
) -> Result<(), OutputError> {
    use crate::output::evidence_jsonl::{path_for, sheet_rows};
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
        let sources = sidecars
            .iter()
            .map(|p| sheet_rows(p, sheet).map(|rows| rows.map(|r| r.map_err(OutputError::from))))
            .collect::<Result<Vec<_>, _>>()?;
        merge_sorted(
            sources,
            |(a, _), (b, _)| a.cmp(b),
            |(_, row)| {
                let cells: Vec<CellRef<'_>> = row.iter().map(CellRef::from).collect();
                book.evidence_row(sheet, &cells)
            },
        )?;
    }
    Ok(())
}

/// Merges sources, each sorted by `order`, into one sorted stream: hands `sink` the least
/// next item (the earlier source on a tie) until every source is exhausted, reading each
/// source one item ahead.
fn merge_sorted<T, E>(
    sources: Vec<impl Iterator<Item = Result<T, E>>>,
    order: impl Fn(&T, &T) -> Ordering,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let mut heads = Vec::with_capacity(sources.len());
    for mut source in sources {
        let next = source.next().transpose()?;
        heads.push((source, next));
    }
    loop {
        let mut least: Option<usize> = None;
        for (i, (_, next)) in heads.iter().enumerate() {
            let Some(item) = next else { continue };
            let is_less = least
                .and_then(|l| heads[l].1.as_ref())
                .is_none_or(|best| order(item, best) == Ordering::Less);
            if is_less {
                least = Some(i);
            }
        }
        let Some(i) = least else { return Ok(()) };
        let (source, next) = &mut heads[i];
        if let Some(item) = next.take() {
            sink(item)?;
        }
        *next = source.next().transpose()?;
    }
}

fn parse_status(text: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|s| s.as_str() == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(items: &[(u32, char)]) -> impl Iterator<Item = Result<(u32, char), String>> + '_ {
        items.iter().copied().map(Ok)
    }

    #[test]
    fn merging_sorted_sources_keeps_order_and_takes_ties_from_the_earlier_source() {
        let mut seen = Vec::new();
        merge_sorted(
            vec![
                source(&[(1, 'a'), (3, 'a'), (5, 'a')]),
                source(&[]),
                source(&[(1, 'c'), (2, 'c'), (6, 'c')]),
            ],
            |a, b| a.0.cmp(&b.0),
            |item| {
                seen.push(item);
                Ok::<(), String>(())
            },
        )
        .unwrap();
        assert_eq!(
            seen,
            [(1, 'a'), (1, 'c'), (2, 'c'), (3, 'a'), (5, 'a'), (6, 'c')]
        );
    }

    fn options(parts: Vec<PartRecord>) -> RunOptions {
        RunOptions {
            as_of: None,
            thresholds: crate::checks::Thresholds::default(),
            keep_going: false,
            org_accounts: None,
            exceptions: None,
            baseline: None,
            frameworks: Vec::new(),
            engagement: Engagement::default(),
            parts,
        }
    }

    #[test]
    fn run_options_longer_than_a_cell_are_an_overflow_and_two_thousand_accounts_fit() {
        let part = |n: u64| PartRecord {
            options: options(Vec::new()),
            accounts: (0..n)
                .map(|i| format!("{:012}", 100_000_000_000 + i))
                .collect(),
        };
        assert_eq!(
            options_overflow(&options(vec![part(1000), part(1000)])),
            None
        );
        let length = options_overflow(&options(vec![part(1500), part(1500)])).unwrap();
        assert!(length > crate::output::workbook::MAX_CELL_CHARS);
    }

    #[test]
    fn merging_stops_at_the_first_error_of_a_source() {
        let failing = vec![Ok((1, 'b')), Err("line 2 unreadable".to_string())].into_iter();
        let mut seen = Vec::new();
        let err = merge_sorted(
            vec![failing],
            |a: &(u32, char), b| a.0.cmp(&b.0),
            |item| {
                seen.push(item);
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(err, "line 2 unreadable");
        assert_eq!(seen, [(1, 'b')]);
    }
}
