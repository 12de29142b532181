//! The normalized evidence behind the workbook's evidence sheets: one row per credential
//! report row (Users), per role with a trust summary (Roles), per principal holding a grant of
//! `*` on `*` (Privileged access, see [`privileged_access`]), and per MFA-related policy and
//! place it is attached (MFA policies).
//!
//! Rows are built per account on the worker thread, right after the checks, from the typed
//! [`Account`]; the workbook writer only lays them out. Values are typed cells: dates are
//! dates, booleans are booleans, and the credential report's sentinels are spelled out in
//! words an auditor reads ("never used", "not supported"), never as raw `N/A`.
//!
//! Nothing here decides a verdict: the Results sheet says what passed; these rows show what
//! the inputs held.

use crate::model::iam::{Attachment, Authorization, InlinePolicy, ManagedPolicy};
use crate::model::{Account, CredentialRow, Dated, Flag};
use crate::policy::{ActionSpec, Policy, PrincipalSpec, Statement};
use crate::primitives::source::SourceRef;
use serde::{Deserialize, Serialize};

pub mod privileged_access;

/// One cell of an evidence row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    /// Nothing to show.
    Empty,
    /// Text (from the inputs or spelled out here); always written as a string.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// A count.
    Count(u64),
    /// An instant, as Unix seconds (UTC); written as an Excel date-time.
    DateTime(i64),
}

/// One evidence row, in its sheet's column order.
pub type Row = Vec<Cell>;

/// The evidence sheets, in workbook order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceSheet {
    /// Credential report rows.
    Users,
    /// Roles with a trust summary.
    Roles,
    /// Users, groups and roles holding a grant of `*` on `*`.
    PrivilegedAccess,
    /// Policies that mention an MFA condition key, and where each is attached.
    MfaPolicies,
}

/// Users sheet columns.
pub const USER_HEADERS: [&str; 19] = [
    "Account",
    "Account name",
    "User",
    "ARN",
    "Created (UTC)",
    "Password enabled",
    "Password last used (UTC)",
    "Password last changed (UTC)",
    "MFA active",
    "Key 1 active",
    "Key 1 last rotated (UTC)",
    "Key 1 last used (UTC)",
    "Key 2 active",
    "Key 2 last rotated (UTC)",
    "Key 2 last used (UTC)",
    "Note",
    "Source file",
    "Source SHA-256",
    "Source location",
];

/// Roles sheet columns.
pub const ROLE_HEADERS: [&str; 16] = [
    "Account",
    "Account name",
    "Role",
    "ARN",
    "Path",
    "Trusted principals (Allow)",
    "Actions (Allow)",
    "Conditions",
    "MFA condition",
    "External ID condition",
    "Allow statements",
    "Deny statements",
    "Trust policy statements (JSON)",
    "Source file",
    "Source SHA-256",
    "Source location",
];

/// MFA policies sheet columns.
pub const MFA_POLICY_HEADERS: [&str; 15] = [
    "Account",
    "Account name",
    "Policy",
    "Policy ARN or inline ID",
    "Policy type",
    "Attached as",
    "Attached to (type)",
    "Attached to",
    "Attached to ARN",
    "Group members",
    "MFA statements (Sid, effect)",
    "MFA statements (JSON)",
    "Source file",
    "Source SHA-256",
    "Source location",
];

impl EvidenceSheet {
    /// Every evidence sheet, in workbook order.
    pub const ALL: [EvidenceSheet; 4] = [
        EvidenceSheet::Users,
        EvidenceSheet::Roles,
        EvidenceSheet::PrivilegedAccess,
        EvidenceSheet::MfaPolicies,
    ];

    /// The sheet's name (continuation sheets add " 2", " 3", ...).
    pub fn name(self) -> &'static str {
        match self {
            EvidenceSheet::Users => "Users",
            EvidenceSheet::Roles => "Roles",
            EvidenceSheet::PrivilegedAccess => "Privileged access",
            EvidenceSheet::MfaPolicies => "MFA policies",
        }
    }

    /// The sheet's column headers.
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            EvidenceSheet::Users => &USER_HEADERS,
            EvidenceSheet::Roles => &ROLE_HEADERS,
            EvidenceSheet::PrivilegedAccess => &privileged_access::HEADERS,
            EvidenceSheet::MfaPolicies => &MFA_POLICY_HEADERS,
        }
    }

    /// Long-text columns, wrapped at a readable width (lists hold one item a line).
    pub fn wrap_columns(self) -> &'static [u16] {
        match self {
            EvidenceSheet::Users => &[15],
            EvidenceSheet::Roles => &[5, 6, 7],
            EvidenceSheet::PrivilegedAccess => &privileged_access::WRAP,
            EvidenceSheet::MfaPolicies => &[9, 10],
        }
    }

    /// Position in [`EvidenceSheet::ALL`].
    pub fn index(self) -> usize {
        match self {
            EvidenceSheet::Users => 0,
            EvidenceSheet::Roles => 1,
            EvidenceSheet::PrivilegedAccess => 2,
            EvidenceSheet::MfaPolicies => 3,
        }
    }
}

