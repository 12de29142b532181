//! `root-usage`: the root user was not used within the last `--root-usage-days` days.
//!
//! The last use of root is the latest of the root row's `password_last_used` and
//! `access_key_N_last_used_date` (`N/A`, `no_information` and `not_supported` are no use).
//! FAIL when its age in whole days before the as-of is below the limit.

use super::helpers::{CheckContext, Clock, NO_AS_OF, result, root_row};
use super::{CheckMeta, CheckResult, References, Severity, Status, Title};
use crate::model::credential::CredentialFields;
use crate::model::{Dated, ExportKind};
use crate::primitives::timestamp::format_date;
use time::OffsetDateTime;

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "root-usage",
    title: Title::with_limit(
        "Root user not used in the last {} days",
        |t| t.root_usage_days,
    ),
    severity: Severity::Medium,
    severity_note: None,
    population: "the root user (`<root_account>` row of the credential report) of each account; one result per account",
    rationale: "Day-to-day work belongs to IAM users and roles whose permissions can be limited and whose \
                actions are attributable to a person. A recent root sign-in or root key use is either one of \
                the few tasks only root can do, or a sign that root is used as an everyday account.",
    remediation: "Confirm with the account owner which task needed the root user and that it is among the tasks \
                  that require root; otherwise move the work to an IAM role. Review CloudTrail for the root \
                  user's actions (`userIdentity.type = Root`) and alert on root sign-ins.",
    statuses: &[
        (
            Status::Pass,
            "root's last recorded use (password or access key) is at least `--root-usage-days` days before the \
             as-of, or there is no recorded use",
        ),
        (
            Status::Fail,
            "root was used fewer than `--root-usage-days` days before the as-of; the reason names the credential",
        ),
        (
            Status::NotDeterminable,
            "no credential report, no root row in it, conflicting root rows, or no as-of date",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.7"),
        cis_v5: Some("1.6"),
        cis_v6: Some("2.6"),
        cis_v7: Some("2.7"),
        security_hub: None,
        config_rule: None,
        control_tower: None,
    },
    needs: &[ExportKind::CredentialReport],
};

/// Tests the account's root user.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(row) = root_row(&META, account, "root's last use unknown", evidence, out) else {
        return;
    };
    let root_arn = account.root_arn();
    let limit = cx.thresholds.root_usage_days;
    let (status, reason) = match (last_use(&row.fields), Clock::of(account)) {
        (None, _) => (
            Status::Pass,
            "no recorded use of root (password and access keys never used or no information)".to_string(),
        ),
        (Some(_), None) => (Status::NotDeterminable, NO_AS_OF.to_string()),
        (Some((what, at)), Some(clock)) => {
            let age = clock.age(at);
            let when = format!("{what} {}, {}", format_date(at), age.phrase);
            if age.days < limit {
                (
                    Status::Fail,
                    format!("{when} (limit {limit}): confirm the task needed the root user"),
                )
            } else {
                (Status::Pass, format!("{when} (limit {limit})"))
            }
        }
    };
    let mut r = result(
        &META,
        account,
        root_arn,
        status,
        reason,
        Some(row.source.clone()),
    );
    r.evidence = evidence(&row.fields);
    if let Some(clock) = Clock::of(account) {
        r.evidence.push_str(&format!("; {}", clock.evidence));
    }
    out.push(r);
}

/// The latest use of root: how the reason names it (`root signed in`, `root's access_key_1 was
/// used`) and when.
fn last_use(f: &CredentialFields) -> Option<(String, OffsetDateTime)> {
    let password = match f.password_last_used {
        Dated::At(t) => Some(("root signed in".to_string(), t)),
        _ => None,
    };
    let keys = f.access_keys.iter().filter_map(|k| match k.last_used {
        Dated::At(t) => Some((format!("root's {} was used", k.credential_name()), t)),
        _ => None,
    });
    // The latest wins; on a tie the password (listed first) is named.
    password
        .into_iter()
        .chain(keys)
        .fold(None, |best: Option<(String, OffsetDateTime)>, next| match best {
            Some(b) if b.1 >= next.1 => Some(b),
            _ => Some(next),
        })
}

