//! Meeting rounds: a maximum-weight matching (Kolmogorov's Blossom V, from geometric-traits)
//! over everyone in the room, with must-meets first, no repeats and no forbidden pairs; an odd
//! person joins a triple or sits out in turn; meetings get tables. Pure and deterministic.

use super::candidates::{candidate_pairs, CANDIDATES_PER_PERSON, MUST_MEET_BONUS};
pub use super::meeting::Rest;
use super::scoring::Pool;
pub use super::tables::Table;
use geometric_traits::impls::{SymmetricCSR2D, ValuedCSR2D};
use geometric_traits::prelude::BlossomV;
use serde::{Deserialize, Serialize};

/// What happens with a person left over when the room has an odd number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OddPolicy {
    /// Joins the meeting where they fit best, as a third.
    Triple,
    /// Sits this round out; whoever sat out least often goes next.
    Bye,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub table: u32,
    /// Two people, or three for a triple.
    pub people: Vec<u32>,
    /// Sum of the scores of all pairs in the meeting.
    pub points: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub meetings: Vec<Meeting>,
    pub resting: Vec<(u32, Rest)>,
}

impl Round {
    pub fn points(&self) -> i64 {
        self.meetings.iter().map(|m| m.points).sum()
    }
}

#[derive(Clone, Copy)]
pub struct RoundSetup<'a> {
    /// Everyone checked in and in the room.
    pub present: &'a [u32],
    pub tables: &'a [Table],
    pub odd: OddPolicy,
    /// How many rounds each person of the pool has spent without a meeting (indexed by person).
    pub byes: &'a [u32],
    /// The round's number; breaks ties between equally rested people, so the bye rotates.
    pub round: u32,
}

/// A maximum-weight matching among the maximum-cardinality ones on the given pairs: as many
/// meetings as possible, and the best of those. Pairs come back as (smaller, larger), sorted.
pub fn best_pairs(pairs: &[(u32, u32, i64)]) -> Vec<(u32, u32)> {
    // A round's weights stay far below the limit (see `MUST_MEET_BONUS`); should a room ever
    // exceed it, the heaviest matching without the count first is the next best answer.
    matching(pairs, true)
        .or_else(|_| matching(pairs, false))
        .unwrap_or_default()
}

/// A maximum-weight matching on the given pairs; among the maximum-cardinality matchings only
/// when `max_cardinality`. Pairs come back as (smaller, larger), sorted.
///
/// Solved as a minimum-cost perfect matching (Kolmogorov's Blossom V). A round's candidate
/// graph almost always lets everyone (but one, in an odd room) be seated; then the perfect
/// matchings are exactly the fullest ones, and the cheapest at cost −weight is the answer.
/// Otherwise, and when the fullest matching is not asked for, the graph is doubled: every pair
/// twice, once among the people and once among their copies, and each person joined to their
/// own copy at no cost, so "unmatched" is a choice the solver can make. Maximum cardinality
/// first then means each real pair is worth `seat` more than its weight, where `seat`
/// outweighs the whole weight of any matching. The solver counts in `i64` and doubles costs
/// inside, so weights that would take a cost past `MAX_COST` are refused, not wrapped around.
pub fn matching(
    pairs: &[(u32, u32, i64)],
    max_cardinality: bool,
) -> Result<Vec<(u32, u32)>, TooHeavy> {
    let mut ids: Vec<u32> = pairs.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    ids.sort_unstable();
    ids.dedup();
    let n = ids.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let index = |id: u32| ids.binary_search(&id).expect("listed");
    // Each person's heaviest pair: their sum bounds the weight of any matching.
    let mut heaviest = vec![0i64; n];
    let mut edges: Vec<(usize, usize, i64)> = Vec::with_capacity(pairs.len());
    for &(a, b, w) in pairs {
        let (a, b) = (index(a).min(index(b)), index(a).max(index(b)));
        if a != b {
            heaviest[a] = heaviest[a].max(w.saturating_abs());
            heaviest[b] = heaviest[b].max(w.saturating_abs());
            edges.push((a, b, w));
        }
    }
    if heaviest.iter().any(|&w| w > MAX_COST) {
        return Err(TooHeavy);
    }
    // A pair listed twice counts with its better weight, as a matching would choose it.
    edges.sort_unstable_by(|x, y| (x.0, x.1, y.2).cmp(&(y.0, y.1, x.2)));
    edges.dedup_by(|later, earlier| (later.0, later.1) == (earlier.0, earlier.1));
    let chosen = match max_cardinality.then(|| seat_everyone(n, &edges)).flatten() {
        Some(chosen) => chosen,
        None => {
            let seat = if max_cardinality {
                heaviest.iter().try_fold(1i64, |sum, &w| sum.checked_add(w))
            } else {
                Some(0)
            }
            .filter(|&seat| heaviest.iter().all(|&w| w <= MAX_COST - seat))
            .ok_or(TooHeavy)?;
            let mut entries: Vec<(usize, usize, i64)> = Vec::with_capacity(2 * edges.len() + n);
            for &(a, b, w) in &edges {
                entries.push((a, b, -(w + seat)));
                entries.push((a + n, b + n, -(w + seat)));
            }
            entries.extend((0..n).map(|person| (person, person + n, 0)));
            min_cost_perfect(2 * n, entries)
                .expect("each person's own copy makes a perfect matching exist")
        }
    };
    let mut result: Vec<(u32, u32)> = chosen
        .into_iter()
        .filter(|&(a, b)| a < n && b < n)
        .map(|(a, b)| {
            let (a, b) = (ids[a], ids[b]);
            (a.min(b), a.max(b))
        })
        .collect();
    result.sort_unstable();
    Ok(result)
}

