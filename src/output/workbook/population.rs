//! The Population sheet: one row per account, listed in the organization's account list or
//! audited: its organization status and `org-coverage` verdict, partition, which exports were
//! read, the report's generation time, the as-of and its rule, the counts the exports give side
//! by side, and the `export-completeness` verdict with its differences. Also the figures of the
//! cover's "Completeness of the population" section ([`completeness`]).

use super::cells::{Kind, Limits, iso_datetime, number, text};
use super::paged::{Layout, Pages, pages};
use crate::checks::Status;
use crate::model::OrgAccounts;
use crate::model::supplementary::OrgAccount;
use crate::output::error::OutputError;
use crate::output::meta::{AccountRecord, RunRecord};
use rust_xlsxwriter::Worksheet;
use std::collections::BTreeSet;

/// Population sheet columns.
pub const HEADERS: [&str; 25] = [
    "Account",
    "Account name",
    "Organization status",
    "Org coverage",
    "Org coverage reason",
    "Partition",
    "Exports read",
    "Missing exports",
    "Report generated (UTC)",
    "As-of (UTC)",
    "As-of rule",
    "Credential report users",
    "Authorization users",
    "Summary Users",
    "Authorization groups",
    "Summary Groups",
    "Authorization roles",
    "Summary Roles",
    "Customer managed policies",
    "Summary Policies",
    "Summary AccountMFAEnabled",
    "Summary AccountAccessKeysPresent",
    "Summary AccountPasswordPresent",
    "Reconciliation (export-completeness)",
    "Differences",
];

/// The sheet's name.
pub const NAME: &str = "Population";

/// One account of the population: audited (with its record) or only listed.
pub struct PopulationRow<'a> {
    /// Account ID.
    pub account_id: String,
    /// The account's name in the organization's account list, if it gives one.
    pub name: Option<String>,
    /// The audited account's record; `None` for a listed account with no exports.
    pub audited: Option<&'a AccountRecord>,
    /// The organization status ("not listed", "no account list").
    pub org_status: String,
    /// The `org-coverage` verdict, when a list was read.
    pub coverage: Option<(Status, String)>,
    /// The partition (the account's exports, else the list's `Arn`, else `aws`).
    pub partition: String,
}

/// The population of a run: its audited accounts (in account order) and the listed accounts
/// it did not audit, whose rows are made one at a time.
pub struct Population<'a> {
    org: Option<&'a OrgAccounts>,
    audited: Vec<&'a AccountRecord>,
    audited_ids: BTreeSet<&'a str>,
    listed_only: usize,
}

