//! `root-hardware-mfa`: the root user's MFA is not a virtual device.
//!
//! Root's MFA state comes from the credential report's root row, else the account summary's
//! `AccountMFAEnabled`; the virtual MFA device list tells whether root's device is virtual.
//! Statuses are decided in this order: conflicting root rows (NOT_DETERMINABLE, unless a
//! listed device is root's), root credentials removed (PASS), a listed virtual device is
//! root's (FAIL), MFA off (FAIL), no MFA state (NOT_DETERMINABLE), no list or an incomplete
//! list (NOT_DETERMINABLE), otherwise PASS.

use super::helpers::{CheckContext, conflicting, result};
use super::{CheckMeta, CheckResult, References, Severity, Status, Title};
use crate::model::{Account, ExportKind, Flag, VirtualMfaDevice, VirtualMfaDevices};
use crate::primitives::source::SourceRef;

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "root-hardware-mfa",
    title: Title::fixed("Root user's MFA is a hardware device, not a virtual one"),
    severity: Severity::High,
    severity_note: None,
    population: "the root user of each audited account (MFA state from the credential report's `<root_account>` row, \
                 else the account summary's `AccountMFAEnabled`); one result per account",
    rationale: "A virtual MFA app lives on a phone or laptop that is also used for everything else and can be \
                lost, cloned or restored from a backup. CIS asks for a hardware token or a FIDO security key for \
                the one user whose sign-in cannot be limited by any IAM policy.",
    remediation: "Sign in as root, remove the virtual MFA device under Security credentials and register a \
                  hardware TOTP token or a FIDO security key instead; keep the device in a safe with a named \
                  custodian. In an AWS Organization, centralized root access can remove member accounts' root \
                  credentials altogether.",
    statuses: &[
        (
            Status::Pass,
            "root has MFA and the virtual MFA device list holds no device of root's (a hardware token or a FIDO \
             security key), or root's credentials were removed",
        ),
        (
            Status::Fail,
            "the virtual MFA device list holds root's device (by `User.Arn` or the `root-account-mfa-device` \
             serial), or root has no MFA at all (see `root-mfa`)",
        ),
        (
            Status::NotDeterminable,
            "no virtual MFA device list, an incomplete one, no root MFA state (no root row and no account \
             summary), or conflicting root rows",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.6"),
        cis_v5: Some("1.5"),
        cis_v6: Some("2.5"),
        cis_v7: Some("2.6"),
        security_hub: Some("IAM.6"),
        config_rule: Some("root-account-hardware-mfa-enabled"),
        control_tower: None,
    },
    needs: &[
        ExportKind::CredentialReport,
        ExportKind::AccountSummary,
        ExportKind::VirtualMfaDevices,
    ],
};

/// What the inputs say about root's credentials.
struct RootState {
    /// `Some(true)` MFA on, `Some(false)` off, `None` unknown.
    mfa: Option<bool>,
    /// No password and no access key: no sign-in possible.
    removed: bool,
    /// The row or summary it came from.
    source: Option<SourceRef>,
    /// The values read, as evidence.
    evidence: String,
}

/// Tests the account's root user.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let list = account.virtual_mfa.as_ref();
    let roots_device = list.and_then(|l| l.devices.iter().find(|d| is_roots(account, d)));
    let root_row = account
        .credential_report
        .as_ref()
        .and_then(|r| r.root.as_ref());
    if let Some(entry) = root_row.filter(|e| e.is_conflicting()) {
        out.push(match roots_device {
            Some(device) => virtual_device(account, device, list),
            None => conflicting(
                &META,
                account,
                account.root_arn(),
                "conflicting root rows",
                entry,
            ),
        });
        return;
    }
    let state = root_state(account);
    if let (false, Some(device)) = (state.removed, roots_device) {
        out.push(virtual_device(account, device, list));
        return;
    }
    let (status, reason) = if state.removed {
        (
            Status::Pass,
            "root credentials removed; no sign-in possible".to_string(),
        )
    } else {
        match (state.mfa, list) {
            (Some(false), _) => (
                Status::Fail,
                "root has no MFA device at all (see root-mfa)".to_string(),
            ),
            (None, _) => (Status::NotDeterminable, no_state_reason(account)),
            (Some(true), None) => (
                Status::NotDeterminable,
                "no virtual MFA device list for this account: collect `aws iam list-virtual-mfa-devices` \
                 (keep the default --assignment-status Any)"
                    .to_string(),
            ),
            (Some(true), Some(l)) if l.incomplete => (
                Status::NotDeterminable,
                "the virtual MFA device list is incomplete (IsTruncated or a NextToken): root's device may be \
                 on a page that was not exported"
                    .to_string(),
            ),
            (Some(true), Some(_)) => (
                Status::Pass,
                "root has MFA and it is not a virtual device: a hardware token or a FIDO security key"
                    .to_string(),
            ),
        }
    };
    let mut r = result(
        &META,
        account,
        account.root_arn(),
        status,
        reason,
        state.source,
    );
    r.evidence = state.evidence;
    if let Some(l) = list {
        r.evidence
            .push_str(&format!("; virtual_mfa_devices={}", l.devices.len()));
        r.evidence_sources.push(l.source.clone());
    }
    out.push(r);
}

