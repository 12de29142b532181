//! Optional evidence files: password policy, virtual MFA devices, account summary, and the
//! organization's account list.

use crate::primitives::source::{FileRef, SourceRef};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The account's password policy export.
#[derive(Debug, Clone, PartialEq)]
pub enum PasswordPolicyEvidence {
    /// `{"PasswordPolicy": {...}}`.
    Set {
        /// `MinimumPasswordLength`.
        minimum_length: Option<u64>,
        /// `PasswordReusePrevention`.
        reuse_prevention: Option<u64>,
        /// Every field of the policy as exported, for the evidence sheet.
        fields: BTreeMap<String, String>,
        /// Where it came from.
        source: SourceRef,
    },
    /// The `NoSuchEntity` response: no password policy is set.
    NotSet {
        /// Where it came from.
        source: SourceRef,
    },
}

/// `aws iam list-virtual-mfa-devices`: the virtual devices and who they are assigned to.
#[derive(Debug, Clone, PartialEq)]
pub struct VirtualMfaDevices {
    /// The listed devices, in file order.
    pub devices: Vec<VirtualMfaDevice>,
    /// The list says more pages follow (`IsTruncated: true`, or a `NextToken` or `Marker`).
    pub incomplete: bool,
    /// Where it came from.
    pub source: SourceRef,
}

/// One entry of `VirtualMFADevices`.
#[derive(Debug, Clone, PartialEq)]
pub struct VirtualMfaDevice {
    /// `SerialNumber`.
    pub serial: String,
    /// `User.Arn`, when the device is assigned.
    pub user_arn: Option<String>,
    /// `EnableDate` as written, when the device is assigned.
    pub enable_date: Option<String>,
    /// The entry's JSON Pointer.
    pub source: SourceRef,
}

impl VirtualMfaDevice {
    /// True when the entry shows an assignment (a `User` or an `EnableDate`).
    pub fn is_assigned(&self) -> bool {
        self.user_arn.is_some() || self.enable_date.is_some()
    }
}

/// `aws iam get-account-summary`: the `SummaryMap` counters.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountSummary {
    /// Counter name to value.
    pub values: BTreeMap<String, i64>,
    /// Where it came from.
    pub source: SourceRef,
}

/// One account of `aws organizations list-accounts`: only what the audit shows or tests,
/// compactly (a list may name many thousand accounts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    /// `Id`.
    pub id: Box<str>,
    /// The account's state: `State` (AWS's newer field) when present, else `Status` (one
    /// shared copy of each distinct state).
    pub state: Option<Arc<str>>,
    /// `Name`, when present: shown beside the account ID on every sheet.
    pub name: Option<Box<str>>,
    /// `Arn`, when present (its partition stands in for an account with no exports).
    pub arn: Option<OrgArn>,
    /// Index of its file in [`OrgAccounts::sources`].
    pub file: u32,
    /// Its index in the file's `Accounts` array (the entry's JSON Pointer is `/Accounts/N`).
    pub entry: u32,
}

impl OrgAccount {
    /// True when the account counts as active: `ACTIVE`, or no state at all.
    /// `PENDING_ACTIVATION` is not active.
    pub fn is_active(&self) -> bool {
        self.state.as_deref().is_none_or(|s| s == "ACTIVE")
    }

    /// The state as the workbook shows it (`ACTIVE (no State or Status given)` when absent).
    pub fn state_label(&self) -> &str {
        self.state
            .as_deref()
            .unwrap_or("ACTIVE (no State or Status given)")
    }

    /// The entry's `Arn`, when it has one.
    pub fn full_arn(&self) -> Option<std::borrow::Cow<'_, str>> {
        Some(match self.arn.as_ref()? {
            OrgArn::Prefix(prefix) => format!("{prefix}{}", self.id).into(),
            OrgArn::Whole(arn) => (**arn).into(),
        })
    }

    /// The partition of the entry's `Arn`, when it has one.
    pub fn partition(&self) -> Option<&str> {
        // A shared prefix holds the partition whole (see [`OrgArn::of`]).
        let arn = match self.arn.as_ref()? {
            OrgArn::Prefix(prefix) => &**prefix,
            OrgArn::Whole(arn) => &**arn,
        };
        let mut parts = arn.split(':');
        (parts.next() == Some("arn"))
            .then(|| parts.next())
            .flatten()
            .filter(|p| !p.is_empty())
    }

    /// The entry's JSON Pointer in its file.
    pub fn location(&self) -> String {
        format!("/Accounts/{}", self.entry)
    }
}

/// An entry's `Arn`. Lists give every account `<the organization's prefix><account ID>`:
/// that prefix is kept once for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgArn {
    /// A shared prefix: the ARN is the prefix followed by the account ID.
    Prefix(Arc<str>),
    /// Any other ARN, whole.
    Whole(Box<str>),
}

