//! The checks: one file each, with its metadata and logic, listed once in [`REGISTRY`].
//! The CLI catalogue, the workbook's Checks sheet and `docs/checks.md` all read the registry.

pub mod cis_section;
pub mod frameworks;
pub mod helpers;
pub mod result;

pub use helpers::{CheckContext, Title};

use crate::model::{Account, ExportKind};
pub use result::{CheckResult, ResultKey, ResultRecord, Severity, Status};
use serde::Serialize;

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

impl References {
    /// A check no benchmark or AWS control references (the tool's own tests).
    pub const NONE: References = References {
        cis_v1_4_to_v4: None,
        cis_v5: None,
        cis_v6: None,
        cis_v7: None,
        security_hub: None,
        config_rule: None,
        control_tower: None,
    };
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
    /// `--max-export-age-days`: with `--as-of`, a credential report generated more than this
    /// many days before it is an `export-completeness` difference.
    #[serde(default = "default_max_export_age_days")]
    pub max_export_age_days: i64,
}

fn default_max_export_age_days() -> i64 {
    Thresholds::DEFAULT.max_export_age_days
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
        max_export_age_days: 7,
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
    expired_server_certificates,
    privileged_user_mfa,
    export_completeness,
    org_coverage,
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
