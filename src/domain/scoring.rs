//! How well two registrants of an event fit for a 1:1 meeting, and why: shared topics, one side
//! offering what the other seeks (free text, German stemming), the organiser's kind preferences
//! and their wishes. No-thanks, the same organisation and earlier meetings forbid a pairing.

use super::actor::ActorKind;
use super::graph::common_sorted;
use super::meeting::{Blocked, Explanation, MatchRules, Reason, Side, Wish};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};

/// Every allowed pair is worth something, so nobody sits alone while a partner is free.
pub const BASE_POINTS: i64 = 1;
pub const TOPIC_POINTS: i64 = 10;
pub const WORD_POINTS: i64 = 12;
/// Beyond this many shared topics or matching words per direction a pair gains nothing more:
/// one long wish list must not outweigh everything else.
pub const MAX_COUNTED: usize = 3;
pub const WISH_POINTS: i64 = 15;
pub const MUTUAL_WISH_POINTS: i64 = 30;

/// Words that say nothing about a topic in an offer or a request.
const STOP_WORDS: &[&str] = &[
    "ab", "aber", "alle", "als", "also", "am", "an", "and", "da", "er", "es", "so", "auch", "auf",
    "aus", "bei", "beim", "bieten", "biete", "bis", "das", "dass", "dem", "den", "der", "des",
    "die", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "for", "für", "gern",
    "gerne", "gibt", "haben", "ihr", "im", "in", "ist", "mit", "nach", "neue", "neuen", "oder",
    "of", "our", "sich", "sie", "sind", "suche", "suchen", "the", "to", "über", "um", "und", "uns",
    "unser", "unsere", "unseren", "von", "vor", "we", "wie", "wir", "with", "zu", "zum", "zur",
];

/// One registrant as the scoring sees them. Topics and words are sorted ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// The organisation, interned by normalised name; 0 when unknown (then never "the same").
    pub organisation: u32,
    pub kind: Option<ActorKind>,
    pub topics: Vec<u32>,
    pub offers: Vec<u32>,
    pub seeks: Vec<u32>,
}

/// Turns free text into sorted word-stem ids, remembering a readable word for every stem.
pub struct TextIndex {
    stemmer: Stemmer,
    ids: HashMap<String, u32>,
    words: Vec<String>,
}

impl Default for TextIndex {
    fn default() -> TextIndex {
        TextIndex {
            stemmer: Stemmer::create(Algorithm::German),
            ids: HashMap::new(),
            words: Vec::new(),
        }
    }
}

impl std::fmt::Debug for TextIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextIndex")
            .field("words", &self.words)
            .finish()
    }
}

impl TextIndex {
    pub fn stems(&mut self, text: &str) -> Vec<u32> {
        let mut ids: Vec<u32> = text
            .split(|c: char| !c.is_alphanumeric())
            // Two letters stay: "KI" and "IT" are topics; short filler is in the stop words.
            .filter(|word| word.chars().count() >= 2)
            .filter_map(|word| {
                let lower = word.to_lowercase();
                if STOP_WORDS.contains(&lower.as_str()) {
                    return None;
                }
                let stem = self.stemmer.stem(&lower).into_owned();
                let next = self.words.len() as u32;
                let id = *self.ids.entry(stem).or_insert(next);
                if id == next {
                    self.words.push(lower);
                }
                Some(id)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    pub fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }
}

pub use super::organisation::organisation_key;

/// What two profiles share, seen from the first: topics, words the first offers that the second
/// seeks, and words the first seeks that the second offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Overlap {
    pub topics: usize,
    pub offered: usize,
    pub sought: usize,
}

/// Everyone who may be paired at an event, with their wishes and who has met whom.
#[derive(Debug)]
pub struct Pool {
    pub profiles: Vec<Profile>,
    pub rules: MatchRules,
    pub text: TextIndex,
    organisations: HashMap<String, u32>,
    wishes: HashMap<(u32, u32), Wish>,
    met: HashSet<(u32, u32)>,
}

/// `points` at `percent` of their usual weight.
fn weighted(points: i64, percent: u16) -> i64 {
    points * i64::from(percent) / 100
}

fn pair(a: u32, b: u32) -> (u32, u32) {
    (a.min(b), a.max(b))
}

fn common(a: &[u32], b: &[u32]) -> Vec<u32> {
    common_sorted(a, b).collect()
}

/// Shared entries, counted up to `MAX_COUNTED`.
fn common_count(a: &[u32], b: &[u32]) -> usize {
    common_sorted(a, b).take(MAX_COUNTED).count()
}

impl Pool {
    pub fn new(rules: MatchRules) -> Pool {
        Pool {
            profiles: Vec::new(),
            rules,
            text: TextIndex::default(),
            organisations: HashMap::new(),
            wishes: HashMap::new(),
            met: HashSet::new(),
        }
    }

