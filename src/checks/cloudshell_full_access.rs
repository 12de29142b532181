//! `cloudshell-full-access`: no user, group or role has `AWSCloudShellFullAccess`.
//!
//! FAIL when any user, group or role has the AWS-managed `AWSCloudShellFullAccess` attached:
//! the reason names each (the first 20, then how many more), `source` cites the first
//! attachment and `evidence_sources` every one. One result per account.

use super::helpers::{CheckContext, aws_managed_holders, require, result};
use super::{CheckMeta, CheckResult, References, Severity, Status, Title};
use crate::model::{Authorization, ExportKind};

const POLICY: &str = "AWSCloudShellFullAccess";

/// How many holders a reason names before it counts the rest.
const NAMED: usize = 20;

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "cloudshell-full-access",
    title: Title::fixed("No user, group or role has AWSCloudShellFullAccess"),
    severity: Severity::Medium,
    severity_note: None,
    population: "every audited account with an authorization details export; one result per account",
    rationale: "`AWSCloudShellFullAccess` allows file upload and download between the CloudShell environment \
                and the internet and unrestricted sudo inside it: a data-exfiltration path that bypasses the \
                network controls around the account.",
    remediation: "Detach the policy (`aws iam detach-user-policy`, `detach-group-policy`, `detach-role-policy` \
                  with `--policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess`) and grant a customer \
                  managed policy that allows CloudShell without file transfer (deny `cloudshell:PutFileUpload` \
                  and `cloudshell:GetFileDownloadUrls`).",
    statuses: &[
        (
            Status::Pass,
            "no user, group or role has the AWS-managed `AWSCloudShellFullAccess` attached",
        ),
        (
            Status::Fail,
            "at least one user, group or role has it attached; the reason names them (the first 20)",
        ),
        (
            Status::NotDeterminable,
            "no authorization details export for the account",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.22"),
        cis_v5: Some("1.21"),
        cis_v6: Some("2.21"),
        cis_v7: None,
        security_hub: Some("IAM.27"),
        config_rule: Some("iam-policy-blacklisted-check"),
        control_tower: None,
    },
    needs: &[ExportKind::AuthorizationDetails],
};

/// Tests the account.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(auth) = require::<Authorization>(&META, account, out) else {
        return;
    };
    let holders = aws_managed_holders(auth, POLICY);
    let mut r = match holders.split_first() {
        None => result(
            &META,
            account,
            account.root_arn(),
            Status::Pass,
            format!("no user, group or role has the AWS-managed {POLICY} attached"),
            account.authorization_sources.first().cloned(),
        ),
        Some((first, _)) => {
            let mut named: Vec<String> = holders.iter().take(NAMED).map(|h| h.label()).collect();
            if holders.len() > NAMED {
                named.push(format!("and {} more", holders.len() - NAMED));
            }
            let mut r = result(
                &META,
                account,
                account.root_arn(),
                Status::Fail,
                format!("{POLICY} is attached to {}", named.join(", ")),
                Some(first.source.clone()),
            );
            r.evidence_sources = holders.iter().map(|h| h.source.clone()).collect();
            r
        }
    };
    r.evidence = format!("holders_of_{POLICY}={}", holders.len());
    out.push(r);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{ACCOUNT, account, exported, group, role, user_with};
    use crate::model::Account;

    fn one(a: &Account) -> CheckResult {
        let out = crate::checks::testing::run(super::run, a);
        assert_eq!(out.len(), 1, "{out:?}");
        out.into_iter().next().unwrap()
    }

    const SHELL: &str = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess";

    #[test]
    fn no_holder_passes() {
        let a = exported(vec![user_with(0, "alice", &[])], vec![], vec![role(0, "app", &[])]);
        let r = one(&a);
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "no user, group or role has the AWS-managed AWSCloudShellFullAccess attached"
        );
        assert!(r.evidence_sources.is_empty());
    }

    #[test]
    fn user_group_and_role_holding_cloudshell_full_access_fail_each_cited() {
        let a = exported(
            vec![user_with(0, "alice", &["arn:aws:iam::aws:policy/ReadOnlyAccess", SHELL])],
            vec![group(0, "Developers", &[SHELL])],
            vec![role(0, "ops", &[SHELL])],
        );
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.severity, Severity::Medium);
        assert_eq!(
            r.reason,
            "AWSCloudShellFullAccess is attached to user alice, group Developers, role ops"
        );
        assert_eq!(r.resource_arn, format!("arn:aws:iam::{ACCOUNT}:root"));
        let cited: Vec<&str> = r.evidence_sources.iter().map(|s| s.location.as_str()).collect();
        assert_eq!(
            cited,
            [
                "/UserDetailList/0/AttachedManagedPolicies/1",
                "/GroupDetailList/0/AttachedManagedPolicies/0",
                "/RoleDetailList/0/AttachedManagedPolicies/0"
            ]
        );
        assert_eq!(
            r.source.unwrap().location,
            "/UserDetailList/0/AttachedManagedPolicies/1"
        );
    }

    #[test]
    fn the_reason_names_the_first_20_holders_then_how_many_more() {
        let roles: Vec<_> = (0..23).map(|i| role(i, &format!("r{i:02}"), &[SHELL])).collect();
        let r = one(&exported(vec![], vec![], roles));
        assert_eq!(r.status, Status::Fail);
        assert!(r.reason.contains("role r19, and 3 more"), "{}", r.reason);
        assert!(!r.reason.contains("r20"), "{}", r.reason);
        assert_eq!(r.evidence_sources.len(), 23);
    }

    #[test]
    fn aws_managed_policy_is_recognized_whatever_the_partition() {
        let a = exported(
            vec![],
            vec![],
            vec![role(0, "ops", &["arn:aws-cn:iam::aws:policy/AWSCloudShellFullAccess"])],
        );
        assert_eq!(one(&a).status, Status::Fail);
    }

    #[test]
    fn no_authorization_export_is_one_account_row() {
        let r = one(&account());
        assert_eq!(r.status, Status::NotDeterminable);
    }
}
