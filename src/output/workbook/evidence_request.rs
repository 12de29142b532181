//! What an open item asks of the auditor: the evidence to request (the read-only AWS CLI
//! command of `docs/collecting-exports.md` that produces it) or, where no export can settle it,
//! the procedure to perform. Decided from the check and the result's reason in one table,
//! [`RULES`]; the first rule that matches wins.

use crate::model::ExportKind;

/// An open item's type and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `scope limitation` (NOT_DETERMINABLE: the inputs cannot decide it) or `procedure to
    /// perform` (MANUAL: the tool leaves it to the auditor).
    pub kind: &'static str,
    /// The evidence to request, with its command, or the procedure.
    pub text: String,
}

/// The command that collects each export.
pub fn command(kind: ExportKind) -> &'static str {
    match kind {
        ExportKind::CredentialReport => {
            "aws iam generate-credential-report (until State is COMPLETE), then aws iam get-credential-report --output json"
        }
        ExportKind::AuthorizationDetails => {
            "aws iam get-account-authorization-details --output json"
        }
        ExportKind::PasswordPolicy => "aws iam get-account-password-policy --output json",
        ExportKind::VirtualMfaDevices => {
            "aws iam list-virtual-mfa-devices --output json (default --assignment-status Any, every page)"
        }
        ExportKind::AccountSummary => "aws iam get-account-summary --output json",
        ExportKind::ServerCertificates => {
            "aws iam list-server-certificates --output json (every page, no --max-items)"
        }
    }
}

/// The command that lists the organization's accounts.
pub const ORG_ACCOUNTS_COMMAND: &str =
    "aws organizations list-accounts --output json (from the management account)";

/// The exports a reason may name as missing, most specific label first.
const EXPORTS: [ExportKind; 6] = [
    ExportKind::CredentialReport,
    ExportKind::AuthorizationDetails,
    ExportKind::PasswordPolicy,
    ExportKind::VirtualMfaDevices,
    ExportKind::AccountSummary,
    ExportKind::ServerCertificates,
];