/// One account's evidence rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountEvidence {
    /// Users sheet rows.
    pub users: Vec<Row>,
    /// Roles sheet rows.
    pub roles: Vec<Row>,
    /// Privileged access sheet rows.
    pub privileged_access: Vec<Row>,
    /// MFA policies sheet rows.
    pub mfa_policies: Vec<Row>,
}

impl AccountEvidence {
    /// The rows for one sheet.
    pub fn rows(&self, sheet: EvidenceSheet) -> &[Row] {
        match sheet {
            EvidenceSheet::Users => &self.users,
            EvidenceSheet::Roles => &self.roles,
            EvidenceSheet::PrivilegedAccess => &self.privileged_access,
            EvidenceSheet::MfaPolicies => &self.mfa_policies,
        }
    }
}

/// Builds an account's evidence rows.
pub fn collect(account: &Account) -> AccountEvidence {
    let mut ev = AccountEvidence::default();
    user_rows(account, &mut ev.users);
    if let Some(auth) = &account.authorization {
        role_rows(account, auth, &mut ev.roles);
        privileged_access::rows(account, auth, &mut ev.privileged_access);
        mfa_policy_rows(account, auth, &mut ev.mfa_policies);
    }
    ev
}

// ---------------------------------------------------------------------------------------------
// Users.

