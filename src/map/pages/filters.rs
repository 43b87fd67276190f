//! The map's filter form and the downloads of the filtered view.

use super::view_url;
use super::MapMode;
use crate::domain::actor::{ActorKind, ConnectionKind};
use crate::domain::date::YEAR_RANGE;
use crate::domain::network::MapFilter;
use crate::error::AppError;
use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Msg};
use crate::map::MapOptions;
use crate::taxonomy::Term;
use crate::ui::break_after_slashes;
use crate::ui::Allowed;
use leptos::prelude::*;
use leptos_router::components::Form;

/// Downloads and the embed link of the current view, and the way to the data for editors.
#[component]
pub(super) fn Downloads(
    filter: Memo<String>,
    options: Resource<Result<MapOptions, AppError>>,
) -> impl IntoView {
    let export = move |file: &str| view_url(&format!("/karte/export/{file}"), &filter.get(), &[]);
    view! {
        <section aria-labelledby="export-titel">
            <h2 id="export-titel">{t(Msg::ExportTitle)}</h2>
            <ul>
                <li><a href=move || export("akteure.csv") download>{t(Msg::ExportActors)}</a></li>
                <li><a href=move || export("verbindungen.csv") download>{t(Msg::ExportConnections)}</a></li>
                <li><a href=move || export("karte.geojson") download>{t(Msg::ExportGeojson)}</a></li>
            </ul>
            <h3>{t(Msg::EmbedTitle)}</h3>
            <p>{t(Msg::EmbedText)}</p>
            <Transition>
                {move || Suspend::new(async move {
                    options.await.ok().map(|options| view! {
                        <p><code class="embed-code">{move || format!(
                            "<iframe src=\"{}{}\" title=\"{}\" width=\"100%\" height=\"600\"></iframe>",
                            options.public_origin,
                            view_url("/einbetten/karte", &filter.get(), &[]),
                            t(Msg::MapRegionLabel),
                        )}</code></p>
                    })
                })}
            </Transition>
            <h3>{t(Msg::ManageData)}</h3>
            <ul>
                <li><a href="/karte/vorschlagen">{t(Msg::ProposeNewLink)}</a></li>
                <Allowed access=EDITORS>
                    <li><a href="/akteure/neu">{t(Msg::EditNew)}</a></li>
                    <li><a href="/karte/moderation">{t(Msg::ModerationTitle)}</a></li>
                    <li><a href="/karte/import">{t(Msg::ImportTitle)}</a></li>
                    <li><a href="/karte/begriffe">{t(Msg::TermsTitle)}</a></li>
                </Allowed>
            </ul>
        </section>
    }
}

#[component]
pub(super) fn FilterForm(
    options: MapOptions,
    mode: MapMode,
    current: Memo<MapFilter>,
) -> impl IntoView {
    let locale = use_locale();
    let select = move |name: &'static str,
                       label: Msg,
                       choices: Vec<(String, String)>,
                       chosen: fn(&MapFilter) -> Option<String>| {
        let id = format!("filter-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <select id=id name=name prop:value=move || current.with(chosen).unwrap_or_default()>
                    <option value="">{t(Msg::FilterAll)}</option>
                    {choices.into_iter().map(|(value, text)| {
                        let is_chosen = current.with_untracked(chosen).as_deref() == Some(value.as_str());
                        view! { <option value=value selected=is_chosen>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let terms = move |terms: &[Term]| {
        terms
            .iter()
            .map(|term| (term.slug.clone(), term.label(locale)))
            .collect::<Vec<_>>()
    };
    let towns = options
        .towns
        .iter()
        .map(|town| (town.clone(), town.clone()))
        .collect();
    let connection_kinds = ConnectionKind::ALL
        .iter()
        .map(|kind| (kind.code().to_owned(), kind.label().text(locale).to_owned()))
        .collect();
    view! {
        <Form method="GET" action=mode.path() attr:class="filters" attr:aria-label=t(Msg::FilterTitle)>
            <div class="field">
                <label for="filter-q">{t(Msg::FilterSearch)}</label>
                <input id="filter-q" type="search" name="q" prop:value=move || current.with(|f| f.text.clone())/>
            </div>
            <fieldset>
                <legend>{t(Msg::FilterKinds)}</legend>
                {ActorKind::ALL.into_iter().map(|kind| view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            name="art"
                            value=kind.code()
                            checked=current.with_untracked(|f| f.kinds.contains(&kind))
                            prop:checked=move || current.with(|f| f.kinds.contains(&kind))
                        />
                        <span class=format!("kind-dot kind-dot--{}", kind.code()) aria-hidden="true"></span>
                        <span>{break_after_slashes(kind.label().text(locale))}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            {select("branche", Msg::ActorSectors, terms(&options.sectors), |f| f.sectors.first().cloned())}
            {select("technologie", Msg::ActorTechnologies, terms(&options.technologies), |f| f.technologies.first().cloned())}
            {select("ort", Msg::ColTown, towns, |f| f.towns.first().cloned())}
            {select("verbindung", Msg::FilterConnectionKind, connection_kinds, |f| f.connection_kinds.first().map(|k| k.code().to_owned()))}
            <fieldset>
                <legend>{t(Msg::FilterYears)}</legend>
                <div class="years">
                    <div class="field">
                        <label for="filter-von">{t(Msg::FilterFrom)}</label>
                        <input id="filter-von" type="number" name="von" min={*YEAR_RANGE.start()} max={*YEAR_RANGE.end()} inputmode="numeric"
                            prop:value=move || current.with(|f| f.from_year.map(|y| y.to_string()).unwrap_or_default())/>
                    </div>
                    <div class="field">
                        <label for="filter-bis">{t(Msg::FilterTo)}</label>
                        <input id="filter-bis" type="number" name="bis" min={*YEAR_RANGE.start()} max={*YEAR_RANGE.end()} inputmode="numeric"
                            prop:value=move || current.with(|f| f.to_year.map(|y| y.to_string()).unwrap_or_default())/>
                    </div>
                </div>
            </fieldset>
            <button type="submit" class="button">{t(Msg::FilterApply)}</button>
            <a href=mode.path()>{t(Msg::FilterReset)}</a>
        </Form>
    }
}
