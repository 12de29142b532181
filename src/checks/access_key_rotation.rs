//! `access-key-rotation`: active access keys of IAM users are rotated within the limit.
//!
//! Population: every active key (`access_key_N_active = true`) of every IAM user (root is
//! `root-access-keys`' business). Age is whole days from `access_key_N_last_rotated` to the
//! account's as-of; FAIL when it is greater than `--max-key-age-days` (CIS "90 days or less").

use super::{CheckMeta, CheckResult, References, Severity, Status, Thresholds, CheckContext, Title};
use super::helpers::{Clock, NO_AS_OF, conflicting_rows, key_evidence, result, require};
use crate::model::{AccessKey, Account, CredentialEntry, Dated, ExportKind, CredentialReport};

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "access-key-rotation",
    title: Title::with_limit(
        "Active access keys are rotated every {} days or less",
        |t| t.max_key_age_days,
    ),
    severity: Severity::Medium,
    severity_note: None,
    population: "active access keys of IAM users (`access_key_N_active = true` in the credential report; root \
                 excluded); one result per key (`access_key_1` / `access_key_2`)",
    rationale: "An access key is a long-lived secret that ends up in scripts, CI variables and laptops. The longer \
                it lives, the more places it has been copied to and the longer a leaked copy stays useful. \
                Rotating keys bounds that window.",
    remediation: "Create a second key for the user (`aws iam create-access-key`), move every consumer to it, \
                  deactivate the old key (`aws iam update-access-key --status Inactive`), confirm nothing \
                  breaks, then delete it. Better, replace long-term keys with IAM roles or IAM Identity Center.",
    statuses: &[
        (
            Status::Pass,
            "the key was last rotated no more than the limit (`--max-key-age-days`, default 90) days before as-of",
        ),
        (
            Status::Fail,
            "the key was last rotated more than the limit days before as-of",
        ),
        (
            Status::NotDeterminable,
            "no credential report, no as-of date, no rotation date for an active key, or conflicting rows for the user",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.14"),
        cis_v5: Some("1.13"),
        cis_v6: Some("2.13"),
        cis_v7: Some("2.12"),
        security_hub: Some("IAM.3"),
        config_rule: Some("access-keys-rotated"),
        control_tower: None,
    },
    needs: &[ExportKind::CredentialReport],
};

/// Tests every active key of every IAM user in the account.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let thresholds = cx.thresholds;
    let Some(report) = require::<CredentialReport>(&META, account, out) else {
        return;
    };
    let clock = Clock::of(account);
    for entry in &report.users {
        judge_user(account, entry, clock.as_ref(), thresholds, out);
    }
}

