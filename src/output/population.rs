//! The population facts behind the Population sheet, the cover's "Completeness of the
//! population" section and the `org-coverage` rows of listed accounts with no exports: per
//! audited account, which exports were read and the counts they give (carried in the
//! account's record, so a merge of runs sees them), and the organization account list the run
//! used (carried in the run's record: files with their SHA-256, every listed account).

use crate::checks::{CheckResult, Status};
use crate::model::supplementary::OrgAccount;
use crate::model::{Account, OrgAccounts};
use crate::primitives::source::FileRef;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What one audited account's exports were and what they count.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PopulationFacts {
    /// A credential report was read.
    pub credential_report: bool,
    /// Authorization export files read (pages, or one complete export).
    pub authorization_files: usize,
    /// An account summary was read.
    pub account_summary: bool,
    /// A password policy export was read.
    pub password_policy: bool,
    /// A virtual MFA device list was read.
    pub virtual_mfa: bool,
    /// A server certificate list was read.
    pub server_certificates: bool,
    /// What the account lacks of the two main exports (the `org-coverage` phrases).
    pub missing: Vec<String>,
    /// IAM users in the credential report (root excluded).
    pub report_users: Option<usize>,
    /// `UserDetailList` entries.
    pub authorization_users: Option<usize>,
    /// `GroupDetailList` entries.
    pub groups: Option<usize>,
    /// `RoleDetailList` entries.
    pub roles: Option<usize>,
    /// Customer managed policies (`Policies` entries not owned by `aws`).
    pub customer_policies: Option<usize>,
    /// The account summary's compared counters.
    pub summary: BTreeMap<String, i64>,
    /// The `export-completeness` status and reason.
    pub reconciliation: Option<(String, String)>,
}

impl PopulationFacts {
    /// The facts of a loaded account and its results.
    pub fn of(account: &Account, results: &[CheckResult]) -> PopulationFacts {
        let auth = account.authorization.as_ref();
        PopulationFacts {
            credential_report: account.credential_report.is_some(),
            authorization_files: auth.map_or(0, |a| a.pages.len().max(1)),
            account_summary: account.summary.is_some(),
            password_policy: account.password_policy.is_some(),
            virtual_mfa: account.virtual_mfa.is_some(),
            server_certificates: account.server_certificates.is_some(),
            missing: crate::checks::org_coverage::missing(account),
            report_users: account.credential_report.as_ref().map(|r| r.users.len()),
            authorization_users: auth.map(|a| a.users.len()),
            groups: auth.map(|a| a.groups.len()),
            roles: auth.map(|a| a.roles.len()),
            customer_policies: auth
                .map(|a| a.policies.iter().filter(|p| !p.is_aws_managed()).count()),
            summary: account.summary.as_ref().map_or_else(BTreeMap::new, |s| {
                crate::checks::export_completeness::SUMMARY_KEYS
                    .iter()
                    .filter_map(|k| Some((k.to_string(), *s.values.get(*k)?)))
                    .collect()
            }),
            reconciliation: results
                .iter()
                .find(|r| r.check_id == crate::checks::export_completeness::META.id)
                .map(|r| (r.status.as_str().to_string(), r.reason.clone())),
        }
    }

    /// The exports read, in words ("credential report, authorization details (3 files), ...").
    pub fn exports_read(&self) -> String {
        let mut out = Vec::new();
        if self.credential_report {
            out.push("credential report".to_string());
        }
        match self.authorization_files {
            0 => {}
            1 => out.push("authorization details".to_string()),
            n => out.push(format!("authorization details ({n} files)")),
        }
        for (read, what) in [
            (self.account_summary, "account summary"),
            (self.password_policy, "password policy"),
            (self.virtual_mfa, "virtual MFA list"),
            (self.server_certificates, "certificate list"),
        ] {
            if read {
                out.push(what.to_string());
            }
        }
        if out.is_empty() {
            "none".into()
        } else {
            out.join(", ")
        }
    }
}

/// One file of the organization account list a run used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgFileRecord {
    /// The file as cited (relative to its PATH, or the `--org-accounts` path as given).
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
}

/// One listed account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgEntryRecord {
    /// Account ID.
    pub id: String,
    /// `State` (else `Status`), when given.
    pub state: Option<String>,
    /// `Name`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Arn`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Index of its file in [`OrgListRecord::files`].
    pub file: usize,
    /// Its JSON Pointer (`/Accounts/N`).
    pub location: String,
}

/// The organization account list a run used (the merged files; superseded ones not included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgListRecord {
    /// `--org-accounts` gave it (else it was found in the inputs).
    pub given: bool,
    /// Its files, in reading order.
    pub files: Vec<OrgFileRecord>,
    /// The list ends with a `NextToken` and no file of it is a last page.
    pub incomplete: bool,
    /// Every listed account, by ID.
    pub accounts: Vec<OrgEntryRecord>,
}

