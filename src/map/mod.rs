//! The actor map journey: who is where and who works with whom.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use crate::domain::actor::{ActorKind, ConnectionKind};
use serde::{Deserialize, Serialize};

/// Counts for the home page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkCounts {
    pub actors: i64,
    pub connections: i64,
    pub events: i64,
    pub case_studies: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActorSummary {
    pub slug: String,
    pub name: String,
    pub kind: ActorKind,
    pub town: String,
    pub connections: i64,
}

/// A taxonomy term in both languages; the page picks one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub slug: String,
    pub label_de: String,
    pub label_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionView {
    pub other_slug: String,
    pub other_name: String,
    pub other_kind: ActorKind,
    pub kind: ConnectionKind,
    pub started_on: String,
    pub origin: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActorDetail {
    pub slug: String,
    pub name: String,
    pub kind: ActorKind,
    pub description: String,
    pub website: Option<String>,
    pub town: String,
    pub lat: f64,
    pub lon: f64,
    pub founded_year: Option<i64>,
    pub size_band: Option<String>,
    pub sectors: Vec<Term>,
    pub technologies: Vec<Term>,
    pub connections: Vec<ConnectionView>,
    /// Published case studies this actor is a partner in: (title, teaser).
    pub case_studies: Vec<(String, String)>,
}
