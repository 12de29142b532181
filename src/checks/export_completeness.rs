//! `export-completeness`: do an account's exports agree with each other?
//!
//! Four comparisons, each made when both sides are present: the users of the credential
//! report against those of the authorization export (by ARN); the account summary's counters
//! against the exports; the authorization export's pages (exactly one last page); and, with
//! `--as-of`, the credential report's age. One result per audited account.

use super::helpers::{CheckContext, Clock, result};
use super::{CheckMeta, CheckResult, References, Severity, Status, Title};
use crate::model::{Account, Authorization, CredentialReport, Dated, ExportKind, Flag};
use crate::primitives::asof::AsOfRule;
use crate::primitives::source::SourceRef;
use crate::primitives::timestamp::{format_utc, whole_days};

/// How many users a reason names before it says how many more.
const NAMED: usize = 20;

/// Metadata.
pub const META: CheckMeta = CheckMeta {
    id: "export-completeness",
    title: Title::fixed("An account's exports agree with each other (population completeness)"),
    severity: Severity::Medium,
    severity_note: None,
    population: "every audited account; one result per account",
    rationale: "An auditor may rely on a test of a population only after showing the population is complete \
                and accurate. The exports of one account can vouch for each other: the credential report and \
                the authorization export list the same users, the account summary counts what they hold, the \
                authorization export's last page is there, and the report was taken close to the as-of date.",
    remediation: "Collect the exports of the account again, at one time and in full (every page of \
                  `aws iam get-account-authorization-details`, a fresh `aws iam generate-credential-report` \
                  and `get-credential-report`, `aws iam get-account-summary`), and re-run the audit.",
    statuses: &[
        (
            Status::Pass,
            "every comparison made agrees, and the users, the account summary or the authorization pages \
             were compared; the reason gives the numbers",
        ),
        (
            Status::Fail,
            "a comparison differs: users in one export only, an account summary counter that disagrees, \
             no last authorization page or two of them, or (with --as-of) a credential report generated \
             more than `--max-export-age-days` days before the as-of or after it; the reason gives both numbers",
        ),
        (
            Status::NotDeterminable,
            "nothing to reconcile: the account's exports offer no pair to compare",
        ),
    ],
    references: References::NONE,
    needs: &[
        ExportKind::CredentialReport,
        ExportKind::AuthorizationDetails,
        ExportKind::AccountSummary,
    ],
};

/// What the comparisons found: the agreements, the differences, and how many of comparisons
/// 1-3 (users, summary, pages) were made.
#[derive(Default)]
struct Tally {
    agree: Vec<String>,
    differ: Vec<String>,
    reconciled: usize,
    made: usize,
}

impl Tally {
    /// Records one comparison: agreeing with its summary, or its differences.
    fn record(&mut self, reconciles: bool, agreed: String, differences: Vec<String>) {
        self.made += 1;
        if reconciles {
            self.reconciled += 1;
        }
        if differences.is_empty() {
            self.agree.push(agreed);
        } else {
            self.differ.extend(differences);
        }
    }
}

/// Tests the account.
pub fn run(cx: &CheckContext<'_>, out: &mut Vec<CheckResult>) {
    let account = cx.account;
    let report = account.credential_report.as_ref();
    let auth = account.authorization.as_ref();
    let mut tally = Tally::default();
    if let (Some(report), Some(auth)) = (report, auth) {
        users(report, auth, &mut tally);
    }
    summary(account, &mut tally);
    if let Some(auth) = auth {
        pages(auth, &mut tally);
    }
    if let Some(report) = report {
        age(account, report, cx.thresholds.max_export_age_days, &mut tally);
    }
    let (status, reason) = if !tally.differ.is_empty() {
        (Status::Fail, tally.differ.join("; "))
    } else if tally.reconciled == 0 {
        (Status::NotDeterminable, nothing_to_compare(account))
    } else {
        let n = tally.made;
        let noun = if n == 1 { "comparison agrees" } else { "comparisons agree" };
        (Status::Pass, format!("{n} {noun}: {}", tally.agree.join("; ")))
    };
    let sources = export_sources(account);
    let source = sources.first().cloned();
    let mut r = result(&META, account, account.root_arn(), status, reason, source);
    r.evidence = evidence(account);
    r.evidence_sources = sources.into_iter().skip(1).collect();
    out.push(r);
}

