//! The credential report, typed: sentinels are variants, not strings.

use crate::primitives::source::SourceRef;
use time::OffsetDateTime;

/// A credential report cell that holds a timestamp or one of the report's sentinels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dated {
    /// A real timestamp.
    At(OffsetDateTime),
    /// `N/A`: no such credential, or a key never used.
    NotApplicable,
    /// `no_information`: a password never used, or not used since 2014-10-20.
    NoInformation,
    /// `not_supported`: the root user's password columns in older reports.
    NotSupported,
}

impl Dated {
    /// The timestamp, if the cell holds one.
    pub fn instant(self) -> Option<OffsetDateTime> {
        match self {
            Dated::At(t) => Some(t),
            _ => None,
        }
    }

    /// The cell as an auditor reads it: the date, or the sentinel spelled out.
    pub fn describe(self) -> String {
        match self {
            Dated::At(t) => crate::primitives::timestamp::format_utc(t),
            Dated::NotApplicable => "N/A".into(),
            Dated::NoInformation => "no_information".into(),
            Dated::NotSupported => "not_supported".into(),
        }
    }
}

/// A credential report boolean that may be `not_supported` (root password in older reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flag {
    /// `true` / `TRUE`.
    True,
    /// `false` / `FALSE`.
    False,
    /// `not_supported`.
    NotSupported,
}

impl Flag {
    /// True only for an explicit `true`.
    pub fn is_true(self) -> bool {
        self == Flag::True
    }

    /// The cell as written in the report.
    pub fn describe(self) -> &'static str {
        match self {
            Flag::True => "true",
            Flag::False => "false",
            Flag::NotSupported => "not_supported",
        }
    }
}

/// One access key's columns (`access_key_N_*`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccessKey {
    /// 1 or 2.
    pub slot: u8,
    /// `access_key_N_active`.
    pub active: bool,
    /// `access_key_N_last_rotated`: `N/A` when the key does not exist.
    pub last_rotated: Dated,
    /// `access_key_N_last_used_date`: `N/A` when never used.
    pub last_used: Dated,
}

impl AccessKey {
    /// `access_key_1` or `access_key_2`, the credential name used in results.
    pub fn credential_name(&self) -> &'static str {
        if self.slot == 1 {
            "access_key_1"
        } else {
            "access_key_2"
        }
    }

    /// True when the key exists (active or not).
    pub fn exists(&self) -> bool {
        self.active || self.last_rotated != Dated::NotApplicable
    }
}

/// The columns of one credential report row that checks read (optional columns are not kept:
/// no check reads them, so rows differing only there are identical for duplicate detection).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CredentialFields {
    /// `user`; `<root_account>` for root.
    pub user: String,
    /// `arn`.
    pub arn: String,
    /// `user_creation_time`.
    pub user_creation_time: Dated,
    /// `password_enabled`.
    pub password_enabled: Flag,
    /// `password_last_used`.
    pub password_last_used: Dated,
    /// `password_last_changed`.
    pub password_last_changed: Dated,
    /// `mfa_active`.
    pub mfa_active: bool,
    /// `access_key_1_*` and `access_key_2_*`.
    pub access_keys: [AccessKey; 2],
}

impl CredentialFields {
    /// True when both rows say the same in every column a check judges by (all but `user`).
    pub fn same_credentials(&self, other: &CredentialFields) -> bool {
        self.arn == other.arn
            && self.user_creation_time == other.user_creation_time
            && self.password_enabled == other.password_enabled
            && self.password_last_used == other.password_last_used
            && self.password_last_changed == other.password_last_changed
            && self.mfa_active == other.mfa_active
            && self.access_keys == other.access_keys
    }
}

/// One row of a credential report with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialRow {
    /// The values checks read.
    pub fields: CredentialFields,
    /// File, hash and `line N` / `Content line N` / `sheet S row N`.
    pub source: SourceRef,
}

/// All rows of one principal (keyed by exact ARN): one row, or several conflicting ones.
/// Never empty: it is built from its first row.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialEntry {
    /// The first row in file order.
    first: CredentialRow,
    /// Further distinct rows for this ARN in file order; identical duplicates are counted once.
    others: Vec<CredentialRow>,
}

impl CredentialEntry {
    /// An entry holding one row.
    pub fn new(first: CredentialRow) -> Self {
        CredentialEntry {
            first,
            others: Vec::new(),
        }
    }

    /// Adds a row unless one the same in every column a check judges by is already there (the
    /// `user` column is not compared: rows of one ARN are one user whatever name they give).
    pub fn add_distinct(&mut self, row: CredentialRow) {
        if !self.rows().any(|r| r.fields.same_credentials(&row.fields)) {
            self.others.push(row);
        }
    }

    /// The first row.
    pub fn first(&self) -> &CredentialRow {
        &self.first
    }

    /// Every row, first row first.
    pub fn rows(&self) -> impl Iterator<Item = &CredentialRow> {
        std::iter::once(&self.first).chain(&self.others)
    }

    /// The rows after the first (the conflicting ones).
    pub fn others(&self) -> impl Iterator<Item = &CredentialRow> {
        self.others.iter()
    }

    /// True when the report holds conflicting rows for this principal.
    pub fn is_conflicting(&self) -> bool {
        !self.others.is_empty()
    }

    /// The exact ARN of this principal.
    pub fn arn(&self) -> &str {
        &self.first().fields.arn
    }

    /// Where the conflicting rows are, for a reason text (`line 4 and line 9`).
    pub fn locations(&self) -> String {
        let locs: Vec<&str> = self.rows().map(|r| r.source.location.as_str()).collect();
        locs.join(" and ")
    }
}

/// One account's credential report.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialReport {
    /// The `GeneratedTime` of a `get-credential-report` wrapper, when the export kept it.
    pub generated_time: Option<OffsetDateTime>,
    /// The latest timestamp in the report, excluding `password_next_rotation`.
    pub latest_timestamp: Option<OffsetDateTime>,
    /// The `<root_account>` entry, when the report has one.
    pub root: Option<CredentialEntry>,
    /// IAM users, in file order of their first row.
    pub users: Vec<CredentialEntry>,
    /// The source of the report's header (for account-level citations).
    pub header_source: SourceRef,
}

impl CredentialReport {
    /// The user entry with this exact ARN.
    pub fn user(&self, arn: &str) -> Option<&CredentialEntry> {
        self.users.iter().find(|u| u.arn() == arn)
    }
}
