//! Accepted exceptions: an auditor's file of approved deviations, each with a reason, an
//! approver and an expiry. A matching result keeps its status and carries the exception;
//! expired entries no longer apply; entries that match nothing are stale.
//!
//! The file is CSV with a header row:
//! `check_id,account,resource,reason,approved_by,approval_date,expiry_date`. `account` and
//! `resource` may use `*` as a wildcard (`arn:aws:iam::*:user/svc-*`); dates are `YYYY-MM-DD`;
//! lines starting with `#` are comments.

use crate::primitives::error::InputError;
use crate::primitives::source::FileRef;
use serde::Serialize;
use time::Date;

/// One approved exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exception {
    /// The line of the exceptions file.
    pub line: usize,
    /// Check ID (exact, or `*`).
    pub check_id: String,
    /// Account ID pattern.
    pub account: String,
    /// Resource ARN pattern.
    pub resource: String,
    /// Why the deviation is accepted.
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// When it was approved.
    #[serde(serialize_with = "ser_date")]
    pub approval_date: Date,
    /// The last day it applies.
    #[serde(serialize_with = "ser_date")]
    pub expiry_date: Date,
}

fn ser_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}

/// The exception a result carries (in the results file and on the workbook).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ExceptionNote {
    /// Line of the exceptions file.
    pub line: usize,
    /// Why the deviation is accepted.
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// When (`YYYY-MM-DD`).
    pub approval_date: String,
    /// Last day it applies (`YYYY-MM-DD`).
    pub expiry_date: String,
}

impl ExceptionNote {
    /// One line for a workbook cell.
    pub fn describe(&self) -> String {
        format!(
            "accepted by {} on {} until {}: {} (exceptions line {})",
            self.approved_by, self.approval_date, self.expiry_date, self.reason, self.line
        )
    }
}

impl Exception {
    /// The note a matching result carries.
    pub fn note(&self) -> ExceptionNote {
        ExceptionNote {
            line: self.line,
            reason: self.reason.clone(),
            approved_by: self.approved_by.clone(),
            approval_date: self.approval_date.to_string(),
            expiry_date: self.expiry_date.to_string(),
        }
    }
}

/// An entry's fate over the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    /// Applied to at least one result.
    Applied,
    /// Past its expiry date for every account it matched (or the account had no as-of day to
    /// judge expiry by), so applied to none.
    Expired,
    /// Matched no non-PASS result.
    Stale,
}

/// The exceptions of a run, with a match count per entry.
#[derive(Debug, Clone, Default)]
pub struct Exceptions {
    /// The file, for citations.
    pub file: Option<FileRef>,
    /// Entries in file order.
    pub entries: Vec<Exception>,
    applied: Vec<u64>,
    expired: Vec<u64>,
    /// Per entry, a resource it would have matched but for letter case.
    near: Vec<Option<String>>,
}

