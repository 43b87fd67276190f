//! `/veranstaltungen/:slug`: an event's facts and its registration form, with the organisers'
//! tools for them.

use super::german_date_time;
use super::param;
use super::query_flag;
use super::status_label;
use super::topic_label;
use crate::domain::actor::ActorKind;
use crate::domain::event::{EventFormat, EventStatus, OFFER_MAX};
use crate::domain::slug::Slug;
use crate::error::AppError;
use crate::events::api::{event_detail, suggest_organisations, ChangeEventStatus, Register};
use crate::events::{EventDetail, Topic};
use crate::guard::ORGANIZERS;
use crate::i18n::{t, use_locale, Msg};
use crate::ui::use_allows;
use crate::ui::{
    action_error, char_count, invalid_state, CharCount, Field, FieldError, FormError, Loaded,
    PageMeta, PublicFormGuard,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/veranstaltungen/:slug`: what the event is, its registration form while registration is
/// open, and the organisers' tools.
#[component]
pub fn EventPage() -> impl IntoView {
    let slug = param("slug");
    let change_status = ServerAction::<ChangeEventStatus>::new();
    let status_error = action_error(change_status);
    let detail = Resource::new(
        move || (slug.get(), change_status.version().get()),
        |(slug, _)| event_detail(Slug::from(slug)),
    );
    let organises = use_allows(ORGANIZERS);
    let saved = query_flag("gespeichert");
    let cancelled = query_flag("abgemeldet");
    let received = query_flag("angemeldet");
    view! {
        <Loaded resource=detail ready=move |detail: EventDetail| {
            let title = detail.event.title.clone();
            let status = detail.status;
            view! {
                <Title text=title.clone()/>
                <PageMeta
                    description=if detail.event.description.trim().is_empty() { title.clone() } else { detail.event.description.clone() }
                    path=format!("/veranstaltungen/{}", detail.slug)
                />
                <h1>{title}</h1>
                {saved.then(|| view! { <div class="notice" role="status"><p>{t(Msg::EventSaved)}</p></div> })}
                {cancelled.then(|| view! { <div class="notice" role="status"><p>{t(Msg::RegistrationCancelled)}</p></div> })}
                {received.then(|| view! { <div class="notice" role="status"><p>{t(Msg::RegistrationReceivedKnown)}</p></div> })}
                <EventFacts detail=detail.clone()/>
                {
                    let slug = detail.slug.clone();
                    move || organises.get().then(|| view! {
                        <OrganiserTools slug=slug.clone() status action=change_status error=status_error/>
                    })
                }
                <section aria-labelledby="anmeldung-titel">
                    <h2 id="anmeldung-titel">{t(Msg::RegistrationTitle)}</h2>
                    {if detail.registration_open {
                        view! { <RegistrationForm slug=detail.slug.clone() topics=detail.topics.clone() form_token=detail.form_token.clone()/> }.into_any()
                    } else {
                        view! { <p>{t(Msg::RegistrationNotOpen)}</p> }.into_any()
                    }}
                </section>
            }
        }/>
    }
}

/// Edit, check-in desk and the next steps of the event's status.
#[component]
fn OrganiserTools(
    slug: String,
    status: EventStatus,
    action: ServerAction<ChangeEventStatus>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="orga-titel" class="panel">
            <h2 id="orga-titel">{t(Msg::EventOrganiserTools)}</h2>
            <FormError error/>
            <p class="button-row">
                <a class="button button--small" href=format!("/veranstaltungen/{slug}/bearbeiten")>{t(Msg::EventEdit)}</a>
                <a class="button button--small" href=format!("/veranstaltungen/{slug}/einlass")>{t(Msg::DeskTitle)}</a>
                <a class="button button--small" href=format!("/veranstaltungen/{slug}/konsole")>{t(Msg::ConsoleTitle)}</a>
            </p>
            <div class="button-row">
                {EventStatus::ALL.into_iter().filter(|next| status.can_become(*next)).map(|next| {
                    let slug = slug.clone();
                    view! {
                    <ActionForm action attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug/>
                        <input type="hidden" name="status" value=next.code()/>
                        <button type="submit" class="button button--small button--secondary">
                            {t(Msg::EventStatusTo)} " " {t(status_label(next))}
                        </button>
                    </ActionForm>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn EventFacts(detail: EventDetail) -> impl IntoView {
    let event = detail.event;
    let date = |day: &Option<String>| day.as_deref().map(german_date_time);
    let window = match (
        date(&event.registration_opens),
        date(&event.registration_closes),
    ) {
        (None, None) => None,
        (Some(opens), Some(closes)) => Some(format!("{opens} – {closes}")),
        (Some(opens), None) => Some(format!("{} {opens}", t(Msg::EventWindowFrom))),
        (None, Some(closes)) => Some(format!("{} {closes}", t(Msg::EventWindowUntil))),
    };
    view! {
        <p class="eyebrow">
            <span class=format!("badge badge--{}", detail.status.code())>{t(status_label(detail.status))}</span>
        </p>
        <dl class="facts">
            <div><dt>{t(Msg::EventDate)}</dt><dd>{german_date_time(&event.starts_at)} " – " {german_date_time(&event.ends_at)}</dd></div>
            <div><dt>{t(Msg::EventVenue)}</dt><dd>{event.venue} ", " {event.town}</dd></div>
            <div><dt>{t(Msg::EventFormatLegend)}</dt><dd>{t(match event.format {
                EventFormat::Rounds => Msg::EventFormatRoundsShort,
                EventFormat::Slots => Msg::EventFormatSlotsShort,
            })}</dd></div>
            <div>
                <dt>{t(if event.format == EventFormat::Slots { Msg::EventSlotsLabel } else { Msg::EventRoundsLabel })}</dt>
                <dd>{event.rounds} " × " {event.round_minutes} " " {t(Msg::EventMinutes)}</dd>
            </div>
            <div><dt>{t(Msg::EventRegistrations)}</dt><dd>{detail.registrations} " (" {detail.checked_in} " " {t(Msg::EventCheckedIn)} ")"</dd></div>
            {window.map(|window| view! { <div><dt>{t(Msg::EventWindow)}</dt><dd>{window}</dd></div> })}
        </dl>
        {(!event.description.is_empty()).then(|| view! { <p>{event.description}</p> })}
    }
}

/// How long typing pauses before the organisation field asks for suggestions.
const SUGGEST_AFTER_PAUSE: std::time::Duration = std::time::Duration::from_millis(250);

/// Who registers: shared by the public form and walk-up registration at the door.
/// The organisation, with the public map's organisations suggested while it is typed (name and
/// town, tolerant of case, umlauts, legal forms and small typos); choosing one writes its name,
/// so the registration finds its place on the map. Without WASM it is a plain field.
#[component]
fn OrganisationField(error: Signal<Option<AppError>>) -> impl IntoView {
    let (invalid, described) = invalid_state(error, "organisation");
    let value = RwSignal::new(String::new());
    let input = NodeRef::<leptos::html::Input>::new();
    // What was typed, not what was chosen: choosing ends the suggestions.
    let typed = RwSignal::new(String::new());
    let found = Resource::new(
        move || typed.get(),
        |query| async move {
            if query.trim().chars().count() < 3 {
                return Vec::new();
            }
            suggest_organisations(query).await.unwrap_or_default()
        },
    );
    view! {
        <div class="field">
            <label for="feld-organisation">{t(Msg::RegistrationOrganisation)}</label>
            <input id="feld-organisation" name="registration[organisation]" type="text"
                autocomplete="organization" required aria-invalid=invalid
                aria-describedby=move || described().map_or("feld-organisation-karte".to_owned(), |e| format!("feld-organisation-karte {e}"))
                prop:value=value
                node_ref=input
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    value.set(text.clone());
                    // One question to the server when typing pauses, not one per key: many
                    // phones share the venue's address and its limits. The form may be gone
                    // when the timer fires; then there is nothing to ask.
                    set_timeout(
                        move || {
                            if value.try_get_untracked().is_some_and(|now| now == text) {
                                typed.set(text);
                            }
                        },
                        SUGGEST_AFTER_PAUSE,
                    );
                }/>
            <div id="feld-organisation-karte" class="organisation-hints" aria-live="polite">
                <Transition fallback=|| ()>
                    {move || found.get().filter(|list| !list.is_empty()).map(|list| view! {
                        <p class="muted">{t(Msg::RegistrationOnTheMap)}</p>
                        <ul class="organisation-hints__list">
                            {list.into_iter().map(|suggestion| {
                                let name = suggestion.name.clone();
                                view! {
                                    <li>
                                        <button type="button" class="button button--secondary button--small"
                                            on:click=move |_| {
                                                value.set(name.clone());
                                                typed.set(String::new());
                                                // The button goes with the list: focus returns
                                                // to the field it filled.
                                                if let Some(input) = input.get() {
                                                    let _ = input.focus();
                                                }
                                            }>
                                            {suggestion.name.clone()}
                                            {(!suggestion.town.is_empty()).then(|| format!(" · {}", suggestion.town))}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                </Transition>
            </div>
            <FieldError error field="organisation"/>
        </div>
    }
}

#[component]
pub(super) fn RegistrationFields(
    topics: Vec<Topic>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let (kind_invalid, kind_described) = invalid_state(error, "kind");
    let (offers_invalid, offers_described) = invalid_state(error, "offers");
    let (seeks_invalid, seeks_described) = invalid_state(error, "seeks");
    let (offers_count, offers_input) = char_count("");
    let (seeks_count, seeks_input) = char_count("");
    let field = |label: Msg, name: &'static str, kind: &'static str, autocomplete: &'static str| {
        view! {
            <Field label name kind autocomplete input_name=format!("registration[{name}]") error/>
        }
    };
    view! {
        {field(Msg::LabelName, "person_name", "text", "name")}
        {field(Msg::LabelEmail, "email", "email", "email")}
        <OrganisationField error/>
        <div class="field">
            <label for="feld-kind">{t(Msg::ColKind)}</label>
            <select id="feld-kind" name="registration[kind]" required aria-invalid=kind_invalid aria-describedby=kind_described>
                <option value="" disabled selected>{t(Msg::KindChoose)}</option>
                {ActorKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{t(k.label())}</option> }).collect_view()}
            </select>
            <FieldError error field="kind"/>
        </div>
        <div class="field">
            <label for="feld-offers">{t(Msg::RegistrationOffers)}</label>
            <textarea id="feld-offers" name="registration[offers]" rows="3" aria-invalid=offers_invalid
                maxlength=OFFER_MAX on:input=offers_input
                aria-describedby=move || offers_described().map_or("feld-offers-hilfe".to_owned(), |e| format!("feld-offers-hilfe {e}"))></textarea>
            <CharCount count=offers_count max=OFFER_MAX/>
            <p id="feld-offers-hilfe" class="muted">{t(Msg::RegistrationOffersHelp)}</p>
            <FieldError error field="offers"/>
        </div>
        <div class="field">
            <label for="feld-seeks">{t(Msg::RegistrationSeeks)}</label>
            <textarea id="feld-seeks" name="registration[seeks]" rows="3" aria-invalid=seeks_invalid aria-describedby=seeks_described
                maxlength=OFFER_MAX on:input=seeks_input></textarea>
            <CharCount count=seeks_count max=OFFER_MAX/>
            <FieldError error field="seeks"/>
        </div>
        <fieldset class="checks">
            <legend>{t(Msg::RegistrationTopics)}</legend>
            {topics.into_iter().enumerate().map(|(i, topic)| view! {
                <label class="check">
                    <input type="checkbox" name=format!("registration[topics][{i}]") value=topic.code.clone()/>
                    {topic_label(&topic, locale)}
                </label>
            }).collect_view()}
            <FieldError error field="topics"/>
        </fieldset>
        <fieldset class="checks">
            <legend>{t(Msg::LabelConsent)}</legend>
            <label class="check">
                <input type="checkbox" name="registration[consent]" value="on" required/>
                {t(Msg::RegistrationConsent)}
            </label>
            <FieldError error field="consent"/>
        </fieldset>
    }
}

const REGISTRATION_FIELDS: &[&str] = &[
    "person_name",
    "email",
    "organisation",
    "kind",
    "offers",
    "seeks",
    "topics",
    "consent",
];

#[component]
fn RegistrationForm(slug: String, topics: Vec<Topic>, form_token: String) -> impl IntoView {
    let register = ServerAction::<Register>::new();
    let error = action_error(register);
    view! {
        <p>{t(Msg::RegistrationLead)}</p>
        <ActionForm action=register attr:class="form">
            <input type="hidden" name="slug" value=slug/>
            <PublicFormGuard token=form_token/>
            <FormError error fields=REGISTRATION_FIELDS/>
            <RegistrationFields topics error/>
            <button type="submit" class="button">{t(Msg::RegistrationSubmit)}</button>
        </ActionForm>
    }
}
