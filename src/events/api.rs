//! Event server functions: the public list and pages, registration through a public link, the
//! personal page, and the organisers' event form and check-in desk.

use super::{
    Console, Desk, EventDetail, EventEditor, EventReport, EventSummary, MyMeeting, MyRegistration,
    OrganisationSuggestion, Registrants, Screen,
};
use crate::domain::event::{EventInput, RegistrationInput};
use crate::domain::slug::Slug;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use {crate::domain::event::EventStatus, crate::guard::authorize, crate::guard::Authorized};

#[cfg(feature = "ssr")]
fn organises(auth: &Authorized) -> bool {
    crate::guard::ORGANIZERS.allows(auth.caller.role())
}

/// After a committed change: every screen of the event hears of it.
#[cfg(feature = "ssr")]
async fn announce(auth: &Authorized, slug: &str) {
    auth.state
        .part::<super::server::live::Hub>()
        .announce(auth.db(), slug)
        .await;
}

/// After a change to meeting requests: the counts for the organisers' screens, and word to the
/// phones of the two sides (everyone's with `None`), which alone read their requests again.
#[cfg(feature = "ssr")]
async fn announce_requests(auth: &Authorized, slug: &str, sides: Option<&[i64]>) {
    announce(auth, slug).await;
    auth.state
        .part::<super::server::live::Hub>()
        .requests_changed(auth.db(), slug, sides)
        .await;
}

/// After a change to who is in the room or where they sit: an evening planned ahead follows.
#[cfg(feature = "ssr")]
async fn announce_room_changed(auth: &Authorized, slug: &str) {
    announce(auth, slug).await;
    auth.state
        .part::<super::server::replan::Replanner>()
        .room_changed(slug);
}

#[cfg(feature = "ssr")]
use crate::guard::{policy, Access, Effect, Policy, ORGANIZERS};

/// This journey's rows of the policy table (see `crate::guard`).
#[cfg(feature = "ssr")]
pub static POLICIES: &[Policy] = &[
    policy::<ListEvents>(Access::Public, Effect::Read),
    policy::<EventDetailFn>(Access::Public, Effect::Read),
    policy::<EventEditorFn>(ORGANIZERS, Effect::Read),
    policy::<SaveEvent>(ORGANIZERS, Effect::Write),
    policy::<ChangeEventStatus>(ORGANIZERS, Effect::Write),
    policy::<Register>(Access::Public, Effect::Write),
    policy::<RegisterAtDoor>(ORGANIZERS, Effect::Write),
    policy::<MyRegistrationFn>(Access::Public, Effect::Read),
    policy::<MyRoundsFn>(Access::Public, Effect::Read),
    policy::<CancelRegistration>(Access::Public, Effect::Write),
    policy::<RenewMyLink>(Access::Public, Effect::Write),
    policy::<CheckInDesk>(ORGANIZERS, Effect::Read),
    policy::<CheckIn>(ORGANIZERS, Effect::Write),
    policy::<CheckInByLink>(ORGANIZERS, Effect::Write),
    policy::<DeleteRegistration>(ORGANIZERS, Effect::Write),
    policy::<RegistrantsFn>(Access::Public, Effect::Read),
    policy::<SetWish>(Access::Public, Effect::Write),
    policy::<PlanRound>(ORGANIZERS, Effect::Write),
    policy::<PlanEvening>(ORGANIZERS, Effect::Write),
    policy::<LockRound>(ORGANIZERS, Effect::Write),
    policy::<ControlRound>(ORGANIZERS, Effect::Write),
    policy::<SwapSeats>(ORGANIZERS, Effect::Write),
    policy::<SeatLatecomers>(ORGANIZERS, Effect::Write),
    policy::<ScreenFn>(ORGANIZERS, Effect::Read),
    policy::<GiveFeedback>(Access::Public, Effect::Write),
    policy::<ReportFn>(ORGANIZERS, Effect::Read),
    policy::<ConfirmFollowUp>(ORGANIZERS, Effect::Write),
    policy::<AssignOrganisation>(ORGANIZERS, Effect::Write),
    policy::<SuggestOrganisations>(Access::Public, Effect::Read),
    policy::<RequestMeeting>(Access::Public, Effect::Write),
    policy::<AnswerRequest>(Access::Public, Effect::Write),
    policy::<WithdrawRequest>(Access::Public, Effect::Write),
    policy::<ScheduleAll>(ORGANIZERS, Effect::Write),
    policy::<ConsoleFn>(ORGANIZERS, Effect::Read),
];

