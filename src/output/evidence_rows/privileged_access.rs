//! The Privileged access sheet: one row per user, group or role holding a grant of `*` on
//! `*` (privileged, capped by its permissions boundary, or with a boundary document missing),
//! with how it is granted, and how a user signs in or who may assume a role. Sorted by type,
//! then ARN, within the account.

use super::{Cell, DateColumn, Row, dated, flag, source_cells, text};
use crate::checks::helpers::privilege::{self, Assessment, PrincipalKind, Privilege};
use crate::model::iam::{Authorization, Role};
use crate::model::{Account, Dated, Flag};
use crate::policy::allow_requires_mfa;

/// Privileged access sheet columns.
pub const HEADERS: [&str; 18] = [
    "Account",
    "Account name",
    "ARN",
    "Type",
    "Privileges",
    "How granted",
    "Permissions boundary",
    "Console password",
    "MFA active",
    "Active access keys",
    "Password last used (UTC)",
    "Access key last used (UTC)",
    "Who may assume (trusted principals)",
    "MFA required to assume",
    "Role last used (UTC)",
    "Source file",
    "Source SHA-256",
    "Source location",
];

/// Long-text columns.
pub const WRAP: [u16; 3] = [5, 6, 12];

/// Builds the account's rows.
pub fn rows(account: &Account, auth: &Authorization, out: &mut Vec<Row>) {
    for a in privilege::granted(auth) {
        let mut cells = vec![
            text(account.id.as_str()),
            super::account_name(account),
            text(a.arn.as_str()),
            text(a.kind.label()),
            text(match a.privilege {
                Privilege::Full => "full administrative",
                Privilege::Capped => "capped by permissions boundary",
                Privilege::BoundaryMissing => {
                    "not determinable: permissions boundary document missing"
                }
                Privilege::Unknown | Privilege::None => "none",
            }),
            text(
                a.grants
                    .iter()
                    .map(|g| g.to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            text(a.boundary.to_string()),
        ];
        cells.extend(match a.kind {
            PrincipalKind::User => user_cells(account, &a),
            PrincipalKind::Group | PrincipalKind::Role => vec![Cell::Empty; 5],
        });
        cells.extend(match a.kind {
            PrincipalKind::Role => match auth.roles.iter().find(|r| r.source == a.source) {
                Some(role) => role_cells(role),
                None => vec![Cell::Empty; 3],
            },
            _ => vec![Cell::Empty; 3],
        });
        cells.extend(source_cells(&a.source));
        out.push(cells);
    }
}

/// Console password, MFA, active keys, password and key last used, from the credential report.
fn user_cells(account: &Account, a: &Assessment) -> Vec<Cell> {
    let entry = account
        .credential_report
        .as_ref()
        .and_then(|r| r.user(&a.arn));
    let Some(entry) = entry else {
        let why = if account.credential_report.is_some() {
            "not in the credential report"
        } else {
            "no credential report"
        };
        return vec![
            text(why),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ];
    };
    if entry.is_conflicting() {
        return vec![
            text(format!(
                "conflicting rows in the credential report ({}); see Results",
                entry.locations()
            )),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ];
    }
    let f = &entry.first().fields;
    let active: Vec<_> = f.access_keys.iter().filter(|k| k.active).collect();
    let keys = if active.is_empty() {
        text("none")
    } else {
        text(
            active
                .iter()
                .map(|k| k.credential_name())
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    // The latest use of an active key; a key never used shows as such.
    let key_used = active
        .iter()
        .map(|k| k.last_used)
        .max_by_key(|d| d.instant())
        .map_or(text("no active key"), |d| dated(d, DateColumn::LastUsed));
    let password_used = if f.password_enabled == Flag::True {
        dated(f.password_last_used, DateColumn::LastUsed)
    } else {
        match f.password_last_used {
            Dated::At(_) => dated(f.password_last_used, DateColumn::LastUsed),
            _ => text("no password"),
        }
    };
    vec![
        flag(f.password_enabled),
        Cell::Bool(f.mfa_active),
        keys,
        password_used,
        key_used,
    ]
}

/// Who may assume the role (the Roles sheet's trust summary), whether every Allow to assume
/// it requires MFA, and `RoleLastUsed`.
fn role_cells(role: &Role) -> Vec<Cell> {
    let (who, mfa) = match &role.trust_policy {
        Some(policy) => {
            let t = super::trust_summary(policy);
            let allows: Vec<_> = policy
                .statements
                .iter()
                .filter(|s| s.is_allow() && !s.actions.assume_role_actions().is_empty())
                .collect();
            let required = !allows.is_empty() && allows.iter().all(|s| allow_requires_mfa(s));
            (text(t.principals.join("\n")), Cell::Bool(required))
        }
        None => (text("no trust policy in the export"), Cell::Empty),
    };
    let last_used = match &role.last_used {
        None => text("not in the export"),
        Some(used) => match used.date {
            Some(t) => Cell::DateTime(t.unix_timestamp()),
            None => text("no recorded use"),
        },
    };
    vec![who, mfa, last_used]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{
        ACCOUNT, account, at, authorization_file, iam_user, key, user, with_users,
    };
    use crate::model::iam::{Attachment, RoleLastUsed};

    const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

    fn attach() -> Vec<Attachment> {
        vec![Attachment {
            name: "AdministratorAccess".into(),
            arn: ADMIN.into(),
        }]
    }

    #[test]
    fn user_row_shows_sign_in_and_role_row_shows_trust() {
        let mut f = user("bob");
        f.password_enabled = Flag::True;
        f.password_last_used = at("2024-06-01T00:00:00Z");
        f.access_keys[0] = key(
            1,
            true,
            at("2024-05-01T00:00:00Z"),
            at("2024-06-02T00:00:00Z"),
        );
        let mut acct = with_users(account(), vec![f]);
        let mut bob = iam_user(0, "bob");
        bob.attached = attach();
        let trust = crate::policy::parse_export_document(
            &serde_json::json!({"Statement": [{"Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}),
            "/RoleDetailList/0/AssumeRolePolicyDocument",
        )
        .unwrap();
        let role = Role {
            name: "ops".into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:role/ops"),
            path: "/".into(),
            trust_policy: Some(trust),
            inline_policies: Vec::new(),
            attached: attach(),
            boundary: None,
            last_used: Some(RoleLastUsed {
                date: None,
                region: None,
            }),
            source: authorization_file().at("/RoleDetailList/0"),
        };
        acct.authorization = Some(Authorization {
            users: vec![bob],
            roles: vec![role],
            ..Authorization::default()
        });
        let mut out = Vec::new();
        rows(&acct, acct.authorization.as_ref().unwrap(), &mut out);
        assert_eq!(out.len(), 2);
        let (role_row, user_row) = (&out[0], &out[1]);
        assert_eq!(role_row[3], text("role"));
        assert_eq!(role_row[5], text(ADMIN));
        assert_eq!(role_row[12], text("AWS: arn:aws:iam::444455556666:root"));
        assert_eq!(role_row[13], Cell::Bool(true));
        assert_eq!(role_row[14], text("no recorded use"));
        assert_eq!(
            user_row[2],
            text(format!("arn:aws:iam::{ACCOUNT}:user/bob"))
        );
        assert_eq!(user_row[4], text("full administrative"));
        assert_eq!(user_row[6], text("none"));
        assert_eq!(user_row[7], Cell::Bool(true));
        assert_eq!(user_row[8], Cell::Bool(false));
        assert_eq!(user_row[9], text("access_key_1"));
        assert_eq!(
            user_row[11],
            Cell::DateTime(
                at("2024-06-02T00:00:00Z")
                    .instant()
                    .unwrap()
                    .unix_timestamp()
            )
        );
        assert_eq!(user_row.len(), HEADERS.len());
        assert_eq!(role_row.len(), HEADERS.len());
    }
}
