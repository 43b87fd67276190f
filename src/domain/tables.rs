//! The room's tables as the organiser lists them: groups of alike tables ("20 tables for two in
//! hall A, 5 lounges for four in hall B"), numbered through from 1 in list order. Meetings keep
//! the number; people read the table's name and area.

use super::actor_input::{problem, FieldProblem};
use super::event::{SEATS, TABLES};
use super::validation::Problem;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const TABLE_GROUPS_MAX: usize = 40;
pub const TABLE_LABEL_MAX: usize = 40;
pub const AREA_MAX: usize = 60;
/// What tables are called when the organiser leaves the name empty: always numbered.
pub const DEFAULT_LABEL: &str = "Tisch";

/// A table as the matching sees it: its number and how many it seats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub number: u32,
    pub capacity: u32,
}

/// Tables alike in seats and area, e.g. "Lounge", 5 tables for four, "Halle B".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableGroup {
    /// The organiser's name for these tables; empty: "Tisch" with a number.
    pub label: String,
    pub count: u32,
    pub seats: u32,
    #[serde(default)]
    pub area: String,
}

/// Every table of the room, as groups in the organiser's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TablePlan {
    pub groups: Vec<TableGroup>,
}

/// One table as people look for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TablePlace {
    pub number: u32,
    /// "Tisch 12", "Lounge 3", or a single table's own name ("Bühne").
    pub name: String,
    pub area: String,
    pub seats: u32,
}

/// The name a group's tables go by.
fn name_of(group: &TableGroup) -> &str {
    if group.label.is_empty() {
        DEFAULT_LABEL
    } else {
        &group.label
    }
}

impl TablePlace {
    /// "Lounge 3 (Halle B)", or the name alone where the plan has no areas.
    pub fn with_area(&self) -> String {
        if self.area.is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.area)
        }
    }
}

impl TablePlan {
    /// `count` tables for `seats` people each, without areas.
    pub fn uniform(count: u32, seats: u32) -> TablePlan {
        TablePlan {
            groups: vec![TableGroup {
                label: String::new(),
                count,
                seats,
                area: String::new(),
            }],
        }
    }

    pub fn total(&self) -> u32 {
        self.groups.iter().map(|g| g.count).sum()
    }

    pub fn seats_total(&self) -> u32 {
        self.groups.iter().map(|g| g.count * g.seats).sum()
    }

    /// Every table with its number and seats, for the matching.
    pub fn tables(&self) -> Vec<Table> {
        self.places()
            .map(|place| Table {
                number: place.number,
                capacity: place.seats,
            })
            .collect()
    }

    /// Every table in order with its name. A name shared by several tables (in one group or
    /// several) is numbered on through its groups; the organiser's name for a single table
    /// stands alone ("Bühne"); tables without a name are "Tisch 1", "Tisch 2" and so on.
    pub fn places(&self) -> impl Iterator<Item = TablePlace> + '_ {
        let mut uses: HashMap<&str, u32> = HashMap::new();
        for group in &self.groups {
            *uses.entry(name_of(group)).or_default() += group.count;
        }
        let mut seen: HashMap<&str, u32> = HashMap::new();
        let mut number = 0;
        self.groups.iter().flat_map(move |group| {
            let label = name_of(group);
            let alone = !group.label.is_empty() && uses.get(label) == Some(&1);
            let first = *seen.get(label).unwrap_or(&0);
            seen.insert(label, first + group.count);
            let start = number;
            number += group.count;
            (1..=group.count).map(move |i| TablePlace {
                number: start + i,
                name: if alone {
                    label.to_owned()
                } else {
                    format!("{label} {}", first + i)
                },
                area: group.area.clone(),
                seats: group.seats,
            })
        })
    }

    /// Every table by number, named once for a page that names many.
    pub fn lookup(&self) -> TableLookup {
        TableLookup(self.places().collect())
    }

    /// The table with `number`, named as [`TablePlan::places`] names it, in a step per group:
    /// for a page that names a few tables of thousands (a phone's).
    pub fn place(&self, number: u32) -> TablePlace {
        let uses = |label: &str| -> u32 {
            self.groups
                .iter()
                .filter(|g| name_of(g) == label)
                .map(|g| g.count)
                .sum()
        };
        let mut start = 0;
        for (index, group) in self.groups.iter().enumerate() {
            if number > start && number <= start + group.count {
                let label = name_of(group);
                let i = number - start;
                let name = if !group.label.is_empty() && uses(label) == 1 {
                    label.to_owned()
                } else {
                    let before: u32 = self.groups[..index]
                        .iter()
                        .filter(|g| name_of(g) == label)
                        .map(|g| g.count)
                        .sum();
                    format!("{label} {}", before + i)
                };
                return TablePlace {
                    number,
                    name,
                    area: group.area.clone(),
                    seats: group.seats,
                };
            }
            start += group.count;
        }
        unknown_table(number)
    }

    pub fn to_input(&self) -> Vec<TableGroupInput> {
        self.groups
            .iter()
            .map(|g| TableGroupInput {
                label: g.label.clone(),
                count: g.count.to_string(),
                seats: g.seats.to_string(),
                area: g.area.clone(),
            })
            .collect()
    }
}

