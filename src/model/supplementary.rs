//! Optional evidence files: password policy, virtual MFA devices, account summary, and the
//! organization's account list.

use crate::primitives::source::SourceRef;
use std::collections::BTreeMap;

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

/// One account of `aws organizations list-accounts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    /// `Id`.
    pub id: String,
    /// The account's state: `State` (AWS's newer field) when present, else `Status`.
    pub state: Option<String>,
    /// `Name`, when present: shown beside the account ID on every sheet.
    pub name: Option<String>,
    /// `Arn`, when present (its partition stands in for an account with no exports).
    pub arn: Option<String>,
    /// The entry's JSON Pointer (`/Accounts/N`) in its file.
    pub source: SourceRef,
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

    /// The partition of the entry's `Arn`, when it has one.
    pub fn partition(&self) -> Option<&str> {
        let arn = self.arn.as_deref()?;
        let mut parts = arn.split(':');
        (parts.next() == Some("arn"))
            .then(|| parts.next())
            .flatten()
            .filter(|p| !p.is_empty())
    }
}

/// The organization's accounts, from every `list-accounts` export found or given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgAccounts {
    /// Account ID to its entry.
    pub accounts: BTreeMap<String, OrgAccount>,
    /// The files they came from.
    pub sources: Vec<SourceRef>,
    /// A file of the list says more pages follow (`NextToken`), and none of them is a last page.
    pub incomplete: bool,
    /// Whether some file was a last page (no `NextToken`).
    pub has_last_page: bool,
}

impl OrgAccounts {
    /// True when at least one list-accounts export was read.
    pub fn is_known(&self) -> bool {
        !self.sources.is_empty()
    }

    /// The account's name in the list, if the list gives one.
    pub fn name(&self, id: &str) -> Option<&str> {
        self.accounts.get(id).and_then(|a| a.name.as_deref())
    }

    /// True when the account is listed in the organization.
    pub fn contains(&self, id: &str) -> bool {
        self.accounts.contains_key(id)
    }

    /// Merges another list file into this one: entries keyed by account ID; an account both
    /// lists name with another state is an error naming both files. The merged list is
    /// complete when one of its files is a last page.
    pub fn merge(&mut self, other: OrgAccounts) -> Result<(), String> {
        for (id, entry) in other.accounts {
            match self.accounts.get(&id) {
                Some(mine) if mine.state != entry.state => {
                    return Err(format!(
                        "organization account lists disagree about account {id}: {} ({}) says {}, {} ({}) says {}",
                        mine.source.file,
                        mine.source.location,
                        mine.state_label(),
                        entry.source.file,
                        entry.source.location,
                        entry.state_label()
                    ));
                }
                Some(_) => {}
                None => {
                    self.accounts.insert(id, entry);
                }
            }
        }
        self.sources.extend(other.sources);
        self.has_last_page |= other.has_last_page;
        self.incomplete = !self.has_last_page;
        Ok(())
    }
}
