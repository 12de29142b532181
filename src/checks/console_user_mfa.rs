//! `console-user-mfa`: IAM users with a console password have an MFA device.
//!
//! Population: users whose credential report row has `password_enabled = true`. FAIL when
//! `mfa_active = false`. Conflicting duplicate rows and users known only from the
//! authorization export are NOT_DETERMINABLE.

use super::{CheckMeta, CheckResult, References, Severity, Status, CheckContext, Title};
use super::helpers::{conflicting, require, result};
use crate::model::{Account, CredentialEntry, ExportKind, Flag, CredentialReport};

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "console-user-mfa",
    title: Title::fixed("IAM users with console access have MFA enabled"),
    severity: Severity::High,
    severity_note: None,
    population: "IAM users with a console password (`password_enabled = true` in the credential report); one result per user",
    rationale: "A console password alone can be phished, guessed or reused from another breach. \
                MFA requires a second factor the attacker does not have, and is the control CIS, \
                Security Hub and Control Tower all expect for every console user.",
    remediation: "Have each listed user enroll an MFA device (IAM console > Users > user > Security credentials > \
                  Assign MFA device), or remove the console password if the user does not need the console \
                  (`aws iam delete-login-profile --user-name USER`). Enforce enrollment with a deny-unless-MFA policy.",
    statuses: &[
        (
            Status::Pass,
            "the user has a console password and an active MFA device",
        ),
        (
            Status::Fail,
            "the user has a console password and no active MFA device",
        ),
        (
            Status::NotDeterminable,
            "the user is not in the credential report, the report has conflicting rows for the user, or the account has no credential report",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.10"),
        cis_v5: Some("1.9"),
        cis_v6: Some("2.9"),
        cis_v7: Some("2.10"),
        security_hub: Some("IAM.5"),
        config_rule: Some("mfa-enabled-for-iam-console-access"),
        control_tower: Some(
            "AWS-GR_IAM_USER_MFA_ENABLED (detective: MFA for IAM users with console access)",
        ),
    },
    needs: &[ExportKind::CredentialReport],
};

/// Tests every console user of the account.
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
    if let Some(auth) = &account.authorization {
        for user in &auth.users {
            if report.user(&user.canonical_arn).is_none() && report.user(&user.arn).is_none() {
                out.push(result(
                    &META,
                    account,
                    user.arn.clone(),
                    Status::NotDeterminable,
                    "user not in the credential report (created after it was generated, or a different export date); \
                     console password and MFA unknown",
                    Some(user.source.clone()),
                ));
            }
        }
    }
}

fn judge(account: &Account, entry: &CredentialEntry) -> Option<CheckResult> {
    let has_password =
        |e: &CredentialEntry| e.rows().any(|r| r.fields.password_enabled == Flag::True);
    if !has_password(entry) {
        return None;
    }
    if entry.is_conflicting() {
        return Some(conflicting(
            &META,
            account,
            entry.arn(),
            "conflicting rows for this user",
            entry,
        ));
    }
    let row = entry.first();
    let f = &row.fields;
    let (status, reason) = if f.mfa_active {
        (Status::Pass, "console password enabled; MFA device active")
    } else {
        (Status::Fail, "console password enabled, no MFA device")
    };
    let mut r = result(
        &META,
        account,
        entry.arn(),
        status,
        reason,
        Some(row.source.clone()),
    );
    r.evidence = format!(
        "user={}; password_enabled=true; mfa_active={}; password_last_used={}; user_creation_time={}",
        f.user,
        f.mfa_active,
        f.password_last_used.describe(),
        f.user_creation_time.describe()
    );
    Some(r)
}
