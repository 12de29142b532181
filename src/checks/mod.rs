//! The checks: one file each, with its metadata and logic, listed once in [`REGISTRY`].
//! The CLI catalogue, the workbook's Checks sheet and `docs/checks.md` all read the registry.

pub mod access_key_rotation;
pub mod console_user_mfa;
pub mod cross_account_role_mfa;
pub mod mfa_enforced_by_policy;
pub mod no_full_admin_policies;
pub mod no_user_attached_policies;
pub mod password_policy;
pub mod policy_sources;
pub mod privilege;
pub mod privileged_user_mfa;
pub mod root_access_keys;
pub mod root_mfa;
pub mod single_active_access_key;
pub mod unused_credentials;

use crate::model::credential::CredentialFields;
use crate::model::{AccessKey, Account, CredentialEntry, ExportKind};
use crate::primitives::source::SourceRef;
use serde::Serialize;
use time::OffsetDateTime;

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
        meta: &root_access_keys::META,
        run: root_access_keys::run,
    },
    Check {
        meta: &access_key_rotation::META,
        run: access_key_rotation::run,
    },
    Check {
        meta: &unused_credentials::META,
        run: unused_credentials::run,
    },
    Check {
        meta: &single_active_access_key::META,
        run: single_active_access_key::run,
    },
    Check {
        meta: &no_user_attached_policies::META,
        run: no_user_attached_policies::run,
    },
    Check {
        meta: &no_full_admin_policies::META,
        run: no_full_admin_policies::run,
    },
    Check {
        meta: &password_policy::META,
        run: password_policy::run,
    },
    Check {
        meta: &privileged_user_mfa::META,
        run: privileged_user_mfa::run,
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
        exception: None,
        change: None,
        previous_status: None,
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

/// The account's as-of instant as the age-based checks measure against and cite it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    /// The instant ages are measured to.
    pub instant: OffsetDateTime,
    /// How reasons name it: the `--as-of` date (its end), else the exact UTC instant.
    pub label: String,
    /// How evidence records it: the instant and the rule that chose it.
    pub evidence: String,
}

/// A credential's age in whole days before the as-of, and how a reason says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Age {
    /// Whole days, floored; 0 when the timestamp is after the as-of.
    pub days: i64,
    /// `124 days before as-of 2024-06-06`, or `dated after as-of 2024-06-06, so age 0`.
    pub phrase: String,
}

/// Why an age cannot be measured when the account has no as-of instant.
pub const NO_AS_OF: &str = "no as-of date to measure age against (no --as-of option, no credential report \
                            GeneratedTime, no timestamp in the credential report)";

impl Clock {
    /// The account's clock, when it has an as-of instant.
    pub fn of(account: &Account) -> Option<Clock> {
        let instant = account.as_of.instant?;
        let label = match account.as_of.rule {
            // The instant is the next midnight; reasons name the date the auditor gave.
            crate::primitives::asof::AsOfRule::Option => crate::primitives::timestamp::format_date(
                instant.checked_sub(time::Duration::DAY).unwrap_or(instant),
            ),
            _ => crate::primitives::timestamp::format_utc(instant),
        };
        let evidence = format!(
            "as_of={} ({})",
            crate::primitives::timestamp::format_utc(instant),
            account.as_of.rule.describe()
        );
        Some(Clock {
            instant,
            label,
            evidence,
        })
    }

    /// The age of a timestamp: `floor((as_of - t) / 24 h)`, 0 when `t` is after the as-of.
    pub fn age(&self, t: OffsetDateTime) -> Age {
        if t > self.instant {
            return Age {
                days: 0,
                phrase: format!("dated after as-of {}, so age 0", self.label),
            };
        }
        let days = crate::primitives::timestamp::whole_days(t, self.instant);
        let unit = if days == 1 { "day" } else { "days" };
        Age {
            days,
            phrase: format!("{days} {unit} before as-of {}", self.label),
        }
    }
}

/// An access key's credential report columns as evidence
/// (`access_key_1_active=true; access_key_1_last_rotated=...; access_key_1_last_used_date=...`).
pub fn key_evidence(key: &AccessKey) -> String {
    let n = key.slot;
    format!(
        "access_key_{n}_active={}; access_key_{n}_last_rotated={}; access_key_{n}_last_used_date={}",
        key.active,
        key.last_rotated.describe(),
        key.last_used.describe()
    )
}

/// The NOT_DETERMINABLE result for a principal whose credential report rows conflict: cites
/// every row, and records each row's values as `describe` renders them. `subject` names the
/// principal in the reason (`this user`, `the root user`).
pub fn conflicting_rows(
    meta: &CheckMeta,
    account: &Account,
    resource_arn: String,
    subject: &str,
    entry: &CredentialEntry,
    credential: Option<&'static str>,
    describe: impl Fn(&CredentialFields) -> String,
) -> CheckResult {
    let mut r = result(
        meta,
        account,
        resource_arn,
        Status::NotDeterminable,
        format!(
            "the credential report has conflicting rows for {subject} ({})",
            entry.locations()
        ),
        Some(entry.first().source.clone()),
    );
    r.credential = credential;
    r.evidence = entry
        .rows
        .iter()
        .map(|row| format!("{}: {}", row.source.location, describe(&row.fields)))
        .collect::<Vec<_>>()
        .join(" | ");
    r.evidence_sources = entry.rows[1..].iter().map(|x| x.source.clone()).collect();
    r
}

/// Builders for unit tests: a small [`Account`] in code, one credential report row at a time.
#[cfg(test)]
pub(crate) mod testing {
    use super::{CheckResult, Thresholds};
    use crate::model::credential::CredentialFields;
    use crate::model::iam::User;
    use crate::model::{
        AccessKey, Account, Authorization, CredentialEntry, CredentialReport, CredentialRow, Dated,
        Flag,
    };
    use crate::primitives::asof::{AsOf, AsOfRule};
    use crate::primitives::source::FileRef;
    use std::sync::Arc;

