//! The live part of the personal page: the one part a phone runs in the browser. It is an island
//! (Leptos islands), hydrated by the small phone bundle (`tandem-phone`) that the server links
//! into personal pages instead of the whole app: the current round with table, partners and
//! talking points, the feedback on rounds that ended and, for bookable slots, the meeting
//! requests, each kept current by the event's live socket. Everything else on the personal page is
//! server-rendered links and forms, which work before and without WASM.

use super::live_feed::{use_live_as, Countdown, LiveFeed, LiveStatus};
use super::reasons::reason_text;
use crate::domain::event::EventStatus;
use crate::domain::live::RoundPhase;
use crate::domain::slug::Slug;
use crate::error::AppError;
use crate::events::api::{
    my_registration, my_rounds, AnswerRequest, GiveFeedback, WithdrawRequest,
};
use crate::events::{MeetingRequest, MyMeeting, RequestStatus, Topic};
use crate::i18n::{provide_locale, t, use_locale, Msg};
use crate::ui::{action_error_or, FormError};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The phone's live panel. `meetings` and `requests` are what the server read for the page
/// (`requests` only for bookable slots); the panel reads them again, one small request each,
/// when the socket says the round moved or the person's requests changed, and after its own
/// forms. `returned_*` are errors of forms posted before the WASM arrived (Leptos hands them back
/// in the address, which only the server reads here).
#[island]
pub fn PersonalLive(
    slug: String,
    token: String,
    topics: Vec<Topic>,
    meetings: Vec<MyMeeting>,
    requests: Option<Vec<MeetingRequest>>,
    returned_feedback_error: Option<AppError>,
    returned_requests_error: Option<AppError>,
) -> impl IntoView {
    // An island starts without the app's context.
    provide_locale();
    let feed = use_live_as(Signal::stored(slug.clone()), Signal::stored(token.clone()));
    let feedback = ServerAction::<GiveFeedback>::new();
    let answer = ServerAction::<AnswerRequest>::new();
    let meetings = RwSignal::new(meetings);
    // A phone reads its rounds again (one small read) when its round moves on or seats change,
    // and its requests when one of them is made, answered, withdrawn or placed (the server tells
    // only the two sides); not on every check-in or anyone else's request.
    let round_moved = Memo::new(move |_| {
        feed.state.get().map(|state| {
            state
                .round
                .map(|round| (round.number, round.phase, round.seating))
        })
    });
    Effect::watch(
        move || (round_moved.get(), feedback.version().get()),
        {
            let (slug, token) = (slug.clone(), token.clone());
            move |_, _, _| {
                let (slug, token) = (slug.clone(), token.clone());
                leptos::task::spawn_local(async move {
                    if let Ok(fresh) = my_rounds(Slug::from(slug), token).await {
                        meetings.set(fresh);
                    }
                });
            }
        },
        false,
    );
    let requests = requests.map(|requests| {
        let requests = RwSignal::new(requests);
        Effect::watch(
            move || (answer.version().get(), feed.requests.get()),
            {
                let (slug, token) = (slug.clone(), token.clone());
                move |_, _, _| {
                    let (slug, token) = (slug.clone(), token.clone());
                    leptos::task::spawn_local(async move {
                        if let Ok(mine) = my_registration(Slug::from(slug), token).await {
                            requests.set(mine.requests);
                        }
                    });
                }
            },
            false,
        );
        requests
    });
    let panel = {
        let (slug, token) = (slug.clone(), token.clone());
        move || {
            let meetings = meetings.get();
            let current = match meetings.first().cloned() {
                Some(meeting) => {
                    view! { <MyMeetingPanel meeting topics=topics.clone() feed/> }.into_any()
                }
                // While the event runs, the panel waits here for the first round.
                None => (move || {
                    feed.state
                        .get()
                        .filter(|state| state.status == EventStatus::Live)
                        .map(|_| {
                            view! {
                                <section aria-labelledby="gespraech-titel" class="panel my-meeting">
                                    <h2 id="gespraech-titel">{t(Msg::MyMeetingTitle)}</h2>
                                    <LiveStatus feed/>
                                    <p>{t(Msg::MyMeetingSoon)}</p>
                                </section>
                            }
                        })
                })
                .into_any(),
            };
            view! {
                {current}
                <MeetingFeedback meetings slug=slug.clone() token=token.clone() action=feedback returned=returned_feedback_error.clone()/>
            }
        }
    };
    let requests = requests.map(|requests| {
        move || {
            view! {
                <MyRequests requests=requests.get() slug=slug.clone() token=token.clone() answer returned=returned_requests_error.clone()/>
            }
        }
    });
    view! {
        {panel}
        {requests}
    }
}

