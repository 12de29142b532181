//! Grouping scanned files into accounts: identity from ARNs, account-less evidence by folder,
//! duplicates merged when identical and refused when conflicting.

use crate::input::AccountKey;
use crate::input::classify::FileKind;
use crate::model::{ExportKind, LeftOut, OrgAccounts};
use crate::primitives::error::InputError;
use crate::stages::scan::{ExportInfo, Outcome, ScannedFile};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

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
    /// Server certificate list files: pages or copies of one list, merged when loading.
    pub server_certificates: Vec<usize>,
    /// Exports left out under `--keep-going`.
    pub left_out: Vec<LeftOut>,
}

/// The run's accounts and what could not be placed.
#[derive(Debug, Default)]
pub struct Plan {
    /// Accounts sorted byte-wise by ID.
    pub accounts: Vec<AccountPlan>,
    /// The organization's account list from every list-accounts file, merged (one file's
    /// list is shared with its scan, not copied).
    pub org: Arc<OrgAccounts>,
    /// The list-accounts files found (file indices).
    pub org_files: Vec<usize>,
    /// Two list-accounts files that disagree about an account (the error names both).
    pub org_conflict: Option<InputError>,
    /// Files that name no account and could not be placed: (file index, reason).
    pub unassigned: Vec<(usize, String)>,
    /// Errors: unreadable exports, conflicting duplicates, one account in two partitions
    /// (fatal unless `--keep-going`).
    pub errors: Vec<InputError>,
    /// Files left out under `--keep-going` that no account could be named for.
    pub left_out_files: Vec<(usize, String)>,
}

impl AccountPlan {
    /// Every file this account reads, by role: credential report, authorization files and
    /// their duplicates, password policy, virtual MFA devices, account summary.
    pub fn files(&self) -> impl Iterator<Item = usize> + '_ {
        self.credential_report
            .iter()
            .chain(&self.authorization)
            .chain(&self.authorization_duplicates)
            .chain(&self.password_policy)
            .chain(&self.virtual_mfa)
            .chain(&self.summary)
            .chain(&self.server_certificates)
            .copied()
    }
}

/// Builds the plan from the first pass.
pub fn plan(files: &[ScannedFile]) -> Plan {
    let mut planner = Planner {
        files,
        out: Plan::default(),
        accounts: BTreeMap::new(),
        partitions: BTreeMap::new(),
        folder_accounts: BTreeMap::new(),
        homeless: Vec::new(),
        deferred: Vec::new(),
        placed: Placed::default(),
    };
    for i in 0..files.len() {
        planner.first_pass(i);
    }
    planner.place_deferred();
    planner.place_homeless();
    planner.settle_partitions();
    planner.settle_reports();
    planner.settle_authorization();
    planner.settle_evidence();
    planner.drop_failed_exports();
    let mut out = planner.out;
    out.accounts = planner.accounts.into_values().collect();
    out
}

/// Files placed with an account, by role, before duplicates are settled.
#[derive(Default)]
struct Placed {
    reports: BTreeMap<String, Vec<usize>>,
    auth_pages: BTreeMap<String, Vec<usize>>,
    auth_whole: BTreeMap<String, Vec<usize>>,
    evidence: BTreeMap<(String, FileKind), Vec<usize>>,
}

impl Placed {
    /// Places file `i` with `account` in the role its kind gives it.
    fn place(&mut self, i: usize, info: &ExportInfo, account: &str) {
        let key = account.to_string();
        match info.kind {
            k if k.is_credential_report() => self.reports.entry(key).or_default().push(i),
            FileKind::AuthorizationDetails if info.is_page => {
                self.auth_pages.entry(key).or_default().push(i);
            }
            FileKind::AuthorizationDetails => self.auth_whole.entry(key).or_default().push(i),
            FileKind::PasswordPolicyNotSet => self
                .evidence
                .entry((key, FileKind::PasswordPolicy))
                .or_default()
                .push(i),
            k => self.evidence.entry((key, k)).or_default().push(i),
        }
    }
}

