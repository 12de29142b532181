//! `org-coverage`: is every account of the organization's account list audited, and is every
//! audited account in the list?
//!
//! Only when an organization account list was read (found in the inputs or given by
//! `--org-accounts`). One result per audited account here; the pipeline adds one per listed
//! account with no exports at all ([`absent`]), so the population spans the list and the run.

use super::helpers::{CheckContext, result};
use super::{CheckMeta, CheckResult, References, Severity, Status, Title};
use crate::model::supplementary::OrgAccount;
use crate::model::{Account, ExportKind, OrgAccounts};
use crate::primitives::source::SourceRef;

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "org-coverage",
    title: Title::fixed(
        "Every account of the organization's account list is audited (population completeness)",
    ),
    severity: Severity::High,
    severity_note: None,
    population: "only when an organization account list (organizations list-accounts) is read: every listed \
                 account and every audited account not in the list; one result per account",
    rationale: "An auditor may rely on a test of a population only after showing the population is complete. \
                The organization's own account list says which accounts exist: an active account that sent no \
                credential report or authorization export is a gap in the population, and an audited account \
                the list does not name may be outside the engagement.",
    remediation: "Collect the credential report and `aws iam get-account-authorization-details` of every \
                  ACTIVE account in the list (or document why it is out of scope), confirm that suspended or \
                  closing accounts are out of scope, and confirm the scope of audited accounts the list does \
                  not name.",
    statuses: &[
        (
            Status::Pass,
            "listed, and both a credential report and an authorization details export were read",
        ),
        (
            Status::Fail,
            "listed as ACTIVE (or with no State or Status) and an export is missing or was left out under \
             --keep-going; the reason names what is missing",
        ),
        (
            Status::Manual,
            "listed with another state (SUSPENDED, PENDING_CLOSURE, CLOSED, PENDING_ACTIVATION) and missing an \
             export; or audited but not in the list (or the list is incomplete: it ends with a NextToken)",
        ),
    ],
    references: References::NONE,
    needs: &[ExportKind::CredentialReport, ExportKind::AuthorizationDetails],
};

/// What an account lacks of the two main exports, one phrase each (empty when it has both):
/// "no credential report", or "authorization details export left out: ...".
pub fn missing(account: &Account) -> Vec<String> {
    let mut out = Vec::new();
    if account.credential_report.is_none() {
        out.push(missing_phrase(account, ExportKind::CredentialReport));
    }
    if account.authorization.is_none() {
        out.push(missing_phrase(account, ExportKind::AuthorizationDetails));
    }
    out
}

fn missing_phrase(account: &Account, kind: ExportKind) -> String {
    match account.left_out.iter().find(|l| l.kind == kind) {
        Some(l) => format!("{} left out (--keep-going): {}", kind.label(), l.reason),
        None => format!("no {}", kind.label()),
    }
}

/// What a listed account with no exports at all lacks.
pub fn missing_everything() -> Vec<String> {
    [ExportKind::CredentialReport, ExportKind::AuthorizationDetails]
        .iter()
        .map(|k| format!("no {}", k.label()))
        .collect()
}

/// The verdict for one account: its entry in the list (if any), whether the list is
/// incomplete, and what it lacks of the two main exports.
pub fn assess(entry: Option<&OrgAccount>, incomplete: bool, missing: &[String]) -> (Status, String) {
    let Some(entry) = entry else {
        let reason = if incomplete {
            "not in the organization's account list, which is incomplete (it ends with a NextToken): \
             collect the remaining pages, or confirm the account is in scope"
        } else {
            "not in the organization's account list: confirm it is in scope"
        };
        return (Status::Manual, reason.to_string());
    };
    let state = entry.state_label();
    if missing.is_empty() {
        return (
            Status::Pass,
            format!("listed ({state}); credential report and authorization details export read"),
        );
    }
    let what = missing.join("; ");
    if entry.is_active() {
        (Status::Fail, format!("listed ({state}); {what}"))
    } else {
        (
            Status::Manual,
            format!("account {state}: confirm it is closed or out of scope; {what}"),
        )
    }
}

