//! The demo region: Kraichgau, Rhein-Neckar and the Karlsruhe area. The data lives in `demo/`
//! and is compiled in, so `tandem seed` works from any directory.

use crate::db::actors::{bump_revision, insert_connections, store_actors, Existing, NewConnection};
use crate::db::{now_secs, this_year, Db};
use crate::domain::actor::Region;
use crate::domain::actor_input::{ActorInput, ActorRecord, ActorRules, ConnectionInput};
use serde::Deserialize;
use sqlx::{Any, Transaction};
use std::collections::HashMap;

const TAXONOMY: &str = include_str!("../../demo/taxonomy.csv");
const ACTORS: &str = include_str!("../../demo/actors.csv");
const CONNECTIONS: &str = include_str!("../../demo/connections.csv");
const EVENT: &str = include_str!("../../demo/event.json");
const CASE_STUDIES: &str = include_str!("../../demo/case_studies.json");
const SEEDED_KEY: &str = "demo_seeded_at";

#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded {
        actors: usize,
        connections: usize,
        registrations: usize,
        case_studies: usize,
    },
    AlreadySeeded,
}

#[derive(Deserialize)]
struct TermRow {
    vocabulary: String,
    slug: String,
    label_de: String,
    label_en: String,
}

#[derive(Deserialize)]
struct ActorRow {
    slug: String,
    name: String,
    kind: String,
    town: String,
    lat: f64,
    lon: f64,
    founded_year: Option<i64>,
    size_band: Option<String>,
    sectors: String,
    technologies: String,
    website: Option<String>,
    description: String,
    public: i64,
}

impl ActorRow {
    fn input(&self) -> ActorInput {
        let terms = |list: &str| {
            list.split(';')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        };
        ActorInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            town: self.town.clone(),
            lat: self.lat.to_string(),
            lon: self.lon.to_string(),
            website: self.website.clone().unwrap_or_default(),
            description: self.description.clone(),
            founded_year: self.founded_year.map(|y| y.to_string()).unwrap_or_default(),
            size_band: self.size_band.clone().unwrap_or_default(),
            sectors: terms(&self.sectors),
            technologies: terms(&self.technologies),
            logo_url: String::new(),
            contact_email: String::new(),
            is_public: (self.public == 1).then(|| "1".to_owned()),
            contact_public: None,
        }
    }
}

#[derive(Deserialize)]
struct ConnectionRow {
    source: String,
    target: String,
    kind: String,
    started_on: String,
    ended_on: Option<String>,
    origin: Option<String>,
    note: Option<String>,
}

impl ConnectionRow {
    fn input(&self) -> ConnectionInput {
        ConnectionInput {
            source: self.source.clone(),
            target: self.target.clone(),
            kind: self.kind.clone(),
            started_on: self.started_on.clone(),
            ended_on: self.ended_on.clone().unwrap_or_default(),
            origin: self.origin.clone().unwrap_or_default(),
            note: self.note.clone().unwrap_or_default(),
        }
    }
}

#[derive(Deserialize)]
struct EventFile {
    slug: String,
    title: String,
    description: String,
    venue: String,
    town: String,
    starts_at: String,
    ends_at: String,
    status: String,
    round_minutes: i64,
    registrations: Vec<RegistrationRow>,
}

#[derive(Deserialize)]
struct RegistrationRow {
    actor: String,
    person_name: String,
    email: String,
    offers: String,
    seeks: String,
    checked_in: i64,
}

#[derive(Deserialize)]
struct CaseStudyRow {
    slug: String,
    title: String,
    teaser: String,
    partners: Vec<String>,
    challenge: String,
    solution: String,
    result: String,
    quote: String,
    outlook: String,
    published_on: String,
    region: String,
    key_figures: String,
    quote_by: String,
}

fn csv_rows<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<Vec<T>, String> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .enumerate()
        .map(|(i, row)| row.map_err(|e| format!("demo/{name} line {}: {e}", i + 2)))
        .collect()
}

