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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
