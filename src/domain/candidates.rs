//! The pairs a round chooses among: each person's best partners by score, and every must-meet.
//! Scoring all pairs of a room of thousands costs more than the matching itself, so each
//! person's row is counted through an index of topics and words: only the people who share
//! something with them are scored one by one; everyone else scores by kind alone, and of those
//! only the first few of each kind can make the cut. Pure and deterministic.

use super::scoring::{Overlap, Pool};
use std::collections::HashMap;

/// A must-meet outweighs any sum of ordinary scores (at most about 550 per pair) and of the bye
/// seat's preferences a round can have, for rooms up to ten thousand people, and stays small
/// enough for the matching to count exactly in 64 bits when many people have one. The
/// matching first seats as many people as possible (maximum cardinality), and among those
/// matchings it honours as many must-meets as it can before it looks at anything else: "where
/// feasible".
pub const MUST_MEET_BONUS: i64 = 100_000_000_000;

/// How many of each person's best partners the round considers. Keeping the best candidates per
/// person keeps a round for thousands of people under a second while losing almost nothing (see
/// BENCHMARKS.md).
pub const CANDIDATES_PER_PERSON: usize = 30;

/// The matching weight of an allowed pair: its score, plus the bonus for a must-meet. `related`
/// pairs (a wish or a meeting between them) go through the full score; all others are what
/// their profiles say.
fn weight(pool: &Pool, a: u32, b: u32, related: bool, overlap: Option<Overlap>) -> Option<i64> {
    if related {
        let bonus = if pool.must_meet(a, b) {
            MUST_MEET_BONUS
        } else {
            0
        };
        pool.score(a, b).map(|points| points + bonus)
    } else {
        match overlap {
            Some(overlap) => pool.affinity_of(a, b, overlap),
            None => pool.affinity(a, b),
        }
    }
    .filter(|&w| w >= 0)
}