/// The account's name in the organization's account list, beside its ID on every sheet.
fn account_name(account: &Account) -> Cell {
    account.org.name(&account.id).map_or(Cell::Empty, text)
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn source_cells(source: &SourceRef) -> [Cell; 3] {
    [
        text(source.file.as_ref()),
        text(source.sha256.as_ref()),
        text(source.location.as_str()),
    ]
}

/// What a date column's sentinel means depends on the column.
#[derive(Clone, Copy)]
enum DateColumn {
    /// `*_last_used`: `N/A` is a credential never used.
    LastUsed,
    /// `password_last_changed`: `N/A` is no password.
    PasswordChanged,
    /// `access_key_N_last_rotated`: `N/A` is no key.
    KeyRotated,
    /// `user_creation_time`.
    Created,
}

/// `no_information` spelled out.
pub const NO_INFORMATION: &str = "no information (never used, or not since Oct 2014)";

fn dated(value: Dated, column: DateColumn) -> Cell {
    match value {
        Dated::At(t) => Cell::DateTime(t.unix_timestamp()),
        Dated::NoInformation => text(NO_INFORMATION),
        Dated::NotSupported => text("not supported"),
        Dated::NotApplicable => text(match column {
            DateColumn::LastUsed => "never used",
            DateColumn::PasswordChanged => "no password",
            DateColumn::KeyRotated => "no key",
            DateColumn::Created => "not given",
        }),
    }
}

fn flag(value: Flag) -> Cell {
    match value {
        Flag::True => Cell::Bool(true),
        Flag::False => Cell::Bool(false),
        Flag::NotSupported => text("not supported"),
    }
}

fn user_rows(account: &Account, out: &mut Vec<Row>) {
    let Some(report) = &account.credential_report else {
        return;
    };
    for entry in report.root.iter().chain(&report.users) {
        let note = if entry.is_conflicting() {
            format!(
                "conflicting rows for this ARN ({}); see Results",
                entry.locations()
            )
        } else {
            String::new()
        };
        for row in entry.rows() {
            out.push(user_row(account, row, &note));
        }
    }
}

fn user_row(account: &Account, row: &CredentialRow, note: &str) -> Row {
    let f = &row.fields;
    let [k1, k2] = &f.access_keys;
    let mut cells = vec![
        text(account.id.as_str()),
        account_name(account),
        text(f.user.as_str()),
        text(f.arn.as_str()),
        dated(f.user_creation_time, DateColumn::Created),
        flag(f.password_enabled),
        dated(f.password_last_used, DateColumn::LastUsed),
        dated(f.password_last_changed, DateColumn::PasswordChanged),
        Cell::Bool(f.mfa_active),
        Cell::Bool(k1.active),
        dated(k1.last_rotated, DateColumn::KeyRotated),
        dated(k1.last_used, DateColumn::LastUsed),
        Cell::Bool(k2.active),
        dated(k2.last_rotated, DateColumn::KeyRotated),
        dated(k2.last_used, DateColumn::LastUsed),
        if note.is_empty() {
            Cell::Empty
        } else {
            text(note)
        },
    ];
    cells.extend(source_cells(&row.source));
    cells
}

// ---------------------------------------------------------------------------------------------
// Roles.

/// A trust policy, summarized from its statements' JSON.
#[derive(Debug, Default, PartialEq)]
pub struct TrustSummary {
    /// Principals of Allow statements, as `AWS: arn:...`, `Service: ...`, `*`.
    pub principals: Vec<String>,
    /// Actions of Allow statements.
    pub actions: Vec<String>,
    /// `Operator key` of every condition, in any statement.
    pub conditions: Vec<String>,
    /// Some statement mentions an MFA condition key.
    pub mfa_condition: bool,
    /// Some condition tests `sts:ExternalId`.
    pub external_id_condition: bool,
    /// Allow statements.
    pub allows: u64,
    /// Deny statements.
    pub denies: u64,
    /// The statements as a JSON array.
    pub json: String,
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// `AWS: arn:...` labels of a `Principal` or `NotPrincipal`, by kind in name order.
fn principal_labels(spec: &PrincipalSpec, prefix: &str) -> Vec<String> {
    match spec {
        PrincipalSpec::Everyone => vec![format!("{prefix}*")],
        PrincipalSpec::Principals(map) => [
            ("AWS", &map.aws),
            ("CanonicalUser", &map.canonical_user),
            ("Federated", &map.federated),
            ("Service", &map.service),
        ]
        .into_iter()
        .flat_map(|(kind, list)| list.iter().map(move |p| format!("{prefix}{kind}: {p}")))
        .collect(),
    }
}

/// Summarizes a trust policy from its typed statements.
pub fn trust_summary(policy: &Policy) -> TrustSummary {
    let mut t = TrustSummary {
        json: format!(
            "[{}]",
            policy
                .statements
                .iter()
                .map(|s| s.json.as_str())
                .collect::<Vec<_>>()
                .join(",")
        ),
        ..TrustSummary::default()
    };
    for s in &policy.statements {
        t.mfa_condition |= s.mentions_mfa_key();
        let allow = s.is_allow();
        if allow {
            t.allows += 1;
            for (spec, prefix) in [(&s.principal, ""), (&s.not_principal, "all but ")] {
                for label in spec.iter().flat_map(|p| principal_labels(p, prefix)) {
                    push_unique(&mut t.principals, label);
                }
            }
            let prefix = match s.actions {
                ActionSpec::Action(_) => "",
                ActionSpec::NotAction(_) => "all but ",
            };
            for action in s.actions.patterns() {
                push_unique(&mut t.actions, format!("{prefix}{action}"));
            }
        } else {
            t.denies += 1;
        }
        let effect = if allow { "" } else { "Deny: " };
        for c in &s.conditions {
            t.external_id_condition |= c.key.is("sts:ExternalId");
            push_unique(
                &mut t.conditions,
                format!("{effect}{} {}", c.operator.raw, c.key.name),
            );
        }
    }
    t
}

fn role_rows(account: &Account, auth: &Authorization, out: &mut Vec<Row>) {
    for role in &auth.roles {
        let mut cells = vec![
            text(account.id.as_str()),
            account_name(account),
            text(role.name.as_str()),
            text(role.arn.as_str()),
            text(role.path.as_str()),
        ];
        let mut source = role.source.clone();
        match &role.trust_policy {
            Some(policy) => {
                let t = trust_summary(policy);
                cells.extend([
                    text(t.principals.join("\n")),
                    text(t.actions.join("\n")),
                    text(t.conditions.join("\n")),
                    Cell::Bool(t.mfa_condition),
                    Cell::Bool(t.external_id_condition),
                    Cell::Count(t.allows),
                    Cell::Count(t.denies),
                    text(t.json),
                ]);
                source.location = crate::primitives::source::pointer_push(
                    &source.location,
                    "AssumeRolePolicyDocument",
                );
            }
            None => cells.extend([
                text("no trust policy in the export"),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]),
        }
        cells.extend(source_cells(&source));
        out.push(cells);
    }
}

// ---------------------------------------------------------------------------------------------
// MFA policies.

/// Where a policy is attached.
struct Place<'a> {
    how: &'static str,
    kind: &'static str,
    name: &'a str,
    arn: &'a str,
    /// Group members, for group attachments.
    members: Option<String>,
}

/// The statements of a policy with a condition on an MFA key: (Sid and effect labels, JSON
/// texts).
fn mfa_statements(policy: &Policy) -> Option<(String, String)> {
    let statements: Vec<&Statement> = policy
        .statements
        .iter()
        .filter(|s| s.mentions_mfa_key())
        .collect();
    if statements.is_empty() {
        return None;
    }
    let labels: Vec<String> = statements
        .iter()
        .map(|s| format!("{} ({})", s.sid_label(), s.effect))
        .collect();
    let texts: Vec<&str> = statements.iter().map(|s| s.json.as_str()).collect();
    Some((labels.join("\n"), texts.join("\n")))
}

fn group_members(auth: &Authorization, group: &str) -> String {
    let names: Vec<&str> = auth
        .users
        .iter()
        .filter(|u| u.groups.iter().any(|g| g == group))
        .map(|u| u.name.as_str())
        .collect();
    if names.is_empty() {
        "(no members in the export)".to_string()
    } else {
        names.join("\n")
    }
}

fn managed_places<'a>(auth: &'a Authorization, policy_arn: &str) -> Vec<Place<'a>> {
    let attached = |list: &[Attachment]| list.iter().any(|a| a.arn == policy_arn);
    let mut places = Vec::new();
    for u in &auth.users {
        if attached(&u.attached) {
            places.push(Place {
                how: "attached",
                kind: "user",
                name: &u.name,
                arn: &u.arn,
                members: None,
            });
        }
        if u.boundary.as_deref() == Some(policy_arn) {
            places.push(Place {
                how: "permissions boundary",
                kind: "user",
                name: &u.name,
                arn: &u.arn,
                members: None,
            });
        }
    }
    for g in &auth.groups {
        if attached(&g.attached) {
            places.push(Place {
                how: "attached",
                kind: "group",
                name: &g.name,
                arn: &g.arn,
                members: Some(group_members(auth, &g.name)),
            });
        }
    }
    for r in &auth.roles {
        if attached(&r.attached) {
            places.push(Place {
                how: "attached",
                kind: "role",
                name: &r.name,
                arn: &r.arn,
                members: None,
            });
        }
        if r.boundary.as_deref() == Some(policy_arn) {
            places.push(Place {
                how: "permissions boundary",
                kind: "role",
                name: &r.name,
                arn: &r.arn,
                members: None,
            });
        }
    }
    places
}

