//! The population facts behind the Population sheet, the cover's "Completeness of the
//! population" section and the `org-coverage` rows of listed accounts with no exports: per
//! audited account, which exports were read and the counts they give (carried in the
//! account's record, so a merge of runs sees them), and the organization account list the run
//! used (carried in the run's record: files with their SHA-256, every listed account).

use crate::checks::{CheckResult, Status};
use crate::model::supplementary::{OrgAccount, OrgArn, shared};
use crate::model::{Account, OrgAccounts};
use crate::primitives::source::FileRef;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

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

/// One listed account, as the run's record stores it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(Serialize))]
struct OrgEntryRecord {
    /// Account ID.
    id: String,
    /// `State` (else `Status`), when given.
    state: Option<String>,
    /// `Name`, when given.
    #[serde(default)]
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    name: Option<String>,
    /// `Arn`, when given.
    #[serde(default)]
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    arn: Option<String>,
    /// Index of its file in the record's `files`.
    file: usize,
    /// Its JSON Pointer (`/Accounts/N`).
    location: String,
}

/// The organization account list as the run's record stores it: its files, whether it is
/// incomplete, every listed account.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(Serialize))]
struct StoredList {
    given: bool,
    files: Vec<OrgFileRecord>,
    incomplete: bool,
    accounts: Vec<OrgEntryRecord>,
}

/// One listed account as it is written, borrowed from the run's list.
#[derive(Serialize)]
struct EntryOut<'a> {
    id: &'a str,
    state: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    arn: Option<std::borrow::Cow<'a, str>>,
    file: usize,
    location: String,
}

/// The organization account list a run used (the merged files; superseded ones not included):
/// the run's own list, shared rather than copied, written to the run's record as its files
/// (with their SHA-256), whether it is incomplete, and every listed account.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "StoredList")]
pub struct OrgListRecord {
    /// `--org-accounts` gave it (else it was found in the inputs).
    pub given: bool,
    /// The list.
    pub list: Arc<OrgAccounts>,
}

impl OrgListRecord {
    /// The record of a run's list (`None` when no list was read).
    pub fn of(org: &Arc<OrgAccounts>, given: bool) -> Option<OrgListRecord> {
        org.is_known().then(|| OrgListRecord {
            given,
            list: Arc::clone(org),
        })
    }

    /// Its files, in reading order.
    pub fn files(&self) -> Vec<OrgFileRecord> {
        self.list
            .sources
            .iter()
            .map(|s| OrgFileRecord {
                file: s.file.to_string(),
                sha256: s.sha256.to_string(),
            })
            .collect()
    }

    /// Whether two runs used the same list: the same files' contents and the same accounts in
    /// the same states.
    pub fn same_as(&self, other: &OrgListRecord) -> bool {
        let digests = |l: &OrgListRecord| -> BTreeSet<Arc<str>> {
            l.list.sources.iter().map(|f| f.sha256.clone()).collect()
        };
        fn entries(l: &OrgListRecord) -> Vec<(&str, Option<&str>)> {
            l.list
                .entries()
                .map(|e| (&*e.id, e.state.as_deref()))
                .collect()
        }
        digests(self) == digests(other) && entries(self) == entries(other)
    }
}

impl Serialize for OrgListRecord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let files = self.files();
        let accounts = Accounts {
            list: &self.list,
            files: &files,
        };
        let mut out = s.serialize_struct("OrgListRecord", 4)?;
        out.serialize_field("given", &self.given)?;
        out.serialize_field("files", &files)?;
        out.serialize_field("incomplete", &self.list.incomplete)?;
        out.serialize_field("accounts", &accounts)?;
        out.end()
    }
}

/// The listed accounts as written, one at a time.
struct Accounts<'a> {
    list: &'a OrgAccounts,
    files: &'a [OrgFileRecord],
}

impl Serialize for Accounts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.list.entries().map(|e| {
            let file = self.list.file_of(e);
            EntryOut {
                id: &e.id,
                state: e.state.as_deref(),
                name: e.name.as_deref(),
                arn: e.full_arn(),
                file: self
                    .files
                    .iter()
                    .position(|f| *f.file == *file.file && *f.sha256 == *file.sha256)
                    .unwrap_or(0),
                location: e.location(),
            }
        }))
    }
}

impl TryFrom<StoredList> for OrgListRecord {
    type Error = String;

