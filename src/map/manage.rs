//! Looking after the map's data: the CSV import (dry run, then progress), editing actors and
//! their connections, proposals from anyone and their moderation, and the taxonomy.

use super::api::{
    actor_editor, actor_profile, import_csv, import_progress, map_options, open_proposals,
    DecideProposal, DeleteActor, DeleteConnection, ProposeChange, SaveActor, SaveConnection,
    SaveTerm,
};
use super::{
    ActorEditor, EditableConnection, ImportProgress, ImportReport, ImportState, MapOptions,
    ProposalView,
};
use crate::domain::actor::{ActorKind, ConnectionKind};
use crate::domain::actor_input::{ActorInput, DESCRIPTION_MAX, FOUNDED_MIN, SIZE_BANDS};
use crate::domain::import::ImportKind;
use crate::domain::proposal::{ActorField, MESSAGE_MAX};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::i18n::{t, use_locale, Msg};
use crate::taxonomy::Term;
use crate::ui::{
    action_error, char_count, invalid_state, CharCount, ErrorNotice, Field, FieldError, FormError,
    Loaded, PageMeta, PublicFormGuard, Restricted,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Who may change the map's data: the roles `guard::EDITORS` allows.
pub(crate) fn may_manage(role: Option<Role>) -> bool {
    crate::guard::EDITORS.allows(role)
}

#[component]
pub fn ImportPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::ImportTitle)/>
        <h1>{t(Msg::ImportTitle)}</h1>
        <p class="lead">{t(Msg::ImportLead)}</p>
        <EditorsOnly>
            <ImportForm/>
        </EditorsOnly>
    }
}

#[component]
fn ImportForm() -> impl IntoView {
    let locale = use_locale();
    let kind = RwSignal::new(ImportKind::Actors.code().to_owned());
    let text = RwSignal::new(String::new());
    let import = Action::new(|(kind, csv, apply): &(String, String, bool)| {
        import_csv(kind.clone(), csv.clone(), *apply)
    });
    // The text the last successful dry run checked: only that text may be imported.
    let checked = RwSignal::new(None::<(String, String)>);
    let report = import.value();
    Effect::new(move |_| {
        if let Some(Ok(report)) = report.get() {
            if report.problems.is_empty() && report.job.is_none() {
                checked.set(Some((kind.get_untracked(), text.get_untracked())));
            }
        }
    });
    let job = Memo::new(move |_| report.get().and_then(|r| r.ok()).and_then(|r| r.job));
    let tick = RwSignal::new(0u32);
    let progress = Resource::new(
        move || (job.get(), tick.get()),
        |(job, _)| async move {
            match job {
                Some(job) => import_progress(job).await.map(Some),
                None => Ok(None),
            }
        },
    );
    // Polls while an import runs; stops by itself when it has finished.
    Effect::new(move |_| {
        if job.get().is_some() {
            let handle = set_interval_with_handle(
                move || {
                    let running = progress
                        .try_get()
                        .flatten()
                        .and_then(|p| p.ok())
                        .flatten()
                        .is_none_or(|p| p.state == ImportState::Running);
                    if running {
                        tick.try_update(|t| *t += 1);
                    }
                },
                std::time::Duration::from_millis(300),
            );
            if let Ok(handle) = handle {
                on_cleanup(move || handle.clear());
            }
        }
    });
    let ready_to_import =
        move || checked.get() == Some((kind.get(), text.get())) && job.get().is_none();
    #[cfg(feature = "hydrate")]
    let read_file = move |event: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            leptos::task::spawn_local(async move {
                if let Ok(content) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    text.set(content.as_string().unwrap_or_default());
                }
            });
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let read_file = |_event: leptos::ev::Event| {};
    view! {
        <form class="form form--wide" on:submit=move |event| {
            event.prevent_default();
            import.dispatch((kind.get_untracked(), text.get_untracked(), false));
        }>
            <div class="field">
                <label for="import-art">{t(Msg::ImportKind)}</label>
                <select id="import-art" on:change=move |e| kind.set(event_target_value(&e)) prop:value=move || kind.get()>
                    <option value=ImportKind::Actors.code()>{t(Msg::StatActors)}</option>
                    <option value=ImportKind::Connections.code()>{t(Msg::StatConnections)}</option>
                </select>
            </div>
            <div class="field">
                <label for="import-datei">{t(Msg::ImportFile)}</label>
                <input id="import-datei" type="file" accept=".csv,text/csv" on:change=read_file/>
            </div>
            <div class="field">
                <label for="import-text">{t(Msg::ImportText)}</label>
                <textarea id="import-text" rows="10" spellcheck="false"
                    prop:value=move || text.get()
                    on:input=move |e| text.set(event_target_value(&e))
                    aria-describedby="import-hilfe"></textarea>
                <p id="import-hilfe" class="muted">
                    {move || if kind.get() == ImportKind::Actors.code() { t(Msg::ImportActorColumns) } else { t(Msg::ImportConnectionColumns) }}
                </p>
            </div>
            <div class="button-row">
                <button type="submit" class="button">{t(Msg::ImportCheck)}</button>
                <button type="button" class="button" disabled=move || !ready_to_import()
                    on:click=move |_| { import.dispatch((kind.get_untracked(), text.get_untracked(), true)); }>
                    {t(Msg::ImportRun)}
                </button>
            </div>
        </form>
        <div aria-live="polite">
            {move || report.get().map(|result| match result {
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                Ok(report) => view! { <ReportView report/> }.into_any(),
            })}
            <Transition>
                {move || Suspend::new(async move {
                    progress.await.ok().flatten().map(|p: ImportProgress| {
                        let text = match &p.state {
                            ImportState::Running => format!("{} {} / {}", t(Msg::ImportRunning), p.done, p.total),
                            ImportState::Done { imported } => format!("{} {imported}", Msg::ImportDone.text(locale)),
                            ImportState::Failed => Msg::ImportFailed.text(locale).to_owned(),
                        };
                        view! {
                            <div class="import-progress" data-state=format!("{:?}", p.state).to_lowercase()>
                                <label for="import-fortschritt">{t(Msg::ImportProgressLabel)}</label>
                                <progress id="import-fortschritt" max=p.total.max(1) value=p.done></progress>
                                <p>{text}</p>
                            </div>
                        }
                    })
                })}
            </Transition>
        </div>
    }
}

