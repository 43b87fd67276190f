//! Events and registrations: the lifecycle draft → open → live → finished, and what organisers
//! and registrants type, with the rules it must meet.

use super::actor::ActorKind;
use super::actor_input::{
    is_checked, optional_text, problem, required_text, terms, FieldProblem, DESCRIPTION_MAX,
    TOWN_MAX,
};
use super::date::{
    add_days, format_date, format_date_time, format_time_of_day, parse_date, parse_local, Day,
    NaiveDateTime,
};
use super::meeting::{MatchRules, MatchRulesInput};
use super::tables::{read_table_plan, TableGroupInput, TablePlan};
use super::validation::{display_name, email, Problem};
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 150;
pub const VENUE_MAX: usize = 150;
pub const ORGANISATION_MAX: usize = 150;
pub const OFFER_MAX: usize = 600;
pub const ROUND_MINUTES: (u32, u32) = (3, 60);
pub const ROUNDS: (u32, u32) = (1, 20);
pub const TABLES: (u32, u32) = (1, 5000);
pub const SEATS: (u32, u32) = (2, 12);
pub const SERIES_MAX: usize = 80;
/// Booked meetings in a row before a free slot; 0: no limit.
pub const BREAK_AFTER: (u32, u32) = (0, 12);

crate::domain::coded::coded_enum! {
    /// How the meetings of an event come about.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub enum EventFormat {
        /// Live rounds: the console plans each round from the people in the room.
        #[default]
        Rounds = "runden",
        /// Bookable slots: participants request meetings, the other side accepts, and accepted
        /// meetings are placed into the slots (rounds × minutes) and tables.
        Slots = "termine",
    }
}

/// When slot `slot` (from 0) of an event starting at `starts_at` (`YYYY-MM-DDTHH:MM`) begins.
pub fn slot_start(starts_at: &str, minutes: u32, slot: u32) -> Option<NaiveDateTime> {
    let start = parse_local(starts_at)?;
    start.checked_add_signed(TimeDelta::minutes(i64::from(minutes) * i64::from(slot)))
}

/// [`slot_start`] as `HH:MM` (of the same day or, counted on, a later one).
pub fn slot_time(starts_at: &str, minutes: u32, slot: u32) -> Option<String> {
    slot_start(starts_at, minutes, slot).map(format_time_of_day)
}

crate::domain::coded::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum EventStatus {
        Draft = "draft",
        Open = "open",
        Live = "live",
        Finished = "finished",
    }
}

impl EventStatus {
    /// The steps an organiser may take: forward one step, or an open event back to draft.
    pub fn can_become(self, next: EventStatus) -> bool {
        use EventStatus::*;
        matches!(
            (self, next),
            (Draft, Open) | (Open, Draft) | (Open, Live) | (Live, Finished)
        )
    }
}

/// An event as the organiser's form sends it; every field is text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub venue: String,
    pub town: String,
    /// `YYYY-MM-DDTHH:MM`, as a `datetime-local` field sends it.
    pub starts_at: String,
    pub ends_at: String,
    /// Registration opens and closes on these days (inclusive); empty: from now / until the start.
    #[serde(default)]
    pub registration_opens: String,
    #[serde(default)]
    pub registration_closes: String,
    pub round_minutes: String,
    pub rounds: String,
    /// The room's tables, one row per group of alike tables; blank rows are skipped.
    #[serde(default)]
    pub tables: Vec<TableGroupInput>,
    /// The pairing rules; left out, the defaults.
    #[serde(default)]
    pub rules: MatchRulesInput,
    /// The series the event belongs to (e.g. "Innovationsfrühstück"); empty: none.
    #[serde(default)]
    pub series: String,
    /// A checkbox: an odd person sits out in turn instead of joining a meeting as a third.
    #[serde(default)]
    pub odd_sits_out: Option<String>,
    /// `runden` or `termine`; empty: live rounds.
    #[serde(default)]
    pub format: String,
    /// Booked meetings in a row before a free slot; empty: no limit.
    #[serde(default)]
    pub break_after: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub title: String,
    pub description: String,
    pub venue: String,
    pub town: String,
    pub starts_at: String,
    pub ends_at: String,
    pub registration_opens: Option<String>,
    pub registration_closes: Option<String>,
    pub round_minutes: u32,
    pub rounds: u32,
    pub tables: TablePlan,
    pub rules: MatchRules,
    pub series: String,
    pub odd_sits_out: bool,
    pub format: EventFormat,
    pub break_after: u32,
}

