//! `/veranstaltungen/:slug/ich/:token`: a registrant's personal page: their meetings, requests,
//! feedback, and the other registrants with wishes.

use super::german_date_time;
use super::live_feed::{use_live_as, Countdown, LiveFeed, LiveStatus};
use super::param;
use super::query_flag;
use super::topic_label;
use crate::domain::event::{EventFormat, EventStatus};
use crate::domain::live::RoundPhase;
use crate::domain::meeting::{Reason, Side, Wish};
use crate::domain::registrant_list::{self, MAX_SEARCH};
use crate::domain::slug::Slug;
use crate::error::AppError;
use crate::events::api::{
    my_registration, my_rounds, registrants, AnswerRequest, CancelRegistration, CheckInByLink,
    GiveFeedback, RenewMyLink, RequestMeeting, SetWish, WithdrawRequest,
};
use crate::events::{
    MeetingRequest, MyMeeting, MyRegistration, Registrant, Registrants, RequestStatus, Topic,
};
use crate::guard::ORGANIZERS;
use crate::i18n::{t, use_locale, Locale, Msg};
use crate::ui::use_allows;
use crate::ui::Page;
use crate::ui::{action_error, FormError, Loaded, Pagination};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_location, use_query_map};

/// `/veranstaltungen/:slug/ich/:token`: the registrant's own page behind their personal link.
#[component]
pub fn MyRegistrationPage() -> impl IntoView {
    let slug = param("slug");
    let token = param("token");
    let check_in = ServerAction::<CheckInByLink>::new();
    let check_in_error = action_error(check_in);
    let cancel = ServerAction::<CancelRegistration>::new();
    let cancel_error = action_error(cancel);
    let renew = ServerAction::<RenewMyLink>::new();
    let renew_error = action_error(renew);
    let renewed = query_flag("erneuert");
    let feedback = ServerAction::<GiveFeedback>::new();
    let request = ServerAction::<RequestMeeting>::new();
    let answer = ServerAction::<AnswerRequest>::new();
    let withdraw = ServerAction::<WithdrawRequest>::new();
    let feed = use_live_as(slug.into(), token.into());
    // A phone reads its rounds again (one small read) when its round moves on or seats change,
    // and the rest of the page when one of its own meeting requests is made, answered, withdrawn
    // or placed (the server tells only the two sides); not on every check-in or anyone else's
    // request. Wishes being chosen stay as they are when a round moves on.
    let round_moved = Memo::new(move |_| {
        feed.state.get().map(|state| {
            state
                .round
                .map(|round| (round.number, round.phase, round.seating))
        })
    });
    let mine = Resource::new(
        move || {
            (
                slug.get(),
                token.get(),
                check_in.version().get(),
                request.version().get(),
                answer.version().get(),
                withdraw.version().get(),
                feed.requests.get(),
            )
        },
        |(slug, token, ..)| my_registration(Slug::from(slug), token),
    );
    let rounds = Resource::new(
        move || {
            (
                slug.get(),
                token.get(),
                feedback.version().get(),
                round_moved.get(),
            )
        },
        |(slug, token, ..)| my_rounds(Slug::from(slug), token),
    );
    let organises = use_allows(ORGANIZERS);
    let locale = use_locale();
    view! {
        <Page title=Msg::MyRegistrationTitle description=Msg::MyRegistrationTitle>
            <Loaded resource=mine ready=move |mine: MyRegistration| {
                let (name, checked_in) = (mine.person_name.clone(), mine.checked_in);
                view! {
                <p class="lead">
                    <a href=format!("/veranstaltungen/{}", mine.event_slug)>{mine.event_title.clone()}</a>
                    ", " {german_date_time(&mine.starts_at)} ", " {mine.venue.clone()} ", " {mine.town.clone()}
                </p>
                <div class=if mine.checked_in { "notice" } else { "notice notice--info" } role="status">
                    <p>{if mine.checked_in { t(Msg::MyRegistrationCheckedIn) } else { t(Msg::MyRegistrationNotYet) }}</p>
                </div>
                {move || {
                    let name = name.clone();
                    (organises.get() && !checked_in).then(move || view! {
                    <ActionForm action=check_in attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug.get_untracked()/>
                        <input type="hidden" name="token" value=token.get_untracked()/>
                        <FormError error=check_in_error/>
                        <button type="submit" class="button">{t(Msg::DeskCheckIn)} ": " {name}</button>
                    </ActionForm>
                    })
                }}
                <MyRounds rounds topics=mine.all_topics.clone() feed slug=slug.get_untracked() token=token.get_untracked() feedback/>
                <section aria-labelledby="link-titel" class="panel">
                    <h2 id="link-titel">{t(Msg::MyRegistrationLinkTitle)}</h2>
                    <p>{t(Msg::MyRegistrationLinkText)}</p>
                    // The SVG comes from our server (qrcode crate), not from user input.
                    <figure class="qr">
                        <div class="qr__code" role="img" aria-label=t(Msg::MyRegistrationQr) inner_html=mine.qr_svg.clone()></div>
                        <figcaption><a href=mine.link.clone() class="qr__link">{mine.link.clone()}</a></figcaption>
                    </figure>
                    <p><a href=format!("{}/kalender.ics", mine.link) download>{t(Msg::MyRegistrationCalendar)}</a></p>
                    {renewed.then(|| view! { <div class="notice" role="status"><p>{t(Msg::LinkRenewed)}</p></div> })}
                    <ActionForm action=renew attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug.get_untracked()/>
                        <input type="hidden" name="token" value=token.get_untracked()/>
                        <FormError error=renew_error/>
                        <p class="muted">{t(Msg::LinkRenewHelp)}</p>
                        <button type="submit" class="button button--secondary">{t(Msg::LinkRenew)}</button>
                    </ActionForm>
                </section>
                {(mine.format == EventFormat::Slots).then(|| view! {
                    <MyRequests requests=mine.requests.clone() slug=slug.get_untracked() token=token.get_untracked() answer withdraw/>
                })}
                <Wishes slug=slug.get_untracked() token=token.get_untracked() request/>
                <section aria-labelledby="daten-titel">
                    <h2 id="daten-titel">{t(Msg::MyRegistrationData)}</h2>
                    <dl class="facts">
                        <div><dt>{t(Msg::LabelName)}</dt><dd>{mine.person_name.clone()}</dd></div>
                        <div><dt>{t(Msg::LabelEmail)}</dt><dd>{mine.email.clone()}</dd></div>
                        <div><dt>{t(Msg::RegistrationOrganisation)}</dt><dd>{mine.organisation.clone()}</dd></div>
                        <div><dt>{t(Msg::ColKind)}</dt><dd>{t(mine.kind.label())}</dd></div>
                        <div><dt>{t(Msg::RegistrationOffers)}</dt><dd>{mine.offers.clone()}</dd></div>
                        <div><dt>{t(Msg::RegistrationSeeks)}</dt><dd>{mine.seeks.clone()}</dd></div>
                        <div>
                            <dt>{t(Msg::RegistrationTopics)}</dt>
                            <dd>{mine.topics.iter().map(|topic| topic_label(topic, locale)).collect::<Vec<_>>().join(", ")}</dd>
                        </div>
                    </dl>
                </section>
                <section aria-labelledby="abmelden-titel">
                    <h2 id="abmelden-titel">{t(Msg::MyRegistrationCancelTitle)}</h2>
                    <p>{t(Msg::MyRegistrationCancelText)}</p>
                    <ActionForm action=cancel attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug.get_untracked()/>
                        <input type="hidden" name="token" value=token.get_untracked()/>
                        <FormError error=cancel_error/>
                        <button type="submit" class="button button--danger">{t(Msg::MyRegistrationCancel)}</button>
                    </ActionForm>
                </section>
                }
            }/>
        </Page>
    }
}

