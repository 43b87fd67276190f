//! Matchmaking benchmarks: one live round for 2,000 and for 5,000 checked-in participants with
//! history and wishes (against the exact optimum on the same room), and placing the booked meetings of a
//! day at BIO-Europe scale (2,570 participants, 15,400 meetings) into slots and tables, against a bound.
//! Run: `cargo bench --no-default-features --features ssr --bench matching` (see BENCHMARKS.md).

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::{Duration, Instant};
use tandem::demo::synthetic::{synthetic_room, Random};
use tandem::domain::candidates::{candidate_pairs, CANDIDATES_PER_PERSON};
use tandem::domain::matching::{best_pairs, plan_round, OddPolicy, RoundSetup, Table};
use tandem::domain::schedule::{schedule_all, Calendar, Grid};
use tandem::domain::scoring::Pool;

/// Room sizes: a big kickoff and the largest room.
const ROOMS: [usize; 2] = [2_000, 5_000];

fn round_benchmarks(c: &mut Criterion) {
    let mut group = c.benchmark_group("matching");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for people in ROOMS {
        let pool = synthetic_room(people, 3, 7);
        let present: Vec<u32> = (0..people as u32).collect();
        let tables: Vec<Table> = (1..=people as u32 / 2)
            .map(|number| Table {
                number,
                capacity: 3,
            })
            .collect();
        let setup = RoundSetup {
            present: &present,
            tables: &tables,
            odd: OddPolicy::Triple,
            byes: &[],
            round: 3,
        };
        record(&pool, &present, &setup);
        group.bench_function(format!("one round, {people} participants"), |b| {
            b.iter(|| plan_round(&pool, &setup))
        });
        group.bench_function(format!("candidate pairs, {people} participants"), |b| {
            b.iter(|| candidate_pairs(&pool, &present, Some(CANDIDATES_PER_PERSON)))
        });
        // An odd room at tables for two: the matching itself chooses who sits out (a bye seat
        // with an edge to everyone), so a must-meet pair is never split for the rotation.
        let odd_room: Vec<u32> = (0..people as u32 - 1).collect();
        let pairs_only: Vec<Table> = tables.iter().map(|t| Table { capacity: 2, ..*t }).collect();
        let odd_setup = RoundSetup {
            present: &odd_room,
            tables: &pairs_only,
            odd: OddPolicy::Bye,
            byes: &[],
            round: 3,
        };
        group.bench_function(
            format!("one round, {} participants, one sits out", people - 1),
            |b| b.iter(|| plan_round(&pool, &odd_setup)),
        );
    }
    group.finish();
}

/// The record: the round's matching (each person's best candidates) against the exact optimum
/// over every allowed pair of the same room, and what the number of candidates costs.
fn record(pool: &Pool, present: &[u32], setup: &RoundSetup) {
    let people = present.len();
    let started = Instant::now();
    let round = plan_round(pool, setup);
    let planned_in = started.elapsed();
    let started = Instant::now();
    let all_pairs = candidate_pairs(pool, present, None);
    let exact = best_pairs(&all_pairs);
    let exact_in = started.elapsed();
    let total = |pairs: &[(u32, u32)]| -> i64 {
        pairs
            .iter()
            .map(|&(a, b)| pool.score(a, b).expect("allowed"))
            .sum()
    };
    let musts = |pairs: &[(u32, u32)]| pairs.iter().filter(|&&(a, b)| pool.must_meet(a, b)).count();
    for keep in [10, 20, 30, 40] {
        let started = Instant::now();
        let candidates = candidate_pairs(pool, present, Some(keep));
        let chosen_in = started.elapsed();
        let started = Instant::now();
        let sparse = best_pairs(&candidates);
        println!(
            "{people} people, {keep} candidates per person: {} pairs chosen in {:.0} ms, \
             matching in {:.0} ms, score {} = {:.3} % of the optimum, must-meets {} of {}",
            candidates.len(),
            chosen_in.as_secs_f64() * 1000.0,
            started.elapsed().as_secs_f64() * 1000.0,
            total(&sparse),
            100.0 * total(&sparse) as f64 / total(&exact) as f64,
            musts(&sparse),
            musts(&exact),
        );
    }
    let sparse = best_pairs(&candidate_pairs(pool, present, Some(CANDIDATES_PER_PERSON)));
    println!(
        "round for {people}: {} meetings, {} resting, planned in {:.0} ms; matching score {} = \
         {:.3} % of the exact optimum {} ({} vs {} pairs, must-meets {} vs {}; exact on {} \
         pairs took {:.1} s); {CANDIDATES_PER_PERSON} candidates per person",
        round.meetings.len(),
        round.resting.len(),
        planned_in.as_secs_f64() * 1000.0,
        total(&sparse),
        100.0 * total(&sparse) as f64 / total(&exact) as f64,
        total(&exact),
        sparse.len(),
        exact.len(),
        musts(&sparse),
        musts(&exact),
        all_pairs.len(),
        exact_in.as_secs_f64(),
    );
}

