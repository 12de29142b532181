//! A check's result with what the quarterly workflow adds to it: the approved exception that
//! covers it and its change since the baseline. Written as one line of the results file (the
//! result's fields, then `exception`, `change`, `previous_status` when present), and read back
//! from one as an [`AnnotatedRecord`].

use super::baseline::{Baseline, Change};
use super::exceptions::{ExceptionNote, Exceptions, Match};
use crate::checks::{CheckResult, ResultRecord, Status};
use serde::{Deserialize, Serialize};

/// A result of this run with its workflow annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotated {
    /// The check's result.
    pub result: CheckResult,
    /// The approved exception covering this (non-PASS) result, with `--exceptions`.
    pub exception: Option<ExceptionNote>,
    /// New, unchanged or changed against the baseline, with `--baseline`.
    pub change: Option<Change>,
}

impl From<CheckResult> for Annotated {
    fn from(result: CheckResult) -> Self {
        Annotated {
            result,
            exception: None,
            change: None,
        }
    }
}

/// The results-file line of an annotated result.
#[derive(Serialize)]
struct Line<'a> {
    #[serde(flatten)]
    result: &'a CheckResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    exception: Option<&'a ExceptionNote>,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_status: Option<&'a str>,
}

impl Serialize for Annotated {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Line {
            result: &self.result,
            exception: self.exception.as_ref(),
            change: self.change.as_ref().map(Change::as_str),
            previous_status: self.change.as_ref().and_then(Change::previous),
        }
        .serialize(s)
    }
}

/// A line of a results file read back: the result and its workflow annotations, as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AnnotatedRecord {
    /// The result.
    #[serde(flatten)]
    pub result: ResultRecord,
    /// The approved exception, if one applied.
    #[serde(default)]
    pub exception: Option<ExceptionNote>,
    /// `new`, `unchanged` or `changed` against a baseline.
    #[serde(default)]
    pub change: Option<String>,
    /// The baseline's status of a changed result.
    #[serde(default)]
    pub previous_status: Option<String>,
}

/// Annotates one account's results, in results order: a non-PASS result matched by a live
/// exception (judged on the account's as-of day) carries it, and every result is compared
/// with the baseline.
pub fn annotate(
    results: &mut [Annotated],
    mut exceptions: Option<&mut Exceptions>,
    mut baseline: Option<&mut Baseline>,
    as_of_day: Option<time::Date>,
) {
    for a in results {
        let r = &a.result;
        if let Some(ex) = exceptions.as_deref_mut()
            && r.status != Status::Pass
            && let Match::Live(e) = ex.apply(r.check_id, &r.account_id, &r.resource_arn, as_of_day)
        {
            a.exception = Some(e.note());
        }
        if let Some(b) = baseline.as_deref_mut() {
            a.change = Some(b.compare(r.key(), r.status.as_str()));
        }
    }
}