/// Tests an audited account against the list (no result without a list).
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let org = &account.org;
    if !org.is_known() {
        return;
    }
    let entry = org.get(&account.id);
    let (status, reason) = assess(entry, org.incomplete, &missing(account));
    let source = match entry {
        Some(e) => Some(org.source_of(e)),
        None => first_export(account),
    };
    let mut r = result(&META, account, account.root_arn(), status, reason, source);
    r.evidence = evidence(entry, org);
    out.push(r);
}

/// The result for a listed account with no exports in the run.
pub fn absent(entry: &OrgAccount, org: &OrgAccounts) -> CheckResult {
    let partition = entry.partition().unwrap_or("aws");
    let (status, reason) = assess(Some(entry), org.incomplete, &missing_everything());
    CheckResult {
        check_id: META.id,
        account_id: entry.id.to_string(),
        resource_arn: crate::primitives::arn::root_arn(partition, &entry.id),
        credential: None,
        status,
        severity: META.severity,
        reason,
        source: Some(org.source_of(entry)),
        evidence: evidence(Some(entry), org),
        evidence_sources: Vec::new(),
    }
}

/// The listed accounts with no exports in the run, in account order: one result each.
pub fn absent_accounts<'a>(
    org: &'a OrgAccounts,
    audited: &'a std::collections::BTreeSet<String>,
) -> impl Iterator<Item = CheckResult> + 'a {
    org.entries()
        .filter(|e| !audited.contains(&*e.id))
        .map(|e| absent(e, org))
}

/// The account's first export: the credential report, else the first authorization page.
fn first_export(account: &Account) -> Option<SourceRef> {
    account
        .credential_report
        .as_ref()
        .map(|r| r.header_source.clone())
        .or_else(|| account.authorization_sources.first().cloned())
}