    /// The account every builder uses.
    pub const ACCOUNT: &str = "123456789012";

    /// The credential report file rows cite.
    pub fn report_file() -> FileRef {
        FileRef {
            file: "credential-report.csv".into(),
            sha256: "0".repeat(64).into(),
        }
    }

    /// The authorization export file users cite.
    pub fn authorization_file() -> FileRef {
        FileRef {
            file: "authorization.json".into(),
            sha256: "1".repeat(64).into(),
        }
    }

    /// A timestamp from report text (`2024-06-06T10:00:00Z`).
    pub fn at(text: &str) -> Dated {
        match crate::primitives::timestamp::parse(text) {
            Some(t) => Dated::At(t),
            None => panic!("bad timestamp in test: {text}"),
        }
    }

    /// `--as-of DATE` (the end of that day).
    pub fn as_of_option(date: &str) -> AsOf {
        let d = crate::primitives::asof::parse_date_option(date).unwrap();
        AsOf::choose(Some(d), None, None)
    }

    /// An exact as-of instant, as from a report's GeneratedTime.
    pub fn as_of_generated(instant: &str) -> AsOf {
        AsOf {
            instant: at(instant).instant(),
            rule: AsOfRule::GeneratedTime,
        }
    }

    /// An account with an empty credential report (no root row, no users), as-of
    /// `--as-of 2024-06-06`, no authorization export, no password policy.
    pub fn account() -> Account {
        Account {
            id: ACCOUNT.into(),
            partition: "aws".into(),
            credential_report: Some(CredentialReport {
                generated_time: None,
                latest_timestamp: None,
                root: None,
                users: Vec::new(),
                header_source: report_file().at("line 1"),
            }),
            authorization: None,
            authorization_sources: Vec::new(),
            password_policy: None,
            virtual_mfa: None,
            summary: None,
            org: Arc::default(),
            known_accounts: Arc::default(),
            left_out: Vec::new(),
            as_of: as_of_option("2024-06-06"),
        }
    }

    /// A key slot with no key (`N/A` everywhere).
    pub fn no_key(slot: u8) -> AccessKey {
        AccessKey {
            slot,
            active: false,
            last_rotated: Dated::NotApplicable,
            last_used: Dated::NotApplicable,
        }
    }

    /// A key: active or not, rotated and last used as given.
    pub fn key(slot: u8, active: bool, last_rotated: Dated, last_used: Dated) -> AccessKey {
        AccessKey {
            slot,
            active,
            last_rotated,
            last_used,
        }
    }

    /// An IAM user created 2024-01-01 with no password, no MFA and no keys.
    pub fn user(name: &str) -> CredentialFields {
        CredentialFields {
            user: name.into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
            user_creation_time: at("2024-01-01T00:00:00Z"),
            password_enabled: Flag::False,
            password_last_used: Dated::NotApplicable,
            password_last_changed: Dated::NotApplicable,
            mfa_active: false,
            access_keys: [no_key(1), no_key(2)],
        }
    }

    /// The root row of an older report (`not_supported` password columns), no keys.
    pub fn root() -> CredentialFields {
        CredentialFields {
            user: "<root_account>".into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:root"),
            user_creation_time: at("2020-01-01T00:00:00Z"),
            password_enabled: Flag::NotSupported,
            password_last_used: at("2024-05-01T00:00:00Z"),
            password_last_changed: Dated::NotSupported,
            mfa_active: true,
            access_keys: [no_key(1), no_key(2)],
        }
    }

    /// An entry from rows on consecutive lines starting at `line`.
    pub fn entry(line: usize, rows: Vec<CredentialFields>) -> CredentialEntry {
        CredentialEntry {
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, fields)| CredentialRow {
                    fields,
                    source: report_file().at(format!("line {}", line + i)),
                })
                .collect(),
        }
    }

    /// Adds users to the account's credential report, one row each from line 3 on.
    pub fn with_users(mut account: Account, users: Vec<CredentialFields>) -> Account {
        if let Some(report) = account.credential_report.as_mut() {
            for u in users {
                let line = 3 + report.users.len();
                report.users.push(entry(line, vec![u]));
            }
        }
        account
    }

    /// Sets the account's root row (line 2).
    pub fn with_root(mut account: Account, root: CredentialFields) -> Account {
        if let Some(report) = account.credential_report.as_mut() {
            report.root = Some(entry(2, vec![root]));
        }
        account
    }

    /// An authorization-export user with no policies.
    pub fn iam_user(index: usize, name: &str) -> User {
        User {
            name: name.into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
            canonical_arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
            groups: Vec::new(),
            inline_policies: Vec::new(),
            attached: Vec::new(),
            boundary: None,
            source: authorization_file().at(format!("/UserDetailList/{index}")),
        }
    }

    /// Sets the account's authorization export to these users.
    pub fn with_authorization(mut account: Account, users: Vec<User>) -> Account {
        account.authorization = Some(Authorization {
            users,
            ..Authorization::default()
        });
        account
    }

    /// A check's run function.
    pub type RunFn = fn(&Account, &Thresholds, &mut Vec<CheckResult>);

    /// Runs one check with these thresholds.
    pub fn run_with(check: RunFn, account: &Account, thresholds: &Thresholds) -> Vec<CheckResult> {
        let mut out = Vec::new();
        check(account, thresholds, &mut out);
        out
    }

    /// Runs one check with the default thresholds.
    pub fn run(check: RunFn, account: &Account) -> Vec<CheckResult> {
        run_with(check, account, &Thresholds::default())
    }
}
