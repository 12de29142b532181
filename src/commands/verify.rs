//! `iam-evidence verify WORKBOOK PATH...`: re-performs a workpaper. Re-runs the audit on the
//! given inputs with the options recorded in the workbook (a merge of separate runs: once per
//! part, with that part's options), and compares the inputs (file and SHA-256) and every
//! result row. Exit 0 when they match, 3 when they differ, 1 when an input cannot be read, 2
//! for bad usage.

use crate::checks::ResultKey;
use crate::cli::VerifyArgs;
use crate::commands::CommandError;
use crate::output::atomic::output_error;
use crate::output::meta::RunOptions;
use crate::output::meta::meta_path;
use crate::output::read_back::{Workbook, for_each_page};
use crate::output::workbook::RESULTS_HEADERS;
use crate::primitives::error::{InputError, RunError};
use crate::stages::pipeline::{AuditOptions, run as run_pipeline};
use calamine::Reader;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs the verification: Ok when the workbook matches its inputs, else the differences.
pub fn run(args: &VerifyArgs) -> Result<(), CommandError> {
    let recorded = Recorded::read(&args.workbook)?;
    let dir = tempfile::tempdir().map_err(|e| RunError::Output {
        path: std::env::temp_dir(),
        message: e.to_string(),
    })?;
    let fresh = if recorded.options.parts.is_empty() {
        re_perform(&recorded, args, dir.path())?
    } else {
        re_perform_parts(&recorded, args, dir.path())?
    };
    // What the workpaper says first; the inputs and hashes that explain it after.
    let (mut differences, hash_only) = result_differences(&recorded, &fresh);
    let inputs = input_differences(&recorded.inputs, &fresh.inputs);
    let (results, input_count) = (differences.len() + hash_only, inputs.len());
    differences.extend(inputs);
    if hash_only > 0 {
        differences.push(format!(
            "{hash_only} result(s) differ only in their source's SHA-256 (their input changed)"
        ));
    }
    if !differences.is_empty() {
        return Err(CommandError::Mismatch {
            workbook: args.workbook.clone(),
            results,
            inputs: input_count,
            differences,
        });
    }
    eprintln!(
        "verified: {} matches its inputs (every input hash and every result row)",
        args.workbook.display()
    );
    Ok(())
}

/// Runs the audit again on `args.paths` with the recorded options, into a workbook in `dir`,
/// and reads that back.
fn re_perform(
    recorded: &Recorded,
    args: &VerifyArgs,
    dir: &Path,
) -> Result<Recorded, CommandError> {
    let files = OptionFiles::resolve(&recorded.file, &recorded.options, args)?;
    let again = dir.join("re-performed.xlsx");
    audit_again(recorded, &recorded.options, args, &files, &again, None)?;
    let mut fresh = Recorded::read(&again)?;
    files.as_recorded(&recorded.options, &mut fresh.inputs);
    Ok(fresh)
}

/// Re-performs a merge of separate runs (`report --from-results`): runs the audit on
/// `args.paths` once per part with that part's options, keeps from each run the results of the
/// accounts that part audited, and merges these shares as `report` merged the parts (which
/// adds the org-coverage rows of listed accounts no part audited), into a workbook in `dir`.
fn re_perform_parts(
    recorded: &Recorded,
    args: &VerifyArgs,
    dir: &Path,
) -> Result<Recorded, CommandError> {
    let mut shares = Vec::new();
    let mut files = Vec::new();
    for (i, part) in recorded.options.parts.iter().enumerate() {
        let part_files = OptionFiles::resolve(&recorded.file, &part.options, args)?;
        let results = dir.join(format!("part-{}.jsonl", i + 1));
        let workbook = dir.join(format!("part-{}.xlsx", i + 1));
        audit_again(
            recorded,
            &part.options,
            args,
            &part_files,
            &workbook,
            Some(results.clone()),
        )?;
        let share = dir.join(format!("share-{}.jsonl", i + 1));
        keep_accounts(&results, &part.accounts, &share)?;
        shares.push(share);
        files.push(part_files);
    }
    let merged = dir.join("re-performed.xlsx");
    super::report::report(&crate::cli::ReportArgs {
        from_results: shares,
        output: merged.clone(),
        results: None,
        quiet: true,
        frameworks: Vec::new(),
        engagement: Default::default(),
    })?;
    let mut fresh = Recorded::read(&merged)?;
    for (part, part_files) in recorded.options.parts.iter().zip(&files) {
        part_files.as_recorded(&part.options, &mut fresh.inputs);
    }
    Ok(fresh)
}