struct PolicyFacts<'a> {
    name: &'a str,
    id: String,
    kind: &'static str,
    labels: String,
    json: String,
    source: &'a SourceRef,
}

fn push_policy_rows(
    account: &Account,
    p: &PolicyFacts<'_>,
    places: &[Place<'_>],
    out: &mut Vec<Row>,
) {
    let row = |place: Option<&Place<'_>>| -> Row {
        let mut cells = vec![
            text(account.id.as_str()),
            account_name(account),
            text(p.name),
            text(p.id.as_str()),
            text(p.kind),
        ];
        match place {
            Some(pl) => cells.extend([
                text(pl.how),
                text(pl.kind),
                text(pl.name),
                text(pl.arn),
                pl.members.as_deref().map_or(Cell::Empty, text),
            ]),
            None => cells.extend([
                text("not attached"),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]),
        }
        cells.extend([text(p.labels.as_str()), text(p.json.as_str())]);
        cells.extend(source_cells(p.source));
        cells
    };
    if places.is_empty() {
        out.push(row(None));
    }
    for place in places {
        out.push(row(Some(place)));
    }
}

fn managed_policy_facts(policy: &ManagedPolicy) -> Option<PolicyFacts<'_>> {
    let version = policy.default_version()?;
    let (labels, json) = mfa_statements(version.document.as_ref()?)?;
    Some(PolicyFacts {
        name: &policy.name,
        id: policy.arn.clone(),
        kind: if policy.is_aws_managed() {
            "AWS managed"
        } else {
            "customer managed"
        },
        labels,
        json,
        source: &version.source,
    })
}

