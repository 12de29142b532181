//! Builders for unit tests: a small [`Account`] in code, one credential report row or
//! authorization export entity at a time.

use super::{CheckContext, CheckResult, Thresholds};
use crate::model::credential::CredentialFields;
use crate::model::iam::{Attachment, Group, Role, User};
use crate::model::{
    AccessKey, Account, Authorization, CredentialEntry, CredentialReport, CredentialRow, Dated,
    Flag,
};
use crate::primitives::asof::{AsOf, AsOfRule};
use crate::primitives::source::FileRef;
use std::sync::Arc;

/// The account every builder uses.
pub const ACCOUNT: &str = "123456789012";

/// The credential report file rows cite.
pub fn report_file() -> FileRef {
    FileRef {
        file: "credential-report.csv".into(),
        sha256: "0".repeat(64).into(),
    }
}

/// The authorization export file users cite.
pub fn authorization_file() -> FileRef {
    FileRef {
        file: "authorization.json".into(),
        sha256: "1".repeat(64).into(),
    }
}

/// A timestamp from report text (`2024-06-06T10:00:00Z`).
pub fn at(text: &str) -> Dated {
    match crate::primitives::timestamp::parse(text) {
        Some(t) => Dated::At(t),
        None => panic!("bad timestamp in test: {text}"),
    }
}

/// `--as-of DATE` (the end of that day).
pub fn as_of_option(date: &str) -> AsOf {
    let d = crate::primitives::asof::parse_date_option(date).unwrap();
    AsOf::choose(Some(d), None, None)
}

/// An exact as-of instant, as from a report's GeneratedTime.
pub fn as_of_generated(instant: &str) -> AsOf {
    AsOf {
        instant: at(instant).instant(),
        rule: AsOfRule::GeneratedTime,
    }
}

/// An account with an empty credential report (no root row, no users), as-of
/// `--as-of 2024-06-06`, no authorization export, no password policy.
pub fn account() -> Account {
    Account {
        id: ACCOUNT.into(),
        partition: "aws".into(),
        credential_report: Some(CredentialReport {
            generated_time: None,
            latest_timestamp: None,
            root: None,
            users: Vec::new(),
            header_source: report_file().at("line 1"),
        }),
        authorization: None,
        authorization_sources: Vec::new(),
        password_policy: None,
        virtual_mfa: None,
        server_certificates: None,
        summary: None,
        org: Arc::default(),
        known_accounts: Arc::default(),
        left_out: Vec::new(),
        as_of: as_of_option("2024-06-06"),
    }
}

/// A key slot with no key (`N/A` everywhere).
pub fn no_key(slot: u8) -> AccessKey {
    AccessKey {
        slot,
        active: false,
        last_rotated: Dated::NotApplicable,
        last_used: Dated::NotApplicable,
    }
}

/// A key: active or not, rotated and last used as given.
pub fn key(slot: u8, active: bool, last_rotated: Dated, last_used: Dated) -> AccessKey {
    AccessKey {
        slot,
        active,
        last_rotated,
        last_used,
    }
}

/// An IAM user created 2024-01-01 with no password, no MFA and no keys.
pub fn user(name: &str) -> CredentialFields {
    CredentialFields {
        user: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        user_creation_time: at("2024-01-01T00:00:00Z"),
        password_enabled: Flag::False,
        password_last_used: Dated::NotApplicable,
        password_last_changed: Dated::NotApplicable,
        mfa_active: false,
        access_keys: [no_key(1), no_key(2)],
    }
}

/// The root row of an older report (`not_supported` password columns), no keys.
pub fn root() -> CredentialFields {
    CredentialFields {
        user: "<root_account>".into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:root"),
        user_creation_time: at("2020-01-01T00:00:00Z"),
        password_enabled: Flag::NotSupported,
        password_last_used: at("2024-05-01T00:00:00Z"),
        password_last_changed: Dated::NotSupported,
        mfa_active: true,
        access_keys: [no_key(1), no_key(2)],
    }
}

