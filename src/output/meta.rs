//! Run metadata: what the cover sheet and the `<RESULTS>.meta.json` sidecar say about a run
//! (version, options, as-of per account, every input with its hash), so runs can be verified
//! and merged.

use crate::checks::{Status, Thresholds};
use serde::Serialize;
use std::collections::BTreeMap;

/// One input file as listed on the inputs sheet and in the sidecar.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct InputRecord {
    /// Path relative to its PATH argument.
    pub file: String,
    /// What it is (`credential report (CSV)`), or `not an export`.
    pub kind: String,
    /// The account it was assigned to, if any.
    pub account: Option<String>,
    /// Bytes.
    pub size: u64,
    /// SHA-256.
    pub sha256: String,
    /// Rows (credential report) or entities (authorization details).
    pub rows: Option<usize>,
    /// `GeneratedTime`, ISO 8601.
    pub generated_time: Option<String>,
    /// `used`, `skipped`, `left out`, `unassigned`, `duplicate`.
    pub disposition: String,
    /// Why skipped, left out or unassigned; flags such as a non-standard account ID.
    pub note: String,
}

/// One account's run facts.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct AccountRecord {
    /// Account ID.
    pub account_id: String,
    /// The account's name in the organization's account list, if it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Partition.
    pub partition: String,
    /// As-of instant, ISO 8601, if any.
    pub as_of: Option<String>,
    /// The rule that chose it.
    pub as_of_rule: crate::primitives::asof::AsOfRule,
    /// Exports left out under `--keep-going`.
    pub left_out: Vec<String>,
    /// Each left-out file and why (file display path to reason).
    pub left_out_files: BTreeMap<String, String>,
    /// IAM users in the credential report (excluding root).
    pub users: usize,
    /// Roles in the authorization export.
    pub roles: usize,
    /// Managed policies in the authorization export.
    pub policies: usize,
    /// Result counts per check and status.
    #[serde(skip)]
    pub counts: CheckCounts,
    /// Results per check covered by an approved exception.
    #[serde(skip)]
    pub excepted: BTreeMap<&'static str, u64>,
    /// The as-of calendar day (the day the as-of instant falls in; the `--as-of` date itself),
    /// against which exception expiry dates are judged.
    #[serde(skip)]
    pub as_of_day: Option<time::Date>,
    /// When the credential report was generated: its GeneratedTime, else its latest
    /// timestamp (ISO 8601), if the account has a report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_time: Option<String>,
    /// Which exports were read and what they count (the Population sheet's row).
    #[serde(default)]
    pub population: crate::output::population::PopulationFacts,
}

/// The options that shape results (recorded so a run can be re-performed).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct RunOptions {
    /// `--as-of`, if given.
    pub as_of: Option<String>,
    /// Thresholds.
    #[serde(flatten)]
    pub thresholds: Thresholds,
    /// `--keep-going`.
    pub keep_going: bool,
    /// `--org-accounts`, if given.
    pub org_accounts: Option<String>,
    /// `--exceptions`, if given.
    #[serde(default)]
    pub exceptions: Option<String>,
    /// `--baseline`, if given.
    #[serde(default)]
    pub baseline: Option<String>,
    /// `--framework`: the frameworks the Controls sheet files the results under, in the
    /// order given (none: no Controls sheet).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frameworks: Vec<crate::checks::frameworks::Framework>,
    /// `--client`, `--period`, `--prepared-by`, where given.
    #[serde(flatten)]
    pub engagement: Engagement,
    /// A merge of separate runs (`report --from-results`): each run's own options and the
    /// accounts it audited, in run order, so that `verify` re-performs each part as it was
    /// run (none for one run).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartRecord>,
}

/// One run of a merge: its options and the accounts it audited.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct PartRecord {
    /// The run's options as it recorded them.
    pub options: RunOptions,
    /// The account IDs it audited.
    pub accounts: Vec<String>,
}

/// The engagement a workpaper belongs to: free text shown on the cover and the page header,
/// recorded with the options (absent ones are left out of the JSON).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct Engagement {
    /// `--client`: whose accounts were audited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// `--period`: the period under audit (`FY2025`, `2025-01-01 to 2025-06-30`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// `--prepared-by`: who prepared the workpaper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepared_by: Option<String>,
}

/// Everything the cover, summary and inputs sheets and the sidecar need.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    /// `iam-evidence`.
    pub tool: &'static str,
    /// Crate version.
    pub version: &'static str,
    /// The command line to re-perform the run.
    pub command_line: String,
    /// Options.
    pub options: RunOptions,
    /// SHA-256 over the sorted `sha256  file` lines of every input.
    pub input_digest: String,
    /// Accounts in results order.
    pub accounts: Vec<AccountRecord>,
    /// Every file looked at, in discovery order.
    pub inputs: Vec<InputRecord>,
    /// Total results.
    pub results: u64,
    /// Every exception entry and its standing, with `--exceptions`.
    pub exceptions: Vec<ExceptionStanding>,
    /// Changes since the baseline, with `--baseline`.
    pub changes: Option<ChangesRecord>,
    /// The organization account list the run used, when one was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<crate::output::population::OrgListRecord>,
}