/// Why a result matched no live exception, when an expired one matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match<'a> {
    /// A live exception applies.
    Live(&'a Exception),
    /// Only expired exceptions match.
    Expired(&'a Exception),
    /// None matches.
    None,
}

impl Exceptions {
    /// Parses an exceptions file; a bad entry is an error naming the line and column.
    pub fn parse(text: &str, file: &FileRef) -> Result<Exceptions, InputError> {
        // Comment lines are blanked rather than left to the reader, whose line count skips
        // comment lines that follow the header; blank lines keep every line number true.
        let text: String = text
            .replace("\r\n", "\n")
            .split('\n')
            .map(|l| {
                if l.trim_start().starts_with('#') {
                    ""
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut header: Option<Vec<String>> = None;
        let mut entries = Vec::new();
        for record in reader.records() {
            let record =
                record.map_err(|e| InputError::file(&file.file, format!("unreadable CSV: {e}")))?;
            // The reader's position is where it began reading, before the blank lines it
            // skipped: count the lines up to the record's first character.
            let line = record.position().map_or(0, |p| {
                let bytes = text.as_bytes();
                let mut start = (p.byte() as usize).min(bytes.len());
                while bytes.get(start) == Some(&b'\n') {
                    start += 1;
                }
                1 + bytes[..start].iter().filter(|b| **b == b'\n').count()
            });
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let Some(cols) = &header else {
                let names: Vec<String> = record
                    .iter()
                    .map(|c| c.trim().to_ascii_lowercase())
                    .collect();
                for required in COLUMNS {
                    if !names.iter().any(|n| n == required) {
                        return Err(InputError::at(
                            &file.file,
                            format!("line {line}"),
                            format!(
                                "exceptions header lacks column {required}; expected {}",
                                COLUMNS.join(",")
                            ),
                        ));
                    }
                }
                header = Some(names);
                continue;
            };
            let get = |name: &str| -> &str {
                cols.iter()
                    .position(|c| c == name)
                    .and_then(|i| record.get(i))
                    .unwrap_or("")
                    .trim()
            };
            let at = |column: &str| format!("line {line}, column {column}");
            let required = |name: &str| -> Result<String, InputError> {
                let v = get(name);
                if v.is_empty() {
                    Err(InputError::at(
                        &file.file,
                        at(name),
                        "expected a value, found an empty cell",
                    ))
                } else {
                    Ok(v.to_string())
                }
            };
            let date = |name: &str| -> Result<Date, InputError> {
                let v = required(name)?;
                crate::primitives::asof::parse_date_option(&v)
                    .map_err(|m| InputError::at(&file.file, at(name), m))
            };
            let check_id = required("check_id")?;
            if check_id != "*" && crate::checks::find(&check_id).is_none() {
                return Err(InputError::at(
                    &file.file,
                    at("check_id"),
                    format!("unknown check '{check_id}' (see `iam-evidence checks`)"),
                ));
            }
            let approval_date = date("approval_date")?;
            let expiry_date = date("expiry_date")?;
            if expiry_date < approval_date {
                return Err(InputError::at(
                    &file.file,
                    at("expiry_date"),
                    "expiry date is before the approval date",
                ));
            }
            let account = required("account")?;
            if let Err(expected) = account_pattern(&account) {
                return Err(InputError::at(&file.file, at("account"), expected));
            }
            let resource = required("resource")?;
            if let Err(expected) = resource_pattern(&resource) {
                return Err(InputError::at(&file.file, at("resource"), expected));
            }
            entries.push(Exception {
                line,
                check_id,
                account,
                resource,
                reason: required("reason")?,
                approved_by: required("approved_by")?,
                approval_date,
                expiry_date,
            });
        }
        let n = entries.len();
        Ok(Exceptions {
            file: Some(file.clone()),
            entries,
            applied: vec![0; n],
            expired: vec![0; n],
            near: vec![None; n],
        })
    }

    /// The exception for a non-PASS result, judged on the account's as-of day (an exception
    /// applies through its expiry day; without an as-of day expiry cannot be judged, so no
    /// exception applies). The first live entry in file order applies; every live entry that
    /// matches is counted, so none of them is reported stale.
    pub fn apply(
        &mut self,
        check_id: &str,
        account: &str,
        resource: &str,
        as_of: Option<Date>,
    ) -> Match<'_> {
        let mut live = None;
        let mut expired = None;
        for (i, e) in self.entries.iter().enumerate() {
            let hit = (e.check_id == "*" || e.check_id == check_id)
                && wildcard(&e.account, account)
                && wildcard(&e.resource, resource);
            if !hit {
                let near = (e.check_id == "*" || e.check_id == check_id)
                    && wildcard(&e.account, account)
                    && wildcard(&e.resource.to_lowercase(), &resource.to_lowercase());
                if near && self.near[i].is_none() {
                    self.near[i] = Some(resource.to_string());
                }
                continue;
            }
            if as_of.is_some_and(|d| d <= e.expiry_date) {
                self.applied[i] += 1;
                live.get_or_insert(i);
            } else {
                self.expired[i] += 1;
                expired.get_or_insert(i);
            }
        }
        match (live, expired) {
            (Some(i), _) => Match::Live(&self.entries[i]),
            (None, Some(i)) => Match::Expired(&self.entries[i]),
            (None, None) => Match::None,
        }
    }

    /// Each entry with its standing and the number of results it applied to.
    pub fn standings(&self) -> Vec<(&Exception, Standing, u64)> {
        self.entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let standing = if self.applied[i] > 0 {
                    Standing::Applied
                } else if self.expired[i] > 0 {
                    Standing::Expired
                } else {
                    Standing::Stale
                };
                (e, standing, self.applied[i])
            })
            .collect()
    }

    /// What stderr says of the entries after the run: one warning per entry that matched
    /// nothing (with the result it would have matched but for letter case), then the counts.
    pub fn summary_lines(&self) -> Vec<String> {
        let file = self.file.as_ref().map_or("exceptions", |f| &*f.file);
        let mut lines = Vec::new();
        let (mut applied, mut expired, mut stale) = (0, 0, 0);
        for (i, (entry, standing, _)) in self.standings().into_iter().enumerate() {
            match standing {
                Standing::Applied => applied += 1,
                Standing::Expired => expired += 1,
                Standing::Stale => {
                    stale += 1;
                    let hint = match &self.near[i] {
                        Some(near) => format!(
                            "; did you mean {near}? (ARNs match with their letter case as in the exports)"
                        ),
                        None => String::new(),
                    };
                    lines.push(format!(
                        "warning: {file} line {}: exception matched no result ({} {} {}){hint}",
                        entry.line, entry.check_id, entry.account, entry.resource
                    ));
                }
            }
        }
        lines.push(format!(
            "exceptions: {applied} applied, {expired} expired, {stale} matched nothing"
        ));
        lines
    }
}

/// An `account` cell: a 12-digit account ID, or digits and `*` wildcards.
fn account_pattern(text: &str) -> Result<(), String> {
    let digits_and_stars = text.chars().all(|c| c.is_ascii_digit() || c == '*');
    if digits_and_stars && (text.contains('*') || text.len() == 12) {
        return Ok(());
    }
    let hint = if text.contains(['E', 'e']) && text.contains('+') {
        " (a spreadsheet turned the ID into a number: format the column as text and type the 12 digits)"
    } else {
        ""
    };
    Err(format!(
        "expected a 12-digit account ID or a pattern with *, found '{text}'{hint}"
    ))
}

/// A `resource` cell: `*`, or an ARN (with `*` wildcards) as the results name resources.
fn resource_pattern(text: &str) -> Result<(), String> {
    if text == "*" || text.starts_with("arn:") {
        return Ok(());
    }
    Err(format!(
        "expected an ARN as the results name the resource (e.g. arn:aws:iam::111111111111:user/bob) or *, found '{text}'"
    ))
}

const COLUMNS: [&str; 7] = [
    "check_id",
    "account",
    "resource",
    "reason",
    "approved_by",
    "approval_date",
    "expiry_date",
];

/// Glob match where `*` stands for any run of characters (case-sensitive, like ARNs).
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> FileRef {
        FileRef {
            file: "exceptions.csv".into(),
            sha256: "x".into(),
        }
    }

    const HEADER: &str = "check_id,account,resource,reason,approved_by,approval_date,expiry_date\n";

    #[test]
    fn wildcards_match_runs_of_characters() {
        assert!(wildcard(
            "arn:aws:iam::*:user/svc-*",
            "arn:aws:iam::111111111111:user/svc-ci"
        ));
        assert!(!wildcard(
            "arn:aws:iam::*:user/svc-*",
            "arn:aws:iam::111111111111:user/bob"
        ));
        assert!(wildcard("*", ""));
        assert!(wildcard("111111111111", "111111111111"));
    }

    #[test]
    fn live_expired_and_stale() {
        let text = format!(
            "{HEADER}console-user-mfa,111111111111,*user/bob,break-glass,CISO,2025-01-01,2025-12-31\n\
             root-mfa,*,*,old,CISO,2024-01-01,2024-06-30\n\
             access-key-rotation,999999999999,*,nothing,CISO,2025-01-01,2026-01-01\n"
        );
        let mut ex = Exceptions::parse(&text, &file()).unwrap();
        let as_of = Some(time::macros::date!(2025 - 06 - 30));
        assert!(
            matches!(ex.apply("console-user-mfa", "111111111111", "arn:aws:iam::111111111111:user/bob", as_of), Match::Live(e) if e.line == 2)
        );
        assert!(matches!(
            ex.apply(
                "root-mfa",
                "111111111111",
                "arn:aws:iam::111111111111:root",
                as_of
            ),
            Match::Expired(_)
        ));
        let standings: Vec<Standing> = ex.standings().iter().map(|s| s.1).collect();
        assert_eq!(
            standings,
            [Standing::Applied, Standing::Expired, Standing::Stale]
        );
    }

    #[test]
    fn applies_through_its_expiry_day() {
        let text = format!("{HEADER}root-mfa,*,*,r,CISO,2025-01-01,2025-06-30\n");
        let mut ex = Exceptions::parse(&text, &file()).unwrap();
        let day = time::macros::date!(2025 - 06 - 30);
        assert!(matches!(
            ex.apply("root-mfa", "1", "r", Some(day)),
            Match::Live(_)
        ));
        assert!(matches!(
            ex.apply("root-mfa", "1", "r", day.next_day()),
            Match::Expired(_)
        ));
    }

    #[test]
    fn bad_entries_name_the_line_and_column() {
        let err = Exceptions::parse(
            &format!("{HEADER}root-mfa,*,*,r,CISO,2025-01-01,31/12/2025\n"),
            &file(),
        )
        .unwrap_err();
        assert_eq!(err.location, "line 2, column expiry_date");
        let err = Exceptions::parse(
            &format!("{HEADER}no-such-check,*,*,r,CISO,2025-01-01,2025-12-31\n"),
            &file(),
        )
        .unwrap_err();
        assert!(err.message.contains("unknown check"), "{err}");
        let err = Exceptions::parse("check_id,account\n", &file()).unwrap_err();
        assert!(err.message.contains("lacks column resource"), "{err}");
        let err = Exceptions::parse(
            &format!("{HEADER}root-mfa,*,*,,CISO,2025-01-01,2025-12-31\n"),
            &file(),
        )
        .unwrap_err();
        assert_eq!(err.location, "line 2, column reason");
    }
}