fn evidence(f: &CredentialFields) -> String {
    format!(
        "password_last_used={}; access_key_1_last_used_date={}; access_key_2_last_used_date={}",
        f.password_last_used.describe(),
        f.access_keys[0].last_used.describe(),
        f.access_keys[1].last_used.describe()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Thresholds;
    use crate::checks::testing::{
        account, as_of_generated, at, entry, key, root, run, run_with, with_root,
    };
    use crate::model::Account;

    /// An account whose as-of is 2025-06-30T10:00:00Z and whose root last signed in at `used`.
    fn signed_in(used: &str) -> Account {
        let mut f = root();
        f.password_last_used = at(used);
        let mut a = with_root(account(), f);
        a.as_of = as_of_generated("2025-06-30T10:00:00Z");
        a
    }

    fn one(a: &Account) -> CheckResult {
        let out = run(super::run, a);
        assert_eq!(out.len(), 1, "{out:?}");
        out.into_iter().next().unwrap()
    }

    #[test]
    fn root_used_89_days_before_fails_and_90_days_before_passes() {
        let r = one(&signed_in("2025-04-02T10:00:00Z"));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            "root signed in 2025-04-02, 89 days before as-of 2025-06-30T10:00:00Z (limit 90): confirm the \
             task needed the root user"
        );
        assert_eq!(r.severity, Severity::Medium);
        let r = one(&signed_in("2025-04-01T10:00:00Z"));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "root signed in 2025-04-01, 90 days before as-of 2025-06-30T10:00:00Z (limit 90)"
        );
    }

    #[test]
    fn the_limit_is_the_root_usage_days_option() {
        let a = signed_in("2025-06-20T10:00:00Z");
        let lenient = Thresholds {
            root_usage_days: 7,
            ..Thresholds::default()
        };
        let out = run_with(super::run, &a, &lenient);
        assert_eq!(out[0].status, Status::Pass);
        assert!(out[0].reason.ends_with("(limit 7)"), "{}", out[0].reason);
    }

    #[test]
    fn no_recorded_use_passes() {
        let mut f = root();
        f.password_last_used = Dated::NoInformation;
        f.access_keys[0] = key(1, false, at("2019-01-01T00:00:00Z"), Dated::NotApplicable);
        let r = one(&with_root(account(), f));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "no recorded use of root (password and access keys never used or no information)"
        );
        assert!(r.evidence.starts_with("password_last_used=no_information;"), "{}", r.evidence);
    }

    #[test]
    fn the_latest_use_is_named_with_its_credential() {
        let mut a = signed_in("2025-01-01T10:00:00Z");
        if let Some(report) = a.credential_report.as_mut() {
            let mut f = report.root.as_ref().unwrap().first().fields.clone();
            f.access_keys[1] = key(
                2,
                true,
                at("2024-01-01T00:00:00Z"),
                at("2025-06-28T10:00:00Z"),
            );
            report.root = Some(entry(2, vec![f]));
        }
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.reason
                .starts_with("root's access_key_2 was used 2025-06-28, 2 days before as-of"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn no_root_row_is_not_determinable() {
        let r = one(&account());
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(
            r.reason,
            "the credential report has no <root_account> row; root's last use unknown"
        );
    }

    #[test]
    fn conflicting_root_rows_are_not_determinable() {
        let mut other = root();
        other.password_last_used = at("2024-06-01T00:00:00Z");
        let mut a = account();
        if let Some(report) = a.credential_report.as_mut() {
            report.root = Some(entry(2, vec![root(), other]));
        }
        let r = one(&a);
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(
            r.reason,
            "the credential report has conflicting rows for the root user (line 2 and line 3)"
        );
    }

    #[test]
    fn no_as_of_is_not_determinable_when_root_was_used() {
        let mut a = signed_in("2025-06-01T00:00:00Z");
        a.as_of = crate::primitives::asof::AsOf::choose(None, None, None);
        let r = one(&a);
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(r.reason, NO_AS_OF);
    }

    #[test]
    fn no_credential_report_is_one_account_row() {
        let mut a = account();
        a.credential_report = None;
        let r = one(&a);
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(r.reason, "no credential report for this account in the inputs");
    }
}