/// A plan's tables by number (index `n - 1` is table `n`).
pub struct TableLookup(Vec<TablePlace>);

impl TableLookup {
    /// The table with `number` (see [`unknown_table`] for one the plan no longer has).
    pub fn place(&self, number: u32) -> TablePlace {
        (number as usize)
            .checked_sub(1)
            .and_then(|index| self.0.get(index))
            .cloned()
            .unwrap_or_else(|| unknown_table(number))
    }
}

/// A number the plan no longer has (the organisers removed tables after a round was planned or
/// a slot booked) keeps its number as its name.
fn unknown_table(number: u32) -> TablePlace {
    TablePlace {
        number,
        name: number.to_string(),
        area: String::new(),
        seats: 0,
    }
}

/// One row of the form's table list; every field is text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableGroupInput {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub count: String,
    #[serde(default)]
    pub seats: String,
    #[serde(default)]
    pub area: String,
}

impl TableGroupInput {
    fn is_blank(&self) -> bool {
        [&self.label, &self.count, &self.seats, &self.area]
            .iter()
            .all(|field| field.trim().is_empty())
    }
}

fn number_in(value: &str, (min, max): (u32, u32)) -> Option<u32> {
    value
        .trim()
        .parse()
        .ok()
        .filter(|n| (min..=max).contains(n))
}

