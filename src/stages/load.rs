//! The second pass, per account: read that account's files again and build its typed model.

use crate::input::classify::FileKind;
use crate::input::credential_report::parse_credential_report;
use crate::input::text::decode_text;
use crate::input::{authorization, supplementary};
use crate::model::{
    Account, Authorization, CredentialReport, ExportKind, LeftOut, OrgAccounts,
    PasswordPolicyEvidence, ServerCertificates,
};
use crate::primitives::asof::AsOf;
use crate::primitives::digest::sha256_hex;
use crate::primitives::error::InputError;
use crate::primitives::source::SourceRef;
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
    let mut loader = Loader {
        plan,
        files,
        keep_going: ctx.keep_going,
        left_out: plan.left_out.clone(),
    };
    let credential_report = loader.credential_report()?;
    let (authorization, authorization_sources) = loader.authorization()?;
    let password_policy = password_policy(plan.password_policy, files)?;
    let virtual_mfa = match plan.virtual_mfa {
        Some(i) => Some(supplementary::virtual_mfa(&text(&files[i])?, &files[i].file)?.0),
        None => None,
    };
    let server_certificates = server_certificates(&plan.server_certificates, files)?;
    let summary = match plan.summary {
        Some(i) => Some(supplementary::account_summary(
            &text(&files[i])?,
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
        // The account's own files, else the organization list's `Arn`, else `aws`.
        partition: if plan.partition.is_empty() {
            ctx.org
                .get(&plan.account)
                .and_then(|e| e.partition())
                .unwrap_or("aws")
                .into()
        } else {
            plan.partition.clone()
        },
        credential_report,
        authorization,
        authorization_sources,
        password_policy,
        virtual_mfa,
        summary,
        server_certificates,
        org: ctx.org.clone(),
        known_accounts: ctx.known_accounts.clone(),
        left_out: loader.left_out,
        as_of,
    })
}

/// One account's main exports while they load, and what was left out of them.
struct Loader<'a> {
    plan: &'a AccountPlan,
    files: &'a [ScannedFile],
    keep_going: bool,
    left_out: Vec<LeftOut>,
}

impl Loader<'_> {
    /// Under `--keep-going`, records an export as left out (with every file of it, which the
    /// reason explains unless the error is a `conflict` that does); otherwise returns the error.
    fn leave_out(
        &mut self,
        kind: ExportKind,
        err: InputError,
        conflict: bool,
    ) -> Result<(), InputError> {
        if !self.keep_going {
            return Err(err);
        }
        let plan = self.plan;
        let indices: Vec<usize> = match kind {
            ExportKind::CredentialReport => plan.credential_report.into_iter().collect(),
            ExportKind::PasswordPolicy => plan.password_policy.into_iter().collect(),
            ExportKind::VirtualMfaDevices => plan.virtual_mfa.into_iter().collect(),
            ExportKind::AccountSummary => plan.summary.into_iter().collect(),
            ExportKind::ServerCertificates => plan.server_certificates.clone(),
            ExportKind::AuthorizationDetails => [
                plan.authorization.as_slice(),
                plan.authorization_duplicates.as_slice(),
            ]
            .concat(),
        };
        let files: Vec<String> = indices
            .iter()
            .map(|&i| self.files[i].file.file.to_string())
            .collect();
        let others = files.iter().filter(|f| **f != err.file).count();
        let reason = if conflict {
            err.to_string()
        } else {
            format!("{err}{}", LeftOut::others_go_with_it(others, kind))
        };
        self.left_out.push(LeftOut {
            kind,
            reason,
            files,
        });
        Ok(())
    }

    fn credential_report(&mut self) -> Result<Option<CredentialReport>, InputError> {
        let Some(i) = self.plan.credential_report else {
            return Ok(None);
        };
        let f = &self.files[i];
        match read(f).and_then(|bytes| parse_credential_report(export_kind(f), &bytes, &f.file)) {
            Ok(parsed) => Ok(Some(parsed.report)),
            Err(e) => self
                .leave_out(ExportKind::CredentialReport, e, false)
                .map(|()| None),
        }
    }

    /// The merged authorization export and the files it came from.
    fn authorization(&mut self) -> Result<(Option<Authorization>, Vec<SourceRef>), InputError> {
        if self.plan.authorization.is_empty() {
            return Ok((None, Vec::new()));
        }
        let loaded = load_authorization(self.plan, self.files)
            .and_then(|a| Ok((a, duplicate_conflict(self.plan, self.files)?)));
        match loaded {
            Ok((_, Some(conflict))) => self
                .leave_out(ExportKind::AuthorizationDetails, conflict, true)
                .map(|()| (None, Vec::new())),
            Ok((a, None)) => {
                let sources = self
                    .plan
                    .authorization
                    .iter()
                    .map(|&i| self.files[i].file.at(""))
                    .collect();
                Ok((Some(a), sources))
            }
            Err(e) => self
                .leave_out(ExportKind::AuthorizationDetails, e, false)
                .map(|()| (None, Vec::new())),
        }
    }
}

/// The password policy, or the answer that none is set.
fn password_policy(
    file: Option<usize>,
    files: &[ScannedFile],
) -> Result<Option<PasswordPolicyEvidence>, InputError> {
    let Some(i) = file else { return Ok(None) };
    let f = &files[i];
    let bytes = read(f)?;
    Ok(Some(if export_kind(f) == FileKind::PasswordPolicyNotSet {
        PasswordPolicyEvidence::NotSet {
            source: f.file.at("/Error"),
        }
    } else {
        supplementary::password_policy(&decode_text(&bytes, &f.file)?, &f.file)?
    }))
}

/// The server certificate list, every file of it merged.
fn server_certificates(
    indices: &[usize],
    files: &[ScannedFile],
) -> Result<Option<ServerCertificates>, InputError> {
    let mut merged: Option<ServerCertificates> = None;
    for &i in indices {
        let (list, _) =
            crate::input::server_certificates::parse(&text(&files[i])?, &files[i].file)?;
        match &mut merged {
            None => merged = Some(list),
            Some(all) => all.merge(list)?,
        }
    }
    Ok(merged)
}

/// A file read again and decoded as text.
fn text(f: &ScannedFile) -> Result<String, InputError> {
    Ok(decode_text(&read(f)?, &f.file)?.into_owned())
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
    Ok(merged)
}

/// Further complete exports beside the first: None when each has the first's content, else a
/// conflict naming the first that differs and saying why none is used.
fn duplicate_conflict(
    plan: &AccountPlan,
    files: &[ScannedFile],
) -> Result<Option<InputError>, InputError> {
    let Some(&first) = plan.authorization.first() else {
        return Ok(None);
    };
    if plan.authorization_duplicates.is_empty() {
        return Ok(None);
    }
    let mut versions = vec![canonical(&files[first])?];
    let mut differing = None;
    for &other in &plan.authorization_duplicates {
        let value = canonical(&files[other])?;
        if !versions.contains(&value) {
            versions.push(value);
        }
        if differing.is_none() && versions.len() > 1 {
            differing = Some(other);
        }
    }
    Ok(differing.map(|other| {
        InputError::file(
            &files[other].file.file,
            format!(
                "conflicts with {}: two complete authorization exports of account {}, with different content; {}",
                files[first].file.file,
                plan.account,
                crate::stages::plan::none_chosen(
                    1 + plan.authorization_duplicates.len(),
                    versions.len()
                )
            ),
        )
    }))
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
