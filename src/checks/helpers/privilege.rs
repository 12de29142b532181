//! Who holds full administrative privileges, and how: read by `privileged-user-mfa` and by
//! the Privileged access sheet.
//!
//! A user, group or role is privileged when a policy that grants to it allows `*` on `*`:
//! the AWS-managed `AdministratorAccess` (known by its ARN, whether or not its document is in
//! the export), or a managed policy's default version or an inline policy with an Allow
//! statement of Action `*` (or `*:*`) on Resource `*` and no condition. A user is also
//! privileged through its groups. A permissions boundary that does not itself allow `*` on
//! `*` caps the principal; one whose document is missing leaves it undecided. Deny statements
//! are not weighed: this lists grants, the auditor reads the policies.
//!
//! Missing documents: `AdministratorAccess` needs none; another AWS-managed policy whose
//! document is missing is taken not to grant `*` on `*` (and, as a boundary, to cap); a
//! missing customer managed policy or group leaves a principal without a known grant
//! undecided.

use std::fmt;

use super::policy_sources::{Index, inline_id, resolve};
use crate::model::Authorization;
use crate::model::iam::{Attachment, Group, InlinePolicy, Role, User, is_aws_managed_arn};
use crate::policy::{ActionSpec, Policy, Statement, is_all_actions_pattern};
use crate::primitives::source::{SourceRef, pointer_push};

/// The kind of principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalKind {
    /// An IAM group.
    Group,
    /// An IAM role.
    Role,
    /// An IAM user.
    User,
}

impl PrincipalKind {
    /// `group`, `role` or `user`.
    pub fn label(self) -> &'static str {
        match self {
            PrincipalKind::Group => "group",
            PrincipalKind::Role => "role",
            PrincipalKind::User => "user",
        }
    }
}

/// A policy that grants `*` on `*` to a principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The policy ARN, or `ATTACHED-TO-ARN#inline:NAME` for an inline policy.
    pub policy: String,
    /// The policy name.
    pub name: String,
    /// True for an inline policy.
    pub inline: bool,
    /// The group it comes through, for a user's grant held by a group.
    pub via_group: Option<String>,
    /// The attachment (`.../AttachedManagedPolicies/N`) or the inline policy entry.
    pub source: SourceRef,
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inline {
            write!(f, "inline policy {}", self.name)?;
        } else {
            f.write_str(&self.policy)?;
        }
        match &self.via_group {
            Some(g) => write!(f, " via group {g}"),
            None => Ok(()),
        }
    }
}

/// What a principal's permissions boundary does to its grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Boundary {
    /// No permissions boundary.
    None,
    /// The boundary allows `*` on `*` (or is `AdministratorAccess`): it caps nothing.
    CapsNothing(String),
    /// The boundary does not allow `*` on `*`: the principal is not privileged.
    Caps(String),
    /// The boundary's document is not in the export: it might cap (the reason says why).
    Missing(String, String),
}

impl fmt::Display for Boundary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Boundary::None => f.write_str("none"),
            Boundary::CapsNothing(arn) => write!(f, "{arn}: allows * on *, caps nothing"),
            Boundary::Caps(arn) => write!(f, "{arn}: does not allow * on *, caps"),
            Boundary::Missing(arn, why) => {
                write!(f, "{arn}: document missing ({why}), may cap")
            }
        }
    }
}

/// The verdict on one principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privilege {
    /// Full administrative privileges.
    Full,
    /// A grant of `*` on `*`, capped by the permissions boundary.
    Capped,
    /// A grant of `*` on `*`, but the boundary's document is missing.
    BoundaryMissing,
    /// No known grant, but a document on the principal's route is missing.
    Unknown,
    /// No full administrative privileges.
    None,
}