/// The person's current round (or the wait for the first) and the feedback on past ones.
#[component]
fn MyRounds(
    rounds: Resource<Result<Vec<MyMeeting>, AppError>>,
    topics: Vec<Topic>,
    feed: LiveFeed,
    slug: String,
    token: String,
    feedback: ServerAction<GiveFeedback>,
) -> impl IntoView {
    let ready = move |meetings: Vec<MyMeeting>| {
        let panel = match meetings.first().cloned() {
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
            {panel}
            <MeetingFeedback meetings slug=slug.clone() token=token.clone() action=feedback/>
        }
    };
    view! { <Loaded resource=rounds ready/> }
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
    withdraw: ServerAction<WithdrawRequest>,
) -> impl IntoView {
    let answer_error = action_error(answer);
    let withdraw_error = action_error(withdraw);
    let error = Signal::derive(move || withdraw_error.get().or_else(|| answer_error.get()));
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
                                    <ActionForm action=withdraw attr:class="inline-form">
                                        <input type="hidden" name="slug" value=slug/>
                                        <input type="hidden" name="token" value=token/>
                                        <input type="hidden" name="request" value=request.id/>
                                        <button type="submit" class="button button--small button--secondary">
                                            {t(Msg::RequestWithdraw)} ": " {who}
                                        </button>
                                    </ActionForm>
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
) -> impl IntoView {
    let over: Vec<MyMeeting> = meetings
        .into_iter()
        .filter(|m| m.phase == RoundPhase::Ended && m.meeting_id.is_some())
        .collect();
    let error = action_error(action);
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

fn wish_label(wish: Option<Wish>) -> Msg {
    match wish {
        None => Msg::WishNone,
        Some(Wish::MustMeet) => Msg::WishMust,
        Some(Wish::Gern) => Msg::WishGern,
        Some(Wish::NoThanks) => Msg::WishNo,
    }
}

/// One reason in words, for the person the page belongs to.
fn reason_text(reason: &Reason, topics: &[Topic], locale: Locale) -> String {
    let list =
        |label: Msg, items: Vec<String>| format!("{} {}", label.text(locale), items.join(", "));
    match reason {
        Reason::SharedTopics(ids) => list(
            Msg::ReasonTopics,
            ids.iter()
                .filter_map(|&i| topics.get(i as usize))
                .map(|topic| topic_label(topic, locale))
                .collect(),
        ),
        Reason::Offers {
            by: Side::Partner,
            words,
        } => list(Msg::ReasonPartnerOffers, words.clone()),
        Reason::Offers {
            by: Side::You,
            words,
        } => list(Msg::ReasonYouOffer, words.clone()),
        Reason::Kinds(a, b) => list(
            Msg::ReasonKinds,
            vec![format!(
                "{} × {}",
                a.label().text(locale),
                b.label().text(locale)
            )],
        ),
        Reason::MutualWish => Msg::ReasonMutual.text(locale).to_owned(),
        Reason::Wished { by: Side::You } => Msg::ReasonYouWish.text(locale).to_owned(),
        Reason::Wished { by: Side::Partner } => Msg::ReasonPartnerWishes.text(locale).to_owned(),
    }
}

/// Suggestions with their reasons, and every other registrant with the viewer's wish.
#[component]
fn Wishes(slug: String, token: String, request: ServerAction<RequestMeeting>) -> impl IntoView {
    let set_wish = ServerAction::<SetWish>::new();
    let error = action_error(set_wish);
    let request_error = action_error(request);
    // Search and page live in the address, so they work without WASM and survive a reload.
    let query = use_query_map();
    let search = move || query.read().get(SEARCH_KEY).unwrap_or_default();
    let page = move || {
        query
            .read()
            .get(PAGE_KEY)
            .and_then(|page| page.parse::<u32>().ok())
            .unwrap_or(1)
    };
    let people = Resource::new(
        {
            let (slug, token) = (slug.clone(), token.clone());
            move || {
                (
                    slug.clone(),
                    token.clone(),
                    search(),
                    page(),
                    set_wish.version().get(),
                    request.version().get(),
                )
            }
        },
        |(slug, token, search, page, ..)| registrants(Slug::from(slug), token, search, page),
    );
    let locale = use_locale();
    let path = use_location().pathname;
    // The suggestions, and one page of the list: redrawn with each answer.
    let suggestions = move |list: Registrants| {
        let Registrants {
            topics,
            suggestions,
            ..
        } = list;
        let path = path.get_untracked();
        let suggested = suggestions.iter().map(|s| {
            view! {
                <li class="card">
                    <h3>{s.person_name.clone()} <span class="muted">" · " {s.organisation.clone()}</span></h3>
                    <p class="eyebrow">{t(Msg::WhyTitle)}</p>
                    <ul>
                        {s.reasons.iter().map(|r| view! { <li>{reason_text(r, &topics, locale)}</li> }).collect_view()}
                    </ul>
                    <p>
                        <a href=list_link(&path, &s.person_name, 1)>
                            {t(Msg::SuggestionInList)}
                            <span class="visually-hidden">": " {s.person_name.clone()}</span>
                        </a>
                    </p>
                </li>
            }
        }).collect_view();
        view! {
            <section aria-labelledby="vorschlaege-titel">
                <h2 id="vorschlaege-titel">{t(Msg::SuggestionsTitle)}</h2>
                {if suggestions.is_empty() {
                    view! { <p>{t(Msg::SuggestionsNone)}</p> }.into_any()
                } else {
                    view! { <p>{t(Msg::SuggestionsLead)}</p> <ul class="card-list">{suggested}</ul> }.into_any()
                }}
            </section>
        }
    };
    let listed = {
        let (slug, token) = (slug.clone(), token.clone());
        move |list: Registrants| {
            let Registrants {
                topics,
                people,
                matching,
                page,
                bookable,
                requested,
                ..
            } = list;
            let link = {
                let (path, search) = (path.get_untracked(), search());
                Callback::new(move |page: u32| list_link(&path, &search, page))
            };
            view! {
                <ul class="card-list">
                    {people.into_iter().map(|person| {
                        let booking = bookable.then(|| (requested.contains(&person.id), request));
                        view! {
                            <RegistrantCard person topics=topics.clone() slug=slug.clone() token=token.clone() action=set_wish booking/>
                        }
                    }).collect_view()}
                </ul>
                <Pagination page pages=registrant_list::pages(matching as usize) link/>
            }
        }
    };
    let count = |matching: u32| t(Msg::PeopleMatching).replace("{count}", &matching.to_string());
    // One loaded view for both sections, as on every page (two views awaiting the one resource
    // left the second on its fallback after a refetch).
    view! {
        <Loaded resource=people ready=move |list: Registrants| {
            let matching = list.matching;
            view! {
                {suggestions(list.clone())}
                <section aria-labelledby="teilnehmende-titel">
                    <h2 id="teilnehmende-titel">{t(Msg::PeopleTitle)}</h2>
                    <p>{t(Msg::PeopleLead)}</p>
                    <Form method="get" action=path.get_untracked() noscroll=true attr:class="inline-form" attr:role="search">
                        <label for="teilnehmende-suche">{t(Msg::PeopleSearch)}</label>
                        <input id="teilnehmende-suche" type="search" name=SEARCH_KEY value=search maxlength=MAX_SEARCH/>
                        <button type="submit" class="button button--small">{t(Msg::PeopleSearchSubmit)}</button>
                    </Form>
                    <p aria-live="polite" aria-atomic="true">{count(matching)}</p>
                    <FormError error/>
                    <FormError error=request_error/>
                    {listed(list)}
                </section>
            }
        }/>
    }
}

/// The personal page's list at `page`, searched for `search`, scrolled to its heading.
fn list_link(path: &str, search: &str, page: u32) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if !search.is_empty() {
        query.append_pair(SEARCH_KEY, search);
    }
    query.append_pair(PAGE_KEY, &page.to_string());
    format!("{path}?{}#teilnehmende-titel", query.finish())
}