fn evidence(entry: Option<&OrgAccount>, org: &OrgAccounts) -> String {
    let listed = match entry {
        Some(e) => format!("listed=true; state={}", e.state_label()),
        None => "listed=false".to_string(),
    };
    format!(
        "{listed}; list_accounts={}; list_complete={}",
        org.len(),
        !org.incomplete
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{ACCOUNT, account, authorization_file, run as run_one};
    use crate::model::supplementary::OrgArn;
    use crate::model::{Authorization, LeftOut};
    use crate::primitives::source::FileRef;
    use std::sync::Arc;

    fn list_file() -> FileRef {
        FileRef {
            file: "org/accounts.json".into(),
            sha256: "2".repeat(64).into(),
        }
    }

    fn entry(id: &str, state: Option<&str>, n: usize) -> OrgAccount {
        OrgAccount {
            id: id.into(),
            state: state.map(Into::into),
            name: Some(format!("acct-{n}").into()),
            arn: Some(OrgArn::Whole(
                format!("arn:aws-us-gov:organizations::999999999999:account/o-x/{id}").into(),
            )),
            file: 0,
            entry: n as u32,
        }
    }

    fn org(entries: Vec<OrgAccount>, incomplete: bool) -> Arc<OrgAccounts> {
        Arc::new(OrgAccounts::new(
            entries,
            vec![list_file().at("/Accounts")],
            !incomplete,
        ))
    }

    /// The account with a credential report and an authorization export.
    fn with_both() -> Account {
        let mut a = account();
        a.authorization = Some(Authorization::default());
        a.authorization_sources = vec![authorization_file().at("")];
        a
    }

    fn one(a: &Account) -> CheckResult {
        let mut out = run_one(run, a);
        assert_eq!(out.len(), 1, "{out:?}");
        out.remove(0)
    }

    #[test]
    fn active_account_with_both_exports_passes_citing_its_list_entry() {
        let mut a = with_both();
        a.org = org(vec![entry(ACCOUNT, Some("ACTIVE"), 3)], false);
        let r = one(&a);
        assert_eq!(r.status, Status::Pass, "{}", r.reason);
        let source = r.source.unwrap();
        assert_eq!(&*source.file, "org/accounts.json");
        assert_eq!(source.location, "/Accounts/3");
        assert_eq!(r.resource_arn, "arn:aws:iam::123456789012:root");
    }

    #[test]
    fn active_account_missing_the_authorization_export_fails_naming_it() {
        let mut a = account();
        a.org = org(vec![entry(ACCOUNT, Some("ACTIVE"), 0)], false);
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert!(r.reason.contains("no authorization details export"), "{}", r.reason);
        assert!(!r.reason.contains("credential report;"), "{}", r.reason);
    }

    #[test]
    fn active_account_whose_export_was_left_out_fails_saying_so() {
        let mut a = with_both();
        a.credential_report = None;
        a.left_out.push(LeftOut {
            kind: ExportKind::CredentialReport,
            reason: "report.csv: line 3: bad".into(),
            files: vec!["report.csv".into()],
        });
        a.org = org(vec![entry(ACCOUNT, None, 0)], false);
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.reason.contains("credential report left out (--keep-going): report.csv"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn listed_active_account_with_no_exports_fails_naming_both() {
        let list = org(vec![entry("000000000001", Some("ACTIVE"), 1)], false);
        let r = absent(list.get("000000000001").unwrap(), &list);
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.reason.contains("no credential report") && r.reason.contains("no authorization"),
            "{}",
            r.reason
        );
        // No exports: the partition comes from the list's Arn.
        assert_eq!(r.resource_arn, "arn:aws-us-gov:iam::000000000001:root");
        assert_eq!(r.source.unwrap().location, "/Accounts/1");
    }

    #[test]
    fn suspended_account_with_nothing_is_manual_asking_to_confirm() {
        let list = org(vec![entry("000000000002", Some("SUSPENDED"), 0)], false);
        let r = absent(list.get("000000000002").unwrap(), &list);
        assert_eq!(r.status, Status::Manual);
        assert!(
            r.reason
                .starts_with("account SUSPENDED: confirm it is closed or out of scope"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn pending_activation_is_not_active() {
        let list = org(vec![entry("000000000002", Some("PENDING_ACTIVATION"), 0)], false);
        let r = absent(list.get("000000000002").unwrap(), &list);
        assert_eq!(r.status, Status::Manual, "{}", r.reason);
    }

    #[test]
    fn an_entry_with_neither_state_nor_status_counts_as_active() {
        let list = org(vec![entry("000000000002", None, 0)], false);
        let r = absent(list.get("000000000002").unwrap(), &list);
        assert_eq!(r.status, Status::Fail, "{}", r.reason);
        assert!(r.reason.contains("no State or Status"), "{}", r.reason);
    }

    #[test]
    fn audited_account_not_in_the_list_is_manual_citing_its_first_export() {
        let mut a = with_both();
        a.org = org(vec![entry("000000000001", Some("ACTIVE"), 0)], false);
        let r = one(&a);
        assert_eq!(r.status, Status::Manual);
        assert_eq!(
            r.reason,
            "not in the organization's account list: confirm it is in scope"
        );
        assert_eq!(&*r.source.unwrap().file, "credential-report.csv");
    }

    #[test]
    fn audited_account_not_in_an_incomplete_list_says_the_list_is_incomplete() {
        let mut a = with_both();
        a.org = org(vec![entry("000000000001", Some("ACTIVE"), 0)], true);
        let r = one(&a);
        assert_eq!(r.status, Status::Manual);
        assert!(r.reason.contains("incomplete (it ends with a NextToken)"), "{}", r.reason);
    }

    #[test]
    fn no_list_gives_no_row() {
        assert!(run_one(run, &with_both()).is_empty());
    }

    #[test]
    fn absent_accounts_skip_the_audited_ones_in_account_order() {
        let list = org(
            vec![
                entry("000000000003", Some("ACTIVE"), 0),
                entry(ACCOUNT, Some("ACTIVE"), 1),
                entry("000000000001", Some("CLOSED"), 2),
            ],
            false,
        );
        let audited = [ACCOUNT.to_string()].into_iter().collect();
        let ids: Vec<String> = absent_accounts(&list, &audited)
            .map(|r| r.account_id)
            .collect();
        assert_eq!(ids, ["000000000001", "000000000003"]);
    }
}