/// Every event that is not a draft, newest first; drafts too for organisers.
#[server(prefix = "/api", endpoint = "veranstaltungen", input = GetUrl)]
pub async fn list_events() -> Result<Vec<EventSummary>, AppError> {
    let auth = authorize::<ListEvents>().await?;
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.slug, e.title, e.description, e.venue, e.starts_at, e.status, \
           (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id) AS registrations, \
           (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.checked_in_at IS NOT NULL \
              AND r.checked_out_at IS NULL) AS checked_in \
         FROM events e WHERE e.status <> 'draft' OR $1 = 1 ORDER BY e.starts_at DESC",
    )
    .bind(organises(&auth) as i64)
    .fetch_all(&auth.db().pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(EventSummary {
                status: EventStatus::from_code(&row.status)?,
                slug: row.slug,
                title: row.title,
                description: row.description,
                venue: row.venue,
                starts_at: row.starts_at,
                registrations: row.registrations,
                checked_in: row.checked_in,
            })
        })
        .collect())
}

#[cfg(feature = "ssr")]
#[derive(sqlx::FromRow)]
struct EventRow {
    slug: String,
    title: String,
    description: String,
    venue: String,
    starts_at: String,
    status: String,
    registrations: i64,
    checked_in: i64,
}

/// An event's public page (drafts only for organisers).
#[server(name = EventDetailFn, prefix = "/api", endpoint = "veranstaltung", input = GetUrl)]
pub async fn event_detail(slug: Slug) -> Result<EventDetail, AppError> {
    let auth = authorize::<EventDetailFn>().await?;
    let mut detail = super::server::events::detail(auth.db(), &slug, organises(&auth)).await?;
    if detail.registration_open {
        detail.form_token = auth
            .state
            .public_form_token(&registration_form_purpose(&detail.slug))
            .await?;
    }
    Ok(detail)
}

#[server(name = EventEditorFn, prefix = "/api", endpoint = "veranstaltung/bearbeiten", input = GetUrl)]
pub async fn event_editor(slug: Slug) -> Result<EventEditor, AppError> {
    let auth = authorize::<EventEditorFn>().await?;
    super::server::events::editor(auth.db(), &slug).await
}

/// Creates (`slug` empty, as a draft) or updates an event; returns its slug.
#[server(prefix = "/api", endpoint = "veranstaltung/speichern")]
pub async fn save_event(slug: Slug, event: EventInput) -> Result<String, AppError> {
    let auth = authorize::<SaveEvent>().await?;
    let slug = super::server::events::save(auth.db(), &slug, &event).await?;
    announce(&auth, &slug).await;
    leptos_axum::redirect(&format!("/veranstaltungen/{slug}?gespeichert=1"));
    Ok(slug)
}

#[server(prefix = "/api", endpoint = "veranstaltung/status")]
pub async fn change_event_status(slug: Slug, status: String) -> Result<(), AppError> {
    let auth = authorize::<ChangeEventStatus>().await?;
    super::server::events::change_status(auth.db(), &slug, &status).await?;
    announce(&auth, &slug).await;
    leptos_axum::redirect(&format!("/veranstaltungen/{}", &slug));
    Ok(())
}

