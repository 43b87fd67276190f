//! What people type about actors and connections (forms, proposals, CSV rows) and the rules it
//! must meet before it reaches the database. Every field is text here, as it arrives; the
//! validated records carry proper types.

use super::actor::{position_in_range, ActorKind, ConnectionKind, Region};
use super::date::{parse_date, Day};
use super::validation::{email, Problem};
use serde::{Deserialize, Serialize};

pub const ACTOR_NAME_MAX: usize = 120;
pub const TOWN_MAX: usize = 80;
pub const DESCRIPTION_MAX: usize = 2000;
pub const URL_MAX: usize = 300;
pub const NOTE_MAX: usize = 500;
pub const FOUNDED_MIN: i32 = 1000;

/// Employee bands as in the EU SME definition, plus the large research institutions.
pub const SIZE_BANDS: [&str; 5] = ["1-9", "10-49", "50-249", "250-999", "1000+"];

/// A problem with one named field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub problem: Problem,
}

pub(crate) fn problem(field: &'static str, problem: Problem) -> FieldProblem {
    FieldProblem { field, problem }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActorInput {
    pub name: String,
    pub kind: String,
    pub town: String,
    pub lat: String,
    pub lon: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub founded_year: String,
    #[serde(default)]
    pub size_band: String,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub technologies: Vec<String>,
    #[serde(default)]
    pub logo_url: String,
    #[serde(default)]
    pub contact_email: String,
    /// A checkbox: present ("on", "1", "ja") when the organisation agreed to be shown publicly.
    #[serde(default)]
    pub is_public: Option<String>,
    /// A checkbox: the contact address may be shown on the public profile.
    #[serde(default)]
    pub contact_public: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActorRecord {
    pub name: String,
    pub kind: ActorKind,
    pub town: String,
    pub lat: f64,
    pub lon: f64,
    pub website: Option<String>,
    pub description: String,
    pub founded_year: Option<i32>,
    pub size_band: Option<String>,
    pub sectors: Vec<String>,
    pub technologies: Vec<String>,
    pub logo_url: Option<String>,
    pub contact_email: Option<String>,
    pub is_public: bool,
    pub contact_public: bool,
}

impl ActorRecord {
    /// An actor with a name, kind and place and nothing else yet: not public, no contact.
    pub fn placed(name: String, kind: ActorKind, town: String, lat: f64, lon: f64) -> ActorRecord {
        ActorRecord {
            name,
            kind,
            town,
            lat,
            lon,
            website: None,
            description: String::new(),
            founded_year: None,
            size_band: None,
            sectors: Vec::new(),
            technologies: Vec::new(),
            logo_url: None,
            contact_email: None,
            is_public: false,
            contact_public: false,
        }
    }
}

/// The vocabularies an actor may be tagged with, and the current year for plausibility checks.
pub struct ActorRules<'a> {
    pub sectors: &'a [String],
    pub technologies: &'a [String],
    pub this_year: i32,
    /// Where the platform's actors lie.
    pub region: Region,
}

/// Reads a checkbox or a CSV yes/no cell.
pub fn is_checked(value: Option<&str>) -> bool {
    matches!(
        value.map(|v| v.trim().to_lowercase()).as_deref(),
        Some("on" | "1" | "ja" | "yes" | "true" | "x")
    )
}

pub(crate) fn required_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<String, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(problem(field, Problem::Required));
    }
    optional_text(field, value, max)
}

pub(crate) fn optional_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<String, FieldProblem> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(problem(field, Problem::TooLong { max }));
    }
    // Line breaks are fine in descriptions; other control characters never are.
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(problem(field, Problem::Unreadable));
    }
    Ok(value.to_owned())
}

/// A coordinate with a decimal point or a German decimal comma.
fn coordinate(field: &'static str, value: &str) -> Result<f64, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(problem(field, Problem::Required));
    }
    value
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or(problem(field, Problem::NumberInvalid))
}

/// An absolute http(s) address without spaces; anything else (`javascript:`, relative paths)
/// would be a risk or a dead link on a public profile.
pub fn web_address(value: &str) -> Result<Option<String>, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > URL_MAX {
        return Err(Problem::TooLong { max: URL_MAX });
    }
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or(Problem::UrlInvalid)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if host_ok && !value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(Some(value.to_owned()))
    } else {
        Err(Problem::UrlInvalid)
    }
}

