//! What both sides need to know about a proposed 1:1 meeting: the wishes registrants express, the
//! organiser's kind preferences, and the reasons shown as "Warum dieses Treffen".

use super::actor::ActorKind;
use serde::{Deserialize, Serialize};

crate::domain::coded::coded_enum! {
    /// What one registrant wants regarding another.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Wish {
        /// Must meet: honoured before anything else where the rounds allow it.
        MustMeet = "muss",
        /// Would like to meet.
        Gern = "gern",
        /// Never pair us.
        NoThanks = "nein",
    }
}

impl Wish {
    /// Positive wishes count towards a meeting; "no thanks" forbids it.
    pub fn wants(self) -> bool {
        matches!(self, Wish::MustMeet | Wish::Gern)
    }
}

/// Points the organiser gives to a pairing of two kinds of actor (symmetric). The default puts
/// Mittelstand × Startup first, then industry × research, and gives same-kind pairs nothing.
/// Stored and sent as a map from "kind-kind" codes to points, so a new kind of actor leaves the
/// stored preferences readable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindPreferences {
    points: [[u8; 6]; 6],
}

impl KindPreferences {
    /// Above this a kind preference would outweigh everything the people themselves said.
    pub const MAX_POINTS: u8 = 60;

    pub fn none() -> KindPreferences {
        KindPreferences {
            points: [[0; 6]; 6],
        }
    }

    pub fn get(&self, a: ActorKind, b: ActorKind) -> u8 {
        self.points[a as usize][b as usize]
    }

    /// Sets the points of a pairing, both ways; values above `MAX_POINTS` are capped.
    pub fn set(&mut self, a: ActorKind, b: ActorKind, points: u8) {
        let points = points.min(Self::MAX_POINTS);
        self.points[a as usize][b as usize] = points;
        self.points[b as usize][a as usize] = points;
    }

    /// Every pairing once (each kind with itself and with every later kind), in the kinds' order.
    pub fn pairings() -> impl Iterator<Item = (ActorKind, ActorKind)> {
        ActorKind::ALL
            .into_iter()
            .enumerate()
            .flat_map(|(i, a)| ActorKind::ALL[i..].iter().map(move |&b| (a, b)))
    }

    /// The code of a pairing in forms and storage: "mittelstand-startup".
    pub fn pairing_code(a: ActorKind, b: ActorKind) -> String {
        format!("{}-{}", a.code(), b.code())
    }

    fn pairing_of(code: &str) -> Option<(ActorKind, ActorKind)> {
        let (a, b) = code.split_once('-')?;
        Some((ActorKind::from_code(a)?, ActorKind::from_code(b)?))
    }
}

impl Serialize for KindPreferences {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (a, b) in Self::pairings() {
            let points = self.get(a, b);
            if points > 0 {
                map.serialize_entry(&Self::pairing_code(a, b), &points)?;
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for KindPreferences {
    /// Unknown pairings are skipped, points above the maximum capped.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, u8>::deserialize(deserializer)?;
        let mut preferences = KindPreferences::none();
        for (code, points) in map {
            if let Some((a, b)) = Self::pairing_of(&code) {
                preferences.set(a, b, points);
            }
        }
        Ok(preferences)
    }
}

impl Default for KindPreferences {
    fn default() -> KindPreferences {
        use ActorKind::*;
        let mut preferences = KindPreferences::none();
        for (a, b, points) in [
            (Mittelstand, Startup, 40),
            (Mittelstand, Forschung, 30),
            (Startup, Forschung, 25),
            (Mittelstand, Intermediaer, 10),
            (Startup, Intermediaer, 10),
            (Startup, Coworking, 10),
            (Mittelstand, Initiative, 10),
            (Startup, Initiative, 10),
            (Forschung, Intermediaer, 5),
        ] {
            preferences.set(a, b, points);
        }
        preferences
    }
}

/// How much a part of the score counts, in percent of its usual weight: the choices of the
/// event form (does not count, half, normal, double, triple).
pub const WEIGHT_LEVELS: [u16; 5] = [0, 50, 100, 200, 300];

/// An event's own pairing rules, as the organiser sets them in the event form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchRules {
    /// Which pairings of kinds count most.
    pub kinds: KindPreferences,
    /// How strongly wishes, shared topics and offers meeting requests count (percent).
    pub wishes: u16,
    pub topics: u16,
    pub text: u16,
    /// Must-meet wishes come before everything else; off, they count like "gern".
    pub must_meets: bool,
    /// People of one organisation never meet each other.
    pub same_organisation_never: bool,
    /// People who met at an earlier event of the same series do not meet again.
    pub not_again: bool,
}

impl Default for MatchRules {
    fn default() -> MatchRules {
        MatchRules {
            kinds: KindPreferences::default(),
            wishes: 100,
            topics: 100,
            text: 100,
            must_meets: true,
            same_organisation_never: true,
            not_again: false,
        }
    }
}

impl MatchRules {
    pub fn to_input(&self) -> MatchRulesInput {
        MatchRulesInput {
            kinds: KindPreferences::pairings()
                .map(|(a, b)| {
                    (
                        KindPreferences::pairing_code(a, b),
                        self.kinds.get(a, b).to_string(),
                    )
                })
                .collect(),
            wishes: self.wishes.to_string(),
            topics: self.topics.to_string(),
            text: self.text.to_string(),
            must_meets: self.must_meets.then(|| "on".into()),
            same_organisation_never: self.same_organisation_never.then(|| "on".into()),
            not_again: self.not_again.then(|| "on".into()),
        }
    }
}

/// The rules as the event form sends them; every field is text, a checkbox absent when off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRulesInput {
    /// Points by pairing code ("mittelstand-startup"); a pairing left out keeps no points.
    #[serde(default)]
    pub kinds: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub wishes: String,
    #[serde(default)]
    pub topics: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub must_meets: Option<String>,
    #[serde(default)]
    pub same_organisation_never: Option<String>,
    #[serde(default)]
    pub not_again: Option<String>,
}

