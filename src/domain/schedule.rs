//! Bookable meetings: accepted requests are placed into the earliest slot where both people and
//! a table are free, and nobody gets more meetings in a row than the break policy allows (like
//! b2match's "schedule all"); those left over then get room by moves and trades. Pure and
//! deterministic.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grid {
    pub slots: u32,
    pub tables: u32,
    /// After this many meetings in a row a person gets a free slot; 0 means no limit.
    pub max_in_a_row: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Booking {
    pub slot: u32,
    /// Table number, counted from 1.
    pub table: u32,
}

/// Who is busy when, and which tables are taken.
pub struct Calendar {
    grid: Grid,
    busy: Vec<Vec<bool>>,
    taken: Vec<Vec<bool>>,
}

impl Calendar {
    pub fn new(grid: Grid, people: usize) -> Calendar {
        Calendar {
            grid,
            busy: vec![vec![false; grid.slots as usize]; people],
            taken: vec![vec![false; grid.tables as usize]; grid.slots as usize],
        }
    }

    /// Enters a meeting that is already fixed (booked earlier or placed by hand). Out-of-range
    /// people, slots or tables are ignored.
    pub fn enter(&mut self, a: u32, b: u32, booking: Booking) {
        let slot = booking.slot as usize;
        if slot >= self.grid.slots as usize {
            return;
        }
        for person in [a, b] {
            if let Some(days) = self.busy.get_mut(person as usize) {
                days[slot] = true;
            }
        }
        if let Some(table) = (booking.table as usize)
            .checked_sub(1)
            .and_then(|t| self.taken[slot].get_mut(t))
        {
            *table = true;
        }
    }

    /// Meetings in a row around `slot` if the person also met there.
    fn run_with(&self, person: usize, slot: usize) -> u32 {
        let days = &self.busy[person];
        let before = days[..slot].iter().rev().take_while(|b| **b).count();
        let after = days[slot + 1..].iter().take_while(|b| **b).count();
        (before + 1 + after) as u32
    }

    fn fits(&self, person: usize, slot: usize) -> bool {
        !self.busy[person][slot]
            && (self.grid.max_in_a_row == 0
                || self.run_with(person, slot) <= self.grid.max_in_a_row)
    }

    /// The earliest slot and table for a meeting of `a` and `b`, entered into the calendar; `None`
    /// when there is none (or a person is unknown or the same).
    pub fn place(&mut self, a: u32, b: u32) -> Option<Booking> {
        let booking = self.earliest(a, b)?;
        self.enter(a, b, booking);
        Some(booking)
    }

    /// The earliest slot and table where `a` and `b` could meet, without entering it.
    fn earliest(&self, a: u32, b: u32) -> Option<Booking> {
        let (a, b) = (a as usize, b as usize);
        if a == b || a >= self.busy.len() || b >= self.busy.len() {
            return None;
        }
        (0..self.grid.slots as usize)
            .filter(|&slot| self.fits(a, slot) && self.fits(b, slot))
            .find_map(|slot| {
                self.free_table(slot).map(|table| Booking {
                    slot: slot as u32,
                    table,
                })
            })
    }
}

/// How often the second chance goes over the requests still without a slot.
const MAX_PASSES: usize = 4;

/// How far the second chance chains moves: a meeting moved aside may move another one aside.
const MAX_CHAIN: u32 = 2;

/// How far moves chain while a trade (see `Day::trade`) places the requests it involves.
const TRADE_CHAIN: u32 = 1;

/// Places every request it can; `None` for those that found no slot. First come, first served
/// at the earliest slot, in the given order; a request that found none then gets a second
/// chance:
/// - meetings placed in this call that hold one of its people at some slot may move to other
///   slots to make room, and those may move others in turn (up to `MAX_CHAIN`);
/// - failing that, a meeting of one of its people may make way (a trade): it moves elsewhere,
///   or it gives up its place to the request and another one waiting for its other person.
///   So an earlier request can lose its place, but only when the day gains a meeting by it.
///
/// Meetings that were in the calendar before the call never move.
pub fn schedule_all(calendar: &mut Calendar, requests: &[(u32, u32)]) -> Vec<Option<Booking>> {
    let people = calendar.busy.len();
    let mut day = Day {
        calendar,
        requests,
        placed: vec![None; requests.len()],
        holder: HashMap::new(),
        journal: Vec::new(),
    };
    for i in 0..requests.len() {
        day.relocate(i, 0);
    }
    let mut waiting = vec![Vec::new(); people];
    for (i, &(a, b)) in requests.iter().enumerate() {
        if day.placed[i].is_none() && a != b && (a as usize) < people && (b as usize) < people {
            waiting[a as usize].push(i);
            waiting[b as usize].push(i);
        }
    }
    // A move can open room for a request passed over before it, so the pass repeats while it
    // places something (a few times at most).
    for _ in 0..MAX_PASSES {
        let mut progress = false;
        for i in 0..requests.len() {
            if day.placed[i].is_none() {
                day.journal.clear();
                progress |= day.relocate(i, MAX_CHAIN) || day.trade(i, &waiting);
            }
        }
        if !progress {
            break;
        }
    }
    day.placed
}