#[component]
fn ReportView(report: ImportReport) -> impl IntoView {
    let locale = use_locale();
    if report.problems.is_empty() {
        let message = if report.job.is_some() {
            Msg::ImportStarted
        } else {
            Msg::ImportCheckedOk
        };
        return view! {
            <div class="notice"><p>{t(message)} " (" {report.rows} " " {t(Msg::ImportRows)} ")"</p></div>
        }
        .into_any();
    }
    view! {
        <div class="notice notice--error" role="alert">
            <p>{t(Msg::ImportProblems)} " (" {report.problems.len()} ")"</p>
        </div>
        <table class="data-table import-problems">
            <thead>
                <tr>
                    <th scope="col">{t(Msg::ImportLine)}</th>
                    <th scope="col">{t(Msg::ImportField)}</th>
                    <th scope="col">{t(Msg::ImportReason)}</th>
                </tr>
            </thead>
            <tbody>
                {report.problems.into_iter().map(|p| view! {
                    <tr>
                        <td>{p.line}</td>
                        <td>{p.column}</td>
                        <td>{p.problem.text(locale)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Every field of an actor, filled with `input`; shared by the edit form and the proposal form.
/// The small map that places an actor (see `PositionPicker` in tandem-karte.js).
#[component]
fn PositionPicker(options: MapOptions) -> impl IntoView {
    let locale = use_locale();
    let element = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    super::js::bind_picker(element);
    let region = options.region;
    let settings = serde_json::json!({
        "lat": "feld-lat",
        "lon": "feld-lon",
        "town": "feld-town",
        "townButton": "position-aus-ort",
        "status": "position-status",
        "region": [region.south, region.west, region.north, region.east],
        "towns": options.town_positions,
        "tiles": options.tile_url,
        "tileAttribution": "© OpenStreetMap-Mitwirkende",
        "basemap": "/karte/kreise.geojson",
        "decimalComma": locale == crate::i18n::Locale::De,
        "placedMap": Msg::PositionPlaced.text(locale),
        "placedTown": Msg::PositionPlacedTown.text(locale),
        "unknownTown": Msg::PositionUnknownTown.text(locale),
    })
    .to_string();
    view! {
        <div class="position-picker" node_ref=element data-picker=settings role="region" aria-label=t(Msg::PositionMap)></div>
        <p id="position-status" class="muted" role="status" aria-live="polite"></p>
    }
}

#[component]
fn ActorFields(
    input: ActorInput,
    options: MapOptions,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let message_for = move |field: &'static str| view! { <FieldError error field/> };
    let terms = |vocabulary: &'static str, terms: Vec<Term>, chosen: Vec<String>| {
        terms
            .into_iter()
            .enumerate()
            .map(|(i, term)| {
                let checked = chosen.contains(&term.slug);
                view! {
                    <label class="check">
                        <input type="checkbox" name=format!("actor[{vocabulary}][{i}]") value=term.slug.clone() checked=checked/>
                        {term.label(locale)}
                    </label>
                }
            })
            .collect_view()
    };
    let kind = input.kind.clone();
    let size_band = input.size_band.clone();
    let (description_count, description_input) = char_count(&input.description);
    let (description_invalid, description_described) = invalid_state(error, "description");
    view! {
        <Field label=Msg::LabelName name="name" input_name="actor[name]" value=input.name.clone() required=true error/>
        <div class="field">
            <label for="feld-kind">{t(Msg::ColKind)}</label>
            <select id="feld-kind" name="actor[kind]">
                {ActorKind::ALL.into_iter().map(|k| view! {
                    <option value=k.code() selected=k.code() == kind>{t(k.label())}</option>
                }).collect_view()}
            </select>
            {message_for("kind")}
        </div>
        <Field label=Msg::ColTown name="town" input_name="actor[town]" value=input.town.clone() required=true error list="orte-liste"/>
        <datalist id="orte-liste">
            {options.town_positions.iter().map(|(town, _, _)| view! { <option value=town.clone()></option> }).collect_view()}
        </datalist>
        <fieldset class="position">
            <legend>{t(Msg::PositionTitle)}</legend>
            <p class="field__hint">{t(Msg::PositionHint)}</p>
            <button type="button" id="position-aus-ort" class="button button--secondary button--small">{t(Msg::PositionFromTown)}</button>
            <PositionPicker options=options.clone()/>
            <div class="form--row">
                <Field label=Msg::LabelLat name="lat" input_name="actor[lat]" value=input.lat.clone() required=true error inputmode="decimal"/>
                <Field label=Msg::LabelLon name="lon" input_name="actor[lon]" value=input.lon.clone() required=true error inputmode="decimal"/>
            </div>
        </fieldset>
        <div class="field">
            <label for="feld-description">{t(Msg::LabelDescription)}</label>
            <textarea id="feld-description" name="actor[description]" rows="4" maxlength=DESCRIPTION_MAX
                on:input=description_input aria-invalid=description_invalid aria-describedby=description_described>{input.description.clone()}</textarea>
            <CharCount count=description_count max=DESCRIPTION_MAX/>
            {message_for("description")}
        </div>
        <Field label=Msg::ActorWebsite name="website" input_name="actor[website]" value=input.website.clone() kind="url" required=false error/>
        <div class="form--row">
            <Field label=Msg::ActorFounded name="founded_year" input_name="actor[founded_year]" value=input.founded_year.clone() kind="number" required=false error
                min=i64::from(FOUNDED_MIN) max=i64::from(options.this_year)/>
            <div class="field">
                <label for="feld-size_band">{t(Msg::ActorSize)}</label>
                <select id="feld-size_band" name="actor[size_band]">
                    <option value="">"–"</option>
                    {SIZE_BANDS.into_iter().map(|band| view! {
                        <option value=band selected=band == size_band>{band}</option>
                    }).collect_view()}
                </select>
                {message_for("size_band")}
            </div>
        </div>
        <fieldset class="checks">
            <legend>{t(Msg::ActorSectors)}</legend>
            {terms("sectors", options.sectors, input.sectors.clone())}
            {message_for("sectors")}
        </fieldset>
        <fieldset class="checks">
            <legend>{t(Msg::ActorTechnologies)}</legend>
            {terms("technologies", options.technologies, input.technologies.clone())}
            {message_for("technologies")}
        </fieldset>
        <Field label=Msg::LabelLogo name="logo_url" input_name="actor[logo_url]" value=input.logo_url.clone() kind="url" required=false error/>
        <Field label=Msg::LabelContact name="contact_email" input_name="actor[contact_email]" value=input.contact_email.clone() kind="email" required=false error/>
        <fieldset class="checks">
            <legend>{t(Msg::LabelConsent)}</legend>
            <label class="check">
                <input type="checkbox" name="actor[is_public]" value="on" checked=input.is_public.is_some()/>
                {t(Msg::LabelIsPublic)}
            </label>
            <label class="check">
                <input type="checkbox" name="actor[contact_public]" value="on" checked=input.contact_public.is_some()/>
                {t(Msg::LabelContactPublic)}
            </label>
            {message_for("contact_public")}
        </fieldset>
    }
}

/// Editors only: the page's content, or why not.
#[component]
fn EditorsOnly(children: ChildrenFn) -> impl IntoView {
    view! { <Restricted access=crate::guard::EDITORS children/> }
}

/// `/akteure/neu` and `/akteure/:slug/bearbeiten`.
#[component]
pub fn ActorEditPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    view! {
        <Title text=t(Msg::EditTitle)/>
        <h1>{t(Msg::EditTitle)}</h1>
        <EditorsOnly>
            <ActorEditor slug=slug.get_untracked()/>
        </EditorsOnly>
    }
}

#[component]
fn ActorEditor(slug: String) -> impl IntoView {
    let save = ServerAction::<SaveActor>::new();
    let save_connection = ServerAction::<SaveConnection>::new();
    let delete_connection = ServerAction::<DeleteConnection>::new();
    let delete = ServerAction::<DeleteActor>::new();
    let editor = Resource::new(
        move || {
            (
                save_connection.version().get(),
                delete_connection.version().get(),
            )
        },
        {
            let slug = slug.clone();
            move |_| actor_editor(slug.clone())
        },
    );
    let options = Resource::new(|| (), |_| map_options());
    let everyone = Resource::new(|| (), |_| crate::map::api::actor_options());
    let save_error = action_error(save);
    let connection_error = action_error(save_connection);
    // The connection forms share one action: its error belongs to the form sent last (the form
    // for a new one, `None`, when the page runs without JavaScript).
    let sent_from = RwSignal::new(None::<i64>);
    let error_of = move |form: Option<i64>| {
        Signal::derive(move || connection_error.get().filter(|_| sent_from.get() == form))
    };
    let (target_invalid, target_described) = invalid_state(error_of(None), "target");
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("gespeichert").is_some());
    view! {
        {move || saved().then(|| view! { <div class="notice" role="status"><p>{t(Msg::EditSaved)}</p></div> })}
        <Loaded resource=options ready={move |options: MapOptions| view! {
            <Loaded resource=editor ready={move |editor: ActorEditor| {
                let slug = editor.slug.clone().unwrap_or_default();
                let is_new = editor.slug.is_none();
                let options = options.clone();
                let form_slug = slug.clone();
                view! {
                    <ActionForm action=save attr:class="form form--wide">
                        <input type="hidden" name="slug" value=form_slug/>
                        <FormError error=save_error fields=ACTOR_FIELDS/>
                        <ActorFields input=editor.input.clone() options error=save_error/>
                        <button type="submit" class="button">{t(Msg::EditSave)}</button>
                    </ActionForm>
                    {(!is_new).then(move || {
                        let (source_slug, delete_slug) = (slug.clone(), slug.clone());
                        view! {
                        <section aria-labelledby="verbindungen-bearbeiten">
                            <h2 id="verbindungen-bearbeiten">{t(Msg::ActorConnections)}</h2>
                            <ul class="connection-list">
                                {editor.connections.clone().into_iter().map(|c| {
                                    let (id, source, target) = (c.id, c.source_slug.clone(), c.target_slug.clone());
                                    let label = format!("{} {}", t(Msg::EditDeleteConnection), c.other_name);
                                    let edit_label = format!("{}: {}", t(Msg::EditThis), c.other_name);
                                    let fields = c.clone();
                                    view! {
                                    <li>
                                        <span class="connection-kind">{t(c.kind.label())}</span> " " {c.other_name.clone()}
                                        " · " {t(Msg::ActorSince)} " " {c.started_on.clone()}
                                        {c.ended_on.clone().map(|end| view! { " – " {end} })}
                                        <details>
                                            <summary aria-label=edit_label>{t(Msg::EditThis)}</summary>
                                            <ActionForm action=save_connection attr:class="form form--wide" on:submit=move |_| sent_from.set(Some(id))>
                                                <input type="hidden" name="id" value=id/>
                                                <input type="hidden" name="connection[source]" value=source/>
                                                <input type="hidden" name="connection[target]" value=target/>
                                                <FormError error=error_of(Some(id)) fields=CONNECTION_FIELDS/>
                                                <ConnectionFields prefix=id.to_string() connection=Some(fields) error=error_of(Some(id))/>
                                                <button type="submit" class="button button--small">{t(Msg::EditSave)}</button>
                                            </ActionForm>
                                        </details>
                                        <ActionForm action=delete_connection attr:class="inline-form">
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="button button--small button--danger" aria-label=label>
                                                {t(Msg::EditDelete)}
                                            </button>
                                        </ActionForm>
                                    </li>
                                }}).collect_view()}
                            </ul>
                            <h3>{t(Msg::EditAddConnection)}</h3>
                            <ActionForm action=save_connection attr:class="form form--wide" on:submit=move |_| sent_from.set(None)>
                                <input type="hidden" name="connection[source]" value=source_slug.clone()/>
                                <FormError error=error_of(None) fields=CONNECTION_FIELDS/>
                                <div class="field">
                                    <label for="feld-target">{t(Msg::EditPartner)}</label>
                                    <input id="feld-target" name="connection[target]" list="akteure-liste" required
                                        aria-invalid=target_invalid aria-describedby=target_described/>
                                    <FieldError error=error_of(None) field="target"/>
                                    <Transition>
                                        {move || Suspend::new(async move {
                                            everyone.await.ok().map(|actors| view! { <crate::ui::ActorDatalist actors/> })
                                        })}
                                    </Transition>
                                </div>
                                <ConnectionFields prefix="neu".to_owned() connection=None error=error_of(None)/>
                                <button type="submit" class="button">{t(Msg::EditAddConnection)}</button>
                            </ActionForm>
                        </section>
                        <section aria-labelledby="akteur-loeschen">
                            <h2 id="akteur-loeschen">{t(Msg::EditDeleteActor)}</h2>
                            <ActionForm action=delete attr:class="inline-form">
                                <input type="hidden" name="slug" value=delete_slug/>
                                <button type="submit" class="button button--danger">{t(Msg::EditDeleteActor)}</button>
                            </ActionForm>
                        </section>
                    }})}
                }
            }}/>
        }}/>
    }
}

/// `/karte/vorschlagen?akteur=…`: anyone proposes a new actor or a correction.
#[component]
pub fn ProposalPage() -> impl IntoView {
    let query = use_query_map();
    let slug = query.with_untracked(|q| q.get("akteur").unwrap_or_default());
    let propose = ServerAction::<ProposeChange>::new();
    let error = action_error(propose);
    let (message_count, message_input) = char_count("");
    let (message_invalid, message_described) = invalid_state(error, "message");
    let options = Resource::new(|| (), |_| map_options());
    let current = Resource::new(
        {
            let slug = slug.clone();
            move || slug.clone()
        },
        |slug| async move {
            if slug.is_empty() {
                Ok(None)
            } else {
                actor_profile(slug).await.map(Some)
            }
        },
    );
    let sent = move || propose.value().get().is_some_and(|r| r.is_ok());
    view! {
        <Title text=t(Msg::ProposeTitle)/>
        <PageMeta description=t(Msg::ProposeLead) path="/karte/vorschlagen"/>
        <h1>{t(Msg::ProposeTitle)}</h1>
        <p class="lead">{t(Msg::ProposeLead)}</p>
        {move || sent().then(|| view! { <div class="notice" role="status"><p>{t(Msg::ProposeSent)}</p></div> })}
        <Loaded resource=options ready={move |options: MapOptions| {
            let slug = slug.clone();
            view! {
                <Loaded resource=current ready={move |actor: Option<super::ActorDetail>| {
                    let (slug, options) = (slug.clone(), options.clone());
                    let input = actor.map(|a| ActorInput {
                        name: a.name,
                        kind: a.kind.code().to_owned(),
                        town: a.town,
                        lat: a.lat.to_string(),
                        lon: a.lon.to_string(),
                        website: a.website.unwrap_or_default(),
                        description: a.description,
                        founded_year: a.founded_year.map(|y| y.to_string()).unwrap_or_default(),
                        size_band: a.size_band.unwrap_or_default(),
                        sectors: a.sectors.into_iter().map(|t| t.slug).collect(),
                        technologies: a.technologies.into_iter().map(|t| t.slug).collect(),
                        is_public: Some("on".into()),
                        ..ActorInput::default()
                    }).unwrap_or_else(|| ActorInput { kind: ActorKind::Mittelstand.code().into(), ..ActorInput::default() });
                    view! {
                        <ActionForm action=propose attr:class="form form--wide">
                            <input type="hidden" name="slug" value=slug.clone()/>
                            <PublicFormGuard token=options.form_token.clone()/>
                            <FormError error fields=PROPOSAL_FIELDS/>
                            <ActorFields input options error/>
                            <fieldset>
                                <legend>{t(Msg::ProposeAboutYou)}</legend>
                                <Field label=Msg::LabelName name="proposer_name" autocomplete="name" error/>
                                <Field label=Msg::LabelEmail name="proposer_email" kind="email" autocomplete="email" error/>
                                <div class="field">
                                    <label for="feld-message">{t(Msg::ProposeMessage)}</label>
                                    <textarea id="feld-message" name="message" rows="3" maxlength=MESSAGE_MAX on:input=message_input
                                        aria-invalid=message_invalid aria-describedby=message_described></textarea>
                                    <CharCount count=message_count max=MESSAGE_MAX/>
                                    <FieldError error field="message"/>
                                </div>
                                <p class="muted">{t(Msg::ProposePrivacy)}</p>
                            </fieldset>
                            <button type="submit" class="button">{t(Msg::ProposeSubmit)}</button>
                        </ActionForm>
                    }
                }}/>
            }
        }}/>
    }
}

/// The proposal form's fields; errors about other fields appear above the form.
/// What a connection form shows next to its controls.
const CONNECTION_FIELDS: &[&str] = &["target", "kind", "started_on", "ended_on", "origin", "note"];

const PROPOSAL_FIELDS: &[&str] = &[
    "name",
    "kind",
    "town",
    "lat",
    "lon",
    "description",
    "website",
    "founded_year",
    "size_band",
    "sectors",
    "technologies",
    "logo_url",
    "contact_email",
    "contact_public",
    "proposer_name",
    "proposer_email",
    "message",
];
/// The edit form has the actor's fields only.
const ACTOR_FIELDS: &[&str] = PROPOSAL_FIELDS.split_at(14).0;

/// A proposal's value as people read it: the kind's and the terms' names, yes or no.
fn shown_value(field: &str, value: &str, terms: &[Term], locale: crate::i18n::Locale) -> String {
    match ActorField::ALL.into_iter().find(|f| f.code() == field) {
        Some(ActorField::Kind) => ActorKind::from_code(value).map_or_else(
            || value.to_owned(),
            |kind| kind.label().text(locale).to_owned(),
        ),
        Some(ActorField::Sectors | ActorField::Technologies) => value
            .split(", ")
            .filter(|slug| !slug.is_empty())
            .map(|slug| {
                terms
                    .iter()
                    .find(|term| term.slug == slug)
                    .map_or_else(|| slug.to_owned(), |term| term.label(locale))
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(ActorField::IsPublic | ActorField::ContactPublic) => {
            (if value == "ja" { Msg::Yes } else { Msg::No })
                .text(locale)
                .to_owned()
        }
        _ => value.to_owned(),
    }
}

/// A proposal's field as the actor form labels it, not by its internal name.
fn field_label(code: &str) -> Msg {
    match ActorField::ALL
        .into_iter()
        .find(|field| field.code() == code)
    {
        Some(ActorField::Name) => Msg::LabelName,
        Some(ActorField::Kind) => Msg::ColKind,
        Some(ActorField::Town) => Msg::ColTown,
        Some(ActorField::Lat) => Msg::FieldLat,
        Some(ActorField::Lon) => Msg::FieldLon,
        Some(ActorField::Website) => Msg::ActorWebsite,
        Some(ActorField::Description) => Msg::LabelDescription,
        Some(ActorField::FoundedYear) => Msg::ActorFounded,
        Some(ActorField::SizeBand) => Msg::ActorSize,
        Some(ActorField::Sectors) => Msg::ActorSectors,
        Some(ActorField::Technologies) => Msg::ActorTechnologies,
        Some(ActorField::LogoUrl) => Msg::LabelLogo,
        Some(ActorField::ContactEmail) => Msg::LabelContact,
        Some(ActorField::ContactPublic) => Msg::FieldContactPublic,
        Some(ActorField::IsPublic) => Msg::FieldIsPublic,
        None => Msg::ImportField,
    }
}

/// `/karte/moderation`: open proposals with what they would change.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let decide = ServerAction::<DecideProposal>::new();
    let decide_error = action_error(decide);
    let locale = use_locale();
    let proposals = Resource::new(move || decide.version().get(), |_| open_proposals());
    let options = Resource::new(|| (), |_| map_options());
    view! {
        <Title text=t(Msg::ModerationTitle)/>
        <h1>{t(Msg::ModerationTitle)}</h1>
        <EditorsOnly>
            // A proposal that no longer passes the checks names the field as the form labels it.
            {move || decide_error.get().map(|error| {
                let problems = error.problems();
                let text = if problems.is_empty() {
                    error.message(locale)
                } else {
                    problems
                        .into_iter()
                        .map(|(field, problem)| format!("{}: {}", field_label(field).text(locale), problem.text(locale)))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                view! { <div class="notice notice--error" role="alert"><p>{text}</p></div> }
            })}
            <Loaded resource=options ready={move |options: MapOptions| view! {
                <Loaded resource=proposals ready={move |proposals: Vec<ProposalView>| {
                    if proposals.is_empty() {
                        return view! { <p>{t(Msg::ModerationEmpty)}</p> }.into_any();
                    }
                    let terms: Vec<Term> = options.sectors.iter().chain(&options.technologies).cloned().collect();
                    view! {
                        <ul class="card-list">
                            {proposals.into_iter().map(|p| view! { <ProposalCard proposal=p decide terms=terms.clone()/> }).collect_view()}
                        </ul>
                    }.into_any()
                }}/>
            }}/>
        </EditorsOnly>
    }
}

#[component]
fn ProposalCard(
    proposal: ProposalView,
    decide: ServerAction<DecideProposal>,
    terms: Vec<Term>,
) -> impl IntoView {
    let locale = use_locale();
    let shown = move |field: &str, value: &str| shown_value(field, value, &terms, locale);
    let accept_label = format!("{}: {}", t(Msg::ModerationAccept), proposal.proposed.name);
    let reject_label = format!("{}: {}", t(Msg::ModerationReject), proposal.proposed.name);
    let title = match &proposal.current {
        Some(current) => format!("{}: {}", t(Msg::ModerationCorrection), current.name),
        None => format!("{}: {}", t(Msg::ModerationNew), proposal.proposed.name),
    };
    let needs_confirmation = proposal.changes.iter().any(|c| c.needs_confirmation);
    let confirm_id = format!("bestaetigen-{}", proposal.id);
    view! {
        <li class="card">
            <h2>{title}</h2>
            <p class="muted">{t(Msg::ModerationFrom)} " " {proposal.proposer_name.clone()} " (" {proposal.proposer_email.clone()} ")"</p>
            {(!proposal.message.is_empty()).then(|| view! { <blockquote>{proposal.message.clone()}</blockquote> })}
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{t(Msg::ImportField)}</th>
                    <th scope="col">{t(Msg::ModerationCurrent)}</th>
                    <th scope="col">{t(Msg::ModerationProposed)}</th>
                </tr></thead>
                <tbody>
                    {proposal.changes.into_iter().map(|change| view! {
                        <tr class:needs-confirmation=change.needs_confirmation>
                            <td>
                                {t(field_label(&change.field))}
                                {change.needs_confirmation.then(|| view! { " " <span class="badge">{t(Msg::ModerationNeedsConfirmation)}</span> })}
                            </td>
                            <td>{shown(&change.field, &change.current)}</td>
                            <td><strong>{shown(&change.field, &change.proposed)}</strong></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="button-row">
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="id" value=proposal.id/>
                    <input type="hidden" name="accept" value="true"/>
                    {needs_confirmation.then(|| view! {
                        <label class="check" for=confirm_id.clone()>
                            <input type="checkbox" id=confirm_id.clone() name="confirm" value="on" required/>
                            {t(Msg::ModerationConfirm)}
                        </label>
                    })}
                    <button type="submit" class="button" aria-label=accept_label>{t(Msg::ModerationAccept)}</button>
                </ActionForm>
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="id" value=proposal.id/>
                    <input type="hidden" name="accept" value="false"/>
                    <button type="submit" class="button button--danger" aria-label=reject_label>{t(Msg::ModerationReject)}</button>
                </ActionForm>
            </div>
        </li>
    }
}

/// `/karte/begriffe`: the editable taxonomy of sectors and technologies.
#[component]
pub fn TermsPage() -> impl IntoView {
    let save = ServerAction::<SaveTerm>::new();
    let error = action_error(save);
    let options = Resource::new(move || save.version().get(), |_| map_options());
    let locale = use_locale();
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    view! {
        <Title text=t(Msg::TermsTitle)/>
        <h1>{t(Msg::TermsTitle)}</h1>
        <p class="lead">{t(Msg::TermsLead)}</p>
        <EditorsOnly>
            {move || saved().then(|| view! { <div class="notice" role="status"><p>{t(Msg::TermsSaved)}</p></div> })}
            <FormError error fields=&["label_de", "label_en"]/>
            <h2>{t(Msg::TermsAdd)}</h2>
            <ActionForm action=save attr:class="form form--row">
                <input type="hidden" name="slug" value=""/>
                <div class="field">
                    <label for="begriff-liste">{t(Msg::TermsVocabulary)}</label>
                    <select id="begriff-liste" name="vocabulary">
                        <option value="sector">{t(Msg::ActorSectors)}</option>
                        <option value="technology">{t(Msg::ActorTechnologies)}</option>
                    </select>
                </div>
                <Field label=Msg::TermsLabelDe name="label_de" error/>
                <Field label=Msg::TermsLabelEn name="label_en" error/>
                <button type="submit" class="button">{t(Msg::TermsAdd)}</button>
            </ActionForm>
            <Loaded resource=options ready={move |options: MapOptions| {
                [("sector", Msg::ActorSectors, options.sectors), ("technology", Msg::ActorTechnologies, options.technologies)]
                    .into_iter()
                    .map(|(vocabulary, heading, terms)| view! {
                        <h2>{t(heading)}</h2>
                        <ul class="plain-list">
                            {terms.into_iter().map(|term| view! {
                                <li>
                                    <ActionForm action=save attr:class="inline-form">
                                        <input type="hidden" name="vocabulary" value=vocabulary/>
                                        <input type="hidden" name="slug" value=term.slug.clone()/>
                                        <input name="label_de" value=term.label_de.clone() aria-label=format!("{} – {}", t(Msg::TermsLabelDe), term.label_de)/>
                                        <input name="label_en" value=term.label_en.clone() aria-label=format!("{} – {}", t(Msg::TermsLabelEn), term.label_de)/>
                                        <button type="submit" class="button button--small"
                                            aria-label=format!("{}: {}", t(Msg::TermsRename), term.label(locale))>
                                            {t(Msg::TermsRename)}
                                        </button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    })
                    .collect_view()
            }}/>
        </EditorsOnly>
    }
}

/// Kind, dates, origin and note of a connection, empty or filled; `prefix` keeps ids unique.
#[component]
fn ConnectionFields(
    prefix: String,
    connection: Option<EditableConnection>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = |name: &str| format!("verbindung-{prefix}-{name}");
    let locale = use_locale();
    // Each message sits under its control; ids carry the form's prefix, as several forms share
    // this page.
    let problem = move |field: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.problem_for(field).map(|p| p.text(locale)))
        }
    };
    let message = move |field: &'static str, id: String| {
        move || {
            problem(field)().map(|text| view! { <p class="field__error" id=id.clone()>{text}</p> })
        }
    };
    let invalid = move |field: &'static str| move || problem(field)().is_some().to_string();
    let described =
        move |field: &'static str, id: String| move || problem(field)().map(|_| id.clone());
    let kind = connection.as_ref().map(|c| c.kind);
    let value = |get: fn(&EditableConnection) -> Option<String>| {
        connection.as_ref().and_then(get).unwrap_or_default()
    };
    view! {
        <div class="field">
            <label for=id("art")>{t(Msg::FilterConnectionKind)}</label>
            <select id=id("art") name="connection[kind]" aria-invalid=invalid("kind") aria-describedby=described("kind", id("art-fehler"))>
                {ConnectionKind::ALL.into_iter().map(|k| view! {
                    <option value=k.code() selected=kind == Some(k)>{t(k.label())}</option>
                }).collect_view()}
            </select>
            {message("kind", id("art-fehler"))}
        </div>
        <div class="form--row">
            <div class="field">
                <label for=id("beginn")>{t(Msg::EditStart)}</label>
                <input id=id("beginn") type="date" name="connection[started_on]" required
                    value=value(|c| Some(c.started_on.clone()))
                    aria-invalid=invalid("started_on") aria-describedby=described("started_on", id("beginn-fehler"))/>
                {message("started_on", id("beginn-fehler"))}
            </div>
            <div class="field">
                <label for=id("ende")>{t(Msg::EditEnd)}</label>
                <input id=id("ende") type="date" name="connection[ended_on]" value=value(|c| c.ended_on.clone())
                    aria-invalid=invalid("ended_on") aria-describedby=described("ended_on", id("ende-fehler"))/>
                {message("ended_on", id("ende-fehler"))}
            </div>
        </div>
        <div class="field">
            <label for=id("herkunft")>{t(Msg::ActorOrigin)}</label>
            <input id=id("herkunft") name="connection[origin]" value=value(|c| c.origin.clone())
                aria-invalid=invalid("origin") aria-describedby=described("origin", id("herkunft-fehler"))/>
            {message("origin", id("herkunft-fehler"))}
        </div>
        <div class="field">
            <label for=id("notiz")>{t(Msg::EditNote)}</label>
            <input id=id("notiz") name="connection[note]" value=value(|c| c.note.clone())
                aria-invalid=invalid("note") aria-describedby=described("note", id("notiz-fehler"))/>
            {message("note", id("notiz-fehler"))}
        </div>
    }
}
