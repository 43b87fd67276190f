//! Downloads of a map view: CSV that German Excel opens correctly (UTF-8 with byte-order mark,
//! semicolons, decimal commas) and GeoJSON for GIS tools. The column names are the ones the
//! import reads, so an export can be edited and imported elsewhere.

use super::cache::Snapshot;
use crate::db::Db;
use crate::domain::date::format_date;
use crate::domain::network::MapFilter;
use crate::domain::spreadsheet::excel_csv;
use crate::error::AppError;
use std::collections::HashMap;

/// Public details the snapshot does not carry.
#[derive(sqlx::FromRow)]
struct Details {
    id: i64,
    website: Option<String>,
    description: String,
    founded_year: Option<i64>,
    size_band: Option<String>,
}

async fn details(db: &Db) -> Result<HashMap<i64, Details>, AppError> {
    let rows: Vec<Details> = sqlx::query_as(
        "SELECT id, website, description, founded_year, size_band FROM actors WHERE is_public = 1",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|details| (details.id, details))
        .collect())
}

fn decimal_comma(value: f64) -> String {
    format!("{value:.5}").replace('.', ",")
}

pub async fn actors_csv(
    db: &Db,
    snapshot: &Snapshot,
    filter: &MapFilter,
) -> Result<String, AppError> {
    let details = details(db).await?;
    let network = &snapshot.network;
    let selection = network.select(filter);
    Ok(excel_csv(
        &[
            "name",
            "art",
            "ort",
            "breite",
            "laenge",
            "branchen",
            "technologien",
            "website",
            "beschreibung",
            "gruendungsjahr",
            "beschaeftigte",
            "oeffentlich",
            "slug",
        ],
        selection.actors.iter().map(|&i| {
            let actor = &network.actors[i];
            let extra = details.get(&actor.id);
            vec![
                actor.name.clone(),
                actor.kind.code().to_owned(),
                actor.town.clone(),
                decimal_comma(actor.lat),
                decimal_comma(actor.lon),
                actor.sectors.join(", "),
                actor.technologies.join(", "),
                extra.and_then(|d| d.website.clone()).unwrap_or_default(),
                extra.map(|d| d.description.clone()).unwrap_or_default(),
                extra
                    .and_then(|d| d.founded_year)
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                extra.and_then(|d| d.size_band.clone()).unwrap_or_default(),
                "ja".to_owned(),
                actor.slug.clone(),
            ]
        }),
    )?)
}

pub fn connections_csv(snapshot: &Snapshot, filter: &MapFilter) -> Result<String, AppError> {
    let network = &snapshot.network;
    let selection = network.select(filter);
    Ok(excel_csv(
        &["von", "zu", "art", "beginn", "ende"],
        selection.connections.iter().map(|&c| {
            let connection = &network.connections[c];
            vec![
                network.actors[connection.source].slug.clone(),
                network.actors[connection.target].slug.clone(),
                connection.kind.code().to_owned(),
                format_date(connection.start),
                connection.end.map(format_date).unwrap_or_default(),
            ]
        }),
    )?)
}

/// Actors as points with their properties, connections as lines between them.
pub fn geojson(snapshot: &Snapshot, filter: &MapFilter) -> serde_json::Value {
    let network = &snapshot.network;
    let selection = network.select(filter);
    let points = selection.actors.iter().map(|&i| {
        let actor = &network.actors[i];
        serde_json::json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [actor.lon, actor.lat] },
            "properties": {
                "slug": actor.slug, "name": actor.name, "art": actor.kind.code(), "ort": actor.town,
                "branchen": actor.sectors, "technologien": actor.technologies,
            },
        })
    });
    let lines = selection.connections.iter().map(|&c| {
        let connection = &network.connections[c];
        let (a, b) = (
            &network.actors[connection.source],
            &network.actors[connection.target],
        );
        serde_json::json!({
            "type": "Feature",
            "geometry": { "type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]] },
            "properties": {
                "von": a.slug, "zu": b.slug, "art": connection.kind.code(),
                "beginn": format_date(connection.start), "ende": connection.end.map(format_date),
            },
        })
    });
    serde_json::json!({
        "type": "FeatureCollection",
        "features": points.chain(lines).collect::<Vec<_>>(),
    })
}
