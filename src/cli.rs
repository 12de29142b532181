//! Command-line interface (the stable contract in SPEC "Interfaces").

use crate::checks::Thresholds;
use crate::checks::frameworks::Framework;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Offline audit of AWS IAM exports into an audit-ready Excel workpaper.
#[derive(Debug, Parser)]
#[command(name = "iam-evidence", version = crate::primitives::version::VERSION_LINE, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit IAM exports (credential reports, authorization details) and write the workpaper.
    #[command(after_help = AUDIT_EXAMPLES)]
    Audit(AuditArgs),
    /// List the checks: ID, title, severity, references.
    Checks(ChecksArgs),
    /// Re-perform a workpaper: re-run on the inputs with the workbook's recorded options and
    /// compare every input hash and result (exit 0 match, 3 mismatch, 1 unreadable input).
    Verify(VerifyArgs),
    /// Build one workbook from the results files of separate runs (no shared accounts).
    Report(ReportArgs),
}

/// `report` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Results files of the runs to merge (each with its RESULTS.meta.json beside it).
    #[arg(long = "from-results", required = true, num_args = 1.., value_name = "RESULTS.jsonl")]
    pub from_results: Vec<PathBuf>,
    /// The workbook to write. Written atomically.
    #[arg(short, long, value_name = "WORKBOOK.xlsx", value_parser = workbook_path)]
    pub output: PathBuf,
    /// Also write the merged results (and RESULTS.meta.json).
    #[arg(long, value_name = "RESULTS.jsonl", value_parser = results_path)]
    pub results: Option<PathBuf>,
    /// No summary line on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Add a Controls sheet for this framework, besides those the merged runs recorded
    /// (repeatable; names as for `audit --framework`).
    #[arg(long = "framework", value_name = "NAME", value_parser = parse_framework)]
    pub frameworks: Vec<Framework>,
    /// The engagement; where not given, the first run's.
    #[command(flatten)]
    pub engagement: EngagementArgs,
}

/// The engagement a workpaper belongs to, shown on the cover and each printed page's header.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct EngagementArgs {
    /// Whose accounts are audited (cover and page header).
    #[arg(long, value_name = "TEXT")]
    pub client: Option<String>,
    /// The period under audit, free text (e.g. "FY2025", "2025-01-01 to 2025-06-30").
    #[arg(long, value_name = "TEXT")]
    pub period: Option<String>,
    /// Who prepared the workpaper (the cover's sign-off; the dates are left to fill in).
    #[arg(long, value_name = "TEXT")]
    pub prepared_by: Option<String>,
}

impl EngagementArgs {
    /// The engagement as recorded with the run options.
    pub fn to_engagement(&self) -> crate::output::meta::Engagement {
        crate::output::meta::Engagement {
            client: self.client.clone(),
            period: self.period.clone(),
            prepared_by: self.prepared_by.clone(),
        }
    }
}

/// `verify` options.
#[derive(Debug, Clone, clap::Args)]
pub struct VerifyArgs {
    /// The workbook to verify.
    #[arg(value_name = "WORKBOOK.xlsx")]
    pub workbook: PathBuf,
    /// The inputs, as given to the original run (same folders, so relative paths match).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The exceptions file to re-perform with, instead of the path the workbook records (for a
    /// run verified from another folder).
    #[arg(long, value_name = "FILE")]
    pub exceptions: Option<PathBuf>,
    /// The baseline to re-perform with, instead of the path the workbook records.
    #[arg(long, value_name = "PREVIOUS")]
    pub baseline: Option<PathBuf>,
    /// The organization account list to re-perform with, instead of the path the workbook
    /// records.
    #[arg(long, value_name = "FILE")]
    pub org_accounts: Option<PathBuf>,
}

const AUDIT_EXAMPLES: &str = "Examples:
  iam-evidence audit samples/2025-Q2 -o audit.xlsx
  iam-evidence audit exports/ --output q3.xlsx --results q3.jsonl --as-of 2025-09-30
  iam-evidence audit acme/ --org-accounts acme/list-accounts.json --keep-going -o acme.xlsx
  iam-evidence audit exports/ -o q2.xlsx --client \"Acme Corp\" --period FY2025 --prepared-by \"J. Doe\"

Exit status: 0 the run completed (whatever the findings); 1 an input could not be read or an
output could not be written; 2 bad usage.";

