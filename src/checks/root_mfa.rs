//! `root-mfa`: the root user of each account has MFA.
//!
//! PASS when `mfa_active = true`, or when the report shows root has no credentials at all
//! (no password, no access key: centralized root access removed them).

use super::{CheckMeta, CheckResult, References, Severity, Status, CheckContext, Title};
use super::helpers::{conflicting, require, result};
use crate::model::{CredentialReport, ExportKind, Flag};

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "root-mfa",
    title: Title::fixed("Root user has MFA enabled"),
    severity: Severity::Critical,
    severity_note: None,
    population: "the root user (`<root_account>` row of the credential report) of each account; one result per account",
    rationale: "The root user has unrestricted access to the account and cannot be limited by IAM policies. \
                Without MFA, its password alone is enough to take over the account.",
    remediation: "Sign in as root and enable MFA (preferably a hardware key) under Security credentials, or, \
                  in an AWS Organization, use centralized root access to remove the member account's root \
                  credentials (`aws iam delete-login-profile` via `sts:AssumeRoot`).",
    statuses: &[
        (
            Status::Pass,
            "root has an active MFA device, or root has no password and no access key (credentials removed)",
        ),
        (
            Status::Fail,
            "root has no active MFA device and can still sign in",
        ),
        (
            Status::NotDeterminable,
            "no credential report, no root row in it, or conflicting root rows",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.5"),
        cis_v5: Some("1.4"),
        cis_v6: Some("2.4"),
        cis_v7: Some("2.5"),
        security_hub: Some("IAM.9"),
        config_rule: Some("root-account-mfa-enabled"),
        control_tower: Some("AWS-GR_ROOT_ACCOUNT_MFA_ENABLED (detective: MFA for the root user)"),
    },
    needs: &[ExportKind::CredentialReport],
};

/// Tests the account's root user.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(report) = require::<CredentialReport>(&META, account, out) else {
        return;
    };
    let root_arn = account.root_arn();
    let Some(entry) = &report.root else {
        out.push(result(
            &META,
            account,
            root_arn,
            Status::NotDeterminable,
            "the credential report has no <root_account> row",
            Some(report.header_source.clone()),
        ));
        return;
    };
    if entry.is_conflicting() {
        out.push(conflicting(
            &META,
            account,
            root_arn,
            "conflicting root rows",
            entry,
        ));
        return;
    }
    let row = entry.first();
    let f = &row.fields;
    let no_keys = f.access_keys.iter().all(|k| !k.exists());
    let (status, reason) = if f.mfa_active {
        (
            Status::Pass,
            "root user has an active MFA device".to_string(),
        )
    } else if f.password_enabled == Flag::False && no_keys {
        (
            Status::Pass,
            "root credentials removed; no sign-in possible".to_string(),
        )
    } else {
        let how = match f.password_enabled {
            Flag::True => "root has a console password and no MFA device",
            Flag::NotSupported => {
                "root has no MFA device (password status not reported: not_supported)"
            }
            Flag::False => "root has no MFA device and has an access key",
        };
        (Status::Fail, how.to_string())
    };
    let mut r = result(
        &META,
        account,
        root_arn,
        status,
        reason,
        Some(row.source.clone()),
    );
    r.evidence = format!(
        "mfa_active={}; password_enabled={}; access_key_1_active={}; access_key_2_active={}",
        f.mfa_active,
        f.password_enabled.describe(),
        f.access_keys[0].active,
        f.access_keys[1].active
    );
    out.push(r);
}
