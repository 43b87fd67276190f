//! Events and matchmaking: organisers plan events, people register through a public link and get
//! a personal page with a QR code, and the organisers check them in at the door.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

use crate::domain::actor::ActorKind;
use crate::domain::event::{EventFormat, EventInput, EventRecord, EventStatus};
use crate::domain::live::RoundPhase;
use crate::domain::meeting::{Reason, Rest, Wish};
use crate::domain::tables::TablePlace;
use serde::{Deserialize, Serialize};

/// The phone bundle's files in the site's `pkg` directory (see `scripts/build.sh`).
pub const PHONE_BUNDLE: &str = "tandem-phone";

/// Whether `path` is a personal page (`/veranstaltungen/:slug/ich/:token`): the page a phone
/// opens on venue Wi-Fi, served with the phone bundle, which hydrates only its live panel.
pub fn is_personal_page(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    matches!(
        (segments.next(), segments.next(), segments.next(), segments.next(), segments.next()),
        (Some("veranstaltungen"), Some(slug), Some("ich"), Some(token), None)
            if !slug.is_empty() && !token.is_empty()
    )
}

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
    /// The token the public registration form carries (see `crate::limits`).
    pub form_token: String,
}

/// The organiser's form: the stored event (no slug: a new one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventEditor {
    pub slug: Option<String>,
    pub input: EventInput,
    /// Series names other events carry, offered as suggestions.
    pub series: Vec<String>,
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
    pub format: EventFormat,
    /// Meeting requests sent and received (bookable slots), booked ones in time order first.
    pub requests: Vec<MeetingRequest>,
    /// Every taxonomy term, for the talking points' topic ids.
    pub all_topics: Vec<Topic>,
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

impl Seated {
    /// "Name (Organisation)".
    pub fn display_name(&self) -> String {
        format!("{} ({})", self.person_name, self.organisation)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableView {
    pub table: u32,
    /// The table's name and area from the event's table plan ("Lounge 3", "Halle B").
    pub name: String,
    pub area: String,
    pub meeting: i64,
    pub people: Vec<Seated>,
    pub points: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundView {
    pub number: u32,
    pub phase: RoundPhase,
    /// Locked by the organisers: planning anew keeps its seats.
    pub locked: bool,
    pub tables: Vec<TableView>,
    pub resting: Vec<(Seated, Rest)>,
}

/// The organisers' console: the live state, the rounds planned so far (newest first; the
/// people's offers and seeks left out, the console shows names) and who in the room has no place
/// in the current round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Console {
    pub slug: String,
    pub title: String,
    pub format: EventFormat,
    /// For events with bookable slots.
    pub slots: Option<SlotPlan>,
    pub live: LiveState,
    pub rounds: Vec<RoundView>,
    pub waiting: Vec<Seated>,
}

/// What every screen of an event needs to stay current; the server pushes it over the event's
/// WebSocket after every change (and on connecting), and the screens fetch their details anew.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveState {
    pub status: EventStatus,
    pub registered: i64,
    pub present: i64,
    /// Changes with every meeting request, answer and placed time (bookable slots), so the
    /// console follows them; a count, no names. Phones hear only of their own requests.
    pub bookings: i64,
    pub rounds_total: u32,
    /// The current round (the first not ended, or the last once all ended), once one is planned.
    pub round: Option<LiveRound>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveRound {
    pub number: u32,
    pub phase: RoundPhase,
    pub minutes: u32,
    /// At the moment the state was sent; negative in overtime.
    pub remaining_secs: i64,
    /// Counts seat changes (swaps, latecomers) in this round.
    pub seating: u32,
}

/// A registrant's place in one round: a table with partners (and what to talk about), or why
/// not; after the round, what they said about the meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyMeeting {
    pub round: u32,
    pub phase: RoundPhase,
    pub table: Option<TablePlace>,
    pub meeting_id: Option<i64>,
    pub partners: Vec<Seated>,
    pub rest: Option<Rest>,
    /// Talking points: why the scoring paired them (topic ids index `MyRegistration::all_topics`).
    pub reasons: Vec<Reason>,
    pub feedback: Option<Feedback>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    /// One to five.
    pub rating: u8,
    pub follow_up: bool,
}

crate::domain::coded::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum RequestStatus {
        Open = "offen",
        Accepted = "angenommen",
        Declined = "abgelehnt",
    }
}

/// A booked meeting's place: slot (from 0), its start `HH:MM`, and the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotPlace {
    pub slot: u32,
    pub time: String,
    pub table: TablePlace,
}

