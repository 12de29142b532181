//! `unused-credentials`: IAM users' enabled passwords and active keys have been used recently.
//!
//! Population: each enabled password (`password_enabled = true`) and each active key of every
//! IAM user (root excluded). Age is whole days from the last use to the account's as-of; FAIL
//! when it is `--max-unused-days` (45) or more (CIS "45 days or greater"). A credential never
//! used is aged from its issue: a password from `password_last_changed` (else
//! `user_creation_time`), a key from `access_key_N_last_rotated`. A password whose
//! `password_last_used` is `no_information` is aged from the later of its issue and 2014-10-20,
//! when IAM began tracking sign-ins.

use super::{CheckMeta, CheckResult, References, Severity, Status, Thresholds, CheckContext, Title};
use super::helpers::{Age, Clock, NO_AS_OF, conflicting_rows, key_evidence, result, require};
use crate::model::credential::CredentialFields;
use crate::model::{AccessKey, Account, CredentialEntry, Dated, ExportKind, Flag, CredentialReport};
use crate::primitives::timestamp::format_date;
use time::OffsetDateTime;

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "unused-credentials",
    title: Title::with_limit(
        "Credentials unused for {} days or more are disabled",
        |t| t.max_unused_days,
    ),
    severity: Severity::Medium,
    severity_note: None,
    population: "enabled console passwords and active access keys of IAM users (credential report; root \
                 excluded); one result per credential (`password` / `access_key_1` / `access_key_2`)",
    rationale: "A credential nobody uses still works for whoever holds a copy of it: a former employee, a \
                leaked script, a phished password. Nobody notices its use because nobody expects any. \
                Disabling unused credentials removes that standing access.",
    remediation: "Confirm with the owner that the credential is not needed, then remove the console password \
                  (`aws iam delete-login-profile --user-name USER`) or deactivate and delete the key \
                  (`aws iam update-access-key --status Inactive`, then `aws iam delete-access-key`). \
                  Remove the IAM user altogether when it has no remaining use.",
    statuses: &[
        (
            Status::Pass,
            "the credential was used, or if never used was issued, fewer than the limit \
             (`--max-unused-days`, default 45) days before as-of",
        ),
        (
            Status::Fail,
            "the credential was last used (or, never used, was issued) the limit or more days before as-of",
        ),
        (
            Status::NotDeterminable,
            "no credential report, no as-of date, no date to age the credential from, or conflicting rows for the user",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.12"),
        cis_v5: Some("1.11"),
        cis_v6: Some("2.11"),
        cis_v7: Some("2.11"),
        security_hub: Some("IAM.22"),
        config_rule: Some("iam-user-unused-credentials-check"),
        control_tower: None,
    },
    needs: &[ExportKind::CredentialReport],
};

/// When IAM began tracking password sign-ins: `no_information` means "not since then".
const SIGN_IN_TRACKING_START: OffsetDateTime = time::macros::datetime!(2014-10-20 0:00 UTC);

/// Tests every enabled password and active key of every IAM user in the account.
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

/// One tested credential of a user.
#[derive(Clone, Copy)]
enum Credential {
    Password,
    Key(usize),
}

impl Credential {
    fn name(self, f: &CredentialFields) -> &'static str {
        match self {
            Credential::Password => "password",
            Credential::Key(slot) => f.access_keys[slot].credential_name(),
        }
    }

    fn in_population(self, f: &CredentialFields) -> bool {
        match self {
            Credential::Password => f.password_enabled == Flag::True,
            Credential::Key(slot) => f.access_keys[slot].active,
        }
    }

    fn evidence(self, f: &CredentialFields) -> String {
        match self {
            Credential::Password => password_evidence(f),
            Credential::Key(slot) => key_evidence(&f.access_keys[slot]),
        }
    }
}

