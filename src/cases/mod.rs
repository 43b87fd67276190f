//! Case studies of tandems and the playbook: partners write them in the editor, reviewers and the
//! partner organisations approve them, readers find them on `/fallstudien` and in the playbook.

pub mod api;
pub mod pages;
/// A story as HTML, on the server only: its pages, the export and the editor's preview render
/// alike.
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

use crate::domain::actor::ActorOption;
use crate::domain::case_study::{CaseContent, CaseStatus, IMAGE_PATH};
use crate::taxonomy::Term;
use serde::{Deserialize, Serialize};

/// The heading level of a story's title in the editor's preview (its sections one below).
pub const EDITOR_TITLE_LEVEL: u8 = 3;

/// The public URL of a stored image.
pub fn image_url(name: &str) -> String {
    format!("{IMAGE_PATH}{name}")
}

/// A card on `/fallstudien`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseStudySummary {
    pub slug: String,
    pub title: String,
    pub teaser: String,
    pub region: String,
    pub published_on: Option<String>,
    /// The tandem's partners that are public: (slug, name).
    pub partners: Vec<(String, String)>,
    pub cover: Option<crate::domain::case_study::CaseImage>,
}

/// Filters and search of `/fallstudien`, as they appear in its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFilter {
    pub region: String,
    pub topic: String,
    pub kind: String,
    pub q: String,
}

impl CaseFilter {
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> CaseFilter {
        let mut filter = CaseFilter::default();
        for (key, value) in pairs {
            let value: String = value.trim().chars().take(100).collect();
            match key {
                "region" => filter.region = value,
                "thema" => filter.topic = value,
                "art" => filter.kind = value,
                "q" => filter.q = value,
                _ => {}
            }
        }
        filter
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseList {
    pub studies: Vec<CaseStudySummary>,
    /// How many are published at all, to tell "none match" from "none yet".
    pub published: usize,
    pub regions: Vec<String>,
    pub topics: Vec<Term>,
}

/// A connection of the map a story can describe.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionOption {
    pub id: i64,
    pub source: i64,
    pub target: i64,
    pub kind: crate::domain::actor::ConnectionKind,
    pub started_on: String,
    pub ended_on: Option<String>,
}

/// The names a story's content refers to by id or slug, to render it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookups {
    pub actors: Vec<ActorOption>,
    pub topics: Vec<Term>,
    pub connections: Vec<ConnectionOption>,
}

/// A story ready to be shown: the content and what it refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseArticle {
    pub slug: String,
    pub status: CaseStatus,
    pub content: CaseContent,
    pub lookups: Lookups,
    pub published_on: Option<String>,
    /// Unix seconds of the last save.
    pub updated_at: i64,
    /// The instance's public address, for absolute links (OpenGraph); empty where not needed.
    #[serde(default)]
    pub base_url: String,
    /// The story as HTML, rendered by the server for the page that shows it; empty elsewhere.
    #[serde(default)]
    pub html: String,
}

/// One entry of the revision history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionInfo {
    pub version: i64,
    pub author: String,
    pub at: i64,
}

/// One line of a comparison: `-` only in the older, `+` only in the newer, ` ` in both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub sign: char,
    pub text: String,
}

/// The changed lines of one field between two versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDiff {
    pub field: String,
    pub lines: Vec<DiffLine>,
}

/// Who approved for which partner organisation, and who has not yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalState {
    pub actor_id: i64,
    pub actor_name: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<i64>,
}

/// A step of the workflow's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub at: i64,
    pub who: String,
    pub step: String,
    pub comment: String,
}

/// Everything the editor page needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEditorData {
    pub slug: String,
    pub status: CaseStatus,
    pub version: i64,
    pub content: CaseContent,
    /// The signed-in person's autosaved, unsaved work, if any: (content, based on version, saved at).
    pub draft: Option<(CaseContent, i64, i64)>,
    pub lookups: Lookups,
    pub revisions: Vec<RevisionInfo>,
    pub approvals: Vec<ApprovalState>,
    pub log: Vec<LogEntry>,
    pub review_comment: String,
    /// The signed-in account's organisation, when it is one of the partners that still has to approve.
    pub my_pending_approval: Option<String>,
    /// The viewer reviews (passes stories on, publishes, withdraws): admins.
    pub can_review: bool,
    /// The preview of what the editor opens with (the draft where one is kept), as HTML; later
    /// previews come from `case_preview`.
    pub preview: String,
}

/// The answer to a save: stored, or refused because someone saved first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveOutcome {
    Saved {
        version: i64,
    },
    /// The stored version moved on since the editor loaded: both versions, never an overwrite.
    Conflict {
        theirs: Box<CaseContent>,
        version: i64,
        author: String,
        at: i64,
        diff: Vec<FieldDiff>,
    },
}

/// An approval link for one partner organisation, shown once to the editor who created it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalLink {
    pub actor_name: String,
    pub url: String,
}

/// What a partner sees when opening a personal approval link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRequest {
    pub partner: String,
    pub already_approved: bool,
    pub article: CaseArticle,
}

/// An in-app notification of a workflow step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub slug: Option<String>,
    pub title: Option<String>,
    pub step: String,
    pub who: String,
    pub comment: String,
    pub at: i64,
    pub read: bool,
}

/// The playbook: its own texts and the chosen published stories, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Playbook {
    pub intro: String,
    pub method: String,
    pub version: i64,
    pub studies: Vec<CaseArticle>,
}

/// The playbook editor: the texts, and every published story with its place (if chosen).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybookEditorData {
    pub intro: String,
    pub method: String,
    pub version: i64,
    /// (slug, title, chosen)
    pub published: Vec<(String, String, bool)>,
}

/// Unix seconds as "2026-11-29 18:05 UTC".
pub fn format_time(secs: i64) -> String {
    use crate::domain::date::{format_date, format_time_of_day, utc_of_secs};
    let at = utc_of_secs(secs);
    format!("{} {} UTC", format_date(at.date()), format_time_of_day(at))
}