/// The heaviest matching that seats all `n` people, or all but one through a free seat (index
/// `n`) when `n` is odd; `None` when there is none.
fn seat_everyone(n: usize, edges: &[(usize, usize, i64)]) -> Option<Vec<(usize, usize)>> {
    let mut entries: Vec<(usize, usize, i64)> = edges.iter().map(|&(a, b, w)| (a, b, -w)).collect();
    let order = if n % 2 == 1 {
        entries.extend((0..n).map(|person| (person, n, 0)));
        n + 1
    } else {
        n
    };
    min_cost_perfect(order, entries)
}

/// Blossom V on sorted, unique (smaller, larger, cost) entries; `None` without a perfect
/// matching.
fn min_cost_perfect(
    order: usize,
    entries: Vec<(usize, usize, i64)>,
) -> Option<Vec<(usize, usize)>> {
    let mut entries = entries;
    entries.sort_unstable();
    let graph: CostGraph = SymmetricCSR2D::from_sorted_upper_triangular_entries(order, entries)
        .expect("sorted, unique, upper-triangular entries");
    graph.blossom_v().ok()
}

/// The largest cost the solver is given: its duals and slacks are sums of a few doubled costs,
/// and this leaves them a thousandfold headroom below `i64::MAX`.
const MAX_COST: i64 = i64::MAX >> 12;

/// Weights too large to be matched exactly in 64-bit arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooHeavy;

type CostGraph = SymmetricCSR2D<ValuedCSR2D<usize, usize, usize, i64>>;

/// Weights in a pair list are read to this many decimal places.
const WEIGHT_SCALE: f64 = 1000.0;

/// A weighted pair list for the `match` command: names, and pairs of name indices with weights
/// in thousandths.
#[derive(Debug, Default, PartialEq)]
pub struct PairList {
    pub names: Vec<String>,
    pub pairs: Vec<(u32, u32, i64)>,
}

/// The chosen pairs of a pair list, as the `match` command prints them.
#[derive(Debug, PartialEq, Serialize)]
pub struct PairChoice {
    pub pairs: Vec<(String, String, f64)>,
    pub total_weight: f64,
    pub unmatched: Vec<String>,
}

/// Reads `a,b,weight` lines (`;` works too, then with decimal commas; a header line is
/// skipped). Every problem names its line; nothing is returned half-read.
pub fn read_pair_list(text: &str) -> Result<PairList, String> {
    let text = text.trim_start_matches('\u{feff}');
    let delimiter = if text.lines().next().is_some_and(|l| l.contains(';')) {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut list = PairList::default();
    let mut index = std::collections::HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("line {}: {e}", row + 1))?;
        let line = record.position().map_or(row as u64 + 1, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != 3 {
            return Err(format!(
                "line {line}: expected 3 fields (a, b, weight), found {}",
                record.len()
            ));
        }
        let weight_text = record[2].replace(',', ".");
        let Ok(weight) = weight_text.parse::<f64>() else {
            if row == 0 {
                continue; // the header
            }
            return Err(format!(
                "line {line}: weight {:?} is not a number",
                &record[2]
            ));
        };
        if !weight.is_finite() || weight.abs() > 1e12 {
            return Err(format!(
                "line {line}: weight {:?} is out of range",
                &record[2]
            ));
        }
        let (a, b) = (&record[0], &record[1]);
        if a.is_empty() || b.is_empty() {
            return Err(format!("line {line}: both names are needed"));
        }
        if a == b {
            return Err(format!("line {line}: {a:?} cannot meet themselves"));
        }
        let mut id = |name: &str| {
            *index.entry(name.to_owned()).or_insert_with(|| {
                list.names.push(name.to_owned());
                list.names.len() as u32 - 1
            })
        };
        let (a, b) = (id(a), id(b));
        if !seen.insert((a.min(b), a.max(b))) {
            return Err(format!(
                "line {line}: the pair {:?}, {:?} is listed twice",
                &record[0], &record[1]
            ));
        }
        list.pairs
            .push((a.min(b), a.max(b), (weight * WEIGHT_SCALE).round() as i64));
    }
    Ok(list)
}