/// True when a listed device is root's: assigned to the root ARN, or the assigned
/// `root-account-mfa-device` serial of this account.
fn is_roots(account: &Account, device: &VirtualMfaDevice) -> bool {
    let root_arn = account.root_arn();
    let root_serial = format!(
        "arn:{}:iam::{}:mfa/root-account-mfa-device",
        account.partition, account.id
    );
    device.user_arn.as_deref() == Some(root_arn.as_str())
        || (device.serial == root_serial && device.is_assigned())
}

fn virtual_device(
    account: &Account,
    device: &VirtualMfaDevice,
    list: Option<&VirtualMfaDevices>,
) -> CheckResult {
    let enabled = match device.enable_date.as_deref() {
        Some(text) => match crate::primitives::timestamp::parse(text) {
            Some(t) => format!("enabled {}", crate::primitives::timestamp::format_date(t)),
            None => format!("enabled {text}"),
        },
        None => "no EnableDate listed".to_string(),
    };
    let mut r = result(
        &META,
        account,
        account.root_arn(),
        Status::Fail,
        format!(
            "root's MFA is a virtual device: {} ({enabled})",
            device.serial
        ),
        Some(device.source.clone()),
    );
    r.evidence = format!(
        "SerialNumber={}; User.Arn={}; EnableDate={}; virtual_mfa_devices={}",
        device.serial,
        device.user_arn.as_deref().unwrap_or("(none)"),
        device.enable_date.as_deref().unwrap_or("(none)"),
        list.map_or(0, |l| l.devices.len())
    );
    r
}

/// Root's MFA state from the root row, else the account summary.
fn root_state(account: &Account) -> RootState {
    let row = account
        .credential_report
        .as_ref()
        .and_then(|r| r.root.as_ref())
        .map(|e| e.first());
    if let Some(row) = row {
        let f = &row.fields;
        let no_keys = f.access_keys.iter().all(|k| !k.exists());
        return RootState {
            mfa: Some(f.mfa_active),
            removed: f.password_enabled == Flag::False && no_keys,
            source: Some(row.source.clone()),
            evidence: format!(
                "mfa_active={}; password_enabled={}; access_key_1_active={}; access_key_2_active={}",
                f.mfa_active,
                f.password_enabled.describe(),
                f.access_keys[0].active,
                f.access_keys[1].active
            ),
        };
    }
    let Some(summary) = &account.summary else {
        return RootState {
            mfa: None,
            removed: false,
            source: None,
            evidence: String::new(),
        };
    };
    let value = |key: &str| summary.values.get(key).copied();
    let shown = |key: &str| value(key).map_or("(absent)".to_string(), |v| v.to_string());
    RootState {
        mfa: value("AccountMFAEnabled").map(|v| v != 0),
        removed: value("AccountPasswordPresent") == Some(0)
            && value("AccountAccessKeysPresent") == Some(0),
        source: Some(summary.source.clone()),
        evidence: format!(
            "AccountMFAEnabled={}; AccountPasswordPresent={}; AccountAccessKeysPresent={}",
            shown("AccountMFAEnabled"),
            shown("AccountPasswordPresent"),
            shown("AccountAccessKeysPresent")
        ),
    }
}

