//! The actor map journey: who is where and who works with whom.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

use crate::domain::actor::{ActorKind, ConnectionKind};
use crate::domain::actor_input::ActorInput;
use crate::domain::import::RowProblem;
use crate::domain::network::{GrowthPoint, MapFilter};
use crate::taxonomy::Term;
use serde::{Deserialize, Serialize};

/// The map renderer's files (Leaflet and `tandem-karte.js`), which only the map pages and the
/// position picker use: the server links them into those pages alone, and a client-side
/// navigation to one loads them first (`pages::js`).
pub const RENDERER_STYLE: &str = "/vendor/leaflet/leaflet.css";
pub const RENDERER_SCRIPTS: [&str; 2] = ["/vendor/leaflet/leaflet.js", "/karte/tandem-karte.js"];

/// Whether the page at `path` draws a map or a position picker: the map, the network, the
/// embed, the proposal form and the actor pages and editors.
pub fn draws_map(path: &str) -> bool {
    ["/karte", "/einbetten/", "/akteure/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

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
    pub logo_url: Option<String>,
    /// Only when the organisation agreed to show it.
    pub contact_email: Option<String>,
    pub sectors: Vec<Term>,
    pub technologies: Vec<Term>,
    pub connections: Vec<ConnectionView>,
    /// Published case studies this actor is a partner in: (slug, title, teaser).
    pub case_studies: Vec<(String, String, String)>,
}

/// One dot on the map, as a compact JSON array:
/// `[id, slug, name, kind index, lat (or y), lon (or x), 1 when newly connected]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapDot(
    pub i64,
    pub String,
    pub String,
    pub u8,
    pub f64,
    pub f64,
    pub u8,
);

/// One line: `[source dot index, target dot index, kind index, start month, end month or null]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapLine(pub u32, pub u32, pub u8, pub i32, pub Option<i32>);

/// What the map renderer draws; compact because it carries thousands of entries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MapData {
    pub actors: Vec<MapDot>,
    pub connections: Vec<MapLine>,
}

/// The choices the filter form offers, and the map's tile layer (`None`: offline basemap only).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MapOptions {
    pub sectors: Vec<Term>,
    pub technologies: Vec<Term>,
    pub towns: Vec<String>,
    /// (town, lat, lon) of the towns the map knows, for placing an actor by its town.
    pub town_positions: Vec<(String, f64, f64)>,
    /// Where actors may lie.
    pub region: crate::domain::actor::Region,
    /// The latest founding year an actor may have.
    pub this_year: i32,
    pub tile_url: Option<String>,
    /// `https://host` of this instance, for the embed snippet partners paste elsewhere.
    pub public_origin: String,
    /// The token the public proposal form carries (see `crate::limits`).
    pub form_token: String,
}

/// Everything the map page shows besides the drawing: counts, growth, the accessible list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    pub filter: MapFilter,
    pub actors: u32,
    pub connections: u32,
    pub by_kind: Vec<(ActorKind, u32)>,
    pub growth: Vec<GrowthPoint>,
    pub list: Vec<ActorSummary>,
    pub page: u32,
    pub pages: u32,
}

pub const LIST_PAGE_SIZE: usize = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorRef {
    pub slug: String,
    pub name: String,
    pub kind: ActorKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Broker {
    pub actor: ActorRef,
    pub betweenness: f64,
    pub connections: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommunityView {
    pub size: u32,
    /// The best-connected members.
    pub leaders: Vec<ActorRef>,
    pub kinds: Vec<(ActorKind, u32)>,
    pub towns: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SuggestionView {
    pub a: ActorRef,
    pub b: ActorRef,
    pub common_partners: Vec<ActorRef>,
    pub common_partner_count: u32,
    pub shared_topics: Vec<Term>,
    pub cross_kind: bool,
}

/// The Lagebild: the state of the whole public network for intermediaries and mayors.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkReport {
    pub actors: u32,
    pub connections: u32,
    pub by_kind: Vec<(ActorKind, u32)>,
    pub by_town: Vec<(String, u32)>,
    /// New connections per quarter: (`2024-Q3`, count).
    pub per_quarter: Vec<(String, u32)>,
    /// Share of connections between actors without a common sector.
    pub cross_sector_share: f64,
    /// Share of connections between a Mittelstand company and a startup.
    pub sme_startup_share: f64,
    pub brokers: Vec<Broker>,
    pub community_count: u32,
    pub communities: Vec<CommunityView>,
    pub suggestions: Vec<SuggestionView>,
}

/// The outcome of a dry run or of starting an import: every bad row, or the rows and the job.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: u32,
    pub problems: Vec<RowProblem>,
    /// Set when the import was started; its progress is asked for with this id.
    pub job: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportState {
    Running,
    Done {
        imported: u32,
    },
    /// Rolled back: nothing was imported.
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub total: u32,
    pub done: u32,
    pub state: ImportState,
}

/// A connection as the actor's edit form lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableConnection {
    pub id: i64,
    /// Both ends as stored: a customer–supplier or mentoring link has a direction.
    pub source_slug: String,
    pub target_slug: String,
    pub other_slug: String,
    pub other_name: String,
    pub kind: ConnectionKind,
    pub started_on: String,
    pub ended_on: Option<String>,
    pub origin: Option<String>,
    pub note: Option<String>,
}

/// The edit form of an actor; `slug` is `None` for a new one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActorEditor {
    pub slug: Option<String>,
    pub input: ActorInput,
    pub connections: Vec<EditableConnection>,
}

/// One field an open proposal changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalChange {
    pub field: String,
    pub current: String,
    pub proposed: String,
    /// Contact, logo address or consent: accepting needs the moderator's explicit confirmation.
    pub needs_confirmation: bool,
}

/// An open proposal with the current data it would change (`None`: a new actor).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalView {
    pub id: i64,
    pub slug: Option<String>,
    pub proposed: ActorInput,
    pub current: Option<ActorInput>,
    /// What accepting changes, field by field, against the actor as it is now.
    pub changes: Vec<ProposalChange>,
    pub message: String,
    pub proposer_name: String,
    pub proposer_email: String,
    pub created_at: i64,
}
