//! Grouping scanned files into accounts: identity from ARNs, account-less evidence by folder,
//! duplicates merged when identical and refused when conflicting.

use crate::input::AccountKey;
use crate::input::classify::FileKind;
use crate::model::{ExportKind, LeftOut, OrgAccounts};
use crate::primitives::error::InputError;
use crate::stages::scan::{Outcome, ScannedFile};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The files of one account, by role.
#[derive(Debug, Clone, Default)]
pub struct AccountPlan {
    /// Account ID.
    pub account: String,
    /// Partition.
    pub partition: String,
    /// The credential report file (duplicates already verified identical).
    pub credential_report: Option<usize>,
    /// Authorization files: one complete export, or the pages of one.
    pub authorization: Vec<usize>,
    /// Further complete authorization exports to verify identical to the first when loading.
    pub authorization_duplicates: Vec<usize>,
    /// Password policy (or its NoSuchEntity answer).
    pub password_policy: Option<usize>,
    /// Virtual MFA device list.
    pub virtual_mfa: Option<usize>,
    /// Account summary.
    pub summary: Option<usize>,
    /// Exports left out under `--keep-going`.
    pub left_out: Vec<LeftOut>,
}

/// The run's accounts and what could not be placed.
#[derive(Debug, Default)]
pub struct Plan {
    /// Accounts sorted byte-wise by ID.
    pub accounts: Vec<AccountPlan>,
    /// The organization's account list from every list-accounts file.
    pub org: OrgAccounts,
    /// Files that name no account and could not be placed: (file index, reason).
    pub unassigned: Vec<(usize, String)>,
    /// Errors: unreadable exports and conflicting duplicates (fatal unless `--keep-going`).
    pub errors: Vec<InputError>,
    /// Fatal errors even under `--keep-going` (one account in two partitions).
    pub fatal: Vec<InputError>,
    /// Files left out under `--keep-going` that no account could be named for.
    pub left_out_files: Vec<(usize, String)>,
}

