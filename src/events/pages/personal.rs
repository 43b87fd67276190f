//! `/veranstaltungen/:slug/ich/:token`: a registrant's personal page: their meetings, requests,
//! feedback, and the other registrants with wishes.

use super::german_date_time;
use super::param;
use super::personal_live::PersonalLive;
use super::query_flag;
use super::reasons::reason_text;
use super::topic_label;
use crate::domain::event::EventFormat;
use crate::domain::meeting::Wish;
use crate::domain::registrant_list::{self, MAX_SEARCH};
use crate::domain::slug::Slug;
use crate::error::AppError;
use crate::events::api::{
    my_registration, my_rounds, registrants, AnswerRequest, CancelRegistration, CheckInByLink,
    GiveFeedback, RenewMyLink, RequestMeeting, SetWish, WithdrawRequest,
};
use crate::events::{MyMeeting, MyRegistration, Registrant, Registrants, Topic};
use crate::guard::ORGANIZERS;
use crate::i18n::{t, use_locale, Msg};
use crate::ui::use_allows;
use crate::ui::Page;
use crate::ui::{action_error, url_error, FormError, Loaded, Pagination};
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
    let request = ServerAction::<RequestMeeting>::new();
    let renew = ServerAction::<RenewMyLink>::new();
    let renew_error = action_error(renew);
    let renewed = query_flag("erneuert");
    // Everything the page shows in one read: the registration and the rounds so far.
    let mine = Resource::new(
        move || (slug.get(), token.get()),
        |(slug, token)| async move {
            let slug = Slug::from(slug);
            let mine = my_registration(slug.clone(), token.clone()).await?;
            let meetings = my_rounds(slug, token).await?;
            Ok::<_, AppError>((mine, meetings))
        },
    );
    let organises = use_allows(ORGANIZERS);
    let locale = use_locale();
    view! {
        <Page title=Msg::MyRegistrationTitle description=Msg::MyRegistrationTitle>
            <Loaded resource=mine ready=move |(mine, meetings): (MyRegistration, Vec<MyMeeting>)| {
                let (name, checked_in) = (mine.person_name.clone(), mine.checked_in);
                let requests = (mine.format == EventFormat::Slots).then(|| mine.requests.clone());
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
                <PersonalLive
                    slug=slug.get_untracked()
                    token=token.get_untracked()
                    topics=mine.all_topics.clone()
                    meetings
                    requests
                    returned_feedback_error={url_error::<GiveFeedback>()}
                    returned_requests_error={url_error::<AnswerRequest>().or_else(url_error::<WithdrawRequest>)}
                />
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

fn wish_label(wish: Option<Wish>) -> Msg {
    match wish {
        None => Msg::WishNone,
        Some(Wish::MustMeet) => Msg::WishMust,
        Some(Wish::Gern) => Msg::WishGern,
        Some(Wish::NoThanks) => Msg::WishNo,
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
