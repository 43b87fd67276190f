//! The map's pages and what they share: the tabs between map, network and Lagebild, the view's
//! address and its mode.

pub mod actor;
pub mod actor_edit;
pub mod actor_fields;
pub mod explorer;
pub mod filters;
pub mod import;
#[cfg(feature = "hydrate")]
mod js;
pub mod lagebild;
pub mod moderation;
pub mod playback;
pub mod proposal;
pub mod terms;

use crate::domain::network::MapFilter;
use crate::i18n::{t, Msg};
use crate::map::ActorDetail;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapMode {
    Geo,
    Graph,
}

impl MapMode {
    pub(super) fn path(self) -> &'static str {
        match self {
            MapMode::Geo => "/karte",
            MapMode::Graph => "/karte/netzwerk",
        }
    }
}