fn day_benchmarks(c: &mut Criterion) {
    // BIO-Europe: 2,570 delegates, 15,400 meetings; a day of 20 slots with 850 tables, and
    // four meetings in a row at most.
    let people = 2_570;
    let grid = Grid {
        slots: 20,
        tables: 850,
        max_in_a_row: 4,
    };
    let mut random = Random(11);
    let mut requests = Vec::with_capacity(15_400);
    let mut seen = std::collections::HashSet::new();
    while requests.len() < 15_400 {
        let (a, b) = (random.below(people) as u32, random.below(people) as u32);
        if a != b && seen.insert((a.min(b), a.max(b))) {
            requests.push((a, b));
        }
    }
    let started = Instant::now();
    let mut calendar = Calendar::new(grid, people);
    let placed = schedule_all(&mut calendar, &requests);
    let placed_in = started.elapsed();
    let placed = placed.iter().flatten().count();
    let bound = placeable_bound(grid, people, &requests);
    println!(
        "day at BIO-Europe scale: {placed} of {} meetings placed in {:.1} ms; at most {bound} \
         can be placed (flow relaxation) = {:.2} % placed",
        requests.len(),
        placed_in.as_secs_f64() * 1000.0,
        100.0 * placed as f64 / bound as f64,
    );
    c.bench_function("schedule all, 15,400 meetings", |b| {
        b.iter(|| schedule_all(&mut Calendar::new(grid, people), &requests))
    });
}

/// An upper bound on the meetings of a day that can be placed: nobody has more meetings than
/// the break rule leaves slots for (with `max_in_a_row` = k, one slot in every k + 1 stays
/// free), and no slot has more meetings than tables. The first is the fractional b-matching of
/// the requests, half the maximum flow through their bipartite double cover (each person once
/// as a sender, once as a receiver, each request an arc both ways).
fn placeable_bound(grid: Grid, people: usize, requests: &[(u32, u32)]) -> usize {
    use rustworkx_core::petgraph::algo::dinics;
    use rustworkx_core::petgraph::graph::DiGraph;
    let free = if grid.max_in_a_row == 0 {
        0
    } else {
        grid.slots / (grid.max_in_a_row + 1)
    };
    let per_person = u64::from(grid.slots - free);
    let mut network = DiGraph::<(), u64>::new();
    let source = network.add_node(());
    let sink = network.add_node(());
    let senders: Vec<_> = (0..people).map(|_| network.add_node(())).collect();
    let receivers: Vec<_> = (0..people).map(|_| network.add_node(())).collect();
    for person in 0..people {
        network.add_edge(source, senders[person], per_person);
        network.add_edge(receivers[person], sink, per_person);
    }
    for &(a, b) in requests {
        network.add_edge(senders[a as usize], receivers[b as usize], 1);
        network.add_edge(senders[b as usize], receivers[a as usize], 1);
    }
    let (flow, _) = dinics(&network, source, sink);
    (flow as usize / 2).min(grid.slots as usize * grid.tables as usize)
}

criterion_group!(benches, round_benchmarks, day_benchmarks);
criterion_main!(benches);