/// `YYYY-MM-DDTHH:MM` (seconds allowed and dropped), normalised.
pub fn parse_date_time(text: &str) -> Option<String> {
    parse_local(text).map(format_date_time)
}

fn number_in(
    field: &'static str,
    value: &str,
    (min, max): (u32, u32),
) -> Result<u32, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(problem(field, Problem::Required));
    }
    let number: u32 = value
        .parse()
        .map_err(|_| problem(field, Problem::NumberInvalid))?;
    if number < min || number > max {
        return Err(problem(
            field,
            Problem::NumberOutOfRange {
                min: min as usize,
                max: max as usize,
            },
        ));
    }
    Ok(number)
}

fn optional_day(field: &'static str, value: &str) -> Result<Option<Day>, FieldProblem> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    parse_date(value)
        .map(Some)
        .ok_or(problem(field, Problem::DateInvalid))
}

impl EventInput {
    /// Checks every field and reports every problem, in form order.
    pub fn validate(&self) -> Result<EventRecord, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut keep = |result: Result<String, FieldProblem>| match result {
            Ok(value) => value,
            Err(p) => {
                problems.push(p);
                String::new()
            }
        };
        let title = keep(required_text("title", &self.title, TITLE_MAX));
        let description = keep(optional_text(
            "description",
            &self.description,
            DESCRIPTION_MAX,
        ));
        let venue = keep(required_text("venue", &self.venue, VENUE_MAX));
        let town = keep(required_text("town", &self.town, TOWN_MAX));
        let series = keep(optional_text("series", &self.series, SERIES_MAX));
        let mut date_time = |field: &'static str, value: &str| match parse_date_time(value) {
            Some(value) => Some(value),
            None => {
                problems.push(problem(field, Problem::DateTimeInvalid));
                None
            }
        };
        let starts_at = date_time("starts_at", &self.starts_at);
        let ends_at = date_time("ends_at", &self.ends_at);
        if let (Some(start), Some(end)) = (&starts_at, &ends_at) {
            if end < start {
                problems.push(problem("ends_at", Problem::EndBeforeStart));
            }
        }
        let opens = optional_day("registration_opens", &self.registration_opens)
            .map_err(|p| problems.push(p))
            .ok()
            .flatten();
        let closes = optional_day("registration_closes", &self.registration_closes)
            .map_err(|p| problems.push(p))
            .ok()
            .flatten();
        if let (Some(opens), Some(closes)) = (opens, closes) {
            if closes < opens {
                problems.push(problem("registration_closes", Problem::EndBeforeStart));
            }
        }
        let mut number = |field, value: &str, range| {
            number_in(field, value, range)
                .map_err(|p| problems.push(p))
                .unwrap_or(0)
        };
        let round_minutes = number("round_minutes", &self.round_minutes, ROUND_MINUTES);
        let rounds = number("rounds", &self.rounds, ROUNDS);
        let break_after = if self.break_after.trim().is_empty() {
            0
        } else {
            number("break_after", &self.break_after, BREAK_AFTER)
        };
        let format = match self.format.trim() {
            "" => EventFormat::Rounds,
            code => EventFormat::from_code(code).unwrap_or_else(|| {
                problems.push(problem("format", Problem::Required));
                EventFormat::Rounds
            }),
        };
        let tables = read_table_plan(&self.tables)
            .map_err(|mut found| problems.append(&mut found))
            .ok();
        let rules = self
            .rules
            .validate()
            .map_err(|mut found| problems.append(&mut found))
            .ok();
        let (Some(tables), Some(rules), true) = (tables, rules, problems.is_empty()) else {
            return Err(problems);
        };
        Ok(EventRecord {
            title,
            description,
            venue,
            town,
            starts_at: starts_at.unwrap_or_default(),
            ends_at: ends_at.unwrap_or_default(),
            registration_opens: opens.map(format_date),
            registration_closes: closes.map(format_date),
            round_minutes,
            rounds,
            tables,
            rules,
            series,
            odd_sits_out: is_checked(self.odd_sits_out.as_deref()),
            format,
            break_after,
        })
    }
}

