//! What a baseline run was: its options and each account's as-of, read from the results
//! file's `.meta.json` sidecar or from the workbook's cover. A baseline run with other
//! thresholds, or of the same or a later quarter, makes "changed" and "resolved" say something
//! about the run rather than the accounts: each is a warning naming both values.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use time::OffsetDateTime;

/// The baseline run's facts, as far as they were recorded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BaselineRun {
    /// The run options (the cover's `RunOptions` JSON or the sidecar's `options`).
    pub options: Option<serde_json::Map<String, Value>>,
    /// Each account's as-of instant, ISO 8601.
    pub as_of: BTreeMap<String, String>,
}

/// Options that say where the run's inputs and annotations came from, not how it judged:
/// they may differ between quarters.
const NOT_THRESHOLDS: [&str; 5] = [
    "as_of",
    "keep_going",
    "org_accounts",
    "exceptions",
    "baseline",
];

impl BaselineRun {
    /// Reads the facts recorded beside or inside the baseline; nothing recorded is no facts.
    pub fn read(path: &Path) -> BaselineRun {
        let is_workbook = std::fs::read(path)
            .map(|b| b.starts_with(b"PK\x03\x04"))
            .unwrap_or(false);
        if is_workbook {
            from_cover(path).unwrap_or_default()
        } else {
            let mut sidecar = path.as_os_str().to_os_string();
            sidecar.push(".meta.json");
            std::fs::read(sidecar)
                .ok()
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                .map(|v| from_sidecar(&v))
                .unwrap_or_default()
        }
    }

    /// The warnings for this run: `options` as this run records them, `as_of` each account's
    /// as-of instant. One line per differing threshold, one per kind of as-of mismatch.
    pub fn warnings<'a>(
        &self,
        file: &str,
        options: &Value,
        as_of: impl IntoIterator<Item = (&'a str, Option<OffsetDateTime>)>,
    ) -> Vec<String> {
        let mut out = Vec::new();
        if let (Some(before), Some(now)) = (&self.options, options.as_object()) {
            for (key, value) in now {
                if NOT_THRESHOLDS.contains(&key.as_str()) {
                    continue;
                }
                if let Some(previous) = before.get(key)
                    && previous != value
                {
                    out.push(format!(
                        "warning: baseline {file} was run with --{} {previous}, this run with {value}: \
                         a change may come from the option, not the account",
                        key.replace('_', "-")
                    ));
                }
            }
        }
        let mut same = Vec::new();
        let mut later = Vec::new();
        for (account, now) in as_of {
            let Some(now) = now else { continue };
            let Some(before) = self
                .as_of
                .get(account)
                .and_then(|t| crate::primitives::timestamp::parse(t))
            else {
                continue;
            };
            let pair = format!(
                "{account}: baseline {}, this run {}",
                crate::primitives::timestamp::format_utc(before),
                crate::primitives::timestamp::format_utc(now)
            );
            if before > now {
                later.push(pair);
            } else if quarter(before) == quarter(now) {
                same.push(pair);
            }
        }
        if !later.is_empty() {
            out.push(format!(
                "warning: baseline {file} is later than this run for {} account(s) ({}): \
                 was the baseline meant to be the earlier quarter?",
                later.len(),
                first_few(&later)
            ));
        }
        if !same.is_empty() {
            out.push(format!(
                "warning: baseline {file} is of the same quarter as this run for {} account(s) ({}): \
                 the baseline should be the previous quarter's run",
                same.len(),
                first_few(&same)
            ));
        }
        out
    }
}

/// Year and quarter of an instant (UTC).
fn quarter(t: OffsetDateTime) -> (i32, u8) {
    (t.year(), (u8::from(t.month()) - 1) / 3)
}

/// The first three items, then how many more.
fn first_few(items: &[String]) -> String {
    let mut text = items.iter().take(3).cloned().collect::<Vec<_>>().join("; ");
    if items.len() > 3 {
        text.push_str(&format!("; and {} more", items.len() - 3));
    }
    text
}

fn from_sidecar(meta: &Value) -> BaselineRun {
    let options = meta.get("options").and_then(Value::as_object).cloned();
    let as_of = meta
        .get("accounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| {
            Some((
                a.get("account_id")?.as_str()?.to_string(),
                a.get("as_of")?.as_str()?.to_string(),
            ))
        })
        .collect();
    BaselineRun { options, as_of }
}

/// The cover: the `Run options (JSON, named RunOptions)` fact, and the rows of the
/// "As-of and scope per account" table (account ID, as-of).
fn from_cover(path: &Path) -> Option<BaselineRun> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path).ok()?;
    let cover = wb.worksheet_range("Cover").ok()?;
    let text = |row: u32, col: u32| -> String {
        cover
            .get_value((row, col))
            .map(|c| c.to_string())
            .unwrap_or_default()
    };
    let mut run = BaselineRun::default();
    let mut in_table = false;
    for row in 0..cover.height() as u32 {
        let (first, second) = (text(row, 0), text(row, 1));
        if first.starts_with("Run options (JSON") {
            run.options = serde_json::from_str::<Value>(&second)
                .ok()
                .and_then(|v| v.as_object().cloned());
        } else if first == "Account" && second == "As-of (UTC)" {
            in_table = true;
        } else if in_table {
            if first.is_empty() {
                in_table = false;
            } else if !second.is_empty() {
                run.as_of.insert(first, second);
            }
        }
    }
    Some(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(text: &str) -> Option<OffsetDateTime> {
        crate::primitives::timestamp::parse(text)
    }

    fn q2_baseline() -> BaselineRun {
        from_sidecar(&json!({
            "options": {"as_of": null, "max_key_age_days": 90, "max_unused_days": 45},
            "accounts": [{"account_id": "111111111111", "as_of": "2025-06-30T10:00:00Z"}]
        }))
    }

    #[test]
    fn a_baseline_with_other_thresholds_warns_naming_both_values() {
        let now = json!({"as_of": "2025-09-30", "max_key_age_days": 60, "max_unused_days": 45});
        let w = q2_baseline().warnings("q2.jsonl", &now, []);
        assert_eq!(
            w,
            [
                "warning: baseline q2.jsonl was run with --max-key-age-days 90, this run with 60: \
              a change may come from the option, not the account"
            ]
        );
    }

    #[test]
    fn a_later_quarter_as_baseline_warns() {
        let now = json!({"max_key_age_days": 90, "max_unused_days": 45});
        let w = q2_baseline().warnings(
            "q2.jsonl",
            &now,
            [("111111111111", at("2025-03-31T10:00:00Z"))],
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("is later than this run for 1 account(s) (111111111111: baseline 2025-06-30T10:00:00Z, this run 2025-03-31T10:00:00Z)"),
            "{w:?}"
        );
    }

    #[test]
    fn the_same_quarter_as_baseline_warns() {
        let now = json!({});
        let w = q2_baseline().warnings(
            "q2.jsonl",
            &now,
            [("111111111111", at("2025-06-30T10:00:00Z"))],
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("same quarter"), "{w:?}");
    }

    #[test]
    fn the_previous_quarter_as_baseline_is_silent() {
        let now = json!({"max_key_age_days": 90});
        let w = q2_baseline().warnings(
            "q2.jsonl",
            &now,
            [
                ("111111111111", at("2025-09-30T10:00:00Z")),
                ("999999999999", None),
            ],
        );
        assert!(w.is_empty(), "{w:?}");
    }
}