/// An entry from rows on consecutive lines starting at `line`.
pub fn entry(line: usize, rows: Vec<CredentialFields>) -> CredentialEntry {
    let mut rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, fields)| CredentialRow {
            fields,
            source: report_file().at(format!("line {}", line + i)),
        });
    let mut entry = CredentialEntry::new(rows.next().expect("an entry has a row"));
    rows.for_each(|row| entry.add_distinct(row));
    entry
}

/// Adds users to the account's credential report, one row each from line 3 on.
pub fn with_users(mut account: Account, users: Vec<CredentialFields>) -> Account {
    if let Some(report) = account.credential_report.as_mut() {
        for u in users {
            let line = 3 + report.users.len();
            report.users.push(entry(line, vec![u]));
        }
    }
    account
}

/// Sets the account's root row (line 2).
pub fn with_root(mut account: Account, root: CredentialFields) -> Account {
    if let Some(report) = account.credential_report.as_mut() {
        report.root = Some(entry(2, vec![root]));
    }
    account
}

/// An authorization-export user with no policies.
pub fn iam_user(index: usize, name: &str) -> User {
    User {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        canonical_arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        groups: Vec::new(),
        inline_policies: Vec::new(),
        attached: Vec::new(),
        boundary: None,
        source: authorization_file().at(format!("/UserDetailList/{index}")),
    }
}

/// Sets the account's authorization export to these users.
pub fn with_authorization(mut account: Account, users: Vec<User>) -> Account {
    account.authorization = Some(Authorization {
        users,
        ..Authorization::default()
    });
    account
}

/// A check's run function.
pub type RunFn = fn(&CheckContext<'_>, &mut Vec<CheckResult>);

/// Runs one check with these thresholds.
pub fn run_with(check: RunFn, account: &Account, thresholds: &Thresholds) -> Vec<CheckResult> {
    let mut out = Vec::new();
    check(
        &CheckContext {
            account,
            thresholds,
        },
        &mut out,
    );
    out
}

/// Runs one check with the default thresholds.
pub fn run(check: RunFn, account: &Account) -> Vec<CheckResult> {
    run_with(check, account, &Thresholds::default())
}

/// An attachment of the managed policy `arn` (named after its last path segment).
pub fn attachment(arn: &str) -> Attachment {
    Attachment {
        name: arn.rsplit('/').next().unwrap_or_default().into(),
        arn: arn.into(),
    }
}

/// An authorization-export user with these managed policies attached.
pub fn user_with(index: usize, name: &str, attached: &[&str]) -> User {
    let mut u = iam_user(index, name);
    u.attached = attached.iter().map(|a| attachment(a)).collect();
    u
}

/// An authorization-export group with these managed policies attached.
pub fn group(index: usize, name: &str, attached: &[&str]) -> Group {
    Group {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:group/{name}"),
        inline_policies: Vec::new(),
        attached: attached.iter().map(|a| attachment(a)).collect(),
        source: authorization_file().at(format!("/GroupDetailList/{index}")),
    }
}

/// An authorization-export role with these managed policies attached and no trust policy.
pub fn role(index: usize, name: &str, attached: &[&str]) -> Role {
    Role {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
        path: "/".into(),
        trust_policy: None,
        inline_policies: Vec::new(),
        attached: attached.iter().map(|a| attachment(a)).collect(),
        boundary: None,
        last_used: None,
        source: authorization_file().at(format!("/RoleDetailList/{index}")),
    }
}

/// An account whose authorization export (one page, cited as the file) holds these users,
/// groups and roles.
pub fn exported(users: Vec<User>, groups: Vec<Group>, roles: Vec<Role>) -> Account {
    let mut a = account();
    a.authorization = Some(Authorization {
        users,
        groups,
        roles,
        ..Authorization::default()
    });
    a.authorization_sources = vec![authorization_file().at("")];
    a
}
