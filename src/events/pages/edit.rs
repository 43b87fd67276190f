//! `/veranstaltungen/neu` and `/veranstaltungen/:slug/bearbeiten`: the organisers' event form.

use super::event_fields::{RulesFields, TablePlanFields};
use super::param;
use crate::domain::actor_input::DESCRIPTION_MAX;
use crate::domain::event::{EventFormat, EventInput, BREAK_AFTER, ROUNDS, ROUND_MINUTES};
use crate::domain::slug::Slug;
use crate::events::api::{event_editor, SaveEvent};
use crate::events::EventEditor;
use crate::guard::ORGANIZERS;
use crate::i18n::{t, Msg};
use crate::ui::{
    action_error, char_count, invalid_state, CharCount, Field, FieldError, FormError, Loaded,
    Restricted,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/veranstaltungen/neu` and `/veranstaltungen/:slug/bearbeiten`.
#[component]
pub fn EventEditPage() -> impl IntoView {
    let slug = param("slug");
    let heading = move || {
        if slug.get().is_empty() {
            t(Msg::EventNew)
        } else {
            t(Msg::EventEdit)
        }
    };
    view! {
        <Title text=heading/>
        <h1>{heading}</h1>
        <Restricted access=ORGANIZERS>
            {move || {
                let editor = Resource::new(move || Slug::from(slug.get()), event_editor);
                view! { <Loaded resource=editor ready=|editor: EventEditor| view! { <EventForm editor/> }/> }
            }}
        </Restricted>
    }
}

const EVENT_FIELDS: &[&str] = &[
    "title",
    "description",
    "venue",
    "town",
    "starts_at",
    "ends_at",
    "registration_opens",
    "registration_closes",
    "round_minutes",
    "rounds",
    "tables",
    "format",
    "break_after",
    "wishes",
    "topics",
    "text",
    "series",
    "kinds",
];

#[component]
fn EventForm(editor: EventEditor) -> impl IntoView {
    let save = ServerAction::<SaveEvent>::new();
    let error = action_error(save);
    let input: EventInput = editor.input;
    let (description_invalid, description_described) = invalid_state(error, "description");
    let (description_count, description_input) = char_count(&input.description);
    let field =
        move |label: Msg, name: &'static str, kind: &'static str, value: String, required: bool| {
            view! {
                <Field label name kind required value input_name=format!("event[{name}]") error/>
            }
        };
    // Number fields carry the limits the server checks.
    let number = move |label: Msg,
                       name: &'static str,
                       value: String,
                       required: bool,
                       (min, max): (u32, u32)| {
        view! {
            <Field label name kind="number" required value input_name=format!("event[{name}]") error
                min=i64::from(min) max=i64::from(max)/>
        }
    };
    view! {
        <ActionForm action=save attr:class="form">
            <input type="hidden" name="slug" value=editor.slug.unwrap_or_default()/>
            <FormError error fields=EVENT_FIELDS/>
            {field(Msg::EventTitleLabel, "title", "text", input.title.clone(), true)}
            <div class="field">
                <label for="feld-description">{t(Msg::LabelDescription)}</label>
                <textarea id="feld-description" name="event[description]" rows="4" aria-invalid=description_invalid
                    maxlength=DESCRIPTION_MAX on:input=description_input
                    aria-describedby=description_described>{input.description.clone()}</textarea>
                <CharCount count=description_count max=DESCRIPTION_MAX/>
                <FieldError error field="description"/>
            </div>
            <div class="form--row">
                {field(Msg::EventVenue, "venue", "text", input.venue.clone(), true)}
                {field(Msg::ColTown, "town", "text", input.town.clone(), true)}
            </div>
            <div class="form--row">
                {field(Msg::EventStarts, "starts_at", "datetime-local", input.starts_at.clone(), true)}
                {field(Msg::EventEnds, "ends_at", "datetime-local", input.ends_at.clone(), true)}
            </div>
            <div class="form--row">
                {field(Msg::EventRegistrationOpens, "registration_opens", "date", input.registration_opens.clone(), false)}
                {field(Msg::EventRegistrationCloses, "registration_closes", "date", input.registration_closes.clone(), false)}
            </div>
            <div class="form--row">
                {number(Msg::EventRoundMinutes, "round_minutes", input.round_minutes.clone(), true, ROUND_MINUTES)}
                {number(Msg::EventRounds, "rounds", input.rounds.clone(), true, ROUNDS)}
            </div>
            <TablePlanFields rows=input.tables.clone() error/>
            <fieldset class="checks">
                <legend>{t(Msg::EventFormatLegend)}</legend>
                <label class="check">
                    <input type="radio" name="event[format]" value=EventFormat::Rounds.code()
                        checked=input.format != EventFormat::Slots.code()/>
                    {t(Msg::EventFormatRounds)}
                </label>
                <label class="check">
                    <input type="radio" name="event[format]" value=EventFormat::Slots.code()
                        checked=input.format == EventFormat::Slots.code()/>
                    {t(Msg::EventFormatSlots)}
                </label>
            </fieldset>
            {number(Msg::EventBreakAfter, "break_after", input.break_after.clone(), false, BREAK_AFTER)}
            <fieldset class="checks">
                <legend>{t(Msg::EventOddLegend)}</legend>
                <label class="check">
                    <input type="checkbox" name="event[odd_sits_out]" value="on" checked=input.odd_sits_out.is_some()/>
                    {t(Msg::EventOddSitsOut)}
                </label>
            </fieldset>
            <RulesFields rules=input.rules.clone() series=input.series.clone() series_options=editor.series error/>
            <button type="submit" class="button">{t(Msg::EventSave)}</button>
        </ActionForm>
    }
}