/// The maximum-weight matching of a pair list, by name.
pub fn choose_pairs(list: &PairList, max_cardinality: bool) -> Result<PairChoice, String> {
    let chosen = matching(&list.pairs, max_cardinality).map_err(|TooHeavy| {
        "the weights are too large to match exactly; scale them down".to_owned()
    })?;
    let weights: std::collections::HashMap<(u32, u32), i64> =
        list.pairs.iter().map(|&(a, b, w)| ((a, b), w)).collect();
    let mut matched = vec![false; list.names.len()];
    let mut total: i128 = 0;
    let pairs = chosen
        .iter()
        .map(|&(a, b)| {
            matched[a as usize] = true;
            matched[b as usize] = true;
            let weight = weights[&(a, b)];
            total += i128::from(weight);
            (
                list.names[a as usize].clone(),
                list.names[b as usize].clone(),
                weight as f64 / WEIGHT_SCALE,
            )
        })
        .collect();
    Ok(PairChoice {
        pairs,
        total_weight: total as f64 / WEIGHT_SCALE,
        unmatched: list
            .names
            .iter()
            .zip(&matched)
            .filter(|(_, m)| !**m)
            .map(|(name, _)| name.clone())
            .collect(),
    })
}

/// Plans one round for the people in the room.
pub fn plan_round(pool: &Pool, setup: &RoundSetup) -> Round {
    let mut present: Vec<u32> = setup.present.to_vec();
    present.sort_unstable();
    present.dedup();
    let mut resting = Vec::new();
    // Without a table for three, a triple cannot sit anywhere: then the odd one out rotates.
    let can_seat_triples = setup.tables.iter().any(|t| t.capacity >= 3);
    let odd = match setup.odd {
        OddPolicy::Triple if can_seat_triples => OddPolicy::Triple,
        _ => OddPolicy::Bye,
    };
    let mut pairs = candidate_pairs(pool, &present, Some(CANDIDATES_PER_PERSON));
    if odd == OddPolicy::Bye && present.len() % 2 == 1 {
        pairs.extend(bye_seat(&present, &pairs, setup));
    }
    let mut meetings: Vec<(Vec<u32>, i64)> = Vec::new();
    for (a, b) in best_pairs(&pairs) {
        if b == BYE_SEAT {
            resting.push((a, Rest::Bye));
        } else {
            meetings.push((vec![a, b], pool.score(a, b).expect("allowed pairs only")));
        }
    }
    // Placed: in a meeting or on the bye seat.
    let mut seated: Vec<bool> = vec![false; pool.len()];
    for &p in meetings.iter().flat_map(|(people, _)| people) {
        seated[p as usize] = true;
    }
    for &(p, _) in &resting {
        seated[p as usize] = true;
    }
    for &person in &present {
        if seated[person as usize] {
            continue;
        }
        let joined = (odd == OddPolicy::Triple)
            .then(|| best_triple(pool, person, &meetings))
            .flatten();
        match joined {
            Some((index, gain)) => {
                meetings[index].0.push(person);
                meetings[index].1 += gain;
            }
            None => resting.push((person, Rest::NoPartner)),
        }
    }

    // Must-meets and the best meetings get a seat first when tables are short.
    let priority = |(people, points): &(Vec<u32>, i64)| {
        points + i64::from(pool.must_meet(people[0], people[1])) * MUST_MEET_BONUS
    };
    meetings.sort_by(|x, y| priority(y).cmp(&priority(x)).then_with(|| x.0.cmp(&y.0)));
    let mut tables: Vec<Table> = setup.tables.to_vec();
    tables.sort_by_key(|t| t.number);
    let mut free = vec![true; tables.len()];
    let mut round = Round::default();
    for (mut people, mut points) in meetings {
        let table = (0..tables.len())
            .filter(|&t| free[t] && tables[t].capacity >= 2)
            .min_by_key(|&t| {
                let fits = tables[t].capacity >= people.len() as u32;
                // The smallest table that fits, so larger ones stay free for triples.
                (!fits, tables[t].capacity, tables[t].number)
            });
        let Some(t) = table else {
            resting.extend(people.into_iter().map(|p| (p, Rest::NoTable)));
            continue;
        };
        free[t] = false;
        while people.len() as u32 > tables[t].capacity {
            let third = people.pop().expect("more than capacity");
            points = pool.score(people[0], people[1]).unwrap_or(points);
            resting.push((third, Rest::NoTable));
        }
        people.sort_unstable();
        round.meetings.push(Meeting {
            table: tables[t].number,
            people,
            points,
        });
    }
    round.meetings.sort_by_key(|m| m.table);
    resting.sort_unstable_by_key(|&(p, _)| p);
    round.resting = resting;
    round
}

