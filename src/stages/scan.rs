//! The first pass over each file (in parallel): read, hash, classify by content, and learn
//! its account and row count without keeping the parsed data.

use crate::input::classify::{Classified, FileKind, classify};
use crate::input::credential_report::parse_credential_report;
use crate::input::text::decode_text;
use crate::input::{AccountKey, authorization, supplementary};
use crate::model::OrgAccounts;
use crate::primitives::digest::{hex, sha256_hex};
use crate::primitives::error::InputError;
use crate::primitives::source::FileRef;
use crate::stages::discover::{Discovered, Source};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;
use time::OffsetDateTime;

/// What the first pass learned about one file.
#[derive(Debug, Clone)]
pub struct ScannedFile {
    /// Where to read it again.
    pub source: Source,
    /// Display path and SHA-256.
    pub file: FileRef,
    /// The folder holding it.
    pub folder: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// Export, skipped, or failed.
    pub outcome: Outcome,
}

/// The verdict on one file.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A readable export.
    Export(ExportInfo),
    /// Not an IAM export: skipped with this reason.
    Skipped(String),
    /// A recognized export (or unreadable file) that could not be read in full.
    Failed {
        /// The kind, when recognized.
        kind: Option<FileKind>,
        /// The account, when it could be told.
        account: Option<AccountKey>,
        /// What went wrong, and where.
        error: InputError,
    },
}

/// Facts about a readable export.
#[derive(Debug, Clone)]
pub struct ExportInfo {
    /// What it is.
    pub kind: FileKind,
    /// The account its ARNs (or message) name.
    pub account: Option<AccountKey>,
    /// Data rows (credential report), entities (authorization), accounts (org list).
    pub rows: Option<usize>,
    /// `GeneratedTime` of a report wrapper.
    pub generated_time: Option<OffsetDateTime>,
    /// True for one page of a paginated authorization export.
    pub is_page: bool,
    /// A digest of the decoded content, to tell identical duplicates from conflicting ones.
    pub content_digest: String,
    /// The parsed organization list (only for `OrgAccounts`), shared with the plan's list
    /// when it is the only one.
    pub org: Option<Arc<OrgAccounts>>,
}

/// Reads and scans one file.
pub fn scan(found: &Discovered) -> ScannedFile {
    let bytes = match found.source.read() {
        Ok(b) => b,
        Err(e) => {
            let file = FileRef {
                file: found.display.as_str().into(),
                sha256: "".into(),
            };
            return ScannedFile {
                source: found.source.clone(),
                folder: found.folder.clone(),
                size: 0,
                outcome: Outcome::Failed {
                    kind: None,
                    account: None,
                    error: InputError::file(&found.display, format!("cannot read: {e}")),
                },
                file,
            };
        }
    };
    let file = FileRef {
        file: found.display.as_str().into(),
        sha256: sha256_hex(&bytes).into(),
    };
    let outcome = match classify(&bytes) {
        Classified::NotExport(reason) => Outcome::Skipped(reason),
        Classified::Export(kind) => match inspect(kind, &bytes, &file) {
            Ok(info) => Outcome::Export(info),
            Err(error) => Outcome::Failed {
                kind: Some(kind),
                account: guess_account(&bytes),
                error,
            },
        },
    };
    let size = bytes.len() as u64;
    ScannedFile {
        source: found.source.clone(),
        folder: found.folder.clone(),
        size,
        outcome,
        file,
    }
}

fn inspect(kind: FileKind, bytes: &[u8], file: &FileRef) -> Result<ExportInfo, InputError> {
    let mut info = ExportInfo {
        kind,
        account: None,
        rows: None,
        generated_time: None,
        is_page: false,
        content_digest: String::new(),
        org: None,
    };
    match kind {
        FileKind::CredentialReportCsv
        | FileKind::CredentialReportJson
        | FileKind::CredentialReportXlsx => {
            let parsed = parse_credential_report(kind, bytes, file)?;
            info.account = parsed.account;
            info.rows = Some(parsed.rows);
            info.generated_time = parsed.report.generated_time;
            let mut digest = Sha256::new();
            for entry in parsed.report.root.iter().chain(parsed.report.users.iter()) {
                for row in entry.rows() {
                    digest.update(format!("{:?}\n", row.fields).as_bytes());
                }
            }
            info.content_digest = hex(&digest.finalize());
        }
        FileKind::AuthorizationDetails => {
            let sniffed = authorization::sniff(&decode_text(bytes, file)?, file)?;
            info.account = sniffed.account;
            info.is_page = sniffed.is_page;
            info.rows = Some(sniffed.entities);
            info.content_digest = file.sha256.to_string();
        }
        FileKind::PasswordPolicy => {
            let policy = supplementary::password_policy(&decode_text(bytes, file)?, file)?;
            if let crate::model::PasswordPolicyEvidence::Set { fields, .. } = policy {
                info.content_digest = sha256_hex(format!("{fields:?}").as_bytes());
            }
        }
        FileKind::PasswordPolicyNotSet => {
            let text = decode_text(bytes, file)?;
            let message = supplementary::no_password_policy_message(&text);
            info.account =
                supplementary::no_password_policy_account(&message).map(|account| AccountKey {
                    partition: String::new(),
                    account,
                });
            info.content_digest = "no-password-policy".into();
        }
        FileKind::VirtualMfaDevices => {
            let (_, account) = supplementary::virtual_mfa(&decode_text(bytes, file)?, file)?;
            info.account = account;
            info.content_digest = file.sha256.to_string();
        }
        FileKind::ServerCertificates => {
            let (_, account) =
                crate::input::server_certificates::parse(&decode_text(bytes, file)?, file)?;
            info.account = account;
            info.content_digest = file.sha256.to_string();
        }
        FileKind::AccountSummary => {
            supplementary::account_summary(&decode_text(bytes, file)?, file)?;
            info.content_digest = file.sha256.to_string();
        }
        FileKind::OrgAccounts => {
            let mut org = OrgAccounts::default();
            info.rows = Some(supplementary::org_accounts(
                &decode_text(bytes, file)?,
                file,
                &mut org,
            )?);
            info.org = Some(Arc::new(org));
        }
    }
    Ok(info)
}

/// The first real account named by an IAM ARN anywhere in the bytes (for attributing a file
/// that could not be parsed).
fn guess_account(bytes: &[u8]) -> Option<AccountKey> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 20)]);
    for (i, _) in text.match_indices("arn:") {
        let candidate: String = text[i..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '"' && *c != ',')
            .collect();
        if let Some(arn) = crate::primitives::arn::Arn::parse(&candidate)
            && arn.service == "iam"
            && let Some(account) = arn.real_account()
        {
            return Some(AccountKey {
                partition: arn.partition.to_string(),
                account: account.to_string(),
            });
        }
    }
    None
}