fn judge_user(
    account: &Account,
    entry: &CredentialEntry,
    clock: Option<&Clock>,
    thresholds: &Thresholds,
    out: &mut Vec<CheckResult>,
) {
    for credential in [Credential::Password, Credential::Key(0), Credential::Key(1)] {
        if !entry.rows().any(|r| credential.in_population(&r.fields)) {
            continue;
        }
        let row = entry.first();
        let name = credential.name(&row.fields);
        if entry.is_conflicting() {
            out.push(conflicting_rows(
                &META,
                account,
                entry.arn().to_string(),
                "this user",
                entry,
                Some(name),
                |f| credential.evidence(f),
            ));
            continue;
        }
        let f = &row.fields;
        let verdict = match credential {
            Credential::Password => judge_password(f, clock, thresholds),
            Credential::Key(slot) => judge_key(&f.access_keys[slot], clock, thresholds),
        };
        let (status, reason) = verdict.unwrap_or_else(|why| (Status::NotDeterminable, why));
        let mut r = result(
            &META,
            account,
            entry.arn(),
            status,
            reason,
            Some(row.source.clone()),
        );
        r.credential = Some(name);
        r.evidence = format!("user={}; {}", f.user, credential.evidence(f));
        if let Some(c) = clock {
            r.evidence = format!("{}; {}", r.evidence, c.evidence);
        }
        out.push(r);
    }
}

/// PASS below the limit, FAIL at or above it; the reason ends with the age and the limit.
fn verdict(what: String, age: &Age, thresholds: &Thresholds) -> (Status, String) {
    let limit = thresholds.max_unused_days;
    let status = if age.days >= limit {
        Status::Fail
    } else {
        Status::Pass
    };
    (status, format!("{what}, {} (limit {limit})", age.phrase))
}

fn judge_password(
    f: &CredentialFields,
    clock: Option<&Clock>,
    thresholds: &Thresholds,
) -> Result<(Status, String), String> {
    // The password's issue: when it was last set, else when the user was created.
    let issue = match (f.password_last_changed, f.user_creation_time) {
        (Dated::At(t), _) => Some((t, format!("set {}", format_date(t)))),
        (other, Dated::At(t)) => Some((
            t,
            format!(
                "password_last_changed {}, user created {}",
                other.describe(),
                format_date(t)
            ),
        )),
        _ => None,
    };
    let clock = clock.ok_or_else(|| format!("password age unknown: {NO_AS_OF}"))?;
    let no_issue = || {
        format!(
            "password never used and neither password_last_changed ({}) nor user_creation_time ({}) is a date; \
             its age cannot be measured",
            f.password_last_changed.describe(),
            f.user_creation_time.describe()
        )
    };
    match f.password_last_used {
        Dated::At(used) => Ok(verdict(
            format!("password last used {}", format_date(used)),
            &clock.age(used),
            thresholds,
        )),
        Dated::NotApplicable => {
            let (issued, how) = issue.ok_or_else(no_issue)?;
            Ok(verdict(
                format!("password never used; {how}"),
                &clock.age(issued),
                thresholds,
            ))
        }
        Dated::NoInformation => {
            let (issued, how) = issue.ok_or_else(no_issue)?;
            if issued >= SIGN_IN_TRACKING_START {
                Ok(verdict(
                    format!("password never used (no_information); {how}"),
                    &clock.age(issued),
                    thresholds,
                ))
            } else {
                Ok(verdict(
                    format!(
                        "password not used since IAM began tracking sign-ins (no_information); {how}, \
                         so aged from 2014-10-20"
                    ),
                    &clock.age(SIGN_IN_TRACKING_START),
                    thresholds,
                ))
            }
        }
        Dated::NotSupported => {
            Err("password_last_used is not_supported for an IAM user; last use unknown".to_string())
        }
    }
}

