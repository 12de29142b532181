//! `no-user-attached-policies`: IAM users receive permissions only through groups (or roles).
//!
//! Population: every IAM user in the authorization details export. FAIL when the user has any
//! attached managed policy (`AttachedManagedPolicies`) or inline policy (`UserPolicyList`); a
//! permissions boundary is not a grant and does not count. Users only in the credential report
//! are NOT_DETERMINABLE; an account without the authorization export gets one account row.

use super::{CheckMeta, CheckResult, References, Severity, Status, CheckContext, Title};
use super::helpers::{result, require};
use crate::model::iam::User;
use crate::model::{Account, ExportKind, Authorization};
use crate::primitives::source::{SourceRef, pointer_push};

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "no-user-attached-policies",
    title: Title::fixed("IAM users receive permissions only through groups"),
    severity: Severity::Low,
    severity_note: None,
    population: "every IAM user in the authorization details export (`UserDetailList`); one result per user",
    rationale: "Permissions granted user by user drift apart and are hard to review: nobody can say what a \
                role in the organization is allowed to do. Granting through groups (or roles) keeps access \
                tied to job function, so joiners, movers and leavers change membership, not policies.",
    remediation: "Create or reuse a group whose policies match the user's job function, add the user to it, then \
                  detach the user's managed policies (`aws iam detach-user-policy`) and delete its inline \
                  policies (`aws iam delete-user-policy`).",
    statuses: &[
        (
            Status::Pass,
            "the user has no attached managed policy and no inline policy (a permissions boundary is not a grant)",
        ),
        (
            Status::Fail,
            "the user has attached managed or inline policies; the reason lists them",
        ),
        (
            Status::NotDeterminable,
            "no authorization details export for the account, or the user is only in the credential report",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.15"),
        cis_v5: Some("1.14"),
        cis_v6: Some("2.14"),
        cis_v7: Some("2.13"),
        security_hub: Some("IAM.2"),
        config_rule: Some("iam-user-no-policies-check"),
        control_tower: None,
    },
    needs: &[ExportKind::AuthorizationDetails],
};

/// Tests every IAM user of the account's authorization export.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(auth) = require::<Authorization>(&META, account, out) else {
        return;
    };
    for user in &auth.users {
        out.push(judge(account, user));
    }
    if let Some(report) = &account.credential_report {
        for entry in &report.users {
            if auth.user(entry.arn()).is_none() {
                out.push(result(
                    &META,
                    account,
                    entry.arn(),
                    Status::NotDeterminable,
                    "user not in the authorization details export (created after it was exported, or a \
                     different export date); directly attached policies unknown",
                    Some(entry.first().source.clone()),
                ));
            }
        }
    }
}

fn judge(account: &Account, user: &User) -> CheckResult {
    let mut grants: Vec<String> = user
        .attached
        .iter()
        .map(|a| format!("managed {} ({})", a.name, a.arn))
        .collect();
    grants.extend(
        user.inline_policies
            .iter()
            .map(|p| format!("inline {}", p.name)),
    );
    let boundary = user
        .boundary
        .as_deref()
        .map(|b| format!("; permissions boundary {b} is not a grant and is not counted"));
    let (status, reason) = if grants.is_empty() {
        let via = if user.groups.is_empty() {
            "; the user is in no group".to_string()
        } else {
            format!("; groups: {}", user.groups.join(", "))
        };
        (
            Status::Pass,
            format!(
                "no policies attached directly to the user{via}{}",
                boundary.unwrap_or_default()
            ),
        )
    } else {
        let noun = if grants.len() == 1 {
            "policy"
        } else {
            "policies"
        };
        (
            Status::Fail,
            format!(
                "{} {noun} attached directly to the user: {}{}",
                grants.len(),
                grants.join("; "),
                boundary.unwrap_or_default()
            ),
        )
    };
    let mut r = result(
        &META,
        account,
        user.arn.clone(),
        status,
        reason,
        Some(user.source.clone()),
    );
    r.evidence = evidence(user);
    r.evidence_sources = sources(user);
    r
}

/// Where each grant sits: `/UserDetailList/N/AttachedManagedPolicies/M` and each inline policy.
fn sources(user: &User) -> Vec<SourceRef> {
    let attached = pointer_push(&user.source.location, "AttachedManagedPolicies");
    let mut out: Vec<SourceRef> = (0..user.attached.len())
        .map(|i| SourceRef {
            location: pointer_push(&attached, i),
            ..user.source.clone()
        })
        .collect();
    out.extend(user.inline_policies.iter().map(|p| p.source.clone()));
    out
}

