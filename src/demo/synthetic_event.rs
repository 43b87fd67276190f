//! A synthetic live event for load tests, benchmarks and the projector's tests: hundreds or
//! thousands of people registered and checked in, with kinds, organisations, topics, offers,
//! seeks and wishes, in a room of tables for two. Deterministic for a given seed, except the
//! personal links, which are random like every other.

use super::seed::seed_taxonomy;
use super::synthetic::{kind_for, name_for, Random, EVENT_WORDS};
use crate::db::{now_secs, today, Db};
use crate::domain::date::format_date;
use crate::domain::meeting::{MatchRules, Wish};
use crate::domain::tables::{TableGroup, TablePlan};
use crate::token::{new_token, token_hash};

/// The most people one synthetic event holds.
pub const PEOPLE_MAX: usize = 10_000;

const FIRST_NAMES: [&str; 60] = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Elif",
    "Felix",
    "Greta",
    "Hannes",
    "Ida",
    "Jonas",
    "Katrin",
    "Lukas",
    "Mia",
    "Noah",
    "Olga",
    "Paul",
    "Quirin",
    "Rosa",
    "Sven",
    "Tanja",
    "Ufuk",
    "Vera",
    "Wolfgang",
    "Xenia",
    "Yusuf",
    "Zoe",
    "Özlem",
    "Ümit",
    "Jürgen",
    "Ägidius",
    "Marta",
    "Nils",
    "Petra",
    "Rainer",
    "Sabine",
    "Thomas",
    "Ulrike",
    "Veit",
    "Wiebke",
    "Zeynep",
    "Aylin",
    "Bernd",
    "Carla",
    "Dirk",
    "Emma",
    "Frieda",
    "Georg",
    "Helga",
    "Ilse",
    "Jan",
    "Karl",
    "Lena",
    "Maximilian",
    "Nora",
    "Oskar",
    "Pia",
    "Renate",
    "Stefan",
    "Till",
    "Ute",
];
const LAST_NAMES: [&str; 80] = [
    "Alpers",
    "Brandt",
    "Claßen",
    "Demir",
    "Ebert",
    "Fuchs",
    "Graf",
    "Hoffmann",
    "Iwanow",
    "Jäger",
    "Kaya",
    "Lorenz",
    "Maier",
    "Nowak",
    "Öztürk",
    "Peters",
    "Quast",
    "Roth",
    "Schäfer",
    "Tran",
    "Ulrich",
    "Vogel",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmermann",
    "Müller-Lüdenscheidt",
    "Bauer",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Braun",
    "Hofmann",
    "Hartmann",
    "Krüger",
    "Werner",
    "Lange",
    "Schmitt",
    "Krause",
    "Meier",
    "Lehmann",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fischer",
    "Peter",
    "Möller",
    "Beck",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogt",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth-Schneider",
    "Lindner",
    "Ebner",
    "Seidel",
    "Engel",
    "Horn",
    "Busch",
    "Bergmann",
    "Thomas",
    "Voigt",
    "Sauer",
    "Arnold",
    "Dietrich",
    "Pohl",
];

/// `count` names, each combination of a first and a last name at most once while there are
/// combinations left, in a shuffled order.
fn person_names(count: usize, random: &mut Random) -> Vec<String> {
    let mut combinations: Vec<usize> = (0..FIRST_NAMES.len() * LAST_NAMES.len()).collect();
    for i in (1..combinations.len()).rev() {
        combinations.swap(i, random.below(i + 1));
    }
    (0..count)
        .map(|i| {
            let n = combinations[i % combinations.len()];
            format!(
                "{} {}",
                FIRST_NAMES[n % FIRST_NAMES.len()],
                LAST_NAMES[n / FIRST_NAMES.len()]
            )
        })
        .collect()
}

/// What was generated: the event's address and everyone's personal link token.
pub struct SyntheticEvent {
    pub slug: String,
    pub tokens: Vec<String>,
}

