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
    /// `State` (newer) or `Status` (retired 2026-09-09), when present.
    pub state: Option<String>,
    /// `Name`, when present: shown beside the account ID on every sheet.
    pub name: Option<String>,
}

/// The organization's accounts, from every `list-accounts` export found or given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgAccounts {
    /// Account ID to its entry.
    pub accounts: BTreeMap<String, OrgAccount>,
    /// The files they came from.
    pub sources: Vec<SourceRef>,
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
}