/// Anyone registers while registration is open; the answer is the personal link's token, and
/// the browser goes to the personal page.
#[server(prefix = "/api", endpoint = "veranstaltung/anmelden")]
pub async fn register(
    slug: Slug,
    registration: RegistrationInput,
    form_token: Option<String>,
    leave_empty: Option<String>,
) -> Result<String, AppError> {
    let auth = authorize::<Register>().await?;
    let form = auth
        .state
        .check_public_form(
            &registration_form_purpose(&slug),
            form_token.as_deref(),
            leave_empty.as_deref(),
        )
        .await?;
    auth.state
        .limits
        .admit_registration(&slug, &auth.caller.ip, &form)?;
    let token = match super::server::registrations::register(auth.db(), &slug, &registration, false)
        .await
    {
        // Whether an address is registered is nobody else's business: the answer is a
        // confirmation like any other, and the link stays with its owner (who asks the organisers,
        // or once mail exists gets it sent).
        Err(AppError::Invalid {
            problem: crate::domain::validation::Problem::AlreadyRegistered,
            ..
        }) => {
            leptos_axum::redirect(&format!("/veranstaltungen/{}?angemeldet=1", &slug));
            return Ok(String::new());
        }
        other => other?,
    };
    announce(&auth, &slug).await;
    leptos_axum::redirect(&format!("/veranstaltungen/{}/ich/{token}", &slug));
    Ok(token)
}

/// What a registration form's token is good for: registering for this event.
#[cfg(feature = "ssr")]
fn registration_form_purpose(slug: &str) -> String {
    format!("anmeldung:{slug}")
}

/// A new personal link for its owner; the old one stops working. The browser goes to the new one.
#[server(prefix = "/api", endpoint = "veranstaltung/ich/erneuern")]
pub async fn renew_my_link(slug: Slug, token: String) -> Result<String, AppError> {
    let auth = authorize::<RenewMyLink>().await?;
    let fresh = super::server::registrations::renew_link(auth.db(), &slug, &token).await?;
    leptos_axum::redirect(&format!(
        "/veranstaltungen/{}/ich/{fresh}?erneuert=1",
        &slug
    ));
    Ok(fresh)
}

/// Walk-up registration by an organiser at the door: registered and checked in at once.
#[server(prefix = "/api", endpoint = "veranstaltung/einlass/anmelden")]
pub async fn register_at_door(
    slug: Slug,
    registration: RegistrationInput,
) -> Result<String, AppError> {
    let auth = authorize::<RegisterAtDoor>().await?;
    let token =
        super::server::registrations::register(auth.db(), &slug, &registration, true).await?;
    announce_room_changed(&auth, &slug).await;
    Ok(token)
}

/// The personal page behind the link from the registration (and its QR code).
#[server(name = MyRegistrationFn, prefix = "/api", endpoint = "veranstaltung/ich", input = GetUrl)]
pub async fn my_registration(slug: Slug, token: String) -> Result<MyRegistration, AppError> {
    let auth = authorize::<MyRegistrationFn>().await?;
    let origin = auth.state.config.public_origin().to_owned();
    super::server::personal::my_registration(auth.db(), &slug, &token, &origin).await
}

/// The rounds of the owner of a personal link up to the current one, newest first: the small
/// read a phone repeats when the round moves on.
#[server(name = MyRoundsFn, prefix = "/api", endpoint = "veranstaltung/ich/runden", input = GetUrl)]
pub async fn my_rounds(slug: Slug, token: String) -> Result<Vec<MyMeeting>, AppError> {
    let auth = authorize::<MyRoundsFn>().await?;
    super::server::personal::my_rounds(auth.db(), &slug, &token).await
}