/// The person's table and partners in the current round, what they offer and seek, what to talk
/// about, and the round's countdown.
#[component]
fn MyMeetingPanel(meeting: MyMeeting, topics: Vec<Topic>, feed: LiveFeed) -> impl IntoView {
    let locale = use_locale();
    let number = meeting.round;
    let place = match &meeting.table {
        Some(table) => format!("{} {number} · {}", t(Msg::ConsoleRound), table.with_area()),
        None => format!("{} {number}", t(Msg::ConsoleRound)),
    };
    let round = Signal::derive(move || {
        feed.state
            .get()
            .and_then(|state| state.round)
            .filter(|round| round.number == number)
    });
    let talking_points: Vec<String> = meeting
        .reasons
        .iter()
        .map(|reason| reason_text(reason, &topics, locale))
        .collect();
    view! {
        <section aria-labelledby="gespraech-titel" class="panel my-meeting">
            <h2 id="gespraech-titel">{t(Msg::MyMeetingTitle)}</h2>
            <p class="my-meeting__place">{place}</p>
            <LiveStatus feed/>
            {move || round.get().is_some().then(|| view! { <Countdown feed round/> })}
            {meeting.rest.map(|rest| view! { <p>{t(Msg::MyMeetingRest)} " " {t(rest.label())}</p> })}
            {meeting.partners.into_iter().map(|partner| view! {
                <div class="card">
                    <h3>{t(Msg::MyMeetingWith)} ": " {partner.display_name()}</h3>
                    <dl class="facts">
                        {(!partner.offers.is_empty()).then(|| view! { <div><dt>{t(Msg::RegistrationOffers)}</dt><dd>{partner.offers.clone()}</dd></div> })}
                        {(!partner.seeks.is_empty()).then(|| view! { <div><dt>{t(Msg::RegistrationSeeks)}</dt><dd>{partner.seeks.clone()}</dd></div> })}
                    </dl>
                </div>
            }).collect_view()}
            {(!talking_points.is_empty()).then(|| view! {
                <h3>{t(Msg::MyMeetingTalkAbout)}</h3>
                <ul>{talking_points.into_iter().map(|point| view! { <li>{point}</li> }).collect_view()}</ul>
            })}
        </section>
    }
}

