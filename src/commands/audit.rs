//! `iam-evidence audit`: run the pipeline and report.

use crate::checks::Thresholds;
use crate::checks::frameworks::Framework;
use crate::cli::AuditArgs;
use crate::commands::CommandError;
use crate::stages::pipeline::{AuditOptions, run as run_pipeline};

/// Runs an audit.
pub fn run(args: &AuditArgs) -> Result<(), CommandError> {
    crate::output::atomic::remove_pending_on_interrupt();
    let threads = args
        .threads
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let opts = AuditOptions {
        paths: args.paths.clone(),
        output: args.output.clone(),
        results: args.results.clone(),
        as_of: args.as_of,
        org_accounts: args.org_accounts.clone(),
        threads,
        keep_going: args.keep_going,
        thresholds: Thresholds {
            max_key_age_days: args.max_key_age_days,
            max_unused_days: args.max_unused_days,
            min_password_length: args.min_password_length,
            min_password_reuse: args.min_password_reuse,
            root_usage_days: args.root_usage_days,
            max_export_age_days: args.max_export_age_days,
        },
        command_line: command_line(),
        progress: crate::stages::progress::Mode::detect(args.quiet),
        exceptions: args.exceptions.clone(),
        baseline: args.baseline.clone(),
        frameworks: Framework::each_once(args.frameworks.iter().copied()),
        engagement: args.engagement.to_engagement(),
    };
    run_pipeline(&opts)?;
    Ok(())
}

/// The command line as typed (program name normalized), for the cover's re-perform line.
fn command_line() -> String {
    let mut parts: Vec<String> = std::env::args().skip(1).map(|a| quote(&a)).collect();
    parts.insert(0, "iam-evidence".into());
    parts.join(" ")
}

fn quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+".contains(c))
    {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}