pub(crate) fn terms(
    field: &'static str,
    values: &[String],
    known: &[String],
) -> Result<Vec<String>, FieldProblem> {
    let mut chosen: Vec<String> = values
        .iter()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    chosen.sort();
    chosen.dedup();
    if chosen.iter().any(|term| !known.contains(term)) {
        return Err(problem(field, Problem::TermUnknown));
    }
    Ok(chosen)
}

impl ActorInput {
    /// Checks every field and reports every problem, in form order.
    pub fn validate(&self, rules: &ActorRules) -> Result<ActorRecord, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut check = |result: Result<(), FieldProblem>| {
            if let Err(p) = result {
                problems.push(p);
            }
        };
        let mut record = ActorRecord {
            is_public: is_checked(self.is_public.as_deref()),
            contact_public: is_checked(self.contact_public.as_deref()),
            ..ActorRecord::placed(
                String::new(),
                ActorKind::Mittelstand,
                String::new(),
                0.0,
                0.0,
            )
        };
        check(required_text("name", &self.name, ACTOR_NAME_MAX).map(|v| record.name = v));
        check(match ActorKind::from_code(self.kind.trim()) {
            Some(kind) => {
                record.kind = kind;
                Ok(())
            }
            None if self.kind.trim().is_empty() => Err(problem("kind", Problem::Required)),
            None => Err(problem("kind", Problem::KindUnknown)),
        });
        check(required_text("town", &self.town, TOWN_MAX).map(|v| record.town = v));
        match (coordinate("lat", &self.lat), coordinate("lon", &self.lon)) {
            (Ok(lat), Ok(lon))
                if position_in_range(lat, lon) && rules.region.contains(lat, lon) =>
            {
                record.lat = lat;
                record.lon = lon;
            }
            (Ok(lat), Ok(lon)) if rules.region.contains(lon, lat) => {
                check(Err(problem("lat", Problem::CoordinatesSwapped)))
            }
            (Ok(lat), Ok(lon)) if position_in_range(lat, lon) => {
                check(Err(problem("lat", Problem::OutsideRegion)))
            }
            (Ok(_), Ok(_)) => check(Err(problem("lat", Problem::CoordinatesOutOfRange))),
            (lat, lon) => {
                check(lat.map(drop));
                check(lon.map(drop));
            }
        }
        check(
            web_address(&self.website)
                .map(|v| record.website = v)
                .map_err(|p| problem("website", p)),
        );
        check(
            optional_text("description", &self.description, DESCRIPTION_MAX)
                .map(|v| record.description = v),
        );
        let year = self.founded_year.trim();
        if !year.is_empty() {
            check(match year.parse::<i32>() {
                Ok(y) if (FOUNDED_MIN..=rules.this_year).contains(&y) => {
                    record.founded_year = Some(y);
                    Ok(())
                }
                Ok(_) => Err(problem(
                    "founded_year",
                    Problem::YearOutOfRange {
                        max: rules.this_year as usize,
                    },
                )),
                Err(_) => Err(problem("founded_year", Problem::NumberInvalid)),
            });
        }
        let band = self.size_band.trim();
        if !band.is_empty() {
            check(match SIZE_BANDS.iter().find(|b| **b == band) {
                Some(b) => {
                    record.size_band = Some((*b).to_owned());
                    Ok(())
                }
                None => Err(problem("size_band", Problem::SizeBandUnknown)),
            });
        }
        check(terms("sectors", &self.sectors, rules.sectors).map(|v| record.sectors = v));
        check(
            terms("technologies", &self.technologies, rules.technologies)
                .map(|v| record.technologies = v),
        );
        check(
            web_address(&self.logo_url)
                .map(|v| record.logo_url = v)
                .map_err(|p| problem("logo_url", p)),
        );
        if !self.contact_email.trim().is_empty() {
            check(
                email(&self.contact_email)
                    .map(|v| record.contact_email = Some(v))
                    .map_err(|p| problem("contact_email", p)),
            );
        }
        if record.contact_public && (!record.is_public || self.contact_email.trim().is_empty()) {
            check(Err(problem("contact_public", Problem::ConsentMissing)));
        }
        if problems.is_empty() {
            Ok(record)
        } else {
            Err(problems)
        }
    }
}