/// Withdraws a registration through the personal link; everything the person gave is deleted.
#[server(prefix = "/api", endpoint = "veranstaltung/abmelden")]
pub async fn cancel_registration(slug: Slug, token: String) -> Result<(), AppError> {
    let auth = authorize::<CancelRegistration>().await?;
    super::server::registrations::cancel(auth.db(), &slug, &token).await?;
    announce_room_changed(&auth, &slug).await;
    leptos_axum::redirect(&format!("/veranstaltungen/{}?abgemeldet=1", &slug));
    Ok(())
}

#[server(name = CheckInDesk, prefix = "/api", endpoint = "veranstaltung/einlass", input = GetUrl)]
pub async fn check_in_desk(slug: Slug, search: String) -> Result<Desk, AppError> {
    let auth = authorize::<CheckInDesk>().await?;
    super::server::desk::desk(auth.db(), &slug, &search).await
}

/// Checks a registrant in (`present`) or out.
#[server(prefix = "/api", endpoint = "veranstaltung/einlass/buchen")]
pub async fn check_in(slug: Slug, id: i64, present: bool) -> Result<(), AppError> {
    let auth = authorize::<CheckIn>().await?;
    if super::server::desk::check_in(auth.db(), &slug, id, present).await? {
        announce_room_changed(&auth, &slug).await;
    }
    Ok(())
}

/// Checks in the owner of a personal link: an organiser scans the QR code with any phone camera,
/// opens the link and confirms.
#[server(prefix = "/api", endpoint = "veranstaltung/einlass/link")]
pub async fn check_in_by_link(slug: Slug, token: String) -> Result<(), AppError> {
    let auth = authorize::<CheckInByLink>().await?;
    if super::server::desk::check_in_by_token(auth.db(), &slug, &token).await? {
        announce_room_changed(&auth, &slug).await;
    }
    Ok(())
}

/// The suggestions for the owner of a personal link and one page (from 1) of the other
/// registrants that match `search`.
#[server(name = RegistrantsFn, prefix = "/api", endpoint = "veranstaltung/teilnehmende", input = GetUrl)]
pub async fn registrants(
    slug: Slug,
    token: String,
    #[server(default)] search: String,
    #[server(default)] page: u32,
) -> Result<Registrants, AppError> {
    let auth = authorize::<RegistrantsFn>().await?;
    super::server::personal::registrants(auth.db(), &slug, &token, &search, page).await
}

/// Must meet, gern or no thanks (`muss`, `gern`, `nein`; empty clears the wish).
#[server(prefix = "/api", endpoint = "veranstaltung/wunsch")]
pub async fn set_wish(slug: Slug, token: String, other: i64, wish: String) -> Result<(), AppError> {
    let auth = authorize::<SetWish>().await?;
    super::server::personal::set_wish(auth.db(), &slug, &token, other, &wish).await
}

/// Plans the next round from the people in the room once every round so far has ended, or
/// (`again`) the planned rounds anew that have not started and are not locked; returns the
/// (first) round's number.
#[server(prefix = "/api", endpoint = "veranstaltung/runde/planen")]
pub async fn plan_round(slug: Slug, again: bool) -> Result<u32, AppError> {
    use super::server::rounds::PlanScope;
    let auth = authorize::<PlanRound>().await?;
    let scope = if again {
        PlanScope::Again
    } else {
        PlanScope::Next
    };
    let numbers = super::server::rounds::plan(auth.db(), &slug, scope).await?;
    announce(&auth, &slug).await;
    numbers.first().copied().ok_or(AppError::Internal)
}

/// Plans every remaining round from the people in the room (rounds that started or are locked
/// stay); from then on check-ins and departures re-plan it by themselves. Returns the numbers of
/// the rounds planned.
#[server(prefix = "/api", endpoint = "veranstaltung/abend/planen")]
pub async fn plan_evening(slug: Slug) -> Result<Vec<u32>, AppError> {
    use super::server::rounds::PlanScope;
    let auth = authorize::<PlanEvening>().await?;
    let numbers = super::server::rounds::plan(auth.db(), &slug, PlanScope::Evening).await?;
    announce(&auth, &slug).await;
    Ok(numbers)
}