fn judge_key(
    key: &AccessKey,
    clock: Option<&Clock>,
    thresholds: &Thresholds,
) -> Result<(Status, String), String> {
    let name = key.credential_name();
    let clock = clock.ok_or_else(|| format!("{name} age unknown: {NO_AS_OF}"))?;
    let never = match key.last_used {
        Dated::At(used) => {
            return Ok(verdict(
                format!("{name} last used {}", format_date(used)),
                &clock.age(used),
                thresholds,
            ));
        }
        Dated::NotApplicable => "never used",
        Dated::NoInformation => "never used (no_information)",
        Dated::NotSupported => {
            return Err(format!(
                "{name}_last_used_date is not_supported; last use unknown"
            ));
        }
    };
    let Dated::At(issued) = key.last_rotated else {
        return Err(format!(
            "{name} {never} and {name}_last_rotated is {}; its age cannot be measured",
            key.last_rotated.describe()
        ));
    };
    Ok(verdict(
        format!("{name} {never}; issued {}", format_date(issued)),
        &clock.age(issued),
        thresholds,
    ))
}

fn password_evidence(f: &CredentialFields) -> String {
    format!(
        "password_enabled={}; password_last_used={}; password_last_changed={}; user_creation_time={}",
        f.password_enabled.describe(),
        f.password_last_used.describe(),
        f.password_last_changed.describe(),
        f.user_creation_time.describe()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{
        account, as_of_generated, at, entry, key, root, run, run_with, user, with_root, with_users,
    };

    fn password_user(last_used: Dated, last_changed: Dated) -> CredentialFields {
        let mut f = user("alice");
        f.password_enabled = Flag::True;
        f.password_last_used = last_used;
        f.password_last_changed = last_changed;
        f
    }

    fn key_user(slot: usize, rotated: Dated, used: Dated) -> CredentialFields {
        let mut f = user("alice");
        f.access_keys[slot] = key(slot as u8 + 1, true, rotated, used);
        f
    }

    fn one_with(f: CredentialFields, thresholds: &Thresholds) -> CheckResult {
        let out = run_with(super::run, &with_users(account(), vec![f]), thresholds);
        assert_eq!(out.len(), 1, "{out:?}");
        out.into_iter().next().unwrap()
    }

    fn one(f: CredentialFields) -> CheckResult {
        one_with(f, &Thresholds::default())
    }

    #[test]
    fn password_used_recently_passes_and_long_ago_fails() {
        let r = one(password_user(
            at("2024-05-30T09:00:00Z"),
            at("2024-01-01T00:00:00Z"),
        ));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.credential, Some("password"));
        assert_eq!(
            r.reason,
            "password last used 2024-05-30, 7 days before as-of 2024-06-06 (limit 45)"
        );
        let r = one(password_user(
            at("2024-04-01T09:00:00Z"),
            at("2024-01-01T00:00:00Z"),
        ));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            "password last used 2024-04-01, 66 days before as-of 2024-06-06 (limit 45)"
        );
        assert_eq!(
            r.evidence,
            "user=alice; password_enabled=true; password_last_used=2024-04-01T09:00:00Z; \
             password_last_changed=2024-01-01T00:00:00Z; user_creation_time=2024-01-01T00:00:00Z; \
             as_of=2024-06-07T00:00:00Z (--as-of option (end of that day, UTC))"
        );
    }

    #[test]
    fn forty_four_days_passes_forty_five_fails() {
        // `--as-of 2024-06-06` ends at 2024-06-07T00:00Z; 2024-04-23T00:00Z is 45 days before.
        let r = one(key_user(
            0,
            at("2024-01-01T00:00:00Z"),
            at("2024-04-23T00:00:01Z"),
        ));
        assert_eq!(r.status, Status::Pass, "{}", r.reason);
        assert_eq!(
            r.reason,
            "access_key_1 last used 2024-04-23, 44 days before as-of 2024-06-06 (limit 45)"
        );
        let r = one(key_user(
            0,
            at("2024-01-01T00:00:00Z"),
            at("2024-04-23T00:00:00Z"),
        ));
        assert_eq!(r.status, Status::Fail, "{}", r.reason);
        assert!(r.reason.contains("45 days before"), "{}", r.reason);
    }

    #[test]
    fn generated_time_inside_a_day_is_the_exact_instant() {
        let mut a = with_users(
            account(),
            vec![key_user(
                1,
                at("2024-01-01T00:00:00Z"),
                at("2024-04-22T15:00:00Z"),
            )],
        );
        a.as_of = as_of_generated("2024-06-06T14:59:59Z");
        let r = run(super::run, &a).remove(0);
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "access_key_2 last used 2024-04-22, 44 days before as-of 2024-06-06T14:59:59Z (limit 45)"
        );
        a.as_of = as_of_generated("2024-06-06T15:00:00Z");
        assert_eq!(run(super::run, &a).remove(0).status, Status::Fail);
    }

    #[test]
    fn password_never_used_is_aged_from_its_last_change() {
        let r = one(password_user(
            Dated::NotApplicable,
            at("2024-05-25T08:00:00Z"),
        ));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "password never used; set 2024-05-25, 12 days before as-of 2024-06-06 (limit 45)"
        );
        let r = one(password_user(
            Dated::NotApplicable,
            at("2024-03-01T08:00:00Z"),
        ));
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.reason
                .starts_with("password never used; set 2024-03-01, 97 days")
        );
    }

    #[test]
    fn password_never_used_without_last_change_is_aged_from_user_creation() {
        let mut f = password_user(Dated::NotApplicable, Dated::NotApplicable);
        f.user_creation_time = at("2024-05-01T00:00:00Z");
        let r = one(f);
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "password never used; password_last_changed N/A, user created 2024-05-01, \
             37 days before as-of 2024-06-06 (limit 45)"
        );
    }

    #[test]
    fn no_information_is_aged_from_issue_when_set_after_tracking_began() {
        let r = one(password_user(
            Dated::NoInformation,
            at("2024-05-25T08:00:00Z"),
        ));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "password never used (no_information); set 2024-05-25, 12 days before as-of 2024-06-06 (limit 45)"
        );
    }

    #[test]
    fn no_information_is_aged_from_2014_10_20_when_set_before() {
        let mut f = password_user(Dated::NoInformation, at("2013-05-01T00:00:00Z"));
        f.user_creation_time = at("2013-04-01T00:00:00Z");
        let mut a = with_users(account(), vec![f]);
        a.as_of = as_of_generated("2014-11-20T12:00:00Z");
        let r = run(super::run, &a).remove(0);
        assert_eq!(r.status, Status::Pass, "{}", r.reason);
        assert_eq!(
            r.reason,
            "password not used since IAM began tracking sign-ins (no_information); set 2013-05-01, \
             so aged from 2014-10-20, 31 days before as-of 2014-11-20T12:00:00Z (limit 45)"
        );
        a.as_of = as_of_generated("2014-12-04T00:00:00Z");
        let r = run(super::run, &a).remove(0);
        assert_eq!(r.status, Status::Fail, "{}", r.reason);
        assert!(r.reason.contains("45 days before"), "{}", r.reason);
    }

    #[test]
    fn key_never_used_is_aged_from_its_rotation() {
        let r = one(key_user(
            0,
            at("2024-05-07T00:00:00Z"),
            Dated::NotApplicable,
        ));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "access_key_1 never used; issued 2024-05-07, 31 days before as-of 2024-06-06 (limit 45)"
        );
        let r = one(key_user(
            1,
            at("2023-05-07T00:00:00Z"),
            Dated::NotApplicable,
        ));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.credential, Some("access_key_2"));
        assert!(
            r.reason
                .starts_with("access_key_2 never used; issued 2023-05-07, 397 days")
        );
    }

    #[test]
    fn use_dated_after_as_of_is_age_zero() {
        let r = one(key_user(
            0,
            at("2024-01-01T00:00:00Z"),
            at("2024-06-09T10:00:00Z"),
        ));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "access_key_1 last used 2024-06-09, dated after as-of 2024-06-06, so age 0 (limit 45)"
        );
    }

    #[test]
    fn threshold_option_changes_the_limit() {
        let f = key_user(0, at("2024-01-01T00:00:00Z"), at("2024-05-30T00:00:00Z"));
        let strict = Thresholds {
            max_unused_days: 7,
            ..Thresholds::default()
        };
        let r = one_with(f.clone(), &strict);
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.reason
                .ends_with("8 days before as-of 2024-06-06 (limit 7)")
        );
        assert_eq!(one(f).status, Status::Pass);
    }

    #[test]
    fn disabled_passwords_and_inactive_keys_are_not_tested() {
        let mut f = user("alice");
        f.password_last_used = at("2020-01-01T00:00:00Z");
        f.access_keys[0] = key(1, false, at("2020-01-01T00:00:00Z"), Dated::NotApplicable);
        assert!(run(super::run, &with_users(account(), vec![f])).is_empty());
    }

    #[test]
    fn one_result_per_credential() {
        let mut f = password_user(at("2024-06-01T00:00:00Z"), at("2024-01-01T00:00:00Z"));
        f.access_keys[0] = key(
            1,
            true,
            at("2024-01-01T00:00:00Z"),
            at("2024-01-02T00:00:00Z"),
        );
        f.access_keys[1] = key(
            2,
            true,
            at("2024-01-01T00:00:00Z"),
            at("2024-06-02T00:00:00Z"),
        );
        let out = run(super::run, &with_users(account(), vec![f]));
        let got: Vec<(Option<&str>, Status)> =
            out.iter().map(|r| (r.credential, r.status)).collect();
        assert_eq!(
            got,
            vec![
                (Some("password"), Status::Pass),
                (Some("access_key_1"), Status::Fail),
                (Some("access_key_2"), Status::Pass),
            ]
        );
    }

    #[test]
    fn root_is_excluded_even_with_a_password() {
        // Newer reports give root a real password_enabled.
        let mut r = root();
        r.password_enabled = Flag::True;
        r.password_last_used = at("2020-01-01T00:00:00Z");
        r.password_last_changed = at("2020-01-01T00:00:00Z");
        r.access_keys[0] = key(1, true, at("2020-01-01T00:00:00Z"), Dated::NotApplicable);
        assert!(run(super::run, &with_root(account(), r)).is_empty());
    }

    #[test]
    fn conflicting_rows_are_not_determinable_per_credential_either_row_shows() {
        let first = password_user(at("2024-06-01T00:00:00Z"), at("2024-01-01T00:00:00Z"));
        let mut second = first.clone();
        second.password_enabled = Flag::False;
        second.access_keys[1] = key(2, true, at("2024-01-01T00:00:00Z"), Dated::NotApplicable);
        let mut a = account();
        if let Some(report) = a.credential_report.as_mut() {
            report.users.push(entry(7, vec![first, second]));
        }
        let out = run(super::run, &a);
        let got: Vec<(Option<&str>, Status)> =
            out.iter().map(|r| (r.credential, r.status)).collect();
        assert_eq!(
            got,
            vec![
                (Some("password"), Status::NotDeterminable),
                (Some("access_key_2"), Status::NotDeterminable),
            ]
        );
        assert_eq!(
            out[0].reason,
            "the credential report has conflicting rows for this user (line 7 and line 8)"
        );
        assert!(
            out[0]
                .evidence
                .starts_with("line 7: password_enabled=true;")
        );
        assert!(
            out[0]
                .evidence
                .contains(" | line 8: password_enabled=false;")
        );
    }

    #[test]
    fn no_as_of_is_not_determinable() {
        let mut a = with_users(
            account(),
            vec![password_user(
                at("2024-06-01T00:00:00Z"),
                at("2024-01-01T00:00:00Z"),
            )],
        );
        a.as_of = crate::primitives::asof::AsOf::choose(None, None, None);
        let r = run(super::run, &a).remove(0);
        assert_eq!(r.status, Status::NotDeterminable);
        assert!(
            r.reason.starts_with("password age unknown: no as-of date"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn key_never_used_without_rotation_date_is_not_determinable() {
        let r = one(key_user(0, Dated::NotApplicable, Dated::NotApplicable));
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(
            r.reason,
            "access_key_1 never used and access_key_1_last_rotated is N/A; its age cannot be measured"
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
