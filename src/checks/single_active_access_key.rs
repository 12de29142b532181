//! `single-active-access-key`: no IAM user has more than one active access key.
//!
//! Population: IAM users with at least one active key (root excluded). FAIL when both
//! `access_key_1_active` and `access_key_2_active` are true.

use super::{CheckMeta, CheckResult, References, Severity, Status, CheckContext, Title};
use super::helpers::{conflicting_rows, keys_evidence, result, require};
use crate::model::credential::CredentialFields;
use crate::model::{AccessKey, Account, CredentialEntry, Dated, ExportKind, CredentialReport};

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "single-active-access-key",
    title: Title::fixed("IAM users have at most one active access key"),
    severity: Severity::Low,
    severity_note: None,
    population: "IAM users with at least one active access key (credential report; root excluded); one result per user",
    rationale: "Two active keys are needed only during a rotation. Outside it, a second active key doubles the \
                secrets to protect and often means an old key was never retired after the new one was issued.",
    remediation: "Find which key is still in use (`aws iam get-access-key-last-used`), move every consumer to \
                  it, then deactivate and delete the other (`aws iam update-access-key --status Inactive`, then \
                  `aws iam delete-access-key`).",
    statuses: &[
        (Status::Pass, "the user has exactly one active access key"),
        (Status::Fail, "both of the user's access keys are active"),
        (
            Status::NotDeterminable,
            "no credential report, or conflicting rows for the user",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.13"),
        cis_v5: Some("1.12"),
        cis_v6: Some("2.12"),
        cis_v7: None,
        security_hub: None,
        config_rule: None,
        control_tower: None,
    },
    needs: &[ExportKind::CredentialReport],
};

/// Tests every IAM user with an active key.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(report) = require::<CredentialReport>(&META, account, out) else {
        return;
    };
    for entry in &report.users {
        if let Some(r) = judge(account, entry) {
            out.push(r);
        }
    }
}

fn judge(account: &Account, entry: &CredentialEntry) -> Option<CheckResult> {
    let has_active = |f: &CredentialFields| f.access_keys.iter().any(|k| k.active);
    if !entry.rows().any(|r| has_active(&r.fields)) {
        return None;
    }
    if entry.is_conflicting() {
        return Some(conflicting_rows(
            &META,
            account,
            entry.arn().to_string(),
            "this user",
            entry,
            None,
            keys_evidence,
        ));
    }
    let row = entry.first();
    let [k1, k2] = &row.fields.access_keys;
    let (status, reason) = if k1.active && k2.active {
        (
            Status::Fail,
            format!(
                "two active access keys: {} and {}",
                describe(k1),
                describe(k2)
            ),
        )
    } else {
        let (on, off) = if k1.active { (k1, k2) } else { (k2, k1) };
        let other = if off.exists() {
            format!("{} inactive", off.credential_name())
        } else {
            format!("no {}", off.credential_name())
        };
        (
            Status::Pass,
            format!("one active access key: {}; {other}", describe(on)),
        )
    };
    let mut r = result(
        &META,
        account,
        entry.arn(),
        status,
        reason,
        Some(row.source.clone()),
    );
    r.evidence = format!("user={}; {}", row.fields.user, keys_evidence(&row.fields));
    Some(r)
}

/// `access_key_1 (last rotated 2024-02-03)`.
fn describe(key: &AccessKey) -> String {
    let when = match key.last_rotated {
        Dated::At(t) => crate::primitives::timestamp::format_date(t),
        other => other.describe(),
    };
    format!("{} (last rotated {when})", key.credential_name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{account, at, entry, key, root, run, user, with_root, with_users};

    #[test]
    fn one_active_key_passes() {
        let mut f = user("alice");
        f.access_keys[1] = key(2, true, at("2024-02-03T10:00:00Z"), Dated::NotApplicable);
        f.access_keys[0] = key(1, false, at("2023-02-03T10:00:00Z"), Dated::NotApplicable);
        let out = run(super::run, &with_users(account(), vec![f]));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].status, Status::Pass);
        assert_eq!(out[0].credential, None);
        assert_eq!(
            out[0].reason,
            "one active access key: access_key_2 (last rotated 2024-02-03); access_key_1 inactive"
        );
    }

    #[test]
    fn two_active_keys_fail() {
        let mut f = user("alice");
        f.access_keys[0] = key(1, true, at("2023-02-03T10:00:00Z"), Dated::NotApplicable);
        f.access_keys[1] = key(2, true, at("2024-02-03T10:00:00Z"), Dated::NotApplicable);
        let out = run(super::run, &with_users(account(), vec![f]));
        assert_eq!(out[0].status, Status::Fail);
        assert_eq!(out[0].severity, Severity::Low);
        assert_eq!(
            out[0].reason,
            "two active access keys: access_key_1 (last rotated 2023-02-03) and access_key_2 (last rotated 2024-02-03)"
        );
        assert!(
            out[0]
                .evidence
                .starts_with("user=alice; access_key_1_active=true;")
        );
    }

    #[test]
    fn users_without_active_keys_and_root_are_not_tested() {
        let mut r = root();
        r.access_keys[0] = key(1, true, at("2023-02-03T10:00:00Z"), Dated::NotApplicable);
        r.access_keys[1] = key(2, true, at("2023-02-03T10:00:00Z"), Dated::NotApplicable);
        let mut inactive = user("bob");
        inactive.access_keys[0] = key(1, false, at("2023-02-03T10:00:00Z"), Dated::NotApplicable);
        let a = with_root(with_users(account(), vec![user("alice"), inactive]), r);
        assert!(run(super::run, &a).is_empty());
    }

    #[test]
    fn conflicting_rows_are_not_determinable_when_either_shows_an_active_key() {
        let first = user("erin");
        let mut second = user("erin");
        second.access_keys[0] = key(1, true, at("2023-02-03T10:00:00Z"), Dated::NotApplicable);
        let mut a = account();
        if let Some(report) = a.credential_report.as_mut() {
            report.users.push(entry(4, vec![first, second]));
        }
        let out = run(super::run, &a);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].status, Status::NotDeterminable);
        assert_eq!(
            out[0].reason,
            "the credential report has conflicting rows for this user (line 4 and line 5)"
        );
    }

    #[test]
    fn conflicting_rows_without_active_keys_are_outside_the_population() {
        let first = user("erin");
        let mut second = user("erin");
        second.mfa_active = true;
        let mut a = account();
        if let Some(report) = a.credential_report.as_mut() {
            report.users.push(entry(4, vec![first, second]));
        }
        assert!(run(super::run, &a).is_empty());
    }

    #[test]
    fn no_credential_report_is_one_account_row() {
        let mut a = account();
        a.credential_report = None;
        let out = run(super::run, &a);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].status, Status::NotDeterminable);
    }
}
