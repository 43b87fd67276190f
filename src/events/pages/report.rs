//! After the event: `/veranstaltungen/:slug/bericht` (figures, follow-ups to confirm as map
//! connections, the CSV) and `/veranstaltungen/:slug/tischplan` (every round's tables, printable).

use super::console::RoundPlan;
use super::param;
use crate::domain::actor::ActorKind;
use crate::domain::slug::Slug;
use crate::events::api::{console, report, AssignOrganisation, ConfirmFollowUp};
use crate::events::{Console, EventReport, UnmatchedOrganisation};
use crate::guard::ORGANIZERS;
use crate::i18n::{t, Msg};
use crate::ui::Page;
use crate::ui::{action_error, FormError, Loaded};
use leptos::prelude::*;

fn kind_label(kind: Option<ActorKind>) -> &'static str {
    kind.map_or(t(Msg::ReportKindUnknown), |kind| t(kind.label()))
}

#[component]
pub fn ReportPage() -> impl IntoView {
    view! {
        <Page title=Msg::EventReportTitle access=ORGANIZERS>
            <ReportContent/>
        </Page>
    }
}

#[component]
fn ReportContent() -> impl IntoView {
    let slug = param("slug");
    let confirm = ServerAction::<ConfirmFollowUp>::new();
    let error = action_error(confirm);
    let assign = ServerAction::<AssignOrganisation>::new();
    let data = Resource::new(
        move || (slug.get(), confirm.version().get(), assign.version().get()),
        |(slug, ..)| report(Slug::from(slug)),
    );
    view! {
        <Loaded resource=data ready=move |report: EventReport| {
            let EventReport { slug, title, registered, attended, rounds_held, meetings_held, ratings,
                average_rating_tenths, one_sided, by_kind, kind_pairs, follow_ups, unmatched, .. } = report;
            let average = average_rating_tenths
                .map(|tenths| format!("{},{}", tenths / 10, tenths % 10))
                .unwrap_or_else(|| "–".to_owned());
            view! {
                <p class="lead"><a href=format!("/veranstaltungen/{slug}")>{title}</a></p>
                <dl class="stats">
                    <div><dt>{t(Msg::DeskRegistered)}</dt><dd>{registered}</dd></div>
                    <div><dt>{t(Msg::ReportAttended)}</dt><dd>{attended}</dd></div>
                    <div><dt>{t(Msg::ReportRoundsHeld)}</dt><dd>{rounds_held}</dd></div>
                    <div><dt>{t(Msg::ReportMeetingsHeld)}</dt><dd>{meetings_held}</dd></div>
                    <div><dt>{t(Msg::ReportAverage)}</dt><dd>{average} " (" {ratings} ")"</dd></div>
                    <div><dt>{t(Msg::ReportMutual)}</dt><dd>{follow_ups.len()}</dd></div>
                    <div><dt>{t(Msg::ReportOneSided)}</dt><dd>{one_sided}</dd></div>
                </dl>
                <p><a class="button button--secondary" href=format!("/veranstaltungen/{slug}/bericht/csv") download>{t(Msg::ReportCsv)}</a></p>
                <section aria-labelledby="nach-art">
                    <h2 id="nach-art">{t(Msg::EventReportByKind)}</h2>
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">{t(Msg::ColKind)}</th>
                            <th scope="col">{t(Msg::DeskRegistered)}</th>
                            <th scope="col">{t(Msg::ReportAttended)}</th>
                            <th scope="col">{t(Msg::ReportMeetingsHeld)}</th>
                        </tr></thead>
                        <tbody>
                            {by_kind.into_iter().map(|row| view! {
                                <tr>
                                    <th scope="row">{kind_label(row.kind)}</th>
                                    <td>{row.registered}</td>
                                    <td>{row.attended}</td>
                                    <td>{row.meetings}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {(!kind_pairs.is_empty()).then(|| view! {
                        <h3>{t(Msg::ReportKindPairs)}</h3>
                        <ul>
                            {kind_pairs.into_iter().map(|(a, b, count)| view! {
                                <li>{format!("{} × {}: {count}", kind_label(a), kind_label(b))}</li>
                            }).collect_view()}
                        </ul>
                    })}
                </section>
                <Unmatched slug=slug.clone() organisations=unmatched assign/>
                <section aria-labelledby="folgekontakte">
                    <h2 id="folgekontakte">{t(Msg::ReportFollowUps)}</h2>
                    <p>{t(Msg::ReportFollowUpsLead)}</p>
                    <FormError error/>
                    {if follow_ups.is_empty() {
                        view! { <p>{t(Msg::ReportNoFollowUps)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="follow-ups">
                                {follow_ups.into_iter().map(|follow_up| {
                                    let label = format!("{} {}: {} × {}", t(Msg::ConsoleRound), follow_up.round,
                                        follow_up.first.display_name(), follow_up.second.display_name());
                                    let slug = slug.clone();
                                    view! {
                                        <li>
                                            {label}
                                            {if follow_up.confirmed {
                                                view! { <span class="badge">{t(Msg::ReportConfirmed)}</span> }.into_any()
                                            } else {
                                                view! {
                                                    <ActionForm action=confirm attr:class="inline-form">
                                                        <input type="hidden" name="slug" value=slug/>
                                                        <input type="hidden" name="first" value=follow_up.first.id.to_string()/>
                                                        <input type="hidden" name="second" value=follow_up.second.id.to_string()/>
                                                        <button type="submit" class="button button--secondary">{t(Msg::ReportConfirm)}</button>
                                                    </ActionForm>
                                                }.into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }
        }/>
    }
}

/// Registered organisations the map does not know by name, each with the actors it most likely
/// is: the organiser confirms one, so follow-ups connect it instead of adding a second actor.
#[component]
fn Unmatched(
    slug: String,
    organisations: Vec<UnmatchedOrganisation>,
    assign: ServerAction<AssignOrganisation>,
) -> impl IntoView {
    let error = action_error(assign);
    (!organisations.is_empty()).then(|| view! {
        <section aria-labelledby="ohne-karte">
            <h2 id="ohne-karte">{t(Msg::ReportUnmatched)}</h2>
            <p>{t(Msg::ReportUnmatchedLead)}</p>
            <FormError error/>
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{t(Msg::RegistrationOrganisation)}</th>
                    <th scope="col">{t(Msg::ReportUnmatchedPeople)}</th>
                    <th scope="col">{t(Msg::ReportUnmatchedLikely)}</th>
                </tr></thead>
                <tbody>
                    {organisations.into_iter().map(|unmatched| {
                        let choices = if unmatched.likely.is_empty() {
                            view! { <span class="muted">{t(Msg::ReportUnmatchedNew)}</span> }.into_any()
                        } else {
                            unmatched.likely.into_iter().map(|choice| {
                                let label = format!("{} ({}, {} %)", choice.name, choice.town, choice.percent);
                                let (slug, organisation) = (slug.clone(), unmatched.organisation.clone());
                                view! {
                                    <ActionForm action=assign attr:class="inline-form">
                                        <input type="hidden" name="slug" value=slug/>
                                        <input type="hidden" name="organisation" value=organisation/>
                                        <input type="hidden" name="actor" value=choice.id.to_string()/>
                                        <button type="submit" class="button button--secondary button--small">
                                            {t(Msg::ReportAssign)} ": " {label}
                                        </button>
                                    </ActionForm>
                                }
                            }).collect_view().into_any()
                        };
                        view! {
                            <tr>
                                <th scope="row">{unmatched.organisation.clone()}</th>
                                <td>{unmatched.people}</td>
                                <td>{choices}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    })
}

#[component]
pub fn TablePlanPage() -> impl IntoView {
    view! {
        <Page title=Msg::TablePlanTitle access=ORGANIZERS>
            <TablePlanContent/>
        </Page>
    }
}

#[component]
fn TablePlanContent() -> impl IntoView {
    let slug = param("slug");
    let data = Resource::new(move || Slug::from(slug.get()), console);
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        let _ = window().print();
    };
    view! {
        <p class="no-print">
            <button type="button" class="button" on:click=print>{t(Msg::TablePlanPrint)}</button>
        </p>
        <Loaded resource=data ready=move |console: Console| {
            let Console { title, mut rounds, .. } = console;
            rounds.reverse();
            view! {
                <p class="lead">{title}</p>
                {if rounds.is_empty() {
                    view! { <p>{t(Msg::ConsoleNoRounds)}</p> }.into_any()
                } else {
                    rounds.into_iter().map(|round| view! { <RoundPlan round/> }).collect_view().into_any()
                }}
            }
        }/>
    }
}