    /// Adds a registrant; returns their index in the pool.
    pub fn add(
        &mut self,
        organisation: &str,
        kind: Option<ActorKind>,
        mut topics: Vec<u32>,
        offers: &str,
        seeks: &str,
    ) -> u32 {
        topics.sort_unstable();
        topics.dedup();
        let key = organisation_key(organisation);
        let next = self.organisations.len() as u32 + 1;
        let organisation = if key.is_empty() {
            0
        } else {
            *self.organisations.entry(key).or_insert(next)
        };
        let profile = Profile {
            organisation,
            kind,
            topics,
            offers: self.text.stems(offers),
            seeks: self.text.stems(seeks),
        };
        self.profiles.push(profile);
        (self.profiles.len() - 1) as u32
    }

    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    pub fn wish(&mut self, from: u32, to: u32, wish: Wish) {
        self.wishes.insert((from, to), wish);
    }

    pub fn wish_of(&self, from: u32, to: u32) -> Option<Wish> {
        self.wishes.get(&(from, to)).copied()
    }

    /// Records that two people have met (in an earlier round or at a booked slot).
    pub fn record_meeting(&mut self, a: u32, b: u32) {
        self.met.insert(pair(a, b));
    }

    pub fn forget_meeting(&mut self, a: u32, b: u32) {
        self.met.remove(&pair(a, b));
    }

    pub fn have_met(&self, a: u32, b: u32) -> bool {
        self.met.contains(&pair(a, b))
    }

    /// At least one side must meet the other: the rounds honour this first.
    /// A must-meet wish on either side, where the event's rules honour must-meets.
    pub fn must_meet(&self, a: u32, b: u32) -> bool {
        self.rules.must_meets
            && (self.wish_of(a, b) == Some(Wish::MustMeet)
                || self.wish_of(b, a) == Some(Wish::MustMeet))
    }

    pub fn blocked(&self, a: u32, b: u32) -> Option<Blocked> {
        let (pa, pb) = (&self.profiles[a as usize], &self.profiles[b as usize]);
        if a == b {
            Some(Blocked::SamePerson)
        } else if self.wish_of(a, b) == Some(Wish::NoThanks)
            || self.wish_of(b, a) == Some(Wish::NoThanks)
        {
            Some(Blocked::NoThanks)
        } else if self.same_organisation(pa, pb) {
            Some(Blocked::SameOrganisation)
        } else if self.have_met(a, b) {
            Some(Blocked::MetBefore)
        } else {
            None
        }
    }

    fn wish_points(&self, a: u32, b: u32) -> i64 {
        let (ab, ba) = (
            self.wish_of(a, b).is_some_and(Wish::wants),
            self.wish_of(b, a).is_some_and(Wish::wants),
        );
        weighted(
            WISH_POINTS * (ab as i64 + ba as i64) + if ab && ba { MUTUAL_WISH_POINTS } else { 0 },
            self.rules.wishes,
        )
    }

    fn kind_points(&self, a: &Profile, b: &Profile) -> i64 {
        match (a.kind, b.kind) {
            (Some(x), Some(y)) => self.rules.kinds.get(x, y) as i64,
            _ => 0,
        }
    }

    /// The points of a pairing, or `None` when it is not allowed.
    /// Both from one known organisation, where the event's rules keep such people apart.
    fn same_organisation(&self, a: &Profile, b: &Profile) -> bool {
        self.rules.same_organisation_never
            && a.organisation != 0
            && a.organisation == b.organisation
    }

    pub fn score(&self, a: u32, b: u32) -> Option<i64> {
        if self.blocked(a, b).is_some() {
            return None;
        }
        Some(self.affinity(a, b)? + self.wish_points(a, b))
    }

    /// What two people's profiles alone say: the score of a pair without wishes or a meeting
    /// between them, `None` for the same person or organisation. Rounds call this for every pair
    /// in the room, so it only counts and never hashes; `explain` says what was counted.
    pub fn affinity(&self, a: u32, b: u32) -> Option<i64> {
        let (pa, pb) = (&self.profiles[a as usize], &self.profiles[b as usize]);
        let overlap = Overlap {
            topics: common_count(&pa.topics, &pb.topics),
            offered: common_count(&pa.offers, &pb.seeks),
            sought: common_count(&pb.offers, &pa.seeks),
        };
        self.affinity_of(a, b, overlap)
    }

