//! `root-access-keys`: the root user of each account has no access key.
//!
//! FAIL when a root key exists, active or not (`access_key_N_last_rotated` is not `N/A`): CIS
//! audits "active", Security Hub IAM.4 and the Config rule "exists", and an inactive key can be
//! re-activated. No root row, or conflicting root rows: NOT_DETERMINABLE.

use super::{CheckMeta, CheckResult, References, Severity, Status, CheckContext, Title};
use super::helpers::{keys_evidence, result, root_row};
use crate::model::{AccessKey, Dated, ExportKind};

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "root-access-keys",
    title: Title::fixed("Root user has no access keys"),
    severity: Severity::Critical,
    severity_note: None,
    population: "the root user (`<root_account>` row of the credential report) of each account; one result per account",
    rationale: "A root access key gives unrestricted programmatic access to the whole account, cannot be limited \
                by IAM policies, and is easily leaked in code, scripts or CI logs. An inactive root key is still a \
                finding: anyone who can sign in as root can re-activate it.",
    remediation: "Sign in as root, open Security credentials, and delete every access key: deactivate it first \
                  to confirm nothing depends on it, and move any workload that does to an IAM role. In an AWS \
                  Organization, centralized root access can delete member accounts' root keys, and an SCP can \
                  deny `iam:CreateAccessKey` to the root user.",
    statuses: &[
        (
            Status::Pass,
            "the root row shows no access key (`access_key_1_last_rotated` and `access_key_2_last_rotated` are `N/A`)",
        ),
        (
            Status::Fail,
            "a root access key exists, active or inactive; the reason names each key and whether it is active",
        ),
        (
            Status::NotDeterminable,
            "no credential report, no root row in it, or conflicting root rows",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.4"),
        cis_v5: Some("1.3"),
        cis_v6: Some("2.3"),
        cis_v7: Some("2.4"),
        security_hub: Some("IAM.4"),
        config_rule: Some("iam-root-access-key-check"),
        control_tower: Some(
            "AWS-GR_RESTRICT_ROOT_USER_ACCESS_KEYS (preventive: disallow creation of access keys for the root user)",
        ),
    },
    needs: &[ExportKind::CredentialReport],
};

/// Tests the account's root user.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(row) = root_row(&META, account, "root access keys unknown", keys_evidence, out) else {
        return;
    };
    let root_arn = account.root_arn();
    let keys: Vec<&AccessKey> = row
        .fields
        .access_keys
        .iter()
        .filter(|k| k.exists())
        .collect();
    let (status, reason) = if keys.is_empty() {
        (
            Status::Pass,
            "root has no access keys (access_key_1_last_rotated and access_key_2_last_rotated are N/A)"
                .to_string(),
        )
    } else {
        let listed: Vec<String> = keys.iter().map(|k| describe(k)).collect();
        let noun = if keys.len() == 1 {
            "a root access key exists"
        } else {
            "two root access keys exist"
        };
        let mut reason = format!("{noun}: {}", listed.join("; "));
        if keys.iter().all(|k| !k.active) {
            reason.push_str(" (an inactive key can be re-activated; delete it)");
        }
        (Status::Fail, reason)
    };
    let mut r = result(
        &META,
        account,
        root_arn,
        status,
        reason,
        Some(row.source.clone()),
    );
    r.evidence = keys_evidence(&row.fields);
    out.push(r);
}

/// `access_key_1 active, last rotated 2024-02-03, last used 2024-05-30`.
fn describe(key: &AccessKey) -> String {
    let state = if key.active { "active" } else { "inactive" };
    let rotated = match key.last_rotated {
        Dated::At(t) => format!(
            ", last rotated {}",
            crate::primitives::timestamp::format_date(t)
        ),
        other => format!(", last rotated {}", other.describe()),
    };
    let used = match key.last_used {
        Dated::At(t) => format!(
            ", last used {}",
            crate::primitives::timestamp::format_date(t)
        ),
        Dated::NotApplicable => ", never used".to_string(),
        other => format!(", last used {}", other.describe()),
    };
    format!("{} {state}{rotated}{used}", key.credential_name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Account;
    use crate::checks::testing::{
        ACCOUNT, account, at, entry, key, root, run, with_root, with_users,
    };

    fn one(a: &Account) -> CheckResult {
        let out = run(super::run, a);
        assert_eq!(out.len(), 1, "{out:?}");
        out.into_iter().next().unwrap()
    }

    #[test]
    fn root_without_keys_passes() {
        let r = one(&with_root(account(), root()));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.resource_arn, format!("arn:aws:iam::{ACCOUNT}:root"));
        assert_eq!(r.credential, None);
        assert_eq!(r.source.unwrap().location, "line 2");
        assert!(r.evidence.contains("access_key_1_last_rotated=N/A"));
    }

    #[test]
    fn active_root_key_fails_naming_it() {
        let mut f = root();
        f.access_keys[0] = key(
            1,
            true,
            at("2024-02-03T10:00:00Z"),
            at("2024-06-01T08:00:00Z"),
        );
        let r = one(&with_root(account(), f));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            "a root access key exists: access_key_1 active, last rotated 2024-02-03, last used 2024-06-01"
        );
        assert_eq!(r.severity, Severity::Critical);
    }

    #[test]
    fn inactive_root_key_still_fails() {
        let mut f = root();
        f.access_keys[1] = key(
            2,
            false,
            at("2019-02-03T10:00:00Z"),
            crate::model::Dated::NotApplicable,
        );
        let r = one(&with_root(account(), f));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            "a root access key exists: access_key_2 inactive, last rotated 2019-02-03, never used \
             (an inactive key can be re-activated; delete it)"
        );
    }

    #[test]
    fn two_root_keys_are_both_named() {
        let mut f = root();
        f.access_keys[0] = key(1, true, at("2024-02-03T10:00:00Z"), Dated::NotApplicable);
        f.access_keys[1] = key(2, false, at("2023-02-03T10:00:00Z"), Dated::NotApplicable);
        let r = one(&with_root(account(), f));
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.reason
                .starts_with("two root access keys exist: access_key_1 active")
        );
        assert!(r.reason.contains("; access_key_2 inactive"));
    }

    #[test]
    fn no_root_row_is_not_determinable() {
        let r = one(&with_users(
            account(),
            vec![crate::checks::testing::user("alice")],
        ));
        assert_eq!(r.status, Status::NotDeterminable);
        assert!(r.reason.contains("no <root_account> row"), "{}", r.reason);
        assert_eq!(r.source.unwrap().location, "line 1");
    }

    #[test]
    fn conflicting_root_rows_are_not_determinable() {
        let mut other = root();
        other.access_keys[0] = key(1, true, at("2024-02-03T10:00:00Z"), Dated::NotApplicable);
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
        assert_eq!(r.evidence_sources.len(), 1);
        assert!(r.evidence.contains("line 3: access_key_1_active=true"));
    }

    #[test]
    fn no_credential_report_is_one_account_row() {
        let mut a = account();
        a.credential_report = None;
        let r = one(&a);
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(
            r.reason,
            "no credential report for this account in the inputs"
        );
        assert_eq!(r.source, None);
    }
}