/// What a rule asks for.
enum Ask {
    /// Request this export.
    Export(ExportKind),
    /// Request these exports.
    Exports(&'static [ExportKind]),
    /// Request the organization's account list.
    OrgAccounts,
    /// Perform this procedure.
    Procedure(&'static str),
}

/// A rule: when a result of `check` (any check when empty) has a reason containing `phrase`
/// (case-insensitive), ask for `ask`.
struct Rule {
    check: &'static str,
    phrase: &'static str,
    ask: Ask,
}

const fn rule(check: &'static str, phrase: &'static str, ask: Ask) -> Rule {
    Rule { check, phrase, ask }
}

/// The rules after the missing exports, in order.
const RULES: [Rule; 16] = [
    rule(
        "",
        "identity provider",
        Ask::Procedure(
            "Request the identity provider's evidence that it requires MFA for everyone who may assume this role \
             (its sign-in or conditional access policy and the users or groups assigned to the role), and inspect it.",
        ),
    ),
    rule(
        "",
        "was deleted",
        Ask::Procedure(
            "Ask the account owner who the deleted principal was and have the stale trust statement removed; \
             confirm with a fresh aws iam get-account-authorization-details --output json.",
        ),
    ),
    rule(
        "",
        "principal not recognized",
        Ask::Procedure(
            "Ask the account owner who the trusted principal is and whether it requires MFA; \
             inspect the evidence they give.",
        ),
    ),
    rule(
        "",
        "not in the credential report",
        Ask::Export(ExportKind::CredentialReport),
    ),
    rule("", "conflicting", Ask::Export(ExportKind::CredentialReport)),
    rule(
        "",
        "<root_account> row",
        Ask::Export(ExportKind::CredentialReport),
    ),
    rule(
        "",
        "not in the authorization details export",
        Ask::Export(ExportKind::AuthorizationDetails),
    ),
    rule(
        "",
        "missing from the export",
        Ask::Export(ExportKind::AuthorizationDetails),
    ),
    rule(
        "",
        "no trust policy",
        Ask::Export(ExportKind::AuthorizationDetails),
    ),
    rule(
        "",
        "document",
        Ask::Export(ExportKind::AuthorizationDetails),
    ),
    rule(
        "",
        "as-of",
        Ask::Procedure(
            "Re-run with --as-of DATE, or request the credential report as aws iam get-credential-report --output json \
             (its GeneratedTime sets the as-of).",
        ),
    ),
    rule(
        "expired-server-certificates",
        "list-server-certificates",
        Ask::Export(ExportKind::ServerCertificates),
    ),
    rule(
        "expired-server-certificates",
        "no expiration",
        Ask::Procedure(
            "Inspect the certificate's expiry date: aws iam get-server-certificate --server-certificate-name NAME --output json.",
        ),
    ),
    rule(
        "",
        "virtual mfa device list",
        Ask::Export(ExportKind::VirtualMfaDevices),
    ),
    rule(
        "",
        "nothing to reconcile",
        Ask::Exports(&[
            ExportKind::CredentialReport,
            ExportKind::AuthorizationDetails,
            ExportKind::AccountSummary,
        ]),
    ),
    rule("", "account list", Ask::OrgAccounts),
];

/// When no rule applies.
const FALLBACK: &str = "Perform the check by hand for this item: the reason says what the exports could not show; \
                        the Checks sheet gives the check's population and what each status means.";

/// The type of an open item of this status and what to request or perform for it.
pub fn request(check_id: &str, status: &str, reason: &str) -> Request {
    let kind = if status == "MANUAL" {
        "procedure to perform"
    } else {
        "scope limitation"
    };
    Request {
        kind,
        text: ask(check_id, reason),
    }
}

fn ask(check_id: &str, reason: &str) -> String {
    let lower = reason.to_lowercase();
    // A missing or left-out export: the reason starts with "no LABEL" or "LABEL left out".
    if let Some(kind) = EXPORTS.into_iter().find(|k| {
        let label = k.label();
        lower.starts_with(&format!("no {label}")) || lower.starts_with(&format!("{label} left out"))
    }) {
        return describe(&Ask::Export(kind));
    }
    RULES
        .iter()
        .find(|r| (r.check.is_empty() || r.check == check_id) && lower.contains(r.phrase))
        .map_or_else(|| FALLBACK.to_string(), |r| describe(&r.ask))
}

fn describe(ask: &Ask) -> String {
    match ask {
        Ask::Export(kind) => format!("Request the {}: {}", kind.label(), command(*kind)),
        Ask::Exports(kinds) => {
            let each: Vec<String> = kinds
                .iter()
                .map(|k| format!("the {} ({})", k.label(), command(*k)))
                .collect();
            format!("Request {}", each.join("; "))
        }
        Ask::OrgAccounts => {
            format!("Request the organization's account list: {ORG_ACCOUNTS_COMMAND}")
        }
        Ask::Procedure(text) => (*text).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(check: &str, status: &str, reason: &str) -> String {
        request(check, status, reason).text
    }

    #[test]
    fn a_missing_export_asks_for_the_command_that_collects_it() {
        let cases = [
            (
                "support-role",
                "no authorization details export for this account in the inputs",
                "aws iam get-account-authorization-details",
            ),
            (
                "root-mfa",
                "no credential report for this account in the inputs",
                "aws iam generate-credential-report",
            ),
            (
                "password-policy",
                "no password policy export for this account: collect `aws iam get-account-password-policy`",
                "aws iam get-account-password-policy",
            ),
            (
                "expired-server-certificates",
                "no server certificate list for this account in the inputs: collect `aws iam list-server-certificates`",
                "aws iam list-server-certificates",
            ),
            (
                "root-hardware-mfa",
                "no virtual MFA device list for this account: collect `aws iam list-virtual-mfa-devices`",
                "aws iam list-virtual-mfa-devices",
            ),
            (
                "export-completeness",
                "no account summary for this account in the inputs",
                "aws iam get-account-summary",
            ),
            (
                "console-user-mfa",
                "credential report left out: acme/report.csv line 3: bad date",
                "aws iam get-credential-report",
            ),
        ];
        for (check, reason, command) in cases {
            let t = text(check, "NOT_DETERMINABLE", reason);
            assert!(t.contains(command), "{check}: {reason} -> {t}");
            assert!(t.starts_with("Request the "), "{t}");
        }
    }

    #[test]
    fn the_credential_report_command_names_both_steps() {
        let t = text(
            "root-mfa",
            "NOT_DETERMINABLE",
            "no credential report for this account in the inputs",
        );
        assert!(t.contains("aws iam generate-credential-report"), "{t}");
        assert!(t.contains("aws iam get-credential-report"), "{t}");
    }

    #[test]
    fn a_user_missing_from_one_export_asks_for_that_export() {
        let t = text(
            "mfa-enforced-by-policy",
            "NOT_DETERMINABLE",
            "user not in the authorization details export (created after it was generated, or a different export date); the policies that apply to the user are unknown",
        );
        assert!(t.contains("get-account-authorization-details"), "{t}");
        let t = text(
            "console-user-mfa",
            "NOT_DETERMINABLE",
            "user not in the credential report (created after it was generated, or a different export date); console password and MFA unknown",
        );
        assert!(t.contains("get-credential-report"), "{t}");
    }

    #[test]
    fn federated_trust_is_a_procedure_at_the_identity_provider() {
        let r = request(
            "cross-account-role-mfa",
            "MANUAL",
            "federated arn:aws:iam::222222222222:saml-provider/Okta (sts:AssumeRoleWithSAML): MFA is enforced at the identity provider, not in these inputs; request the identity provider's MFA evidence (statement without Sid)",
        );
        assert_eq!(r.kind, "procedure to perform");
        assert!(
            r.text
                .starts_with("Request the identity provider's evidence"),
            "{}",
            r.text
        );
    }

    #[test]
    fn a_deleted_principal_is_followed_up_with_the_account_owner() {
        let r = request(
            "cross-account-role-mfa",
            "NOT_DETERMINABLE",
            "AIDAJQABLZS4A3QDU576Q: trusted principal was deleted; account unknown; remove the stale statement (Sid OldJenkinsUser)",
        );
        assert_eq!(r.kind, "scope limitation");
        assert!(r.text.contains("deleted principal"), "{}", r.text);
    }

    #[test]
    fn no_as_of_asks_for_a_date_or_the_report_with_its_generation_time() {
        let t = text(
            "access-key-rotation",
            "NOT_DETERMINABLE",
            "access_key_1 age unknown: no as-of date to measure age against (no --as-of option, no credential report GeneratedTime, no timestamp in the credential report)",
        );
        assert!(t.contains("--as-of"), "{t}");
    }

    #[test]
    fn an_incomplete_list_asks_for_every_page() {
        let t = text(
            "expired-server-certificates",
            "MANUAL",
            "the last page of list-server-certificates is missing (every file read says IsTruncated or has a NextToken): collect `aws iam list-server-certificates` with every page",
        );
        assert!(t.contains("aws iam list-server-certificates"), "{t}");
        let t = text(
            "root-hardware-mfa",
            "NOT_DETERMINABLE",
            "the virtual MFA device list is incomplete (IsTruncated or a NextToken): root's device may be on a page that was not exported",
        );
        assert!(t.contains("aws iam list-virtual-mfa-devices"), "{t}");
    }

    #[test]
    fn nothing_to_reconcile_asks_for_the_exports_to_compare() {
        let t = text(
            "export-completeness",
            "NOT_DETERMINABLE",
            "nothing to reconcile: the account's exports offer no pair to compare",
        );
        assert!(t.contains("get-account-authorization-details"), "{t}");
        assert!(t.contains("get-account-summary"), "{t}");
    }

    #[test]
    fn no_account_list_asks_for_the_organization_list() {
        let t = text(
            "org-coverage",
            "NOT_DETERMINABLE",
            "organization coverage not tested: no account list",
        );
        assert!(t.contains("aws organizations list-accounts"), "{t}");
    }

    #[test]
    fn anything_else_is_a_procedure_by_hand() {
        let r = request("some-check", "MANUAL", "something the tool cannot judge");
        assert_eq!(r.kind, "procedure to perform");
        assert_eq!(r.text, FALLBACK);
    }
}