impl OrgArn {
    /// The form of account `id`'s `arn`: its prefix shared among `prefixes` when the ARN ends
    /// with the ID and the prefix holds the partition (`arn:PARTITION:`), else whole.
    pub fn of(arn: String, id: &str, prefixes: &mut Vec<Arc<str>>) -> OrgArn {
        match arn.strip_suffix(id) {
            Some(prefix) if prefix.matches(':').count() >= 2 => {
                OrgArn::Prefix(shared(prefixes, prefix))
            }
            _ => OrgArn::Whole(arn.into_boxed_str()),
        }
    }
}

/// The one shared copy of `text` among those already seen (a list names few states and one
/// ARN prefix for many accounts).
pub fn shared(seen: &mut Vec<Arc<str>>, text: &str) -> Arc<str> {
    if let Some(known) = seen.iter().find(|s| ***s == *text) {
        return Arc::clone(known);
    }
    let new: Arc<str> = text.into();
    seen.push(Arc::clone(&new));
    new
}

/// The organization's accounts, from every `list-accounts` export found or given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgAccounts {
    /// The entries in account order, one per account ID.
    accounts: Vec<OrgAccount>,
    /// The files they came from.
    pub sources: Vec<SourceRef>,
    /// A file of the list says more pages follow (`NextToken`), and none of them is a last page.
    pub incomplete: bool,
    /// Whether some file was a last page (no `NextToken`).
    pub has_last_page: bool,
}

impl OrgAccounts {
    /// A list of `entries` (the first of each account ID kept) from `sources`; it is complete
    /// when one of its files is a last page.
    pub fn new(
        mut entries: Vec<OrgAccount>,
        sources: Vec<SourceRef>,
        has_last_page: bool,
    ) -> OrgAccounts {
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        entries.dedup_by(|later, first| later.id == first.id);
        entries.shrink_to_fit();
        OrgAccounts {
            accounts: entries,
            sources,
            incomplete: !has_last_page,
            has_last_page,
        }
    }

    /// True when at least one list-accounts export was read.
    pub fn is_known(&self) -> bool {
        !self.sources.is_empty()
    }

    /// The listed account's entry.
    pub fn get(&self, id: &str) -> Option<&OrgAccount> {
        self.accounts
            .binary_search_by(|e| (*e.id).cmp(id))
            .ok()
            .map(|i| &self.accounts[i])
    }

    /// Every listed account, in account order.
    pub fn entries(&self) -> std::slice::Iter<'_, OrgAccount> {
        self.accounts.iter()
    }

    /// How many accounts are listed.
    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    /// True when no account is listed.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// The file an entry came from (an empty name and digest when the list does not know it).
    pub fn file_of(&self, entry: &OrgAccount) -> FileRef {
        self.sources.get(entry.file as usize).map_or_else(
            || FileRef {
                file: "".into(),
                sha256: "".into(),
            },
            |s| FileRef {
                file: s.file.clone(),
                sha256: s.sha256.clone(),
            },
        )
    }

    /// Where an entry came from: its file and JSON Pointer.
    pub fn source_of(&self, entry: &OrgAccount) -> SourceRef {
        self.file_of(entry).at(entry.location())
    }

    /// The account's name in the list, if the list gives one.
    pub fn name(&self, id: &str) -> Option<&str> {
        self.get(id).and_then(|a| a.name.as_deref())
    }

    /// True when the account is listed in the organization.
    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// Merges another list file into this one: entries keyed by account ID; an account both
    /// lists name with another state is an error naming both files. The merged list is
    /// complete when one of its files is a last page.
    pub fn merge(&mut self, other: OrgAccounts) -> Result<(), String> {
        for entry in other.entries() {
            if let Some(mine) = self.get(&entry.id)
                && mine.state != entry.state
            {
                return Err(format!(
                    "organization account lists disagree about account {}: {} ({}) says {}, {} ({}) says {}",
                    entry.id,
                    self.file_of(mine).file,
                    mine.location(),
                    mine.state_label(),
                    other.file_of(entry).file,
                    entry.location(),
                    entry.state_label()
                ));
            }
        }
        let offset = u32::try_from(self.sources.len()).unwrap_or(u32::MAX);
        let mut added: Vec<OrgAccount> = other
            .accounts
            .into_iter()
            .filter(|e| self.get(&e.id).is_none())
            .map(|mut e| {
                e.file = e.file.saturating_add(offset);
                e
            })
            .collect();
        if !added.is_empty() {
            added.append(&mut self.accounts);
            added.sort_by(|a, b| a.id.cmp(&b.id));
            self.accounts = added;
        }
        self.sources.extend(other.sources);
        self.has_last_page |= other.has_last_page;
        self.incomplete = !self.has_last_page;
        Ok(())
    }
}
