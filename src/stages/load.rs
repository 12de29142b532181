//! The second pass, per account: read that account's files again and build its typed model.

use crate::input::classify::FileKind;
use crate::input::credential_report::parse_credential_report;
use crate::input::text::decode_text;
use crate::input::{authorization, supplementary};
use crate::model::{Account, Authorization, ExportKind, LeftOut, OrgAccounts};
use crate::primitives::asof::AsOf;
use crate::primitives::digest::sha256_hex;
use crate::primitives::error::InputError;
use crate::stages::plan::AccountPlan;
use crate::stages::scan::{Outcome, ScannedFile};
use std::collections::BTreeSet;
use std::sync::Arc;
use time::Date;

/// What every account shares while loading.
#[derive(Debug, Clone)]
pub struct LoadContext {
    /// `--as-of`.
    pub as_of: Option<Date>,
    /// `--keep-going`: an unreadable export is left out instead of failing the run.
    pub keep_going: bool,
    /// The organization's accounts.
    pub org: Arc<OrgAccounts>,
    /// Every account with an export in this run.
    pub known_accounts: Arc<BTreeSet<String>>,
}

/// Loads one account. Errors only without `--keep-going`.
pub fn load(
    plan: &AccountPlan,
    files: &[ScannedFile],
    ctx: &LoadContext,
) -> Result<Account, InputError> {
    let mut left_out = plan.left_out.clone();
    let leave_out = |kind: ExportKind,
                     err: InputError,
                     left_out: &mut Vec<LeftOut>|
     -> Result<(), InputError> {
        if ctx.keep_going {
            let indices: Vec<usize> = match kind {
                ExportKind::CredentialReport => plan.credential_report.into_iter().collect(),
                ExportKind::PasswordPolicy => plan.password_policy.into_iter().collect(),
                ExportKind::VirtualMfaDevices => plan.virtual_mfa.into_iter().collect(),
                ExportKind::AccountSummary => plan.summary.into_iter().collect(),
                ExportKind::AuthorizationDetails => [
                    plan.authorization.as_slice(),
                    plan.authorization_duplicates.as_slice(),
                ]
                .concat(),
            };
            left_out.push(LeftOut {
                kind,
                reason: err.to_string(),
                files: indices
                    .iter()
                    .map(|&i| files[i].file.file.to_string())
                    .collect(),
            });
            Ok(())
        } else {
            Err(err)
        }
    };

    let mut credential_report = None;
    if let Some(i) = plan.credential_report {
        let kind = export_kind(&files[i]);
        match read(&files[i])
            .and_then(|bytes| parse_credential_report(kind, &bytes, &files[i].file))
        {
            Ok(parsed) => credential_report = Some(parsed.report),
            Err(e) => leave_out(ExportKind::CredentialReport, e, &mut left_out)?,
        }
    }

    let mut authorization_sources = Vec::new();
    let authorization = if plan.authorization.is_empty() {
        None
    } else {
        match load_authorization(plan, files) {
            Ok(a) => {
                authorization_sources = plan
                    .authorization
                    .iter()
                    .map(|&i| files[i].file.at(""))
                    .collect();
                Some(a)
            }
            Err(e) => {
                leave_out(ExportKind::AuthorizationDetails, e, &mut left_out)?;
                None
            }
        }
    };

    let mut password_policy = None;
    if let Some(i) = plan.password_policy {
        let f = &files[i];
        let bytes = read(f)?;
        password_policy = Some(if export_kind(f) == FileKind::PasswordPolicyNotSet {
            crate::model::PasswordPolicyEvidence::NotSet {
                source: f.file.at("/Error"),
            }
        } else {
            supplementary::password_policy(&decode_text(&bytes, &f.file)?, &f.file)?
        });
    }
    let virtual_mfa = match plan.virtual_mfa {
        Some(i) => Some(
            supplementary::virtual_mfa(
                &decode_text(&read(&files[i])?, &files[i].file)?,
                &files[i].file,
            )?
            .0,
        ),
        None => None,
    };
    let summary = match plan.summary {
        Some(i) => Some(supplementary::account_summary(
            &decode_text(&read(&files[i])?, &files[i].file)?,
            &files[i].file,
        )?),
        None => None,
    };

    let as_of = AsOf::choose(
        ctx.as_of,
        credential_report.as_ref().and_then(|r| r.generated_time),
        credential_report.as_ref().and_then(|r| r.latest_timestamp),
    );
    Ok(Account {
        id: plan.account.clone(),
        partition: if plan.partition.is_empty() {
            "aws".into()
        } else {
            plan.partition.clone()
        },
        credential_report,
        authorization,
        authorization_sources,
        password_policy,
        virtual_mfa,
        summary,
        org: ctx.org.clone(),
        known_accounts: ctx.known_accounts.clone(),
        left_out,
        as_of,
    })
}

fn load_authorization(
    plan: &AccountPlan,
    files: &[ScannedFile],
) -> Result<Authorization, InputError> {
    let mut merged = Authorization::default();
    for &i in &plan.authorization {
        let f = &files[i];
        let bytes = read(f)?;
        let parsed = authorization::parse(&decode_text(&bytes, &f.file)?, &f.file)?;
        merged.merge(parsed.authorization);
    }
    if let Some(&first) = plan.authorization.first() {
        for &other in &plan.authorization_duplicates {
            if canonical(&files[first])? != canonical(&files[other])? {
                return Err(InputError::file(
                    &files[other].file.file,
                    format!(
                        "conflicts with {}: two complete authorization exports of one account with different content",
                        files[first].file.file
                    ),
                ));
            }
        }
    }
    Ok(merged)
}

/// The export as a JSON value with every policy document decoded, for duplicate comparison.
fn canonical(f: &ScannedFile) -> Result<serde_json::Value, InputError> {
    let bytes = read(f)?;
    let mut value: serde_json::Value = serde_json::from_str(&decode_text(&bytes, &f.file)?)
        .map_err(|e| InputError::at(&f.file.file, format!("line {}", e.line()), e.to_string()))?;
    decode_documents(&mut value);
    Ok(value)
}

fn decode_documents(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let is_doc = matches!(
                    key.as_str(),
                    "PolicyDocument" | "AssumeRolePolicyDocument" | "Document"
                );
                if let (true, serde_json::Value::String(s)) = (is_doc, &*v) {
                    let decoded = percent_encoding::percent_decode_str(s)
                        .decode_utf8_lossy()
                        .into_owned();
                    if let Ok(parsed) = serde_json::from_str(&decoded) {
                        *v = parsed;
                    }
                }
                decode_documents(v);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(decode_documents),
        _ => {}
    }
}

fn export_kind(f: &ScannedFile) -> FileKind {
    match &f.outcome {
        Outcome::Export(info) => info.kind,
        _ => FileKind::CredentialReportCsv,
    }
}

/// Reads a file again and checks it still has the hash recorded in the first pass.
fn read(f: &ScannedFile) -> Result<Vec<u8>, InputError> {
    let bytes = f
        .source
        .read()
        .map_err(|e| InputError::file(&f.file.file, format!("cannot read: {e}")))?;
    if sha256_hex(&bytes) != *f.file.sha256 {
        return Err(InputError::file(
            &f.file.file,
            "file changed while the audit was running",
        ));
    }
    Ok(bytes)
}