/// One change to the day, kept so a chain of moves that fails can be undone.
#[derive(Clone, Copy)]
enum Change {
    Entered(usize),
    Removed(usize, Booking),
}

/// The calendar with this call's requests: where each is placed, who holds a person at a slot.
struct Day<'a> {
    calendar: &'a mut Calendar,
    requests: &'a [(u32, u32)],
    placed: Vec<Option<Booking>>,
    holder: HashMap<(u32, u32), usize>,
    journal: Vec<Change>,
}

impl Day<'_> {
    fn enter(&mut self, i: usize, booking: Booking) {
        let (a, b) = self.requests[i];
        self.calendar.enter(a, b, booking);
        self.placed[i] = Some(booking);
        self.holder.insert((a, booking.slot), i);
        self.holder.insert((b, booking.slot), i);
        self.journal.push(Change::Entered(i));
    }

    fn remove(&mut self, i: usize) {
        let booking = self.placed[i]
            .take()
            .expect("only placed requests are removed");
        let (a, b) = self.requests[i];
        self.calendar.remove(a, b, booking);
        self.holder.remove(&(a, booking.slot));
        self.holder.remove(&(b, booking.slot));
        self.journal.push(Change::Removed(i, booking));
    }

    /// Undoes every change after the journal's first `mark` entries.
    fn undo_to(&mut self, mark: usize) {
        while self.journal.len() > mark {
            match self.journal.pop().expect("longer than mark") {
                Change::Entered(i) => {
                    self.remove(i);
                    self.journal.pop();
                }
                Change::Removed(i, booking) => {
                    self.enter(i, booking);
                    self.journal.pop();
                }
            }
        }
    }

    /// Places request `i` (not in the calendar) in exchange for a meeting `j` of one of its people,
    /// but only if `j` then finds another place or a request waiting for `j`'s other person gets
    /// in instead: one more meeting in the day either way. `waiting` lists, per person, the
    /// requests that the first pass left without a place (a meeting a trade takes out later is
    /// not among them). Leaves the day as it was when it cannot.
    fn trade(&mut self, i: usize, waiting: &[Vec<usize>]) -> bool {
        let (a, b) = self.requests[i];
        if a == b || a as usize >= waiting.len() || b as usize >= waiting.len() {
            return false;
        }
        for person in [a, b] {
            for slot in 0..self.calendar.grid.slots {
                let Some(&j) = self.holder.get(&(person, slot)) else {
                    continue;
                };
                let (x, y) = self.requests[j];
                let partner = if x == person { y } else { x };
                let mark = self.journal.len();
                self.remove(j);
                if self.relocate(i, TRADE_CHAIN) {
                    if self.relocate(j, TRADE_CHAIN) {
                        return true;
                    }
                    for &k in &waiting[partner as usize] {
                        if self.placed[k].is_none() && self.relocate(k, TRADE_CHAIN) {
                            return true;
                        }
                    }
                }
                self.undo_to(mark);
            }
        }
        false
    }

    /// Places request `i` (not in the calendar): at the earliest free place, or, with `chain`
    /// moves left, at the first slot where the meetings of this call holding its people there
    /// can be placed elsewhere in turn. Leaves the day as it was when it cannot.
    fn relocate(&mut self, i: usize, chain: u32) -> bool {
        let (a, b) = self.requests[i];
        if let Some(booking) = self.calendar.earliest(a, b) {
            self.enter(i, booking);
            return true;
        }
        let known = |p: u32| (p as usize) < self.calendar.busy.len();
        if chain == 0 || a == b || !known(a) || !known(b) {
            return false;
        }
        for slot in 0..self.calendar.grid.slots {
            let mut blockers: Vec<usize> = Vec::new();
            let mut fixed = false;
            for person in [a, b] {
                match self.holder.get(&(person, slot)) {
                    Some(&j) if !blockers.contains(&j) => blockers.push(j),
                    Some(_) => {}
                    None => fixed |= self.calendar.busy[person as usize][slot as usize],
                }
            }
            if fixed || blockers.is_empty() {
                continue;
            }
            let mark = self.journal.len();
            for &j in &blockers {
                self.remove(j);
            }
            let s = slot as usize;
            let fits = self.calendar.fits(a as usize, s) && self.calendar.fits(b as usize, s);
            if let Some(table) = fits.then(|| self.calendar.free_table(s)).flatten() {
                self.enter(i, Booking { slot, table });
                if blockers.iter().all(|&j| self.relocate(j, chain - 1)) {
                    return true;
                }
            }
            self.undo_to(mark);
        }
        false
    }
}

impl Calendar {
    /// Takes a meeting out of the calendar again.
    fn remove(&mut self, a: u32, b: u32, booking: Booking) {
        let slot = booking.slot as usize;
        self.busy[a as usize][slot] = false;
        self.busy[b as usize][slot] = false;
        self.taken[slot][booking.table as usize - 1] = false;
    }