impl EventRecord {
    pub fn to_input(&self) -> EventInput {
        EventInput {
            title: self.title.clone(),
            description: self.description.clone(),
            venue: self.venue.clone(),
            town: self.town.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            registration_opens: self.registration_opens.clone().unwrap_or_default(),
            registration_closes: self.registration_closes.clone().unwrap_or_default(),
            round_minutes: self.round_minutes.to_string(),
            rounds: self.rounds.to_string(),
            tables: self.tables.to_input(),
            rules: self.rules.to_input(),
            series: self.series.clone(),
            odd_sits_out: self.odd_sits_out.then(|| "on".to_owned()),
            format: self.format.code().to_owned(),
            break_after: self.break_after.to_string(),
        }
    }
}

/// Registrants see each other while registration is open, during the event and for this many
/// days after it (to follow up), never before or later.
pub const REGISTRANTS_VISIBLE_DAYS: i64 = 14;
/// A personal link works until this many days after the event; then it expires with the
/// registration's retention period.
pub const LINK_RETENTION_DAYS: i64 = 90;

fn end_day(event: &EventRecord) -> Option<Day> {
    parse_date(event.ends_at.split('T').next().unwrap_or_default())
}

/// Whether registrants may see the list of the others on `today`.
pub fn registrants_visible(status: EventStatus, event: &EventRecord, today: Day) -> bool {
    match status {
        EventStatus::Draft => false,
        EventStatus::Open | EventStatus::Live => true,
        EventStatus::Finished => {
            end_day(event).is_some_and(|end| today <= add_days(end, REGISTRANTS_VISIBLE_DAYS))
        }
    }
}

/// Whether the event's personal links have expired on `today`.
pub fn link_expired(event: &EventRecord, today: Day) -> bool {
    end_day(event).is_some_and(|end| today > add_days(end, LINK_RETENTION_DAYS))
}

/// Whether registration is open on `today`: the event is open and the day lies in its window
/// (which ends on the event's day at the latest).
pub fn registration_open(status: EventStatus, event: &EventRecord, today: Day) -> bool {
    let day = |text: &Option<String>| text.as_deref().and_then(parse_date);
    let event_day = parse_date(event.starts_at.split('T').next().unwrap_or_default());
    let closes = match (day(&event.registration_closes), event_day) {
        (Some(window), Some(event)) => Some(window.min(event)),
        (window, event) => window.or(event),
    };
    status == EventStatus::Open
        && day(&event.registration_opens).is_none_or(|opens| today >= opens)
        && closes.is_none_or(|closes| today <= closes)
}

/// A registration as the public form (or the organiser at the door) sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RegistrationInput {
    pub person_name: String,
    pub email: String,
    pub organisation: String,
    pub kind: String,
    #[serde(default)]
    pub offers: String,
    #[serde(default)]
    pub seeks: String,
    #[serde(default)]
    pub topics: Vec<String>,
    /// A checkbox: my profile may be shown to the other participants of this event.
    #[serde(default)]
    pub consent: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationRecord {
    pub person_name: String,
    pub email: String,
    pub organisation: String,
    pub kind: ActorKind,
    pub offers: String,
    pub seeks: String,
    pub topics: Vec<String>,
}