/// Locks a round that has not started, so re-planning keeps its seats, or unlocks it.
#[server(prefix = "/api", endpoint = "veranstaltung/runde/sperren")]
pub async fn lock_round(slug: Slug, number: u32, locked: bool) -> Result<(), AppError> {
    let auth = authorize::<LockRound>().await?;
    super::server::rounds::lock(auth.db(), &slug, number, locked).await?;
    announce(&auth, &slug).await;
    if !locked {
        auth.state
            .part::<super::server::replan::Replanner>()
            .room_changed(&slug);
    }
    Ok(())
}

/// Starts, pauses, resumes or ends the current round (`start`, `pause`, `weiter`, `ende`).
#[server(prefix = "/api", endpoint = "veranstaltung/runde/uhr")]
pub async fn control_round(slug: Slug, command: String) -> Result<(), AppError> {
    let auth = authorize::<ControlRound>().await?;
    let command = crate::domain::live::RoundCommand::from_code(command.trim()).ok_or(
        AppError::Conflict(crate::domain::validation::Problem::RoundStepInvalid),
    )?;
    super::server::rounds::control(auth.db(), &slug, command).await?;
    announce(&auth, &slug).await;
    Ok(())
}

/// Two people of the open round change places (the organisers' override).
#[server(prefix = "/api", endpoint = "veranstaltung/runde/tauschen")]
pub async fn swap_seats(slug: Slug, first: i64, second: i64) -> Result<(), AppError> {
    let auth = authorize::<SwapSeats>().await?;
    super::server::seating::swap(auth.db(), &slug, first, second).await?;
    announce_room_changed(&auth, &slug).await;
    Ok(())
}

/// Seats everyone in the room without a meeting in the open round at the free tables; returns
/// how many got a seat.
#[server(prefix = "/api", endpoint = "veranstaltung/runde/nachzuegler")]
pub async fn seat_latecomers(slug: Slug) -> Result<usize, AppError> {
    let auth = authorize::<SeatLatecomers>().await?;
    let seated = super::server::seating::seat_latecomers(auth.db(), &slug).await?;
    announce_room_changed(&auth, &slug).await;
    Ok(seated)
}

#[server(name = ScreenFn, prefix = "/api", endpoint = "veranstaltung/leinwand", input = GetUrl)]
pub async fn screen(slug: Slug) -> Result<Screen, AppError> {
    let auth = authorize::<ScreenFn>().await?;
    super::server::seats::screen(auth.db(), &slug).await
}

#[server(name = ConsoleFn, prefix = "/api", endpoint = "veranstaltung/konsole", input = GetUrl)]
pub async fn console(slug: Slug) -> Result<Console, AppError> {
    let auth = authorize::<ConsoleFn>().await?;
    super::server::seats::console(auth.db(), &slug).await
}

/// The organisers delete a registration for someone who asks and has lost their personal link.
#[server(prefix = "/api", endpoint = "veranstaltung/einlass/loeschen")]
pub async fn delete_registration(slug: Slug, id: i64) -> Result<(), AppError> {
    let auth = authorize::<DeleteRegistration>().await?;
    super::server::registrations::delete_registration(auth.db(), &slug, id).await?;
    announce_room_changed(&auth, &slug).await;
    Ok(())
}

/// A participant rates a meeting of theirs (1–5) and says whether to follow up.
#[server(prefix = "/api", endpoint = "veranstaltung/rueckmeldung")]
pub async fn give_feedback(
    slug: Slug,
    token: String,
    meeting: i64,
    rating: u8,
    follow_up: Option<String>,
) -> Result<(), AppError> {
    let auth = authorize::<GiveFeedback>().await?;
    super::server::after::feedback(
        auth.db(),
        &slug,
        &token,
        meeting,
        rating,
        follow_up.is_some(),
    )
    .await
}