/// Writes beside `share` the part of a re-run's `results` (and of its sidecar) that belongs to
/// `accounts`: their result lines, and the sidecar listing only them.
fn keep_accounts(results: &Path, accounts: &[String], share: &Path) -> Result<(), RunError> {
    let keep: BTreeSet<&str> = accounts.iter().map(String::as_str).collect();
    let write_error = |e: &dyn std::fmt::Display| output_error(share, e);
    let file = std::fs::File::create(share).map_err(|e| write_error(&e))?;
    let mut out = std::io::BufWriter::new(file);
    for line in super::report::results_lines(results)? {
        let (r, line) = line?;
        if keep.contains(r.result.account_id.as_str()) {
            writeln!(out, "{line}").map_err(|e| write_error(&e))?;
        }
    }
    out.flush().map_err(|e| write_error(&e))?;
    let meta = meta_path(results);
    let text = std::fs::read_to_string(&meta).map_err(|e| output_error(&meta, &e))?;
    let mut sidecar: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| output_error(&meta, &e))?;
    if let Some(list) = sidecar
        .get_mut("accounts")
        .and_then(serde_json::Value::as_array_mut)
    {
        list.retain(|a| {
            a.get("account_id")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|id| keep.contains(id))
        });
    }
    let json = serde_json::to_vec(&sidecar).map_err(|e| write_error(&e))?;
    std::fs::write(meta_path(share), json).map_err(|e| write_error(&e))
}

/// Runs the audit on `args.paths` with `options` (the files they name as `files` resolved),
/// writing the workbook `output` and, if asked, the results file `results`.
fn audit_again(
    recorded: &Recorded,
    options: &RunOptions,
    args: &VerifyArgs,
    files: &OptionFiles,
    output: &Path,
    results: Option<PathBuf>,
) -> Result<(), RunError> {
    let as_of = match &options.as_of {
        Some(d) => {
            Some(crate::primitives::asof::parse_date_option(d).map_err(|m| recorded.error(m))?)
        }
        None => None,
    };
    run_pipeline(&AuditOptions {
        paths: args.paths.clone(),
        output: output.to_path_buf(),
        results,
        as_of,
        org_accounts: files.org_accounts.clone(),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        keep_going: options.keep_going,
        thresholds: options.thresholds,
        command_line: String::new(),
        progress: crate::stages::progress::Mode::Quiet,
        exceptions: files.exceptions.clone(),
        baseline: files.baseline.clone(),
        frameworks: options.frameworks.clone(),
        engagement: options.engagement.clone(),
    })?;
    Ok(())
}

/// The files the recorded options name (`--org-accounts`, `--exceptions`, `--baseline`), as
/// re-performed: the one given to `verify`, else the recorded path, which must exist from here.
struct OptionFiles {
    org_accounts: Option<PathBuf>,
    exceptions: Option<PathBuf>,
    baseline: Option<PathBuf>,
}

impl OptionFiles {
    fn resolve(workbook: &str, o: &RunOptions, args: &VerifyArgs) -> Result<Self, CommandError> {
        let pick = |flag, given, was| option_file(workbook, flag, given, was);
        Ok(OptionFiles {
            org_accounts: pick("--org-accounts", &args.org_accounts, &o.org_accounts)?,
            exceptions: pick("--exceptions", &args.exceptions, &o.exceptions)?,
            baseline: pick("--baseline", &args.baseline, &o.baseline)?,
        })
    }