    fn free_table(&self, slot: usize) -> Option<u32> {
        self.taken[slot]
            .iter()
            .position(|t| !t)
            .map(|t| t as u32 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn earliest_free_slot_and_table() {
        let grid = Grid {
            slots: 3,
            tables: 1,
            max_in_a_row: 0,
        };
        let mut calendar = Calendar::new(grid, 4);
        let placed = schedule_all(&mut calendar, &[(0, 1), (2, 3), (0, 2), (1, 1)]);
        assert_eq!(
            placed,
            vec![
                Some(Booking { slot: 0, table: 1 }),
                Some(Booking { slot: 1, table: 1 }),
                Some(Booking { slot: 2, table: 1 }),
                None,
            ]
        );
        assert_eq!(
            calendar.place(1, 3),
            None,
            "the only table is taken in every slot"
        );
    }

    #[test]
    fn the_break_policy_leaves_a_gap() {
        let grid = Grid {
            slots: 4,
            tables: 5,
            max_in_a_row: 2,
        };
        let mut calendar = Calendar::new(grid, 5);
        let placed = schedule_all(&mut calendar, &[(0, 1), (0, 2), (0, 3), (0, 4)]);
        let slots: Vec<Option<u32>> = placed.iter().map(|b| b.map(|b| b.slot)).collect();
        // Two in a row, then slot 2 stays free; a fourth meeting would fill the gap.
        assert_eq!(slots, vec![Some(0), Some(1), Some(3), None]);
    }

    #[test]
    fn meetings_move_aside_in_a_chain_to_make_room() {
        let grid = Grid {
            slots: 3,
            tables: 5,
            max_in_a_row: 0,
        };
        let requests = [(0, 1), (2, 3), (0, 2), (1, 4), (3, 4), (1, 3)];
        let mut first_come = Calendar::new(grid, 5);
        let greedy: Vec<_> = requests
            .iter()
            .map(|&(a, b)| first_come.place(a, b))
            .collect();
        assert_eq!(
            greedy[5], None,
            "the earliest free slots leave 1 and 3 no common one"
        );
        let placed = schedule_all(&mut Calendar::new(grid, 5), &requests);
        assert!(placed.iter().all(Option::is_some), "{placed:?}");
        for (i, x) in placed.iter().enumerate() {
            for (j, y) in placed.iter().enumerate().skip(i + 1) {
                let shared = [requests[i].0, requests[i].1]
                    .iter()
                    .any(|p| [requests[j].0, requests[j].1].contains(p));
                assert!(!(shared && x.map(|b| b.slot) == y.map(|b| b.slot)));
            }
        }
    }

    #[test]
    fn a_meeting_gives_way_when_that_lets_two_in() {
        let grid = Grid {
            slots: 1,
            tables: 5,
            max_in_a_row: 0,
        };
        // First come, 0 and 1 take the only slot, and neither 0–2 nor 1–3 fits any more.
        let requests = [(0, 1), (0, 2), (1, 3)];
        let placed = schedule_all(&mut Calendar::new(grid, 4), &requests);
        assert_eq!(placed[0], None, "{placed:?}");
        assert!(placed[1].is_some() && placed[2].is_some(), "{placed:?}");
        assert_ne!(placed[1].map(|b| b.table), placed[2].map(|b| b.table));
    }

    proptest! {
        #[test]
        fn nobody_twice_in_a_slot_no_table_twice_and_breaks_kept(
            people in 2usize..30,
            slots in 1u32..10,
            tables in 1u32..6,
            max_in_a_row in 0u32..4,
            requests in proptest::collection::vec((0u32..30, 0u32..30), 0..80),
        ) {
            let grid = Grid { slots, tables, max_in_a_row };
            let mut calendar = Calendar::new(grid, people);
            let placed = schedule_all(&mut calendar, &requests);
            let mut person_slots = HashSet::new();
            let mut table_slots = HashSet::new();
            let mut busy = vec![vec![false; slots as usize]; people];
            for (&(a, b), booking) in requests.iter().zip(&placed) {
                let Some(booking) = booking else { continue };
                prop_assert!(a != b && (a as usize) < people && (b as usize) < people);
                prop_assert!(booking.slot < slots && booking.table >= 1 && booking.table <= tables);
                prop_assert!(person_slots.insert((a, booking.slot)));
                prop_assert!(person_slots.insert((b, booking.slot)));
                prop_assert!(table_slots.insert((booking.table, booking.slot)));
                busy[a as usize][booking.slot as usize] = true;
                busy[b as usize][booking.slot as usize] = true;
            }
            let mut first_pass = Calendar::new(grid, people);
            let greedy = requests.iter().filter(|&&(a, b)| first_pass.place(a, b).is_some()).count();
            prop_assert!(placed.iter().flatten().count() >= greedy, "moves and trades make room, never less");
            if max_in_a_row > 0 {
                for days in &busy {
                    let longest = days.split(|b| !b).map(<[bool]>::len).max().unwrap_or(0);
                    prop_assert!(longest as u32 <= max_in_a_row);
                }
            }
        }
    }
}