/// Stands for "sits this round out" in the matching of an odd room.
const BYE_SEAT: u32 = u32::MAX;

/// Edges from everyone present to the bye seat, so the matching itself chooses who sits out: it
/// still seats as many people as possible (one bye edge makes the count even), then honours as
/// many must-meets as it can, and only then prefers the person whose turn it is (fewest byes so
/// far, rotating with the round) over a better score. Each step of that preference outweighs any
/// difference in scores and all of them together stay below one must-meet.
fn bye_seat(
    present: &[u32],
    pairs: &[(u32, u32, i64)],
    setup: &RoundSetup,
) -> Vec<(u32, u32, i64)> {
    let n = present.len();
    let ordinary_max = pairs
        .iter()
        .map(|p| p.2 % MUST_MEET_BONUS)
        .max()
        .unwrap_or(0);
    let step = ordinary_max * (n as i64 / 2) + 1;
    debug_assert!(
        step.saturating_mul(n as i64 + 1) < MUST_MEET_BONUS,
        "room too large"
    );
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| {
        let byes = setup.byes.get(present[i] as usize).copied().unwrap_or(0);
        (byes, (i + n - setup.round as usize % n) % n)
    });
    order
        .into_iter()
        .enumerate()
        .map(|(rank, i)| (present[i], BYE_SEAT, step * (n - rank) as i64))
        .collect()
}

/// The meeting a leftover person fits best as a third, and what it adds.
fn best_triple(pool: &Pool, person: u32, meetings: &[(Vec<u32>, i64)]) -> Option<(usize, i64)> {
    meetings
        .iter()
        .enumerate()
        .filter(|(_, (people, _))| people.len() == 2)
        .filter_map(|(index, (people, _))| {
            let gain = pool.score(person, people[0])? + pool.score(person, people[1])?;
            Some((index, gain))
        })
        .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
}

