//! The as-of instant that age-based checks measure against: never the wall clock.

use serde::Serialize;
use time::{Date, OffsetDateTime, Time};

/// Which rule chose an account's as-of instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AsOfRule {
    /// `--as-of DATE`: the end of that day (next midnight UTC).
    Option,
    /// The credential report's `GeneratedTime`.
    GeneratedTime,
    /// The latest timestamp in the credential report (excluding `password_next_rotation`).
    LatestTimestamp,
    /// No credential report and no `--as-of`: ages cannot be measured.
    Unavailable,
}

impl AsOfRule {
    /// How the cover sheet and the metadata describe the rule.
    pub fn describe(self) -> &'static str {
        match self {
            AsOfRule::Option => "--as-of option (end of that day, UTC)",
            AsOfRule::GeneratedTime => "credential report GeneratedTime",
            AsOfRule::LatestTimestamp => {
                "latest timestamp in the credential report (estimated: give --as-of)"
            }
            AsOfRule::Unavailable => {
                "none (no --as-of, and no GeneratedTime or timestamp in a credential report)"
            }
        }
    }
}

/// An account's as-of instant and the rule that chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    /// The instant, when one could be determined.
    pub instant: Option<OffsetDateTime>,
    /// The rule used.
    pub rule: AsOfRule,
}

impl AsOf {
    /// Chooses the as-of: `--as-of`, else GeneratedTime, else the latest report timestamp.
    pub fn choose(
        option: Option<Date>,
        generated_time: Option<OffsetDateTime>,
        latest_timestamp: Option<OffsetDateTime>,
    ) -> AsOf {
        if let Some(date) = option {
            return AsOf {
                instant: Some(end_of_day(date)),
                rule: AsOfRule::Option,
            };
        }
        if let Some(t) = generated_time {
            return AsOf {
                instant: Some(t),
                rule: AsOfRule::GeneratedTime,
            };
        }
        match latest_timestamp {
            Some(t) => AsOf {
                instant: Some(t),
                rule: AsOfRule::LatestTimestamp,
            },
            None => AsOf {
                instant: None,
                rule: AsOfRule::Unavailable,
            },
        }
    }
}

/// The end of a calendar day: the next midnight, UTC.
pub fn end_of_day(date: Date) -> OffsetDateTime {
    let next = date.next_day().unwrap_or(date);
    next.with_time(Time::MIDNIGHT).assume_utc()
}

/// Parses an `--as-of` value `YYYY-MM-DD`.
pub fn parse_date_option(text: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).map_err(|_| format!("invalid date '{text}': expected YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn option_means_end_of_day() {
        let a = AsOf::choose(Some(date!(2024 - 06 - 06)), None, None);
        assert_eq!(a.instant, Some(datetime!(2024-06-07 0:00 UTC)));
        assert_eq!(a.rule, AsOfRule::Option);
    }

    #[test]
    fn generated_time_wins_over_latest_timestamp() {
        let g = datetime!(2024-06-06 10:00 UTC);
        let l = datetime!(2024-06-05 10:00 UTC);
        let a = AsOf::choose(None, Some(g), Some(l));
        assert_eq!((a.instant, a.rule), (Some(g), AsOfRule::GeneratedTime));
        let b = AsOf::choose(None, None, Some(l));
        assert_eq!((b.instant, b.rule), (Some(l), AsOfRule::LatestTimestamp));
    }

    #[test]
    fn rejects_bad_dates() {
        assert!(parse_date_option("2024-02-30").is_err());
        assert!(parse_date_option("06/06/2024").is_err());
        assert!(parse_date_option("2024-06-06").is_ok());
    }
}