fn no_state_reason(account: &Account) -> String {
    let report = match &account.credential_report {
        Some(_) => "the credential report has no <root_account> row".to_string(),
        None => account.missing_reason(ExportKind::CredentialReport),
    };
    let summary = match &account.summary {
        Some(_) => "the account summary has no AccountMFAEnabled",
        None => "no account summary",
    };
    format!("root's MFA state is unknown: {report}, and {summary}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{ACCOUNT, account, entry, key, root, run, with_root};
    use crate::model::{AccountSummary, Dated};
    use crate::primitives::source::FileRef;

    fn list_file() -> FileRef {
        FileRef {
            file: "virtual-mfa.json".into(),
            sha256: "2".repeat(64).into(),
        }
    }

    fn device(i: usize, serial: &str, user: Option<&str>, enabled: Option<&str>) -> VirtualMfaDevice {
        VirtualMfaDevice {
            serial: serial.into(),
            user_arn: user.map(str::to_string),
            enable_date: enabled.map(str::to_string),
            source: list_file().at(format!("/VirtualMFADevices/{i}")),
        }
    }

    fn with_list(mut a: Account, devices: Vec<VirtualMfaDevice>, incomplete: bool) -> Account {
        a.virtual_mfa = Some(VirtualMfaDevices {
            devices,
            incomplete,
            source: list_file().at("/VirtualMFADevices"),
        });
        a
    }

    fn alice_device(i: usize) -> VirtualMfaDevice {
        device(
            i,
            &format!("arn:aws:iam::{ACCOUNT}:mfa/alice"),
            Some(&format!("arn:aws:iam::{ACCOUNT}:user/alice")),
            Some("2024-01-02T10:00:00Z"),
        )
    }

    fn summary(values: &[(&str, i64)]) -> AccountSummary {
        AccountSummary {
            values: values.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            source: list_file().at("/SummaryMap"),
        }
    }

    fn one(a: &Account) -> CheckResult {
        let out = run(super::run, a);
        assert_eq!(out.len(), 1, "{out:?}");
        out.into_iter().next().unwrap()
    }

    #[test]
    fn hardware_device_passes_when_the_list_holds_no_device_of_roots() {
        let a = with_list(with_root(account(), root()), vec![alice_device(0)], false);
        let r = one(&a);
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "root has MFA and it is not a virtual device: a hardware token or a FIDO security key"
        );
        assert!(r.evidence.ends_with("virtual_mfa_devices=1"), "{}", r.evidence);
        assert_eq!(r.source.unwrap().location, "line 2");
        assert_eq!(r.evidence_sources[0].location, "/VirtualMFADevices");
    }

    #[test]
    fn virtual_device_found_by_user_arn_fails_naming_serial_and_enable_date() {
        let roots = device(
            1,
            &format!("arn:aws:iam::{ACCOUNT}:mfa/my-root-phone"),
            Some(&format!("arn:aws:iam::{ACCOUNT}:root")),
            Some("2023-04-05T06:07:08Z"),
        );
        let a = with_list(with_root(account(), root()), vec![alice_device(0), roots], false);
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            format!(
                "root's MFA is a virtual device: arn:aws:iam::{ACCOUNT}:mfa/my-root-phone (enabled 2023-04-05)"
            )
        );
        assert_eq!(r.source.unwrap().location, "/VirtualMFADevices/1");
        assert_eq!(r.severity, Severity::High);
    }

    #[test]
    fn virtual_device_found_by_the_root_account_mfa_device_serial_fails() {
        let roots = device(
            0,
            &format!("arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device"),
            None,
            Some("2023-04-05T06:07:08Z"),
        );
        let r = one(&with_list(with_root(account(), root()), vec![roots], false));
        assert_eq!(r.status, Status::Fail);
        assert!(r.reason.contains("mfa/root-account-mfa-device (enabled 2023-04-05)"));
    }

    #[test]
    fn unassigned_leftover_root_serial_device_is_not_roots() {
        let leftover = device(
            0,
            &format!("arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device"),
            None,
            None,
        );
        let r = one(&with_list(with_root(account(), root()), vec![leftover], false));
        assert_eq!(r.status, Status::Pass);
    }

    #[test]
    fn incomplete_device_list_is_not_determinable_unless_it_shows_roots_device() {
        let a = with_list(with_root(account(), root()), vec![alice_device(0)], true);
        let r = one(&a);
        assert_eq!(r.status, Status::NotDeterminable);
        assert!(
            r.reason.starts_with("the virtual MFA device list is incomplete"),
            "{}",
            r.reason
        );
        let roots = device(
            1,
            "arn:aws:iam::123456789012:mfa/root",
            Some(&format!("arn:aws:iam::{ACCOUNT}:root")),
            None,
        );
        let a = with_list(with_root(account(), root()), vec![alice_device(0), roots], true);
        assert_eq!(one(&a).status, Status::Fail);
    }

    #[test]
    fn root_credentials_removed_pass_whatever_the_list_says() {
        let mut f = root();
        f.mfa_active = false;
        f.password_enabled = Flag::False;
        let r = one(&with_root(account(), f.clone()));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.reason, "root credentials removed; no sign-in possible");
        let roots = device(
            0,
            &format!("arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device"),
            Some(&format!("arn:aws:iam::{ACCOUNT}:root")),
            None,
        );
        let r = one(&with_list(with_root(account(), f), vec![roots], false));
        assert_eq!(r.status, Status::Pass);
    }

    #[test]
    fn root_without_mfa_fails_pointing_to_root_mfa() {
        let mut f = root();
        f.mfa_active = false;
        f.password_enabled = Flag::True;
        let r = one(&with_root(account(), f));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.reason, "root has no MFA device at all (see root-mfa)");
    }

    #[test]
    fn no_device_list_is_not_determinable() {
        let r = one(&with_root(account(), root()));
        assert_eq!(r.status, Status::NotDeterminable);
        assert!(
            r.reason
                .contains("collect `aws iam list-virtual-mfa-devices`"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn summary_only_root_mfa_state_decides_without_a_credential_report() {
        let mut a = with_list(account(), vec![alice_device(0)], false);
        a.credential_report = None;
        a.summary = Some(summary(&[
            ("AccountMFAEnabled", 1),
            ("AccountPasswordPresent", 1),
            ("AccountAccessKeysPresent", 0),
        ]));
        let r = one(&a);
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.source.unwrap().location, "/SummaryMap");
        assert!(r.evidence.starts_with("AccountMFAEnabled=1;"), "{}", r.evidence);

        a.summary = Some(summary(&[("AccountMFAEnabled", 0), ("AccountPasswordPresent", 1)]));
        assert_eq!(one(&a).status, Status::Fail);

        // Removed credentials need both presence counters.
        a.summary = Some(summary(&[
            ("AccountMFAEnabled", 0),
            ("AccountPasswordPresent", 0),
            ("AccountAccessKeysPresent", 0),
        ]));
        assert_eq!(one(&a).status, Status::Pass);
        a.summary = Some(summary(&[("AccountMFAEnabled", 0), ("AccountPasswordPresent", 0)]));
        assert_eq!(one(&a).status, Status::Fail);
    }

    #[test]
    fn no_root_row_and_no_summary_is_not_determinable() {
        let mut a = with_list(account(), vec![], false);
        let r = one(&a);
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(
            r.reason,
            "root's MFA state is unknown: the credential report has no <root_account> row, and no account summary"
        );
        a.credential_report = None;
        let r = one(&a);
        assert_eq!(
            r.reason,
            "root's MFA state is unknown: no credential report for this account in the inputs, and no account summary"
        );
        assert_eq!(r.resource_arn, format!("arn:aws:iam::{ACCOUNT}:root"));
    }

    #[test]
    fn conflicting_root_rows_are_not_determinable_unless_the_list_shows_roots_device() {
        let mut other = root();
        other.access_keys[0] = key(1, true, Dated::NotApplicable, Dated::NotApplicable);
        let mut a = with_list(account(), vec![alice_device(0)], false);
        if let Some(report) = a.credential_report.as_mut() {
            report.root = Some(entry(2, vec![root(), other]));
        }
        let r = one(&a);
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(
            r.reason,
            "the credential report has conflicting root rows (line 2 and line 3)"
        );
        let roots = device(
            1,
            "arn:aws:iam::123456789012:mfa/phone",
            Some(&format!("arn:aws:iam::{ACCOUNT}:root")),
            None,
        );
        a = with_list(a, vec![alice_device(0), roots], false);
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert!(r.reason.ends_with("mfa/phone (no EnableDate listed)"), "{}", r.reason);
    }

    #[test]
    fn root_device_serial_of_another_partition_is_matched_in_the_accounts_partition() {
        let mut a = with_root(account(), root());
        a.partition = "aws-us-gov".into();
        let roots = device(
            0,
            &format!("arn:aws-us-gov:iam::{ACCOUNT}:mfa/root-account-mfa-device"),
            None,
            Some("2023-04-05T06:07:08Z"),
        );
        assert_eq!(one(&with_list(a, vec![roots], false)).status, Status::Fail);
    }
}
