//! The events' pages and what they share: labels, dates in German order, the route's parameters.

pub mod console;
pub mod desk;
pub mod edit;
pub mod event;
mod event_fields;
pub mod list;
pub mod live_feed;
// Rendered by the server; browsers run only its live panel, from the phone bundle.
#[cfg(any(feature = "ssr", feature = "phone"))]
pub mod personal;
#[cfg(any(feature = "ssr", feature = "phone"))]
mod personal_live;
#[cfg(any(feature = "ssr", feature = "phone"))]
mod reasons;
pub mod report;
pub mod screen;

use crate::domain::event::EventStatus;
use crate::events::Topic;
use crate::i18n::{Locale, Msg};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

pub(super) fn status_label(status: EventStatus) -> Msg {
    match status {
        EventStatus::Draft => Msg::EventDraft,
        EventStatus::Open => Msg::EventOpen,
        EventStatus::Live => Msg::EventLive,
        EventStatus::Finished => Msg::EventFinished,
    }
}

/// `2025-03-20T16:00` → `20.03.2025, 16:00`.
pub(super) fn german_date_time(iso: &str) -> String {
    use crate::domain::date::{format_german, parse_date, parse_local};
    match (parse_local(iso), parse_date(iso)) {
        (Some(at), _) => format_german(at.date(), Some(at)),
        (None, Some(day)) => format_german(day, None),
        (None, None) => iso.to_owned(),
    }
}

pub(super) fn topic_label(topic: &Topic, locale: Locale) -> String {
    match locale {
        Locale::De => topic.label_de.clone(),
        Locale::En => topic.label_en.clone(),
    }
}

pub(super) fn param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).unwrap_or_default())
}

fn query_flag(name: &'static str) -> bool {
    use_query_map().read_untracked().get(name).is_some()
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
