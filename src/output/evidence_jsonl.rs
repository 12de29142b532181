//! The evidence sidecar `<RESULTS>.evidence.jsonl`: the rows of the Users, Roles, Privileged
//! access and MFA policies sheets, one JSON object per line (`{"account_id", "sheet", "row"}`) in account
//! order, so `report --from-results` can rebuild the evidence sheets of merged runs.

use crate::output::evidence_rows::{AccountEvidence, EvidenceSheet, Row};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// One evidence row with its account and sheet: borrowed when written, owned when read.
#[derive(Serialize, Deserialize)]
pub struct EvidenceLine<'a> {
    /// The account the row belongs to.
    pub account_id: Cow<'a, str>,
    /// `users`, `roles`, `privileged_access` or `mfa_policies`.
    pub sheet: Cow<'a, str>,
    /// The row's cells.
    pub row: Cow<'a, Row>,
}

/// The sidecar's path beside a results file.
pub fn path_for(results: &Path) -> PathBuf {
    let mut name = results.as_os_str().to_os_string();
    name.push(".evidence.jsonl");
    PathBuf::from(name)
}

/// The key of a sheet in the sidecar.
pub fn sheet_key(sheet: EvidenceSheet) -> &'static str {
    match sheet {
        EvidenceSheet::Users => "users",
        EvidenceSheet::Roles => "roles",
        EvidenceSheet::PrivilegedAccess => "privileged_access",
        EvidenceSheet::MfaPolicies => "mfa_policies",
    }
}

/// Writes one account's evidence rows.
pub fn write_account(
    out: &mut impl Write,
    account_id: &str,
    evidence: &AccountEvidence,
) -> std::io::Result<()> {
    for sheet in EvidenceSheet::ALL {
        for row in evidence.rows(sheet) {
            let line = EvidenceLine {
                account_id: Cow::Borrowed(account_id),
                sheet: Cow::Borrowed(sheet_key(sheet)),
                row: Cow::Borrowed(row),
            };
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// The rows of one sheet in a sidecar, in file (account) order: (account, row).
pub fn sheet_rows(
    path: &Path,
    sheet: EvidenceSheet,
) -> std::io::Result<impl Iterator<Item = std::io::Result<(String, Row)>> + use<>> {
    let key = sheet_key(sheet);
    let lines = std::io::BufReader::new(std::fs::File::open(path)?).lines();
    Ok(lines.filter_map(move |line| {
        let line = match line {
            Ok(l) => l,
            Err(e) => return Some(Err(e)),
        };
        match serde_json::from_str::<EvidenceLine>(&line) {
            Ok(e) if e.sheet == key => Some(Ok((e.account_id.into_owned(), e.row.into_owned()))),
            Ok(_) => None,
            Err(e) => Some(Err(std::io::Error::other(e))),
        }
    }))
}