fn inline_facts<'a>(
    policy: &'a InlinePolicy,
    owner_arn: &str,
    kind: &'static str,
) -> Option<PolicyFacts<'a>> {
    let (labels, json) = mfa_statements(&policy.document)?;
    Some(PolicyFacts {
        name: &policy.name,
        id: format!("{owner_arn}#inline:{}", policy.name),
        kind,
        labels,
        json,
        source: &policy.source,
    })
}

fn mfa_policy_rows(account: &Account, auth: &Authorization, out: &mut Vec<Row>) {
    for policy in &auth.policies {
        if let Some(facts) = managed_policy_facts(policy) {
            push_policy_rows(account, &facts, &managed_places(auth, &policy.arn), out);
        }
    }
    for u in &auth.users {
        for ip in &u.inline_policies {
            if let Some(facts) = inline_facts(ip, &u.arn, "inline (user)") {
                let place = Place {
                    how: "inline",
                    kind: "user",
                    name: &u.name,
                    arn: &u.arn,
                    members: None,
                };
                push_policy_rows(account, &facts, &[place], out);
            }
        }
    }
    for g in &auth.groups {
        for ip in &g.inline_policies {
            if let Some(facts) = inline_facts(ip, &g.arn, "inline (group)") {
                let place = Place {
                    how: "inline",
                    kind: "group",
                    name: &g.name,
                    arn: &g.arn,
                    members: Some(group_members(auth, &g.name)),
                };
                push_policy_rows(account, &facts, &[place], out);
            }
        }
    }
    for r in &auth.roles {
        for ip in &r.inline_policies {
            if let Some(facts) = inline_facts(ip, &r.arn, "inline (role)") {
                let place = Place {
                    how: "inline",
                    kind: "role",
                    name: &r.name,
                    arn: &r.arn,
                    members: None,
                };
                push_policy_rows(account, &facts, &[place], out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(statements: serde_json::Value) -> Policy {
        crate::policy::parse_export_document(&serde_json::json!({ "Statement": statements }), "")
            .unwrap()
    }

    #[test]
    fn mfa_statements_are_those_with_a_condition_on_an_mfa_key_in_any_case() {
        let p = policy(serde_json::json!([
            {"Sid": "A", "Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"Bool": {"aws:multifactorauthpresent": "false"}}},
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"Null": {"AWS:MultiFactorAuthAge": "true"}}},
            {"Sid": "aws:MultiFactorAuthPresent", "Effect": "Allow", "Action": "*", "Resource": "*",
             "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}
        ]));
        let (labels, json) = mfa_statements(&p).unwrap();
        assert_eq!(labels, "A (Deny)\n(no Sid) (Deny)");
        assert_eq!(json.lines().count(), 2);
        assert!(!json.contains("ExternalId"));
    }

    #[test]
    fn trust_summary_lists_principals_conditions_and_mfa() {
        let t = trust_summary(&policy(serde_json::json!([
            {"Effect": "Allow",
                "Principal": {"AWS": ["arn:aws:iam::111122223333:root"], "Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"},
                              "StringEquals": {"sts:ExternalId": "abc"}}},
            {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
        ])));
        assert_eq!(
            t.principals,
            [
                "AWS: arn:aws:iam::111122223333:root",
                "Service: ec2.amazonaws.com"
            ]
        );
        assert_eq!(t.actions, ["sts:AssumeRole"]);
        assert_eq!(
            t.conditions,
            [
                "Bool aws:MultiFactorAuthPresent",
                "StringEquals sts:ExternalId",
                "Deny: BoolIfExists aws:MultiFactorAuthPresent"
            ]
        );
        assert!(t.mfa_condition && t.external_id_condition);
        assert_eq!((t.allows, t.denies), (1, 1));
        assert!(t.json.starts_with("[{") && t.json.ends_with("}]"));
    }

    #[test]
    fn sentinels_are_spelled_out() {
        assert_eq!(
            dated(Dated::NotApplicable, DateColumn::LastUsed),
            text("never used")
        );
        assert_eq!(
            dated(Dated::NotApplicable, DateColumn::KeyRotated),
            text("no key")
        );
        assert_eq!(
            dated(Dated::NoInformation, DateColumn::LastUsed),
            text(NO_INFORMATION)
        );
        assert_eq!(flag(Flag::NotSupported), text("not supported"));
        assert_eq!(flag(Flag::True), Cell::Bool(true));
    }

    #[test]
    fn headers_fit_excel_names() {
        for sheet in EvidenceSheet::ALL {
            assert!(sheet.name().len() + 4 <= 31);
            assert_eq!(EvidenceSheet::ALL[sheet.index()], sheet);
        }
    }
}