/// Builds the plan from the first pass.
pub fn plan(files: &[ScannedFile]) -> Plan {
    let mut out = Plan::default();
    let mut accounts: BTreeMap<String, AccountPlan> = BTreeMap::new();
    let mut partitions: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut folder_accounts: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut homeless: Vec<usize> = Vec::new();
    let mut deferred: Vec<usize> = Vec::new();
    let mut reports: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut auth_pages: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut auth_whole: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut evidence: BTreeMap<(String, FileKind), Vec<usize>> = BTreeMap::new();

    let mut note_account =
        |out: &mut Plan,
         key: &AccountKey,
         i: usize,
         accounts: &mut BTreeMap<String, AccountPlan>| {
            if !key.partition.is_empty() {
                match partitions.get(&key.account) {
                    Some((p, first)) if *p != key.partition => out.fatal.push(InputError::file(
                        &files[i].file.file,
                        format!(
                            "account {} appears in partition {} here and in partition {p} in {}",
                            key.account, key.partition, files[*first].file.file
                        ),
                    )),
                    Some(_) => {}
                    None => {
                        partitions.insert(key.account.clone(), (key.partition.clone(), i));
                    }
                }
            }
            accounts
                .entry(key.account.clone())
                .or_insert_with(|| AccountPlan {
                    account: key.account.clone(),
                    ..AccountPlan::default()
                });
        };

    for (i, f) in files.iter().enumerate() {
        match &f.outcome {
            Outcome::Skipped(_) => {}
            Outcome::Failed {
                kind,
                account,
                error,
            } => {
                out.errors.push(error.clone());
                match (kind.and_then(export_kind), account) {
                    (Some(export), Some(key)) => {
                        note_account(&mut out, key, i, &mut accounts);
                        if let Some(a) = accounts.get_mut(&key.account) {
                            a.left_out.push(LeftOut {
                                kind: export,
                                reason: error.to_string(),
                                files: vec![files[i].file.file.to_string()],
                            });
                        }
                    }
                    _ => out.left_out_files.push((i, error.to_string())),
                }
            }
            Outcome::Export(info) => {
                if let Some(org) = &info.org {
                    out.org.accounts.extend(org.accounts.clone());
                    out.org.sources.extend(org.sources.clone());
                    continue;
                }
                let main_export =
                    info.kind.is_credential_report() || info.kind == FileKind::AuthorizationDetails;
                match &info.account {
                    Some(_) if !main_export => deferred.push(i),
                    Some(key) => {
                        note_account(&mut out, key, i, &mut accounts);
                        folder_accounts
                            .entry(f.folder.clone())
                            .or_default()
                            .insert(key.account.clone());
                        place(
                            i,
                            info.kind,
                            info.is_page,
                            &key.account,
                            &mut reports,
                            &mut auth_pages,
                            &mut auth_whole,
                            &mut evidence,
                        );
                    }
                    None => homeless.push(i),
                }
            }
        }
    }

    // Evidence that names its account joins it only when that account has a main export.
    for i in deferred {
        let Outcome::Export(info) = &files[i].outcome else {
            continue;
        };
        let Some(key) = &info.account else { continue };
        if accounts.contains_key(&key.account) {
            place(
                i,
                info.kind,
                info.is_page,
                &key.account,
                &mut reports,
                &mut auth_pages,
                &mut auth_whole,
                &mut evidence,
            );
        } else {
            out.unassigned.push((
                i,
                format!("names account {}, which has no credential report or authorization export in the inputs", key.account),
            ));
        }
    }

    for i in homeless {
        let Outcome::Export(info) = &files[i].outcome else {
            continue;
        };
        let owners = folder_accounts
            .get(&files[i].folder)
            .cloned()
            .unwrap_or_default();
        if owners.len() == 1 {
            if let Some(account) = owners.into_iter().next() {
                place(
                    i,
                    info.kind,
                    info.is_page,
                    &account,
                    &mut reports,
                    &mut auth_pages,
                    &mut auth_whole,
                    &mut evidence,
                );
            }
        } else {
            let reason = if owners.is_empty() {
                "names no account, and no export in its folder names one".to_string()
            } else {
                format!(
                    "names no account, and its folder holds exports of {} accounts ({})",
                    owners.len(),
                    owners.into_iter().collect::<Vec<_>>().join(", ")
                )
            };
            out.unassigned.push((i, reason));
        }
    }

    for (id, (partition, _)) in &partitions {
        if let Some(a) = accounts.get_mut(id) {
            a.partition = partition.clone();
        }
    }

    for (account, files_of) in reports {
        let Some(plan) = accounts.get_mut(&account) else {
            continue;
        };
        match distinct(files, &files_of) {
            Ok(first) => plan.credential_report = Some(first),
            Err(err) => {
                plan.left_out.push(LeftOut {
                    kind: ExportKind::CredentialReport,
                    reason: err.to_string(),
                    files: names(files, &files_of),
                });
                out.errors.push(err);
            }
        }
    }

    let auth_accounts: BTreeSet<String> = auth_pages
        .keys()
        .chain(auth_whole.keys())
        .cloned()
        .collect();
    for account in auth_accounts {
        let Some(plan) = accounts.get_mut(&account) else {
            continue;
        };
        let pages = auth_pages.remove(&account).unwrap_or_default();
        let whole = auth_whole.remove(&account).unwrap_or_default();
        if !pages.is_empty() && !whole.is_empty() {
            let err = InputError::file(
                &files[whole[0]].file.file,
                format!(
                    "a complete authorization export and page files ({}) for account {account}; expected one or the other",
                    pages
                        .iter()
                        .map(|p| files[*p].file.file.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            plan.left_out.push(LeftOut {
                kind: ExportKind::AuthorizationDetails,
                reason: err.to_string(),
                files: names(files, &[pages.as_slice(), whole.as_slice()].concat()),
            });
            out.errors.push(err);
        } else if !pages.is_empty() {
            plan.authorization = pages;
        } else if let Some((first, rest)) = whole.split_first() {
            plan.authorization = vec![*first];
            plan.authorization_duplicates = rest.to_vec();
        }
    }

    for ((account, kind), files_of) in evidence {
        let Some(plan) = accounts.get_mut(&account) else {
            continue;
        };
        match distinct(files, &files_of) {
            Ok(first) => match kind {
                FileKind::VirtualMfaDevices => plan.virtual_mfa = Some(first),
                FileKind::AccountSummary => plan.summary = Some(first),
                _ => plan.password_policy = Some(first),
            },
            Err(err) => out.errors.push(err),
        }
    }

    // An account whose export failed keeps no other page of that export.
    for plan in accounts.values_mut() {
        for left in &mut plan.left_out {
            let dropped: Vec<usize> = match left.kind {
                ExportKind::AuthorizationDetails => plan
                    .authorization
                    .drain(..)
                    .chain(plan.authorization_duplicates.drain(..))
                    .collect(),
                ExportKind::CredentialReport => plan.credential_report.take().into_iter().collect(),
                ExportKind::PasswordPolicy => plan.password_policy.take().into_iter().collect(),
                ExportKind::VirtualMfaDevices => plan.virtual_mfa.take().into_iter().collect(),
                ExportKind::AccountSummary => plan.summary.take().into_iter().collect(),
            };
            for name in names(files, &dropped) {
                if !left.files.contains(&name) {
                    left.files.push(name);
                }
            }
        }
    }
    out.accounts = accounts.into_values().collect();
    out
}

#[allow(clippy::too_many_arguments)]
fn place(
    i: usize,
    kind: FileKind,
    is_page: bool,
    account: &str,
    reports: &mut BTreeMap<String, Vec<usize>>,
    auth_pages: &mut BTreeMap<String, Vec<usize>>,
    auth_whole: &mut BTreeMap<String, Vec<usize>>,
    evidence: &mut BTreeMap<(String, FileKind), Vec<usize>>,
) {
    let key = account.to_string();
    match kind {
        k if k.is_credential_report() => reports.entry(key).or_default().push(i),
        FileKind::AuthorizationDetails if is_page => auth_pages.entry(key).or_default().push(i),
        FileKind::AuthorizationDetails => auth_whole.entry(key).or_default().push(i),
        FileKind::PasswordPolicyNotSet => evidence
            .entry((key, FileKind::PasswordPolicy))
            .or_default()
            .push(i),
        k => evidence.entry((key, k)).or_default().push(i),
    }
}

/// The first file when all have the same decoded content, else an error naming two that differ.
fn distinct(files: &[ScannedFile], indices: &[usize]) -> Result<usize, InputError> {
    let digest = |i: usize| match &files[i].outcome {
        Outcome::Export(info) => info.content_digest.clone(),
        _ => String::new(),
    };
    let first = indices[0];
    for &other in &indices[1..] {
        if digest(other) != digest(first) {
            let kind = match &files[first].outcome {
                Outcome::Export(info) if info.kind.is_credential_report() => "credential report",
                Outcome::Export(info) => info.kind.label(),
                _ => "export",
            };
            return Err(InputError::file(
                &files[other].file.file,
                format!(
                    "conflicts with {}: both are the {kind} of one account, with different content",
                    files[first].file.file
                ),
            ));
        }
    }
    Ok(first)
}

fn export_kind(kind: FileKind) -> Option<ExportKind> {
    if kind.is_credential_report() {
        Some(ExportKind::CredentialReport)
    } else if kind == FileKind::AuthorizationDetails {
        Some(ExportKind::AuthorizationDetails)
    } else {
        None
    }
}

fn names(files: &[ScannedFile], indices: &[usize]) -> Vec<String> {
    indices
        .iter()
        .map(|&i| files[i].file.file.to_string())
        .collect()
}
