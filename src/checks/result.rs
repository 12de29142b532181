//! A check's outcome: one result per tested item, its status and severity; a result's
//! identity across runs ([`ResultKey`]); and a result read back from a results file
//! ([`ResultRecord`]). What the quarterly workflow adds to a result (an exception, a change
//! since the baseline) is not here: `workflow` wraps results, the checks never see it.

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
}

impl CheckResult {
    /// The sort key within an account: check ID, resource ARN, credential (null first).
    pub fn sort_key(&self) -> (&str, &str, Option<&str>) {
        (self.check_id, &self.resource_arn, self.credential)
    }

    /// The result's identity.
    pub fn key(&self) -> ResultKey<&str> {
        ResultKey {
            account_id: &self.account_id,
            check_id: self.check_id,
            resource_arn: &self.resource_arn,
            credential: self.credential,
        }
    }
}

/// A result's identity across runs and files: account, check, resource, credential. Ordered
/// as results are written (credential none first). `S` is `&str` for a key borrowed from a
/// result, `String` for one kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ResultKey<S = String> {
    /// Account.
    pub account_id: S,
    /// Check ID.
    pub check_id: S,
    /// Tested resource.
    pub resource_arn: S,
    /// `password`, `access_key_1`, `access_key_2`, or none.
    pub credential: Option<S>,
}

impl ResultKey {
    /// The key borrowing these strings.
    pub fn borrowed(&self) -> ResultKey<&str> {
        ResultKey {
            account_id: &self.account_id,
            check_id: &self.check_id,
            resource_arn: &self.resource_arn,
            credential: self.credential.as_deref(),
        }
    }
}

impl ResultKey<&str> {
    /// The key with owned strings, to keep.
    pub fn owned(&self) -> ResultKey {
        ResultKey {
            account_id: self.account_id.to_string(),
            check_id: self.check_id.to_string(),
            resource_arn: self.resource_arn.to_string(),
            credential: self.credential.map(str::to_string),
        }
    }
}

impl<S: AsRef<str>> std::fmt::Display for ResultKey<S> {
    /// `ACCOUNT CHECK RESOURCE CREDENTIAL`, without trailing blanks.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = format!(
            "{} {} {} {}",
            self.account_id.as_ref(),
            self.check_id.as_ref(),
            self.resource_arn.as_ref(),
            self.credential.as_ref().map_or("", AsRef::as_ref)
        );
        f.write_str(text.trim_end())
    }
}

/// A result read back from a results file (owned strings, status and severity as written).
/// The workflow's additions on the same line are read by `workflow::AnnotatedRecord`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct ResultRecord {
    /// Check ID.
    pub check_id: String,
    /// Account.
    pub account_id: String,
    /// Resource.
    pub resource_arn: String,
    /// Credential or null.
    pub credential: Option<String>,
    /// Status.
    pub status: String,
    /// Severity.
    pub severity: String,
    /// Reason.
    pub reason: String,
    /// Source reference.
    pub source: Option<SourceRecord>,
    /// Evidence values.
    #[serde(default)]
    pub evidence: String,
}

impl ResultRecord {
    /// The result's identity.
    pub fn key(&self) -> ResultKey<&str> {
        ResultKey {
            account_id: &self.account_id,
            check_id: &self.check_id,
            resource_arn: &self.resource_arn,
            credential: self.credential.as_deref(),
        }
    }
}

/// A source reference read back from a results file.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct SourceRecord {
    /// File.
    pub file: String,
    /// SHA-256.
    pub sha256: String,
    /// Location.
    pub location: String,
}
