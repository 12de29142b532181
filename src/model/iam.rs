//! The authorization details export, typed: users, groups, roles and managed policies, each
//! with its source reference.

use crate::policy::Policy;
use crate::primitives::source::SourceRef;

/// An inline policy embedded in a user, group or role.
#[derive(Debug, Clone)]
pub struct InlinePolicy {
    /// `PolicyName`.
    pub name: String,
    /// The parsed `PolicyDocument`.
    pub document: Policy,
    /// Where the inline policy sits (`/UserDetailList/0/UserPolicyList/1`).
    pub source: SourceRef,
}

/// A managed policy attachment (`AttachedManagedPolicies[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// `PolicyName`.
    pub name: String,
    /// `PolicyArn`.
    pub arn: String,
}

/// An IAM user from `UserDetailList`.
#[derive(Debug, Clone)]
pub struct User {
    /// `UserName`.
    pub name: String,
    /// `Arn`, as exported.
    pub arn: String,
    /// `Arn` with the file's account substituted for an `aws` account field, to match the
    /// credential report's rows; results name the user by `arn`, as written.
    pub canonical_arn: String,
    /// Group names from `GroupList`.
    pub groups: Vec<String>,
    /// `UserPolicyList`.
    pub inline_policies: Vec<InlinePolicy>,
    /// `AttachedManagedPolicies`.
    pub attached: Vec<Attachment>,
    /// `PermissionsBoundary.PermissionsBoundaryArn`.
    pub boundary: Option<String>,
    /// `/UserDetailList/N`.
    pub source: SourceRef,
}

/// An IAM group from `GroupDetailList`.
#[derive(Debug, Clone)]
pub struct Group {
    /// `GroupName`.
    pub name: String,
    /// `Arn`.
    pub arn: String,
    /// `GroupPolicyList`.
    pub inline_policies: Vec<InlinePolicy>,
    /// `AttachedManagedPolicies`.
    pub attached: Vec<Attachment>,
    /// `/GroupDetailList/N`.
    pub source: SourceRef,
}

/// An IAM role from `RoleDetailList`.
#[derive(Debug, Clone)]
pub struct Role {
    /// `RoleName`.
    pub name: String,
    /// `Arn`.
    pub arn: String,
    /// `Path`.
    pub path: String,
    /// `AssumeRolePolicyDocument`; `None` when the export has none.
    pub trust_policy: Option<Policy>,
    /// `RolePolicyList`.
    pub inline_policies: Vec<InlinePolicy>,
    /// `AttachedManagedPolicies`.
    pub attached: Vec<Attachment>,
    /// `PermissionsBoundary.PermissionsBoundaryArn`.
    pub boundary: Option<String>,
    /// `RoleLastUsed`; `None` when the export has no such key.
    pub last_used: Option<RoleLastUsed>,
    /// `/RoleDetailList/N`.
    pub source: SourceRef,
}

/// A role's `RoleLastUsed`: an empty object means no recorded use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleLastUsed {
    /// `LastUsedDate`.
    pub date: Option<time::OffsetDateTime>,
    /// `Region`.
    pub region: Option<String>,
}

/// One version of a managed policy (`PolicyVersionList[]`).
#[derive(Debug, Clone)]
pub struct PolicyVersion {
    /// `VersionId`.
    pub version_id: String,
    /// `IsDefaultVersion`.
    pub is_default: bool,
    /// The parsed `Document`; `None` when the export omitted it.
    pub document: Option<Policy>,
    /// `/Policies/N/PolicyVersionList/M`.
    pub source: SourceRef,
}

/// A managed policy from `Policies`.
#[derive(Debug, Clone)]
pub struct ManagedPolicy {
    /// `PolicyName`.
    pub name: String,
    /// `Arn`.
    pub arn: String,
    /// `AttachmentCount` (0 when absent).
    pub attachment_count: u64,
    /// `DefaultVersionId`.
    pub default_version_id: Option<String>,
    /// `PolicyVersionList`.
    pub versions: Vec<PolicyVersion>,
    /// `/Policies/N`.
    pub source: SourceRef,
}

impl ManagedPolicy {
    /// The effective version: `IsDefaultVersion: true`, else the one named by `DefaultVersionId`.
    pub fn default_version(&self) -> Option<&PolicyVersion> {
        self.versions.iter().find(|v| v.is_default).or_else(|| {
            let id = self.default_version_id.as_deref()?;
            self.versions.iter().find(|v| v.version_id == id)
        })
    }

    /// True for AWS-managed policies (`arn:PARTITION:iam::aws:policy/...`).
    pub fn is_aws_managed(&self) -> bool {
        is_aws_managed_arn(&self.arn)
    }
}

/// True for an AWS-managed policy ARN (account field `aws`).
pub fn is_aws_managed_arn(arn: &str) -> bool {
    crate::primitives::arn::Arn::parse(arn)
        .is_some_and(|a| a.account == "aws" && a.resource.starts_with("policy/"))
}

/// One account's authorization details, merged from all its page files.
#[derive(Debug, Clone, Default)]
pub struct Authorization {
    /// `UserDetailList`.
    pub users: Vec<User>,
    /// `GroupDetailList`.
    pub groups: Vec<Group>,
    /// `RoleDetailList`.
    pub roles: Vec<Role>,
    /// `Policies`.
    pub policies: Vec<ManagedPolicy>,
    /// Each file the export was read from, in load order, with its `IsTruncated`.
    pub pages: Vec<PageInfo>,
}

/// One file of an authorization export and whether it says more pages follow.
#[derive(Debug, Clone, PartialEq)]
pub struct PageInfo {
    /// The file (its `/IsTruncated` pointer when it has the key, else the whole file).
    pub source: SourceRef,
    /// `IsTruncated`, when the file carries it.
    pub is_truncated: Option<bool>,
}

impl Authorization {
    /// The user with this ARN (exact, or with the account substituted for `aws`).
    pub fn user(&self, arn: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.arn == arn || u.canonical_arn == arn)
    }

    /// The group with this name.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// The managed policy with this ARN.
    pub fn policy(&self, arn: &str) -> Option<&ManagedPolicy> {
        self.policies.iter().find(|p| p.arn == arn)
    }

    /// Appends another page of the same account; an entity a page repeats (same ARN) counts once.
    pub fn merge(&mut self, other: Authorization) {
        fn extend<T>(into: &mut Vec<T>, from: Vec<T>, arn: fn(&T) -> &str) {
            let seen: std::collections::HashSet<String> =
                into.iter().map(|x| arn(x).to_string()).collect();
            into.extend(from.into_iter().filter(|x| !seen.contains(arn(x))));
        }
        extend(&mut self.users, other.users, |u| &u.arn);
        extend(&mut self.groups, other.groups, |g| &g.arn);
        extend(&mut self.roles, other.roles, |r| &r.arn);
        extend(&mut self.policies, other.policies, |p| &p.arn);
        self.pages.extend(other.pages);
    }
}
