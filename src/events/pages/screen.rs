//! `/veranstaltungen/:slug/leinwand`: the projector. Large enough to read from the back of a
//! room: the round, its countdown, and everyone's table in alphabetical order, following the
//! console live.

use super::live_feed::{use_live, Countdown, LiveStatus};
use super::param;
use crate::domain::slug::Slug;
use crate::events::api::screen;
use crate::events::{RoundView, Screen};
use crate::guard::ORGANIZERS;
use crate::i18n::{t, Msg};
use crate::ui::{Loaded, Restricted};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ScreenPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::ScreenTitle)/>
        <Restricted access=ORGANIZERS>
            <ScreenContent/>
        </Restricted>
    }
}

#[component]
fn ScreenContent() -> impl IntoView {
    let slug = param("slug");
    let feed = use_live(slug.into());
    let data = Resource::new(
        move || (slug.get(), feed.changes.get()),
        |(slug, _)| screen(Slug::from(slug)),
    );
    view! {
        <Loaded resource=data ready=move |data: Screen| {
            let Screen { title, live, round } = data;
            let present = live.present;
            let round_state = Signal::derive({
                let live = live.clone();
                move || feed.current(Some(live.clone())).and_then(|state| state.round)
            });
            view! {
                <div class="screen">
                    <header class="screen__head">
                        <h1>{title}</h1>
                        <LiveStatus feed/>
                    </header>
                    <div class="screen__clock">
                        <Countdown feed round=round_state/>
                    </div>
                    {match round {
                        Some(round) => view! { <Places round/> }.into_any(),
                        None => view! {
                            <p class="screen__waiting">{t(Msg::ScreenSoon)} " " {present} " " {t(Msg::ScreenInRoom)}</p>
                        }.into_any(),
                    }}
                </div>
            }
        }/>
    }
}

/// Everyone of the round by name with their table (or why they rest), alphabetically.
#[component]
fn Places(round: RoundView) -> impl IntoView {
    let mut places: Vec<(String, String, String)> = round
        .tables
        .iter()
        .flat_map(|table| {
            table.people.iter().map(move |p| {
                (
                    p.person_name.clone(),
                    p.organisation.clone(),
                    format!("{} {}", t(Msg::ConsoleTable), table.table),
                )
            })
        })
        .chain(round.resting.iter().map(|(p, rest)| {
            (
                p.person_name.clone(),
                p.organisation.clone(),
                t(rest.label()).to_owned(),
            )
        }))
        .collect();
    places.sort_by_cached_key(|(name, ..)| name.to_lowercase());
    view! {
        <ul class="screen__places" aria-label=t(Msg::ScreenPlaces)>
            {places.into_iter().map(|(name, organisation, place)| view! {
                <li>
                    <span class="screen__name">{name}</span>
                    <span class="screen__org">{organisation}</span>
                    <span class="screen__table">{place}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}