    /// The Inputs sheet lists the exceptions file and the baseline by the path given: a file
    /// given to `verify` in place of a recorded one is compared as the recorded one.
    fn as_recorded(&self, options: &RunOptions, inputs: &mut BTreeMap<String, String>) {
        for (now, was) in [
            (&self.exceptions, &options.exceptions),
            (&self.baseline, &options.baseline),
        ] {
            if let (Some(now), Some(was)) = (now, was)
                && let Some(sha) = inputs.remove(&now.display().to_string())
            {
                inputs.insert(was.clone(), sha);
            }
        }
    }
}

/// The file to re-perform `flag` with: `given` to `verify`, else the path the workbook records
/// (`recorded`), which must exist from here. Giving a file the run did not have is refused.
fn option_file(
    workbook: &str,
    flag: &str,
    given: &Option<PathBuf>,
    recorded: &Option<String>,
) -> Result<Option<PathBuf>, CommandError> {
    match (given, recorded) {
        (Some(path), Some(_)) => Ok(Some(path.clone())),
        (Some(_), None) => Err(CommandError::Usage(format!(
            "{workbook} was audited without {flag}, so verify cannot re-perform it with one; \
             leave {flag} out"
        ))),
        (None, Some(path)) if !Path::new(path).exists() => {
            Err(CommandError::Run(RunError::Input(InputError::file(
                workbook,
                format!(
                    "the recorded {flag} path {path} does not exist from here; give {flag} \
                     with that file's path"
                ),
            ))))
        }
        (None, Some(path)) => Ok(Some(PathBuf::from(path))),
        (None, None) => Ok(None),
    }
}

/// Inputs recorded but missing or changed now, then inputs found now but not recorded.
fn input_differences(
    recorded: &BTreeMap<String, String>,
    fresh: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (file, sha) in recorded {
        match fresh.get(file) {
            None => out.push(format!("input {file} is missing from the given paths")),
            Some(now) if now != sha => out.push(format!(
                "input {file} changed: SHA-256 {now}, recorded {sha}"
            )),
            Some(_) => {}
        }
    }
    for file in fresh.keys().filter(|f| !recorded.contains_key(*f)) {
        out.push(format!("input {file} is not in the workbook's inputs"));
    }
    out
}

/// Result rows that differ (naming the columns), are no longer produced, or are new, by
/// position in results order; and how many rows differ only in a source's SHA-256 (an input
/// changed: every result citing it says so), counted rather than listed.
fn result_differences(recorded: &Recorded, fresh: &Recorded) -> (Vec<String>, usize) {
    let header = &recorded.header;
    let n = recorded.results.len().max(fresh.results.len());
    let mut out = Vec::new();
    let mut hash_only = 0;
    for i in 0..n {
        match (recorded.results.get(i), fresh.results.get(i)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) => {
                let differing: Vec<(usize, &String)> = header
                    .iter()
                    .enumerate()
                    .filter(|(c, _)| a.get(*c) != b.get(*c))
                    .collect();
                if differing.iter().all(|(_, h)| h.contains("SHA-256")) {
                    hash_only += 1;
                    continue;
                }
                // The hash's change is the input's, listed once with the inputs.
                let cols: Vec<String> = differing
                    .iter()
                    .filter(|(_, h)| !h.contains("SHA-256"))
                    .map(|&(c, h)| {
                        let (was, now) = differing_part(cell(a, c), cell(b, c));
                        format!("{h}: '{was}' now '{now}'")
                    })
                    .collect();
                out.push(format!(
                    "result {} ({}): {}",
                    i + 1,
                    row_key(a),
                    cols.join("; ")
                ));
            }
            (Some(a), None) => out.push(format!(
                "result {} ({}) is no longer produced",
                i + 1,
                row_key(a)
            )),
            (None, Some(b)) => out.push(format!("result {} ({}) is new", i + 1, row_key(b))),
            (None, None) => {}
        }
    }
    (out, hash_only)
}

fn cell(row: &[String], c: usize) -> &str {
    row.get(c).map_or("", String::as_str)
}