    /// `affinity` from an overlap counted elsewhere (a round's index counts it for a whole row
    /// at once); counts above `MAX_COUNTED` are capped here.
    pub fn affinity_of(&self, a: u32, b: u32, overlap: Overlap) -> Option<i64> {
        let (pa, pb) = (&self.profiles[a as usize], &self.profiles[b as usize]);
        if a == b || self.same_organisation(pa, pb) {
            return None;
        }
        let counted = |n: usize| n.min(MAX_COUNTED) as i64;
        Some(
            BASE_POINTS
                + weighted(TOPIC_POINTS * counted(overlap.topics), self.rules.topics)
                + weighted(
                    WORD_POINTS * (counted(overlap.offered) + counted(overlap.sought)),
                    self.rules.text,
                )
                + self.kind_points(pa, pb),
        )
    }

    /// For every person, the sorted others they have a wish or a meeting with (either way): the
    /// only pairs whose score is not their `affinity`.
    pub fn related(&self) -> Vec<Vec<u32>> {
        let n = self.profiles.len();
        let mut lists = vec![Vec::new(); n];
        for &(a, b) in self.wishes.keys().chain(&self.met) {
            if (a as usize) < n && (b as usize) < n {
                lists[a as usize].push(b);
                lists[b as usize].push(a);
            }
        }
        for list in &mut lists {
            list.sort_unstable();
            list.dedup();
        }
        lists
    }