/// An exceptions-file entry and what became of it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExceptionStanding {
    /// The entry.
    #[serde(flatten)]
    pub entry: crate::workflow::exceptions::Exception,
    /// Applied, expired or stale.
    pub standing: crate::workflow::exceptions::Standing,
    /// How many results it covered.
    pub results: u64,
}

/// The comparison with a baseline.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChangesRecord {
    /// The baseline file as given.
    pub baseline: String,
    /// How many results were new, unchanged, changed, and baseline results resolved or removed.
    pub counts: crate::workflow::baseline::ChangeCounts,
    /// Baseline results absent from this run.
    pub gone: Vec<crate::workflow::baseline::Gone>,
}

impl RunRecord {
    /// Where an account's as-of is weak, one sentence each: estimated from the report's latest
    /// timestamp (no GeneratedTime), or a `--as-of` before the report was generated (every
    /// credential used after the as-of then reads as age 0); then a `--as-of` after every
    /// report by more than `--max-export-age-days`. Stderr and the cover say these.
    pub fn as_of_warnings(&self) -> Vec<String> {
        use crate::primitives::asof::AsOfRule;
        let mut out = Vec::new();
        for a in &self.accounts {
            let Some(as_of) = &a.as_of else { continue };
            match a.as_of_rule {
                AsOfRule::LatestTimestamp => out.push(format!(
                    "account {}: as-of {as_of} is estimated from the credential report's latest \
                     timestamp (the report has no GeneratedTime); give --as-of",
                    a.account_id
                )),
                AsOfRule::Option => {
                    let later = a.report_time.as_deref().filter(|t| {
                        let parse = crate::primitives::timestamp::parse;
                        matches!((parse(t), parse(as_of)), (Some(t), Some(d)) if t > d)
                    });
                    if let Some(t) = later {
                        out.push(format!(
                            "account {}: --as-of (ends {as_of}) is before its credential report was \
                             generated ({t}): every credential used after the as-of reads as age 0",
                            a.account_id
                        ));
                    }
                }
                _ => {}
            }
        }
        out.extend(self.as_of_after_every_report());
        out
    }

    /// A `--as-of` after every credential report's generation (its GeneratedTime, else its
    /// latest timestamp) by more than `--max-export-age-days`: a date typed wrong (a year in
    /// the future) ages every credential by the gap. One sentence naming the latest report.
    fn as_of_after_every_report(&self) -> Option<String> {
        let parse = crate::primitives::timestamp::parse;
        let as_of = self.options.as_of.as_deref()?;
        let instant = self
            .accounts
            .iter()
            .find_map(|a| a.as_of.as_deref().and_then(parse))?;
        let (account, latest) = self
            .accounts
            .iter()
            .filter_map(|a| Some((a, parse(a.report_time.as_deref()?)?)))
            .max_by_key(|(_, t)| *t)?;
        let days = crate::primitives::timestamp::whole_days(latest, instant);
        let max = self.options.thresholds.max_export_age_days;
        (days > max).then(|| {
            format!(
                "--as-of {as_of} is {days} days after the latest credential report was generated \
                 ({}, account {}), more than --max-export-age-days {max}: every age is measured \
                 to that date; is it right?",
                crate::primitives::timestamp::format_utc(latest),
                account.account_id
            )
        })
    }

    /// Excepted results per check over all accounts.
    pub fn excepted_by_check(&self) -> BTreeMap<&'static str, u64> {
        let mut out: BTreeMap<&'static str, u64> = BTreeMap::new();
        for a in &self.accounts {
            for (check, n) in &a.excepted {
                *out.entry(check).or_default() += n;
            }
        }
        out
    }

    /// Result counts per check over all accounts (the listed accounts not audited included),
    /// indexed like [`Status::ALL`].
    pub fn totals_by_check(&self) -> BTreeMap<&'static str, [u64; 5]> {
        let mut out: BTreeMap<&'static str, [u64; 5]> = BTreeMap::new();
        if let Some(org) = &self.org {
            let audited = self.accounts.iter().map(|a| a.account_id.clone()).collect();
            for (_, status, _) in crate::output::population::absent_coverage(&org.list, &audited) {
                out.entry(crate::checks::org_coverage::META.id).or_default()
                    [status_index(status)] += 1;
            }
        }
        for a in &self.accounts {
            for (check, counts) in a.counts.iter() {
                let t = out.entry(check).or_default();
                for (i, c) in counts.iter().enumerate() {
                    t[i] += c;
                }
            }
        }
        out
    }
}

/// An account's results counted by check and status (indexed like [`Status::ALL`]), in check
/// ID order. Kept for every account until the end of the run, so compact: a sorted list of the
/// checks that have results (an account's few dozen), not a tree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckCounts(Vec<(&'static str, [u32; 5])>);

impl CheckCounts {
    /// Counts one result of `check` with `status`.
    pub fn add(&mut self, check: &'static str, status: Status) {
        let at = match self.0.binary_search_by(|(c, _)| (*c).cmp(check)) {
            Ok(at) => at,
            Err(at) => {
                self.0.insert(at, (check, [0; 5]));
                at
            }
        };
        self.0[at].1[status_index(status)] += 1;
    }

