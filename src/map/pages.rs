//! `/karte` (geographic map), `/karte/netzwerk` (network view), `/karte/lagebild` and
//! `/akteure/:slug`. The map and the network view share one explorer: filters in the URL, the
//! drawing, the growth playback, the side panel and the list that carries the same information
//! for keyboard and screen-reader users.

use super::api::{actor_profile, map_options, map_view, network_report};
use super::{ActorDetail, ActorRef, MapOptions, MapView, NetworkReport};
use crate::domain::actor::{ActorKind, ConnectionKind};
use crate::domain::date::{format_month, YEAR_RANGE};
use crate::domain::network::{GrowthPoint, MapFilter};
use crate::error::AppError;
use crate::i18n::{t, use_locale, Locale, Msg};
use crate::taxonomy::Term;
use crate::ui::{break_after_slashes, BarChart, Loaded, PageMeta};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapMode {
    Geo,
    Graph,
}

impl MapMode {
    fn path(self) -> &'static str {
        match self {
            MapMode::Geo => "/karte",
            MapMode::Graph => "/karte/netzwerk",
        }
    }
}

#[component]
pub fn MapPage() -> impl IntoView {
    view! { <Explorer mode=MapMode::Geo/> }
}

#[component]
pub fn NetworkPage() -> impl IntoView {
    view! { <Explorer mode=MapMode::Graph/> }
}

/// `/einbetten/karte?…`: the map alone, for an iframe on a partner's website.
#[component]
pub fn EmbedMapPage() -> impl IntoView {
    view! { <Explorer mode=MapMode::Geo embedded=true/> }
}

/// The filter part of the page's query, canonical (the page's own keys dropped).
fn filter_query(params: &ParamsMap) -> String {
    MapFilter::from_query(&params.to_query_string()).to_query()
}

/// `path?filter&key=value…`
fn view_url(path: &str, filter: &str, extra: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(filter.to_owned());
    for (key, value) in extra {
        query.append_pair(key, value);
    }
    let query = query.finish();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// Karte · Netzwerk · Lagebild, keeping the filter between map and network view.
#[component]
fn MapTabs(current: &'static str, #[prop(into)] filter: Signal<String>) -> impl IntoView {
    let tab = move |path: &'static str, label: Msg| {
        let keeps_filter = path != "/karte/lagebild";
        view! {
            <li>
                <a
                    href=move || if keeps_filter { view_url(path, &filter.get(), &[]) } else { path.to_owned() }
                    aria-current=(path == current).then_some("page")
                >
                    {t(label)}
                </a>
            </li>
        }
    };
    view! {
        <nav aria-label=t(Msg::MapViews)>
            <ul class="tabs">
                {tab("/karte", Msg::TabMap)}
                {tab("/karte/netzwerk", Msg::TabNetwork)}
                {tab("/karte/lagebild", Msg::TabReport)}
            </ul>
        </nav>
    }
}

