//! Timestamps as they appear in IAM exports: ISO 8601 with `T` or a space, `Z` or an offset,
//! with or without fractional seconds.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Parses `2024-01-15T10:20:30+00:00`, `2025-01-28T17:25:12Z`, `2023-03-09 10:41:45+00:00`,
/// `2024-01-15T10:20:30.123456Z`, `+0000` offsets, and a missing offset (taken as UTC).
/// Returns `None` for anything else.
pub fn parse(text: &str) -> Option<OffsetDateTime> {
    let b = text.trim().as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let s = b.get(range)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(s).ok()?.parse().ok()
    };
    if b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ' || b[10] == b't') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let day = u8::try_from(num(8..10)?).ok()?;
    let hour = u8::try_from(num(11..13)?).ok()?;
    let minute = u8::try_from(num(14..16)?).ok()?;
    let second = u8::try_from(num(17..19)?).ok()?;
    let mut i = 19;
    let mut nanos: u32 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let digits = &b[start..i];
        if digits.is_empty() {
            return None;
        }
        for (n, d) in digits.iter().take(9).enumerate() {
            nanos += u32::from(d - b'0') * 10u32.pow(8 - n as u32);
        }
    }
    let offset = match &b[i..] {
        [] | [b'Z'] | [b'z'] => UtcOffset::UTC,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let digits: Vec<u8> = rest.iter().copied().filter(|c| *c != b':').collect();
            let colon_ok = match rest.len() {
                5 => rest[2] == b':',
                4 | 2 => true,
                _ => false,
            };
            // `+HH:MM`, `+HHMM` or `+HH`: a colon anywhere else leaves too few digits.
            if !colon_ok
                || digits.len() != rest.len().min(4)
                || !digits.iter().all(u8::is_ascii_digit)
            {
                return None;
            }
            let h: i8 = std::str::from_utf8(&digits[..2]).ok()?.parse().ok()?;
            let m: i8 = if digits.len() == 4 {
                std::str::from_utf8(&digits[2..]).ok()?.parse().ok()?
            } else {
                0
            };
            let (h, m) = if *sign == b'-' { (-h, -m) } else { (h, m) };
            UtcOffset::from_hms(h, m, 0).ok()?
        }
        _ => return None,
    };
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    // `9999-12-31T23:59:59-01:00` is a valid local time whose UTC instant is past year 9999.
    PrimitiveDateTime::new(date, time)
        .assume_offset(offset)
        .checked_to_offset(UtcOffset::UTC)
}

/// Formats an instant as `2024-06-06T00:00:00Z` (UTC, whole seconds), the form used in reasons.
pub fn format_utc(instant: OffsetDateTime) -> String {
    let t = instant.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Formats the calendar date of an instant in UTC as `2024-06-06`.
pub fn format_date(instant: OffsetDateTime) -> String {
    let t = instant.to_offset(UtcOffset::UTC);
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// Whole days from `earlier` to `later`, floored; 0 when `earlier` is after `later`.
pub fn whole_days(earlier: OffsetDateTime, later: OffsetDateTime) -> i64 {
    let secs = (later - earlier).whole_seconds();
    if secs <= 0 { 0 } else { secs / 86_400 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_export_form() {
        let want = parse("2024-01-15T10:20:30Z").unwrap();
        for form in [
            "2024-01-15T10:20:30+00:00",
            "2024-01-15 10:20:30+00:00",
            "2024-01-15T10:20:30.000Z",
            "2024-01-15T11:20:30+01:00",
            "2024-01-15T10:20:30+0000",
            "2024-01-15T10:20:30",
        ] {
            assert_eq!(parse(form), Some(want), "{form}");
        }
    }

    #[test]
    fn keeps_fractional_seconds() {
        let t = parse("2024-01-15T10:20:30.25Z").unwrap();
        assert_eq!(t.millisecond(), 250);
    }

    #[test]
    fn rejects_other_text() {
        for bad in [
            "",
            "N/A",
            "2024-01-15",
            "15/01/2024 10:20",
            "2024-13-01T00:00:00Z",
            "2024-01-15T10:20:30+5",
            "2024-01-15T10:20:30+0:",
            "2024-01-15T10:20:30+::::",
            "2024-01-15T10:20:30+1:::",
            "2024-01-15T10:20:30+1:2:3",
            "9999-12-31T23:59:59-23:59",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn offsets_at_the_ends_of_the_range() {
        assert!(parse("9999-12-31T23:59:59+01:00").is_some());
        assert!(parse("0000-01-01T00:00:00+23:59").is_some());
        assert!(parse("0000-01-01T00:00:00-01:00").is_some());
    }

    #[test]
    fn whole_days_floor_and_clamp() {
        let a = parse("2024-01-01T00:00:00Z").unwrap();
        let b = parse("2024-01-31T23:59:59Z").unwrap();
        assert_eq!(whole_days(a, b), 30);
        assert_eq!(whole_days(b, a), 0);
    }
}
