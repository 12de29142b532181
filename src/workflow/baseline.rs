//! Changes since a baseline: last quarter's results file (JSONL) or workbook (.xlsx). Each
//! result is new, unchanged or changed; baseline results that are gone are resolved (they were
//! findings) or removed (they passed).

use crate::primitives::error::InputError;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A result's identity across runs: account, check, resource, credential ("" for none).
pub type Key = (String, String, String, String);

/// How a result compares with the baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "lowercase")]
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
    /// How the workbook shows it.
    pub fn describe(&self) -> String {
        match self {
            Change::New => "new".into(),
            Change::Unchanged => "unchanged".into(),
            Change::Changed { previous } => format!("changed (was {previous})"),
        }
    }
}

/// A baseline result absent from this run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gone {
    /// Account.
    pub account_id: String,
    /// Check.
    pub check_id: String,
    /// Resource.
    pub resource_arn: String,
    /// Credential, or null.
    pub credential: Option<String>,
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
    previous: BTreeMap<Key, String>,
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
    /// Reads a results JSONL or a workbook's Results sheets (recognized by content).
    pub fn read(path: &Path) -> Result<Baseline, InputError> {
        let display = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| InputError::file(&display, format!("cannot read: {e}")))?;
        let previous = if bytes.starts_with(b"PK\x03\x04") {
            from_workbook(path, &display)?
        } else {
            from_jsonl(&bytes, &display)?
        };
        Ok(Baseline {
            file: display,
            sha256: crate::primitives::digest::sha256_hex(&bytes),
            size: bytes.len() as u64,
            previous,
            counts: ChangeCounts::default(),
        })
    }

    /// Compares one result of this run.
    pub fn compare(&mut self, key: Key, status: &str) -> Change {
        let change = match self.previous.remove(&key) {
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
            .map(
                |((account_id, check_id, resource_arn, credential), previous)| {
                    let outcome = if previous == "PASS" {
                        "removed"
                    } else {
                        "resolved"
                    };
                    if outcome == "removed" {
                        self.counts.removed += 1;
                    } else {
                        self.counts.resolved += 1;
                    }
                    Gone {
                        account_id,
                        check_id,
                        resource_arn,
                        credential: (!credential.is_empty()).then_some(credential),
                        previous,
                        outcome,
                    }
                },
            )
            .collect()
    }
}

fn from_jsonl(bytes: &[u8], file: &str) -> Result<BTreeMap<Key, String>, InputError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| InputError::file(file, "expected a UTF-8 results file"))?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let r: crate::output::jsonl::ResultRecord = serde_json::from_str(line).map_err(|e| {
            InputError::at(
                file,
                format!("line {}", i + 1),
                format!("expected a results line: {e}"),
            )
        })?;
        out.insert(
            (
                r.account_id,
                r.check_id,
                r.resource_arn,
                r.credential.unwrap_or_default(),
            ),
            r.status,
        );
    }
    Ok(out)
}

fn from_workbook(path: &Path, file: &str) -> Result<BTreeMap<Key, String>, InputError> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path)
        .map_err(|e| InputError::file(file, format!("not a readable workbook: {e}")))?;
    let sheets: Vec<String> = wb
        .sheet_names()
        .iter()
        .filter(|n| {
            *n == "Results"
                || n.strip_prefix("Results ")
                    .is_some_and(|r| r.parse::<u32>().is_ok())
        })
        .cloned()
        .collect();
    if sheets.is_empty() {
        return Err(InputError::file(
            file,
            "expected a workbook written by iam-evidence (no Results sheet)",
        ));
    }
    let mut out = BTreeMap::new();
    for name in sheets {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| InputError::file(file, format!("sheet {name}: {e}")))?;
        let mut rows = range.rows();
        let header: Vec<String> = rows
            .next()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .unwrap_or_default();
        let col = |h: &str| header.iter().position(|x| x == h);
        let (Some(a), Some(c), Some(r), Some(cr), Some(s)) = (
            col("Account"),
            col("Check ID"),
            col("Resource"),
            col("Credential"),
            col("Status"),
        ) else {
            return Err(InputError::at(
                file,
                format!("sheet {name} row 1"),
                "expected the Results columns",
            ));
        };
        for row in rows {
            let cell = |i: usize| row.get(i).map(|x| x.to_string()).unwrap_or_default();
            out.insert((cell(a), cell(c), cell(r), cell(cr)), cell(s));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(resource: &str) -> Key {
        (
            "1".into(),
            "root-mfa".into(),
            resource.into(),
            String::new(),
        )
    }

    #[test]
    fn new_unchanged_changed_resolved_removed() {
        let mut b = Baseline::default();
        b.previous.insert(key("a"), "FAIL".into());
        b.previous.insert(key("b"), "FAIL".into());
        b.previous.insert(key("c"), "FAIL".into());
        b.previous.insert(key("d"), "PASS".into());
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