/// Loads the demo region once; a second run finds the marker and changes nothing.
/// The demo region's towns with a position each (the first actor's), most actors first.
pub fn demo_towns() -> Result<Vec<(String, f64, f64)>, String> {
    let rows: Vec<ActorRow> = csv_rows("actors.csv", ACTORS)?;
    let mut towns: Vec<(String, f64, f64, usize)> = Vec::new();
    for row in rows {
        match towns.iter_mut().find(|(town, ..)| *town == row.town) {
            Some(entry) => entry.3 += 1,
            None => towns.push((row.town, row.lat, row.lon, 1)),
        }
    }
    towns.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
    Ok(towns
        .into_iter()
        .map(|(town, lat, lon, _)| (town, lat, lon))
        .collect())
}

pub async fn seed_demo(db: &Db) -> Result<SeedOutcome, String> {
    let db_error = |e: sqlx::Error| format!("seeding failed: {e}");
    let mut tx = db.begin_write().await.map_err(db_error)?;
    let seeded: Option<(String,)> = sqlx::query_as("SELECT value FROM app_meta WHERE key = $1")
        .bind(SEEDED_KEY)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
    if seeded.is_some() {
        return Ok(SeedOutcome::AlreadySeeded);
    }
    let now = now_secs();
    let terms = seed_taxonomy(&mut tx).await.map_err(db_error)?;
    let actors = seed_actors(&mut tx, &terms, now).await?;
    let event = seed_event(&mut tx, &actors, now).await?;
    let connections = seed_connections(&mut tx, &actors, event, now).await?;
    let case_studies = seed_case_studies(&mut tx, &actors, now).await?;
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ($1, $2)")
        .bind(SEEDED_KEY)
        .bind(now.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    bump_revision(&mut tx).await.map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(SeedOutcome::Seeded {
        actors: actors.len(),
        connections,
        registrations: event.1,
        case_studies,
    })
}

pub(crate) async fn seed_taxonomy(
    tx: &mut Transaction<'_, Any>,
) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<TermRow> = csv_rows("taxonomy.csv", TAXONOMY).map_err(sqlx::Error::Protocol)?;
    for row in &rows {
        sqlx::query(
            "INSERT INTO taxonomy_terms (vocabulary, slug, label_de, label_en) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (vocabulary, slug) DO NOTHING",
        )
        .bind(&row.vocabulary)
        .bind(&row.slug)
        .bind(&row.label_de)
        .bind(&row.label_en)
        .execute(&mut **tx)
        .await?;
    }
    let ids: Vec<(i64, String)> = sqlx::query_as("SELECT id, slug FROM taxonomy_terms")
        .fetch_all(&mut **tx)
        .await?;
    Ok(ids.into_iter().map(|(id, slug)| (slug, id)).collect())
}

/// The demo actors, checked by the same rules as the editor and the import and written the same
/// way; their slugs are the demo's own, which stories and the event refer to.
async fn seed_actors(
    tx: &mut Transaction<'_, Any>,
    terms: &HashMap<String, i64>,
    now: i64,
) -> Result<HashMap<String, i64>, String> {
    let rows: Vec<ActorRow> = csv_rows("actors.csv", ACTORS)?;
    let vocabulary: Vec<TermRow> = csv_rows("taxonomy.csv", TAXONOMY)?;
    let (sectors, technologies): (Vec<_>, Vec<_>) = vocabulary
        .into_iter()
        .partition(|term| term.vocabulary == "sector");
    let slugs = |terms: Vec<TermRow>| terms.into_iter().map(|term| term.slug).collect::<Vec<_>>();
    let (sectors, technologies) = (slugs(sectors), slugs(technologies));
    let rules = ActorRules {
        sectors: &sectors,
        technologies: &technologies,
        this_year: this_year(),
        region: Region::GERMANY,
    };
    let mut records = Vec::with_capacity(rows.len());
    for (line, row) in rows.iter().enumerate() {
        let record = row
            .input()
            .validate(&rules)
            .map_err(|problems| format!("demo/actors.csv line {}: {problems:?}", line + 2))?;
        records.push((row.slug.clone(), record));
    }
    let actors: Vec<(String, &ActorRecord)> = records
        .iter()
        .map(|(slug, record)| (slug.clone(), record))
        .collect();
    // What the database holds already (an actor under a demo slug) stays as it is.
    let ids = store_actors(tx, &actors, terms, now, Existing::Keep)
        .await
        .map_err(|e| format!("demo/actors.csv: {e}"))?;
    Ok(rows.into_iter().map(|row| row.slug).zip(ids).collect())
}