impl Default for MatchRulesInput {
    /// The default rules, as a new event's form shows them.
    fn default() -> MatchRulesInput {
        MatchRules::default().to_input()
    }
}

impl MatchRulesInput {
    /// Checks every field; problems name the field (`kinds`, `wishes`, `topics`, `text`).
    pub fn validate(&self) -> Result<MatchRules, Vec<super::actor_input::FieldProblem>> {
        use super::actor_input::{is_checked, problem};
        use super::validation::Problem;
        let mut problems = Vec::new();
        let mut kinds = KindPreferences::none();
        for (code, value) in &self.kinds {
            let pairing = KindPreferences::pairing_of(code);
            let points = value
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= KindPreferences::MAX_POINTS);
            match (pairing, points) {
                (Some((a, b)), Some(points)) => kinds.set(a, b, points),
                (None, _) => problems.push(problem("kinds", Problem::KindUnknown)),
                (Some(_), None) if value.trim().is_empty() => {}
                (Some(_), None) => problems.push(problem(
                    "kinds",
                    Problem::NumberOutOfRange {
                        min: 0,
                        max: KindPreferences::MAX_POINTS as usize,
                    },
                )),
            }
        }
        let mut weight = |field: &'static str, value: &str| -> u16 {
            match value.trim().parse::<u16>() {
                Ok(level) if WEIGHT_LEVELS.contains(&level) => level,
                _ => {
                    problems.push(problem(field, Problem::WeightUnknown));
                    100
                }
            }
        };
        let rules = MatchRules {
            kinds,
            wishes: weight("wishes", &self.wishes),
            topics: weight("topics", &self.topics),
            text: weight("text", &self.text),
            must_meets: is_checked(self.must_meets.as_deref()),
            same_organisation_never: is_checked(self.same_organisation_never.as_deref()),
            not_again: is_checked(self.not_again.as_deref()),
        };
        problems.dedup();
        if problems.is_empty() {
            Ok(rules)
        } else {
            Err(problems)
        }
    }
}

crate::domain::coded::coded_enum! {
    /// Why someone present has no meeting this round.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Rest {
        /// Their turn to sit out (odd number in the room).
        Bye = "bye",
        /// Nobody left whom they may meet (everyone met, no-thanks, same organisation).
        NoPartner = "no_partner",
        /// More meetings than seats.
        NoTable = "no_table",
    }
}

/// Which of the two people a reason is about, seen from the one the explanation is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    You,
    Partner,
}

/// One reason why two people should meet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    /// Taxonomy terms (ids) both chose.
    SharedTopics(Vec<u32>),
    /// Words from one side's offer that the other side seeks.
    Offers { by: Side, words: Vec<String> },
    /// The organiser prefers this pairing of kinds.
    Kinds(ActorKind, ActorKind),
    /// Both want to meet.
    MutualWish,
    /// One side wants to meet.
    Wished { by: Side },
}

/// Why two people must not be paired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Blocked {
    SamePerson,
    NoThanks,
    SameOrganisation,
    MetBefore,
}

/// The score of a pairing with its reasons, strongest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub points: i64,
    pub reasons: Vec<Reason>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wish_codes_round_trip() {
        for wish in Wish::ALL {
            assert_eq!(Wish::from_code(wish.code()), Some(wish));
        }
        assert_eq!(Wish::from_code("vielleicht"), None);
    }

    #[test]
    fn rules_survive_the_form_and_storage() {
        let mut rules = MatchRules {
            wishes: 200,
            topics: 0,
            must_meets: false,
            not_again: true,
            ..MatchRules::default()
        };
        rules
            .kinds
            .set(ActorKind::Forschung, ActorKind::Coworking, 7);
        assert_eq!(rules.to_input().validate(), Ok(rules.clone()));
        let stored = serde_json::to_string(&rules).unwrap();
        assert!(stored.contains("\"forschung-coworking\":7"), "{stored}");
        assert_eq!(serde_json::from_str::<MatchRules>(&stored).unwrap(), rules);
        // What an older row holds (nothing) reads as the defaults.
        assert_eq!(
            serde_json::from_str::<MatchRules>("{}").unwrap(),
            MatchRules::default()
        );
        assert_eq!(
            MatchRulesInput::default().validate(),
            Ok(MatchRules::default())
        );
        assert_eq!(KindPreferences::pairings().count(), 21);
    }

    #[test]
    fn bad_rules_are_refused_by_field() {
        let mut input = MatchRules::default().to_input();
        input.wishes = "150".into();
        input
            .kinds
            .insert("startup-mittelstand".into(), "61".into());
        input.kinds.insert("startup-rakete".into(), "5".into());
        let fields: Vec<&str> = input
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["kinds", "kinds", "wishes"]);
    }

    #[test]
    fn kind_preferences_are_symmetric_and_capped() {
        let mut preferences = KindPreferences::default();
        assert_eq!(
            preferences.get(ActorKind::Startup, ActorKind::Mittelstand),
            40
        );
        assert_eq!(
            preferences.get(ActorKind::Mittelstand, ActorKind::Mittelstand),
            0
        );
        preferences.set(ActorKind::Coworking, ActorKind::Forschung, 200);
        assert_eq!(
            preferences.get(ActorKind::Forschung, ActorKind::Coworking),
            KindPreferences::MAX_POINTS
        );
    }
}
