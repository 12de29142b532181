//! The Population sheet: one row per account, listed in the organization's account list or
//! audited: its organization status and `org-coverage` verdict, partition, which exports were
//! read, the report's generation time, the as-of and its rule, the counts the exports give side
//! by side, and the `export-completeness` verdict with its differences. Also the figures of the
//! cover's "Completeness of the population" section ([`completeness`]).

use super::cells::{Kind, Limits, iso_datetime, number, text};
use super::paged::{Layout, pages};
use crate::checks::Status;
use crate::model::OrgAccounts;
use crate::output::error::OutputError;
use crate::output::meta::{AccountRecord, RunRecord};
use rust_xlsxwriter::{Workbook, Worksheet};

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

/// Every account of the population in account order: audited accounts and listed ones.
pub fn rows(record: &RunRecord) -> Vec<PopulationRow<'_>> {
    let org: Option<OrgAccounts> = record.org.as_ref().map(|o| o.to_org());
    let mut out: Vec<PopulationRow<'_>> = Vec::new();
    for a in &record.accounts {
        let (org_status, coverage) = match &org {
            None => ("no account list".to_string(), None),
            Some(org) => {
                let entry = org.accounts.get(&a.account_id);
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
        out.push(PopulationRow {
            account_id: a.account_id.clone(),
            name: a.name.clone(),
            audited: Some(a),
            org_status,
            coverage,
            partition: a.partition.clone(),
        });
    }
    if let Some(org) = &org {
        let audited = record
            .accounts
            .iter()
            .map(|a| a.account_id.clone())
            .collect();
        for (id, status, reason) in crate::output::population::absent_coverage(org, &audited) {
            let Some(entry) = org.accounts.get(&id) else {
                continue;
            };
            out.push(PopulationRow {
                name: entry.name.clone(),
                org_status: entry.state_label().to_string(),
                partition: entry.partition().unwrap_or("aws").to_string(),
                account_id: id,
                audited: None,
                coverage: Some((status, reason)),
            });
        }
    }
    out.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    out
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
        list_incomplete: record.org.as_ref().is_some_and(|o| o.incomplete),
        listed: record.org.as_ref().map_or(0, |o| o.accounts.len()),
        audited: record.accounts.len(),
        ..Completeness::default()
    };
    for row in rows(record) {
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
    workbook: &mut Workbook,
    record: &RunRecord,
    limits: &Limits,
) -> Result<Vec<Worksheet>, OutputError> {
    let all = rows(record);
    let mut rows = all.iter();
    let typed: Vec<(u16, Kind)> = [(8, Kind::Date), (9, Kind::Date)]
        .into_iter()
        .chain((11..=22).map(|c| (c, Kind::Count)))
        .collect();
    pages(
        workbook,
        &Layout {
            name: NAME,
            headers: &HEADERS,
            wrap: &[4, 6, 7, 24],
            typed: &typed,
        },
        all.len() as u64,
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
