//! `/akteure/neu` and `/akteure/:slug/bearbeiten`: editors change an actor and its connections.

use super::actor_fields::ActorFields;
use super::actor_fields::ACTOR_FIELDS;
use crate::domain::actor::ConnectionKind;
use crate::domain::slug::Slug;
use crate::error::AppError;
use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Msg};
use crate::map::api::{
    actor_editor, map_options, DeleteActor, DeleteConnection, SaveActor, SaveConnection,
};
use crate::map::{ActorEditor, EditableConnection, MapOptions};
use crate::ui::Page;
use crate::ui::{action_error, invalid_state, FieldError, FormError, Loaded};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/akteure/neu` and `/akteure/:slug/bearbeiten`.
#[component]
pub fn ActorEditPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    view! {
        <Page title=Msg::EditTitle access=EDITORS>
            <ActorEditor slug=slug.get_untracked()/>
        </Page>
    }
}

#[component]
pub(super) fn ActorEditor(slug: String) -> impl IntoView {
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
            move |_| actor_editor(Slug::from(slug.clone()))
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

/// The proposal form's fields; errors about other fields appear above the form.
/// What a connection form shows next to its controls.
pub(super) const CONNECTION_FIELDS: &[&str] =
    &["target", "kind", "started_on", "ended_on", "origin", "note"];

/// Kind, dates, origin and note of a connection, empty or filled; `prefix` keeps ids unique.
#[component]
pub(super) fn ConnectionFields(
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