/// Bookable slots: requests to answer, requests waiting for an answer, and the booked schedule.
#[component]
fn MyRequests(
    requests: Vec<MeetingRequest>,
    slug: String,
    token: String,
    answer: ServerAction<AnswerRequest>,
    returned: Option<AppError>,
) -> impl IntoView {
    let error = action_error_or(answer, returned);
    view! {
        <section aria-labelledby="termine-titel" class="panel">
            <h2 id="termine-titel">{t(Msg::RequestsTitle)}</h2>
            <p>{t(Msg::RequestsLead)}</p>
            <FormError error/>
            {if requests.is_empty() {
                view! { <p>{t(Msg::RequestsNone)}</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list">
                        {requests.into_iter().map(|request| {
                            let who = request.other.display_name();
                            let state = match (&request.place, request.status) {
                                (Some(place), _) => format!("{} · {}", place.time, place.table.with_area()),
                                (None, RequestStatus::Accepted) => t(Msg::RequestAccepted).to_owned(),
                                (None, RequestStatus::Declined) => t(Msg::RequestDeclined).to_owned(),
                                (None, RequestStatus::Open) if request.incoming => t(Msg::RequestIncoming).to_owned(),
                                (None, RequestStatus::Open) => t(Msg::RequestOutgoing).to_owned(),
                            };
                            let answerable = request.incoming && request.status == RequestStatus::Open;
                            let withdrawable = !request.incoming && request.status == RequestStatus::Open;
                            let take_back = withdrawable.then(|| {
                                let (slug, token, who) = (slug.clone(), token.clone(), who.clone());
                                view! {
                                    // A plain post: the page comes back from the server, with
                                    // the person's card outside this panel offering a new request.
                                    <form method="post" action=WithdrawRequest::url() class="inline-form">
                                        <input type="hidden" name="slug" value=slug/>
                                        <input type="hidden" name="token" value=token/>
                                        <input type="hidden" name="request" value=request.id/>
                                        <button type="submit" class="button button--small button--secondary">
                                            {t(Msg::RequestWithdraw)} ": " {who}
                                        </button>
                                    </form>
                                }
                            });
                            let (slug, token) = (slug.clone(), token.clone());
                            view! {
                                <li class="card">
                                    <h3>{who.clone()}</h3>
                                    <p>{state}</p>
                                    {take_back}
                                    {answerable.then(move || {
                                        let form = move |accept: bool, label: Msg| {
                                            let (slug, token, who) = (slug.clone(), token.clone(), who.clone());
                                            view! {
                                                <ActionForm action=answer attr:class="inline-form">
                                                    <input type="hidden" name="slug" value=slug/>
                                                    <input type="hidden" name="token" value=token/>
                                                    <input type="hidden" name="request" value=request.id/>
                                                    <input type="hidden" name="accept" value=accept.to_string()/>
                                                    <button type="submit" class=if accept { "button button--small" } else { "button button--small button--secondary" }>
                                                        {t(label)} ": " {who}
                                                    </button>
                                                </ActionForm>
                                            }
                                        };
                                        view! { <div class="button-row">{form(true, Msg::RequestAccept)} {form(false, Msg::RequestDecline)}</div> }
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// After each round: how was it, and shall it go on? Mutual follow-ups go to the organisers.
#[component]
fn MeetingFeedback(
    meetings: Vec<MyMeeting>,
    slug: String,
    token: String,
    action: ServerAction<GiveFeedback>,
    returned: Option<AppError>,
) -> impl IntoView {
    let over: Vec<MyMeeting> = meetings
        .into_iter()
        .filter(|m| m.phase == RoundPhase::Ended && m.meeting_id.is_some())
        .collect();
    let error = action_error_or(action, returned);
    (!over.is_empty()).then(move || view! {
        <section aria-labelledby="rueckmeldung-titel" class="panel">
            <h2 id="rueckmeldung-titel">{t(Msg::FeedbackTitle)}</h2>
            <p>{t(Msg::FeedbackLead)}</p>
            <FormError error/>
            {over.into_iter().map(|meeting| {
                let id = meeting.meeting_id.unwrap_or_default();
                let partners = meeting.partners.iter().map(crate::events::Seated::display_name).collect::<Vec<_>>().join(", ");
                let saved = meeting.feedback;
                let legend = format!("{} {} · {}", t(Msg::ConsoleRound), meeting.round, partners);
                let (slug, token) = (slug.clone(), token.clone());
                view! {
                    <ActionForm action attr:class="feedback-form">
                        <input type="hidden" name="slug" value=slug/>
                        <input type="hidden" name="token" value=token/>
                        <input type="hidden" name="meeting" value=id.to_string()/>
                        <fieldset class="rating">
                            <legend>{legend}</legend>
                            {(1..=5u8).map(|stars| view! {
                                <label class="check">
                                    <input type="radio" name="rating" value=stars.to_string() required
                                        checked=saved.is_some_and(|f| f.rating == stars)/>
                                    {format!("{stars} {}", t(if stars == 1 { Msg::FeedbackStar } else { Msg::FeedbackStars }))}
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <label class="check">
                            <input type="checkbox" name="follow_up" value="on" checked=saved.is_some_and(|f| f.follow_up)/>
                            {t(Msg::FeedbackFollowUp)}
                        </label>
                        <button type="submit" class="button button--secondary">
                            {if saved.is_some() { t(Msg::FeedbackUpdate) } else { t(Msg::FeedbackSend) }}
                        </button>
                    </ActionForm>
                }
            }).collect_view()}
        </section>
    })
}
