//! Changes since a baseline: last quarter's results (read from its results file or workbook by
//! `output::read_back`). Each result is new, unchanged or changed; baseline results that are
//! gone are resolved (they were findings) or removed (they passed).

use crate::checks::ResultKey;
use serde::Serialize;
use std::collections::BTreeMap;

/// How a result compares with the baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Not in the baseline.
    New,
    /// Same status as in the baseline.
    Unchanged,
    /// A different status than in the baseline.
    Changed {
        /// The baseline's status.
        previous: String,
    },
}

impl Change {
    /// As the results file writes it: `new`, `unchanged` or `changed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Unchanged => "unchanged",
            Change::Changed { .. } => "changed",
        }
    }

    /// The baseline's status of a changed result.
    pub fn previous(&self) -> Option<&str> {
        match self {
            Change::Changed { previous } => Some(previous),
            _ => None,
        }
    }
}

/// A baseline result absent from this run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gone {
    /// The result's identity.
    #[serde(flatten)]
    pub key: ResultKey,
    /// The baseline's status.
    pub previous: String,
    /// `resolved` (was a finding) or `removed` (was a pass).
    pub outcome: &'static str,
}

/// The baseline's results, consumed as this run's results are compared.
#[derive(Debug, Default)]
pub struct Baseline {
    /// What the baseline was read from.
    pub file: String,
    /// SHA-256 of the baseline file.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    previous: BTreeMap<ResultKey, String>,
    /// Counts of new, unchanged, changed.
    pub counts: ChangeCounts,
}

/// How many results fell into each kind of change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ChangeCounts {
    /// Not in the baseline.
    pub new: u64,
    /// Same status.
    pub unchanged: u64,
    /// Different status.
    pub changed: u64,
    /// Baseline findings no longer present.
    pub resolved: u64,
    /// Baseline passes no longer present.
    pub removed: u64,
}

impl Baseline {
    /// The baseline read from `file` (its SHA-256 and size given), with each result's status.
    pub fn new(
        file: String,
        sha256: String,
        size: u64,
        previous: BTreeMap<ResultKey, String>,
    ) -> Baseline {
        Baseline {
            file,
            sha256,
            size,
            previous,
            counts: ChangeCounts::default(),
        }
    }

    /// Compares one result of this run.
    pub fn compare(&mut self, key: ResultKey<&str>, status: &str) -> Change {
        let change = match self.previous.remove(&key.owned()) {
            None => Change::New,
            Some(prev) if prev == status => Change::Unchanged,
            Some(prev) => Change::Changed { previous: prev },
        };
        match change {
            Change::New => self.counts.new += 1,
            Change::Unchanged => self.counts.unchanged += 1,
            Change::Changed { .. } => self.counts.changed += 1,
        }
        change
    }

    /// The baseline results not seen in this run, in key order.
    pub fn gone(&mut self) -> Vec<Gone> {
        let rest = std::mem::take(&mut self.previous);
        rest.into_iter()
            .map(|(key, previous)| {
                let outcome = if previous == "PASS" {
                    self.counts.removed += 1;
                    "removed"
                } else {
                    self.counts.resolved += 1;
                    "resolved"
                };
                Gone {
                    key,
                    previous,
                    outcome,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(resource: &str) -> ResultKey<&str> {
        ResultKey {
            account_id: "1",
            check_id: "root-mfa",
            resource_arn: resource,
            credential: None,
        }
    }

    fn owned(resource: &str) -> ResultKey {
        key(resource).owned()
    }

    #[test]
    fn new_unchanged_changed_resolved_removed() {
        let mut b = Baseline::default();
        b.previous.insert(owned("a"), "FAIL".into());
        b.previous.insert(owned("b"), "FAIL".into());
        b.previous.insert(owned("c"), "FAIL".into());
        b.previous.insert(owned("d"), "PASS".into());
        assert_eq!(b.compare(key("a"), "FAIL"), Change::Unchanged);
        assert_eq!(
            b.compare(key("b"), "PASS"),
            Change::Changed {
                previous: "FAIL".into()
            }
        );
        assert_eq!(b.compare(key("e"), "FAIL"), Change::New);
        let gone = b.gone();
        assert_eq!(
            gone.iter().map(|g| g.outcome).collect::<Vec<_>>(),
            ["resolved", "removed"]
        );
        assert_eq!(
            b.counts,
            ChangeCounts {
                new: 1,
                unchanged: 1,
                changed: 1,
                resolved: 1,
                removed: 1
            }
        );
    }
}
