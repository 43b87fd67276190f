//! How the selection grew: the month-by-month playback and the new connections per year.

use crate::domain::date::format_month;
use crate::domain::network::GrowthPoint;
use crate::i18n::{t, Msg};
use crate::ui::BarChart;
use leptos::prelude::*;

/// The growth playback: a slider over the months since the first connection, a play button and
/// new connections per year. Moving it redraws the map as it was at that month.
#[component]
pub(super) fn Playback(growth: Vec<GrowthPoint>, month: RwSignal<Option<i32>>) -> impl IntoView {
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

pub(super) fn new_connections_per_year(growth: &[GrowthPoint]) -> Vec<(i32, u32)> {
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
pub(super) fn YearBars(years: Vec<(i32, u32)>, current_year: Signal<i32>) -> impl IntoView {
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