impl RegistrationInput {
    /// Checks every field against the taxonomy's terms; consent is required, because a meeting
    /// shows each side to the other.
    pub fn validate(
        &self,
        known_topics: &[String],
    ) -> Result<RegistrationRecord, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let person_name = display_name(&self.person_name)
            .map_err(|p| problems.push(problem("person_name", p)))
            .unwrap_or_default();
        let email = email(&self.email)
            .map_err(|p| problems.push(problem("email", p)))
            .unwrap_or_default();
        let mut keep = |result: Result<String, FieldProblem>| {
            result.map_err(|p| problems.push(p)).unwrap_or_default()
        };
        let organisation = keep(required_text(
            "organisation",
            &self.organisation,
            ORGANISATION_MAX,
        ));
        let kind = ActorKind::from_code(self.kind.trim());
        let offers = keep(optional_text("offers", &self.offers, OFFER_MAX));
        let seeks = keep(optional_text("seeks", &self.seeks, OFFER_MAX));
        if kind.is_none() {
            problems.push(problem(
                "kind",
                if self.kind.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::KindUnknown
                },
            ));
        }
        let topics = terms("topics", &self.topics, known_topics)
            .map_err(|p| problems.push(p))
            .unwrap_or_default();
        if !is_checked(self.consent.as_deref()) {
            problems.push(problem("consent", Problem::ConsentRequired));
        }
        match kind {
            Some(kind) if problems.is_empty() => Ok(RegistrationRecord {
                person_name,
                email,
                organisation,
                kind,
                offers,
                seeks,
                topics,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrants_see_each_other_only_around_the_event() {
        let mut event = event().validate().expect("valid");
        event.ends_at = "2026-06-10T21:00".into();
        let day = |d: &str| parse_date(d).unwrap();
        assert!(!registrants_visible(
            EventStatus::Draft,
            &event,
            day("2026-06-01")
        ));
        assert!(registrants_visible(
            EventStatus::Open,
            &event,
            day("2026-06-01")
        ));
        assert!(registrants_visible(
            EventStatus::Live,
            &event,
            day("2026-06-10")
        ));
        assert!(registrants_visible(
            EventStatus::Finished,
            &event,
            day("2026-06-24")
        ));
        assert!(!registrants_visible(
            EventStatus::Finished,
            &event,
            day("2026-06-25")
        ));
        assert!(!link_expired(&event, day("2026-09-08")));
        assert!(link_expired(&event, day("2026-09-09")));
        event.ends_at = "kaputt".into();
        assert!(!link_expired(&event, day("2030-01-01")));
    }

    fn event() -> EventInput {
        EventInput {
            title: "Kickoff Kraichgau".into(),
            venue: "Rathaus".into(),
            town: "Sinsheim".into(),
            starts_at: "2026-03-20T16:00".into(),
            ends_at: "2026-03-20T20:00".into(),
            round_minutes: "8".into(),
            rounds: "6".into(),
            tables: TablePlan::uniform(20, 3).to_input(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_event_round_trips_through_its_form() {
        let record = event().validate().expect("valid");
        assert_eq!(record.starts_at, "2026-03-20T16:00");
        assert!(!record.odd_sits_out);
        assert_eq!(record.format, EventFormat::Rounds);
        assert_eq!(record.break_after, 0, "empty: no limit");
        assert_eq!(record.to_input().validate(), Ok(record));
    }

    #[test]
    fn event_problems_are_all_reported() {
        let input = EventInput {
            title: " ".into(),
            starts_at: "2026-03-20T16:00".into(),
            ends_at: "2026-03-20T15:00".into(),
            registration_opens: "2026-03-10".into(),
            registration_closes: "2026-03-01".into(),
            round_minutes: "zwei".into(),
            rounds: "99".into(),
            tables: vec![TableGroupInput {
                count: "0".into(),
                seats: "2".into(),
                ..Default::default()
            }],
            series: "x".repeat(SERIES_MAX + 1),
            ..event()
        };
        let fields: Vec<_> = input
            .validate()
            .unwrap_err()
            .iter()
            .map(|p| (p.field, p.problem))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("title", Problem::Required),
                ("series", Problem::TooLong { max: SERIES_MAX }),
                ("ends_at", Problem::EndBeforeStart),
                ("registration_closes", Problem::EndBeforeStart),
                ("round_minutes", Problem::NumberInvalid),
                ("rounds", Problem::NumberOutOfRange { min: 1, max: 20 }),
                ("tables", Problem::TableRowInvalid { row: 1 }),
            ]
        );
        assert_eq!(parse_date_time("2026-02-30T10:00"), None);
        assert_eq!(parse_date_time("2026-02-03T24:00"), None);
        assert_eq!(
            parse_date_time("2026-02-03T09:05:00").as_deref(),
            Some("2026-02-03T09:05")
        );
    }

    #[test]
    fn registration_window() {
        let record = EventInput {
            registration_opens: "2026-03-01".into(),
            ..event()
        }
        .validate()
        .unwrap();
        let day = |text| parse_date(text).unwrap();
        assert!(!registration_open(
            EventStatus::Open,
            &record,
            day("2026-02-28")
        ));
        assert!(registration_open(
            EventStatus::Open,
            &record,
            day("2026-03-01")
        ));
        assert!(
            registration_open(EventStatus::Open, &record, day("2026-03-20")),
            "on the day, at the door"
        );
        assert!(!registration_open(
            EventStatus::Open,
            &record,
            day("2026-03-21")
        ));
        assert!(!registration_open(
            EventStatus::Draft,
            &record,
            day("2026-03-05")
        ));
        let late_window = EventInput {
            registration_closes: "2026-04-30".into(),
            ..record.to_input()
        }
        .validate()
        .unwrap();
        assert!(
            !registration_open(EventStatus::Open, &late_window, day("2026-03-21")),
            "never after the event, whatever the window says"
        );
    }

    #[test]
    fn registrations_need_consent_and_known_topics() {
        let topics = vec!["ki".to_owned(), "robotik".to_owned()];
        let input = RegistrationInput {
            person_name: "Eva Roth".into(),
            email: "Eva@Example.de".into(),
            organisation: "Roth Fräsen".into(),
            kind: "mittelstand".into(),
            topics: vec!["ki".into(), "ki".into()],
            consent: Some("on".into()),
            ..Default::default()
        };
        let record = input.validate(&topics).expect("valid");
        assert_eq!(record.email, "eva@example.de");
        assert_eq!(record.topics, vec!["ki"]);
        let bad = RegistrationInput {
            kind: "konzern".into(),
            topics: vec!["astrologie".into()],
            consent: None,
            ..input
        };
        let fields: Vec<_> = bad
            .validate(&topics)
            .unwrap_err()
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, vec!["kind", "topics", "consent"]);
    }

    #[test]
    fn status_steps() {
        use EventStatus::*;
        assert!(Draft.can_become(Open) && Open.can_become(Live) && Live.can_become(Finished));
        assert!(Open.can_become(Draft));
        assert!(!Finished.can_become(Live) && !Draft.can_become(Live) && !Live.can_become(Draft));
    }

    #[test]
    fn codes_round_trip() {
        for status in EventStatus::ALL {
            assert_eq!(EventStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(EventStatus::from_code("cancelled"), None);
    }

    #[test]
    fn formats_and_slot_times() {
        for format in [EventFormat::Rounds, EventFormat::Slots] {
            assert_eq!(EventFormat::from_code(format.code()), Some(format));
        }
        assert_eq!(EventFormat::from_code("anders"), None);
        assert_eq!(
            slot_time("2026-03-12T09:30", 15, 0).as_deref(),
            Some("09:30")
        );
        assert_eq!(
            slot_time("2026-03-12T09:30", 15, 3).as_deref(),
            Some("10:15")
        );
        assert_eq!(
            slot_time("2026-03-12T23:50", 20, 1).as_deref(),
            Some("00:10")
        );
        assert_eq!(slot_time("kaputt", 15, 1), None);
    }
}
