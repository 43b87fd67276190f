//! Events and matchmaking: organisers plan events, people register through a public link and get
//! a personal page with a QR code, and the organisers check them in at the door.

pub mod api;
pub mod console;
pub mod desk;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rounds;
#[cfg(feature = "ssr")]
pub mod server;

use crate::domain::actor::ActorKind;
use crate::domain::event::{EventInput, EventRecord, EventStatus};
use crate::domain::meeting::{Reason, Rest, Wish};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventSummary {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub venue: String,
    /// Local date and time, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    pub status: EventStatus,
    pub registrations: i64,
    pub checked_in: i64,
}

/// A taxonomy term registrants can pick as a topic; `code` is `vocabulary:slug`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub code: String,
    pub label_de: String,
    pub label_en: String,
}

/// An event's page: what it is, whether one can register, and the topics to choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub slug: String,
    pub status: EventStatus,
    pub event: EventRecord,
    pub registration_open: bool,
    pub registrations: i64,
    pub checked_in: i64,
    pub topics: Vec<Topic>,
}

/// The organiser's form: the stored event (no slug: a new one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventEditor {
    pub slug: Option<String>,
    pub input: EventInput,
}

/// A registrant's own page, reached through their personal link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyRegistration {
    pub event_slug: String,
    pub event_title: String,
    pub starts_at: String,
    pub venue: String,
    pub town: String,
    pub person_name: String,
    pub email: String,
    pub organisation: String,
    pub kind: ActorKind,
    pub offers: String,
    pub seeks: String,
    pub topics: Vec<Topic>,
    pub checked_in: bool,
    pub at_the_door: bool,
    /// The personal link, absolute, and the same as a QR code (SVG made on the server).
    pub link: String,
    pub qr_svg: String,
    /// Where the person is in the latest round, once rounds are planned.
    pub meeting: Option<MyMeeting>,
}

/// Someone at a table, as the console and the partner's page show them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Seated {
    pub id: i64,
    pub person_name: String,
    pub organisation: String,
    pub offers: String,
    pub seeks: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableView {
    pub table: u32,
    pub people: Vec<Seated>,
    pub points: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundView {
    pub number: u32,
    pub tables: Vec<TableView>,
    pub resting: Vec<(Seated, Rest)>,
}

/// The organisers' console: who is in the room and the rounds planned so far, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Console {
    pub slug: String,
    pub title: String,
    pub status: EventStatus,
    pub rounds_total: u32,
    pub present: i64,
    pub rounds: Vec<RoundView>,
}

/// A registrant's place in the latest round: a table with partners, or why not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyMeeting {
    pub round: u32,
    pub table: Option<u32>,
    pub partners: Vec<Seated>,
    pub rest: Option<Rest>,
}

/// One line at the check-in desk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskEntry {
    pub id: i64,
    pub person_name: String,
    pub organisation: String,
    pub kind: Option<ActorKind>,
    pub present: bool,
    pub left: bool,
    pub at_the_door: bool,
}

/// The check-in desk: who is registered, who is here, who has left.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Desk {
    pub slug: String,
    pub title: String,
    pub status: EventStatus,
    pub registered: i64,
    pub present: i64,
    pub left: i64,
    /// How many match the search; at most [`DESK_PAGE`] of them are in `entries`.
    pub matches: i64,
    pub entries: Vec<DeskEntry>,
    pub topics: Vec<Topic>,
}

pub const DESK_PAGE: usize = 100;

/// Another registrant as a participant sees them: never their email address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Registrant {
    pub id: i64,
    pub person_name: String,
    pub organisation: String,
    pub kind: Option<ActorKind>,
    pub offers: String,
    pub seeks: String,
    /// Indices into [`Registrants::topics`].
    pub topics: Vec<u32>,
    /// What the viewer wishes regarding this person.
    pub wish: Option<Wish>,
}

/// Someone the scoring suggests to meet, with its reasons ("Warum dieses Treffen").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub id: i64,
    pub points: i64,
    /// Topic ids in the reasons are indices into [`Registrants::topics`].
    pub reasons: Vec<Reason>,
}

/// The other registrants of an event, as the personal page lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Registrants {
    pub topics: Vec<Topic>,
    pub people: Vec<Registrant>,
    pub suggestions: Vec<Suggestion>,
}

/// How many suggestions the personal page shows.
pub const SUGGESTIONS: usize = 5;
