//! `password-policy`: the account password policy requires long passwords and prevents reuse.
//!
//! One result per account. MANUAL when no `get-account-password-policy` export was given; FAIL
//! when the export says no policy is set (`NoSuchEntity`); PASS when `MinimumPasswordLength`
//! and `PasswordReusePrevention` meet `--min-password-length` (14) and `--min-password-reuse`
//! (24); the reason names each shortfall.

use super::{CheckMeta, CheckResult, References, Severity, Status, CheckContext, Title};
use super::helpers::{result};
use crate::model::{Account, ExportKind, PasswordPolicyEvidence};
use crate::primitives::source::SourceRef;

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "password-policy",
    title: Title::fixed("Password policy requires a minimum length and prevents reuse"),
    severity: Severity::Medium,
    severity_note: None,
    population: "every account (the `aws iam get-account-password-policy` export); one result per account, \
                 MANUAL where no password policy was exported",
    rationale: "Short passwords fall to guessing and cracking, and reused passwords bring back credentials \
                that may already have leaked. The account password policy is the only control IAM offers over \
                the passwords of its console users.",
    remediation: "Set the account password policy (IAM console > Account settings, or \
                  `aws iam update-account-password-policy --minimum-password-length 14 \
                  --password-reuse-prevention 24`), keeping any stricter settings already in place.",
    statuses: &[
        (
            Status::Pass,
            "MinimumPasswordLength and PasswordReusePrevention are at least the required values \
             (`--min-password-length`, default 14; `--min-password-reuse`, default 24)",
        ),
        (
            Status::Fail,
            "no password policy is set, or it falls short; the reason names each shortfall",
        ),
        (
            Status::Manual,
            "no password policy export for the account: collect `aws iam get-account-password-policy`",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.8, 1.9"),
        cis_v5: Some("1.7, 1.8"),
        cis_v6: Some("2.7, 2.8"),
        cis_v7: Some("2.8, 2.9"),
        security_hub: Some("IAM.7, IAM.15, IAM.16"),
        config_rule: Some("iam-password-policy"),
        control_tower: None,
    },
    needs: &[ExportKind::PasswordPolicy],
};

/// Tests the account's password policy.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let thresholds = cx.thresholds;
    let min_length = thresholds.min_password_length;
    let min_reuse = thresholds.min_password_reuse;
    let required = format!(
        "required MinimumPasswordLength >= {min_length} and PasswordReusePrevention >= {min_reuse}"
    );
    let r = match &account.password_policy {
        None => result(
            &META,
            account,
            account.root_arn(),
            Status::Manual,
            format!(
                "no password policy export for this account: collect `aws iam get-account-password-policy` \
                 ({required})"
            ),
            None,
        ),
        Some(PasswordPolicyEvidence::NotSet { source }) => not_set(account, source, &required),
        Some(PasswordPolicyEvidence::Set {
            minimum_length,
            reuse_prevention,
            fields,
            source,
        }) => {
            let (status, reason) = verdict_on_set(&[
                ("MinimumPasswordLength", *minimum_length, min_length),
                ("PasswordReusePrevention", *reuse_prevention, min_reuse),
            ]);
            let mut r = result(
                &META,
                account,
                account.root_arn(),
                status,
                reason,
                Some(source.clone()),
            );
            r.evidence = fields
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            r
        }
    };
    out.push(r);
}

/// FAIL: the account has no password policy (NoSuchEntity), so AWS defaults apply.
fn not_set(account: &Account, source: &SourceRef, required: &str) -> CheckResult {
    let mut r = result(
        &META,
        account,
        account.root_arn(),
        Status::Fail,
        format!(
            "no password policy is set (NoSuchEntity): AWS defaults apply (minimum length 8, no reuse \
             prevention); {required}"
        ),
        Some(source.clone()),
    );
    r.evidence = "GetAccountPasswordPolicy: NoSuchEntity (no password policy)".into();
    r
}