    /// The counts of `check` (zeros when it has none).
    pub fn get(&self, check: &str) -> [u64; 5] {
        self.0
            .binary_search_by(|(c, _)| (*c).cmp(check))
            .map_or([0; 5], |at| self.0[at].1.map(u64::from))
    }

    /// Every check with results and its counts, in check ID order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, [u64; 5])> + '_ {
        self.0.iter().map(|(c, n)| (*c, n.map(u64::from)))
    }

    /// Gives back the room a growing list keeps spare (call once the account is counted).
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

/// The index of a status in [`Status::ALL`].
pub fn status_index(status: Status) -> usize {
    Status::ALL.iter().position(|s| *s == status).unwrap_or(0)
}

/// The digest over all inputs: SHA-256 of the sorted `sha256  file` lines.
pub fn input_digest(inputs: &[InputRecord]) -> String {
    let mut lines: Vec<String> = inputs
        .iter()
        .map(|i| format!("{}  {}\n", i.sha256, i.file))
        .collect();
    lines.sort();
    crate::primitives::digest::sha256_hex(lines.concat().as_bytes())
}

/// `<RESULTS>.meta.json` beside the results file.
pub fn meta_path(results: &std::path::Path) -> std::path::PathBuf {
    let mut name = results.as_os_str().to_os_string();
    name.push(".meta.json");
    std::path::PathBuf::from(name)
}

#[cfg(test)]
mod check_counts_tests {
    use super::*;

    #[test]
    fn counts_are_kept_per_check_and_status_in_check_order() {
        let mut c = CheckCounts::default();
        c.add("root-mfa", Status::Pass);
        c.add("access-key-age", Status::Fail);
        c.add("root-mfa", Status::Pass);
        c.add("root-mfa", Status::NotDeterminable);
        assert_eq!(c.get("root-mfa"), [2, 0, 0, 0, 1]);
        assert_eq!(c.get("access-key-age"), [0, 1, 0, 0, 0]);
        assert_eq!(c.get("no-such-check"), [0; 5]);
        let order: Vec<&str> = c.iter().map(|(check, _)| check).collect();
        assert_eq!(order, ["access-key-age", "root-mfa"]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::asof::AsOfRule;

    /// A run with `--as-of` (ending at `as_of`) over accounts whose reports were generated at
    /// `reports`.
    fn run_as_of(as_of: &str, instant: &str, reports: &[(&str, &str)]) -> RunRecord {
        RunRecord {
            tool: "iam-evidence",
            version: "test",
            command_line: String::new(),
            options: RunOptions {
                as_of: Some(as_of.into()),
                thresholds: Thresholds::default(),
                keep_going: false,
                org_accounts: None,
                exceptions: None,
                baseline: None,
                frameworks: Vec::new(),
                engagement: Default::default(),
                parts: Vec::new(),
            },
            input_digest: String::new(),
            accounts: reports
                .iter()
                .map(|(id, t)| AccountRecord {
                    account_id: (*id).into(),
                    name: None,
                    partition: "aws".into(),
                    as_of: Some(instant.into()),
                    as_of_rule: AsOfRule::Option,
                    left_out: Vec::new(),
                    left_out_files: BTreeMap::new(),
                    users: 0,
                    roles: 0,
                    policies: 0,
                    counts: CheckCounts::default(),
                    excepted: BTreeMap::new(),
                    as_of_day: None,
                    report_time: Some((*t).into()),
                    population: Default::default(),
                })
                .collect(),
            inputs: Vec::new(),
            results: 0,
            exceptions: Vec::new(),
            changes: None,
            org: None,
        }
    }

    #[test]
    fn an_as_of_in_the_future_warns_naming_the_latest_report() {
        let record = run_as_of(
            "2030-01-01",
            "2030-01-02T00:00:00Z",
            &[
                ("111111111111", "2025-06-30T10:00:00Z"),
                ("222222222222", "2025-06-30T12:00:00Z"),
            ],
        );
        assert_eq!(
            record.as_of_warnings(),
            vec![
                "--as-of 2030-01-01 is 1646 days after the latest credential report was \
                 generated (2025-06-30T12:00:00Z, account 222222222222), more than \
                 --max-export-age-days 7: every age is measured to that date; is it right?"
            ]
        );
    }

    #[test]
    fn an_as_of_within_max_export_age_days_of_the_latest_report_does_not_warn() {
        // 7 whole days after the latest report: at most --max-export-age-days 7.
        let record = run_as_of(
            "2025-07-07",
            "2025-07-08T00:00:00Z",
            &[
                ("111111111111", "2025-06-01T10:00:00Z"),
                ("222222222222", "2025-07-01T00:00:00Z"),
            ],
        );
        assert!(record.as_of_warnings().is_empty());
        let eight = run_as_of(
            "2025-07-08",
            "2025-07-09T00:00:00Z",
            &[("222222222222", "2025-07-01T00:00:00Z")],
        );
        assert_eq!(
            eight.as_of_warnings().len(),
            1,
            "{:?}",
            eight.as_of_warnings()
        );
    }
}
