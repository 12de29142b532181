//! The checks: one file each, with its metadata and logic, listed once in [`REGISTRY`].
//! The CLI catalogue, the workbook's Checks sheet and `docs/checks.md` all read the registry.

pub mod console_user_mfa;
pub mod cross_account_role_mfa;
pub mod mfa_enforced_by_policy;
pub mod no_full_admin_policies;
pub mod policy_sources;
pub mod root_mfa;

use crate::model::{Account, ExportKind};
use crate::source::SourceRef;
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
    /// Title.
    pub title: &'static str,
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
    /// The exports the check reads.
    #[serde(skip)]
    pub needs: &'static [ExportKind],
}

/// Thresholds and options the checks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Thresholds {
    /// `--max-key-age-days`: FAIL when a key's age is greater.
    pub max_key_age_days: i64,
    /// `--max-unused-days`: FAIL when unused for this many days or more.
    pub max_unused_days: i64,
    /// `--min-password-length`.
    pub min_password_length: u64,
    /// `--min-password-reuse`.
    pub min_password_reuse: u64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            max_key_age_days: 90,
            max_unused_days: 45,
            min_password_length: 14,
            min_password_reuse: 24,
        }
    }
}

/// A registered check: its metadata and its function.
pub struct Check {
    /// Metadata.
    pub meta: &'static CheckMeta,
    /// Tests one account, appending one result per tested item.
    pub run: fn(&Account, &Thresholds, &mut Vec<CheckResult>),
}

/// Every check, in catalogue order.
pub const REGISTRY: &[Check] = &[
    Check {
        meta: &console_user_mfa::META,
        run: console_user_mfa::run,
    },
    Check {
        meta: &root_mfa::META,
        run: root_mfa::run,
    },
    Check {
        meta: &mfa_enforced_by_policy::META,
        run: mfa_enforced_by_policy::run,
    },
    Check {
        meta: &cross_account_role_mfa::META,
        run: cross_account_role_mfa::run,
    },
    Check {
        meta: &no_full_admin_policies::META,
        run: no_full_admin_policies::run,
    },
];

/// The check with this ID.
pub fn find(id: &str) -> Option<&'static Check> {
    REGISTRY.iter().find(|c| c.meta.id == id)
}

/// Runs every check on an account; results sorted by check ID, resource ARN, credential.
pub fn run_all(account: &Account, thresholds: &Thresholds) -> Vec<CheckResult> {
    let mut out = Vec::new();
    for check in REGISTRY {
        (check.run)(account, thresholds, &mut out);
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// A result for this check with the check's default severity.
pub fn result(
    meta: &CheckMeta,
    account: &Account,
    resource_arn: impl Into<String>,
    status: Status,
    reason: impl Into<String>,
    source: Option<SourceRef>,
) -> CheckResult {
    CheckResult {
        check_id: meta.id,
        account_id: account.id.clone(),
        resource_arn: resource_arn.into(),
        credential: None,
        status,
        severity: meta.severity,
        reason: reason.into(),
        source,
        evidence: String::new(),
        evidence_sources: Vec::new(),
    }
}

/// The single per-account NOT_DETERMINABLE row when an export the check needs is unavailable.
pub fn missing_export(meta: &CheckMeta, account: &Account, kind: ExportKind) -> CheckResult {
    result(
        meta,
        account,
        account.root_arn(),
        Status::NotDeterminable,
        account.missing_reason(kind),
        None,
    )
}
