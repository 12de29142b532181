//! `support-role`: a role exists to manage incidents with AWS Support.
//!
//! PASS when at least one role has the AWS-managed `AWSSupportAccess` in its
//! `AttachedManagedPolicies`; FAIL otherwise, saying so when only users or groups have it.
//! One result per account.

use super::helpers::{CheckContext, Holder, aws_managed_holders, require, result};
use super::{CheckMeta, CheckResult, References, Severity, Status, Title};
use crate::model::{Authorization, ExportKind};

const POLICY: &str = "AWSSupportAccess";

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "support-role",
    title: Title::fixed("A support role exists to manage incidents with AWS Support"),
    severity: Severity::Low,
    severity_note: None,
    population: "every audited account with an authorization details export; one result per account",
    rationale: "When an incident needs AWS Support, someone must be able to open and follow cases. A role \
                holding `AWSSupportAccess` lets named people do that through federation or role assumption, \
                without sharing root or handing out broad permissions in a hurry.",
    remediation: "Create a role (`aws iam create-role`) trusted by the people or group who handle incidents and \
                  attach the AWS-managed policy (`aws iam attach-role-policy --policy-arn \
                  arn:aws:iam::aws:policy/AWSSupportAccess`). Move the policy off users and groups to the role.",
    statuses: &[
        (
            Status::Pass,
            "at least one role has the AWS-managed `AWSSupportAccess` attached; the reason names the roles",
        ),
        (
            Status::Fail,
            "no role has `AWSSupportAccess` attached (the reason says when only users or groups have it)",
        ),
        (
            Status::NotDeterminable,
            "no authorization details export for the account",
        ),
    ],
    references: References {
        cis_v1_4_to_v4: Some("1.17"),
        cis_v5: Some("1.16"),
        cis_v6: Some("2.16"),
        cis_v7: None,
        security_hub: Some("IAM.18"),
        config_rule: Some("iam-policy-in-use"),
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
    let (roles, others): (Vec<&Holder>, Vec<&Holder>) =
        holders.iter().partition(|h| h.kind == "role");
    let labels = |list: &[&Holder]| list.iter().map(|h| h.label()).collect::<Vec<_>>().join(", ");
    let (status, reason, source) = match roles.first() {
        Some(first) => (
            Status::Pass,
            format!("{POLICY} is attached to {}", labels(&roles)),
            Some(first.source.clone()),
        ),
        None if !others.is_empty() => (
            Status::Fail,
            format!(
                "no role has {POLICY} attached; only {} (CIS asks for a role)",
                labels(&others)
            ),
            account.authorization_sources.first().cloned(),
        ),
        None => (
            Status::Fail,
            format!("no role, user or group has the AWS-managed {POLICY} attached"),
            account.authorization_sources.first().cloned(),
        ),
    };
    let mut r = result(&META, account, account.root_arn(), status, reason, source);
    r.evidence = format!(
        "roles_with_{POLICY}={}; users_or_groups_with_{POLICY}={}",
        roles.len(),
        others.len()
    );
    r.evidence_sources = holders
        .iter()
        .map(|h| h.source.clone())
        .filter(|s| Some(s) != r.source.as_ref())
        .collect();
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

    const SUPPORT: &str = "arn:aws:iam::aws:policy/AWSSupportAccess";

    #[test]
    fn a_role_holding_aws_support_access_passes_naming_the_roles() {
        let a = exported(
            vec![],
            vec![],
            vec![
                role(0, "app", &["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
                role(1, "support", &[SUPPORT]),
                role(2, "incident", &["arn:aws:iam::aws:policy/ReadOnlyAccess", SUPPORT]),
            ],
        );
        let r = one(&a);
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            "AWSSupportAccess is attached to role support, role incident"
        );
        assert_eq!(r.resource_arn, format!("arn:aws:iam::{ACCOUNT}:root"));
        assert_eq!(r.credential, None);
        assert_eq!(
            r.source.unwrap().location,
            "/RoleDetailList/1/AttachedManagedPolicies/0"
        );
        assert_eq!(r.evidence_sources.len(), 1);
        assert_eq!(
            r.evidence_sources[0].location,
            "/RoleDetailList/2/AttachedManagedPolicies/1"
        );
    }

    #[test]
    fn only_a_group_holding_aws_support_access_fails_saying_cis_asks_for_a_role() {
        let a = exported(vec![], vec![group(0, "Support", &[SUPPORT])], vec![role(0, "app", &[])]);
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            "no role has AWSSupportAccess attached; only group Support (CIS asks for a role)"
        );
        assert_eq!(r.source.unwrap().location, "");
        assert_eq!(r.severity, Severity::Low);
    }

    #[test]
    fn no_holder_at_all_fails() {
        let a = exported(vec![user_with(0, "alice", &[])], vec![], vec![role(0, "app", &[])]);
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            "no role, user or group has the AWS-managed AWSSupportAccess attached"
        );
    }

    #[test]
    fn aws_managed_policy_is_recognized_whatever_the_partition() {
        let a = exported(
            vec![],
            vec![],
            vec![role(0, "support", &["arn:aws-us-gov:iam::aws:policy/AWSSupportAccess"])],
        );
        assert_eq!(one(&a).status, Status::Pass);
        // A customer managed policy of the same name is not the AWS-managed one.
        let a = exported(
            vec![],
            vec![],
            vec![role(0, "support", &[&format!("arn:aws:iam::{ACCOUNT}:policy/AWSSupportAccess")])],
        );
        assert_eq!(one(&a).status, Status::Fail);
    }

    #[test]
    fn no_authorization_export_is_one_account_row() {
        let r = one(&account());
        assert_eq!(r.status, Status::NotDeterminable);
        assert_eq!(
            r.reason,
            "no authorization details export for this account in the inputs"
        );
    }
}
