//! Calendar days, months and local times, on `chrono`'s calendar. Stored and sent as ISO text
//! (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`); the text is read and written here, by hand, so the
//! browser's bundle carries no date-format parser.

use chrono::{DateTime, Days, NaiveTime, Timelike};
pub use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// A calendar day.
pub type Day = NaiveDate;

/// Years outside this range cannot come from real partnerships; such values are refused.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Parses an ISO date `YYYY-MM-DD` that exists in the calendar.
pub fn parse_date(text: &str) -> Option<Day> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !YEAR_RANGE.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `YYYY-MM-DD`.
pub fn format_date(day: Day) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

/// `day` moved by `days` (negative: back); the day itself at the calendar's ends.
pub fn add_days(day: Day, days: i64) -> Day {
    let moved = if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(day)
}

/// The UTC day of a Unix time.
pub fn day_of_secs(secs: i64) -> Day {
    DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .date_naive()
}

/// A month as `year * 12 + (month - 1)`, the step of the growth playback.
pub type Month = i32;

pub fn month_of(day: Day) -> Month {
    day.year() * 12 + day.month0() as i32
}

/// `2023-04` for a month number.
pub fn format_month(month: Month) -> String {
    format!(
        "{:04}-{:02}",
        month.div_euclid(12),
        month.rem_euclid(12) + 1
    )
}

/// A quarter as `year * 4 + (quarter - 1)`, consecutive across years.
pub type Quarter = i32;

pub fn quarter_of(day: Day) -> Quarter {
    day.year() * 4 + (day.month0() / 3) as i32
}

/// `2023-Q2` for a quarter number.
pub fn format_quarter(quarter: Quarter) -> String {
    format!("{}-Q{}", quarter.div_euclid(4), quarter.rem_euclid(4) + 1)
}

/// Reads a local date and time `YYYY-MM-DDTHH:MM` (seconds allowed and dropped).
pub fn parse_local(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = text.trim().split_once('T')?;
    let day = parse_date(date)?;
    let mut parts = time.split(':');
    let hour: u32 = parts.next()?.parse().ok()?;
    let minute: u32 = parts.next()?.parse().ok()?;
    if time.len() < 5 {
        return None;
    }
    Some(day.and_time(NaiveTime::from_hms_opt(hour, minute, 0)?))
}

/// `YYYY-MM-DDTHH:MM`.
pub fn format_date_time(at: NaiveDateTime) -> String {
    format!("{}T{}", format_date(at.date()), format_time_of_day(at))
}

/// `HH:MM`.
pub fn format_time_of_day(at: NaiveDateTime) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// `YYYYMMDDTHHMMSS`, iCalendar's local time.
pub fn format_ical(at: NaiveDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// The UTC date and time of a Unix time.
pub fn utc_of_secs(secs: i64) -> NaiveDateTime {
    DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .naive_utc()
}

/// `DD.MM.YYYY`, with `, HH:MM` for a time of day.
pub fn format_german(day: Day, time: Option<NaiveDateTime>) -> String {
    let date = format!("{:02}.{:02}.{:04}", day.day(), day.month(), day.year());
    match time {
        Some(at) => format!("{date}, {}", format_time_of_day(at)),
        None => date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(text: &str) -> Day {
        parse_date(text).unwrap()
    }

    #[test]
    fn dates_parse_and_format() {
        assert_eq!(
            parse_date("1970-01-01"),
            NaiveDate::from_ymd_opt(1970, 1, 1)
        );
        assert_eq!(
            parse_date("2024-02-29").map(format_date),
            Some("2024-02-29".into())
        );
        assert_eq!(
            parse_date(" 2024-3-5 ").map(format_date),
            Some("2024-03-05".into())
        );
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-13-01"), None);
        assert_eq!(parse_date("1899-12-31"), None);
        assert_eq!(parse_date("gestern"), None);
        assert_eq!(format_month(month_of(day("2023-04-30"))), "2023-04");
        assert_eq!(format_quarter(quarter_of(day("2023-04-30"))), "2023-Q2");
        assert_eq!(
            quarter_of(day("2024-01-01")) - quarter_of(day("2023-12-31")),
            1
        );
        assert_eq!(add_days(day("2024-02-28"), 2), day("2024-03-01"));
        assert_eq!(add_days(day("2024-03-01"), -1), day("2024-02-29"));
        assert_eq!(day_of_secs(86_400 * 365), day("1971-01-01"));
    }

    #[test]
    fn times_parse_and_format() {
        let at = parse_local("2026-02-03T09:05:30").unwrap();
        assert_eq!(format_date_time(at), "2026-02-03T09:05");
        assert_eq!(format_ical(at), "20260203T090500");
        assert_eq!(format_german(at.date(), Some(at)), "03.02.2026, 09:05");
        assert_eq!(parse_local("2026-02-03T24:00"), None);
        assert_eq!(parse_local("2026-02-03T9:5"), None);
        assert_eq!(parse_local("2026-02-30T10:00"), None);
        assert_eq!(format_ical(utc_of_secs(0)), "19700101T000000");
    }

    proptest! {
        #[test]
        fn every_day_in_range_round_trips(offset in 0i64..(201 * 366)) {
            let first = day("1900-01-01");
            let d = add_days(first, offset);
            prop_assume!(YEAR_RANGE.contains(&d.year()));
            prop_assert_eq!(parse_date(&format_date(d)), Some(d));
        }
    }
}
