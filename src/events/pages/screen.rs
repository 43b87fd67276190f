//! `/veranstaltungen/:slug/leinwand`: the projector. Large enough to read from the back of a
//! room, for 30 people or 2,000: the round and its countdown always in view, everyone's table in
//! alphabetical pages that turn by themselves, the letters of the page, and where else to find
//! one's table. It follows the console live.

use super::live_feed::{use_live, Countdown, LiveStatus};
use super::param;
use crate::domain::screen::{
    columns_of, index_letter, paginate, sort_entries, ScreenEntry, ScreenLayout,
};
#[cfg(feature = "hydrate")]
use crate::domain::screen::{ScreenPage, PAGE_SECONDS};
use crate::domain::slug::Slug;
use crate::events::api::screen;
use crate::events::{Screen, ScreenRound};
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
                        <div class="screen__title">
                            <h1>{title}</h1>
                            <LiveStatus feed/>
                        </div>
                        <div class="screen__clock">
                            <Countdown feed round=round_state/>
                        </div>
                    </header>
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

/// Everyone of the round by name with their table (or a rest), alphabetically, in pages that fit
/// the screen and turn by themselves (a button pauses them), with the page's letters shown.
#[component]
fn Places(round: ScreenRound) -> impl IntoView {
    let entries = StoredValue::new(screen_entries(&round));
    let layout = RwSignal::new(ScreenLayout::full_hd());
    let pages = Memo::new(move |_| entries.with_value(|entries| paginate(entries, layout.get())));
    let current = RwSignal::new(0usize);
    let paused = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    turn_pages(layout, pages, current, paused);
    let page = move || pages.with(|pages| pages[current.get().min(pages.len() - 1)].clone());
    let columns = move || {
        let (page, layout) = (page(), layout.get());
        entries.with_value(|entries| {
            columns_of(entries, &page, layout)
                .into_iter()
                .map(|column| {
                    column
                        .into_iter()
                        .map(|i| entries[i].clone())
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
    };
    let position = move || {
        let page = page();
        format!(
            "{} {} {} {} · {} – {}",
            t(Msg::ScreenPage),
            current.get().min(pages.with(Vec::len) - 1) + 1,
            t(Msg::ScreenPageOf),
            pages.with(Vec::len),
            page.from,
            page.to
        )
    };
    let present: Vec<char> = entries.with_value(|entries| {
        let mut letters: Vec<char> = entries.iter().map(|e| index_letter(&e.name)).collect();
        letters.dedup();
        letters
    });
    view! {
        <section class="screen__pages" aria-label=t(Msg::ScreenPlaces)>
            <div class="screen__columns" style=move || format!("--screen-columns: {}", layout.get().columns)>
                {move || columns().into_iter().map(|column| view! {
                    <ul class="screen__column">
                        {column.into_iter().map(|entry| view! {
                            <li class="screen__entry">
                                <span class="screen__name">{entry.name}</span>
                                <span class="screen__table">{entry.place}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }).collect_view()}
            </div>
            <footer class="screen__foot">
                <p class="screen__position">{position}</p>
                <ol class="screen__letters" aria-label=t(Msg::ScreenLetters)>
                    {('A'..='Z').chain(['#']).filter(|letter| *letter != '#' || present.contains(letter)).map(|letter| {
                        let here = present.contains(&letter);
                        let class = move || {
                            let page = page();
                            let on_page = here && page.first <= letter && letter <= page.last;
                            match (on_page, here) {
                                (true, _) => "screen__letter screen__letter--here",
                                (false, true) => "screen__letter",
                                (false, false) => "screen__letter screen__letter--none",
                            }
                        };
                        view! { <li class=class>{letter.to_string()}</li> }
                    }).collect_view()}
                </ol>
                <button type="button" class="button button--secondary screen__pause"
                    on:click=move |_| paused.update(|p| *p = !*p)
                    hidden=move || pages.with(|pages| pages.len() < 2)>
                    {move || if paused.get() { t(Msg::ScreenResume) } else { t(Msg::ScreenPause) }}
                </button>
                <p class="screen__find">{t(Msg::ScreenFindTable)}</p>
            </footer>
        </section>
    }
}

/// Everyone of the round as a projector line, sorted. Two people of one name are told apart by
/// their organisations.
fn screen_entries(round: &ScreenRound) -> Vec<ScreenEntry> {
    let mut named: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for person in &round.people {
        *named.entry(person.name.as_str()).or_default() += 1;
    }
    let mut entries: Vec<ScreenEntry> = round
        .people
        .iter()
        .map(|person| ScreenEntry {
            name: if named[person.name.as_str()] > 1 {
                format!("{} ({})", person.name, person.organisation)
            } else {
                person.name.clone()
            },
            place: person
                .table
                .clone()
                .unwrap_or_else(|| t(Msg::ScreenResting).to_owned()),
        })
        .collect();
    sort_entries(&mut entries);
    entries
}

/// Follows the window's size and turns to the next page every few seconds unless paused; a
/// presenter's remote (arrow keys, page up and down) turns pages by hand.
#[cfg(feature = "hydrate")]
fn turn_pages(
    layout: RwSignal<ScreenLayout>,
    pages: Memo<Vec<ScreenPage>>,
    current: RwSignal<usize>,
    paused: RwSignal<bool>,
) {
    use std::time::Duration;
    let measure = move || {
        let window = window();
        let size = |value: Result<wasm_bindgen::JsValue, _>| value.ok().and_then(|v| v.as_f64());
        if let (Some(width), Some(height)) =
            (size(window.inner_width()), size(window.inner_height()))
        {
            layout.set(ScreenLayout::for_viewport(width, height));
        }
    };
    Effect::new(move |_| measure());
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        let count = pages.with_untracked(Vec::len).max(1);
        let step = match event.key().as_str() {
            "ArrowRight" | "PageDown" => 1,
            "ArrowLeft" | "PageUp" => count - 1,
            _ => return,
        };
        event.prevent_default();
        current.update(|page| *page = (*page + step) % count);
    });
    let turning = set_interval_with_handle(
        move || {
            if !paused.get_untracked() {
                let count = pages.with_untracked(Vec::len).max(1);
                current.update(|page| *page = (*page + 1) % count);
            }
        },
        Duration::from_secs(u64::from(PAGE_SECONDS)),
    )
    .ok();
    on_cleanup(move || {
        resize.remove();
        keys.remove();
        if let Some(turning) = turning {
            turning.clear();
        }
    });
}
