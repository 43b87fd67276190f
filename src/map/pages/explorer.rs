//! `/karte`, `/karte/netzwerk` and `/einbetten/karte`: the map and the network view with their
//! list of actors, legend and counts, laid out for a phone or a desk.

use super::actor::ActorProfile;
use super::filter_query;
use super::filters::Downloads;
use super::filters::FilterForm;
use super::playback::Playback;
use super::view_url;
use super::MapMode;
use super::MapTabs;
use crate::domain::actor::{ActorKind, ConnectionKind};
use crate::domain::network::MapFilter;
use crate::domain::slug::Slug;
use crate::i18n::{t, use_locale, Locale, Msg};
use crate::map::api::{actor_profile, map_options, map_view};
use crate::map::{ActorDetail, MapOptions, MapView};
use crate::ui::{Loaded, PageMeta, Pagination};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

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

#[component]
pub(super) fn Explorer(mode: MapMode, #[prop(optional)] embedded: bool) -> impl IntoView {
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
                Some(slug) => actor_profile(Slug::from(slug)).await.map(Some),
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
pub(super) fn phone_layout(
    filter_panel: NodeRef<leptos::html::Details>,
    profile: Resource<Result<Option<ActorDetail>, crate::error::AppError>>,
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
pub(super) fn renderer_settings(mode: MapMode, options: &MapOptions, locale: Locale) -> String {
    serde_json::json!({
        "mode": if mode == MapMode::Graph { "graph" } else { "geo" },
        "tiles": options.tile_url,
        "tileAttribution": "© OpenStreetMap-Mitwirkende",
        "basemap": "/karte/kreise.geojson",
        "loadFailed": Msg::MapLoadFailed.text(locale),
        "empty": Msg::MapEmpty.text(locale),
        "actorsWord": Msg::StatActors.text(locale),
        // The order of the indices in the map data (see `read::map_data`).
        "kinds": ActorKind::ALL.map(ActorKind::code),
        "links": ConnectionKind::ALL.map(ConnectionKind::code),
    })
    .to_string()
}

#[component]
pub(super) fn MapLegend() -> impl IntoView {
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
pub(super) fn Counts(view: MapView) -> impl IntoView {
    view! {
        <p class="muted" aria-live="polite" data-testid="map-counts">
            {view.actors} " " {t(Msg::StatActors)} ", " {view.connections} " " {t(Msg::StatConnections)}
        </p>
    }
}

/// The accessible list: the same actors as the drawing, with their connection counts.
#[component]
pub(super) fn ActorList(view: MapView, mode: MapMode, filter: String) -> impl IntoView {
    let path = mode.path();
    let page_link = {
        let filter = filter.clone();
        Callback::new(move |page: u32| view_url(path, &filter, &[("seite", &page.to_string())]))
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
        <Pagination page pages link=page_link/>
    }
}