/// Two values cut to a readable length around where they first differ, the same window of
/// each, with `…` where text was cut: a long reason that changed near its end shows the change,
/// not the same first words twice.
fn differing_part(was: &str, now: &str) -> (String, String) {
    const MAX: usize = 72;
    /// Characters kept before the first difference, for context.
    const BEFORE: usize = 24;
    let (a, b): (Vec<char>, Vec<char>) = (was.chars().collect(), now.chars().collect());
    if a.len() <= MAX && b.len() <= MAX {
        return (was.to_string(), now.to_string());
    }
    let first = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let start = first.saturating_sub(BEFORE);
    let cut = |text: &[char]| {
        let end = (start + MAX).min(text.len());
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        out.extend(&text[start.min(end)..end]);
        if end < text.len() {
            out.push('…');
        }
        out
    };
    (cut(&a), cut(&b))
}

/// The identity of a Results row (its Account, Check ID, Resource and Credential columns).
fn row_key(row: &[String]) -> ResultKey<&str> {
    let at = |name: &str| {
        let c = RESULTS_HEADERS.iter().position(|h| *h == name);
        c.map_or("", |c| cell(row, c))
    };
    let credential = at("Credential");
    ResultKey {
        account_id: at("Account"),
        check_id: at("Check ID"),
        resource_arn: at("Resource"),
        credential: (!credential.is_empty()).then_some(credential),
    }
}

/// What a workbook records: its run options, its inputs, and its result rows.
struct Recorded {
    file: String,
    options: RunOptions,
    inputs: BTreeMap<String, String>,
    header: Vec<String>,
    results: Vec<Vec<String>>,
}

impl Recorded {
    fn error(&self, message: impl Into<String>) -> RunError {
        RunError::Input(InputError::file(&self.file, message))
    }

    fn read(path: &Path) -> Result<Recorded, RunError> {
        let file = path.display().to_string();
        let mut wb = crate::output::read_back::open(path, &file)?;
        let options = run_options(&mut wb, &file)?;
        let inputs = inputs(&mut wb, &file)?;
        let (header, results) = results(&mut wb, &file)?;
        Ok(Recorded {
            file,
            options,
            inputs,
            header,
            results,
        })
    }
}

/// The run options, from the cell the `RunOptions` name refers to.
fn run_options(wb: &mut Workbook, file: &str) -> Result<RunOptions, InputError> {
    let err = |m: String| InputError::file(file, m);
    let target = wb
        .defined_names()
        .iter()
        .find(|(n, _)| n == crate::output::workbook::RUN_OPTIONS_NAME)
        .map(|(_, f)| f.clone())
        .ok_or_else(|| err("no RunOptions name: not a workbook written by iam-evidence".into()))?;
    let (sheet, row, col) = parse_reference(&target).ok_or_else(|| {
        err(format!(
            "RunOptions refers to '{target}', expected Sheet!$C$R"
        ))
    })?;
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| err(format!("sheet {sheet}: {e}")))?;
    let json = range
        .get_value((row, col))
        .map(|c| c.to_string())
        .ok_or_else(|| err(format!("RunOptions cell {target} is empty")))?;
    serde_json::from_str(&json).map_err(|e| err(format!("RunOptions is not readable: {e}")))
}

/// Each input's SHA-256 by file, from the Inputs pages.
fn inputs(wb: &mut Workbook, file: &str) -> Result<BTreeMap<String, String>, InputError> {
    let mut inputs = BTreeMap::new();
    for_each_page(wb, file, "Inputs", |name, range| {
        let rows = text_rows(range);
        let (Some(f), Some(s)) = (col_of(&rows, "File"), col_of(&rows, "SHA-256")) else {
            return Err(InputError::file(
                file,
                format!("sheet {name} lacks the File and SHA-256 columns"),
            ));
        };
        for r in rows.iter().skip(1) {
            inputs.insert(cell(r, f).to_string(), cell(r, s).to_string());
        }
        Ok(())
    })?;
    Ok(inputs)
}

/// The Results header and every non-empty result row, from the Results pages.
fn results(wb: &mut Workbook, file: &str) -> Result<(Vec<String>, Vec<Vec<String>>), InputError> {
    let mut header = Vec::new();
    let mut results = Vec::new();
    for_each_page(wb, file, "Results", |_, range| {
        let rows = text_rows(range);
        if let Some(h) = rows.first() {
            header = h.clone();
        }
        results.extend(
            rows.into_iter()
                .skip(1)
                .filter(|r| r.iter().any(|c| !c.is_empty())),
        );
        Ok::<(), InputError>(())
    })?;
    Ok((header, results))
}

