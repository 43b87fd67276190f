//! `/veranstaltungen`: the events, newest first.

use super::german_date_time;
use super::status_label;
use crate::events::api::list_events;
use crate::events::EventSummary;
use crate::guard::ORGANIZERS;
use crate::i18n::{t, Msg};
use crate::ui::Allowed;
use crate::ui::Loaded;
use crate::ui::Page;
use leptos::prelude::*;

#[component]
pub fn EventsPage() -> impl IntoView {
    let events = Resource::new(|| (), |_| list_events());
    view! {
        <Page title=Msg::EventsTitle description=Msg::EventsLead path="/veranstaltungen" lead=Msg::EventsLead>
            <Allowed access=ORGANIZERS>
                <p><a href="/veranstaltungen/neu" class="button">{t(Msg::EventNew)}</a></p>
            </Allowed>
            <Loaded resource=events ready={|events: Vec<EventSummary>| {
                if events.is_empty() {
                    return view! { <p>{t(Msg::EventsEmpty)}</p> }.into_any();
                }
                view! {
                    <ul class="card-list">
                        {events.into_iter().map(|event| view! {
                            <li class="card">
                                <h2><a href=format!("/veranstaltungen/{}", event.slug)>{event.title}</a></h2>
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
        </Page>
    }
}