    fn try_from(stored: StoredList) -> Result<OrgListRecord, String> {
        let sources = stored
            .files
            .iter()
            .map(|f| {
                FileRef {
                    file: f.file.as_str().into(),
                    sha256: f.sha256.as_str().into(),
                }
                .at("/Accounts")
            })
            .collect();
        let (mut states, mut prefixes) = (Vec::new(), Vec::new());
        let accounts = stored
            .accounts
            .into_iter()
            .map(|e| {
                let entry = e
                    .location
                    .strip_prefix("/Accounts/")
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| {
                        format!(
                            "listed account {}: expected the pointer /Accounts/N, found {}",
                            e.id, e.location
                        )
                    })?;
                Ok(OrgAccount {
                    state: e.state.map(|s| shared(&mut states, &s)),
                    name: e.name.map(String::into_boxed_str),
                    arn: e.arn.map(|arn| OrgArn::of(arn, &e.id, &mut prefixes)),
                    id: e.id.into_boxed_str(),
                    file: u32::try_from(e.file).unwrap_or(u32::MAX),
                    entry,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(OrgListRecord {
            given: stored.given,
            list: Arc::new(OrgAccounts::new(accounts, sources, !stored.incomplete)),
        })
    }
}

/// The `org-coverage` verdict of every listed account that was not audited, in account order.
pub fn absent_coverage<'a>(
    org: &'a OrgAccounts,
    audited: &'a BTreeSet<String>,
) -> impl Iterator<Item = (String, Status, String)> + 'a {
    crate::checks::org_coverage::absent_accounts(org, audited)
        .map(|r| (r.account_id, r.status, r.reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(entries: &[(&str, Option<&str>, Option<&str>)], sha256: &str) -> StoredList {
        StoredList {
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

    fn list(entries: &[(&str, Option<&str>, Option<&str>)], sha256: &str) -> OrgListRecord {
        stored(entries, sha256).try_into().unwrap()
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
        assert_eq!(l.list.name("111111111111"), Some("prod"));
        assert_eq!(l.list.name("222222222222"), None);
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
        let entry = l.list.get("111111111111").unwrap();
        let source = l.list.source_of(entry);
        assert_eq!(source.location, "/Accounts/0");
        assert_eq!(&*source.sha256, "a");
        assert!(!entry.is_active());
        assert_eq!(OrgListRecord::of(&l.list, true), Some(l.clone()));
        let json = serde_json::to_string(&l).unwrap();
        let back: OrgListRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back, l);
    }

    #[test]
    fn the_record_writes_the_list_as_stored_without_a_copy_of_it() {
        let text = r#"{"Accounts": [
            {"Id": "222222222222", "Status": "ACTIVE", "Name": "b",
             "Arn": "arn:aws:organizations::111111111111:account/o-x/222222222222"},
            {"Id": "111111111111", "State": "SUSPENDED", "Email": "a@example.com"}],
            "NextToken": "t"}"#;
        let file = FileRef {
            file: "org.json".into(),
            sha256: "f".repeat(64).into(),
        };
        let mut org = OrgAccounts::default();
        crate::input::supplementary::org_accounts(text, &file, &mut org).unwrap();
        let org = Arc::new(org);
        let record = OrgListRecord::of(&org, false).unwrap();
        assert!(Arc::ptr_eq(&record.list, &org));
        let expected = StoredList {
            given: false,
            files: vec![OrgFileRecord {
                file: "org.json".into(),
                sha256: "f".repeat(64),
            }],
            incomplete: true,
            accounts: vec![
                OrgEntryRecord {
                    id: "111111111111".into(),
                    state: Some("SUSPENDED".into()),
                    name: None,
                    arn: None,
                    file: 0,
                    location: "/Accounts/1".into(),
                },
                OrgEntryRecord {
                    id: "222222222222".into(),
                    state: Some("ACTIVE".into()),
                    name: Some("b".into()),
                    arn: Some(
                        "arn:aws:organizations::111111111111:account/o-x/222222222222".into(),
                    ),
                    file: 0,
                    location: "/Accounts/0".into(),
                },
            ],
        };
        assert_eq!(
            serde_json::to_string_pretty(&record).unwrap(),
            serde_json::to_string_pretty(&expected).unwrap()
        );
        assert!(OrgListRecord::of(&Arc::new(OrgAccounts::default()), true).is_none());
    }
}