/// One principal's privileges and how they were found.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// User, group or role.
    pub kind: PrincipalKind,
    /// Its name.
    pub name: String,
    /// Its ARN (account substituted for an `aws` account field).
    pub arn: String,
    /// Every policy granting `*` on `*`, in the export's order.
    pub grants: Vec<Grant>,
    /// The permissions boundary and its effect.
    pub boundary: Boundary,
    /// Documents on the route that the export does not hold and that might grant.
    pub missing: Vec<String>,
    /// The verdict.
    pub privilege: Privilege,
    /// The entity's entry in the export.
    pub source: SourceRef,
}

impl Assessment {
    /// The grants, `; `-separated, for a reason text.
    pub fn grants_text(&self) -> String {
        self.grants
            .iter()
            .map(Grant::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// True for the AWS-managed `AdministratorAccess`, in any partition.
pub fn is_administrator_access(arn: &str) -> bool {
    arn.starts_with("arn:")
        && arn
            .split_once(":iam::aws:policy/")
            .is_some_and(|(_, path)| path == "AdministratorAccess")
}

/// True for an Allow statement of Action `*` (or `*:*`) on Resource `*`, whatever its
/// conditions: what `no-full-admin-policies` flags.
pub fn allows_all_on_all(statement: &Statement) -> bool {
    statement.is_allow()
        && matches!(&statement.actions, ActionSpec::Action(p) if p.iter().any(|a| is_all_actions_pattern(a)))
        && statement.resources.is_all()
}

/// True when a document grants `*` on `*` without conditions.
pub fn grants_full_admin(document: &Policy) -> bool {
    document
        .statements
        .iter()
        .any(|s| allows_all_on_all(s) && s.conditions.is_empty())
}

/// The grants and missing documents of one entity's own policies.
#[derive(Default)]
struct Found {
    grants: Vec<Grant>,
    missing: Vec<String>,
}

fn own_policies(
    index: &Index<'_>,
    entity_arn: &str,
    entity_source: &SourceRef,
    inline: &[InlinePolicy],
    attached: &[Attachment],
    found: &mut Found,
) {
    for p in inline {
        if grants_full_admin(&p.document) {
            found.grants.push(Grant {
                policy: inline_id(entity_arn, &p.name),
                name: p.name.clone(),
                inline: true,
                via_group: None,
                source: p.source.clone(),
            });
        }
    }
    for (i, a) in attached.iter().enumerate() {
        let grant = || Grant {
            policy: a.arn.clone(),
            name: a.name.clone(),
            inline: false,
            via_group: None,
            source: SourceRef {
                location: pointer_push(
                    &pointer_push(&entity_source.location, "AttachedManagedPolicies"),
                    i,
                ),
                ..entity_source.clone()
            },
        };
        if is_administrator_access(&a.arn) {
            found.grants.push(grant());
            continue;
        }
        match resolve(index, &a.arn) {
            Ok((_, document, _)) => {
                if grants_full_admin(document) {
                    found.grants.push(grant());
                }
            }
            // AWS-managed policies other than AdministratorAccess do not grant `*` on `*`.
            Err(_) if is_aws_managed_arn(&a.arn) => {}
            Err(gap) => found.missing.push(format!(
                "customer managed policy {} ({}): {gap}",
                a.name, a.arn
            )),
        }
    }
}

fn group_policies(index: &Index<'_>, group: &Group) -> Found {
    let mut found = Found::default();
    let arn = group.arn.clone();
    own_policies(
        index,
        &arn,
        &group.source,
        &group.inline_policies,
        &group.attached,
        &mut found,
    );
    found
}

fn boundary(index: &Index<'_>, arn: Option<&String>) -> Boundary {
    let Some(arn) = arn else {
        return Boundary::None;
    };
    if is_administrator_access(arn) {
        return Boundary::CapsNothing(arn.clone());
    }
    match resolve(index, arn) {
        Ok((_, document, _)) if grants_full_admin(document) => Boundary::CapsNothing(arn.clone()),
        Ok(_) => Boundary::Caps(arn.clone()),
        // An AWS-managed boundary other than AdministratorAccess does not allow `*` on `*`.
        Err(_) if is_aws_managed_arn(arn) => Boundary::Caps(arn.clone()),
        Err(gap) => Boundary::Missing(arn.clone(), gap.to_string()),
    }
}

fn verdict(found: &Found, boundary: &Boundary) -> Privilege {
    match (found.grants.is_empty(), boundary) {
        (false, Boundary::Caps(_)) => Privilege::Capped,
        (false, Boundary::Missing(..)) => Privilege::BoundaryMissing,
        (false, _) => Privilege::Full,
        // A boundary known to cap decides, whatever else is missing on the route.
        (true, Boundary::Caps(_)) => Privilege::None,
        (true, _) if !found.missing.is_empty() => Privilege::Unknown,
        (true, _) => Privilege::None,
    }
}

/// The privileges of a user: its own policies and those of each of its groups.
pub fn user(index: &Index<'_>, user: &User) -> Assessment {
    let mut found = Found::default();
    own_policies(
        index,
        &user.canonical_arn,
        &user.source,
        &user.inline_policies,
        &user.attached,
        &mut found,
    );
    for name in &user.groups {
        match index.groups.get(name.as_str()) {
            Some(group) => {
                let g = group_policies(index, group);
                found.grants.extend(g.grants.into_iter().map(|mut grant| {
                    grant.via_group = Some(name.clone());
                    grant
                }));
                found.missing.extend(
                    g.missing
                        .into_iter()
                        .map(|m| format!("{m} via group {name}")),
                );
            }
            None => found
                .missing
                .push(format!("group {name}: not in the export's GroupDetailList")),
        }
    }
    let boundary = boundary(index, user.boundary.as_ref());
    Assessment {
        kind: PrincipalKind::User,
        name: user.name.clone(),
        arn: user.arn.clone(),
        privilege: verdict(&found, &boundary),
        grants: found.grants,
        boundary,
        missing: found.missing,
        source: user.source.clone(),
    }
}

/// The privileges of a group (groups have no permissions boundary).
pub fn group(index: &Index<'_>, group: &Group) -> Assessment {
    let found = group_policies(index, group);
    Assessment {
        kind: PrincipalKind::Group,
        name: group.name.clone(),
        arn: group.arn.clone(),
        privilege: verdict(&found, &Boundary::None),
        grants: found.grants,
        boundary: Boundary::None,
        missing: found.missing,
        source: group.source.clone(),
    }
}

/// The privileges of a role.
pub fn role(index: &Index<'_>, role: &Role) -> Assessment {
    let arn = role.arn.clone();
    let mut found = Found::default();
    own_policies(
        index,
        &arn,
        &role.source,
        &role.inline_policies,
        &role.attached,
        &mut found,
    );
    let boundary = boundary(index, role.boundary.as_ref());
    Assessment {
        kind: PrincipalKind::Role,
        name: role.name.clone(),
        arn,
        privilege: verdict(&found, &boundary),
        grants: found.grants,
        boundary,
        missing: found.missing,
        source: role.source.clone(),
    }
}

/// Every principal of the account that holds a grant of `*` on `*` (full, capped, or with a
/// missing boundary document), sorted by kind, then ARN.
pub fn granted(auth: &Authorization) -> Vec<Assessment> {
    let index = Index::new(auth);
    let mut out: Vec<Assessment> = auth
        .users
        .iter()
        .map(|u| user(&index, u))
        .chain(auth.groups.iter().map(|g| group(&index, g)))
        .chain(auth.roles.iter().map(|r| role(&index, r)))
        .filter(|a| !a.grants.is_empty())
        .collect();
    out.sort_by(|a, b| (a.kind, &a.arn).cmp(&(b.kind, &b.arn)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{ACCOUNT, authorization_file, iam_user};
    use crate::model::iam::{ManagedPolicy, PolicyVersion};

    const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

    fn doc(statements: serde_json::Value) -> Policy {
        crate::policy::parse_export_document(
            &serde_json::json!({"Version": "2012-10-17", "Statement": statements}),
            "/x",
        )
        .unwrap()
    }

    fn admin_doc() -> Policy {
        doc(serde_json::json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]))
    }

    fn narrow_doc() -> Policy {
        doc(serde_json::json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]))
    }

    fn managed(index: usize, name: &str, arn: &str, document: Policy) -> ManagedPolicy {
        ManagedPolicy {
            name: name.into(),
            arn: arn.into(),
            attachment_count: 1,
            default_version_id: Some("v1".into()),
            versions: vec![PolicyVersion {
                version_id: "v1".into(),
                is_default: true,
                document: Some(document),
                source: authorization_file().at(format!("/Policies/{index}/PolicyVersionList/0")),
            }],
            source: authorization_file().at(format!("/Policies/{index}")),
        }
    }

    fn customer(name: &str) -> String {
        format!("arn:aws:iam::{ACCOUNT}:policy/{name}")
    }

    fn attach(name: &str, arn: &str) -> Attachment {
        Attachment {
            name: name.into(),
            arn: arn.into(),
        }
    }

    fn group_with(name: &str, attached: Vec<Attachment>) -> Group {
        Group {
            name: name.into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:group/{name}"),
            inline_policies: Vec::new(),
            attached,
            source: authorization_file().at("/GroupDetailList/0"),
        }
    }

    fn assess_user(auth: &Authorization, u: &User) -> Assessment {
        user(&Index::new(auth), u)
    }

    #[test]
    fn administrator_access_absent_from_policies_is_a_grant_by_arn() {
        let mut u = iam_user(0, "bob");
        u.attached = vec![attach("AdministratorAccess", ADMIN)];
        let a = assess_user(&Authorization::default(), &u);
        assert_eq!(a.privilege, Privilege::Full);
        assert_eq!(a.grants.len(), 1);
        assert_eq!(a.grants[0].policy, ADMIN);
        assert_eq!(
            a.grants[0].source.location,
            "/UserDetailList/0/AttachedManagedPolicies/0"
        );
    }

    #[test]
    fn administrator_access_is_known_in_any_partition() {
        assert!(is_administrator_access(
            "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"
        ));
        assert!(is_administrator_access(
            "arn:aws-cn:iam::aws:policy/AdministratorAccess"
        ));
        assert!(!is_administrator_access(
            "arn:aws:iam::aws:policy/AdministratorAccess-Amplify"
        ));
        assert!(!is_administrator_access(
            "arn:aws:iam::111111111111:policy/AdministratorAccess"
        ));
    }

    #[test]
    fn admin_via_group_names_the_group() {
        let mut u = iam_user(0, "alice");
        u.groups = vec!["Admins".into()];
        let auth = Authorization {
            groups: vec![group_with(
                "Admins",
                vec![attach("AdministratorAccess", ADMIN)],
            )],
            ..Authorization::default()
        };
        let a = assess_user(&auth, &u);
        assert_eq!(a.privilege, Privilege::Full);
        assert_eq!(a.grants[0].via_group.as_deref(), Some("Admins"));
        assert_eq!(a.grants_text(), format!("{ADMIN} via group Admins"));
        assert_eq!(
            a.grants[0].source.location,
            "/GroupDetailList/0/AttachedManagedPolicies/0"
        );
    }

    #[test]
    fn inline_policy_on_user_allowing_all_on_all_is_a_grant() {
        let mut u = iam_user(2, "carol");
        u.inline_policies = vec![InlinePolicy {
            name: "break-glass".into(),
            document: doc(
                serde_json::json!([{"Effect": "Allow", "Action": "*:*", "Resource": ["*"]}]),
            ),
            source: authorization_file().at("/UserDetailList/2/UserPolicyList/0"),
        }];
        let a = assess_user(&Authorization::default(), &u);
        assert_eq!(a.privilege, Privilege::Full);
        assert_eq!(a.grants_text(), "inline policy break-glass");
        assert_eq!(
            a.grants[0].policy,
            format!("arn:aws:iam::{ACCOUNT}:user/carol#inline:break-glass")
        );
        assert_eq!(
            a.grants[0].source.location,
            "/UserDetailList/2/UserPolicyList/0"
        );
    }

    #[test]
    fn customer_managed_policy_via_group_is_a_grant() {
        let mut u = iam_user(0, "alice");
        u.groups = vec!["Admins".into()];
        let arn = customer("PlatformAdmin");
        let auth = Authorization {
            groups: vec![group_with("Admins", vec![attach("PlatformAdmin", &arn)])],
            policies: vec![managed(0, "PlatformAdmin", &arn, admin_doc())],
            ..Authorization::default()
        };
        let a = assess_user(&auth, &u);
        assert_eq!(a.privilege, Privilege::Full);
        assert_eq!(a.grants_text(), format!("{arn} via group Admins"));
        let g = group(&Index::new(&auth), &auth.groups[0]);
        assert_eq!(g.privilege, Privilege::Full);
    }

    #[test]
    fn all_on_all_with_a_condition_is_not_privileged() {
        let arn = customer("AdminFromOffice");
        let conditioned = doc(
            serde_json::json!([{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]),
        );
        let mut u = iam_user(0, "dan");
        u.attached = vec![attach("AdminFromOffice", &arn)];
        let auth = Authorization {
            policies: vec![managed(0, "AdminFromOffice", &arn, conditioned)],
            ..Authorization::default()
        };
        assert_eq!(assess_user(&auth, &u).privilege, Privilege::None);
        assert!(assess_user(&auth, &u).grants.is_empty());
    }

    #[test]
    fn deny_and_not_action_statements_are_not_grants() {
        let d = doc(serde_json::json!([
            {"Effect": "Deny", "Action": "*", "Resource": "*"},
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
        ]));
        assert!(!grants_full_admin(&d));
    }

    #[test]
    fn capping_boundary_makes_the_user_not_privileged() {
        let b = customer("DevBoundary");
        let mut u = iam_user(0, "dave");
        u.attached = vec![attach("AdministratorAccess", ADMIN)];
        u.boundary = Some(b.clone());
        let auth = Authorization {
            policies: vec![managed(0, "DevBoundary", &b, narrow_doc())],
            ..Authorization::default()
        };
        let a = assess_user(&auth, &u);
        assert_eq!(a.privilege, Privilege::Capped);
        assert_eq!(a.boundary, Boundary::Caps(b));
    }

    #[test]
    fn administrator_access_as_boundary_caps_nothing() {
        let mut u = iam_user(0, "eve");
        u.attached = vec![attach("AdministratorAccess", ADMIN)];
        u.boundary = Some(ADMIN.into());
        let a = assess_user(&Authorization::default(), &u);
        assert_eq!(a.privilege, Privilege::Full);
        assert_eq!(a.boundary, Boundary::CapsNothing(ADMIN.into()));
    }

    #[test]
    fn boundary_allowing_all_only_under_a_condition_caps() {
        let b = customer("ConditionalBoundary");
        let conditioned = doc(
            serde_json::json!([{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]),
        );
        let mut u = iam_user(0, "fay");
        u.attached = vec![attach("AdministratorAccess", ADMIN)];
        u.boundary = Some(b.clone());
        let auth = Authorization {
            policies: vec![managed(0, "ConditionalBoundary", &b, conditioned)],
            ..Authorization::default()
        };
        assert_eq!(assess_user(&auth, &u).privilege, Privilege::Capped);
    }

    #[test]
    fn missing_boundary_document_leaves_an_admin_undecided() {
        let b = customer("GoneBoundary");
        let mut u = iam_user(0, "gus");
        u.attached = vec![attach("AdministratorAccess", ADMIN)];
        u.boundary = Some(b.clone());
        let a = assess_user(&Authorization::default(), &u);
        assert_eq!(a.privilege, Privilege::BoundaryMissing);
        assert!(matches!(a.boundary, Boundary::Missing(ref arn, _) if *arn == b));
    }

    #[test]
    fn missing_boundary_of_a_user_without_admin_grant_adds_nothing() {
        let mut u = iam_user(0, "hal");
        u.boundary = Some(customer("GoneBoundary"));
        let a = assess_user(&Authorization::default(), &u);
        assert_eq!(a.privilege, Privilege::None);
        assert!(a.grants.is_empty() && a.missing.is_empty());
    }

    #[test]
    fn aws_managed_boundary_other_than_administrator_access_caps_even_when_missing() {
        let mut u = iam_user(0, "ida");
        u.attached = vec![attach("AdministratorAccess", ADMIN)];
        u.boundary = Some("arn:aws:iam::aws:policy/PowerUserAccess".into());
        let a = assess_user(&Authorization::default(), &u);
        assert_eq!(a.privilege, Privilege::Capped);
    }

    #[test]
    fn missing_customer_managed_document_without_known_grant_is_unknown() {
        let mut u = iam_user(0, "jon");
        u.attached = vec![attach("Gone", &customer("Gone"))];
        u.groups = vec!["Ghosts".into()];
        let a = assess_user(&Authorization::default(), &u);
        assert_eq!(a.privilege, Privilege::Unknown);
        assert_eq!(a.missing.len(), 2, "{:?}", a.missing);
        assert!(a.missing[1].contains("group Ghosts"));
    }

    #[test]
    fn missing_aws_managed_document_other_than_administrator_access_grants_nothing() {
        let mut u = iam_user(0, "kim");
        u.attached = vec![attach(
            "ReadOnlyAccess",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
        )];
        let a = assess_user(&Authorization::default(), &u);
        assert_eq!(a.privilege, Privilege::None);
        assert!(a.missing.is_empty());
    }

    #[test]
    fn known_grant_stays_privileged_whatever_else_is_missing() {
        let mut u = iam_user(0, "lea");
        u.attached = vec![
            attach("Gone", &customer("Gone")),
            attach("AdministratorAccess", ADMIN),
        ];
        let a = assess_user(&Authorization::default(), &u);
        assert_eq!(a.privilege, Privilege::Full);
    }

    #[test]
    fn capping_boundary_decides_whatever_else_is_missing() {
        let mut u = iam_user(0, "max");
        u.attached = vec![attach("Gone", &customer("Gone"))];
        u.boundary = Some("arn:aws:iam::aws:policy/ReadOnlyAccess".into());
        assert_eq!(
            assess_user(&Authorization::default(), &u).privilege,
            Privilege::None
        );
    }

    #[test]
    fn granted_lists_groups_roles_and_users_sorted_with_capped_ones() {
        let mut alice = iam_user(0, "alice");
        alice.attached = vec![attach("AdministratorAccess", ADMIN)];
        let mut dave = iam_user(1, "dave");
        dave.attached = vec![attach("AdministratorAccess", ADMIN)];
        dave.boundary = Some("arn:aws:iam::aws:policy/ReadOnlyAccess".into());
        let bob = iam_user(2, "bob");
        let role = Role {
            name: "ops".into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:role/ops"),
            path: "/".into(),
            trust_policy: None,
            inline_policies: Vec::new(),
            attached: vec![attach("AdministratorAccess", ADMIN)],
            boundary: None,
            last_used: None,
            source: authorization_file().at("/RoleDetailList/0"),
        };
        let auth = Authorization {
            users: vec![dave, bob, alice],
            roles: vec![role],
            groups: vec![group_with(
                "Admins",
                vec![attach("AdministratorAccess", ADMIN)],
            )],
            ..Authorization::default()
        };
        let listed: Vec<(PrincipalKind, String, Privilege)> = granted(&auth)
            .into_iter()
            .map(|a| (a.kind, a.name, a.privilege))
            .collect();
        assert_eq!(
            listed,
            [
                (PrincipalKind::Group, "Admins".to_string(), Privilege::Full),
                (PrincipalKind::Role, "ops".to_string(), Privilege::Full),
                (PrincipalKind::User, "alice".to_string(), Privilege::Full),
                (PrincipalKind::User, "dave".to_string(), Privilege::Capped),
            ]
        );
    }
}
