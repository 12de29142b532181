//! A check's outcome: one result per tested item, its status and severity.

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
