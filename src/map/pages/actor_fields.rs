//! An actor's fields and the small map that places it, shared by the editor and the proposal
//! form.

use crate::domain::actor::ActorKind;
use crate::domain::actor_input::{ActorInput, DESCRIPTION_MAX, FOUNDED_MIN, SIZE_BANDS};
use crate::error::AppError;
use crate::i18n::{t, use_locale, Msg};
use crate::map::MapOptions;
use crate::taxonomy::Term;
use crate::ui::{char_count, invalid_state, CharCount, Field, FieldError};
use leptos::prelude::*;

/// Every field of an actor, filled with `input`; shared by the edit form and the proposal form.
/// The small map that places an actor (see `PositionPicker` in tandem-karte.js).
#[component]
pub(super) fn PositionPicker(options: MapOptions) -> impl IntoView {
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
pub(super) fn ActorFields(
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

/// The edit form has the actor's fields only.
pub(super) const PROPOSAL_FIELDS: &[&str] = &[
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

pub(super) const ACTOR_FIELDS: &[&str] = PROPOSAL_FIELDS.split_at(14).0;