#[server(name = ReportFn, prefix = "/api", endpoint = "veranstaltung/bericht", input = GetUrl)]
pub async fn report(slug: Slug) -> Result<EventReport, AppError> {
    let auth = authorize::<ReportFn>().await?;
    super::server::after::report(auth.db(), &slug).await
}

/// Turns a mutual follow-up into a connection on the actor map.
#[server(prefix = "/api", endpoint = "veranstaltung/folgekontakt")]
pub async fn confirm_follow_up(slug: Slug, first: i64, second: i64) -> Result<(), AppError> {
    let auth = authorize::<ConfirmFollowUp>().await?;
    let organiser = auth.viewer()?.id;
    super::server::after::confirm_follow_up(auth.db(), &slug, first, second, organiser).await
}

/// Asks another registrant for a meeting in a bookable slot.
/// Organisations of the public map for what someone types into the registration form (name,
/// tolerant of case, umlauts, legal forms and small typos), with their towns.
#[server(name = SuggestOrganisations, prefix = "/api", endpoint = "veranstaltung/organisationen", input = GetUrl)]
pub async fn suggest_organisations(query: String) -> Result<Vec<OrganisationSuggestion>, AppError> {
    let auth = authorize::<SuggestOrganisations>().await?;
    super::server::organisations::suggest(auth.db(), &query).await
}

/// Confirms that a registered organisation is an actor of the map: its registrations link to it,
/// so follow-ups connect that actor. Answers how many registrations were linked.
#[server(prefix = "/api", endpoint = "veranstaltung/organisation/zuordnen")]
pub async fn assign_organisation(
    slug: Slug,
    organisation: String,
    actor: i64,
) -> Result<usize, AppError> {
    let auth = authorize::<AssignOrganisation>().await?;
    // Longer than any registration's organisation: it names none.
    if organisation.len() > 300 {
        return Err(AppError::NotFound);
    }
    super::server::organisations::assign(auth.db(), &slug, &organisation, actor).await
}

#[server(prefix = "/api", endpoint = "veranstaltung/anfrage")]
pub async fn request_meeting(slug: Slug, token: String, other: i64) -> Result<(), AppError> {
    let auth = authorize::<RequestMeeting>().await?;
    let sides = super::server::booking::request(auth.db(), &slug, &token, other).await?;
    announce_requests(&auth, &slug, Some(&sides)).await;
    Ok(())
}

/// The recipient accepts (`accept`) or declines a meeting request.
#[server(prefix = "/api", endpoint = "veranstaltung/anfrage/antwort")]
pub async fn answer_request(
    slug: Slug,
    token: String,
    request: i64,
    accept: bool,
) -> Result<(), AppError> {
    let auth = authorize::<AnswerRequest>().await?;
    let sides = super::server::booking::answer(auth.db(), &slug, &token, request, accept).await?;
    announce_requests(&auth, &slug, Some(&sides)).await;
    Ok(())
}

/// The sender takes back a request that is not answered yet.
#[server(prefix = "/api", endpoint = "veranstaltung/anfrage/zurueckziehen")]
pub async fn withdraw_request(slug: Slug, token: String, request: i64) -> Result<(), AppError> {
    let auth = authorize::<WithdrawRequest>().await?;
    let sides = super::server::booking::withdraw(auth.db(), &slug, &token, request).await?;
    announce_requests(&auth, &slug, Some(&sides)).await;
    Ok(())
}

/// Places every accepted meeting into the earliest free slot and table; answers how many were
/// placed and how many found no place.
#[server(prefix = "/api", endpoint = "veranstaltung/termine/einplanen")]
pub async fn schedule_all(slug: Slug) -> Result<(usize, usize), AppError> {
    let auth = authorize::<ScheduleAll>().await?;
    let placed = super::server::booking::schedule_all(auth.db(), &slug).await?;
    announce_requests(&auth, &slug, None).await;
    Ok(placed)
}