/// `audit` options.
#[derive(Debug, Clone, clap::Args)]
pub struct AuditArgs {
    /// Files or folders holding the exports (walked recursively; files are recognized by content).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The workbook to write (.xlsx). Written atomically.
    #[arg(short, long, value_name = "WORKBOOK.xlsx", value_parser = workbook_path)]
    pub output: PathBuf,
    /// Also write every result as JSON lines (plus RESULTS.meta.json beside it).
    #[arg(long, value_name = "RESULTS.jsonl", value_parser = results_path)]
    pub results: Option<PathBuf>,
    /// Measure ages against the end of this day (UTC) for every account.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub as_of: Option<time::Date>,
    /// `aws organizations list-accounts` output: which accounts are internal.
    #[arg(long, value_name = "FILE")]
    pub org_accounts: Option<PathBuf>,
    /// Approved exceptions (CSV: check_id,account,resource,reason,approved_by,approval_date,expiry_date).
    #[arg(long, value_name = "FILE")]
    pub exceptions: Option<PathBuf>,
    /// Compare with a previous run's results (JSONL) or workbook (.xlsx): new, changed, resolved.
    #[arg(long, value_name = "PREVIOUS")]
    pub baseline: Option<PathBuf>,
    /// Threads that read, check and write (default: all cores): at most N work at once, and
    /// with 1 everything runs on one thread. The output does not depend on N.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Leave out unreadable exports (their accounts get NOT_DETERMINABLE rows) instead of failing.
    #[arg(long)]
    pub keep_going: bool,
    /// No warnings or progress on stderr (errors still print).
    #[arg(short, long)]
    pub quiet: bool,
    /// File the results under this framework's controls on a Controls sheet (repeatable:
    /// nist-800-53-r5, fedramp-moderate, nist-800-171-r2, cmmc-2-l2, pci-dss-4.0.1,
    /// iso-27001-2022, soc2-2017, cis-v3.0, cis-v6.0).
    #[arg(long = "framework", value_name = "NAME", value_parser = parse_framework)]
    pub frameworks: Vec<Framework>,
    /// FAIL an access key older than this many days.
    #[arg(long, value_name = "N", default_value_t = Thresholds::DEFAULT.max_key_age_days)]
    pub max_key_age_days: i64,
    /// FAIL a credential unused for this many days or more.
    #[arg(long, value_name = "N", default_value_t = Thresholds::DEFAULT.max_unused_days)]
    pub max_unused_days: i64,
    /// Minimum password length a password policy must require.
    #[arg(long, value_name = "N", default_value_t = Thresholds::DEFAULT.min_password_length)]
    pub min_password_length: u64,
    /// Minimum password reuse prevention a password policy must require.
    #[arg(long, value_name = "N", default_value_t = Thresholds::DEFAULT.min_password_reuse)]
    pub min_password_reuse: u64,
    /// FAIL when the root user was used fewer than this many days before the as-of.
    #[arg(long, value_name = "N", default_value_t = Thresholds::DEFAULT.root_usage_days)]
    pub root_usage_days: i64,
    /// With --as-of: a credential report generated more than this many days before it is an
    /// export-completeness difference (at least 1).
    #[arg(long, value_name = "N", default_value_t = Thresholds::DEFAULT.max_export_age_days,
          value_parser = clap::value_parser!(i64).range(1..))]
    pub max_export_age_days: i64,
    /// The engagement.
    #[command(flatten)]
    pub engagement: EngagementArgs,
}

/// `checks` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ChecksArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogueFormat::Table)]
    pub format: CatalogueFormat,
    /// List this framework's controls with the checks that evidence each (nist-800-53-r5,
    /// fedramp-moderate, nist-800-171-r2, cmmc-2-l2, pci-dss-4.0.1, iso-27001-2022, soc2-2017,
    /// cis-v3.0, cis-v6.0).
    #[arg(long, value_name = "NAME", value_parser = parse_framework)]
    pub framework: Option<Framework>,
}

/// Formats of the check catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogueFormat {
    /// Aligned columns for a terminal.
    Table,
    /// One JSON array.
    Json,
    /// The Markdown of docs/checks.md.
    Markdown,
}

fn parse_framework(text: &str) -> Result<Framework, String> {
    Framework::from_name(text)
        .ok_or_else(|| format!("unknown framework; known: {}", Framework::names()))
}

fn parse_as_of(text: &str) -> Result<time::Date, String> {
    crate::primitives::asof::parse_date_option(text)
}

/// An output path must say what it holds: `-o audit.csv` would otherwise get a workbook under a
/// name that no spreadsheet program opens as one.
fn path_with_extension(text: &str, extension: &str, what: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case(extension) => Ok(path),
        _ => Err(format!("the {what} must be a .{extension} file name")),
    }
}

fn workbook_path(text: &str) -> Result<PathBuf, String> {
    path_with_extension(text, "xlsx", "workbook")
}

fn results_path(text: &str) -> Result<PathBuf, String> {
    path_with_extension(text, "jsonl", "results file")
}
