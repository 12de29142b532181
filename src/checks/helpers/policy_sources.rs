//! Shared by the policy checks: indexes over an authorization export, the policies that apply
//! to a user and the route by which each applies, and the citations of statements.
//!
//! A document that cannot be read from the export (a managed policy absent from `Policies`, a
//! version without a document, a group absent from `GroupDetailList`, an ARN that does not
//! parse) is kept as a [`MissingDocument`], never dropped: the checks say what is missing.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::Authorization;
use crate::model::iam::{Attachment, Group, InlinePolicy, ManagedPolicy, User, is_aws_managed_arn};
use crate::policy::{Policy, Statement};
use crate::primitives::source::SourceRef;

/// Lookups by ARN and name over one account's authorization export (first entry wins, as in
/// [`Authorization::policy`] and [`Authorization::group`]).
pub struct Index<'a> {
    /// Managed policies by ARN.
    pub policies: BTreeMap<&'a str, &'a ManagedPolicy>,
    /// Groups by name.
    pub groups: BTreeMap<&'a str, &'a Group>,
}

impl<'a> Index<'a> {
    /// Builds the lookups.
    pub fn new(auth: &'a Authorization) -> Self {
        let mut policies = BTreeMap::new();
        for p in &auth.policies {
            policies.entry(p.arn.as_str()).or_insert(p);
        }
        let mut groups = BTreeMap::new();
        for g in &auth.groups {
            groups.entry(g.name.as_str()).or_insert(g);
        }
        Index { policies, groups }
    }
}

/// The identifier of an inline policy: `ATTACHED-TO-ARN#inline:POLICY-NAME`.
pub fn inline_id(entity_arn: &str, policy_name: &str) -> String {
    format!("{entity_arn}#inline:{policy_name}")
}

/// The source of one statement: its JSON Pointer in the file of the document's entry.
pub fn statement_source(file_source: &SourceRef, statement: &Statement) -> SourceRef {
    SourceRef {
        location: statement.pointer.clone(),
        ..file_source.clone()
    }
}

/// The default version's document of a managed policy, or why it is unavailable.
pub fn default_document(policy: &ManagedPolicy) -> Result<(&Policy, &SourceRef, &str), Gap> {
    let Some(version) = policy.default_version() else {
        return Err(Gap::NoDefaultVersion);
    };
    match &version.document {
        Some(doc) => Ok((doc, &version.source, version.version_id.as_str())),
        None => Err(Gap::NoDocument(version.version_id.clone())),
    }
}

/// Why a managed policy's document is unavailable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// The ARN does not parse (counts as a missing document).
    BadArn,
    /// The policy is not in the export's `Policies`.
    NotInExport,
    /// The policy is listed, but no version is the default.
    NoDefaultVersion,
    /// The default version (this ID) has no document.
    NoDocument(String),
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Gap::BadArn => f.write_str("its ARN does not parse"),
            Gap::NotInExport => f.write_str("it is not in the export's Policies"),
            Gap::NoDefaultVersion => f.write_str("the export lists no default version for it"),
            Gap::NoDocument(v) => write!(f, "its default version {v} has no document"),
        }
    }
}

/// How a policy reaches a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// An inline policy of the user.
    InlineOnUser,
    /// A managed policy attached to the user.
    AttachedToUser,
    /// An inline or attached policy of a group the user is in.
    ViaGroup(String),
    /// The user's permissions boundary.
    Boundary,
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::InlineOnUser => f.write_str("inline on user"),
            Route::AttachedToUser => f.write_str("attached to user"),
            Route::ViaGroup(g) => write!(f, "via group {g}"),
            Route::Boundary => f.write_str("permissions boundary"),
        }
    }
}

/// A policy document that applies to a user, with where it came from.
pub struct RoutedDocument<'a> {
    /// The policy name.
    pub name: &'a str,
    /// The policy ARN, or `ATTACHED-TO-ARN#inline:NAME` for an inline policy.
    pub id: String,
    /// How it reaches the user.
    pub route: Route,
    /// The document.
    pub document: &'a Policy,
    /// The entry holding the document (inline policy entry or managed policy version); its
    /// file is the file of every statement's pointer.
    pub entry: &'a SourceRef,
}

impl RoutedDocument<'_> {
    /// `policy NAME (ID, ROUTE)`.
    pub fn label(&self) -> String {
        format!("policy {} ({}, {})", self.name, self.id, self.route)
    }

    /// The source of one of this document's statements.
    pub fn statement_source(&self, statement: &Statement) -> SourceRef {
        statement_source(self.entry, statement)
    }
}

/// A document on a user's route that the export does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingDocument {
    /// Its short name (policy or group name; the ARN for a boundary).
    pub name: String,
    /// What is missing: `customer managed policy ARN`, `group NAME`, ...
    pub what: String,
    /// How it reaches the user.
    pub route: Route,
    /// Why it is unavailable.
    pub why: String,
    /// True for an AWS-managed policy (SPEC: taken to hold no MFA Deny when attached).
    pub aws_managed: bool,
}

