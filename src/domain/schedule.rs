//! Bookable meetings: accepted requests are placed into the earliest slot where both people and
//! a table are free, and nobody gets more meetings in a row than the break policy allows (like
//! b2match's "schedule all"). Pure and deterministic.

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
        let (a, b) = (a as usize, b as usize);
        if a == b || a >= self.busy.len() || b >= self.busy.len() {
            return None;
        }
        for slot in 0..self.grid.slots as usize {
            if !self.fits(a, slot) || !self.fits(b, slot) {
                continue;
            }
            if let Some(table) = self.taken[slot].iter().position(|t| !t) {
                let booking = Booking {
                    slot: slot as u32,
                    table: table as u32 + 1,
                };
                self.enter(a as u32, b as u32, booking);
                return Some(booking);
            }
        }
        None
    }
}

/// How often the second chance goes over the requests still without a slot.
const MAX_PASSES: usize = 4;

/// Places every request it can, in the given order (earlier requests first); `None` for those
/// that found no slot. A request that found none gets a second chance: a meeting placed before
/// it in this call that holds one of its people at some slot may move to another slot to make
/// room. Earlier requests keep their place in the day, only its time may change; meetings that
/// were in the calendar before the call never move.
pub fn schedule_all(calendar: &mut Calendar, requests: &[(u32, u32)]) -> Vec<Option<Booking>> {
    let mut placed: Vec<Option<Booking>> = requests
        .iter()
        .map(|&(a, b)| calendar.place(a, b))
        .collect();
    // Which of this call's requests holds a person at a slot.
    let mut holder: HashMap<(u32, u32), usize> = HashMap::new();
    for (i, booking) in placed.iter().enumerate() {
        if let Some(booking) = booking {
            let (a, b) = requests[i];
            holder.insert((a, booking.slot), i);
            holder.insert((b, booking.slot), i);
        }
    }
    // A move can open room for a request passed over before it, so the pass repeats while it
    // places something (a few times at most).
    for _ in 0..MAX_PASSES {
        let mut progress = false;
        for i in 0..requests.len() {
            if placed[i].is_none() {
                progress |= calendar.make_room(i, requests, &mut placed, &mut holder);
            }
        }
        if !progress {
            break;
        }
    }
    placed
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

    /// Places request `i` at the first slot where moving the meetings of this call that hold its
    /// people there to other slots makes room; leaves everything as it was when none does.
    /// Whether it was placed.
    fn make_room(
        &mut self,
        i: usize,
        requests: &[(u32, u32)],
        placed: &mut [Option<Booking>],
        holder: &mut HashMap<(u32, u32), usize>,
    ) -> bool {
        let (a, b) = requests[i];
        if a == b || a as usize >= self.busy.len() || b as usize >= self.busy.len() {
            return false;
        }
        for slot in 0..self.grid.slots {
            let mut blockers: Vec<usize> = Vec::new();
            let mut fixed = false;
            for person in [a, b] {
                match holder.get(&(person, slot)) {
                    Some(&j) if !blockers.contains(&j) => blockers.push(j),
                    Some(_) => {}
                    None => fixed |= self.busy[person as usize][slot as usize],
                }
            }
            if fixed || blockers.is_empty() {
                continue;
            }
            let before: Vec<Booking> = blockers
                .iter()
                .map(|&j| placed[j].expect("a holder is placed"))
                .collect();
            for (&j, &booking) in blockers.iter().zip(&before) {
                self.remove(requests[j].0, requests[j].1, booking);
            }
            let s = slot as usize;
            let table = (self.fits(a as usize, s) && self.fits(b as usize, s))
                .then(|| self.free_table(s))
                .flatten();
            if let Some(table) = table {
                let booking = Booking { slot, table };
                self.enter(a, b, booking);
                let mut after = Vec::new();
                for &j in &blockers {
                    match self.place(requests[j].0, requests[j].1) {
                        Some(moved) => after.push(moved),
                        None => break,
                    }
                }
                if after.len() == blockers.len() {
                    for ((&j, old), new) in blockers.iter().zip(&before).zip(&after) {
                        let (x, y) = requests[j];
                        holder.remove(&(x, old.slot));
                        holder.remove(&(y, old.slot));
                        holder.insert((x, new.slot), j);
                        holder.insert((y, new.slot), j);
                        placed[j] = Some(*new);
                    }
                    holder.insert((a, slot), i);
                    holder.insert((b, slot), i);
                    placed[i] = Some(booking);
                    return true;
                }
                for (&j, moved) in blockers.iter().zip(&after) {
                    self.remove(requests[j].0, requests[j].1, *moved);
                }
                self.remove(a, b, booking);
            }
            for (&j, &booking) in blockers.iter().zip(&before) {
                self.enter(requests[j].0, requests[j].1, booking);
            }
        }
        false
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
            prop_assert!(placed.iter().flatten().count() >= greedy, "moving makes room, never less");
            if max_in_a_row > 0 {
                for days in &busy {
                    let longest = days.split(|b| !b).map(<[bool]>::len).max().unwrap_or(0);
                    prop_assert!(longest as u32 <= max_in_a_row);
                }
            }
        }
    }
}
