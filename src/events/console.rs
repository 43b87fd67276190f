//! `/veranstaltungen/:slug/konsole`: the organisers plan the next round from the people in the
//! room and see every round's table plan.

use super::api::{console, PlanRound};
use super::{Console, RoundView, Seated};
use crate::domain::meeting::Rest;
use crate::guard::ORGANIZERS;
use crate::i18n::{t, Msg};
use crate::ui::{action_error, FormError, Loaded, Restricted};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

pub(super) fn rest_label(rest: Rest) -> Msg {
    match rest {
        Rest::Bye => Msg::RestBye,
        Rest::NoPartner => Msg::RestNoPartner,
        Rest::NoTable => Msg::RestNoTable,
    }
}

/// "Name (Organisation)".
pub(super) fn seated_name(person: &Seated) -> String {
    format!("{} ({})", person.person_name, person.organisation)
}

#[component]
pub fn ConsolePage() -> impl IntoView {
    view! {
        <Title text=t(Msg::ConsoleTitle)/>
        <h1>{t(Msg::ConsoleTitle)}</h1>
        <Restricted access=ORGANIZERS>
            <ConsoleContent/>
        </Restricted>
    }
}

#[component]
fn ConsoleContent() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let plan = ServerAction::<PlanRound>::new();
    let error = action_error(plan);
    let overview = Resource::new(
        move || (slug.get(), plan.version().get()),
        |(slug, _)| console(slug),
    );
    view! {
        <p class="lead">{t(Msg::ConsoleLead)}</p>
        <FormError error/>
        <Loaded resource=overview ready=move |overview: Console| {
            let Console { slug, title, rounds_total, present, rounds, .. } = overview;
            view! {
                <p><a href=format!("/veranstaltungen/{slug}")>{title}</a></p>
                <dl class="stats" aria-live="polite">
                    <div><dt>{t(Msg::DeskPresent)}</dt><dd>{present}</dd></div>
                    <div><dt>{t(Msg::ConsoleRoundsDone)}</dt><dd>{rounds.len()} " / " {rounds_total}</dd></div>
                </dl>
                <ActionForm action=plan attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug/>
                    <button type="submit" class="button">{t(Msg::ConsolePlan)}</button>
                </ActionForm>
                {if rounds.is_empty() {
                    view! { <p>{t(Msg::ConsoleNoRounds)}</p> }.into_any()
                } else {
                    rounds.into_iter().map(|round| view! { <RoundPlan round/> }).collect_view().into_any()
                }}
            }
        }/>
    }
}

#[component]
fn RoundPlan(round: RoundView) -> impl IntoView {
    let heading = format!("{} {}", t(Msg::ConsoleRound), round.number);
    let id = format!("runde-{}", round.number);
    let labelled_by = id.clone();
    view! {
        <section aria-labelledby=labelled_by class="panel">
            <h2 id=id>{heading}</h2>
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::ConsoleTable)}</th>
                        <th scope="col">{t(Msg::MyMeetingWith)}</th>
                    </tr>
                </thead>
                <tbody>
                    {round.tables.into_iter().map(|table| view! {
                        <tr>
                            <th scope="row">{table.table}</th>
                            <td>{table.people.iter().map(seated_name).collect::<Vec<_>>().join(" · ")}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!round.resting.is_empty()).then(|| view! {
                <h3>{t(Msg::ConsoleResting)}</h3>
                <ul>
                    {round.resting.into_iter().map(|(person, rest)| view! {
                        <li>{seated_name(&person)} ": " {t(rest_label(rest))}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
