//! `no-initial-setup-keys`: console users hold no access key that was never used.
//!
//! Population (the CIS audit rule as written): each active access key of an IAM user with
//! `password_enabled = true`. FAIL when the key was never used (`access_key_N_last_used_date`
//! is `N/A`); the reason adds "issued at user creation" when the key was rotated within 24 h
//! of `user_creation_time`.

use super::helpers::{CheckContext, conflicting_rows, key_evidence, require, result};
use super::{CheckMeta, CheckResult, References, Severity, Status, Title};
use crate::model::credential::CredentialFields;
use crate::model::{AccessKey, CredentialReport, Dated, ExportKind, Flag};
use crate::primitives::timestamp::format_date;

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "no-initial-setup-keys",
    title: Title::fixed("No access key of a console user is unused since it was issued"),
    severity: Severity::Low,
    severity_note: None,
    population: "active access keys of IAM users with a console password (`password_enabled = true` in the \
                 credential report; root excluded); one result per key",
    rationale: "Keys created with the user by default in the console setup flow are often never used, yet stay \
                valid indefinitely: a secret nobody needs that can still leak. CIS asks that console users get \
                no access key at setup, only when they need one.",
    remediation: "Delete the unused key (`aws iam delete-access-key --user-name USER --access-key-id ID`); issue \
                  a key only when the user needs programmatic access, and prefer IAM Identity Center or roles.",
    statuses: &[
        (
            Status::Pass,
            "the active key has been used (`access_key_N_last_used_date` is a date)",
        ),
        (
            Status::Fail,
            "the active key was never used (`access_key_N_last_used_date` is `N/A`); the reason says when it was \
             issued at user creation",
        ),
        (
            Status::NotDeterminable,
            "no credential report, or conflicting rows for the user",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.11"),
        cis_v5: Some("1.10"),
        cis_v6: Some("2.10"),
        cis_v7: None,
        security_hub: None,
        config_rule: None,
        control_tower: None,
    },
    needs: &[ExportKind::CredentialReport],
};

/// Tests every active key of every console user.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(report) = require::<CredentialReport>(&META, account, out) else {
        return;
    };
    let in_population = |f: &CredentialFields, slot: usize| {
        f.password_enabled == Flag::True && f.access_keys[slot].active
    };
    for entry in &report.users {
        for slot in 0..2 {
            if !entry.rows().any(|r| in_population(&r.fields, slot)) {
                continue;
            }
            if entry.is_conflicting() {
                let credential = entry.first().fields.access_keys[slot].credential_name();
                out.push(conflicting_rows(
                    &META,
                    account,
                    entry.arn().to_string(),
                    "this user",
                    entry,
                    Some(credential),
                    |f| key_evidence(&f.access_keys[slot]),
                ));
                continue;
            }
            let row = entry.first();
            let f = &row.fields;
            let key = &f.access_keys[slot];
            let (status, reason) = judge(f, key);
            let mut r = result(
                &META,
                account,
                entry.arn(),
                status,
                reason,
                Some(row.source.clone()),
            );
            r.credential = Some(key.credential_name());
            r.evidence = format!(
                "user={}; password_enabled=true; user_creation_time={}; {}",
                f.user,
                f.user_creation_time.describe(),
                key_evidence(key)
            );
            out.push(r);
        }
    }
}

fn judge(f: &CredentialFields, key: &AccessKey) -> (Status, String) {
    let name = key.credential_name();
    match key.last_used {
        Dated::NotApplicable => {
            let issued = match (key.last_rotated, f.user_creation_time) {
                (Dated::At(rotated), Dated::At(created))
                    if (rotated - created).abs() <= time::Duration::DAY =>
                {
                    format!(", issued at user creation ({})", format_date(rotated))
                }
                (Dated::At(rotated), _) => format!(", issued {}", format_date(rotated)),
                _ => String::new(),
            };
            (
                Status::Fail,
                format!("{name} is active and was never used{issued}: delete it"),
            )
        }
        Dated::At(t) => (
            Status::Pass,
            format!("{name} has been used (last used {})", format_date(t)),
        ),
        other => (
            Status::Pass,
            format!(
                "{name}_last_used_date is {}, not N/A: not a never-used key",
                other.describe()
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{account, at, entry, key, root, run, user, with_root, with_users};

    /// A console user created 2024-01-01 with key 1 active as given.
    fn console_user(name: &str, rotated: &str, used: Dated) -> CredentialFields {
        let mut f = user(name);
        f.password_enabled = Flag::True;
        f.access_keys[0] = key(1, true, at(rotated), used);
        f
    }

    #[test]
    fn key_issued_within_24_h_of_the_user_and_never_used_fails_as_issued_at_creation() {
        let f = console_user("alice", "2024-01-01T23:59:00Z", Dated::NotApplicable);
        let out = run(super::run, &with_users(account(), vec![f]));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].status, Status::Fail);
        assert_eq!(out[0].credential, Some("access_key_1"));
        assert_eq!(
            out[0].reason,
            "access_key_1 is active and was never used, issued at user creation (2024-01-01): delete it"
        );
        assert_eq!(out[0].severity, Severity::Low);
    }

    #[test]
    fn never_used_key_issued_later_fails_without_the_creation_note() {
        let f = console_user("alice", "2024-01-02T00:00:01Z", Dated::NotApplicable);
        let out = run(super::run, &with_users(account(), vec![f]));
        assert_eq!(
            out[0].reason,
            "access_key_1 is active and was never used, issued 2024-01-02: delete it"
        );
    }

    #[test]
    fn used_key_passes() {
        let f = console_user("alice", "2024-01-01T00:10:00Z", at("2024-05-01T00:00:00Z"));
        let out = run(super::run, &with_users(account(), vec![f]));
        assert_eq!(out[0].status, Status::Pass);
        assert_eq!(out[0].reason, "access_key_1 has been used (last used 2024-05-01)");
        assert!(out[0].evidence.contains("access_key_1_last_used_date=2024-05-01"));
    }

    #[test]
    fn users_without_a_password_inactive_keys_and_root_are_not_tested() {
        let mut no_password = console_user("bob", "2024-01-01T00:10:00Z", Dated::NotApplicable);
        no_password.password_enabled = Flag::False;
        let mut inactive = console_user("carol", "2024-01-01T00:10:00Z", Dated::NotApplicable);
        inactive.access_keys[0].active = false;
        let mut r = root();
        r.password_enabled = Flag::True;
        r.access_keys[0] = key(1, true, at("2020-01-01T00:00:00Z"), Dated::NotApplicable);
        let a = with_root(with_users(account(), vec![no_password, inactive]), r);
        assert!(run(super::run, &a).is_empty());
    }

    #[test]
    fn conflicting_duplicate_rows_are_not_determinable_for_a_key_either_row_puts_in_the_population() {
        let first = user("erin");
        let second = console_user("erin", "2024-01-01T00:10:00Z", Dated::NotApplicable);
        let mut a = account();
        if let Some(report) = a.credential_report.as_mut() {
            report.users.push(entry(4, vec![first, second]));
        }
        let out = run(super::run, &a);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].status, Status::NotDeterminable);
        assert_eq!(out[0].credential, Some("access_key_1"));
        assert_eq!(
            out[0].reason,
            "the credential report has conflicting rows for this user (line 4 and line 5)"
        );
    }

    #[test]
    fn no_credential_report_is_one_account_row() {
        let mut a = account();
        a.credential_report = None;
        let out = run(super::run, &a);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].status, Status::NotDeterminable);
        assert_eq!(out[0].credential, None);
    }
}