/// Writes a live event with `people` checked-in registrations, in one transaction.
pub async fn load_event(db: &Db, people: usize, seed: u64) -> Result<SyntheticEvent, String> {
    if !(2..=PEOPLE_MAX).contains(&people) {
        return Err(format!("a synthetic event has 2 to {PEOPLE_MAX} people"));
    }
    let db_error = |e: sqlx::Error| format!("generating the event failed: {e}");
    let mut random = Random(seed);
    let mut tx = db.begin_write().await.map_err(db_error)?;
    let terms = seed_taxonomy(&mut tx).await.map_err(db_error)?;
    let mut term_ids: Vec<i64> = terms.values().copied().collect();
    term_ids.sort_unstable();
    let day = format_date(today());
    let slug = format!("synthetisch-{people}-{seed}");
    let tables = people.div_ceil(2) as u32 + 4;
    let plan = TablePlan {
        groups: vec![
            TableGroup {
                label: "Tisch".into(),
                count: tables - 4,
                seats: 2,
                area: "Halle A".into(),
            },
            TableGroup {
                label: "Lounge".into(),
                count: 4,
                seats: 4,
                area: "Halle B".into(),
            },
        ],
    };
    let json = |value: serde_json::Result<String>| value.map_err(|e| e.to_string());
    let now = now_secs();
    let event_id: i64 = sqlx::query_scalar(
        "INSERT INTO events (slug, title, description, venue, town, starts_at, ends_at, status, \
           round_minutes, rounds, table_plan, rules, created_at) \
         VALUES ($1, $2, '', 'Stadthalle', 'Sinsheim', $3, $4, 'live', 8, 6, $5, $6, $7) RETURNING id",
    )
    .bind(&slug)
    .bind(format!("Synthetischer Kickoff mit {people} Personen"))
    .bind(format!("{day}T09:00"))
    .bind(format!("{day}T18:00"))
    .bind(json(serde_json::to_string(&plan))?)
    .bind(json(serde_json::to_string(&MatchRules::default()))?)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(db_error)?;
    let mut ids = Vec::with_capacity(people);
    let mut tokens = Vec::with_capacity(people);
    for (index, name) in person_names(people, &mut random).into_iter().enumerate() {
        let kind = kind_for(&mut random);
        let words = |random: &mut Random| {
            (0..2 + random.below(3))
                .map(|_| EVENT_WORDS[random.below(EVENT_WORDS.len())])
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (offers, seeks) = (words(&mut random), words(&mut random));
        let token = new_token();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO registrations (event_id, person_name, email, organisation, kind, offers, \
               seeks, consent, token_hash, checked_in_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9) RETURNING id",
        )
        .bind(event_id)
        .bind(&name)
        .bind(format!("person-{index}@synthetisch.invalid"))
        .bind(name_for(kind, &mut random, index / 2 + 1))
        .bind(kind.code())
        .bind(&offers)
        .bind(&seeks)
        .bind(token_hash(&token))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        let mut chosen: Vec<i64> = (0..1 + random.below(3))
            .map(|_| term_ids[random.below(term_ids.len())])
            .collect();
        chosen.sort_unstable();
        chosen.dedup();
        for term in chosen {
            sqlx::query(
                "INSERT INTO registration_terms (registration_id, term_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(term)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        ids.push(id);
        tokens.push(token);
    }
    // Two "gern" wishes each, a must-meet for every tenth person.
    for (index, &from) in ids.iter().enumerate() {
        let mut wished = Vec::new();
        for wish in [Wish::Gern, Wish::Gern]
            .into_iter()
            .chain((index % 10 == 0).then_some(Wish::MustMeet))
        {
            let to = ids[random.below(ids.len())];
            if to == from || wished.contains(&to) {
                continue;
            }
            wished.push(to);
            sqlx::query(
                "INSERT INTO wishes (from_registration, to_registration, wish, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(from)
            .bind(to)
            .bind(wish.code())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
    }
    tx.commit().await.map_err(db_error)?;
    Ok(SyntheticEvent { slug, tokens })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_repeat_only_once_the_combinations_run_out() {
        let names = person_names(2000, &mut Random(7));
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), 2000);
        assert_eq!(names, person_names(2000, &mut Random(7)), "deterministic");
        let many = person_names(FIRST_NAMES.len() * LAST_NAMES.len() + 5, &mut Random(7));
        assert_eq!(many[0], many[FIRST_NAMES.len() * LAST_NAMES.len()]);
    }
}