/// Reads the form's rows (blank ones are skipped): each needs a count and seats in range and a
/// name that is not another single table's; there must be tables, and not too many.
pub fn read_table_plan(rows: &[TableGroupInput]) -> Result<TablePlan, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut groups = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        if row.is_blank() {
            continue;
        }
        let row_number = index + 1;
        let label = row.label.trim();
        let area = row.area.trim();
        let count = number_in(&row.count, TABLES);
        let seats = number_in(&row.seats, SEATS);
        let (Some(count), Some(seats)) = (count, seats) else {
            problems.push(problem(
                "tables",
                Problem::TableRowInvalid { row: row_number },
            ));
            continue;
        };
        if label.chars().count() > TABLE_LABEL_MAX || area.chars().count() > AREA_MAX {
            problems.push(problem(
                "tables",
                Problem::TableRowInvalid { row: row_number },
            ));
            continue;
        }
        groups.push((
            row_number,
            TableGroup {
                label: label.to_owned(),
                count,
                seats,
                area: area.to_owned(),
            },
        ));
    }
    let rows: Vec<usize> = groups.iter().map(|(row, _)| *row).collect();
    let plan = TablePlan {
        groups: groups.into_iter().map(|(_, group)| group).collect(),
    };
    // "Tisch 1" as a single table's own name and the first of a group "Tisch" would be two
    // tables of one name.
    let mut names = std::collections::HashSet::new();
    let mut row_of_table = plan
        .groups
        .iter()
        .zip(&rows)
        .flat_map(|(group, row)| std::iter::repeat_n(*row, group.count as usize));
    for place in plan.places() {
        let row = row_of_table.next().unwrap_or_default();
        if !names.insert(place.name) {
            problems.push(problem("tables", Problem::TableNameTaken { row }));
            break;
        }
    }
    if plan.groups.len() > TABLE_GROUPS_MAX {
        problems.push(problem(
            "tables",
            Problem::TooMany {
                max: TABLE_GROUPS_MAX,
            },
        ));
    }
    if problems.is_empty() && !(TABLES.0..=TABLES.1).contains(&plan.total()) {
        problems.push(problem(
            "tables",
            Problem::NumberOutOfRange {
                min: TABLES.0 as usize,
                max: TABLES.1 as usize,
            },
        ));
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn row(label: &str, count: &str, seats: &str, area: &str) -> TableGroupInput {
        TableGroupInput {
            label: label.into(),
            count: count.into(),
            seats: seats.into(),
            area: area.into(),
        }
    }

    #[test]
    fn groups_number_through_and_name_their_tables() {
        let plan = read_table_plan(&[
            row("", "20", "2", "Halle A"),
            row("Lounge", "5", "4", "Halle B"),
            row("", "", "", ""),
            row("Bühne", "1", "6", "Halle A"),
        ])
        .unwrap();
        assert_eq!(plan.total(), 26);
        assert_eq!(plan.seats_total(), 20 * 2 + 5 * 4 + 6);
        let places: Vec<TablePlace> = plan.places().collect();
        assert_eq!(places[0].name, "Tisch 1");
        assert_eq!(places[19].name, "Tisch 20");
        assert_eq!(places[20].name, "Lounge 1");
        assert_eq!(places[20].area, "Halle B");
        assert_eq!(
            (places[24].name.as_str(), places[24].seats),
            ("Lounge 5", 4)
        );
        let lookup = plan.lookup();
        assert_eq!(lookup.place(26).name, "Bühne");
        // Tables removed after the fact keep their number.
        assert_eq!(
            (lookup.place(27).name.as_str(), lookup.place(27).seats),
            ("27", 0)
        );
        assert_eq!(lookup.place(0).name, "0");
        let tables = plan.tables();
        assert_eq!(tables.len(), 26);
        assert_eq!(
            tables[25],
            Table {
                number: 26,
                capacity: 6
            }
        );
    }

    #[test]
    fn a_name_in_two_groups_numbers_on() {
        let plan =
            read_table_plan(&[row("Bühne", "1", "6", ""), row("Bühne", "1", "6", "")]).unwrap();
        let names: Vec<String> = plan.places().map(|p| p.name).collect();
        assert_eq!(names, ["Bühne 1", "Bühne 2"]);
        let plan =
            read_table_plan(&[row("Tisch", "2", "2", "A"), row("Tisch", "2", "3", "B")]).unwrap();
        let names: Vec<String> = plan.places().map(|p| p.name).collect();
        assert_eq!(names, ["Tisch 1", "Tisch 2", "Tisch 3", "Tisch 4"]);
    }

    #[test]
    fn bad_rows_are_named_by_their_line() {
        let problems = read_table_plan(&[
            row("Tisch", "20", "2", ""),
            row("Lounge", "fünf", "4", ""),
            row("Sofa", "2", "1", ""),
            row("Bühne 2", "1", "4", ""),
            row("Bühne", "2", "4", ""),
        ])
        .unwrap_err();
        let rows: Vec<Problem> = problems.into_iter().map(|p| p.problem).collect();
        assert_eq!(
            rows,
            [
                Problem::TableRowInvalid { row: 2 },
                Problem::TableRowInvalid { row: 3 },
                Problem::TableNameTaken { row: 5 },
            ]
        );
        assert!(read_table_plan(&[]).is_err(), "a room needs tables");
        assert!(read_table_plan(&[row("", "5000", "2", ""), row("x", "1", "2", "")]).is_err());
    }

    proptest! {
        /// Numbers run 1..=total without gaps, names are unique, and every seat is counted.
        #[test]
        fn every_table_has_one_number_and_a_unique_name(
            groups in prop::collection::vec(("(A|B|A 1|A 2)?", 1u32..30, 2u32..8), 1..8)
        ) {
            let rows: Vec<TableGroupInput> = groups
                .iter()
                .map(|(label, count, seats)| row(label, &count.to_string(), &seats.to_string(), ""))
                .collect();
            let Ok(plan) = read_table_plan(&rows) else { return Ok(()); };
            let places: Vec<TablePlace> = plan.places().collect();
            let lookup = plan.lookup();
            prop_assert_eq!(places.len() as u32, plan.total());
            for (i, place) in places.iter().enumerate() {
                prop_assert_eq!(place.number, i as u32 + 1);
                prop_assert_eq!(&lookup.place(place.number), place);
                prop_assert_eq!(&plan.place(place.number), place);
            }
            for beyond in [0, plan.total() + 1] {
                prop_assert_eq!(plan.place(beyond), lookup.place(beyond));
            }
            let names: std::collections::HashSet<&str> =
                places.iter().map(|p| p.name.as_str()).collect();
            prop_assert_eq!(names.len(), places.len());
            prop_assert_eq!(plan.tables().iter().map(|t| t.capacity).sum::<u32>(), plan.seats_total());
        }
    }
}
