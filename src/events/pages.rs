//! `/veranstaltungen`.

use super::api::list_events;
use super::EventSummary;
use crate::domain::event::EventStatus;
use crate::i18n::{t, Msg};
use crate::ui::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;

fn status_label(status: EventStatus) -> Msg {
    match status {
        EventStatus::Draft => Msg::EventDraft,
        EventStatus::Open => Msg::EventOpen,
        EventStatus::Live => Msg::EventLive,
        EventStatus::Finished => Msg::EventFinished,
    }
}

/// `2025-03-20T16:00` → `20.03.2025, 16:00`.
fn german_date_time(iso: &str) -> String {
    let (date, time) = iso.split_once('T').unwrap_or((iso, ""));
    let parts: Vec<&str> = date.split('-').collect();
    match (parts.as_slice(), time.is_empty()) {
        ([y, m, d], true) => format!("{d}.{m}.{y}"),
        ([y, m, d], false) => format!("{d}.{m}.{y}, {time}"),
        _ => iso.to_owned(),
    }
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let events = Resource::new(|| (), |_| list_events());
    view! {
        <Title text=t(Msg::EventsTitle)/>
        <h1>{t(Msg::EventsTitle)}</h1>
        <p class="lead">{t(Msg::EventsLead)}</p>
        <Loaded resource=events ready={|events: Vec<EventSummary>| {
            if events.is_empty() {
                return view! { <p>{t(Msg::EventsEmpty)}</p> }.into_any();
            }
            view! {
                <ul class="card-list">
                    {events.into_iter().map(|event| view! {
                        <li class="card">
                            <h2>{event.title}</h2>
                            <p class="eyebrow">
                                <span class=format!("badge badge--{}", event.status.code())>{t(status_label(event.status))}</span>
                            </p>
                            <dl class="facts">
                                <div><dt>{t(Msg::EventDate)}</dt><dd>{german_date_time(&event.starts_at)}</dd></div>
                                <div><dt>{t(Msg::EventVenue)}</dt><dd>{event.venue}</dd></div>
                                <div>
                                    <dt>{t(Msg::EventRegistrations)}</dt>
                                    <dd>{event.registrations} " (" {event.checked_in} " " {t(Msg::EventCheckedIn)} ")"</dd>
                                </div>
                            </dl>
                            <p>{event.description}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}/>
    }
}

#[cfg(test)]
mod tests {
    use super::german_date_time;

    #[test]
    fn dates_in_german_order() {
        assert_eq!(german_date_time("2025-03-20T16:00"), "20.03.2025, 16:00");
        assert_eq!(german_date_time("2025-03-20"), "20.03.2025");
        assert_eq!(german_date_time("irgendwann"), "irgendwann");
    }
}