/// Plans the rounds `numbers` (ascending; `setup.round` is not used) given what has happened so
/// far: the pool's meetings and `setup.byes` include the rounds that are kept (started, or
/// locked by the organisers), wherever they fall. Called again for the remaining rounds whenever
/// someone checks in or leaves. The pool is left as it was.
pub fn plan_rounds(pool: &mut Pool, setup: &RoundSetup, numbers: &[u32]) -> Vec<Round> {
    let mut byes = setup.byes.to_vec();
    byes.resize(pool.len().max(byes.len()), 0);
    let mut planned = Vec::new();
    let mut added = Vec::new();
    for &number in numbers {
        let round = plan_round(
            pool,
            &RoundSetup {
                byes: &byes,
                round: number,
                ..*setup
            },
        );
        for meeting in &round.meetings {
            for (i, &a) in meeting.people.iter().enumerate() {
                for &b in &meeting.people[i + 1..] {
                    if !pool.have_met(a, b) {
                        pool.record_meeting(a, b);
                        added.push((a, b));
                    }
                }
            }
        }
        // Every round without a meeting counts, whatever the reason, so nobody rests twice
        // while others have not rested once.
        for &(person, _) in &round.resting {
            byes[person as usize] += 1;
        }
        planned.push(round);
    }
    for (a, b) in added {
        pool.forget_meeting(a, b);
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::actor::ActorKind;
    use crate::domain::meeting::{MatchRules, Wish};
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn tables(count: u32, capacity: u32) -> Vec<Table> {
        (1..=count)
            .map(|number| Table { number, capacity })
            .collect()
    }

    /// A room of `kinds.len()` people; organisation `orgs[i]`, topics from the bits of `topics[i]`.
    fn room(kinds: &[usize], orgs: &[u8], topics: &[u8]) -> Pool {
        let mut pool = Pool::new(MatchRules::default());
        for i in 0..kinds.len() {
            let terms = (0..8).filter(|bit| topics[i] >> bit & 1 == 1).collect();
            pool.add(
                &format!("Organisation {}", orgs[i]),
                Some(ActorKind::ALL[kinds[i]]),
                terms,
                "",
                "",
            );
        }
        pool
    }

    fn everyone(pool: &Pool) -> Vec<u32> {
        (0..pool.len() as u32).collect()
    }

    /// One round for everyone in the pool.
    fn plan(pool: &Pool, tables: &[Table], odd: OddPolicy, round: u32) -> Round {
        let present = everyone(pool);
        let setup = RoundSetup {
            present: &present,
            tables,
            odd,
            byes: &[],
            round,
        };
        plan_round(pool, &setup)
    }

    /// (meetings, total weight) of the best matching, by trying every matching.
    fn brute_force(n: u32, pairs: &[(u32, u32, i64)]) -> (usize, i64) {
        fn go(v: u32, n: u32, used: &mut Vec<bool>, pairs: &[(u32, u32, i64)]) -> (usize, i64) {
            if v == n {
                return (0, 0);
            }
            if used[v as usize] {
                return go(v + 1, n, used, pairs);
            }
            used[v as usize] = true;
            let mut best = go(v + 1, n, used, pairs);
            for &(a, b, w) in pairs.iter().filter(|p| p.0 == v) {
                if !used[b as usize] {
                    used[b as usize] = true;
                    let (count, weight) = go(v + 1, n, used, pairs);
                    best = best.max((count + 1, weight + w));
                    used[b as usize] = false;
                }
                let _ = a;
            }
            used[v as usize] = false;
            best
        }
        go(0, n, &mut vec![false; n as usize], pairs)
    }

    fn check_round(pool: &Pool, present: &[u32], round: &Round) -> Result<(), TestCaseError> {
        let mut seen = HashSet::new();
        for meeting in &round.meetings {
            prop_assert!(meeting.people.len() == 2 || meeting.people.len() == 3);
            for (i, &a) in meeting.people.iter().enumerate() {
                prop_assert!(seen.insert(a), "{} twice in a round", a);
                for &b in &meeting.people[i + 1..] {
                    prop_assert!(pool.score(a, b).is_some(), "forbidden pair {} {}", a, b);
                }
            }
        }
        for &(person, _) in &round.resting {
            prop_assert!(seen.insert(person), "{} resting and meeting", person);
        }
        let mut expected: Vec<u32> = present.to_vec();
        expected.sort_unstable();
        expected.dedup();
        let mut all: Vec<u32> = seen.into_iter().collect();
        all.sort_unstable();
        prop_assert_eq!(all, expected, "everyone present is placed or resting");
        Ok(())
    }

    fn arbitrary_room() -> impl Strategy<Value = (Pool, Vec<(u32, u32, usize)>)> {
        (2usize..14).prop_flat_map(|n| {
            (
                proptest::collection::vec(0usize..6, n),
                proptest::collection::vec(0u8..(n as u8), n),
                proptest::collection::vec(any::<u8>(), n),
                proptest::collection::vec((0..n as u32, 0..n as u32, 0usize..3), 0..2 * n),
            )
                .prop_map(|(kinds, orgs, topics, wishes)| (room(&kinds, &orgs, &topics), wishes))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn rounds_respect_every_rule(
            (mut pool, wishes) in arbitrary_room(),
            triple in any::<bool>(),
            table_count in 1u32..8,
        ) {
            for (from, to, wish) in wishes {
                if from != to {
                    pool.wish(from, to, Wish::ALL[wish]);
                }
            }
            let present = everyone(&pool);
            let odd = if triple { OddPolicy::Triple } else { OddPolicy::Bye };
            let tables = tables(table_count, 3);
            let setup = RoundSetup { present: &present, tables: &tables, odd, byes: &[], round: 0 };
            let rounds = plan_rounds(&mut pool, &setup, &[0, 1, 2, 3]);
            let mut met = HashSet::new();
            for round in &rounds {
                check_round(&pool, &present, round)?;
                prop_assert!(round.meetings.len() <= table_count as usize);
                for meeting in &round.meetings {
                    for (i, &a) in meeting.people.iter().enumerate() {
                        for &b in &meeting.people[i + 1..] {
                            prop_assert!(met.insert((a, b)), "{} and {} meet twice", a, b);
                        }
                    }
                }
            }
        }

        #[test]
        fn among_the_fullest_rounds_the_most_must_meets_are_honoured(
            (mut pool, wishes) in arbitrary_room(),
            byes in proptest::collection::vec(0u32..3, 13),
            round in 0u32..6,
            absent in 0u32..13,
        ) {
            for (from, to, wish) in wishes {
                if from != to {
                    pool.wish(from, to, Wish::ALL[wish]);
                }
            }
            // An odd room, so someone has to sit out.
            let mut present = everyone(&pool);
            if present.len().is_multiple_of(2) {
                present.retain(|&p| p != absent % pool.len() as u32);
            }
            let tables = tables(present.len() as u32, 2);
            let setup = RoundSetup { present: &present, tables: &tables, odd: OddPolicy::Bye, byes: &byes, round };
            let planned = plan_round(&pool, &setup);
            check_round(&pool, &present, &planned)?;
            // Every allowed pair among those present, weighted only by whether it is a must-meet.
            let allowed: Vec<(u32, u32, i64)> = present.iter().flat_map(|&a| present.iter().map(move |&b| (a, b)))
                .filter(|&(a, b)| a < b && pool.score(a, b).is_some())
                .map(|(a, b)| (a, b, i64::from(pool.must_meet(a, b))))
                .collect();
            let honoured = planned.meetings.iter().filter(|m| pool.must_meet(m.people[0], m.people[1])).count() as i64;
            prop_assert_eq!((planned.meetings.len(), honoured), brute_force(pool.len() as u32, &allowed));
            prop_assert_eq!(planned.resting.iter().filter(|r| r.1 == Rest::Bye).count(), 1);
        }

        /// The evening planned ahead, then planned anew around a locked round after someone
        /// left: nobody twice in a round, no pair twice across the evening or again after an
        /// earlier event of the series, no meeting larger than its table, and the locked round
        /// as it was.
        #[test]
        fn an_evening_planned_anew_keeps_locked_rounds_and_every_rule(
            (mut pool, wishes) in arbitrary_room(),
            capacities in proptest::collection::vec(2u32..5, 1..8),
            met_before in proptest::collection::vec((0u32..14, 0u32..14), 0..6),
            locked in 0usize..4,
            leaving in 0u32..14,
            triple in any::<bool>(),
        ) {
            for (from, to, wish) in wishes {
                if from != to {
                    pool.wish(from, to, Wish::ALL[wish]);
                }
            }
            let n = pool.len() as u32;
            let series: HashSet<(u32, u32)> = met_before.into_iter()
                .map(|(a, b)| (a % n, b % n))
                .filter(|(a, b)| a != b)
                .map(|(a, b)| (a.min(b), a.max(b)))
                .collect();
            for &(a, b) in &series {
                pool.record_meeting(a, b);
            }
            let tables: Vec<Table> = capacities.iter().enumerate()
                .map(|(i, &capacity)| Table { number: i as u32 + 1, capacity })
                .collect();
            let odd = if triple { OddPolicy::Triple } else { OddPolicy::Bye };
            let present = everyone(&pool);
            let setup = RoundSetup { present: &present, tables: &tables, odd, byes: &[], round: 0 };
            let first = plan_rounds(&mut pool, &setup, &[1, 2, 3, 4]);

            // Round `locked + 1` is locked; someone leaves; the other three are planned anew.
            let kept = first[locked].clone();
            let mut byes = vec![0u32; n as usize];
            for &(person, _) in &kept.resting {
                byes[person as usize] += 1;
            }
            for meeting in &kept.meetings {
                for (i, &a) in meeting.people.iter().enumerate() {
                    for &b in &meeting.people[i + 1..] {
                        pool.record_meeting(a, b);
                    }
                }
            }
            let staying: Vec<u32> = present.iter().copied().filter(|&p| p != leaving % n).collect();
            let numbers: Vec<u32> = (1..=4).filter(|&k| k != locked as u32 + 1).collect();
            let setup = RoundSetup { present: &staying, tables: &tables, odd, byes: &byes, round: 0 };
            let again = plan_rounds(&mut pool, &setup, &numbers);
            prop_assert_eq!(again.len(), 3);

            let mut met = HashSet::new();
            for round in &again {
                check_round(&pool, &staying, round)?;
            }
            for round in again.iter().chain([&kept]) {
                let mut used = HashSet::new();
                for meeting in &round.meetings {
                    let table = tables.iter().find(|t| t.number == meeting.table);
                    prop_assert!(table.is_some_and(|t| t.capacity >= meeting.people.len() as u32),
                        "table {} too small or unknown", meeting.table);
                    prop_assert!(used.insert(meeting.table), "table {} twice", meeting.table);
                    for (i, &a) in meeting.people.iter().enumerate() {
                        for &b in &meeting.people[i + 1..] {
                            prop_assert!(met.insert((a, b)), "{} and {} meet twice", a, b);
                            prop_assert!(!series.contains(&(a, b)), "{} and {} met before", a, b);
                        }
                    }
                }
            }
            prop_assert!(again.iter().all(|r| r.resting.iter().all(|&(p, _)| p != leaving % n)
                && r.meetings.iter().all(|m| !m.people.contains(&(leaving % n)))),
                "whoever left has no place");
        }

        #[test]
        fn the_matching_is_optimal(pool_and_wishes in arbitrary_room()) {
            let (mut pool, wishes) = pool_and_wishes;
            for (from, to, wish) in wishes {
                if from != to {
                    pool.wish(from, to, Wish::ALL[wish]);
                }
            }
            let present = everyone(&pool);
            let pairs = candidate_pairs(&pool, &present, None);
            let chosen = best_pairs(&pairs);
            let weight_of = |a: u32, b: u32| pairs.iter().find(|p| p.0 == a && p.1 == b).map(|p| p.2);
            let total: i64 = chosen.iter().map(|&(a, b)| weight_of(a, b).expect("a candidate pair")).sum();
            prop_assert_eq!((chosen.len(), total), brute_force(pool.len() as u32, &pairs));
        }
    }

    /// Galil's blossom algorithm (rustworkx, a port of NetworkX) as an independent oracle.
    fn oracle(pairs: &[(u32, u32, i64)], max_cardinality: bool) -> (usize, i128) {
        use rustworkx_core::petgraph::graph::UnGraph;
        let n = pairs.iter().map(|p| p.1 + 1).max().unwrap_or(0);
        let mut graph = UnGraph::<(), i64>::with_capacity(n as usize, pairs.len());
        for _ in 0..n {
            graph.add_node(());
        }
        graph.extend_with_edges(pairs.iter().map(|&(a, b, w)| (a, b, w)));
        let chosen = rustworkx_core::max_weight_matching::max_weight_matching(
            &graph,
            max_cardinality,
            |edge| Ok::<i128, std::convert::Infallible>(i128::from(*edge.weight())),
            false,
        )
        .unwrap_or_else(|never| match never {});
        let weight = |a: usize, b: usize| {
            pairs
                .iter()
                .find(|p| (p.0 as usize, p.1 as usize) == (a.min(b), a.max(b)))
                .map_or(0, |p| i128::from(p.2))
        };
        (
            chosen.len(),
            chosen.iter().map(|&(a, b)| weight(a, b)).sum(),
        )
    }

    fn sparse_graph() -> impl Strategy<Value = Vec<(u32, u32, i64)>> {
        (2u32..120).prop_flat_map(|n| {
            proptest::collection::vec(
                (0..n, 0..n, -50i64..600, proptest::bool::weighted(0.03)),
                0..(4 * n as usize),
            )
            .prop_map(|edges| {
                let mut pairs: Vec<(u32, u32, i64)> = edges
                    .into_iter()
                    .filter(|e| e.0 != e.1)
                    .map(|(a, b, w, must)| {
                        (a.min(b), a.max(b), w + i64::from(must) * MUST_MEET_BONUS)
                    })
                    .collect();
                pairs.sort_unstable_by_key(|p| (p.0, p.1));
                pairs.dedup_by_key(|p| (p.0, p.1));
                pairs
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn blossom_v_agrees_with_an_independent_blossom(pairs in sparse_graph()) {
            for max_cardinality in [false, true] {
                let chosen = matching(&pairs, max_cardinality).expect("small weights");
                let mut used = HashSet::new();
                let mut total = 0i128;
                for &(a, b) in &chosen {
                    prop_assert!(used.insert(a) && used.insert(b), "nobody twice");
                    let pair = pairs.iter().find(|p| (p.0, p.1) == (a, b));
                    prop_assert!(pair.is_some(), "only listed pairs");
                    total += i128::from(pair.expect("listed").2);
                }
                let (count, best) = oracle(&pairs, max_cardinality);
                prop_assert_eq!(total, best);
                if max_cardinality {
                    prop_assert_eq!(chosen.len(), count);
                }
            }
        }
    }

    #[test]
    fn weights_beyond_exact_arithmetic_are_refused() {
        // Nobody can seat everyone of a star, so the count first needs the doubled graph.
        let star = [(0, 1, MAX_COST), (0, 2, 1), (0, 3, 1)];
        assert_eq!(matching(&star, true), Err(TooHeavy));
        assert_eq!(matching(&star, false), Ok(vec![(0, 1)]));
        let seated = [(0, 1, MAX_COST), (1, 2, 5), (2, 3, MAX_COST)];
        assert_eq!(matching(&seated, true), Ok(vec![(0, 1), (2, 3)]));
        assert_eq!(matching(&[(0, 1, MAX_COST + 1)], false), Err(TooHeavy));
        assert_eq!(matching(&[], true), Ok(Vec::new()));
    }

    #[test]
    fn a_pair_list_is_read_and_matched() {
        let list = read_pair_list("a,b,weight\nA,B,1\nB,C,2.5\nC,D,1\n\n").expect("valid");
        assert_eq!(list.names, vec!["A", "B", "C", "D"]);
        let choice = choose_pairs(&list, false).expect("small weights");
        assert_eq!(choice.total_weight, 2.5);
        assert_eq!(choice.pairs, vec![("B".into(), "C".into(), 2.5)]);
        assert_eq!(choice.unmatched, vec!["A", "D"]);
        let choice = choose_pairs(&list, true).expect("small weights");
        assert_eq!(choice.total_weight, 2.0, "two meetings beat one better one");
        let german = read_pair_list("\u{feff}a;b;gewicht\nA;B;1,5\n").expect("valid");
        assert_eq!(german.pairs, vec![(0, 1, 1500)]);
    }

    #[test]
    fn a_bad_pair_list_names_the_line() {
        for (text, message) in [
            ("A,B,1\nA,B\n", "line 2: expected 3 fields"),
            (
                "A,B,1\nB,C,viel\n",
                "line 2: weight \"viel\" is not a number",
            ),
            ("A,A,1\n", "line 1: \"A\" cannot meet themselves"),
            (
                "A,B,1\nB,A,2\n",
                "line 2: the pair \"B\", \"A\" is listed twice",
            ),
            ("A,,1\n", "line 1: both names are needed"),
            ("A,B,inf\n", "line 1: weight \"inf\" is out of range"),
        ] {
            let error = read_pair_list(text).expect_err(text);
            assert!(error.starts_with(message), "{error}");
        }
    }

    #[test]
    fn must_meets_come_first() {
        // Two startups, two Mittelstand: the preferred pairs are the cross-kind ones, but the
        // two startups must meet.
        let mut pool = room(&[0, 0, 1, 1], &[0, 1, 2, 3], &[0; 4]);
        pool.wish(2, 3, Wish::MustMeet);
        let round = plan(&pool, &tables(2, 2), OddPolicy::Bye, 0);
        let pairs: Vec<_> = round.meetings.iter().map(|m| m.people.clone()).collect();
        assert!(pairs.contains(&vec![2, 3]), "{pairs:?}");
        assert!(pairs.contains(&vec![0, 1]), "{pairs:?}");
    }

    #[test]
    fn the_odd_one_out_is_never_half_of_a_must_meet() {
        // Five people, the first two must meet; the bye would be person 0's turn.
        let mut pool = room(&[0, 1, 2, 0, 1], &[0, 1, 2, 3, 4], &[0; 5]);
        pool.wish(1, 0, Wish::MustMeet);
        let round = plan(&pool, &tables(3, 2), OddPolicy::Bye, 0);
        let pairs: Vec<_> = round.meetings.iter().map(|m| m.people.clone()).collect();
        assert!(pairs.contains(&vec![0, 1]), "{pairs:?}");
        assert_eq!(round.resting.len(), 1);
        assert!(round.resting[0].0 > 1 && round.resting[0].1 == Rest::Bye);
    }

    #[test]
    fn the_bye_rotates() {
        let mut pool = room(&[0, 1, 2, 3, 4], &[0, 1, 2, 3, 4], &[0; 5]);
        let present = everyone(&pool);
        let setup = RoundSetup {
            present: &present,
            tables: &tables(5, 2),
            odd: OddPolicy::Bye,
            byes: &[],
            round: 0,
        };
        let rounds = plan_rounds(&mut pool, &setup, &[0, 1, 2, 3, 4]);
        let mut sat_out: Vec<u32> = rounds
            .iter()
            .flat_map(|r| {
                r.resting
                    .iter()
                    .filter(|(_, rest)| *rest == Rest::Bye)
                    .map(|(p, _)| *p)
            })
            .collect();
        sat_out.sort_unstable();
        assert_eq!(
            sat_out,
            vec![0, 1, 2, 3, 4],
            "everyone sits out once in five rounds"
        );
    }

    #[test]
    fn without_a_table_for_three_the_odd_one_out_rotates() {
        let mut pool = room(&[0, 1, 2], &[0, 1, 2], &[0; 3]);
        let present = everyone(&pool);
        let tables = tables(2, 2);
        let setup = RoundSetup {
            present: &present,
            tables: &tables,
            odd: OddPolicy::Triple,
            byes: &[],
            round: 0,
        };
        let mut rested: Vec<u32> = plan_rounds(&mut pool, &setup, &[0, 1, 2])
            .iter()
            .flat_map(|r| r.resting.iter().map(|(p, _)| *p))
            .collect();
        rested.sort_unstable();
        assert_eq!(rested, vec![0, 1, 2], "everyone rests once, nobody twice");
    }

    #[test]
    fn an_odd_person_joins_a_triple_or_rests_without_a_seat() {
        let pool = room(&[0, 1, 2], &[0, 1, 2], &[0; 3]);
        let round = plan(&pool, &tables(1, 3), OddPolicy::Triple, 0);
        assert_eq!(round.meetings.len(), 1);
        assert_eq!(round.meetings[0].people, vec![0, 1, 2]);
        assert!(round.resting.is_empty());
        let round = plan(&pool, &tables(1, 2), OddPolicy::Triple, 0);
        assert_eq!(round.meetings[0].people.len(), 2);
        assert_eq!(round.resting.len(), 1);
    }

    #[test]
    fn same_organisation_never_meets_and_everyone_met_rests() {
        let mut pool = room(&[0, 1], &[0, 0], &[1, 1]);
        let round = plan(&pool, &tables(1, 2), OddPolicy::Triple, 0);
        assert!(round.meetings.is_empty());
        assert_eq!(
            round.resting,
            vec![(0, Rest::NoPartner), (1, Rest::NoPartner)]
        );
        pool.profiles[1].organisation = 99;
        pool.record_meeting(0, 1);
        let round = plan(&pool, &tables(1, 2), OddPolicy::Triple, 1);
        assert!(round.meetings.is_empty(), "no repeats");
    }
}
