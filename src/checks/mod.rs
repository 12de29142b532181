//! The checks: one file each, with its metadata and logic, listed once in [`REGISTRY`].
//! The CLI catalogue, the workbook's Checks sheet and `docs/checks.md` all read the registry.

pub mod cis_section;
pub mod helpers;

pub use helpers::{CheckContext, Title};

use crate::model::{Account, ExportKind};
use crate::primitives::source::SourceRef;
use serde::Serialize;

/// A result's status (one per tested item).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// The control is in place.
    Pass,
    /// The control is missing.
    Fail,
    /// The control exists with a named gap.
    Partial,
    /// Needs evidence the inputs cannot hold; the reason says which.
    Manual,
    /// The inputs are incomplete; the reason says what is missing.
    NotDeterminable,
}

impl Status {
    /// Every status, in summary-column order.
    pub const ALL: [Status; 5] = [
        Status::Pass,
        Status::Fail,
        Status::Partial,
        Status::Manual,
        Status::NotDeterminable,
    ];

    /// The status as written in results (`NOT_DETERMINABLE`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Partial => "PARTIAL",
            Status::Manual => "MANUAL",
            Status::NotDeterminable => "NOT_DETERMINABLE",
        }
    }
}

/// A result's severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Critical.
    Critical,
    /// High.
    High,
    /// Medium.
    Medium,
    /// Low.
    Low,
}

impl Severity {
    /// The severity as written in results (`high`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

/// One tested item's outcome, carrying its own evidence and source reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    /// Stable check ID.
    pub check_id: &'static str,
    /// The account.
    pub account_id: String,
    /// The tested resource (user, role, policy, or the root ARN for account rows).
    pub resource_arn: String,
    /// `password`, `access_key_1`, `access_key_2`, or null.
    pub credential: Option<&'static str>,
    /// The verdict.
    pub status: Status,
    /// The severity of this item.
    pub severity: Severity,
    /// Why, in words an auditor can paste into a finding.
    pub reason: String,
    /// The input location this result rests on; null for account rows with nothing to cite.
    pub source: Option<SourceRef>,
    /// The evidence values the verdict read (`mfa_active=false; password_last_used=...`).
    pub evidence: String,
    /// Further sources when the evidence spans files (a group, a policy).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence_sources: Vec<SourceRef>,
    /// The approved exception covering this (non-PASS) result, with `--exceptions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<crate::workflow::exceptions::ExceptionNote>,
    /// `new`, `unchanged` or `changed` against the baseline, with `--baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<&'static str>,
    /// The baseline's status of a changed result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_status: Option<String>,
}

impl CheckResult {
    /// The sort key within an account: check ID, resource ARN, credential (null first).
    pub fn sort_key(&self) -> (&str, &str, Option<&str>) {
        (self.check_id, &self.resource_arn, self.credential)
    }
}

/// Where a check is referenced in the frameworks auditors map to.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct References {
    /// CIS AWS Foundations Benchmark v1.4 to v4.0 numbering.
    pub cis_v1_4_to_v4: Option<&'static str>,
    /// CIS v5 numbering.
    pub cis_v5: Option<&'static str>,
    /// CIS v6 numbering.
    pub cis_v6: Option<&'static str>,
    /// CIS v7 numbering.
    pub cis_v7: Option<&'static str>,
    /// AWS Security Hub control.
    pub security_hub: Option<&'static str>,
    /// AWS Config managed rule.
    pub config_rule: Option<&'static str>,
    /// AWS Control Tower guardrail.
    pub control_tower: Option<&'static str>,
}

/// A check's metadata: the one source for the CLI listing, the Checks sheet and the docs.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CheckMeta {
    /// Stable ID.
    pub id: &'static str,
    /// Title, stating the threshold in force where the check has one.
    pub title: Title,
    /// Default severity.
    pub severity: Severity,
    /// How severity varies per result, when it does.
    pub severity_note: Option<&'static str>,
    /// What is tested, one result per what.
    pub population: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// How to fix a failure.
    pub remediation: &'static str,
    /// What each status means for this check.
    pub statuses: &'static [(Status, &'static str)],
    /// Framework references.
    pub references: References,
    /// The exports the check reads (listed in the catalogue so an auditor knows what to request).
    #[serde(serialize_with = "ser_needs")]
    pub needs: &'static [ExportKind],
}

fn ser_needs<S: serde::Serializer>(needs: &&'static [ExportKind], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(needs.iter().map(|k| k.label()))
}

/// Thresholds and options the checks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Thresholds {
    /// `--max-key-age-days`: FAIL when a key's age is greater.
    pub max_key_age_days: i64,
    /// `--max-unused-days`: FAIL when unused for this many days or more.
    pub max_unused_days: i64,
    /// `--min-password-length`.
    pub min_password_length: u64,
    /// `--min-password-reuse`.
    pub min_password_reuse: u64,
    /// `--root-usage-days`: FAIL when root was used fewer than this many days before the as-of.
    #[serde(default = "default_root_usage_days")]
    pub root_usage_days: i64,
}

fn default_root_usage_days() -> i64 {
    Thresholds::DEFAULT.root_usage_days
}

impl Thresholds {
    /// The defaults: the one place the CLI options and the catalogue take them from.
    pub const DEFAULT: Thresholds = Thresholds {
        max_key_age_days: 90,
        max_unused_days: 45,
        min_password_length: 14,
        min_password_reuse: 24,
        root_usage_days: 90,
    };
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds::DEFAULT
    }
}

/// A registered check: its metadata and its function.
pub struct Check {
    /// Metadata.
    pub meta: &'static CheckMeta,
    /// Tests one account, appending one result per tested item.
    pub run: fn(&CheckContext<'_>, &mut Vec<CheckResult>),
}

/// Declares each check's module and lists it in [`REGISTRY`]: a check is its file plus its
/// line in the `registry!` call below.
macro_rules! registry {
    ($($check:ident),* $(,)?) => {
        $(pub mod $check;)*

        /// Every check, in catalogue order.
        pub const REGISTRY: &[Check] = &[$(Check { meta: &$check::META, run: $check::run }),*];
    };
}

registry! {
    console_user_mfa,
    root_mfa,
    root_hardware_mfa,
    root_usage,
    mfa_enforced_by_policy,
    cross_account_role_mfa,
    root_access_keys,
    access_key_rotation,
    unused_credentials,
    single_active_access_key,
    no_initial_setup_keys,
    no_user_attached_policies,
    no_full_admin_policies,
    password_policy,
    support_role,
    cloudshell_full_access,
}

/// The check with this ID.
pub fn find(id: &str) -> Option<&'static Check> {
    REGISTRY.iter().find(|c| c.meta.id == id)
}

/// Runs every check on an account; results sorted by check ID, resource ARN, credential.
pub fn run_all(account: &Account, thresholds: &Thresholds) -> Vec<CheckResult> {
    let cx = CheckContext {
        account,
        thresholds,
    };
    let mut out = Vec::new();
    for check in REGISTRY {
        (check.run)(&cx, &mut out);
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// Builders for unit tests: a small [`Account`] in code, one row or entity at a time.
#[cfg(test)]
pub(crate) mod testing;