fn judge_user(
    account: &Account,
    entry: &CredentialEntry,
    clock: Option<&Clock>,
    thresholds: &Thresholds,
    out: &mut Vec<CheckResult>,
) {
    for slot in 0..2 {
        if !entry.rows().any(|r| r.fields.access_keys[slot].active) {
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
        let key = &row.fields.access_keys[slot];
        let (status, reason) = judge_key(key, clock, thresholds);
        let mut r = result(
            &META,
            account,
            entry.arn(),
            status,
            reason,
            Some(row.source.clone()),
        );
        r.credential = Some(key.credential_name());
        r.evidence = format!("user={}; {}", row.fields.user, key_evidence(key));
        if let Some(c) = clock {
            r.evidence = format!("{}; {}", r.evidence, c.evidence);
        }
        out.push(r);
    }
}

fn judge_key(key: &AccessKey, clock: Option<&Clock>, thresholds: &Thresholds) -> (Status, String) {
    let name = key.credential_name();
    let Dated::At(rotated) = key.last_rotated else {
        return (
            Status::NotDeterminable,
            format!(
                "{name} is active but {name}_last_rotated is {}; its age cannot be measured",
                key.last_rotated.describe()
            ),
        );
    };
    let Some(clock) = clock else {
        return (
            Status::NotDeterminable,
            format!("{name} age unknown: {NO_AS_OF}"),
        );
    };
    let age = clock.age(rotated);
    let limit = thresholds.max_key_age_days;
    let status = if age.days > limit {
        Status::Fail
    } else {
        Status::Pass
    };
    let reason = format!(
        "{name} last rotated {}, {} (limit {limit})",
        crate::primitives::timestamp::format_date(rotated),
        age.phrase
    );
    (status, reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{
        ACCOUNT, account, as_of_generated, at, entry, key, root, run, run_with, user, with_root,
        with_users,
    };

    fn alice_with_key_rotated(when: &str) -> Account {
        let mut alice = user("alice");
        alice.access_keys[0] = key(1, true, at(when), Dated::NotApplicable);
        with_users(account(), vec![alice])
    }

    fn one(a: &Account, thresholds: &Thresholds) -> CheckResult {
        let out = run_with(super::run, a, thresholds);
        assert_eq!(out.len(), 1, "{out:?}");
        out.into_iter().next().unwrap()
    }

    #[test]
    fn old_key_fails_with_a_pasteable_reason() {
        // --as-of 2024-06-06 is the end of that day.
        let r = one(
            &alice_with_key_rotated("2024-02-03T10:00:00Z"),
            &Thresholds::default(),
        );
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            "access_key_1 last rotated 2024-02-03, 124 days before as-of 2024-06-06 (limit 90)"
        );
        assert_eq!(r.credential, Some("access_key_1"));
        assert_eq!(r.resource_arn, format!("arn:aws:iam::{ACCOUNT}:user/alice"));
        assert_eq!(r.severity, Severity::Medium);
        assert_eq!(
            r.evidence,
            "user=alice; access_key_1_active=true; access_key_1_last_rotated=2024-02-03T10:00:00Z; \
             access_key_1_last_used_date=N/A; as_of=2024-06-07T00:00:00Z (--as-of option (end of that day, UTC))"
        );
    }

    #[test]
    fn ninety_days_passes_ninety_one_fails() {
        // `--as-of 2024-06-06` is the end of that day, 2024-06-07T00:00Z.
        let r = one(
            &alice_with_key_rotated("2024-03-09T00:00:00Z"),
            &Thresholds::default(),
        );
        assert_eq!(r.status, Status::Pass, "{}", r.reason);
        assert!(r.reason.contains("90 days before"), "{}", r.reason);
        let r = one(
            &alice_with_key_rotated("2024-03-08T00:00:01Z"),
            &Thresholds::default(),
        );
        assert_eq!(r.status, Status::Pass, "{}", r.reason);
        assert!(r.reason.contains("90 days before"), "{}", r.reason);
        let r = one(
            &alice_with_key_rotated("2024-03-08T00:00:00Z"),
            &Thresholds::default(),
        );
        assert_eq!(r.status, Status::Fail, "{}", r.reason);
        assert!(r.reason.contains("91 days before"), "{}", r.reason);
        let r = one(
            &alice_with_key_rotated("2024-03-07T23:59:59Z"),
            &Thresholds::default(),
        );
        assert_eq!(r.status, Status::Fail, "{}", r.reason);
        assert!(r.reason.contains("91 days before"), "{}", r.reason);
    }

    #[test]
    fn generated_time_inside_a_day_is_the_exact_instant() {
        let mut a = alice_with_key_rotated("2024-03-08T12:00:00Z");
        a.as_of = as_of_generated("2024-06-06T11:59:59Z");
        let r = one(&a, &Thresholds::default());
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "access_key_1 last rotated 2024-03-08, 89 days before as-of 2024-06-06T11:59:59Z (limit 90)"
        );
        a.as_of = as_of_generated("2024-06-06T12:00:00Z");
        let r = one(&a, &Thresholds::default());
        assert_eq!(r.status, Status::Pass);
        assert!(r.reason.contains("90 days before"), "{}", r.reason);
        a.as_of = as_of_generated("2024-06-07T12:00:00Z");
        assert_eq!(one(&a, &Thresholds::default()).status, Status::Fail);
    }

    #[test]
    fn key_dated_after_as_of_is_age_zero() {
        let r = one(
            &alice_with_key_rotated("2024-06-10T00:00:00Z"),
            &Thresholds::default(),
        );
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "access_key_1 last rotated 2024-06-10, dated after as-of 2024-06-06, so age 0 (limit 90)"
        );
    }

    #[test]
    fn threshold_option_changes_the_limit() {
        let a = alice_with_key_rotated("2024-05-01T00:00:00Z");
        let strict = Thresholds {
            max_key_age_days: 30,
            ..Thresholds::default()
        };
        let r = one(&a, &strict);
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.reason
                .ends_with("37 days before as-of 2024-06-06 (limit 30)")
        );
        assert_eq!(one(&a, &Thresholds::default()).status, Status::Pass);
    }

    #[test]
    fn one_result_per_active_key_and_inactive_keys_are_not_tested() {
        let mut bob = user("bob");
        bob.access_keys[0] = key(1, false, at("2020-01-01T00:00:00Z"), Dated::NotApplicable);
        bob.access_keys[1] = key(2, true, at("2024-06-01T00:00:00Z"), Dated::NotApplicable);
        let mut carol = user("carol");
        carol.access_keys[0] = key(1, true, at("2020-01-01T00:00:00Z"), Dated::NotApplicable);
        carol.access_keys[1] = key(2, true, at("2024-06-01T00:00:00Z"), Dated::NotApplicable);
        let out = run(
            super::run,
            &with_users(account(), vec![bob, carol, user("dave")]),
        );
        let got: Vec<(&str, Option<&str>, Status)> = out
            .iter()
            .map(|r| {
                (
                    r.resource_arn.rsplit('/').next().unwrap(),
                    r.credential,
                    r.status,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("bob", Some("access_key_2"), Status::Pass),
                ("carol", Some("access_key_1"), Status::Fail),
                ("carol", Some("access_key_2"), Status::Pass),
            ]
        );
    }

    #[test]
    fn root_keys_are_excluded() {
        let mut r = root();
        r.access_keys[0] = key(1, true, at("2010-01-01T00:00:00Z"), Dated::NotApplicable);
        assert!(run(super::run, &with_root(account(), r)).is_empty());
    }

    #[test]
    fn conflicting_rows_are_not_determinable_per_key_either_row_shows() {
        let mut first = user("erin");
        first.access_keys[0] = key(1, true, at("2024-05-01T00:00:00Z"), Dated::NotApplicable);
        let mut second = first.clone();
        second.access_keys[0].active = false;
        second.access_keys[1] = key(2, true, at("2024-05-02T00:00:00Z"), Dated::NotApplicable);
        let mut a = account();
        if let Some(report) = a.credential_report.as_mut() {
            report.users.push(entry(5, vec![first, second]));
        }
        let out = run(super::run, &a);
        assert_eq!(out.len(), 2);
        for (r, cred) in out.iter().zip(["access_key_1", "access_key_2"]) {
            assert_eq!(r.status, Status::NotDeterminable);
            assert_eq!(r.credential, Some(cred));
            assert_eq!(
                r.reason,
                "the credential report has conflicting rows for this user (line 5 and line 6)"
            );
        }
    }

    #[test]
    fn active_key_without_rotation_date_is_not_determinable() {
        let mut alice = user("alice");
        alice.access_keys[1] = key(2, true, Dated::NotApplicable, Dated::NotApplicable);
        let r = one(&with_users(account(), vec![alice]), &Thresholds::default());
        assert_eq!(r.status, Status::NotDeterminable);
        assert!(
            r.reason.contains("access_key_2_last_rotated is N/A"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn no_as_of_is_not_determinable() {
        let mut a = alice_with_key_rotated("2024-05-01T00:00:00Z");
        a.as_of = crate::primitives::asof::AsOf::choose(None, None, None);
        let r = one(&a, &Thresholds::default());
        assert_eq!(r.status, Status::NotDeterminable);
        assert!(r.reason.contains("no as-of date"), "{}", r.reason);
    }

    #[test]
    fn no_credential_report_is_one_account_row() {
        let mut a = account();
        a.credential_report = None;
        let r = one(&a, &Thresholds::default());
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(r.resource_arn, a.root_arn());
        assert_eq!(r.credential, None);
    }
}