/// PASS when every `(setting, value, minimum)` meets its minimum, else FAIL naming each
/// shortfall.
fn verdict_on_set(checks: &[(&str, Option<u64>, u64)]) -> (Status, String) {
    let shortfalls: Vec<String> = checks
        .iter()
        .filter_map(|&(name, value, min)| match value {
            Some(v) if v >= min => None,
            Some(v) => Some(format!("{name} {v} is below {min}")),
            None => Some(format!("{name} not set (required >= {min})")),
        })
        .collect();
    if shortfalls.is_empty() {
        let met: Vec<String> = checks
            .iter()
            .map(|&(name, value, min)| {
                format!("{name} {} (required >= {min})", value.unwrap_or_default())
            })
            .collect();
        (Status::Pass, met.join("; "))
    } else {
        (
            Status::Fail,
            format!("password policy falls short: {}", shortfalls.join("; ")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Thresholds;
    use crate::model::Account;
    use crate::checks::testing::{account, run, run_with};
    use crate::primitives::source::FileRef;
    use std::collections::BTreeMap;

    fn policy_file() -> FileRef {
        FileRef {
            file: "password-policy.json".into(),
            sha256: "2".repeat(64).into(),
        }
    }

    fn set(minimum_length: Option<u64>, reuse_prevention: Option<u64>) -> Account {
        let mut fields = BTreeMap::new();
        if let Some(n) = minimum_length {
            fields.insert("MinimumPasswordLength".to_string(), n.to_string());
        }
        if let Some(n) = reuse_prevention {
            fields.insert("PasswordReusePrevention".to_string(), n.to_string());
        }
        fields.insert("RequireSymbols".to_string(), "true".to_string());
        let mut a = account();
        a.password_policy = Some(PasswordPolicyEvidence::Set {
            minimum_length,
            reuse_prevention,
            fields,
            source: policy_file().at("/PasswordPolicy"),
        });
        a
    }

    fn one(a: &Account) -> CheckResult {
        let out = run(super::run, a);
        assert_eq!(out.len(), 1);
        out.into_iter().next().unwrap()
    }

    #[test]
    fn compliant_policy_passes() {
        let r = one(&set(Some(14), Some(24)));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "MinimumPasswordLength 14 (required >= 14); PasswordReusePrevention 24 (required >= 24)"
        );
        assert_eq!(
            r.evidence,
            "MinimumPasswordLength=14; PasswordReusePrevention=24; RequireSymbols=true"
        );
        assert_eq!(r.source.unwrap().location, "/PasswordPolicy");
        assert_eq!(r.credential, None);
    }

    #[test]
    fn each_shortfall_is_named() {
        let r = one(&set(Some(8), Some(5)));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            "password policy falls short: MinimumPasswordLength 8 is below 14; PasswordReusePrevention 5 is below 24"
        );
        let r = one(&set(Some(16), None));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            "password policy falls short: PasswordReusePrevention not set (required >= 24)"
        );
        let r = one(&set(Some(13), Some(24)));
        assert_eq!(
            r.reason,
            "password policy falls short: MinimumPasswordLength 13 is below 14"
        );
    }

    #[test]
    fn thresholds_are_options() {
        let lenient = Thresholds {
            min_password_length: 8,
            min_password_reuse: 5,
            ..Thresholds::default()
        };
        let a = set(Some(8), Some(5));
        let r = run_with(super::run, &a, &lenient).remove(0);
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "MinimumPasswordLength 8 (required >= 8); PasswordReusePrevention 5 (required >= 5)"
        );
    }

    #[test]
    fn no_policy_set_fails() {
        let mut a = account();
        a.password_policy = Some(PasswordPolicyEvidence::NotSet {
            source: policy_file().at("/Error"),
        });
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.reason
                .starts_with("no password policy is set (NoSuchEntity)")
        );
        assert_eq!(r.resource_arn, a.root_arn());
    }

    #[test]
    fn no_export_is_manual() {
        let r = one(&account());
        assert_eq!(r.status, Status::Manual);
        assert_eq!(
            r.reason,
            "no password policy export for this account: collect `aws iam get-account-password-policy` \
             (required MinimumPasswordLength >= 14 and PasswordReusePrevention >= 24)"
        );
        assert_eq!(r.source, None);
    }
}
