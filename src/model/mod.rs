//! The typed model of one account, built from all of its export files.

pub mod credential;
pub mod iam;
pub mod server_certificates;
pub mod supplementary;

use crate::primitives::asof::AsOf;
use crate::primitives::source::SourceRef;
use std::sync::Arc;

pub use credential::{AccessKey, CredentialEntry, CredentialReport, CredentialRow, Dated, Flag};
pub use iam::Authorization;
pub use server_certificates::{ServerCertificate, ServerCertificates};
pub use supplementary::{
    AccountSummary, OrgAccounts, PasswordPolicyEvidence, VirtualMfaDevice, VirtualMfaDevices,
};

/// The two main export kinds; checks say which they need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExportKind {
    /// The IAM credential report.
    CredentialReport,
    /// `get-account-authorization-details`.
    AuthorizationDetails,
    /// `get-account-password-policy` (optional evidence).
    PasswordPolicy,
    /// `list-virtual-mfa-devices` (optional evidence).
    VirtualMfaDevices,
    /// `get-account-summary` (optional evidence).
    AccountSummary,
    /// `list-server-certificates` (optional evidence).
    ServerCertificates,
}

impl ExportKind {
    /// How an auditor names it.
    pub fn label(self) -> &'static str {
        match self {
            ExportKind::CredentialReport => "credential report",
            ExportKind::AuthorizationDetails => "authorization details export",
            ExportKind::PasswordPolicy => "password policy export",
            ExportKind::VirtualMfaDevices => "virtual MFA device list",
            ExportKind::AccountSummary => "account summary",
            ExportKind::ServerCertificates => "server certificate list",
        }
    }
}

/// An export of this account that was left out under `--keep-going`, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    /// Which export.
    pub kind: ExportKind,
    /// The file(s) and the error, as shown to the user.
    pub reason: String,
    /// Every file of that export that was left out with it (display paths).
    pub files: Vec<String>,
}

impl LeftOut {
    /// What to add to the reason when `others` more files of the export are left out with the
    /// one the reason names: nothing when there are none.
    pub fn others_go_with_it(others: usize, kind: ExportKind) -> String {
        if others == 0 {
            return String::new();
        }
        format!(
            "; the other {others} file(s) of this account's {} are left out with it: an export \
             is used whole or not at all",
            kind.label()
        )
    }
}

/// Everything known about one account.
#[derive(Debug, Clone)]
pub struct Account {
    /// The account ID from the ARNs (12 digits, or flagged when not).
    pub id: String,
    /// `aws`, `aws-us-gov`, `aws-cn`.
    pub partition: String,
    /// The credential report, when exported.
    pub credential_report: Option<CredentialReport>,
    /// The authorization details, when exported (all pages merged).
    pub authorization: Option<Authorization>,
    /// The pages of the authorization export (for account-level citations).
    pub authorization_sources: Vec<SourceRef>,
    /// The password policy export, when present.
    pub password_policy: Option<PasswordPolicyEvidence>,
    /// The virtual MFA device list, when present.
    pub virtual_mfa: Option<VirtualMfaDevices>,
    /// The account summary, when present.
    pub summary: Option<AccountSummary>,
    /// The server certificate list (every file of it merged), when present.
    pub server_certificates: Option<ServerCertificates>,
    /// The organization's account list (shared by all accounts).
    pub org: Arc<OrgAccounts>,
    /// The accounts present in this run's inputs (for internal vs external trust).
    pub known_accounts: Arc<std::collections::BTreeSet<String>>,
    /// Exports left out under `--keep-going`.
    pub left_out: Vec<LeftOut>,
    /// The as-of instant for age-based checks, and the rule that chose it.
    pub as_of: AsOf,
}

impl Account {
    /// The root user's ARN in this account.
    pub fn root_arn(&self) -> String {
        crate::primitives::arn::root_arn(&self.partition, &self.id)
    }

    /// Why an export is unavailable: left out with an error, or absent from the inputs.
    pub fn missing_reason(&self, kind: ExportKind) -> String {
        match self.left_out.iter().find(|l| l.kind == kind) {
            Some(l) => format!("{} left out: {}", kind.label(), l.reason),
            None => format!("no {} for this account in the inputs", kind.label()),
        }
    }
}
