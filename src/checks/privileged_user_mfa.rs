//! `privileged-user-mfa`: every IAM user with full administrative privileges has MFA.
//!
//! Population: the users of the authorization export that hold full administrative
//! privileges (see [`super::helpers::privilege`]). PASS when the credential report shows an active MFA
//! device, or when the user cannot sign in at all (no password, no active key); FAIL
//! otherwise. NOT_DETERMINABLE for a user the credential report does not list or lists in
//! conflicting rows, a user with an admin grant whose permissions boundary document is missing,
//! and a user without a known grant whose route holds a missing document. Users only in the
//! credential report are outside the population.

use super::helpers::privilege::{self, Assessment, Privilege};
use super::helpers::{conflicting_rows, require, result};
use super::{CheckContext, CheckMeta, CheckResult, References, Severity, Status, Title};
use crate::model::credential::CredentialFields;
use crate::primitives::source::SourceRef;
use crate::model::{
    Account, Authorization, CredentialEntry, CredentialReport, ExportKind, Flag,
};

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "privileged-user-mfa",
    title: Title::fixed("IAM users with full administrative privileges have MFA enabled"),
    severity: Severity::Critical,
    severity_note: None,
    population: "IAM users with full administrative privileges: `AdministratorAccess` or a policy allowing \
                 \"*\" on \"*\" without conditions, attached or inline, directly or through a group, and not \
                 capped by a permissions boundary; one result per user",
    rationale: "An administrator's credentials open the whole account, including IAM itself. Auditors list \
                the privileged users and test that each signs in with a second factor; a stolen password or \
                key of an administrator without MFA is a full compromise.",
    remediation: "Have each listed user enroll an MFA device (IAM console > Users > user > Security credentials > \
                  Assign MFA device), or remove the administrative grant and give administration through an \
                  MFA-protected role. Replace active access keys of administrators with short-lived role \
                  credentials, or protect them with a policy that denies requests without MFA.",
    statuses: &[
        (
            Status::Pass,
            "the user has an active MFA device, or cannot sign in (no console password, no active access key)",
        ),
        (
            Status::Fail,
            "the user has full administrative privileges and no active MFA device",
        ),
        (
            Status::NotDeterminable,
            "the user is not in the credential report or has conflicting rows there, its permissions boundary \
             document is missing, a document on its route is missing and no admin grant is known, or the \
             account lacks the credential report or the authorization details export",
        ),
    ],
    references: References::NONE,
    needs: &[
        ExportKind::AuthorizationDetails,
        ExportKind::CredentialReport,
    ],
};

/// Tests every privileged user of the account.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let Some(auth) = require::<Authorization>(&META, account, out) else {
        return;
    };
    let Some(report) = require::<CredentialReport>(&META, account, out) else {
        return;
    };
    let index = super::helpers::policy_sources::Index::new(auth);
    for user in &auth.users {
        let a = privilege::user(&index, user);
        if matches!(a.privilege, Privilege::None | Privilege::Capped) {
            continue;
        }
        let entry = report
            .user(&user.canonical_arn)
            .or_else(|| report.user(&user.arn));
        out.push(judge(account, &a, entry));
    }
}

/// What the user holds, for the reason.
fn privileges(a: &Assessment) -> String {
    match a.privilege {
        Privilege::Unknown => format!(
            "an attached policy's document is missing; privileges unknown ({})",
            a.missing.join("; ")
        ),
        _ => format!("full administrative privileges: {}", a.grants_text()),
    }
}

fn judge(account: &Account, a: &Assessment, entry: Option<&CredentialEntry>) -> CheckResult {
    let grant_sources: Vec<_> = a.grants.iter().map(|g| g.source.clone()).collect();
    let Some(entry) = entry else {
        return not_in_report(account, a, grant_sources);
    };
    if entry.is_conflicting() {
        let mut r = conflicting_rows(
            &META,
            account,
            a.arn.clone(),
            "this user",
            entry,
            None,
            credential_evidence,
        );
        r.evidence_sources.extend(grant_sources);
        return r;
    }
    let row = entry.first();
    let f = &row.fields;
    let keys: Vec<&str> = f
        .access_keys
        .iter()
        .filter(|k| k.active)
        .map(|k| k.credential_name())
        .collect();
    let (status, mut reason) = verdict(a, f, &keys);
    for key in &keys {
        reason.push_str(&format!(
            "; and {key} active: keys are not MFA-protected unless a policy denies without MFA, see \
             mfa-enforced-by-policy"
        ));
    }
    let mut r = result(
        &META,
        account,
        a.arn.clone(),
        status,
        reason,
        Some(row.source.clone()),
    );
    r.evidence = format!("{}; {}", credential_evidence(f), assessment_evidence(a));
    r.evidence_sources = grant_sources;
    r
}

/// NOT_DETERMINABLE: the privileged user has no credential report row, so MFA is unknown.
fn not_in_report(
    account: &Account,
    a: &Assessment,
    grant_sources: Vec<SourceRef>,
) -> CheckResult {
    let mut r = result(
        &META,
        account,
        a.arn.clone(),
        Status::NotDeterminable,
        format!(
            "not in the credential report (created after it was generated, or a different export date): \
             MFA unknown; {}",
            privileges(a)
        ),
        Some(a.source.clone()),
    );
    r.evidence = assessment_evidence(a);
    r.evidence_sources = grant_sources;
    r
}