/// Returns the event id and the number of registrations.
async fn seed_event(
    tx: &mut Transaction<'_, Any>,
    actors: &HashMap<String, i64>,
    now: i64,
) -> Result<(i64, usize), String> {
    let event: EventFile =
        serde_json::from_str(EVENT).map_err(|e| format!("demo/event.json: {e}"))?;
    let at = |what: String| format!("demo/event.json: {what}");
    let (event_id,): (i64,) = sqlx::query_as(
        "INSERT INTO events (slug, title, description, venue, town, starts_at, ends_at, status, round_minutes, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (slug) DO UPDATE SET title = events.title RETURNING id",
    )
    .bind(&event.slug)
    .bind(&event.title)
    .bind(&event.description)
    .bind(&event.venue)
    .bind(&event.town)
    .bind(&event.starts_at)
    .bind(&event.ends_at)
    .bind(&event.status)
    .bind(event.round_minutes)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| at(e.to_string()))?;
    for registration in &event.registrations {
        let actor_id = actors
            .get(&registration.actor)
            .ok_or_else(|| at(format!("unknown actor {}", registration.actor)))?;
        sqlx::query(
            "INSERT INTO registrations (event_id, actor_id, person_name, email, offers, seeks, consent, checked_in_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) ON CONFLICT (event_id, email) DO NOTHING",
        )
        .bind(event_id)
        .bind(actor_id)
        .bind(&registration.person_name)
        .bind(&registration.email)
        .bind(&registration.offers)
        .bind(&registration.seeks)
        .bind((registration.checked_in == 1).then_some(now))
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(|e| at(e.to_string()))?;
    }
    Ok((event_id, event.registrations.len()))
}

async fn seed_connections(
    tx: &mut Transaction<'_, Any>,
    actors: &HashMap<String, i64>,
    (event_id, _): (i64, usize),
    now: i64,
) -> Result<usize, String> {
    let rows: Vec<ConnectionRow> = csv_rows("connections.csv", CONNECTIONS)?;
    let mut records = Vec::with_capacity(rows.len());
    for (line, row) in rows.iter().enumerate() {
        let at = |what: &str| format!("demo/connections.csv line {}: {what}", line + 2);
        let record = row
            .input()
            .validate()
            .map_err(|problems| at(&format!("{problems:?}")))?;
        let id = |slug: &str| actors.get(slug).copied().ok_or_else(|| at("unknown actor"));
        let from_event = record
            .origin
            .as_deref()
            .is_some_and(|o| o.starts_with("Kickoff Kraichgau"));
        records.push((id(&record.source)?, id(&record.target)?, from_event, record));
    }
    let connections: Vec<NewConnection> = records
        .iter()
        .map(|(source, target, from_event, record)| NewConnection {
            record,
            source: *source,
            target: *target,
            event: from_event.then_some(event_id),
        })
        .collect();
    insert_connections(tx, &connections, now, Existing::Keep)
        .await
        .map_err(|e| format!("demo/connections.csv: {e}"))?;
    Ok(rows.len())
}