/// The personal page's query keys for the registrant list.
const SEARCH_KEY: &str = "suche";
const PAGE_KEY: &str = "seite";

#[component]
fn RegistrantCard(
    person: Registrant,
    topics: Vec<Topic>,
    slug: String,
    token: String,
    action: ServerAction<SetWish>,
    /// For bookable events: whether a request exists already, and the request action.
    booking: Option<(bool, ServerAction<RequestMeeting>)>,
) -> impl IntoView {
    let locale = use_locale();
    let select_id = format!("wunsch-{}", person.id);
    let (request_slug, request_token, request_name) =
        (slug.clone(), token.clone(), person.person_name.clone());
    let request_form = booking.map(move |(requested, request)| {
        if requested {
            view! { <p class="muted">{t(Msg::RequestExists)}</p> }.into_any()
        } else {
            view! {
                <ActionForm action=request attr:class="inline-form">
                    <input type="hidden" name="slug" value=request_slug/>
                    <input type="hidden" name="token" value=request_token/>
                    <input type="hidden" name="other" value=person.id/>
                    <button type="submit" class="button button--small button--secondary">
                        {t(Msg::RequestSend)} ": " {request_name}
                    </button>
                </ActionForm>
            }
            .into_any()
        }
    });
    let topic_names: Vec<String> = person
        .topics
        .iter()
        .filter_map(|&i| topics.get(i as usize))
        .map(|topic| topic_label(topic, locale))
        .collect();
    view! {
        <li class="card">
            <h3>{person.person_name.clone()}</h3>
            <p class="muted">{person.organisation.clone()} {person.kind.map(|k| format!(" · {}", k.label().text(locale)))}</p>
            <dl class="facts">
                {(!person.offers.is_empty()).then(|| view! { <div><dt>{t(Msg::RegistrationOffers)}</dt><dd>{person.offers.clone()}</dd></div> })}
                {(!person.seeks.is_empty()).then(|| view! { <div><dt>{t(Msg::RegistrationSeeks)}</dt><dd>{person.seeks.clone()}</dd></div> })}
                {(!topic_names.is_empty()).then(|| view! { <div><dt>{t(Msg::RegistrationTopics)}</dt><dd>{topic_names.join(", ")}</dd></div> })}
            </dl>
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="token" value=token/>
                <input type="hidden" name="other" value=person.id/>
                <label for=select_id.clone()>{t(Msg::WishLabel)} ": " {person.person_name.clone()}</label>
                <select id=select_id name="wish">
                    {[None, Some(Wish::MustMeet), Some(Wish::Gern), Some(Wish::NoThanks)].into_iter().map(|wish| view! {
                        <option value=wish.map(Wish::code).unwrap_or("") selected=wish == person.wish>{t(wish_label(wish))}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button button--small">{t(Msg::WishSave)}</button>
            </ActionForm>
            {request_form}
        </li>
    }
}
