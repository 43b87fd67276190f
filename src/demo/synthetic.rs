//! A synthetic region for load tests and benchmarks: thousands of actors around the demo
//! region's real towns, connected the way real networks are — a few hubs, mostly local ties,
//! growing over the years. Deterministic for a given seed.

use super::seed::{demo_towns, seed_taxonomy};
use crate::db::actors::{bump_revision, insert_connections, store_actors, Existing, NewConnection};
use crate::db::{now_secs, today, Db};
use crate::domain::actor::{ActorKind, ConnectionKind};
use crate::domain::actor_input::{ActorRecord, ConnectionRecord, SIZE_BANDS};
use crate::domain::date::{add_days, format_date, parse_date, Day};
use crate::domain::slug::slugify;
use std::collections::{HashMap, HashSet};

#[derive(Clone, Copy, Debug)]
pub struct SyntheticSize {
    pub actors: usize,
    pub connections: usize,
    pub seed: u64,
}

#[derive(Clone, Debug)]
pub struct SyntheticActor {
    pub slug: String,
    pub name: String,
    pub kind: ActorKind,
    pub town: String,
    pub lat: f64,
    pub lon: f64,
    pub founded_year: i64,
    pub size_band: &'static str,
    pub terms: Vec<i64>,
}

#[derive(Clone, Debug)]
pub struct SyntheticConnection {
    pub source: usize,
    pub target: usize,
    pub kind: ConnectionKind,
    pub started_on: String,
    pub ended_on: Option<String>,
}

impl SyntheticActor {
    /// The actor as every other actor is written; its terms (ids) by their slugs.
    fn record(&self, slug_of: &HashMap<i64, String>) -> ActorRecord {
        ActorRecord {
            founded_year: Some(self.founded_year as i32),
            size_band: Some(self.size_band.to_owned()),
            // Drawn from both vocabularies; only the links are stored, not which is which.
            sectors: self
                .terms
                .iter()
                .filter_map(|id| slug_of.get(id).cloned())
                .collect(),
            is_public: true,
            ..ActorRecord::placed(
                self.name.clone(),
                self.kind,
                self.town.clone(),
                self.lat,
                self.lon,
            )
        }
    }
}

impl SyntheticConnection {
    fn record(&self) -> ConnectionRecord {
        ConnectionRecord {
            source: String::new(),
            target: String::new(),
            kind: self.kind,
            start: parse_date(&self.started_on).unwrap_or_default(),
            end: self.ended_on.as_deref().and_then(parse_date),
            origin: None,
            note: None,
        }
    }
}

