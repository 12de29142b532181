//! Small helpers the check files share, so a check file holds only its metadata and its logic:
//! the [`CheckContext`] a check runs in, the [`require`] guard for the exports in `META.needs`,
//! the result builders, the as-of [`Clock`], and the credential-report evidence texts.
//! [`policy_sources`] serves the policy checks.

pub mod policy_sources;
pub mod privilege;

use super::{CheckMeta, CheckResult, Status, Thresholds};
use crate::model::credential::CredentialFields;
use crate::model::{
    AccessKey, Account, Authorization, CredentialEntry, CredentialReport, CredentialRow, ExportKind,
};
use crate::primitives::source::{SourceRef, pointer_push};
use time::OffsetDateTime;

/// What a check runs on: the account, and the thresholds and options in force. A new option
/// is a new field of [`Thresholds`]; no check's signature changes.
#[derive(Debug, Clone, Copy)]
pub struct CheckContext<'a> {
    /// The account under test.
    pub account: &'a Account,
    /// The thresholds and options of this run.
    pub thresholds: &'a Thresholds,
}

/// A check's title. A title that states a threshold is written with `{}` where the limit
/// goes, and says the limit in force: the workbook renders it with the run's thresholds, the
/// catalogue and the docs with the defaults.
#[derive(Debug, Clone, Copy)]
pub struct Title {
    text: &'static str,
    limit: Option<fn(&Thresholds) -> i64>,
}

impl Title {
    /// A title without a threshold.
    pub const fn fixed(text: &'static str) -> Title {
        Title { text, limit: None }
    }

    /// A title stating the threshold `limit` reads, at the `{}` in `text`.
    pub const fn with_limit(text: &'static str, limit: fn(&Thresholds) -> i64) -> Title {
        Title {
            text,
            limit: Some(limit),
        }
    }

    /// The title with these thresholds in force.
    pub fn render(&self, thresholds: &Thresholds) -> String {
        match self.limit {
            Some(limit) => self.text.replacen("{}", &limit(thresholds).to_string(), 1),
            None => self.text.to_string(),
        }
    }

    /// The title with the default thresholds (the catalogue and the docs).
    pub fn default_text(&self) -> String {
        self.render(&Thresholds::DEFAULT)
    }
}

impl serde::Serialize for Title {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.default_text())
    }
}

/// An export a check can require: its kind, and where an account holds it.
pub trait Export {
    /// The kind, as `META.needs` lists it.
    const KIND: ExportKind;
    /// The account's export of this kind, when it has one.
    fn of(account: &Account) -> Option<&Self>;
}

impl Export for CredentialReport {
    const KIND: ExportKind = ExportKind::CredentialReport;
    fn of(account: &Account) -> Option<&Self> {
        account.credential_report.as_ref()
    }
}

impl Export for Authorization {
    const KIND: ExportKind = ExportKind::AuthorizationDetails;
    fn of(account: &Account) -> Option<&Self> {
        account.authorization.as_ref()
    }
}

/// The export `E` that the check's `META.needs` names, when the account has it; otherwise
/// pushes the check's single per-account NOT_DETERMINABLE row naming the missing export
/// ([`missing_export`]) and returns `None`.
pub fn require<'a, E: Export>(
    meta: &CheckMeta,
    account: &'a Account,
    out: &mut Vec<CheckResult>,
) -> Option<&'a E> {
    debug_assert!(
        meta.needs.contains(&E::KIND),
        "{} requires an export its META.needs does not list",
        meta.id
    );
    let export = E::of(account);
    if export.is_none() {
        out.push(missing_export(meta, account, E::KIND));
    }
    export
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

/// The NOT_DETERMINABLE result for a principal whose credential report rows conflict, citing
/// every row: "the credential report has {what} (line 4 and line 5)".
pub fn conflicting(
    meta: &CheckMeta,
    account: &Account,
    resource_arn: impl Into<String>,
    what: &str,
    entry: &CredentialEntry,
) -> CheckResult {
    let mut r = result(
        meta,
        account,
        resource_arn,
        Status::NotDeterminable,
        format!("the credential report has {what} ({})", entry.locations()),
        Some(entry.first().source.clone()),
    );
    r.evidence_sources = entry.others().map(|x| x.source.clone()).collect();
    r
}