/// The allowed pairs among `people` with their matching weights: every pair when `keep` is
/// `None`, else each person's `keep` best partners (ties go to the earlier person in `people`'s
/// sorted order) and every must-meet. Pairs come back as (smaller, larger), sorted.
pub fn candidate_pairs(pool: &Pool, people: &[u32], keep: Option<usize>) -> Vec<(u32, u32, i64)> {
    let mut people = people.to_vec();
    people.sort_unstable();
    people.dedup();
    let related = pool.related();
    let is_related = |a: u32, b: u32| related[a as usize].binary_search(&b).is_ok();
    let Some(keep) = keep else {
        let mut pairs = Vec::new();
        for (i, &a) in people.iter().enumerate() {
            for &b in &people[i + 1..] {
                if let Some(w) = weight(pool, a, b, is_related(a, b), None) {
                    pairs.push((a, b, w));
                }
            }
        }
        return pairs;
    };
    let index = RoomIndex::new(pool, &people);
    let mut counts = RowCounts::new(people.len());
    let mut row: Vec<(i64, u32)> = Vec::new();
    let mut pairs: Vec<(u32, u32, i64)> = Vec::new();
    for (i, &a) in people.iter().enumerate() {
        row.clear();
        counts.count(pool, &index, a);
        let consider = |j: u32, row: &mut Vec<(i64, u32)>, overlap: Option<Overlap>| {
            let b = people[j as usize];
            if let Some(w) = weight(pool, a, b, is_related(a, b), overlap) {
                row.push((w, j));
            }
        };
        for &j in &counts.touched {
            if j as usize != i {
                consider(j, &mut row, Some(counts.overlap(j)));
            }
        }
        for &b in &related[a as usize] {
            if let Ok(j) = people.binary_search(&b) {
                if !counts.seen[j] {
                    counts.seen[j] = true;
                    counts.touched.push(j as u32);
                    consider(j as u32, &mut row, Some(Overlap::default()));
                }
            }
        }
        // Everyone left shares nothing with `a`: within a kind they score alike, so only the
        // first `keep` allowed ones of each kind can be among the best.
        for group in &index.by_kind {
            let before = row.len();
            for &j in group {
                if row.len() - before == keep {
                    break;
                }
                if j as usize != i && !counts.seen[j as usize] {
                    consider(j, &mut row, Some(Overlap::default()));
                }
            }
        }
        counts.clear();
        if keep < row.len() {
            // Highest weight first; the lower index breaks ties, so the choice never depends on
            // the order of the input. Must-meets beyond the best `keep` stay in.
            row.select_nth_unstable_by(keep, |x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            let mut cut = keep;
            for k in keep..row.len() {
                if row[k].0 >= MUST_MEET_BONUS {
                    row.swap(cut, k);
                    cut += 1;
                }
            }
            row.truncate(cut);
        }
        let i = i as u32;
        pairs.extend(row.iter().map(|&(w, j)| (i.min(j), i.max(j), w)));
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
        .into_iter()
        .map(|(i, j, w)| (people[i as usize], people[j as usize], w))
        .collect()
}

/// Who in the room has which topic, offers or seeks which word, and is of which kind; by
/// position in the room's sorted list.
struct RoomIndex {
    topics: HashMap<u32, Vec<u32>>,
    offers: HashMap<u32, Vec<u32>>,
    seeks: HashMap<u32, Vec<u32>>,
    /// Positions grouped by kind (no kind being a group of its own), ascending within a group.
    by_kind: Vec<Vec<u32>>,
}

impl RoomIndex {
    fn new(pool: &Pool, people: &[u32]) -> RoomIndex {
        let mut index = RoomIndex {
            topics: HashMap::new(),
            offers: HashMap::new(),
            seeks: HashMap::new(),
            by_kind: Vec::new(),
        };
        let mut kinds = HashMap::new();
        for (j, &person) in people.iter().enumerate() {
            let profile = &pool.profiles[person as usize];
            let j = j as u32;
            for (lists, ids) in [
                (&mut index.topics, &profile.topics),
                (&mut index.offers, &profile.offers),
                (&mut index.seeks, &profile.seeks),
            ] {
                for &id in ids {
                    lists.entry(id).or_insert_with(Vec::new).push(j);
                }
            }
            let group = *kinds.entry(profile.kind).or_insert_with(|| {
                index.by_kind.push(Vec::new());
                index.by_kind.len() - 1
            });
            index.by_kind[group].push(j);
        }
        index
    }
}

/// One person's overlap with everyone in the room, counted through the index; reused row after
/// row, so a row costs what it touches, not the room's size.
struct RowCounts {
    topics: Vec<u16>,
    offered: Vec<u16>,
    sought: Vec<u16>,
    seen: Vec<bool>,
    touched: Vec<u32>,
}

impl RowCounts {
    fn new(n: usize) -> RowCounts {
        RowCounts {
            topics: vec![0; n],
            offered: vec![0; n],
            sought: vec![0; n],
            seen: vec![false; n],
            touched: Vec::new(),
        }
    }

    fn count(&mut self, pool: &Pool, index: &RoomIndex, person: u32) {
        let profile = &pool.profiles[person as usize];
        let tallies = [
            (&profile.topics, &index.topics, 0),
            // What `person` offers, others seek; and the other way round.
            (&profile.offers, &index.seeks, 1),
            (&profile.seeks, &index.offers, 2),
        ];
        for (ids, lists, tally) in tallies {
            for id in ids {
                for &j in lists.get(id).map_or(&[][..], Vec::as_slice) {
                    let j = j as usize;
                    if !self.seen[j] {
                        self.seen[j] = true;
                        self.touched.push(j as u32);
                    }
                    let counter = match tally {
                        0 => &mut self.topics[j],
                        1 => &mut self.offered[j],
                        _ => &mut self.sought[j],
                    };
                    *counter = counter.saturating_add(1);
                }
            }
        }
    }

    fn overlap(&self, j: u32) -> Overlap {
        let j = j as usize;
        Overlap {
            topics: usize::from(self.topics[j]),
            offered: usize::from(self.offered[j]),
            sought: usize::from(self.sought[j]),
        }
    }

    fn clear(&mut self) {
        for &j in &self.touched {
            let j = j as usize;
            self.topics[j] = 0;
            self.offered[j] = 0;
            self.sought[j] = 0;
            self.seen[j] = false;
        }
        self.touched.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::actor::ActorKind;
    use crate::domain::meeting::{MatchRules, Wish};
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "Sensorik",
        "Robotik",
        "Holz",
        "Wasserstoff",
        "Logistik",
        "Förderung",
    ];

    /// The rule written out plainly: every allowed pair scored, each person's row cut to the
    /// best `keep` (ties to the lower position) plus must-meets.
    fn reference(pool: &Pool, people: &[u32], keep: usize) -> Vec<(u32, u32, i64)> {
        let all = candidate_pairs(pool, people, None);
        let mut people = people.to_vec();
        people.sort_unstable();
        people.dedup();
        let mut chosen = Vec::new();
        for &a in &people {
            let mut row: Vec<(i64, usize, (u32, u32, i64))> = all
                .iter()
                .filter(|p| p.0 == a || p.1 == a)
                .map(|&p| {
                    let other = if p.0 == a { p.1 } else { p.0 };
                    (p.2, people.binary_search(&other).expect("present"), p)
                })
                .collect();
            row.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            chosen.extend(
                row.iter()
                    .enumerate()
                    .filter(|(rank, r)| *rank < keep || r.0 >= MUST_MEET_BONUS)
                    .map(|(_, r)| r.2),
            );
        }
        chosen.sort_unstable();
        chosen.dedup();
        chosen
    }

    type Person = (usize, u8, u8, u8, u8);

    fn pool_of(people: &[Person], wishes: &[(u32, u32, usize)], met: &[(u32, u32)]) -> Pool {
        let words = |bits: u8| {
            (0..WORDS.len())
                .filter(|bit| bits >> bit & 1 == 1)
                .map(|bit| WORDS[bit])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut pool = Pool::new(MatchRules::default());
        for &(kind, org, topics, offers, seeks) in people {
            pool.add(
                &format!("Organisation {org}"),
                ActorKind::ALL.get(kind).copied(),
                (0..4).filter(|bit| topics >> bit & 1 == 1).collect(),
                &words(offers),
                &words(seeks),
            );
        }
        let n = people.len() as u32;
        for &(from, to, wish) in wishes {
            if from % n != to % n {
                pool.wish(from % n, to % n, Wish::ALL[wish]);
            }
        }
        for &(a, b) in met {
            if a % n != b % n {
                pool.record_meeting(a % n, b % n);
            }
        }
        pool
    }

    proptest! {
        #[test]
        fn the_index_keeps_exactly_each_persons_best(
            people in proptest::collection::vec(
                (0usize..ActorKind::ALL.len() + 1, 0u8..6, any::<u8>(), any::<u8>(), any::<u8>()),
                2..40,
            ),
            wishes in proptest::collection::vec((0u32..40, 0u32..40, 0usize..Wish::ALL.len()), 0..40),
            met in proptest::collection::vec((0u32..40, 0u32..40), 0..20),
            absent in proptest::collection::vec(0u32..40, 0..8),
            keep in 1usize..8,
        ) {
            let pool = pool_of(&people, &wishes, &met);
            let present: Vec<u32> =
                (0..pool.len() as u32).rev().filter(|p| !absent.contains(p)).collect();
            prop_assert_eq!(
                candidate_pairs(&pool, &present, Some(keep)),
                reference(&pool, &present, keep)
            );
        }
    }

    #[test]
    fn must_meets_stay_beyond_the_cut() {
        let mut pool = pool_of(
            &[(0, 1, 1, 0, 0), (1, 2, 1, 0, 0), (1, 3, 0, 0, 0)],
            &[],
            &[],
        );
        pool.wish(0, 2, Wish::MustMeet);
        let pairs = candidate_pairs(&pool, &[0, 1, 2], Some(1));
        assert!(pairs
            .iter()
            .any(|p| (p.0, p.1) == (0, 2) && p.2 >= MUST_MEET_BONUS));
        assert!(pairs.iter().any(|p| (p.0, p.1) == (0, 1)));
    }
}