impl fmt::Display for MissingDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.route {
            Route::ViaGroup(g) if self.what == format!("group {g}") => {
                write!(f, "{}: {}", self.what, self.why)
            }
            route => write!(f, "{} ({route}): {}", self.what, self.why),
        }
    }
}

/// Every policy that applies to a user: user inline, user-attached managed (default
/// version), each group's inline and attached, and the permissions boundary.
pub struct UserPolicies<'a> {
    /// Documents available in the export.
    pub documents: Vec<RoutedDocument<'a>>,
    /// Documents on the route that the export does not hold.
    pub missing: Vec<MissingDocument>,
    /// Entries consulted on the way (the groups), for evidence.
    pub route_entries: Vec<SourceRef>,
}

/// Gathers the policies that apply to `user`.
pub fn user_policies<'a>(index: &Index<'a>, user: &'a User) -> UserPolicies<'a> {
    let mut out = UserPolicies {
        documents: Vec::new(),
        missing: Vec::new(),
        route_entries: Vec::new(),
    };
    let user_arn = user.arn.as_str();
    push_inline(
        &mut out,
        user_arn,
        &user.inline_policies,
        Route::InlineOnUser,
    );
    push_attached(&mut out, index, &user.attached, Route::AttachedToUser);
    for name in &user.groups {
        let route = Route::ViaGroup(name.clone());
        match index.groups.get(name.as_str()) {
            Some(group) => {
                out.route_entries.push(group.source.clone());
                let group_arn = group.arn.clone();
                push_inline(&mut out, &group_arn, &group.inline_policies, route.clone());
                push_attached(&mut out, index, &group.attached, route);
            }
            None => out.missing.push(MissingDocument {
                name: name.clone(),
                what: format!("group {name}"),
                route,
                why: "the group is not in the export's GroupDetailList".into(),
                aws_managed: false,
            }),
        }
    }
    if let Some(arn) = &user.boundary {
        match resolve(index, arn) {
            Ok((policy, document, entry)) => out.documents.push(RoutedDocument {
                name: &policy.name,
                id: policy.arn.clone(),
                route: Route::Boundary,
                document,
                entry,
            }),
            // A boundary is not an attachment: a missing one stays missing, AWS-managed or not.
            Err(gap) => out.missing.push(MissingDocument {
                name: arn.clone(),
                what: format!("permissions boundary policy {arn}"),
                route: Route::Boundary,
                why: gap.to_string(),
                aws_managed: false,
            }),
        }
    }
    out
}

fn push_inline<'a>(
    out: &mut UserPolicies<'a>,
    entity_arn: &str,
    policies: &'a [InlinePolicy],
    route: Route,
) {
    for p in policies {
        out.documents.push(RoutedDocument {
            name: &p.name,
            id: inline_id(entity_arn, &p.name),
            route: route.clone(),
            document: &p.document,
            entry: &p.source,
        });
    }
}

fn push_attached<'a>(
    out: &mut UserPolicies<'a>,
    index: &Index<'a>,
    attached: &'a [Attachment],
    route: Route,
) {
    for a in attached {
        match resolve(index, &a.arn) {
            Ok((policy, document, entry)) => out.documents.push(RoutedDocument {
                name: &policy.name,
                id: policy.arn.clone(),
                route: route.clone(),
                document,
                entry,
            }),
            Err(gap) => {
                let aws_managed = is_aws_managed_arn(&a.arn);
                let kind = if aws_managed {
                    "AWS managed"
                } else {
                    "customer managed"
                };
                out.missing.push(MissingDocument {
                    name: a.name.clone(),
                    what: format!("{kind} policy {} ({})", a.name, a.arn),
                    route: route.clone(),
                    why: gap.to_string(),
                    aws_managed,
                });
            }
        }
    }
}

/// The managed policy, its default document and the version entry, or why not.
pub fn resolve<'a>(
    index: &Index<'a>,
    arn: &str,
) -> Result<(&'a ManagedPolicy, &'a Policy, &'a SourceRef), Gap> {
    if crate::primitives::arn::Arn::parse(arn).is_none() {
        return Err(Gap::BadArn);
    }
    let policy = index.policies.get(arn).ok_or(Gap::NotInExport)?;
    let (document, entry, _) = default_document(policy)?;
    Ok((policy, document, entry))
}

/// Appends `source` unless it is already listed or equals `exclude`.
pub fn push_unique(list: &mut Vec<SourceRef>, source: SourceRef, exclude: Option<&SourceRef>) {
    if exclude != Some(&source) && !list.contains(&source) {
        list.push(source);
    }
}

/// `"a", "b"` for a reason text.
pub fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| serde_json::Value::String(s.clone()).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