/// SplitMix64: tiny, fast and good enough for test data; no dependency for it.
pub struct Random(pub u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const PLACES: [&str; 12] = [
    "Kraichgau",
    "Elsenz",
    "Hardt",
    "Neckar",
    "Hügelland",
    "Stromberg",
    "Letzenberg",
    "Angelbach",
    "Bergstraße",
    "Odenwald",
    "Rheintal",
    "Enz",
];
const TRADES: [&str; 14] = [
    "Sensorik",
    "Metallbau",
    "Robotik",
    "Werkzeugbau",
    "Weinbau",
    "Datentechnik",
    "Medizintechnik",
    "Energietechnik",
    "Logistik",
    "Kunststofftechnik",
    "Agrartechnik",
    "Software",
    "Holzbau",
    "Oberflächentechnik",
];

pub(super) fn name_for(kind: ActorKind, random: &mut Random, index: usize) -> String {
    let place = PLACES[random.below(PLACES.len())];
    let trade = TRADES[random.below(TRADES.len())];
    match kind {
        ActorKind::Mittelstand => format!("{place} {trade} GmbH {index}"),
        ActorKind::Startup => format!("{trade}Labs {place} {index}"),
        ActorKind::Forschung => format!("Institut für {trade} {place} {index}"),
        ActorKind::Intermediaer => format!("Wirtschaftsförderung {place} {index}"),
        ActorKind::Initiative => format!("Netzwerk {trade} {place} {index}"),
        ActorKind::Coworking => format!("Coworking {place} {index}"),
    }
}

pub(super) fn kind_for(random: &mut Random) -> ActorKind {
    match random.below(100) {
        0..=39 => ActorKind::Mittelstand,
        40..=64 => ActorKind::Startup,
        65..=74 => ActorKind::Forschung,
        75..=84 => ActorKind::Intermediaer,
        85..=94 => ActorKind::Initiative,
        _ => ActorKind::Coworking,
    }
}

fn connection_kind(a: ActorKind, b: ActorKind, random: &mut Random) -> ConnectionKind {
    use ActorKind::*;
    match (a, b) {
        (Forschung, _) | (_, Forschung) if random.below(2) == 0 => {
            ConnectionKind::Forschungskooperation
        }
        (Mittelstand, Startup) | (Startup, Mittelstand) => ConnectionKind::Tandem,
        (Intermediaer | Initiative | Coworking, _) | (_, Intermediaer | Initiative | Coworking) => {
            if random.below(3) == 0 {
                ConnectionKind::Mentoring
            } else {
                ConnectionKind::Mitgliedschaft
            }
        }
        _ => ConnectionKind::KundeLieferant,
    }
}

/// Generates the rows; `towns` are (name, lat, lon), `terms` the taxonomy ids to tag with.
pub fn generate(
    size: SyntheticSize,
    towns: &[(String, f64, f64)],
    terms: &[i64],
    today: Day,
) -> (Vec<SyntheticActor>, Vec<SyntheticConnection>) {
    let mut random = Random(size.seed);
    let mut by_town: Vec<Vec<usize>> = vec![Vec::new(); towns.len()];
    let actors: Vec<SyntheticActor> = (0..size.actors)
        .map(|index| {
            let kind = kind_for(&mut random);
            // Larger towns (earlier in the list) get more actors.
            let town = random.below(towns.len()).min(random.below(towns.len()));
            by_town[town].push(index);
            let (name, lat, lon) = &towns[town];
            let actor_name = name_for(kind, &mut random, index + 1);
            let mut chosen: Vec<i64> = (0..1 + random.below(3))
                .map(|_| terms[random.below(terms.len())])
                .collect();
            chosen.sort_unstable();
            chosen.dedup();
            SyntheticActor {
                slug: slugify(&actor_name),
                name: actor_name,
                kind,
                town: name.clone(),
                lat: lat + (random.unit() - 0.5) * 0.03,
                lon: lon + (random.unit() - 0.5) * 0.045,
                founded_year: 1950 + random.below(76) as i64,
                size_band: SIZE_BANDS[random.below(SIZE_BANDS.len())],
                terms: chosen,
            }
        })
        .collect();
    let first_day = parse_date("2016-01-01").unwrap_or_default();
    let mut endpoints: Vec<usize> = Vec::new();
    let mut seen: HashSet<(usize, usize, ConnectionKind)> = HashSet::new();
    let mut connections = Vec::with_capacity(size.connections);
    let mut attempts = 0;
    while connections.len() < size.connections
        && attempts < size.connections * 20
        && size.actors > 1
    {
        attempts += 1;
        // Preferential attachment makes hubs; most partners are nearby.
        let source = if !endpoints.is_empty() && random.below(2) == 0 {
            endpoints[random.below(endpoints.len())]
        } else {
            random.below(size.actors)
        };
        let source_town = towns
            .iter()
            .position(|(name, _, _)| *name == actors[source].town)
            .unwrap_or(0);
        let target = if random.below(10) < 6 && by_town[source_town].len() > 1 {
            by_town[source_town][random.below(by_town[source_town].len())]
        } else if !endpoints.is_empty() && random.below(3) == 0 {
            endpoints[random.below(endpoints.len())]
        } else {
            random.below(size.actors)
        };
        if source == target {
            continue;
        }
        let kind = connection_kind(actors[source].kind, actors[target].kind, &mut random);
        let key = (source.min(target), source.max(target), kind);
        if !seen.insert(key) {
            continue;
        }
        endpoints.extend([source, target]);
        // More connections in recent years: the network grows.
        let span = (today - first_day).num_days().max(1) as f64;
        let start = add_days(first_day, (span * random.unit().sqrt()) as i64);
        let ended_on = (random.below(10) == 0)
            .then(|| format_date(add_days(start, 180 + random.below(900) as i64).min(today)));
        connections.push(SyntheticConnection {
            source,
            target,
            kind,
            started_on: format_date(start),
            ended_on,
        });
    }
    (actors, connections)
}

/// Writes a synthetic region into an empty database, in one transaction.
pub async fn load(db: &Db, size: SyntheticSize) -> Result<(usize, usize), String> {
    let db_error = |e: sqlx::Error| format!("generating failed: {e}");
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM actors")
        .fetch_one(&db.pool)
        .await
        .map_err(db_error)?;
    if existing > 0 {
        return Err(format!(
            "the database already holds {existing} actors; generate into an empty database"
        ));
    }
    let mut tx = db.begin_write().await.map_err(db_error)?;
    let terms = seed_taxonomy(&mut tx).await.map_err(db_error)?;
    let mut term_ids: Vec<i64> = terms.values().copied().collect();
    term_ids.sort_unstable();
    let (actors, connections) = generate(size, &demo_towns()?, &term_ids, today());
    let slug_of: HashMap<i64, String> = terms.into_iter().map(|(slug, id)| (id, slug)).collect();
    let records: Vec<(String, ActorRecord)> = actors
        .iter()
        .map(|actor| (actor.slug.clone(), actor.record(&slug_of)))
        .collect();
    let rows: Vec<(String, &ActorRecord)> = records
        .iter()
        .map(|(slug, record)| (slug.clone(), record))
        .collect();
    let now = now_secs();
    let ids = store_actors(
        &mut tx,
        &rows,
        &slug_of.into_iter().map(|(id, slug)| (slug, id)).collect(),
        now,
        Existing::Replace,
    )
    .await
    .map_err(|e| format!("generating failed: {e}"))?;
    let records: Vec<ConnectionRecord> = connections
        .iter()
        .map(SyntheticConnection::record)
        .collect();
    let new: Vec<NewConnection> = connections
        .iter()
        .zip(&records)
        .map(|(connection, record)| NewConnection {
            record,
            source: ids[connection.source],
            target: ids[connection.target],
            event: None,
        })
        .collect();
    insert_connections(&mut tx, &new, now, Existing::Replace)
        .await
        .map_err(|e| format!("generating failed: {e}"))?;
    bump_revision(&mut tx).await.map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok((actors.len(), connections.len()))
}

/// Words registrants use for what they offer and seek at a matchmaking event.
pub(super) const EVENT_WORDS: [&str; 40] = [
    "Sensorik",
    "Robotik",
    "Automatisierung",
    "Wasserstoff",
    "Batterien",
    "Leichtbau",
    "Kunststoffe",
    "Fertigung",
    "Qualitätsprüfung",
    "Bildverarbeitung",
    "Datenanalyse",
    "Cloud",
    "Sicherheit",
    "Energieeffizienz",
    "Recycling",
    "Logistik",
    "Lieferkette",
    "Medizintechnik",
    "Biotechnologie",
    "Landwirtschaft",
    "Lebensmittel",
    "Verpackung",
    "Holzbau",
    "Photovoltaik",
    "Wärmepumpen",
    "Mobilität",
    "Software",
    "Pilotkunden",
    "Kapital",
    "Förderung",
    "Fachkräfte",
    "Prototypen",
    "Messtechnik",
    "Simulation",
    "Werkstoffe",
    "Oberflächen",
    "Elektronik",
    "Antriebe",
    "Steuerungen",
    "Vertrieb",
];

/// A synthetic matchmaking room for benchmarks: `people` registrants of all kinds from
/// `people / 2` organisations, 1–4 topics of 30, offers and seeks of 2–4 words, three "gern"
/// wishes each, a must-meet for every tenth person, a no-thanks for every fifth, and `history`
/// earlier meetings per person.
pub fn synthetic_room(people: usize, history: usize, seed: u64) -> crate::domain::scoring::Pool {
    use crate::domain::meeting::{MatchRules, Wish};
    let mut random = Random(seed);
    let mut pool = crate::domain::scoring::Pool::new(MatchRules::default());
    let words = |random: &mut Random| {
        (0..2 + random.below(3))
            .map(|_| EVENT_WORDS[random.below(EVENT_WORDS.len())])
            .collect::<Vec<_>>()
            .join(", ")
    };
    for _ in 0..people {
        let kind = kind_for(&mut random);
        let organisation = format!("Organisation {}", random.below(people / 2 + 1));
        let topics = (0..1 + random.below(4))
            .map(|_| random.below(30) as u32)
            .collect();
        let (offers, seeks) = (words(&mut random), words(&mut random));
        pool.add(&organisation, Some(kind), topics, &offers, &seeks);
    }
    let n = people.max(1);
    for person in 0..people as u32 {
        let other = |random: &mut Random| random.below(n) as u32;
        for _ in 0..3 {
            let to = other(&mut random);
            pool.wish(person, to, Wish::Gern);
        }
        if person % 10 == 0 {
            let to = other(&mut random);
            pool.wish(person, to, Wish::MustMeet);
        }
        if person % 5 == 0 {
            let to = other(&mut random);
            pool.wish(person, to, Wish::NoThanks);
        }
        for _ in 0..history {
            let to = other(&mut random);
            if to != person {
                pool.record_meeting(person, to);
            }
        }
    }
    pool
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_well_formed() {
        let towns = vec![
            ("Sinsheim".to_owned(), 49.25, 8.88),
            ("Bretten".to_owned(), 49.03, 8.70),
            ("Eppingen".to_owned(), 49.14, 8.91),
        ];
        let size = SyntheticSize {
            actors: 300,
            connections: 1200,
            seed: 7,
        };
        let today = parse_date("2026-11-23").unwrap();
        let (actors, connections) = generate(size, &towns, &[1, 2, 3], today);
        let (again, _) = generate(size, &towns, &[1, 2, 3], today);
        assert_eq!(actors.len(), 300);
        assert_eq!(connections.len(), 1200);
        assert_eq!(actors[17].name, again[17].name);
        let slugs: HashSet<&str> = actors.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs.len(), actors.len(), "slugs are unique");
        for c in &connections {
            assert_ne!(c.source, c.target);
            let start = parse_date(&c.started_on).unwrap();
            assert!(start <= today);
            if let Some(end) = &c.ended_on {
                assert!(parse_date(end).unwrap() >= start);
            }
        }
    }
}
