//! Matchmaking benchmarks: one live round for 2,000 checked-in participants with history and
//! wishes (against the exact optimum on the same room), and placing the booked meetings of a
//! day at BIO-Europe scale (2,570 participants, 15,400 meetings) into slots and tables.
//! Run: `cargo bench --features ssr --bench matching` (see BENCHMARKS.md).

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::{Duration, Instant};
use tandem::demo::synthetic::{synthetic_room, Random};
use tandem::domain::matching::{
    best_pairs, candidate_pairs, plan_round, OddPolicy, RoundSetup, Table, CANDIDATES_PER_PERSON,
};
use tandem::domain::schedule::{schedule_all, Calendar, Grid};

const PEOPLE: usize = 2_000;

fn round_benchmarks(c: &mut Criterion) {
    let pool = synthetic_room(PEOPLE, 3, 7);
    let present: Vec<u32> = (0..PEOPLE as u32).collect();
    let tables: Vec<Table> = (1..=PEOPLE as u32 / 2)
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

    // The record: the round's matching (each person's best candidates) against the exact
    // optimum over every allowed pair of the same room.
    let started = Instant::now();
    let round = plan_round(&pool, &setup);
    let planned_in = started.elapsed();
    let started = Instant::now();
    let all_pairs = candidate_pairs(&pool, &present, None);
    let exact = best_pairs(&all_pairs);
    let exact_in = started.elapsed();
    let total = |pairs: &[(u32, u32)]| -> i64 {
        pairs
            .iter()
            .map(|&(a, b)| pool.score(a, b).expect("allowed"))
            .sum()
    };
    let musts = |pairs: &[(u32, u32)]| pairs.iter().filter(|&&(a, b)| pool.must_meet(a, b)).count();
    // How much each person's best candidates keep of the optimum, and what the matching costs.
    for keep in [10, 20, 30, 40] {
        let candidates = candidate_pairs(&pool, &present, Some(keep));
        let started = Instant::now();
        let sparse = best_pairs(&candidates);
        println!(
            "{keep} candidates per person: {} pairs, matching in {:.0} ms, score {} = {:.3} % of \
             the optimum, must-meets {} of {}",
            candidates.len(),
            started.elapsed().as_secs_f64() * 1000.0,
            total(&sparse),
            100.0 * total(&sparse) as f64 / total(&exact) as f64,
            musts(&sparse),
            musts(&exact),
        );
    }
    let sparse = best_pairs(&candidate_pairs(
        &pool,
        &present,
        Some(CANDIDATES_PER_PERSON),
    ));
    println!(
        "round for {PEOPLE}: {} meetings, {} resting, planned in {:.0} ms; matching score {} = \
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

    let mut group = c.benchmark_group("matching");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("one round, 2,000 participants", |b| {
        b.iter(|| plan_round(&pool, &setup))
    });
    group.bench_function("candidate pairs, 2,000 participants", |b| {
        b.iter(|| candidate_pairs(&pool, &present, Some(CANDIDATES_PER_PERSON)))
    });
    // An odd room at tables for two: the matching itself chooses who sits out (a bye seat with
    // an edge to everyone), so a must-meet pair is never split for the rotation.
    let odd_room: Vec<u32> = (0..PEOPLE as u32 - 1).collect();
    let pairs_only: Vec<Table> = tables.iter().map(|t| Table { capacity: 2, ..*t }).collect();
    let odd_setup = RoundSetup {
        present: &odd_room,
        tables: &pairs_only,
        odd: OddPolicy::Bye,
        byes: &[],
        round: 3,
    };
    group.bench_function("one round, 1,999 participants, one sits out", |b| {
        b.iter(|| plan_round(&pool, &odd_setup))
    });
    group.finish();
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
    println!(
        "day at BIO-Europe scale: {} of {} meetings placed in {:.1} ms",
        placed.iter().flatten().count(),
        requests.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    c.bench_function("schedule all, 15,400 meetings", |b| {
        b.iter(|| schedule_all(&mut Calendar::new(grid, people), &requests))
    });
}

criterion_group!(benches, round_benchmarks, day_benchmarks);
criterion_main!(benches);