/// The root row a root check judges: the credential report's one `<root_account>` row. Without
/// a report, without a root row (`unknown` says what that leaves unknown), or with conflicting
/// root rows (each row's values as `describe` renders them), pushes the one NOT_DETERMINABLE
/// row and returns `None`.
pub fn root_row<'a>(
    meta: &CheckMeta,
    account: &'a Account,
    unknown: &str,
    describe: impl Fn(&CredentialFields) -> String,
    out: &mut Vec<CheckResult>,
) -> Option<&'a CredentialRow> {
    let report = require::<CredentialReport>(meta, account, out)?;
    let Some(entry) = &report.root else {
        out.push(result(
            meta,
            account,
            account.root_arn(),
            Status::NotDeterminable,
            format!("the credential report has no <root_account> row; {unknown}"),
            Some(report.header_source.clone()),
        ));
        return None;
    };
    if entry.is_conflicting() {
        out.push(conflicting_rows(
            meta,
            account,
            account.root_arn(),
            "the root user",
            entry,
            None,
            describe,
        ));
        return None;
    }
    Some(entry.first())
}

/// [`conflicting`] for "conflicting rows for {subject}" (`this user`, `the root user`), with
/// each row's values as `describe` renders them for evidence.
pub fn conflicting_rows(
    meta: &CheckMeta,
    account: &Account,
    resource_arn: String,
    subject: &str,
    entry: &CredentialEntry,
    credential: Option<&'static str>,
    describe: impl Fn(&CredentialFields) -> String,
) -> CheckResult {
    let mut r = conflicting(
        meta,
        account,
        resource_arn,
        &format!("conflicting rows for {subject}"),
        entry,
    );
    r.credential = credential;
    r.evidence = entry
        .rows()
        .map(|row| format!("{}: {}", row.source.location, describe(&row.fields)))
        .collect::<Vec<_>>()
        .join(" | ");
    r
}

/// Both access keys of a credential report row as evidence ([`key_evidence`] of each).
pub fn keys_evidence(f: &CredentialFields) -> String {
    format!(
        "{}; {}",
        key_evidence(&f.access_keys[0]),
        key_evidence(&f.access_keys[1])
    )
}

/// A user, group or role with a given AWS-managed policy attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder<'a> {
    /// `user`, `group` or `role`.
    pub kind: &'static str,
    /// Its name.
    pub name: &'a str,
    /// Its ARN.
    pub arn: &'a str,
    /// The attachment's JSON Pointer (`.../AttachedManagedPolicies/N`).
    pub source: SourceRef,
}

impl Holder<'_> {
    /// `role support-team`.
    pub fn label(&self) -> String {
        format!("{} {}", self.kind, self.name)
    }
}

/// True when `arn` is the AWS-managed policy `name`: the path after `iam::aws:policy/`,
/// whatever the partition.
pub fn is_aws_managed_policy(arn: &str, name: &str) -> bool {
    arn.split_once(":iam::aws:policy/")
        .is_some_and(|(head, path)| head.starts_with("arn:") && path == name)
}

/// Every user, group and role (in that order, each once) with the AWS-managed policy `name`
/// in its `AttachedManagedPolicies`.
pub fn aws_managed_holders<'a>(auth: &'a Authorization, name: &str) -> Vec<Holder<'a>> {
    let entities = auth
        .users
        .iter()
        .map(|u| ("user", &u.name, &u.arn, &u.attached, &u.source))
        .chain(
            auth.groups
                .iter()
                .map(|g| ("group", &g.name, &g.arn, &g.attached, &g.source)),
        )
        .chain(
            auth.roles
                .iter()
                .map(|r| ("role", &r.name, &r.arn, &r.attached, &r.source)),
        );
    let mut seen = std::collections::BTreeSet::new();
    let mut holders = Vec::new();
    for (kind, entity_name, arn, attached, source) in entities {
        let Some(i) = attached
            .iter()
            .position(|a| is_aws_managed_policy(&a.arn, name))
        else {
            continue;
        };
        if !seen.insert(arn.as_str()) {
            continue;
        }
        let location = pointer_push(
            &pointer_push(&source.location, "AttachedManagedPolicies"),
            i,
        );
        holders.push(Holder {
            kind,
            name: entity_name,
            arn,
            source: SourceRef {
                location,
                ..source.clone()
            },
        });
    }
    holders
}