/// The status and reason from the user's privilege, MFA device and ways to sign in
/// (`keys`: the active access keys).
fn verdict(a: &Assessment, f: &CredentialFields, keys: &[&str]) -> (Status, String) {
    let cannot_sign_in = f.password_enabled != Flag::True && keys.is_empty();
    // A user who cannot sign in passes before any missing-document rule applies.
    match a.privilege {
        Privilege::Full if f.mfa_active => (
            Status::Pass,
            format!("MFA device active; {}", privileges(a)),
        ),
        _ if cannot_sign_in => (
            Status::Pass,
            format!(
                "cannot sign in: no password, no active key; {}",
                privileges(a)
            ),
        ),
        Privilege::BoundaryMissing => (
            Status::NotDeterminable,
            format!(
                "the permissions boundary might cap the user ({}); {}",
                a.boundary,
                privileges(a)
            ),
        ),
        Privilege::Unknown => (Status::NotDeterminable, privileges(a)),
        _ => (Status::Fail, format!("no MFA device; {}", privileges(a))),
    }
}

fn credential_evidence(f: &CredentialFields) -> String {
    let keys: Vec<String> = f
        .access_keys
        .iter()
        .map(|k| format!("{}_active={}", k.credential_name(), k.active))
        .collect();
    format!(
        "user={}; password_enabled={}; mfa_active={}; {}",
        f.user,
        f.password_enabled.describe(),
        f.mfa_active,
        keys.join("; ")
    )
}