impl<'a> Population<'a> {
    /// The population of the run `record` describes.
    pub fn of(record: &'a RunRecord) -> Population<'a> {
        let org = record.org.as_ref().map(|o| &*o.list);
        let mut audited: Vec<&AccountRecord> = record.accounts.iter().collect();
        audited.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        let audited_ids: BTreeSet<&str> = audited.iter().map(|a| a.account_id.as_str()).collect();
        let listed_only = org.map_or(0, |o| {
            o.entries()
                .filter(|e| !audited_ids.contains(&*e.id))
                .count()
        });
        Population {
            org,
            audited,
            audited_ids,
            listed_only,
        }
    }

    /// How many rows: audited accounts and listed accounts not audited.
    fn count(&self) -> usize {
        self.audited.len() + self.listed_only
    }

    /// Every account of the population in account order (an audited account before a listed
    /// one with the same ID).
    pub fn rows(&self) -> impl Iterator<Item = PopulationRow<'a>> + '_ {
        let mut audited = self.audited.iter().copied().peekable();
        let mut listed = self
            .org
            .into_iter()
            .flat_map(|o| o.entries())
            .filter(|e| !self.audited_ids.contains(&*e.id))
            .peekable();
        std::iter::from_fn(move || {
            let audited_first = match (audited.peek(), listed.peek()) {
                (Some(a), Some(e)) => *a.account_id <= *e.id,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if audited_first {
                audited.next().map(|a| self.audited_row(a))
            } else {
                listed.next().map(|e| self.listed_row(e))
            }
        })
    }

    fn audited_row(&self, a: &'a AccountRecord) -> PopulationRow<'a> {
        let (org_status, coverage) = match self.org {
            None => ("no account list".to_string(), None),
            Some(org) => {
                let entry = org.get(&a.account_id);
                let status =
                    entry.map_or_else(|| "not listed".to_string(), |e| e.state_label().to_string());
                let verdict = crate::checks::org_coverage::assess(
                    entry,
                    org.incomplete,
                    &a.population.missing,
                );
                (status, Some(verdict))
            }
        };
        PopulationRow {
            account_id: a.account_id.clone(),
            name: a.name.clone(),
            audited: Some(a),
            org_status,
            coverage,
            partition: a.partition.clone(),
        }
    }

    fn listed_row(&self, entry: &OrgAccount) -> PopulationRow<'a> {
        let incomplete = self.org.is_some_and(|o| o.incomplete);
        let missing = crate::checks::org_coverage::missing_everything();
        PopulationRow {
            account_id: entry.id.to_string(),
            name: entry.name.as_deref().map(str::to_string),
            audited: None,
            org_status: entry.state_label().to_string(),
            coverage: Some(crate::checks::org_coverage::assess(
                Some(entry),
                incomplete,
                &missing,
            )),
            partition: entry.partition().unwrap_or("aws").to_string(),
        }
    }
}

/// The figures of the cover's "Completeness of the population" section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completeness {
    /// An organization account list was read.
    pub list_read: bool,
    /// The list ends with a `NextToken` (more pages were not collected).
    pub list_incomplete: bool,
    /// Accounts in the list.
    pub listed: usize,
    /// Accounts audited.
    pub audited: usize,
    /// Listed accounts missing an export (FAIL or MANUAL in `org-coverage`).
    pub listed_missing: Vec<String>,
    /// Of those, the ACTIVE ones (FAIL).
    pub active_missing: Vec<String>,
    /// Audited accounts not in the list.
    pub not_listed: Vec<String>,
    /// Audited accounts whose exports disagree (`export-completeness` FAIL).
    pub disagreeing: Vec<String>,
    /// Audited accounts whose exports could not be reconciled (not PASS, not FAIL).
    pub unreconciled: Vec<String>,
}

impl Completeness {
    /// True only when a complete list was read and every `org-coverage` and
    /// `export-completeness` row is PASS.
    pub fn is_complete(&self) -> bool {
        self.list_read
            && !self.list_incomplete
            && self.listed_missing.is_empty()
            && self.not_listed.is_empty()
            && self.disagreeing.is_empty()
            && self.unreconciled.is_empty()
    }
}

/// The cover's figures, from the population rows.
pub fn completeness(record: &RunRecord) -> Completeness {
    let mut c = Completeness {
        list_read: record.org.is_some(),
        list_incomplete: record.org.as_ref().is_some_and(|o| o.list.incomplete),
        listed: record.org.as_ref().map_or(0, |o| o.list.len()),
        audited: record.accounts.len(),
        ..Completeness::default()
    };
    for row in Population::of(record).rows() {
        let id = row.account_id.clone();
        if let Some((status, _)) = &row.coverage {
            match (row.org_status.as_str(), status) {
                ("not listed", _) => c.not_listed.push(id.clone()),
                (_, Status::Fail) => {
                    c.listed_missing.push(id.clone());
                    c.active_missing.push(id.clone());
                }
                (_, Status::Pass) => {}
                _ => c.listed_missing.push(id.clone()),
            }
        }
        if let Some(a) = row.audited {
            match a
                .population
                .reconciliation
                .as_ref()
                .map(|(s, _)| s.as_str())
            {
                Some("PASS") => {}
                Some("FAIL") => c.disagreeing.push(id),
                _ => c.unreconciled.push(id),
            }
        }
    }
    c
}

/// Builds the Population sheet.
pub fn sheets(
    book: &Pages<'_>,
    record: &RunRecord,
    limits: &Limits,
) -> Result<Vec<Worksheet>, OutputError> {
    let population = Population::of(record);
    let mut rows = population.rows();
    let typed: Vec<(u16, Kind)> = [(8, Kind::Date), (9, Kind::Date)]
        .into_iter()
        .chain((11..=22).map(|c| (c, Kind::Count)))
        .collect();
    pages(
        book,
        &Layout {
            name: NAME,
            headers: &HEADERS,
            wrap: &[4, 6, 7, 24],
            typed: &typed,
        },
        population.count() as u64,
        limits,
        |_, _| Ok(()),
        |ws, r, w| {
            let Some(row) = rows.next() else {
                return Ok(());
            };
            text(ws, r, 0, &row.account_id, w)?;
            text(ws, r, 1, row.name.as_deref().unwrap_or_default(), w)?;
            text(ws, r, 2, &row.org_status, w)?;
            if let Some((status, reason)) = &row.coverage {
                text(ws, r, 3, status.as_str(), w)?;
                text(ws, r, 4, reason, w)?;
            }
            text(ws, r, 5, &row.partition, w)?;
            let Some(a) = row.audited else {
                text(ws, r, 6, "none", w)?;
                text(
                    ws,
                    r,
                    7,
                    "all: no exports for this account in the inputs",
                    w,
                )?;
                return Ok(());
            };
            let p = &a.population;
            text(ws, r, 6, &p.exports_read(), w)?;
            text(ws, r, 7, &p.missing.join("; "), w)?;
            if let Some(t) = &a.report_time {
                iso_datetime(ws, r, 8, t, w)?;
            }
            if let Some(t) = &a.as_of {
                iso_datetime(ws, r, 9, t, w)?;
            }
            text(ws, r, 10, a.as_of_rule.describe(), w)?;
            let counts = [
                (11, p.report_users.map(|n| n as i64)),
                (12, p.authorization_users.map(|n| n as i64)),
                (13, p.summary.get("Users").copied()),
                (14, p.groups.map(|n| n as i64)),
                (15, p.summary.get("Groups").copied()),
                (16, p.roles.map(|n| n as i64)),
                (17, p.summary.get("Roles").copied()),
                (18, p.customer_policies.map(|n| n as i64)),
                (19, p.summary.get("Policies").copied()),
                (20, p.summary.get("AccountMFAEnabled").copied()),
                (21, p.summary.get("AccountAccessKeysPresent").copied()),
                (22, p.summary.get("AccountPasswordPresent").copied()),
            ];
            for (col, value) in counts {
                match value {
                    Some(n) if n >= 0 => number(ws, r, col, n as u64, w)?,
                    Some(n) => text(ws, r, col, &n.to_string(), w)?,
                    None => {}
                }
            }
            if let Some((status, reason)) = &p.reconciliation {
                text(ws, r, 23, status, w)?;
                if status != "PASS" {
                    text(ws, r, 24, reason, w)?;
                }
            }
            Ok(())
        },
    )
}