    /// The score of a pairing with its reasons, seen from `you`; why not, when it is forbidden.
    pub fn explain(&self, you: u32, partner: u32) -> Result<Explanation, Blocked> {
        if let Some(blocked) = self.blocked(you, partner) {
            return Err(blocked);
        }
        let (py, pp) = (
            &self.profiles[you as usize],
            &self.profiles[partner as usize],
        );
        let mut reasons = Vec::new();
        if self.wish_of(you, partner).is_some_and(Wish::wants)
            && self.wish_of(partner, you).is_some_and(Wish::wants)
        {
            reasons.push(Reason::MutualWish);
        } else if self.wish_of(you, partner).is_some_and(Wish::wants) {
            reasons.push(Reason::Wished { by: Side::You });
        } else if self.wish_of(partner, you).is_some_and(Wish::wants) {
            reasons.push(Reason::Wished { by: Side::Partner });
        }
        let words = |ids: Vec<u32>| -> Vec<String> {
            ids.into_iter()
                .take(MAX_COUNTED)
                .map(|id| self.text.word(id).to_owned())
                .collect()
        };
        for (by, offers, seeks) in [
            (Side::Partner, &pp.offers, &py.seeks),
            (Side::You, &py.offers, &pp.seeks),
        ] {
            let matched = common(offers, seeks);
            if !matched.is_empty() {
                reasons.push(Reason::Offers {
                    by,
                    words: words(matched),
                });
            }
        }
        let topics = common(&py.topics, &pp.topics);
        if !topics.is_empty() {
            reasons.push(Reason::SharedTopics(
                topics.into_iter().take(MAX_COUNTED).collect(),
            ));
        }
        if let (Some(x), Some(y)) = (py.kind, pp.kind) {
            if self.rules.kinds.get(x, y) > 0 {
                reasons.push(Reason::Kinds(x, y));
            }
        }
        Ok(Explanation {
            points: self.score(you, partner).unwrap_or_default(),
            reasons,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pool() -> Pool {
        let mut pool = Pool::new(MatchRules::default());
        pool.add(
            "Müller Fräsen GmbH",
            Some(ActorKind::Mittelstand),
            vec![1, 2],
            "Fertigung, Prüfstände",
            "Wir suchen Sensorik und künstliche Intelligenz",
        );
        pool.add(
            "SenseAI",
            Some(ActorKind::Startup),
            vec![2, 3],
            "Sensoren und KI für die Qualitätsprüfung",
            "Pilotkunden in der Fertigung",
        );
        pool.add(
            "müller fräsen  gmbh",
            Some(ActorKind::Mittelstand),
            vec![1],
            "",
            "",
        );
        pool.add("KIT", Some(ActorKind::Forschung), vec![], "", "");
        pool
    }

    #[test]
    fn offers_meeting_requests_score_through_stems() {
        let pool = pool();
        // Müller offers "Fertigung", which SenseAI seeks.
        let explanation = pool.explain(0, 1).expect("allowed");
        assert!(explanation.reasons.contains(&Reason::Offers {
            by: Side::You,
            words: vec!["fertigung".into()]
        }));
        assert!(explanation.reasons.contains(&Reason::SharedTopics(vec![2])));
        assert!(explanation
            .reasons
            .contains(&Reason::Kinds(ActorKind::Mittelstand, ActorKind::Startup)));
        assert_eq!(Some(explanation.points), pool.score(0, 1));
        assert_eq!(pool.score(0, 1), pool.score(1, 0));
    }

    #[test]
    fn same_organisation_no_thanks_and_repeats_are_blocked() {
        let mut pool = pool();
        assert_eq!(pool.blocked(0, 2), Some(Blocked::SameOrganisation));
        assert_eq!(pool.score(0, 2), None);
        assert_eq!(pool.blocked(0, 0), Some(Blocked::SamePerson));
        pool.wish(3, 1, Wish::NoThanks);
        assert_eq!(pool.explain(1, 3), Err(Blocked::NoThanks));
        pool.record_meeting(3, 0);
        assert_eq!(pool.blocked(0, 3), Some(Blocked::MetBefore));
    }

    #[test]
    fn mutual_wishes_count_more_than_one_sided_ones() {
        let mut pool = pool();
        let plain = pool.score(1, 3).expect("allowed");
        pool.wish(1, 3, Wish::Gern);
        let one = pool.score(1, 3).expect("allowed");
        pool.wish(3, 1, Wish::MustMeet);
        let both = pool.score(1, 3).expect("allowed");
        assert_eq!(one - plain, WISH_POINTS);
        assert_eq!(both - one, WISH_POINTS + MUTUAL_WISH_POINTS);
        assert!(pool.must_meet(1, 3));
        assert_eq!(pool.explain(3, 1).unwrap().reasons[0], Reason::MutualWish);
    }

    #[test]
    fn the_events_rules_weigh_and_allow() {
        let people = |rules: MatchRules| {
            let mut pool = Pool::new(rules);
            pool.add(
                "Fräsen",
                Some(ActorKind::Mittelstand),
                vec![1],
                "Robotik",
                "",
            );
            pool.add("SenseAI", Some(ActorKind::Startup), vec![1], "", "Robotik");
            pool.add("Fräsen", Some(ActorKind::Mittelstand), vec![], "", "");
            pool
        };
        let base = people(MatchRules::default());
        assert_eq!(base.score(0, 1), Some(BASE_POINTS + 10 + 12 + 40));
        assert_eq!(base.score(0, 2), None, "colleagues never meet by default");
        let mut rules = MatchRules {
            topics: 0,
            text: 200,
            wishes: 50,
            same_organisation_never: false,
            must_meets: false,
            ..MatchRules::default()
        };
        rules
            .kinds
            .set(ActorKind::Mittelstand, ActorKind::Startup, 0);
        let mut ruled = people(rules);
        assert_eq!(ruled.score(0, 1), Some(BASE_POINTS + 24));
        assert!(
            ruled.score(0, 2).is_some(),
            "the organiser allows colleagues"
        );
        ruled.wish(1, 0, Wish::MustMeet);
        assert!(
            !ruled.must_meet(1, 0),
            "must-meets are off: it counts like gern"
        );
        assert_eq!(ruled.score(0, 1), Some(BASE_POINTS + 24 + WISH_POINTS / 2));
    }

    #[test]
    fn stop_words_and_short_words_are_ignored() {
        let mut text = TextIndex::default();
        assert!(text.stems("Wir suchen und bieten in an zu").is_empty());
        let ids = text.stems("Kunststoffe, Kunststoff; KI");
        assert_eq!(ids.len(), 2, "one stem for both forms, and KI");
        assert_eq!(text.word(ids[0]), "kunststoffe");
    }

    proptest! {
        #[test]
        fn score_is_symmetric_and_positive_when_allowed(
            topics in proptest::collection::vec(proptest::collection::vec(0u32..6, 0..4), 2),
            kinds in proptest::collection::vec(0usize..6, 2),
            wishes in proptest::collection::vec(proptest::option::of(0usize..3), 2),
            met in any::<bool>(),
        ) {
            let mut pool = Pool::new(MatchRules::default());
            for i in 0..2 {
                pool.add(&format!("org {i}"), Some(ActorKind::ALL[kinds[i]]), topics[i].clone(), "Robotik", "Robotik");
            }
            for (from, wish) in wishes.iter().enumerate() {
                if let Some(w) = wish {
                    pool.wish(from as u32, 1 - from as u32, Wish::ALL[*w]);
                }
            }
            if met {
                pool.record_meeting(0, 1);
            }
            prop_assert_eq!(pool.score(0, 1), pool.score(1, 0));
            match pool.score(0, 1) {
                Some(points) => prop_assert!(points >= BASE_POINTS),
                None => prop_assert!(met || wishes.contains(&Some(2))),
            }
        }
    }
}
