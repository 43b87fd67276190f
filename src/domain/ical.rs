//! A participant's schedule as iCalendar (RFC 5545): the event in the venue's local time and
//! each held or running meeting at its real time in UTC.

use crate::domain::date::{format_ical, parse_local, utc_of_secs};

/// When a calendar entry happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    /// Local wall-clock times `YYYY-MM-DDTHH:MM` ("floating": the venue's time, whatever zone
    /// the reader is in).
    Local { starts: String, ends: String },
    /// Seconds since the epoch.
    Utc { starts: i64, ends: i64 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Unique and stable across downloads, so calendars update instead of duplicating.
    pub uid: String,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub when: When,
}

/// Text values escape backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines longer than 75 octets continue on the next line after a space, never inside a
/// character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn local(text: &str) -> String {
    // `2026-03-12T09:30` → `20260312T093000`
    parse_local(text).map(format_ical).unwrap_or_default()
}

fn utc(secs: i64) -> String {
    format!("{}Z", format_ical(utc_of_secs(secs)))
}

pub fn calendar(entries: &[Entry], now: i64) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tandem//Matchmaking//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(line, &mut out);
    }
    for entry in entries {
        let (starts, ends) = match &entry.when {
            When::Local { starts, ends } => (
                format!("DTSTART:{}", local(starts)),
                format!("DTEND:{}", local(ends)),
            ),
            When::Utc { starts, ends } => (
                format!("DTSTART:{}", utc(*starts)),
                format!("DTEND:{}", utc(*ends)),
            ),
        };
        for line in [
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", escape(&entry.uid)),
            format!("DTSTAMP:{}", utc(now)),
            starts,
            ends,
            format!("SUMMARY:{}", escape(&entry.summary)),
            format!("LOCATION:{}", escape(&entry.location)),
            format!("DESCRIPTION:{}", escape(&entry.description)),
            "END:VEVENT".to_owned(),
        ] {
            fold(&line, &mut out);
        }
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(when: When) -> Entry {
        Entry {
            uid: "runde-1@tandem".into(),
            summary: "Runde 1, Tisch 4: Anna Alpers (Fräserei Alpers; Sinsheim)".into(),
            location: "Zuckerfabrik, Wiesloch".into(),
            description: "Erste Zeile\nZweite Zeile".into(),
            when,
        }
    }

    #[test]
    fn a_calendar_has_its_frame_and_escaped_crlf_lines() {
        let text = calendar(
            &[entry(When::Local {
                starts: "2026-03-12T09:30".into(),
                ends: "2026-03-12T17:00".into(),
            })],
            0,
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20260312T093000\r\n"));
        assert!(text.contains("DTEND:20260312T170000\r\n"));
        assert!(text.contains("DTSTAMP:19700101T000000Z\r\n"));
        assert!(text.contains("LOCATION:Zuckerfabrik\\, Wiesloch\r\n"));
        assert!(text.contains("DESCRIPTION:Erste Zeile\\nZweite Zeile\r\n"));
        assert!(text.contains("(Fräserei Alpers\\; Sinsheim)"));
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
    }

    #[test]
    fn utc_times_and_long_lines() {
        // 2026-11-23 22:36:05 UTC
        let text = calendar(
            &[Entry {
                description: "ä".repeat(100),
                ..entry(When::Utc {
                    starts: 1_795_473_365,
                    ends: 1_795_473_365 + 480,
                })
            }],
            1_795_473_365,
        );
        assert!(text.contains("DTSTART:20261123T223605Z\r\n"));
        assert!(text.contains("DTEND:20261123T224405Z\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}", "ä".repeat(100))));
    }
}