/// A sheet's cells as text, row by row.
fn text_rows(range: &calamine::Range<calamine::Data>) -> Vec<Vec<String>> {
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn col_of(rows: &[Vec<String>], name: &str) -> Option<usize> {
    rows.first()?.iter().position(|h| h == name)
}

/// `Cover!$B$45` (or with a leading `=`, or a quoted sheet) as (sheet, 0-based row, column).
/// None for anything else, including a column or row past what a `u32` holds.
fn parse_reference(text: &str) -> Option<(String, u32, u32)> {
    let text = text.trim_start_matches('=');
    let (sheet, cell) = text.rsplit_once('!')?;
    let sheet = sheet.trim_matches('\'').to_string();
    let cell = cell.replace('$', "");
    let split = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = cell.split_at(split);
    let col = letters.bytes().try_fold(0u32, |acc, b| {
        if !b.is_ascii_uppercase() {
            return None;
        }
        acc.checked_mul(26)?.checked_add(u32::from(b - b'A' + 1))
    })?;
    let row: u32 = digits.parse().ok()?;
    Some((sheet, row.checked_sub(1)?, col.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_shows_the_differing_part_of_long_values() {
        let was = format!("{} last used 2025-06-01", "x".repeat(100));
        let now = format!("{} last used 2025-06-09", "x".repeat(100));
        let (a, b) = differing_part(&was, &now);
        assert_eq!(a, format!("…{} last used 2025-06-01", "x".repeat(4)));
        assert_eq!(b, format!("…{} last used 2025-06-09", "x".repeat(4)));
        // A difference at the start keeps the start and cuts the end.
        let (a, b) = differing_part(
            &format!("A{}", "y".repeat(100)),
            &format!("B{}", "y".repeat(100)),
        );
        assert_eq!(a, format!("A{}…", "y".repeat(71)));
        assert_eq!(b, format!("B{}…", "y".repeat(71)));
        // Short values are shown whole.
        assert_eq!(
            differing_part("FAIL", "PASS"),
            ("FAIL".into(), "PASS".into())
        );
    }

    #[test]
    fn verify_refuses_an_option_file_the_run_did_not_have_and_names_a_missing_recorded_one() {
        let given = Some(PathBuf::from("ex.csv"));
        let e = option_file("q2.xlsx", "--exceptions", &given, &None).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let missing = Some("/nonexistent/ex.csv".to_string());
        let e = option_file("q2.xlsx", "--exceptions", &None, &missing).unwrap_err();
        assert_eq!(
            e.to_string(),
            "error: q2.xlsx: the recorded --exceptions path /nonexistent/ex.csv does not exist \
             from here; give --exceptions with that file's path"
        );
        assert_eq!(e.exit_code(), 1);
        assert_eq!(
            option_file("q2.xlsx", "--exceptions", &given, &missing).unwrap(),
            given
        );
    }

    #[test]
    fn parses_defined_name_references() {
        assert_eq!(
            parse_reference("Cover!$B$45"),
            Some(("Cover".into(), 44, 1))
        );
        assert_eq!(
            parse_reference("='My Sheet'!$AA$1"),
            Some(("My Sheet".into(), 0, 26))
        );
        assert_eq!(parse_reference("nonsense"), None);
    }

    #[test]
    fn a_reference_past_u32_columns_or_rows_is_refused_not_a_panic() {
        // 7 letters reach 26^7 > 2^32.
        assert_eq!(parse_reference("Cover!$ZZZZZZZ$1"), None);
        assert_eq!(parse_reference("Cover!$MWLQKWV$1"), None);
        assert_eq!(parse_reference("Cover!$B$4294967296"), None);
        assert_eq!(parse_reference("Cover!$B$0"), None);
        assert_eq!(
            parse_reference("Cover!$MWLQKWU$1"),
            Some(("Cover".into(), 0, u32::MAX - 1))
        );
    }
}
