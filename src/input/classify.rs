//! Recognizes a file by its content (never its name): the first JSON key, a credential report
//! header line, or an .xlsx whose first sheet has that header.

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// Credential report as CSV text.
    CredentialReportCsv,
    /// `get-credential-report` JSON wrapper.
    CredentialReportJson,
    /// Credential report re-saved as an .xlsx workbook.
    CredentialReportXlsx,
    /// `get-account-authorization-details` JSON (a whole export or one page).
    AuthorizationDetails,
    /// `get-account-password-policy`.
    PasswordPolicy,
    /// The NoSuchEntity answer: no password policy set.
    PasswordPolicyNotSet,
    /// `organizations list-accounts`.
    OrgAccounts,
    /// `list-virtual-mfa-devices`.
    VirtualMfaDevices,
    /// `get-account-summary`.
    AccountSummary,
    /// `list-server-certificates` (a whole list or one page).
    ServerCertificates,
}

impl FileKind {
    /// The label on the inputs sheet.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::CredentialReportCsv => "credential report (CSV)",
            FileKind::CredentialReportJson => "credential report (get-credential-report JSON)",
            FileKind::CredentialReportXlsx => "credential report (.xlsx)",
            FileKind::AuthorizationDetails => "authorization details",
            FileKind::PasswordPolicy => "password policy",
            FileKind::PasswordPolicyNotSet => "password policy (none set)",
            FileKind::OrgAccounts => "organizations list-accounts",
            FileKind::VirtualMfaDevices => "virtual MFA devices",
            FileKind::AccountSummary => "account summary",
            FileKind::ServerCertificates => "server certificates (list-server-certificates)",
        }
    }

    /// True for the three credential report forms.
    pub fn is_credential_report(self) -> bool {
        matches!(
            self,
            FileKind::CredentialReportCsv
                | FileKind::CredentialReportJson
                | FileKind::CredentialReportXlsx
        )
    }
}

/// The verdict on a file: an export of some kind, or not an export and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classified {
    /// A recognized export.
    Export(FileKind),
    /// Not an IAM export; the reason is shown in the warning and on the inputs sheet.
    NotExport(String),
}

/// Classifies a file from its bytes.
pub fn classify(bytes: &[u8]) -> Classified {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Classified::NotExport("empty file".into());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return if super::credential_xlsx::is_report_workbook(bytes) {
            Classified::Export(FileKind::CredentialReportXlsx)
        } else {
            Classified::NotExport("a zip archive that is not a credential report workbook".into())
        };
    }
    let unmarked = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &unmarked[..unmarked.len().min(64 * 1024)];
    // Recognition reads the start only; a bad byte further on is the reader's error to report.
    let text = match super::text::decode(head) {
        Ok(t) => t.into_owned(),
        Err(_) if head.contains(&0) => return Classified::NotExport("binary file".into()),
        Err((line, valid)) => {
            let prefix = String::from_utf8_lossy(&head[..valid]).into_owned();
            if prefix.trim().is_empty() {
                return Classified::NotExport(format!(
                    "not UTF-8 text (invalid byte on line {line})"
                ));
            }
            prefix
        }
    };
    if text.contains('\0') {
        return Classified::NotExport("binary file".into());
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return classify_json(trimmed, bytes);
    }
    if trimmed.starts_with('[') && serde_json::from_slice::<serde::de::IgnoredAny>(unmarked).is_ok()
    {
        return Classified::NotExport("a JSON array, not an IAM export".into());
    }
    let first_line = trimmed.lines().next().unwrap_or("");
    if super::credential_csv::looks_like_header(first_line) {
        return Classified::Export(FileKind::CredentialReportCsv);
    }
    if trimmed.contains("NoSuchEntity") && trimmed.contains("GetAccountPasswordPolicy") {
        return Classified::Export(FileKind::PasswordPolicyNotSet);
    }
    Classified::NotExport(
        "not a recognized IAM export (no credential report header, not JSON)".into(),
    )
}

fn classify_json(text: &str, bytes: &[u8]) -> Classified {
    let Some(key) = first_key(text) else {
        return Classified::NotExport(
            "not a recognized IAM export: JSON without a leading key".into(),
        );
    };
    let kind = match key.as_str() {
        "UserDetailList" | "GroupDetailList" | "RoleDetailList" | "Policies" => {
            FileKind::AuthorizationDetails
        }
        "Content" | "GeneratedTime" | "ReportFormat" => FileKind::CredentialReportJson,
        "PasswordPolicy" => FileKind::PasswordPolicy,
        "Accounts" => FileKind::OrgAccounts,
        "SummaryMap" => FileKind::AccountSummary,
        "VirtualMFADevices" => FileKind::VirtualMfaDevices,
        super::server_certificates::LIST_KEY => FileKind::ServerCertificates,
        "Error" => {
            let whole = super::text::decode(bytes)
                .map(|t| t.into_owned())
                .unwrap_or_default();
            if super::supplementary::is_no_password_policy(&whole) {
                return Classified::Export(FileKind::PasswordPolicyNotSet);
            }
            let code = serde_json::from_str::<serde_json::Value>(&whole)
                .ok()
                .and_then(|v| {
                    v.pointer("/Error/Code")
                        .and_then(|c| c.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| "unknown".into());
            return Classified::NotExport(format!(
                "not a recognized IAM export: an API error response (Code {code})"
            ));
        }
        "status_code" | "ResponseMetadata" => {
            return Classified::NotExport(format!(
                "not a recognized IAM export: a test recording or API response wrapper (first key `{key}`)"
            ));
        }
        other => {
            return Classified::NotExport(format!(
                "not a recognized IAM export (first JSON key `{other}`)"
            ));
        }
    };
    Classified::Export(kind)
}

/// The first key of a JSON object, read without parsing the rest.
fn first_key(text: &str) -> Option<String> {
    let rest = text.strip_prefix('{')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let mut key = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(key),
            '\\' => key.push(chars.next()?),
            c => key.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_by_first_key() {
        assert_eq!(
            classify(b"{\"RoleDetailList\": []}"),
            Classified::Export(FileKind::AuthorizationDetails)
        );
        assert_eq!(
            classify(b" {\n \"Content\": \"x\"}"),
            Classified::Export(FileKind::CredentialReportJson)
        );
        assert!(matches!(
            classify(b"{\"foo\": 1}"),
            Classified::NotExport(_)
        ));
        assert!(matches!(
            classify(b"{\"status_code\": 200, \"data\": {}}"),
            Classified::NotExport(_)
        ));
    }

    #[test]
    fn recognizes_csv_header_with_bom() {
        assert_eq!(
            classify(b"\xEF\xBB\xBFuser,arn,x\r\n"),
            Classified::Export(FileKind::CredentialReportCsv)
        );
    }

    #[test]
    fn skips_empty_and_binary() {
        assert_eq!(classify(b""), Classified::NotExport("empty file".into()));
        assert_eq!(
            classify(b"\x89PNG\r\n\x1a\n\0\0"),
            Classified::NotExport("binary file".into())
        );
    }

    #[test]
    fn error_response_is_not_an_export_but_no_such_entity_is_evidence() {
        let err = br#"{"Error": {"Code": "ReportNotPresent"}}"#;
        assert!(
            matches!(classify(err), Classified::NotExport(r) if r.contains("ReportNotPresent"))
        );
        let none = br#"{"Error": {"Code": "NoSuchEntity", "Message": "The Password Policy with domain name 123456789012 cannot be found."}}"#;
        assert_eq!(
            classify(none),
            Classified::Export(FileKind::PasswordPolicyNotSet)
        );
    }
}