impl OrgListRecord {
    /// The record of a run's list (`None` when no list was read).
    pub fn of(org: &OrgAccounts, given: bool) -> Option<OrgListRecord> {
        if !org.is_known() {
            return None;
        }
        let files: Vec<OrgFileRecord> = org
            .sources
            .iter()
            .map(|s| OrgFileRecord {
                file: s.file.to_string(),
                sha256: s.sha256.to_string(),
            })
            .collect();
        let accounts = org
            .accounts
            .values()
            .map(|e| OrgEntryRecord {
                id: e.id.clone(),
                state: e.state.clone(),
                name: e.name.clone(),
                arn: e.arn.clone(),
                file: files
                    .iter()
                    .position(|f| *f.file == *e.source.file && *f.sha256 == *e.source.sha256)
                    .unwrap_or(0),
                location: e.source.location.clone(),
            })
            .collect();
        Some(OrgListRecord {
            given,
            files,
            incomplete: org.incomplete,
            accounts,
        })
    }

    /// The list back in the model's form.
    pub fn to_org(&self) -> OrgAccounts {
        let refs: Vec<FileRef> = self
            .files
            .iter()
            .map(|f| FileRef {
                file: f.file.as_str().into(),
                sha256: f.sha256.as_str().into(),
            })
            .collect();
        let unknown = FileRef {
            file: "".into(),
            sha256: "".into(),
        };
        OrgAccounts {
            accounts: self
                .accounts
                .iter()
                .map(|e| {
                    let file = refs.get(e.file).unwrap_or(&unknown);
                    let entry = OrgAccount {
                        id: e.id.clone(),
                        state: e.state.clone(),
                        name: e.name.clone(),
                        arn: e.arn.clone(),
                        source: file.at(e.location.clone()),
                    };
                    (e.id.clone(), entry)
                })
                .collect(),
            sources: refs.iter().map(|f| f.at("/Accounts")).collect(),
            incomplete: self.incomplete,
            has_last_page: !self.incomplete,
        }
    }

    /// Whether two runs used the same list: the same files' contents and the same accounts in
    /// the same states.
    pub fn same_as(&self, other: &OrgListRecord) -> bool {
        let digests = |l: &OrgListRecord| -> BTreeSet<String> {
            l.files.iter().map(|f| f.sha256.clone()).collect()
        };
        let entries = |l: &OrgListRecord| -> Vec<(String, Option<String>)> {
            l.accounts
                .iter()
                .map(|e| (e.id.clone(), e.state.clone()))
                .collect()
        };
        digests(self) == digests(other) && entries(self) == entries(other)
    }

    /// The listed account's name, by account ID (for showing names beside IDs).
    pub fn names(&self) -> BTreeMap<&str, &str> {
        self.accounts
            .iter()
            .filter_map(|e| Some((e.id.as_str(), e.name.as_deref()?)))
            .collect()
    }
}

/// The `org-coverage` verdict of every listed account that was not audited, in account order.
pub fn absent_coverage(
    org: &OrgAccounts,
    audited: &BTreeSet<String>,
) -> Vec<(String, Status, String)> {
    crate::checks::org_coverage::absent_accounts(org, audited)
        .map(|r| (r.account_id, r.status, r.reason))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: &[(&str, Option<&str>, Option<&str>)], sha256: &str) -> OrgListRecord {
        OrgListRecord {
            given: true,
            files: vec![OrgFileRecord {
                file: "org.json".into(),
                sha256: sha256.into(),
            }],
            incomplete: false,
            accounts: entries
                .iter()
                .enumerate()
                .map(|(i, (id, state, name))| OrgEntryRecord {
                    id: (*id).into(),
                    state: state.map(Into::into),
                    name: name.map(Into::into),
                    arn: None,
                    file: 0,
                    location: format!("/Accounts/{i}"),
                })
                .collect(),
        }
    }

    #[test]
    fn names_are_looked_up_by_account_id() {
        let l = list(
            &[
                ("111111111111", Some("ACTIVE"), Some("prod")),
                ("222222222222", None, None),
            ],
            "a",
        );
        let names = l.names();
        assert_eq!(names.get("111111111111"), Some(&"prod"));
        assert_eq!(names.get("222222222222"), None);
    }

    #[test]
    fn lists_differ_by_digest_account_or_state() {
        let base = list(&[("111111111111", Some("ACTIVE"), None)], "a");
        assert!(base.same_as(&list(&[("111111111111", Some("ACTIVE"), Some("x"))], "a")));
        assert!(!base.same_as(&list(&[("111111111111", Some("ACTIVE"), None)], "b")));
        assert!(!base.same_as(&list(&[("111111111112", Some("ACTIVE"), None)], "a")));
        assert!(!base.same_as(&list(&[("111111111111", Some("SUSPENDED"), None)], "a")));
    }

    #[test]
    fn a_list_survives_the_round_trip_through_the_record() {
        let l = list(&[("111111111111", Some("SUSPENDED"), Some("old"))], "a");
        let org = l.to_org();
        let entry = &org.accounts["111111111111"];
        assert_eq!(entry.source.location, "/Accounts/0");
        assert_eq!(&*entry.source.sha256, "a");
        assert!(!entry.is_active());
        assert_eq!(OrgListRecord::of(&org, true), Some(l));
    }
}
