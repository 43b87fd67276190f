//! `/veranstaltungen/:slug/einlass`: the check-in desk. Organisers find people by name or
//! organisation, check them in and out, register walk-ups, and see the counts move.

use super::event::RegistrationFields;
use super::live_feed::{use_live, LiveStatus};
use crate::domain::slug::Slug;
use crate::events::api::{check_in_desk, CheckIn, DeleteRegistration, RegisterAtDoor};
use crate::events::{Desk, DeskEntry};
use crate::guard::ORGANIZERS;
use crate::i18n::{t, Msg};
use crate::ui::Page;
use crate::ui::{action_error, FormError, Loaded};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn DeskPage() -> impl IntoView {
    view! {
        <Page title=Msg::DeskTitle access=ORGANIZERS>
            <DeskContent/>
        </Page>
    }
}

#[component]
fn DeskContent() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let search = Memo::new(move |_| query.read().get("suche").unwrap_or_default());
    let check_in = ServerAction::<CheckIn>::new();
    let check_in_error = action_error(check_in);
    let walk_up = ServerAction::<RegisterAtDoor>::new();
    let walk_up_error = action_error(walk_up);
    let delete = ServerAction::<DeleteRegistration>::new();
    let delete_error = action_error(delete);
    // Other desks check people in too: every change reaches this one through the live socket.
    let feed = use_live(slug.into());
    let desk = Resource::new(
        move || {
            (
                slug.get(),
                search.get(),
                check_in.version().get(),
                walk_up.version().get(),
                delete.version().get(),
                feed.changes.get(),
            )
        },
        |(slug, search, ..)| check_in_desk(Slug::from(slug), search),
    );
    let walked_up = move || {
        walk_up
            .value()
            .get()
            .and_then(Result::ok)
            .map(|token| format!("/veranstaltungen/{}/ich/{token}", slug.get_untracked()))
    };
    view! {
        <Loaded resource=desk ready=move |desk: Desk| {
            let Desk { slug: event_slug, title, registered, present, left, matches, entries, topics, .. } = desk;
            let more = (matches > entries.len() as i64).then(|| view! {
                <p class="notice notice--info" role="status">{t(Msg::DeskMore)} " " {matches}</p>
            });
            view! {
                <p class="lead"><a href=format!("/veranstaltungen/{event_slug}")>{title}</a></p>
                <LiveStatus feed/>
                <dl class="stats" aria-live="polite">
                    <div><dt>{t(Msg::DeskRegistered)}</dt><dd>{registered}</dd></div>
                    <div><dt>{t(Msg::DeskPresent)}</dt><dd>{present}</dd></div>
                    <div><dt>{t(Msg::DeskLeft)}</dt><dd>{left}</dd></div>
                </dl>
                <Form method="GET" action="" attr:class="form form--row" attr:role="search">
                    <div class="field">
                        <label for="suche">{t(Msg::DeskSearch)}</label>
                        <input id="suche" name="suche" type="search" value=search.get_untracked()/>
                    </div>
                    <button type="submit" class="button">{t(Msg::FilterApply)}</button>
                </Form>
                <FormError error=check_in_error/>
                <FormError error=delete_error/>
                <DeskList slug=event_slug.clone() entries check_in delete/>
                {more}
                <section aria-labelledby="tuer-titel" class="panel">
                    <h2 id="tuer-titel">{t(Msg::DeskWalkUp)}</h2>
                    {move || walked_up().map(|link| view! {
                        <div class="notice" role="status">
                            <p>{t(Msg::DeskWalkUpDone)} " " <a href=link>{t(Msg::DeskShowLink)}</a></p>
                        </div>
                    })}
                    <ActionForm action=walk_up attr:class="form">
                        <input type="hidden" name="slug" value=event_slug.clone()/>
                        <FormError error=walk_up_error fields=&["person_name", "email", "organisation", "kind", "offers", "seeks", "topics", "consent"]/>
                        <RegistrationFields topics error=walk_up_error/>
                        <button type="submit" class="button">{t(Msg::DeskWalkUpSubmit)}</button>
                    </ActionForm>
                </section>
            }
        }/>
    }
}

#[component]
fn DeskList(
    slug: String,
    entries: Vec<DeskEntry>,
    check_in: ServerAction<CheckIn>,
    delete: ServerAction<DeleteRegistration>,
) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p>{t(Msg::DeskNobody)}</p> }.into_any();
    }
    view! {
        <table class="data-table">
            <caption class="visually-hidden">{t(Msg::DeskListCaption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(Msg::LabelName)}</th>
                    <th scope="col">{t(Msg::RegistrationOrganisation)}</th>
                    <th scope="col">{t(Msg::DeskState)}</th>
                    <th scope="col"><span class="visually-hidden">{t(Msg::DeskAction)}</span></th>
                </tr>
            </thead>
            <tbody>
                {entries.into_iter().map(|entry| {
                    let slug = slug.clone();
                    let state = if entry.present {
                        Msg::DeskStatePresent
                    } else if entry.left {
                        Msg::DeskStateLeft
                    } else {
                        Msg::DeskStateExpected
                    };
                    let (label, present) = if entry.present {
                        (Msg::DeskCheckOut, "false")
                    } else {
                        (Msg::DeskCheckIn, "true")
                    };
                    let check_aria = format!("{}: {}", t(label), entry.person_name);
                    // A summary takes its name from its text, not from aria-label.
                    let delete_name = format!(": {}", entry.person_name);
                    let confirm_aria = format!("{}: {}", t(Msg::DeskDeleteConfirm), entry.person_name);
                    let delete_slug = slug.clone();
                    view! {
                        <tr>
                            <th scope="row">{entry.person_name.clone()}</th>
                            <td>{entry.organisation}</td>
                            <td>{t(state)}</td>
                            <td>
                                <ActionForm action=check_in attr:class="inline-form">
                                    <input type="hidden" name="slug" value=slug/>
                                    <input type="hidden" name="id" value=entry.id/>
                                    <input type="hidden" name="present" value=present/>
                                    <button type="submit" class="button button--small" aria-label=check_aria>
                                        {t(label)}
                                    </button>
                                </ActionForm>
                                // A second step, so a slip of the finger deletes nothing.
                                <details class="inline-details">
                                    <summary>{t(Msg::DeskDelete)} <span class="visually-hidden">{delete_name}</span></summary>
                                    <ActionForm action=delete attr:class="inline-form">
                                        <input type="hidden" name="slug" value=delete_slug/>
                                        <input type="hidden" name="id" value=entry.id/>
                                        <button type="submit" class="button button--small button--danger" aria-label=confirm_aria>
                                            {t(Msg::DeskDeleteConfirm)}
                                        </button>
                                    </ActionForm>
                                </details>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