/// Comparison 1: the credential report's users and the authorization export's, by ARN.
fn users(report: &CredentialReport, auth: &Authorization, tally: &mut Tally) {
    let only_report: Vec<&str> = report
        .users
        .iter()
        .map(|u| u.arn())
        .filter(|arn| auth.user(arn).is_none())
        .collect();
    let only_auth: Vec<&str> = auth
        .users
        .iter()
        .filter(|u| report.user(&u.canonical_arn).is_none() && report.user(&u.arn).is_none())
        .map(|u| u.arn.as_str())
        .collect();
    let counts = format!(
        "credential report {} users; authorization export {} users",
        report.users.len(),
        auth.users.len()
    );
    let mut differences = Vec::new();
    if !only_report.is_empty() || !only_auth.is_empty() {
        differences.push(counts);
        if !only_report.is_empty() {
            differences.push(format!(
                "only in the credential report: {}",
                named(&only_report)
            ));
        }
        if !only_auth.is_empty() {
            differences.push(format!(
                "only in the authorization export: {}",
                named(&only_auth)
            ));
        }
    }
    let agreed = format!("users {}/{}", report.users.len(), auth.users.len());
    tally.record(true, agreed, differences);
}

/// The first [`NAMED`] ARNs, then how many more.
fn named(arns: &[&str]) -> String {
    let shown = arns.iter().take(NAMED).copied().collect::<Vec<_>>().join(", ");
    match arns.len().saturating_sub(NAMED) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// Comparison 2: the account summary's counters against the exports. A counter the summary
/// does not carry, or whose other side is absent, is not compared.
fn summary(account: &Account, tally: &mut Tally) {
    let Some(summary) = account.summary.as_ref() else {
        return;
    };
    let report = account.credential_report.as_ref();
    let auth = account.authorization.as_ref();
    let root = report
        .and_then(|r| r.root.as_ref())
        .filter(|e| !e.is_conflicting())
        .map(|e| &e.first().fields);
    let mut agreed = Vec::new();
    let mut differences = Vec::new();
    let mut compare = |key: &str, sides: Vec<(i64, String)>| {
        let Some(&value) = summary.values.get(key) else {
            return;
        };
        if sides.is_empty() {
            return;
        }
        if sides.iter().all(|(n, _)| *n == value) {
            agreed.push(format!("{key} {value}"));
        } else {
            let said: Vec<String> = sides.into_iter().map(|(_, text)| text).collect();
            differences.push(format!("account summary {key} {value}; {}", said.join("; ")));
        }
    };
    let mut user_sides = Vec::new();
    if let Some(r) = report {
        user_sides.push((
            count(r.users.len()),
            format!("credential report {} users", r.users.len()),
        ));
    }
    if let Some(a) = auth {
        user_sides.push((
            count(a.users.len()),
            format!("authorization export {} users", a.users.len()),
        ));
    }
    compare("Users", user_sides);
    if let Some(a) = auth {
        let customer = a.policies.iter().filter(|p| !p.is_aws_managed()).count();
        for (key, n, noun) in [
            ("Groups", a.groups.len(), "groups"),
            ("Roles", a.roles.len(), "roles"),
            ("Policies", customer, "customer managed policies"),
        ] {
            compare(
                key,
                vec![(count(n), format!("authorization export {n} {noun}"))],
            );
        }
    }
    if let Some(root) = root {
        compare(
            "AccountMFAEnabled",
            vec![flag(
                root.mfa_active,
                format!("credential report root mfa_active {}", root.mfa_active),
            )],
        );
        let keys: Vec<String> = root
            .access_keys
            .iter()
            .filter(|k| k.last_rotated != Dated::NotApplicable)
            .map(|k| k.credential_name().to_string())
            .collect();
        let present = if keys.is_empty() {
            "credential report root has no access key (access_key_1_last_rotated and access_key_2_last_rotated N/A)".to_string()
        } else {
            format!("credential report root has {}", keys.join(" and "))
        };
        compare(
            "AccountAccessKeysPresent",
            vec![flag(!keys.is_empty(), present)],
        );
        if root.password_enabled != Flag::NotSupported {
            compare(
                "AccountPasswordPresent",
                vec![flag(
                    root.password_enabled.is_true(),
                    format!(
                        "credential report root password_enabled {}",
                        root.password_enabled.describe()
                    ),
                )],
            );
        }
    }
    if agreed.is_empty() && differences.is_empty() {
        return;
    }
    // A Users difference states the exports' user counts; comparison 1 need not repeat them.
    if differences.iter().any(|d| d.starts_with("account summary Users ")) {
        tally.differ.retain(|d| !d.starts_with("credential report ") || !d.ends_with(" users"));
    }
    tally.record(true, format!("summary {}", agreed.join(", ")), differences);
}

/// A count as the summary writes it.
fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A yes/no as the summary writes it (1 or 0).
fn flag(yes: bool, text: String) -> (i64, String) {
    (i64::from(yes), text)
}

/// Comparison 3: among the authorization files that carry `IsTruncated`, exactly one is the
/// last page. Made when there are two or more of them, or one that says `true`.
fn pages(auth: &Authorization, tally: &mut Tally) {
    let paged: Vec<bool> = auth.pages.iter().filter_map(|p| p.is_truncated).collect();
    let last = paged.iter().filter(|t| !**t).count();
    if paged.len() < 2 && last == paged.len() {
        return;
    }
    let total = paged.len();
    let pages_word = if total == 1 { "page" } else { "pages" };
    let differences = match last {
        1 => Vec::new(),
        0 => vec![format!(
            "authorization export: {total} {pages_word}, every one IsTruncated true: the last page is missing"
        )],
        n => vec![format!(
            "authorization export: {n} last pages (IsTruncated false) among {total} pages; expected 1"
        )],
    };
    tally.record(
        true,
        format!("authorization pages: 1 last page of {total}"),
        differences,
    );
}

/// Comparison 4, with `--as-of` only: the credential report was generated within
/// `max_days` before the as-of instant and not after it. Without a GeneratedTime, only a
/// latest timestamp after the as-of differs (quiet accounts have old latest timestamps).
fn age(account: &Account, report: &CredentialReport, max_days: i64, tally: &mut Tally) {
    if account.as_of.rule != AsOfRule::Option {
        return;
    }
    let Some(clock) = Clock::of(account) else {
        return;
    };
    if let Some(generated) = report.generated_time {
        let when = format_utc(generated);
        let days = whole_days(generated, clock.instant);
        let differences = if generated > clock.instant {
            vec![format!(
                "credential report generated {when}, after as-of {}",
                clock.label
            )]
        } else if days > max_days {
            vec![format!(
                "credential report generated {when}, {days} days before as-of {}; more than --max-export-age-days {max_days}",
                clock.label
            )]
        } else {
            Vec::new()
        };
        let agreed = format!(
            "credential report generated {days} days before as-of {} (at most {max_days})",
            clock.label
        );
        tally.record(false, agreed, differences);
    } else if let Some(latest) = report.latest_timestamp {
        let when = format_utc(latest);
        let differences = if latest > clock.instant {
            vec![format!(
                "credential report's latest timestamp {when} is after as-of {}",
                clock.label
            )]
        } else {
            Vec::new()
        };
        let agreed = format!(
            "credential report's latest timestamp {when} is not after as-of {}",
            clock.label
        );
        tally.record(false, agreed, differences);
    }
}

/// Why nothing could be reconciled: which exports were read, and what to collect.
fn nothing_to_compare(account: &Account) -> String {
    let kinds = [
        (
            account.credential_report.is_some(),
            "a credential report",
            "get-credential-report",
        ),
        (
            account.authorization.is_some(),
            "an authorization export",
            "get-account-authorization-details",
        ),
        (
            account.summary.is_some(),
            "an account summary",
            "get-account-summary",
        ),
    ];
    let read: Vec<&str> = kinds.iter().filter(|k| k.0).map(|k| k.1).collect();
    let collect: Vec<&str> = kinds.iter().filter(|k| !k.0).map(|k| k.2).collect();
    match (read.as_slice(), collect.is_empty()) {
        ([only], false) => format!(
            "only {only}: nothing to reconcile with; collect {}",
            collect.join(" and ")
        ),
        ([], _) => format!(
            "no credential report, authorization export or account summary: nothing to reconcile; collect {}",
            collect.join(" and ")
        ),
        _ => format!(
            "{}: no counter or user list of one can be compared with another",
            read.join(", ")
        ),
    }
}

/// The account summary, the credential report and the authorization files, in that order.
fn export_sources(account: &Account) -> Vec<SourceRef> {
    let mut sources = Vec::new();
    if let Some(s) = &account.summary {
        sources.push(s.source.clone());
    }
    if let Some(r) = &account.credential_report {
        sources.push(r.header_source.clone());
    }
    sources.extend(account.authorization_sources.iter().cloned());
    sources
}

/// The counts side by side.
fn evidence(account: &Account) -> String {
    let mut parts = Vec::new();
    if let Some(r) = &account.credential_report {
        parts.push(format!("credential_report_users={}", r.users.len()));
        if let Some(g) = r.generated_time {
            parts.push(format!("credential_report_generated={}", format_utc(g)));
        }
        if let Some(t) = r.latest_timestamp {
            parts.push(format!("credential_report_latest_timestamp={}", format_utc(t)));
        }
    }
    if let Some(a) = &account.authorization {
        parts.push(format!("authorization_users={}", a.users.len()));
        parts.push(format!("authorization_groups={}", a.groups.len()));
        parts.push(format!("authorization_roles={}", a.roles.len()));
        let customer = a.policies.iter().filter(|p| !p.is_aws_managed()).count();
        parts.push(format!("authorization_customer_policies={customer}"));
        let paged: Vec<bool> = a.pages.iter().filter_map(|p| p.is_truncated).collect();
        if !paged.is_empty() {
            let last = paged.iter().filter(|t| !**t).count();
            parts.push(format!(
                "authorization_pages={} (last pages {last})",
                paged.len()
            ));
        }
    }
    if let Some(s) = &account.summary {
        for (key, value) in &s.values {
            if SUMMARY_KEYS.contains(&key.as_str()) {
                parts.push(format!("summary_{key}={value}"));
            }
        }
    }
    if account.as_of.rule == AsOfRule::Option
        && let Some(clock) = Clock::of(account)
    {
        parts.push(clock.evidence);
    }
    parts.join("; ")
}

/// The account summary counters compared.
pub const SUMMARY_KEYS: [&str; 7] = [
    "Users",
    "Groups",
    "Roles",
    "Policies",
    "AccountMFAEnabled",
    "AccountAccessKeysPresent",
    "AccountPasswordPresent",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Thresholds;
    use crate::checks::testing::{
        ACCOUNT, as_of_generated, as_of_option, at, exported, group, iam_user, key, role, root,
        run_with, user, with_root, with_users,
    };
    use crate::model::iam::{ManagedPolicy, PageInfo};
    use crate::model::{AccountSummary, Authorization};
    use crate::primitives::source::FileRef;

    fn one(a: &Account) -> CheckResult {
        let out = run_with(super::run, a, &Thresholds::default());
        assert_eq!(out.len(), 1, "{out:?}");
        out.into_iter().next().unwrap()
    }

    fn summary_file() -> FileRef {
        FileRef {
            file: "account-summary.json".into(),
            sha256: "2".repeat(64).into(),
        }
    }

    fn policy(index: usize, arn: &str) -> ManagedPolicy {
        ManagedPolicy {
            name: arn.rsplit('/').next().unwrap_or_default().into(),
            arn: arn.into(),
            attachment_count: 1,
            default_version_id: None,
            versions: Vec::new(),
            source: crate::checks::testing::authorization_file().at(format!("/Policies/{index}")),
        }
    }

    /// Two users in both exports, one group, one role, one customer managed policy and one AWS
    /// managed; root with MFA, a password and no keys; a summary agreeing with all of it.
    fn agreeing() -> Account {
        let mut a = exported(
            vec![iam_user(0, "alice"), iam_user(1, "bob")],
            vec![group(0, "admins", &[])],
            vec![role(0, "app", &[])],
        );
        if let Some(auth) = a.authorization.as_mut() {
            auth.policies = vec![
                policy(0, &format!("arn:aws:iam::{ACCOUNT}:policy/custom")),
                policy(1, "arn:aws:iam::aws:policy/ReadOnlyAccess"),
            ];
        }
        let mut r = root();
        r.password_enabled = Flag::True;
        let a = with_root(a, r);
        let mut a = with_users(a, vec![user("alice"), user("bob")]);
        a.summary = Some(AccountSummary {
            values: [
                ("Users", 2),
                ("Groups", 1),
                ("Roles", 1),
                ("Policies", 1),
                ("AccountMFAEnabled", 1),
                ("AccountAccessKeysPresent", 0),
                ("AccountPasswordPresent", 1),
                ("ServerCertificates", 0),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            source: summary_file().at("/SummaryMap"),
        });
        a
    }

    fn set(a: &mut Account, key: &str, value: i64) {
        if let Some(s) = a.summary.as_mut() {
            s.values.insert(key.into(), value);
        }
    }

    fn fails_with(a: &Account, expected: &str) {
        let r = one(a);
        assert_eq!(r.status, Status::Fail, "{}", r.reason);
        assert!(r.reason.contains(expected), "{}", r.reason);
    }

    #[test]
    fn all_agreeing_passes_with_the_numbers_citing_the_summary() {
        let r = one(&agreeing());
        assert_eq!(r.status, Status::Pass, "{}", r.reason);
        assert_eq!(
            r.reason,
            "2 comparisons agree: users 2/2; summary Users 2, Groups 1, Roles 1, Policies 1, \
             AccountMFAEnabled 1, AccountAccessKeysPresent 0, AccountPasswordPresent 1"
        );
        assert_eq!(r.resource_arn, format!("arn:aws:iam::{ACCOUNT}:root"));
        assert_eq!(r.credential, None);
        assert_eq!(r.severity, Severity::Medium);
        assert_eq!(r.source, Some(summary_file().at("/SummaryMap")));
        assert!(r.evidence.contains("summary_Users=2"), "{}", r.evidence);
        assert!(!r.evidence.contains("ServerCertificates"), "{}", r.evidence);
    }

    #[test]
    fn summary_users_disagreeing_fails_with_every_count() {
        let mut a = agreeing();
        set(&mut a, "Users", 3);
        fails_with(
            &a,
            "account summary Users 3; credential report 2 users; authorization export 2 users",
        );
    }

    #[test]
    fn summary_groups_disagreeing_fails() {
        let mut a = agreeing();
        set(&mut a, "Groups", 4);
        fails_with(&a, "account summary Groups 4; authorization export 1 groups");
    }

    #[test]
    fn summary_roles_disagreeing_fails() {
        let mut a = agreeing();
        set(&mut a, "Roles", 0);
        fails_with(&a, "account summary Roles 0; authorization export 1 roles");
    }

    #[test]
    fn summary_policies_counts_only_customer_managed_policies() {
        let mut a = agreeing();
        set(&mut a, "Policies", 2);
        fails_with(
            &a,
            "account summary Policies 2; authorization export 1 customer managed policies",
        );
    }

    #[test]
    fn summary_account_mfa_enabled_disagreeing_fails() {
        let mut a = agreeing();
        set(&mut a, "AccountMFAEnabled", 0);
        fails_with(
            &a,
            "account summary AccountMFAEnabled 0; credential report root mfa_active true",
        );
    }

    #[test]
    fn summary_account_access_keys_present_disagreeing_fails() {
        let mut a = agreeing();
        if let Some(root) = a.credential_report.as_mut().and_then(|r| r.root.as_mut()) {
            let mut fields = root.first().fields.clone();
            fields.access_keys[1] = key(
                2,
                false,
                at("2023-01-01T00:00:00Z"),
                crate::model::Dated::NotApplicable,
            );
            *root = crate::checks::testing::entry(2, vec![fields]);
        }
        fails_with(
            &a,
            "account summary AccountAccessKeysPresent 0; credential report root has access_key_2",
        );
    }

    #[test]
    fn summary_account_password_present_disagreeing_fails() {
        let mut a = agreeing();
        set(&mut a, "AccountPasswordPresent", 0);
        fails_with(
            &a,
            "account summary AccountPasswordPresent 0; credential report root password_enabled true",
        );
    }

    #[test]
    fn account_password_present_is_not_compared_when_the_report_does_not_support_it() {
        let mut a = agreeing();
        set(&mut a, "AccountPasswordPresent", 0);
        let a = with_root(a, root());
        let r = one(&a);
        assert_eq!(r.status, Status::Pass, "{}", r.reason);
        assert!(!r.reason.contains("AccountPasswordPresent"), "{}", r.reason);
    }

    #[test]
    fn an_absent_summary_key_makes_no_comparison() {
        let mut a = agreeing();
        if let Some(s) = a.summary.as_mut() {
            s.values.remove("Groups");
        }
        if let Some(auth) = a.authorization.as_mut() {
            auth.groups.clear();
        }
        let r = one(&a);
        assert_eq!(r.status, Status::Pass, "{}", r.reason);
        assert!(!r.reason.contains("Groups"), "{}", r.reason);
    }

    #[test]
    fn a_user_only_in_the_authorization_export_is_named() {
        let mut a = agreeing();
        if let Some(auth) = a.authorization.as_mut() {
            auth.users.push(iam_user(2, "carol"));
        }
        set(&mut a, "Users", 3);
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            format!(
                "only in the authorization export: arn:aws:iam::{ACCOUNT}:user/carol; \
                 account summary Users 3; credential report 2 users; authorization export 3 users"
            )
        );
    }

    #[test]
    fn a_user_only_in_the_credential_report_is_named_with_both_counts() {
        let a = with_users(agreeing(), vec![user("dave")]);
        let mut a = a;
        a.summary = None;
        fails_with(
            &a,
            &format!(
                "credential report 3 users; authorization export 2 users; \
                 only in the credential report: arn:aws:iam::{ACCOUNT}:user/dave"
            ),
        );
    }

    #[test]
    fn users_only_in_one_export_are_named_up_to_twenty_then_counted() {
        let names: Vec<String> = (0..25).map(|i| format!("u{i:02}")).collect();
        let mut a = with_users(
            agreeing(),
            names.iter().map(|n| user(n)).collect::<Vec<_>>(),
        );
        a.summary = None;
        let r = one(&a);
        assert_eq!(r.status, Status::Fail);
        assert!(r.reason.contains("user/u19 and 5 more"), "{}", r.reason);
        assert!(!r.reason.contains("user/u20"), "{}", r.reason);
    }

    fn paged(a: &mut Account, truncated: &[Option<bool>]) {
        if let Some(auth) = a.authorization.as_mut() {
            auth.pages = truncated
                .iter()
                .enumerate()
                .map(|(i, t)| PageInfo {
                    source: FileRef {
                        file: format!("page-{i}.json").into(),
                        sha256: "3".repeat(64).into(),
                    }
                    .at("/IsTruncated"),
                    is_truncated: *t,
                })
                .collect();
        }
    }

    #[test]
    fn pages_with_one_last_page_agree() {
        let mut a = agreeing();
        paged(&mut a, &[Some(true), Some(true), Some(false)]);
        let r = one(&a);
        assert_eq!(r.status, Status::Pass, "{}", r.reason);
        assert!(
            r.reason.starts_with("3 comparisons agree")
                && r.reason.contains("authorization pages: 1 last page of 3"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn every_page_truncated_means_the_last_page_is_missing() {
        let mut a = agreeing();
        paged(&mut a, &[Some(true), Some(true)]);
        fails_with(
            &a,
            "authorization export: 2 pages, every one IsTruncated true: the last page is missing",
        );
    }

    #[test]
    fn a_single_page_saying_truncated_means_the_last_page_is_missing() {
        let mut a = agreeing();
        paged(&mut a, &[Some(true)]);
        fails_with(&a, "1 page, every one IsTruncated true");
    }

    #[test]
    fn two_last_pages_are_a_difference() {
        let mut a = agreeing();
        paged(&mut a, &[Some(false), Some(false)]);
        fails_with(
            &a,
            "authorization export: 2 last pages (IsTruncated false) among 2 pages; expected 1",
        );
    }

    #[test]
    fn a_single_complete_file_is_not_a_page_comparison() {
        let mut a = agreeing();
        paged(&mut a, &[Some(false)]);
        let r = one(&a);
        assert!(r.reason.starts_with("2 comparisons agree"), "{}", r.reason);
        paged(&mut a, &[None]);
        assert!(one(&a).reason.starts_with("2 comparisons agree"));
    }

    fn generated(a: &mut Account, when: &str) {
        if let Some(r) = a.credential_report.as_mut() {
            r.generated_time = at(when).instant();
        }
    }

    #[test]
    fn a_report_ten_days_before_the_as_of_is_a_difference() {
        let mut a = agreeing();
        a.as_of = as_of_option("2024-06-06");
        generated(&mut a, "2024-05-27T10:00:00Z");
        fails_with(
            &a,
            "credential report generated 2024-05-27T10:00:00Z, 10 days before as-of 2024-06-06; \
             more than --max-export-age-days 7",
        );
        let lenient = Thresholds {
            max_export_age_days: 10,
            ..Thresholds::DEFAULT
        };
        let r = run_with(super::run, &a, &lenient).remove(0);
        assert_eq!(r.status, Status::Pass, "{}", r.reason);
        assert!(r.reason.starts_with("3 comparisons agree"), "{}", r.reason);
    }

    #[test]
    fn a_report_generated_after_the_as_of_is_a_difference() {
        let mut a = agreeing();
        a.as_of = as_of_option("2024-06-06");
        generated(&mut a, "2024-06-07T00:00:01Z");
        fails_with(
            &a,
            "credential report generated 2024-06-07T00:00:01Z, after as-of 2024-06-06",
        );
    }

    #[test]
    fn without_as_of_the_report_age_is_not_compared() {
        let mut a = agreeing();
        a.as_of = as_of_generated("2024-01-01T00:00:00Z");
        generated(&mut a, "2024-01-01T00:00:00Z");
        let r = one(&a);
        assert!(r.reason.starts_with("2 comparisons agree"), "{}", r.reason);
    }

    #[test]
    fn a_plain_csv_whose_latest_timestamp_is_after_the_as_of_is_a_difference() {
        let mut a = agreeing();
        a.as_of = as_of_option("2024-06-06");
        if let Some(r) = a.credential_report.as_mut() {
            r.latest_timestamp = at("2024-06-08T00:00:00Z").instant();
        }
        fails_with(
            &a,
            "credential report's latest timestamp 2024-06-08T00:00:00Z is after as-of 2024-06-06",
        );
    }

    #[test]
    fn a_plain_csv_with_an_old_latest_timestamp_agrees() {
        let mut a = agreeing();
        a.as_of = as_of_option("2024-06-06");
        if let Some(r) = a.credential_report.as_mut() {
            r.latest_timestamp = at("2023-01-01T00:00:00Z").instant();
        }
        let r = one(&a);
        assert_eq!(r.status, Status::Pass, "{}", r.reason);
        assert!(r.reason.starts_with("3 comparisons agree"), "{}", r.reason);
    }

    #[test]
    fn only_a_credential_report_is_nothing_to_compare_even_if_its_age_agrees() {
        let mut a = with_users(crate::checks::testing::account(), vec![user("alice")]);
        generated(&mut a, "2024-06-05T00:00:00Z");
        let r = one(&a);
        assert_eq!(r.status, Status::NotDeterminable, "{}", r.reason);
        assert_eq!(
            r.reason,
            "only a credential report: nothing to reconcile with; collect \
             get-account-authorization-details and get-account-summary"
        );
        assert_eq!(
            r.source,
            Some(crate::checks::testing::report_file().at("line 1"))
        );
    }

    #[test]
    fn only_an_authorization_export_is_nothing_to_compare() {
        let mut a = exported(vec![iam_user(0, "alice")], vec![], vec![]);
        a.credential_report = None;
        a.authorization = a.authorization.map(|auth| Authorization {
            pages: Vec::new(),
            ..auth
        });
        let r = one(&a);
        assert_eq!(r.status, Status::NotDeterminable, "{}", r.reason);
        assert!(
            r.reason.starts_with("only an authorization export"),
            "{}",
            r.reason
        );
    }
}