fn assessment_evidence(a: &Assessment) -> String {
    let mut parts = vec![format!("permissions boundary: {}", a.boundary)];
    for g in &a.grants {
        parts.push(format!("grant: {g} ({})", g.source.location));
    }
    for m in &a.missing {
        parts.push(format!("missing: {m}"));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{
        ACCOUNT, account, at, entry, iam_user, key, run, user, with_authorization, with_users,
    };
    use crate::model::iam::{Attachment, Authorization, Group};

    const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

    fn admin(name: &str, index: usize) -> crate::model::iam::User {
        let mut u = iam_user(index, name);
        u.attached = vec![Attachment {
            name: "AdministratorAccess".into(),
            arn: ADMIN.into(),
        }];
        u
    }

    fn console(name: &str, mfa: bool) -> CredentialFields {
        let mut f = user(name);
        f.password_enabled = Flag::True;
        f.mfa_active = mfa;
        f
    }

    #[test]
    fn admin_with_mfa_passes_and_without_fails() {
        let acct = with_authorization(
            with_users(account(), vec![console("ann", true), console("ben", false)]),
            vec![admin("ann", 0), admin("ben", 1), iam_user(2, "cat")],
        );
        let out = run(run_fn(), &acct);
        assert_eq!(out.len(), 2, "{out:#?}");
        assert_eq!(out[0].status, Status::Pass);
        assert_eq!(out[1].status, Status::Fail);
        assert_eq!(out[1].severity, Severity::Critical);
        assert!(out[1].reason.contains(ADMIN), "{}", out[1].reason);
        assert_eq!(out[1].source.as_ref().unwrap().location, "line 4");
        assert_eq!(
            out[1].evidence_sources[0].location,
            "/UserDetailList/1/AttachedManagedPolicies/0"
        );
    }

    fn run_fn() -> crate::checks::testing::RunFn {
        super::run
    }

    #[test]
    fn admin_via_group_with_mfa_passes_and_cites_the_group_attachment() {
        let mut u = iam_user(0, "alice");
        u.groups = vec!["Admins".into()];
        let mut acct = with_users(account(), vec![console("alice", true)]);
        acct.authorization = Some(Authorization {
            users: vec![u],
            groups: vec![Group {
                name: "Admins".into(),
                arn: format!("arn:aws:iam::{ACCOUNT}:group/Admins"),
                inline_policies: Vec::new(),
                attached: vec![Attachment {
                    name: "AdministratorAccess".into(),
                    arn: ADMIN.into(),
                }],
                source: crate::checks::testing::authorization_file().at("/GroupDetailList/3"),
            }],
            ..Authorization::default()
        });
        let out = run(run_fn(), &acct);
        assert_eq!(out[0].status, Status::Pass);
        assert!(
            out[0].reason.contains("via group Admins"),
            "{}",
            out[0].reason
        );
        assert_eq!(
            out[0].evidence_sources[0].location,
            "/GroupDetailList/3/AttachedManagedPolicies/0"
        );
    }

    #[test]
    fn privileged_user_who_cannot_sign_in_passes() {
        let acct = with_authorization(
            with_users(account(), vec![user("svc")]),
            vec![admin("svc", 0)],
        );
        let out = run(run_fn(), &acct);
        assert_eq!(out[0].status, Status::Pass);
        assert!(
            out[0]
                .reason
                .starts_with("cannot sign in: no password, no active key"),
            "{}",
            out[0].reason
        );
    }

    #[test]
    fn cannot_sign_in_passes_before_a_missing_boundary_document() {
        let mut u = admin("svc", 0);
        u.boundary = Some(format!("arn:aws:iam::{ACCOUNT}:policy/Gone"));
        let acct = with_authorization(with_users(account(), vec![user("svc")]), vec![u]);
        assert_eq!(run(run_fn(), &acct)[0].status, Status::Pass);
    }

    #[test]
    fn missing_boundary_document_of_an_admin_is_not_determinable() {
        // With or without MFA: the boundary might cap the user, so the population is unknown.
        for mfa in [false, true] {
            let mut u = admin("ben", 0);
            u.boundary = Some(format!("arn:aws:iam::{ACCOUNT}:policy/Gone"));
            let acct =
                with_authorization(with_users(account(), vec![console("ben", mfa)]), vec![u]);
            let out = run(run_fn(), &acct);
            assert_eq!(out[0].status, Status::NotDeterminable);
            assert!(out[0].reason.contains("might cap"), "{}", out[0].reason);
        }
    }

    #[test]
    fn missing_customer_managed_document_without_known_grant_is_not_determinable() {
        let mut u = iam_user(0, "ben");
        u.attached = vec![Attachment {
            name: "Gone".into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:policy/Gone"),
        }];
        let acct = with_authorization(with_users(account(), vec![console("ben", false)]), vec![u]);
        let out = run(run_fn(), &acct);
        assert_eq!(out[0].status, Status::NotDeterminable);
        assert!(
            out[0]
                .reason
                .contains("an attached policy's document is missing; privileges unknown"),
            "{}",
            out[0].reason
        );
    }

    #[test]
    fn capped_admin_is_outside_the_population() {
        let mut u = admin("ben", 0);
        u.boundary = Some("arn:aws:iam::aws:policy/ReadOnlyAccess".into());
        let acct = with_authorization(with_users(account(), vec![console("ben", false)]), vec![u]);
        assert!(run(run_fn(), &acct).is_empty());
    }

    #[test]
    fn active_keys_are_named_and_point_at_mfa_enforced_by_policy() {
        let mut f = console("ben", true);
        f.access_keys[0] = key(
            1,
            true,
            at("2024-05-01T00:00:00Z"),
            at("2024-06-01T00:00:00Z"),
        );
        let acct = with_authorization(with_users(account(), vec![f]), vec![admin("ben", 0)]);
        let out = run(run_fn(), &acct);
        assert_eq!(out[0].status, Status::Pass);
        assert!(
            out[0].reason.contains(
                "and access_key_1 active: keys are not MFA-protected unless a policy denies without MFA, \
                 see mfa-enforced-by-policy"
            ),
            "{}",
            out[0].reason
        );
    }

    #[test]
    fn key_only_admin_without_mfa_fails() {
        let mut f = user("ci");
        f.access_keys[1] = key(
            2,
            true,
            at("2024-05-01T00:00:00Z"),
            at("2024-06-01T00:00:00Z"),
        );
        let acct = with_authorization(with_users(account(), vec![f]), vec![admin("ci", 0)]);
        let out = run(run_fn(), &acct);
        assert_eq!(out[0].status, Status::Fail);
        assert!(out[0].reason.contains("access_key_2 active"));
    }

    #[test]
    fn user_only_in_the_authorization_export_is_not_determinable() {
        let acct = with_authorization(account(), vec![admin("ghost", 0)]);
        let out = run(run_fn(), &acct);
        assert_eq!(out[0].status, Status::NotDeterminable);
        assert!(out[0].reason.starts_with("not in the credential report"));
        assert_eq!(
            out[0].source.as_ref().unwrap().location,
            "/UserDetailList/0"
        );
    }

    #[test]
    fn user_only_in_the_credential_report_is_outside_the_population() {
        let acct = with_authorization(
            with_users(account(), vec![console("erin", false)]),
            Vec::new(),
        );
        assert!(run(run_fn(), &acct).is_empty());
    }

    #[test]
    fn conflicting_report_rows_are_not_determinable() {
        let mut acct = with_authorization(account(), vec![admin("dup", 0)]);
        if let Some(report) = acct.credential_report.as_mut() {
            report
                .users
                .push(entry(3, vec![console("dup", true), console("dup", false)]));
        }
        let out = run(run_fn(), &acct);
        assert_eq!(out[0].status, Status::NotDeterminable);
        assert!(out[0].reason.contains("conflicting rows"));
    }

    #[test]
    fn missing_export_gives_one_account_row() {
        let only_report = with_users(account(), vec![console("ann", false)]);
        let out = run(run_fn(), &only_report);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].status, Status::NotDeterminable);
        assert_eq!(out[0].resource_arn, format!("arn:aws:iam::{ACCOUNT}:root"));

        let mut only_auth = with_authorization(account(), vec![admin("ann", 0)]);
        only_auth.credential_report = None;
        let out = run(run_fn(), &only_auth);
        assert_eq!(out.len(), 1);
        assert!(
            out[0].reason.contains("credential report"),
            "{}",
            out[0].reason
        );
    }
}