impl ActorRecord {
    /// The form input that produces this record again (for editing and proposals).
    pub fn to_input(&self) -> ActorInput {
        let flag = |on: bool| on.then(|| "on".to_owned());
        ActorInput {
            name: self.name.clone(),
            kind: self.kind.code().to_owned(),
            town: self.town.clone(),
            lat: self.lat.to_string(),
            lon: self.lon.to_string(),
            website: self.website.clone().unwrap_or_default(),
            description: self.description.clone(),
            founded_year: self.founded_year.map(|y| y.to_string()).unwrap_or_default(),
            size_band: self.size_band.clone().unwrap_or_default(),
            sectors: self.sectors.clone(),
            technologies: self.technologies.clone(),
            logo_url: self.logo_url.clone().unwrap_or_default(),
            contact_email: self.contact_email.clone().unwrap_or_default(),
            is_public: flag(self.is_public),
            contact_public: flag(self.contact_public),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectionInput {
    /// Slugs of the two actors.
    pub source: String,
    pub target: String,
    pub kind: String,
    pub started_on: String,
    #[serde(default)]
    pub ended_on: String,
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionRecord {
    pub source: String,
    pub target: String,
    pub kind: ConnectionKind,
    pub start: Day,
    pub end: Option<Day>,
    pub origin: Option<String>,
    pub note: Option<String>,
}

impl ConnectionInput {
    /// Checks the fields; whether both actors exist is the caller's question.
    pub fn validate(&self) -> Result<ConnectionRecord, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let source = self.source.trim().to_owned();
        let target = self.target.trim().to_owned();
        if source.is_empty() {
            problems.push(problem("source", Problem::Required));
        }
        if target.is_empty() {
            problems.push(problem("target", Problem::Required));
        } else if source == target {
            problems.push(problem("target", Problem::SameActor));
        }
        let kind = ConnectionKind::from_code(self.kind.trim());
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
        let start = parse_date(&self.started_on);
        if start.is_none() {
            problems.push(problem(
                "started_on",
                if self.started_on.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::DateInvalid
                },
            ));
        }
        let end = if self.ended_on.trim().is_empty() {
            None
        } else {
            match parse_date(&self.ended_on) {
                Some(end) if start.is_some_and(|s| end < s) => {
                    problems.push(problem("ended_on", Problem::EndBeforeStart));
                    None
                }
                Some(end) => Some(end),
                None => {
                    problems.push(problem("ended_on", Problem::DateInvalid));
                    None
                }
            }
        };
        let optional = |field, value: &str, problems: &mut Vec<FieldProblem>| match optional_text(
            field, value, NOTE_MAX,
        ) {
            Ok(v) if v.is_empty() => None,
            Ok(v) => Some(v),
            Err(p) => {
                problems.push(p);
                None
            }
        };
        let origin = optional("origin", &self.origin, &mut problems);
        let note = optional("note", &self.note, &mut problems);
        match (kind, start) {
            (Some(kind), Some(start)) if problems.is_empty() => Ok(ConnectionRecord {
                source,
                target,
                kind,
                start,
                end,
                origin,
                note,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rules() -> (Vec<String>, Vec<String>) {
        (
            vec!["produktion".into(), "energie".into()],
            vec!["ki".into()],
        )
    }

    fn valid_input() -> ActorInput {
        ActorInput {
            name: "  Kraichgau Sensorik GmbH ".into(),
            kind: "startup".into(),
            town: "Sinsheim".into(),
            lat: "49,2527".into(),
            lon: "8.8796".into(),
            website: "https://sensorik.example".into(),
            founded_year: "2019".into(),
            size_band: "10-49".into(),
            sectors: vec!["energie".into(), "produktion".into(), "energie".into()],
            technologies: vec!["ki".into()],
            is_public: Some("on".into()),
            ..ActorInput::default()
        }
    }

    fn validate(input: &ActorInput) -> Result<ActorRecord, Vec<FieldProblem>> {
        let (sectors, technologies) = rules();
        input.validate(&ActorRules {
            sectors: &sectors,
            technologies: &technologies,
            this_year: 2026,
            region: Region::GERMANY,
        })
    }

    #[test]
    fn zero_and_swapped_positions_are_refused_with_their_reason() {
        let at = |lat: &str, lon: &str| {
            validate(&ActorInput {
                lat: lat.into(),
                lon: lon.into(),
                ..valid_input()
            })
            .unwrap_err()[0]
                .problem
        };
        assert_eq!(at("0", "0"), Problem::OutsideRegion);
        assert_eq!(at("8,88", "49,25"), Problem::CoordinatesSwapped);
        assert_eq!(at("48,85", "2,35"), Problem::OutsideRegion, "Paris");
        assert_eq!(at("95", "8"), Problem::CoordinatesOutOfRange);
    }

    #[test]
    fn a_valid_actor_is_normalised() {
        let record = validate(&valid_input()).unwrap();
        assert_eq!(record.name, "Kraichgau Sensorik GmbH");
        assert_eq!((record.lat, record.lon), (49.2527, 8.8796));
        assert_eq!(record.sectors, vec!["energie", "produktion"]);
        assert!(record.is_public && !record.contact_public);
        assert_eq!(validate(&record.to_input()).unwrap(), record);
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let input = ActorInput {
            name: " ".into(),
            kind: "konzern".into(),
            lat: "91".into(),
            lon: "8".into(),
            website: "javascript:alert(1)".into(),
            founded_year: "2099".into(),
            size_band: "viele".into(),
            sectors: vec!["raumfahrt".into()],
            contact_email: "kein-mail".into(),
            contact_public: Some("on".into()),
            ..ActorInput::default()
        };
        let fields: Vec<&str> = validate(&input)
            .unwrap_err()
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "name",
                "kind",
                "town",
                "lat",
                "website",
                "founded_year",
                "size_band",
                "sectors",
                "contact_email",
                "contact_public"
            ]
        );
    }

    #[test]
    fn web_addresses() {
        assert_eq!(web_address(""), Ok(None));
        assert_eq!(
            web_address(" https://www.kit.edu/ "),
            Ok(Some("https://www.kit.edu/".into()))
        );
        for bad in [
            "www.kit.edu",
            "javascript:alert(1)",
            "https://",
            "https://kit",
            "http://a b.de",
            "ftp://kit.edu",
            "https://.de",
        ] {
            assert_eq!(web_address(bad), Err(Problem::UrlInvalid), "{bad}");
        }
    }

    #[test]
    fn connections() {
        let input = ConnectionInput {
            source: "kit".into(),
            target: "sensorik".into(),
            kind: "tandem".into(),
            started_on: "2024-05-01".into(),
            ended_on: "2025-04-30".into(),
            origin: "Kickoff 2024".into(),
            note: String::new(),
        };
        let record = input.validate().unwrap();
        assert_eq!(record.origin.as_deref(), Some("Kickoff 2024"));
        assert_eq!(record.note, None);

        let bad = ConnectionInput {
            target: "kit".into(),
            kind: "freundschaft".into(),
            started_on: "2024-05-01".into(),
            ended_on: "2023-01-01".into(),
            ..input.clone()
        };
        let problems: Vec<(&str, Problem)> = bad
            .validate()
            .unwrap_err()
            .iter()
            .map(|p| (p.field, p.problem))
            .collect();
        assert_eq!(
            problems,
            vec![
                ("target", Problem::SameActor),
                ("kind", Problem::KindUnknown),
                ("ended_on", Problem::EndBeforeStart)
            ]
        );
        let no_date = ConnectionInput {
            started_on: "31.02.2024".into(),
            ..input
        };
        assert_eq!(
            no_date.validate().unwrap_err()[0].problem,
            Problem::DateInvalid
        );
    }

    proptest! {
        #[test]
        fn coordinates_in_range_are_accepted_and_others_refused(lat in -100.0f64..100.0, lon in -200.0f64..200.0, comma in any::<bool>()) {
            let format = |v: f64| if comma { v.to_string().replace('.', ",") } else { v.to_string() };
            let input = ActorInput { lat: format(lat), lon: format(lon), ..valid_input() };
            let result = validate(&input);
            prop_assert_eq!(result.is_ok(), position_in_range(lat, lon) && Region::GERMANY.contains(lat, lon));
        }

        #[test]
        fn positions_in_the_region_are_accepted_and_swapped_ones_named(lat in 47.2f64..55.1, lon in 5.8f64..15.1) {
            let input = ActorInput { lat: lat.to_string(), lon: lon.to_string(), ..valid_input() };
            prop_assert!(validate(&input).is_ok());
            let swapped = ActorInput { lat: lon.to_string(), lon: lat.to_string(), ..valid_input() };
            prop_assert_eq!(validate(&swapped).unwrap_err()[0].problem, Problem::CoordinatesSwapped);
        }

        #[test]
        fn arbitrary_text_never_panics(name in "\\PC{0,200}", website in "\\PC{0,40}", year in "\\PC{0,6}") {
            let input = ActorInput { name, website, founded_year: year, ..valid_input() };
            if let Ok(record) = validate(&input) {
                prop_assert!(record.name.chars().count() <= ACTOR_NAME_MAX);
                prop_assert!(!record.name.is_empty());
            }
        }
    }
}
