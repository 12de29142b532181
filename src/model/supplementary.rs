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
    /// (SerialNumber, assigned user ARN if any).
    pub devices: Vec<(String, Option<String>)>,
    /// Where it came from.
    pub source: SourceRef,
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

    /// True when the account is listed in the organization.
    pub fn contains(&self, id: &str) -> bool {
        self.accounts.contains_key(id)
    }
}