fn evidence(user: &User) -> String {
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    format!(
        "UserName={}; AttachedManagedPolicies={}; UserPolicyList={}; GroupList={}; PermissionsBoundary={}",
        user.name,
        list(
            user.attached
                .iter()
                .map(|a| format!("{} ({})", a.name, a.arn))
                .collect()
        ),
        list(
            user.inline_policies
                .iter()
                .map(|p| p.name.clone())
                .collect()
        ),
        list(user.groups.clone()),
        user.boundary.as_deref().unwrap_or("none")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{
        ACCOUNT, account, authorization_file, iam_user, run, user, with_authorization, with_users,
    };
    use crate::model::iam::{Attachment, InlinePolicy};

    fn inline(user_index: usize, i: usize, name: &str) -> InlinePolicy {
        InlinePolicy {
            name: name.into(),
            document: crate::policy::parse_export_document(
                &serde_json::json!({"Statement": [
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
                ]}),
                "/PolicyDocument",
            )
            .unwrap(),
            source: authorization_file()
                .at(format!("/UserDetailList/{user_index}/UserPolicyList/{i}")),
        }
    }

    #[test]
    fn user_with_only_groups_passes() {
        let mut u = iam_user(0, "alice");
        u.groups = vec!["dev".into(), "ops".into()];
        let out = run(super::run, &with_authorization(account(), vec![u]));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].status, Status::Pass);
        assert_eq!(
            out[0].reason,
            "no policies attached directly to the user; groups: dev, ops"
        );
        assert_eq!(
            out[0].resource_arn,
            format!("arn:aws:iam::{ACCOUNT}:user/alice")
        );
        assert_eq!(
            out[0].source.as_ref().unwrap().location,
            "/UserDetailList/0"
        );
        assert_eq!(
            out[0].evidence,
            "UserName=alice; AttachedManagedPolicies=none; UserPolicyList=none; GroupList=dev, ops; \
             PermissionsBoundary=none"
        );
    }

    #[test]
    fn attached_and_inline_policies_fail_and_are_listed() {
        let mut u = iam_user(3, "bob");
        u.attached = vec![Attachment {
            name: "AdministratorAccess".into(),
            arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
        }];
        u.inline_policies = vec![inline(3, 0, "s3-access")];
        let out = run(super::run, &with_authorization(account(), vec![u]));
        assert_eq!(out[0].status, Status::Fail);
        assert_eq!(out[0].severity, Severity::Low);
        assert_eq!(
            out[0].reason,
            "2 policies attached directly to the user: managed AdministratorAccess \
             (arn:aws:iam::aws:policy/AdministratorAccess); inline s3-access"
        );
        let locations: Vec<&str> = out[0]
            .evidence_sources
            .iter()
            .map(|s| s.location.as_str())
            .collect();
        assert_eq!(
            locations,
            vec![
                "/UserDetailList/3/AttachedManagedPolicies/0",
                "/UserDetailList/3/UserPolicyList/0"
            ]
        );
    }

    #[test]
    fn a_permissions_boundary_is_not_a_grant() {
        let mut u = iam_user(0, "carol");
        u.boundary = Some(format!("arn:aws:iam::{ACCOUNT}:policy/boundary"));
        let out = run(super::run, &with_authorization(account(), vec![u.clone()]));
        assert_eq!(out[0].status, Status::Pass);
        assert_eq!(
            out[0].reason,
            format!(
                "no policies attached directly to the user; the user is in no group; permissions boundary \
                 arn:aws:iam::{ACCOUNT}:policy/boundary is not a grant and is not counted"
            )
        );
        u.inline_policies = vec![inline(0, 0, "one")];
        let out = run(super::run, &with_authorization(account(), vec![u]));
        assert_eq!(out[0].status, Status::Fail);
        assert!(out[0].reason.starts_with(
            "1 policy attached directly to the user: inline one; permissions boundary"
        ));
    }

    #[test]
    fn users_only_in_the_credential_report_are_not_determinable() {
        let a = with_authorization(
            with_users(account(), vec![user("alice"), user("newcomer")]),
            vec![iam_user(0, "alice")],
        );
        let out = run(super::run, &a);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].status, Status::Pass);
        assert_eq!(out[1].status, Status::NotDeterminable);
        assert_eq!(
            out[1].resource_arn,
            format!("arn:aws:iam::{ACCOUNT}:user/newcomer")
        );
        assert!(
            out[1]
                .reason
                .starts_with("user not in the authorization details export")
        );
        assert_eq!(out[1].source.as_ref().unwrap().location, "line 4");
    }

    #[test]
    fn no_authorization_export_is_one_account_row() {
        let a = with_users(account(), vec![user("alice"), user("bob")]);
        let out = run(super::run, &a);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].status, Status::NotDeterminable);
        assert_eq!(out[0].resource_arn, a.root_arn());
        assert_eq!(
            out[0].reason,
            "no authorization details export for this account in the inputs"
        );
    }

    #[test]
    fn without_a_credential_report_every_exported_user_is_still_tested() {
        let mut a = with_authorization(account(), vec![iam_user(0, "alice"), iam_user(1, "bob")]);
        a.credential_report = None;
        let out = run(super::run, &a);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|r| r.status == Status::Pass));
    }
}