async fn seed_case_studies(
    tx: &mut Transaction<'_, Any>,
    actors: &HashMap<String, i64>,
    now: i64,
) -> Result<usize, String> {
    let rows: Vec<CaseStudyRow> =
        serde_json::from_str(CASE_STUDIES).map_err(|e| format!("demo/case_studies.json: {e}"))?;
    for (position, row) in rows.iter().enumerate() {
        let at = |what: String| format!("demo/case_studies.json {}: {what}", row.slug);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO case_studies (slug, title, teaser, challenge, solution, result, quote, outlook, status, published_on, created_at, updated_at, region, key_figures, quote_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'published', $9, $10, $10, $11, $12, $13) \
             ON CONFLICT (slug) DO UPDATE SET title = case_studies.title RETURNING id",
        )
        .bind(&row.slug)
        .bind(&row.title)
        .bind(&row.teaser)
        .bind(&row.challenge)
        .bind(&row.solution)
        .bind(&row.result)
        .bind(&row.quote)
        .bind(&row.outlook)
        .bind(&row.published_on)
        .bind(now)
        .bind(&row.region)
        .bind(&row.key_figures)
        .bind(&row.quote_by)
        .fetch_one(&mut **tx)
        .await
        .map_err(|e| at(e.to_string()))?;
        for partner in &row.partners {
            let actor_id = actors
                .get(partner)
                .ok_or_else(|| at(format!("unknown partner {partner}")))?;
            sqlx::query("INSERT INTO case_study_actors (case_study_id, actor_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(actor_id)
                .execute(&mut **tx)
                .await
                .map_err(|e| at(e.to_string()))?;
        }
        // The first revision, so the history and comparisons start from the demo text.
        let content = crate::domain::case_study::CaseContent {
            title: row.title.clone(),
            teaser: row.teaser.clone(),
            region: row.region.clone(),
            partners: row
                .partners
                .iter()
                .filter_map(|slug| actors.get(slug).copied())
                .collect(),
            challenge: row.challenge.clone(),
            solution: row.solution.clone(),
            result: row.result.clone(),
            key_figures: row.key_figures.clone(),
            quote: row.quote.clone(),
            quote_by: row.quote_by.clone(),
            outlook: row.outlook.clone(),
            ..Default::default()
        };
        sqlx::query(
            "INSERT INTO case_study_revisions (case_study_id, version, author_name, created_at, content) \
             VALUES ($1, 1, 'Demo', $2, $3) ON CONFLICT (case_study_id, version) DO NOTHING",
        )
        .bind(id)
        .bind(now)
        .bind(serde_json::to_string(&content).map_err(|e| at(e.to_string()))?)
        .execute(&mut **tx)
        .await
        .map_err(|e| at(e.to_string()))?;
        sqlx::query(
            "INSERT INTO playbook_entries (case_study_id, position) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(position as i64)
        .execute(&mut **tx)
        .await
        .map_err(|e| at(e.to_string()))?;
    }
    sqlx::query("UPDATE playbook SET intro = $1, method = $2 WHERE id = 1 AND intro = ''")
        .bind(PLAYBOOK_INTRO)
        .bind(PLAYBOOK_METHOD)
        .execute(&mut **tx)
        .await
        .map_err(|e| format!("playbook: {e}"))?;
    Ok(rows.len())
}

const PLAYBOOK_INTRO: &str = "Im Kraichgau arbeiten seit 2021 Mittelständler, Startups und Hochschulen als **Tandems** an konkreten Innovationsvorhaben. Dieses Playbook zeigt, was dabei herauskam – und wie andere Regionen es nachmachen können.";
const PLAYBOOK_METHOD: &str = "## Anstoßen\n\nEine Kick-off-Veranstaltung mit Matchmaking bringt Betriebe und Startups an einen Tisch. Wichtig sind konkrete Fragestellungen der Betriebe.\n\n## Begleiten\n\nJedes Tandem bekommt eine Ansprechperson der Wirtschaftsförderung, die alle sechs Wochen nachfragt und Kontakte zur Forschung vermittelt.\n\n## Fördern\n\nKleine Machbarkeitsbudgets (Innovationsgutscheine) senken das Risiko der ersten Schritte; größere Vorhaben gehen in Landes- und Bundesprogramme.";