/// A meeting request as one of its two people sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingRequest {
    pub id: i64,
    /// Sent by the other person, to be answered by the viewer.
    pub incoming: bool,
    pub other: Seated,
    pub status: RequestStatus,
    pub place: Option<SlotPlace>,
}

/// One booked meeting in the organisers' slot plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Booked {
    pub place: SlotPlace,
    pub people: [Seated; 2],
}

/// The organisers' view of the bookable slots.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlotPlan {
    pub open: i64,
    pub declined: i64,
    /// Accepted, not yet placed (none left after "schedule all", unless the grid is full).
    pub waiting: i64,
    pub booked: Vec<Booked>,
}

/// How one kind of participant took part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindFigures {
    pub kind: Option<ActorKind>,
    pub registered: i64,
    pub attended: i64,
    /// Seats they took in held meetings.
    pub meetings: i64,
}

/// Both sides of a held meeting want to follow up; once confirmed, it is a connection on the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub first: Seated,
    pub second: Seated,
    pub round: u32,
    pub confirmed: bool,
}

/// What came of an event, for the organisers and their funders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventReport {
    pub slug: String,
    pub title: String,
    pub starts_at: String,
    pub registered: i64,
    pub attended: i64,
    pub rounds_held: i64,
    pub meetings_held: i64,
    pub ratings: i64,
    /// Average rating × 10 (one decimal without floats).
    pub average_rating_tenths: Option<i64>,
    /// Meetings where exactly one side wants to follow up.
    pub one_sided: i64,
    pub by_kind: Vec<KindFigures>,
    /// Held meetings per pair of kinds (pairs of a triple count each).
    pub kind_pairs: Vec<(Option<ActorKind>, Option<ActorKind>, i64)>,
    pub follow_ups: Vec<FollowUp>,
    /// Registered organisations the map does not know by name, for the organisers to confirm.
    pub unmatched: Vec<UnmatchedOrganisation>,
}

/// An organisation as registered (first spelling) that no actor of the map has by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnmatchedOrganisation {
    pub organisation: String,
    /// How many registrations name it.
    pub people: i64,
    /// The actors it most likely is, best first.
    pub likely: Vec<ActorChoice>,
}

/// An organisation of the public map, suggested while someone types theirs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationSuggestion {
    pub name: String,
    pub town: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActorChoice {
    pub id: i64,
    pub name: String,
    pub town: String,
    /// How alike the names are.
    pub percent: u8,
}

/// The projector: the current round's people and their places; only what the wall shows, so a
/// room of 2,000 stays a small answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Screen {
    pub title: String,
    pub live: LiveState,
    pub round: Option<ScreenRound>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScreenRound {
    pub number: u32,
    pub people: Vec<ScreenPerson>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScreenPerson {
    pub name: String,
    pub organisation: String,
    /// The table's name; none while the person rests this round.
    pub table: Option<String>,
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
    pub person_name: String,
    pub organisation: String,
    pub points: i64,
    /// Topic ids in the reasons are indices into [`Registrants::topics`].
    pub reasons: Vec<Reason>,
}

/// The other registrants of an event, as the personal page lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Registrants {
    /// Whether the viewer can request meetings (an event with bookable slots).
    pub bookable: bool,
    /// People with a request between them and the viewer, either way.
    pub requested: Vec<i64>,
    pub topics: Vec<Topic>,
    /// One page of the registrants that match the search, by name (see
    /// `domain::registrant_list`).
    pub people: Vec<Registrant>,
    /// How many registrants match the search, on all pages.
    pub matching: u32,
    /// The page shown, from 1.
    pub page: u32,
    pub suggestions: Vec<Suggestion>,
}

/// How many suggestions the personal page shows.
pub const SUGGESTIONS: usize = 5;

#[cfg(test)]
mod tests {
    use super::is_personal_page;

    #[test]
    fn personal_pages_are_the_link_and_nothing_below_or_beside_it() {
        assert!(is_personal_page("/veranstaltungen/kickoff/ich/abc123"));
        assert!(!is_personal_page(
            "/veranstaltungen/kickoff/ich/abc123/kalender.ics"
        ));
        assert!(!is_personal_page("/veranstaltungen/kickoff/ich/"));
        assert!(!is_personal_page("/veranstaltungen/kickoff/konsole"));
        assert!(!is_personal_page("/veranstaltungen/kickoff"));
        assert!(!is_personal_page("/karte/x/ich/abc123"));
    }
}