#[component]
fn Explorer(mode: MapMode, #[prop(optional)] embedded: bool) -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_query));
    let current = Memo::new(move |_| MapFilter::from_query(&filter.get()));
    let page = Memo::new(move |_| {
        query.with(|q| q.get("seite").and_then(|p| p.parse().ok()).unwrap_or(1u32))
    });
    let selected = Memo::new(move |_| query.with(|q| q.get("akteur").filter(|s| !s.is_empty())));
    let options = Resource::new(|| (), |_| map_options());
    let view_data = Resource::new(move || (filter.get(), page.get()), |(f, p)| map_view(f, p));
    let profile = Resource::new(
        move || selected.get(),
        |slug| async move {
            match slug {
                Some(slug) => actor_profile(slug).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let month = RwSignal::new(None::<i32>);
    let map_ref = NodeRef::<leptos::html::Div>::new();
    let filter_panel = NodeRef::<leptos::html::Details>::new();
    let locale = use_locale();
    // Inside a partner's iframe, selecting and closing stay on the embed page.
    let base: &'static str = if embedded {
        "/einbetten/karte"
    } else {
        mode.path()
    };
    #[cfg(feature = "hydrate")]
    {
        let navigate = leptos_router::hooks::use_navigate();
        // Forms submit every field, empty ones too; the address bar gets the canonical query so
        // a shared link is short and stable. Only the parsed values are tracked: the location
        // is read as it is when they change.
        let location = leptos_router::hooks::use_location();
        let canonicalise = navigate.clone();
        Effect::new(move |_| {
            let page = page.get().to_string();
            let slug = selected.get();
            let mut extra: Vec<(&str, &str)> = Vec::new();
            if page != "1" {
                extra.push(("seite", &page));
            }
            if let Some(slug) = &slug {
                extra.push(("akteur", slug));
            }
            let canonical = view_url(base, &filter.get(), &extra);
            let (path, search) = (
                location.pathname.get_untracked(),
                location.search.get_untracked(),
            );
            let current = match search.trim_start_matches('?') {
                "" => path.clone(),
                search => format!("{path}?{search}"),
            };
            if path == base && current != canonical {
                canonicalise(
                    &canonical,
                    leptos_router::NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            }
        });
        let on_select = move |slug: String| {
            let extra: Vec<(&str, &str)> = if slug.is_empty() {
                vec![]
            } else {
                vec![("akteur", slug.as_str())]
            };
            navigate(
                &view_url(base, &filter.get_untracked(), &extra),
                leptos_router::NavigateOptions {
                    scroll: false,
                    ..Default::default()
                },
            );
        };
        super::js::bind(map_ref, filter.into(), month, selected.into(), on_select);
        phone_layout(filter_panel, profile);
    }
    let (title, lead, map_label) = match mode {
        MapMode::Geo => (Msg::MapTitle, Msg::MapLead, Msg::MapRegionLabel),
        MapMode::Graph => (Msg::NetworkTitle, Msg::NetworkLead, Msg::NetworkRegionLabel),
    };
    view! {
        <Title text=t(title)/>
        // The embed shows the same map as /karte, which is the address to find it under.
        <PageMeta description=t(lead) path=if embedded { "/karte" } else { mode.path() }/>
        <h1>{t(title)}</h1>
        {if embedded {
            view! {
                <p>
                    <a href=move || view_url("/karte", &filter.get(), &[]) target="_blank" rel="noopener">
                        {t(Msg::EmbedOpen)}
                    </a>
                </p>
            }.into_any()
        } else {
            view! { <p class="lead">{t(lead)}</p> <MapTabs current=mode.path() filter/> }.into_any()
        }}
        <div class=move || match (embedded, selected.get().is_some()) {
            (true, true) => "explorer explorer--embedded explorer--panel",
            (true, false) => "explorer explorer--embedded",
            (false, true) => "explorer explorer--panel",
            (false, false) => "explorer",
        }>
            {(!embedded).then(|| view! {
                // Open in the first HTML, so the filters work without JavaScript; folded on a
                // phone once the page runs, where the map comes first.
                <details class="filter-panel" open node_ref=filter_panel>
                    <summary>
                        {t(Msg::FilterTitle)}
                        {move || match current.with(MapFilter::active_count) {
                            0 => String::new(),
                            n => format!(" ({})", Msg::FilterActive.text(locale).replace("{n}", &n.to_string())),
                        }}
                    </summary>
                    <Loaded resource=options ready={move |options: MapOptions| view! { <FilterForm options mode current/> }}/>
                </details>
            })}
            <section id="karte" class="map-section" aria-labelledby="karte-titel">
                <h2 id="karte-titel" class="visually-hidden">{t(map_label)}</h2>
                <MapLegend/>
                // The renderer starts from these attributes as soon as the HTML is parsed, so
                // the map data loads while the WASM is still on its way (see tandem-karte.js).
                <Loaded resource=options ready=move |options: MapOptions| view! {
                    <div
                        class="map"
                        node_ref=map_ref
                        role="region"
                        aria-label=t(map_label)
                        aria-describedby="karte-hinweis"
                        data-settings=renderer_settings(mode, &options, use_locale())
                        data-filter=filter.get_untracked()
                    ></div>
                }/>
                <p id="karte-hinweis" class="muted">{t(Msg::MapListHint)}</p>
                <Loaded resource=view_data ready={move |view: MapView| view! { <Playback growth=view.growth.clone() month/> <Counts view/> }}/>
            </section>
            {move || selected.get().is_some().then(|| view! {
                <aside id="akteur-panel" class="side-panel" tabindex="-1" aria-label=t(Msg::PanelLabel)>
                    <p>
                        <a href=move || view_url(base, &filter.get(), &[]) class="button button--small">
                            {t(Msg::PanelClose)}
                        </a>
                    </p>
                    <Loaded resource=profile ready={move |actor: Option<ActorDetail>| actor.map(|actor| view! {
                        <ActorProfile actor panel_path=Some((base, filter.get_untracked()))/>
                    })}/>
                </aside>
            })}
        </div>
        {(!embedded).then(|| view! {
            <section aria-labelledby="liste-titel">
                <h2 id="liste-titel">{t(Msg::MapListTitle)}</h2>
                <Loaded resource=view_data ready={move |view: MapView| view! { <ActorList view mode filter=filter.get_untracked()/> }}/>
            </section>
            <Downloads filter options/>
        })}
    }
}

/// On a phone the map comes first and the filters fold away; an actor chosen on the map opens
/// its details right under it and brings them into view (focus included, for screen readers),
/// and closing them brings the map back.
#[cfg(feature = "hydrate")]
fn phone_layout(
    filter_panel: NodeRef<leptos::html::Details>,
    profile: Resource<Result<Option<ActorDetail>, AppError>>,
) {
    let on_phone = || {
        window()
            .match_media("(max-width: 60rem)")
            .ok()
            .flatten()
            .is_some_and(|query| query.matches())
    };
    Effect::new(move |_| {
        if let Some(panel) = filter_panel.get() {
            if on_phone() {
                panel.set_open(false);
            }
        }
    });
    // Once the chosen actor's profile is there (its height known), or once it is gone.
    let shown = Memo::new(move |_| {
        profile
            .get()
            .map(|profile| profile.ok().flatten().map(|actor| actor.slug))
    });
    // Its state is the last profile shown (`None` before the first).
    Effect::new(move |last: Option<Option<Option<String>>>| {
        let last = last.flatten();
        let Some(now) = shown.get() else {
            return last;
        };
        if last.as_ref().is_some_and(|before| *before != now) && on_phone() {
            let target = if now.is_some() {
                "akteur-panel"
            } else {
                "karte"
            };
            request_animation_frame(move || {
                if let Some(element) = document().get_element_by_id(target) {
                    element.scroll_into_view_with_bool(true);
                    if let Ok(element) =
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element)
                    {
                        let options = web_sys::FocusOptions::new();
                        options.set_prevent_scroll(true);
                        let _ = element.focus_with_options(&options);
                    }
                }
            });
        }
        Some(now)
    });
}

/// What the renderer needs from the server: the mode, the tile layer and its own messages.
fn renderer_settings(mode: MapMode, options: &MapOptions, locale: Locale) -> String {
    serde_json::json!({
        "mode": if mode == MapMode::Graph { "graph" } else { "geo" },
        "tiles": options.tile_url,
        "tileAttribution": "© OpenStreetMap-Mitwirkende",
        "basemap": "/karte/kreise.geojson",
        "loadFailed": Msg::MapLoadFailed.text(locale),
        "empty": Msg::MapEmpty.text(locale),
        "actorsWord": Msg::StatActors.text(locale),
    })
    .to_string()
}

/// Downloads and the embed link of the current view, and the way to the data for editors.
#[component]
fn Downloads(
    filter: Memo<String>,
    options: Resource<Result<MapOptions, AppError>>,
) -> impl IntoView {
    let session = crate::ui::use_session();
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
            <Transition>
                {move || Suspend::new(async move {
                    let role = session.viewer.await.ok().flatten().map(|viewer| viewer.role);
                    let editor = super::manage::may_manage(role);
                    view! {
                        <h3>{t(Msg::ManageData)}</h3>
                        <ul>
                            <li><a href="/karte/vorschlagen">{t(Msg::ProposeNewLink)}</a></li>
                            {editor.then(|| view! {
                                <li><a href="/akteure/neu">{t(Msg::EditNew)}</a></li>
                                <li><a href="/karte/moderation">{t(Msg::ModerationTitle)}</a></li>
                                <li><a href="/karte/import">{t(Msg::ImportTitle)}</a></li>
                                <li><a href="/karte/begriffe">{t(Msg::TermsTitle)}</a></li>
                            })}
                        </ul>
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn FilterForm(options: MapOptions, mode: MapMode, current: Memo<MapFilter>) -> impl IntoView {
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

#[component]
fn MapLegend() -> impl IntoView {
    view! {
        <ul class="legend" aria-label=t(Msg::LegendKinds)>
            {ActorKind::ALL.into_iter().map(|kind| view! {
                <li><span class=format!("kind-dot kind-dot--{}", kind.code()) aria-hidden="true"></span>{t(kind.label())}</li>
            }).collect_view()}
        </ul>
        <ul class="legend" aria-label=t(Msg::LegendConnections)>
            {ConnectionKind::ALL.into_iter().map(|kind| view! {
                <li><span class=format!("line-swatch line-swatch--{}", kind.code()) aria-hidden="true"></span>{t(kind.label())}</li>
            }).collect_view()}
            <li><span class="line-swatch line-swatch--ended" aria-hidden="true"></span>{t(Msg::LegendEnded)}</li>
        </ul>
    }
}

#[component]
fn Counts(view: MapView) -> impl IntoView {
    view! {
        <p class="muted" aria-live="polite" data-testid="map-counts">
            {view.actors} " " {t(Msg::StatActors)} ", " {view.connections} " " {t(Msg::StatConnections)}
        </p>
    }
}

/// The growth playback: a slider over the months since the first connection, a play button and
/// new connections per year. Moving it redraws the map as it was at that month.
#[component]
fn Playback(growth: Vec<GrowthPoint>, month: RwSignal<Option<i32>>) -> impl IntoView {
    if growth.is_empty() {
        month.set(None);
        return None;
    }
    let last = growth.len() - 1;
    let index = RwSignal::new(last);
    // Plain shared data, not a stored value: closures of the previous view may still run once
    // while a new filter's view replaces it, and must not find their data disposed.
    let growth = std::sync::Arc::new(growth);
    let months: Vec<i32> = growth.iter().map(|p| p.month).collect();
    Effect::new(move |_| {
        let i = index.get();
        month.set((i < last).then(|| months[i]));
    });
    let playing = RwSignal::new(false);
    let timer = StoredValue::new(None::<IntervalHandle>);
    let clear_timer = move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    let stop = move || {
        playing.set(false);
        clear_timer();
    };
    // Only the timer: setting signals while the view is being disposed would re-run its closures.
    on_cleanup(clear_timer);
    let toggle = move |_| {
        if playing.get_untracked() {
            stop();
            return;
        }
        if index.get_untracked() == last {
            index.set(0);
        }
        playing.set(true);
        let handle = set_interval_with_handle(
            move || {
                let next = index.get_untracked() + 1;
                index.set(next.min(last));
                if next >= last {
                    stop();
                }
            },
            std::time::Duration::from_millis(150),
        );
        timer.set_value(handle.ok());
    };
    let years = new_connections_per_year(&growth);
    let point = move || growth[index.try_get().unwrap_or(last).min(last)];
    Some(view! {
        <div class="playback">
            <button type="button" class="button button--small" on:click=toggle aria-pressed=move || playing.get().to_string()>
                {move || if playing.get() { t(Msg::PlaybackPause) } else { t(Msg::PlaybackPlay) }}
            </button>
            <div class="field">
                <label for="zeitpunkt">{t(Msg::PlaybackLabel)}</label>
                <input
                    id="zeitpunkt"
                    type="range"
                    min="0"
                    max=last.to_string()
                    step="1"
                    prop:value=move || index.get().to_string()
                    aria-valuetext={ let point = point.clone(); move || format_month(point().month) }
                    on:input=move |event| {
                        stop();
                        if let Ok(i) = event_target_value(&event).parse::<usize>() {
                            index.set(i.min(last));
                        }
                    }
                />
            </div>
            <p class="counts" aria-live="polite" data-testid="growth-counts">
                {t(Msg::PlaybackAt)} " " { let point = point.clone(); move || format_month(point().month) } ": "
                { let point = point.clone(); move || point().actors } " " {t(Msg::StatActors)} ", "
                { let point = point.clone(); move || point().connections } " " {t(Msg::StatConnections)}
            </p>
            <YearBars years current_year=Signal::derive(move || point().month.div_euclid(12))/>
        </div>
    })
}

fn new_connections_per_year(growth: &[GrowthPoint]) -> Vec<(i32, u32)> {
    let mut years: Vec<(i32, u32)> = Vec::new();
    for point in growth {
        let year = point.month.div_euclid(12);
        match years.last_mut() {
            Some((y, count)) if *y == year => *count += point.new_connections,
            _ => years.push((year, point.new_connections)),
        }
    }
    years
}

#[component]
fn YearBars(years: Vec<(i32, u32)>, current_year: Signal<i32>) -> impl IntoView {
    let listed: Vec<i32> = years.iter().map(|(year, _)| *year).collect();
    let current = Signal::derive(move || {
        let year = current_year.get();
        listed.iter().position(|&y| y == year)
    });
    let bars = years
        .into_iter()
        .map(|(year, count)| (year.to_string(), count))
        .collect();
    view! { <BarChart bars caption=Msg::PlaybackPerYear current/> }
}

/// The accessible list: the same actors as the drawing, with their connection counts.
#[component]
fn ActorList(view: MapView, mode: MapMode, filter: String) -> impl IntoView {
    let path = mode.path();
    let page_link = {
        let filter = filter.clone();
        move |page: u32| view_url(path, &filter, &[("seite", &page.to_string())])
    };
    let (page, pages) = (view.page, view.pages);
    view! {
        <p>{t(Msg::ListShowing)} " " {view.list.len()} " / " {view.actors}</p>
        <table class="data-table">
            <thead>
                <tr>
                    <th scope="col">{t(Msg::ColName)}</th>
                    <th scope="col">{t(Msg::ColKind)}</th>
                    <th scope="col">{t(Msg::ColTown)}</th>
                    <th scope="col" class="num">{t(Msg::ColConnections)}</th>
                </tr>
            </thead>
            <tbody>
                {view.list.into_iter().map(|actor| {
                    let href = view_url(path, &filter, &[("seite", &page.to_string()), ("akteur", &actor.slug)]);
                    view! {
                        <tr>
                            <td><a href=href data-actor=actor.slug.clone()>{actor.name}</a></td>
                            <td data-label=t(Msg::ColKind)>
                                <span class=format!("kind-dot kind-dot--{}", actor.kind.code()) aria-hidden="true"></span>
                                {t(actor.kind.label())}
                            </td>
                            <td data-label=t(Msg::ColTown)>{actor.town}</td>
                            <td class="num" data-label=t(Msg::ColConnections)>{actor.connections}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(pages > 1).then(|| view! {
            <nav aria-label=t(Msg::Pagination)>
                <ul class="pagination">
                    {(page > 1).then(|| view! { <li><a href=page_link(page - 1)>{t(Msg::PagePrevious)}</a></li> })}
                    <li>{t(Msg::Page)} " " {page} " / " {pages}</li>
                    {(page < pages).then(|| view! { <li><a href=page_link(page + 1)>{t(Msg::PageNext)}</a></li> })}
                </ul>
            </nav>
        })}
    }
}

#[component]
pub fn ActorPage() -> impl IntoView {
    let params = use_params_map();
    let actor = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        actor_profile,
    );
    let session = crate::ui::use_session();
    let slug = move || params.read().get("slug").unwrap_or_default();
    view! {
        <Loaded resource=actor ready={|actor: ActorDetail| view! { <ActorProfile actor panel_path=None/> }}/>
        <ul class="button-row plain-list">
            <li><A href="/karte">{t(Msg::BackToMap)}</A></li>
            <li><a href=move || format!("/karte/vorschlagen?akteur={}", slug())>{t(Msg::ProposeLink)}</a></li>
            <Transition>
                {move || Suspend::new(async move {
                    let role = session.viewer.await.ok().flatten().map(|viewer| viewer.role);
                    super::manage::may_manage(role).then(|| view! {
                        <li><a href=move || format!("/akteure/{}/bearbeiten", slug())>{t(Msg::EditThis)}</a></li>
                    })
                })}
            </Transition>
        </ul>
    }
}

/// An actor's profile, as a page of its own or (with `panel_path`: the explorer's path and
/// filter) in the explorer's side panel, where links to other actors stay in the explorer.
#[component]
fn ActorProfile(actor: ActorDetail, panel_path: Option<(&'static str, String)>) -> impl IntoView {
    let locale = use_locale();
    let terms = |terms: &[Term]| {
        terms
            .iter()
            .map(|term| term.label(locale))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sectors = terms(&actor.sectors);
    let technologies = terms(&actor.technologies);
    let has_connections = !actor.connections.is_empty();
    let in_panel = panel_path.is_some();
    let link_to = move |slug: &str| match &panel_path {
        Some((path, filter)) => view_url(path, filter, &[("akteur", slug)]),
        None => format!("/akteure/{slug}"),
    };
    let heading = if in_panel {
        view! { <h2>{actor.name.clone()}</h2> }.into_any()
    } else {
        let description = match actor.description.trim() {
            "" => format!("{} · {}", actor.kind.label().text(locale), actor.town),
            text => text.to_owned(),
        };
        view! {
            <Title text=actor.name.clone()/>
            <PageMeta description path=format!("/akteure/{}", actor.slug)/>
            <h1>{actor.name.clone()}</h1>
        }
        .into_any()
    };
    view! {
        <article class="profile">
            <p class="eyebrow">
                <span class=format!("kind-dot kind-dot--{}", actor.kind.code()) aria-hidden="true"></span>
                {t(actor.kind.label())} " · " {actor.town.clone()}
            </p>
            {heading}
            {actor.logo_url.clone().map(|src| view! {
                <img class="logo" src=src alt=format!("{} {}", t(Msg::LogoOf), actor.name) loading="lazy"/>
            })}
            <p>{actor.description.clone()}</p>
            {in_panel.then(|| view! { <p><A href=format!("/akteure/{}", actor.slug)>{t(Msg::PanelProfileLink)}</A></p> })}
            <dl class="facts">
                {actor.founded_year.map(|year| view! { <div><dt>{t(Msg::ActorFounded)}</dt><dd>{year}</dd></div> })}
                {actor.size_band.clone().map(|size| view! { <div><dt>{t(Msg::ActorSize)}</dt><dd>{size}</dd></div> })}
                {(!sectors.is_empty()).then(|| view! { <div><dt>{t(Msg::ActorSectors)}</dt><dd>{sectors}</dd></div> })}
                {(!technologies.is_empty()).then(|| view! { <div><dt>{t(Msg::ActorTechnologies)}</dt><dd>{technologies}</dd></div> })}
                {actor.website.clone().map(|url| view! {
                    <div><dt>{t(Msg::ActorWebsite)}</dt><dd><a href=url.clone() rel="external noopener">{url.clone()}</a></dd></div>
                })}
                {actor.contact_email.clone().map(|email| view! {
                    <div><dt>{t(Msg::LabelContact)}</dt><dd><a href=format!("mailto:{email}")>{email.clone()}</a></dd></div>
                })}
                <div>
                    <dt>{t(Msg::Position)}</dt>
                    <dd>{format!("{:.4}° N, {:.4}° O", actor.lat, actor.lon)}</dd>
                </div>
            </dl>
            <section>
                {if in_panel { view! { <h3>{t(Msg::ActorConnections)}</h3> }.into_any() } else { view! { <h2>{t(Msg::ActorConnections)}</h2> }.into_any() }}
                {if has_connections {
                    view! {
                        <ul class="connection-list">
                            {actor.connections.into_iter().map(|c| view! {
                                <li>
                                    <span class="connection-kind">{t(c.kind.label())}</span> " "
                                    <a href=link_to(&c.other_slug)>{c.other_name}</a>
                                    " (" {t(c.other_kind.label())} "), " {t(Msg::ActorSince)} " " {c.started_on}
                                    {c.origin.map(|origin| view! { " · " {t(Msg::ActorOrigin)} " " {origin} })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                } else {
                    view! { <p>{t(Msg::ActorNoConnections)}</p> }.into_any()
                }}
            </section>
            {(!actor.case_studies.is_empty()).then(|| view! {
                <section>
                    {if in_panel { view! { <h3>{t(Msg::ActorCaseStudies)}</h3> }.into_any() } else { view! { <h2>{t(Msg::ActorCaseStudies)}</h2> }.into_any() }}
                    <ul>
                        {actor.case_studies.into_iter().map(|(slug, title, teaser)| view! {
                            <li><a href=format!("/fallstudien/{slug}")>{title}</a> " – " {teaser}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}

fn percent(share: f64, locale: Locale) -> String {
    let text = format!("{:.1} %", share * 100.0);
    match locale {
        Locale::De => text.replace('.', ","),
        Locale::En => text,
    }
}

#[component]
fn ActorLink(actor: ActorRef) -> impl IntoView {
    view! {
        <span class=format!("kind-dot kind-dot--{}", actor.kind.code()) aria-hidden="true"></span>
        <a href=format!("/karte?akteur={}", actor.slug)>{actor.name}</a>
    }
}

/// The Lagebild: counts, growth per quarter, the shares that matter for a region, brokers,
/// communities and whom to introduce to whom.
#[component]
pub fn ReportPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| network_report());
    view! {
        <Title text=t(Msg::ReportTitle)/>
        <PageMeta description=t(Msg::ReportLead) path="/karte/lagebild"/>
        <h1>{t(Msg::ReportTitle)}</h1>
        <p class="lead">{t(Msg::ReportLead)}</p>
        <MapTabs current="/karte/lagebild" filter=Signal::derive(String::new)/>
        <Loaded resource=report ready={|report: NetworkReport| view! { <Report report/> }}/>
    }
}

#[component]
fn Report(report: NetworkReport) -> impl IntoView {
    let locale = use_locale();
    view! {
        <dl class="stats">
            <div><dt>{t(Msg::StatActors)}</dt><dd>{report.actors}</dd></div>
            <div><dt>{t(Msg::StatConnections)}</dt><dd>{report.connections}</dd></div>
            <div><dt>{t(Msg::ReportCrossSector)}</dt><dd>{percent(report.cross_sector_share, locale)}</dd></div>
            <div><dt>{t(Msg::ReportSmeStartup)}</dt><dd>{percent(report.sme_startup_share, locale)}</dd></div>
            <div><dt>{t(Msg::ReportCommunities)}</dt><dd>{report.community_count}</dd></div>
        </dl>
        <section aria-labelledby="quartale">
            <h2 id="quartale">{t(Msg::ReportPerQuarter)}</h2>
            <BarChart bars=report.per_quarter.clone() caption=Msg::ReportPerQuarter/>
        </section>
        <div class="report-grid">
            <section aria-labelledby="nach-art">
                <h2 id="nach-art">{t(Msg::ReportByKind)}</h2>
                <table class="data-table">
                    <thead><tr><th scope="col">{t(Msg::ColKind)}</th><th scope="col" class="num">{t(Msg::StatActors)}</th></tr></thead>
                    <tbody>
                        {report.by_kind.into_iter().map(|(kind, count)| view! {
                            <tr><td><span class=format!("kind-dot kind-dot--{}", kind.code()) aria-hidden="true"></span>{t(kind.label())}</td><td class="num">{count}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section aria-labelledby="nach-ort">
                <h2 id="nach-ort">{t(Msg::ReportByTown)}</h2>
                <table class="data-table">
                    <thead><tr><th scope="col">{t(Msg::ColTown)}</th><th scope="col" class="num">{t(Msg::StatActors)}</th></tr></thead>
                    <tbody>
                        {report.by_town.into_iter().map(|(town, count)| view! {
                            <tr><td>{town}</td><td class="num">{count}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        </div>
        <section aria-labelledby="broker">
            <h2 id="broker">{t(Msg::ReportBrokers)}</h2>
            <p class="muted">{t(Msg::ReportBrokersText)}</p>
            <ol>
                {report.brokers.into_iter().map(|broker| view! {
                    <li>
                        <ActorLink actor=broker.actor/>
                        " – " {broker.connections} " " {t(Msg::StatConnections)} ", "
                        {t(Msg::ReportBetweenness)} " " {format!("{:.3}", broker.betweenness)}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <section aria-labelledby="gemeinschaften">
            <h2 id="gemeinschaften">{t(Msg::ReportCommunities)}</h2>
            <p class="muted">{t(Msg::ReportCommunitiesText)}</p>
            <ul class="card-list">
                {report.communities.into_iter().enumerate().map(|(i, community)| view! {
                    <li class="card">
                        <h3>{t(Msg::ReportCommunity)} " " {i + 1} " (" {community.size} " " {t(Msg::StatActors)} ")"</h3>
                        <p>
                            {community.kinds.iter().map(|(kind, count)| format!("{} {}", count, kind.label().text(locale))).collect::<Vec<_>>().join(", ")}
                            " · " {community.towns.join(", ")}
                        </p>
                        <ul>
                            {community.leaders.into_iter().map(|actor| view! { <li><ActorLink actor/></li> }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="vorschlaege">
            <h2 id="vorschlaege">{t(Msg::ReportSuggestions)}</h2>
            <p class="muted">{t(Msg::ReportSuggestionsText)}</p>
            <ol class="suggestions">
                {report.suggestions.into_iter().map(|s| {
                    let mut reasons = Vec::new();
                    if s.common_partner_count > 0 {
                        let names = s.common_partners.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ");
                        reasons.push(format!("{} {}: {names}", s.common_partner_count, t(Msg::ReasonCommonPartners)));
                    }
                    if !s.shared_topics.is_empty() {
                        let topics = s.shared_topics.iter().map(|term| term.label(locale)).collect::<Vec<_>>().join(", ");
                        reasons.push(format!("{}: {topics}", t(Msg::ReasonSharedTopics)));
                    }
                    if s.cross_kind {
                        reasons.push(format!("{} × {}", t(s.a.kind.label()), t(s.b.kind.label())));
                    }
                    view! {
                        <li>
                            <ActorLink actor=s.a/> " ↔ " <ActorLink actor=s.b/>
                            <br/><span class="muted">{t(Msg::ReasonWhy)} " " {reasons.join("; ")}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