/// The plan while it is built.
struct Planner<'a> {
    files: &'a [ScannedFile],
    out: Plan,
    accounts: BTreeMap<String, AccountPlan>,
    /// Each account's partition and the first file that named it.
    partitions: BTreeMap<String, (String, usize)>,
    /// The accounts whose main exports each folder holds.
    folder_accounts: BTreeMap<PathBuf, BTreeSet<String>>,
    /// Exports that name no account, placed by folder.
    homeless: Vec<usize>,
    /// Optional evidence that names its account, placed once the main exports are known.
    deferred: Vec<usize>,
    placed: Placed,
}

impl Planner<'_> {
    /// Notes an account (and its partition) named by file `i`. A second partition for one
    /// account is an error, and the export of file `i` is left out of that account; the
    /// error is returned so the file is not placed.
    fn note_account(&mut self, key: &AccountKey, i: usize) -> Result<(), InputError> {
        let files = self.files;
        self.accounts
            .entry(key.account.clone())
            .or_insert_with(|| AccountPlan {
                account: key.account.clone(),
                ..AccountPlan::default()
            });
        if key.partition.is_empty() {
            return Ok(());
        }
        match self.partitions.get(&key.account) {
            Some((p, first)) if *p != key.partition => {
                let err = InputError::file(
                    &files[i].file.file,
                    format!(
                        "account {} appears in partition {} here and in partition {p} in {}; an account is in one partition, so this file is not used: remove the one that is not this account's",
                        key.account, key.partition, files[*first].file.file
                    ),
                );
                self.out.errors.push(err.clone());
                Err(err)
            }
            Some(_) => Ok(()),
            None => {
                self.partitions
                    .insert(key.account.clone(), (key.partition.clone(), i));
                Ok(())
            }
        }
    }

    /// Leaves the export of file `i` out of `account`.
    fn leave_out(&mut self, account: &str, i: usize, kind: ExportKind, reason: String) {
        if let Some(a) = self.accounts.get_mut(account) {
            a.left_out.push(LeftOut {
                kind,
                reason,
                files: vec![self.files[i].file.file.to_string()],
            });
        }
    }

    /// Takes file `i` from the first pass: a failure is an error (and left out of its account
    /// when that is known), an organization list is merged, a main export that names its
    /// account is placed, other exports wait for the main exports.
    fn first_pass(&mut self, i: usize) {
        let f = &self.files[i];
        match &f.outcome {
            Outcome::Skipped(_) => {}
            Outcome::Failed {
                kind,
                account,
                error,
            } => {
                self.out.errors.push(error.clone());
                match (kind.and_then(export_kind), account) {
                    (Some(export), Some(key)) => {
                        // A second partition is one more error; the export is left out anyway.
                        let _ = self.note_account(key, i);
                        self.leave_out(&key.account, i, export, error.to_string());
                    }
                    _ => self.out.left_out_files.push((i, error.to_string())),
                }
            }
            Outcome::Export(info) => {
                if let Some(org) = &info.org {
                    self.out.org_files.push(i);
                    let merged = if self.out.org.is_known() {
                        Arc::make_mut(&mut self.out.org).merge(OrgAccounts::clone(org))
                    } else {
                        self.out.org = Arc::clone(org);
                        Ok(())
                    };
                    if let Err(message) = merged
                        && self.out.org_conflict.is_none()
                    {
                        self.out.org_conflict = Some(InputError::file(&f.file.file, message));
                    }
                    return;
                }
                let main_export =
                    info.kind.is_credential_report() || info.kind == FileKind::AuthorizationDetails;
                match &info.account {
                    Some(_) if !main_export => self.deferred.push(i),
                    Some(key) => {
                        if let Err(err) = self.note_account(key, i) {
                            if let Some(export) = export_kind(info.kind) {
                                self.leave_out(&key.account, i, export, err.to_string());
                            }
                            return;
                        }
                        self.folder_accounts
                            .entry(f.folder.clone())
                            .or_default()
                            .insert(key.account.clone());
                        self.placed.place(i, info, &key.account);
                    }
                    None => self.homeless.push(i),
                }
            }
        }
    }

    /// Evidence that names its account joins it only when that account has a main export.
    fn place_deferred(&mut self) {
        for i in std::mem::take(&mut self.deferred) {
            let Outcome::Export(info) = &self.files[i].outcome else {
                continue;
            };
            let Some(key) = &info.account else { continue };
            if self.accounts.contains_key(&key.account) {
                self.placed.place(i, info, &key.account);
            } else {
                self.out.unassigned.push((
                    i,
                    format!("names account {}, which has no credential report or authorization export in the inputs", key.account),
                ));
            }
        }
    }

    /// Exports that name no account join the one account whose exports share their folder.
    fn place_homeless(&mut self) {
        for i in std::mem::take(&mut self.homeless) {
            let Outcome::Export(info) = &self.files[i].outcome else {
                continue;
            };
            let owners = self
                .folder_accounts
                .get(&self.files[i].folder)
                .cloned()
                .unwrap_or_default();
            if owners.len() == 1 {
                if let Some(account) = owners.into_iter().next() {
                    self.placed.place(i, info, &account);
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
                self.out.unassigned.push((i, reason));
            }
        }
    }

    fn settle_partitions(&mut self) {
        for (id, (partition, _)) in &self.partitions {
            if let Some(a) = self.accounts.get_mut(id) {
                a.partition = partition.clone();
            }
        }
    }

    /// One credential report per account: identical duplicates count once; others conflict.
    fn settle_reports(&mut self) {
        let files = self.files;
        for (account, files_of) in std::mem::take(&mut self.placed.reports) {
            let Some(plan) = self.accounts.get_mut(&account) else {
                continue;
            };
            match distinct(files, &files_of, &account) {
                Ok(first) => plan.credential_report = Some(first),
                Err(err) => {
                    plan.left_out.push(LeftOut {
                        kind: ExportKind::CredentialReport,
                        reason: err.to_string(),
                        files: names(files, &files_of),
                    });
                    self.out.errors.push(err);
                }
            }
        }
    }

    /// One authorization export per account: the pages of one, or complete exports (verified
    /// identical when loading); pages beside a complete export are an error.
    fn settle_authorization(&mut self) {
        let files = self.files;
        let mut pages_of = std::mem::take(&mut self.placed.auth_pages);
        let mut whole_of = std::mem::take(&mut self.placed.auth_whole);
        let auth_accounts: BTreeSet<String> =
            pages_of.keys().chain(whole_of.keys()).cloned().collect();
        for account in auth_accounts {
            let Some(plan) = self.accounts.get_mut(&account) else {
                continue;
            };
            let pages = pages_of.remove(&account).unwrap_or_default();
            let whole = whole_of.remove(&account).unwrap_or_default();
            if !pages.is_empty() && !whole.is_empty() {
                let err = InputError::file(
                    &files[whole[0]].file.file,
                    format!(
                        "a complete authorization export and page files ({}) for account {account}; expected one or the other, so none is used: keep the pages or the complete export",
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
                self.out.errors.push(err);
            } else if !pages.is_empty() {
                plan.authorization = pages;
            } else if let Some((first, rest)) = whole.split_first() {
                plan.authorization = vec![*first];
                plan.authorization_duplicates = rest.to_vec();
            }
        }
    }

    /// One file of each optional evidence kind per account (different duplicates conflict),
    /// but every file of a list (server certificates), merged when loading.
    fn settle_evidence(&mut self) {
        let files = self.files;
        for ((account, kind), files_of) in std::mem::take(&mut self.placed.evidence) {
            let Some(plan) = self.accounts.get_mut(&account) else {
                continue;
            };
            if kind == FileKind::ServerCertificates {
                plan.server_certificates = files_of;
                continue;
            }
            match distinct(files, &files_of, &account) {
                Ok(first) => match kind {
                    FileKind::VirtualMfaDevices => plan.virtual_mfa = Some(first),
                    FileKind::AccountSummary => plan.summary = Some(first),
                    _ => plan.password_policy = Some(first),
                },
                Err(err) => self.out.errors.push(err),
            }
        }
    }

    /// An account whose export failed keeps no other page of that export (the reason says so).
    fn drop_failed_exports(&mut self) {
        let files = self.files;
        for plan in self.accounts.values_mut() {
            for left in &mut plan.left_out {
                let dropped: Vec<usize> = match left.kind {
                    ExportKind::AuthorizationDetails => plan
                        .authorization
                        .drain(..)
                        .chain(plan.authorization_duplicates.drain(..))
                        .collect(),
                    ExportKind::CredentialReport => {
                        plan.credential_report.take().into_iter().collect()
                    }
                    ExportKind::PasswordPolicy => plan.password_policy.take().into_iter().collect(),
                    ExportKind::VirtualMfaDevices => plan.virtual_mfa.take().into_iter().collect(),
                    ExportKind::AccountSummary => plan.summary.take().into_iter().collect(),
                    ExportKind::ServerCertificates => plan.server_certificates.drain(..).collect(),
                };
                let before = left.files.len();
                for name in names(files, &dropped) {
                    if !left.files.contains(&name) {
                        left.files.push(name);
                    }
                }
                left.reason
                    .push_str(&crate::model::LeftOut::others_go_with_it(
                        left.files.len() - before,
                        left.kind,
                    ));
            }
        }
    }
}

/// The first file when all have the same decoded content, else an error naming two that differ
/// and saying why none of them is used.
fn distinct(files: &[ScannedFile], indices: &[usize], account: &str) -> Result<usize, InputError> {
    let digest = |i: usize| match &files[i].outcome {
        Outcome::Export(info) => info.content_digest.clone(),
        _ => String::new(),
    };
    let first = indices[0];
    let Some(&other) = indices[1..].iter().find(|&&o| digest(o) != digest(first)) else {
        return Ok(first);
    };
    let kind = match &files[first].outcome {
        Outcome::Export(info) if info.kind.is_credential_report() => "credential report",
        Outcome::Export(info) => info.kind.label(),
        _ => "export",
    };
    let versions = indices.iter().map(|&i| digest(i)).collect::<BTreeSet<_>>();
    Err(InputError::file(
        &files[other].file.file,
        format!(
            "conflicts with {}: both are the {kind} of account {account}, with different content; {}",
            files[first].file.file,
            none_chosen(indices.len(), versions.len())
        ),
    ))
}

/// Why every file of a conflict is left out, and what to do: `files` files of one export of one
/// account hold `versions` different contents.
pub fn none_chosen(files: usize, versions: usize) -> String {
    if files == 2 {
        "neither can be chosen over the other, so neither is used: keep one in the inputs".into()
    } else {
        format!(
            "the {files} files hold {versions} different versions and none can be chosen over \
             another, so none is used: keep one in the inputs"
        )
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_says_why_none_of_its_files_is_used_and_what_to_do() {
        assert_eq!(
            none_chosen(2, 2),
            "neither can be chosen over the other, so neither is used: keep one in the inputs"
        );
        assert_eq!(
            none_chosen(12, 3),
            "the 12 files hold 3 different versions and none can be chosen over another, so \
             none is used: keep one in the inputs"
        );
    }

    #[test]
    fn an_export_left_out_whole_says_its_other_files_go_with_it() {
        assert_eq!(
            LeftOut::others_go_with_it(0, ExportKind::AuthorizationDetails),
            ""
        );
        assert_eq!(
            LeftOut::others_go_with_it(11, ExportKind::AuthorizationDetails),
            "; the other 11 file(s) of this account's authorization details export are left \
             out with it: an export is used whole or not at all"
        );
    }
}
