//! `/veranstaltungen/:slug/konsole`: the organisers run the rounds. They plan the next round from
//! the people in the room, start, pause and end its clock, swap seats, seat latecomers, and see
//! every round's table plan; the projector and the phones follow over the live socket.

use super::live_feed::{use_live, Countdown, LiveStatus};
use super::param;
use crate::domain::event::EventFormat;
use crate::domain::live::{RoundCommand, RoundPhase};
use crate::domain::slug::Slug;
use crate::events::api::{
    console, ControlRound, LockRound, PlanEvening, PlanRound, ScheduleAll, SeatLatecomers,
    SwapSeats,
};
use crate::events::{Console, LiveState, RoundView, Seated, SlotPlan};
use crate::guard::ORGANIZERS;
use crate::i18n::{t, Msg};
use crate::ui::Page;
use crate::ui::{action_error, FormError, Loaded};
use leptos::prelude::*;

#[component]
pub fn ConsolePage() -> impl IntoView {
    view! {
        <Page title=Msg::ConsoleTitle access=ORGANIZERS>
            <ConsoleContent/>
        </Page>
    }
}

#[component]
fn ConsoleContent() -> impl IntoView {
    let slug = param("slug");
    let feed = use_live(slug.into());
    let plan = ServerAction::<PlanRound>::new();
    let control = ServerAction::<ControlRound>::new();
    let swap = ServerAction::<SwapSeats>::new();
    let latecomers = ServerAction::<SeatLatecomers>::new();
    let schedule = ServerAction::<ScheduleAll>::new();
    let evening = ServerAction::<PlanEvening>::new();
    let lock = ServerAction::<LockRound>::new();
    let overview = Resource::new(
        move || {
            (
                slug.get(),
                feed.changes.get(),
                (
                    plan.version().get(),
                    evening.version().get(),
                    lock.version().get(),
                ),
                control.version().get(),
                swap.version().get(),
                latecomers.version().get(),
                schedule.version().get(),
            )
        },
        |(slug, ..)| console(Slug::from(slug)),
    );
    view! {
        <p class="lead">{t(Msg::ConsoleLead)}</p>
        <LiveStatus feed/>
        <FormError error=action_error(plan)/>
        <FormError error=action_error(control)/>
        <FormError error=action_error(swap)/>
        <FormError error=action_error(latecomers)/>
        <FormError error=action_error(schedule)/>
        <FormError error=action_error(evening)/>
        <FormError error=action_error(lock)/>
        <Loaded resource=overview ready=move |overview: Console| {
            let Console { slug, title, live, rounds, waiting, format, slots } = overview;
            let state = Signal::derive({
                let live = live.clone();
                move || feed.current(Some(live.clone())).unwrap_or_else(|| live.clone())
            });
            let round = Signal::derive(move || state.get().round);
            let current = live.round.map(|r| r.number);
            let open_round = rounds
                .iter()
                .find(|r| live.round.is_some_and(|l| l.number == r.number && l.phase != RoundPhase::Ended))
                .cloned();
            // Rounds after the current one: the plan ahead, shown collapsed, oldest first.
            let (mut coming, held): (Vec<RoundView>, Vec<RoundView>) = rounds
                .into_iter()
                .partition(|r| current.is_some_and(|c| r.number > c));
            coming.reverse();
            let planned = coming.len() + held.len();
            let controls = RoundOptions {
                planned: planned as u32,
                coming: !coming.is_empty(),
            };
            view! {
                <nav class="toolbar" aria-label=t(Msg::ConsoleTools)>
                    <a href=format!("/veranstaltungen/{slug}")>{title}</a>
                    <a href=format!("/veranstaltungen/{slug}/leinwand") target="_blank">{t(Msg::ScreenTitle)}</a>
                    <a href=format!("/veranstaltungen/{slug}/einlass")>{t(Msg::DeskTitle)}</a>
                    <a href=format!("/veranstaltungen/{slug}/tischplan")>{t(Msg::TablePlanTitle)}</a>
                    <a href=format!("/veranstaltungen/{slug}/bericht")>{t(Msg::EventReportTitle)}</a>
                </nav>
                {slots.map(|plan| view! { <Slots slug=slug.clone() plan schedule/> })}
                {(format == EventFormat::Rounds).then(|| view! {
                <section class="panel console-clock" aria-label=t(Msg::ConsoleClock)>
                    <Countdown feed round/>
                    <dl class="stats">
                        <div><dt>{t(Msg::DeskPresent)}</dt><dd>{move || state.get().present}</dd></div>
                        <div><dt>{t(Msg::ConsoleRoundsDone)}</dt><dd>{planned} " / " {live.rounds_total}</dd></div>
                    </dl>
                    <RoundControls slug=slug.clone() live=live.clone() options=controls plan evening control/>
                </section>
                })}
                {open_round.map(|round| view! {
                    <Seating slug=slug.clone() round waiting swap latecomers/>
                })}
                {(!coming.is_empty()).then(|| view! {
                    <ComingRounds slug=slug.clone() rounds=coming lock/>
                })}
                {if held.is_empty() && format == EventFormat::Rounds {
                    view! { <p>{t(Msg::ConsoleNoRounds)}</p> }.into_any()
                } else {
                    held.into_iter().map(|round| {
                        let lock_form = (round.phase == RoundPhase::Planned).then(|| view! {
                            <LockForm slug=slug.clone() number=round.number locked=round.locked lock/>
                        });
                        view! { {lock_form} <RoundPlan round/> }
                    }).collect_view().into_any()
                }}
            }
        }/>
    }
}

/// Bookable slots: where the requests stand, "schedule all", and the booked meetings.
#[component]
fn Slots(slug: String, plan: SlotPlan, schedule: ServerAction<ScheduleAll>) -> impl IntoView {
    let placed =
        move || {
            schedule.value().get().and_then(Result::ok).map(|(placed, unplaced)| view! {
            <p class="notice" role="status">
                {format!("{placed} {}", t(Msg::SlotsPlaced))}
                {(unplaced > 0).then(|| format!(" {unplaced} {}", t(Msg::SlotsUnplaced)))}
            </p>
        })
        };
    view! {
        <section class="panel" aria-labelledby="termine">
            <h2 id="termine">{t(Msg::SlotsTitle)}</h2>
            <dl class="stats">
                <div><dt>{t(Msg::SlotsOpen)}</dt><dd>{plan.open}</dd></div>
                <div><dt>{t(Msg::SlotsWaiting)}</dt><dd>{plan.waiting}</dd></div>
                <div><dt>{t(Msg::SlotsBooked)}</dt><dd>{plan.booked.len()}</dd></div>
                <div><dt>{t(Msg::RequestDeclined)}</dt><dd>{plan.declined}</dd></div>
            </dl>
            {placed}
            <ActionForm action=schedule attr:class="inline-form">
                <input type="hidden" name="slug" value=slug/>
                <button type="submit" class="button">{t(Msg::SlotsScheduleAll)}</button>
            </ActionForm>
            {(!plan.booked.is_empty()).then(|| view! {
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{t(Msg::SlotsTime)}</th>
                        <th scope="col">{t(Msg::ConsoleTable)}</th>
                        <th scope="col">{t(Msg::MyMeetingWith)}</th>
                    </tr></thead>
                    <tbody>
                        {plan.booked.into_iter().map(|booked| view! {
                            <tr>
                                <td>{booked.place.time.clone()}</td>
                                <td>{booked.place.table.with_area()}</td>
                                <td>{booked.people.iter().map(Seated::display_name).collect::<Vec<_>>().join(" · ")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}

/// What the round buttons need besides the live state.
#[derive(Clone, Copy)]
struct RoundOptions {
    /// Rounds planned so far, held or ahead.
    planned: u32,
    /// Whether rounds after the current one are planned.
    coming: bool,
}

/// The buttons that fit the current round's phase.
#[component]
fn RoundControls(
    slug: String,
    live: LiveState,
    options: RoundOptions,
    plan: ServerAction<PlanRound>,
    evening: ServerAction<PlanEvening>,
    control: ServerAction<ControlRound>,
) -> impl IntoView {
    let phase = live.round.map(|r| r.phase);
    let more_rounds = live.round.map_or(0, |r| r.number) < live.rounds_total;
    let command = |command: RoundCommand, label: Msg, primary: bool| {
        let slug = slug.clone();
        view! {
            <ActionForm action=control attr:class="inline-form">
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="command" value=command.code()/>
                <button type="submit" class=if primary { "button" } else { "button button--secondary" }>{t(label)}</button>
            </ActionForm>
        }
    };
    let plan_form = |again: bool, label: Msg| {
        let slug = slug.clone();
        view! {
            <ActionForm action=plan attr:class="inline-form">
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="again" value=again.to_string()/>
                <button type="submit" class=if again { "button button--secondary" } else { "button" }>{t(label)}</button>
            </ActionForm>
        }
    };
    let evening_form = (options.planned < live.rounds_total).then(|| {
        let slug = slug.clone();
        view! {
            <ActionForm action=evening attr:class="inline-form">
                <input type="hidden" name="slug" value=slug/>
                <button type="submit" class="button button--secondary">{t(Msg::ConsolePlanEvening)}</button>
            </ActionForm>
        }
    });
    let buttons = match phase {
        None | Some(RoundPhase::Ended) if more_rounds => {
            plan_form(false, Msg::ConsolePlan).into_any()
        }
        None | Some(RoundPhase::Ended) => view! { <p>{t(Msg::ConsoleAllDone)}</p> }.into_any(),
        Some(RoundPhase::Planned) => view! {
            {command(RoundCommand::Start, Msg::ConsoleStart, true)}
            {plan_form(true, Msg::ConsolePlanAgain)}
        }
        .into_any(),
        Some(RoundPhase::Running) => view! {
            {command(RoundCommand::Pause, Msg::ConsolePause, false)}
            {command(RoundCommand::End, Msg::ConsoleEnd, true)}
            {options.coming.then(|| plan_form(true, Msg::ConsolePlanAgain))}
        }
        .into_any(),
        Some(RoundPhase::Paused) => view! {
            {command(RoundCommand::Resume, Msg::ConsoleResume, true)}
            {command(RoundCommand::End, Msg::ConsoleEnd, false)}
            {options.coming.then(|| plan_form(true, Msg::ConsolePlanAgain))}
        }
        .into_any(),
    };
    view! { <div class="button-row">{buttons}{evening_form}</div> }
}

/// Locks a round that has not started, or lifts the lock.
#[component]
fn LockForm(
    slug: String,
    number: u32,
    locked: bool,
    lock: ServerAction<LockRound>,
) -> impl IntoView {
    let label = if locked {
        Msg::ConsoleUnlock
    } else {
        Msg::ConsoleLock
    };
    view! {
        <ActionForm action=lock attr:class="inline-form lock-form">
            <input type="hidden" name="slug" value=slug/>
            <input type="hidden" name="number" value=number.to_string()/>
            <input type="hidden" name="locked" value=(!locked).to_string()/>
            <button type="submit" class="button button--secondary" aria-label=format!("{} {number}: {}", t(Msg::ConsoleRound), t(label))>
                {t(label)}
            </button>
            {locked.then(|| view! { <span class="muted">" " {t(Msg::ConsoleLockedNote)}</span> })}
        </ActionForm>
    }
}

/// The rounds planned ahead: collapsed, names only, each lockable.
#[component]
fn ComingRounds(
    slug: String,
    rounds: Vec<RoundView>,
    lock: ServerAction<LockRound>,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="kommende-runden">
            <h2 id="kommende-runden">{t(Msg::ConsoleComing)}</h2>
            <p class="muted">{t(Msg::ConsoleComingNote)}</p>
            {rounds.into_iter().map(|round| {
                let summary = format!(
                    "{} {} · {} {}{}",
                    t(Msg::ConsoleRound),
                    round.number,
                    round.tables.len(),
                    t(Msg::ConsoleMeetings),
                    if round.locked { format!(" · {}", t(Msg::ConsoleLocked)) } else { String::new() },
                );
                view! {
                    <div class="coming-round">
                        <LockForm slug=slug.clone() number=round.number locked=round.locked lock/>
                        <details>
                            <summary>{summary}</summary>
                            <RoundTable round/>
                        </details>
                    </div>
                }
            }).collect_view()}
        </section>
    }
}

/// Changes to the open round: two people swap places; latecomers get the free tables.
#[component]
fn Seating(
    slug: String,
    round: RoundView,
    waiting: Vec<Seated>,
    swap: ServerAction<SwapSeats>,
    latecomers: ServerAction<SeatLatecomers>,
) -> impl IntoView {
    let mut everyone: Vec<(i64, String)> = round
        .tables
        .iter()
        .flat_map(|table| {
            table
                .people
                .iter()
                .map(move |p| (p.id, format!("{} · {}", p.display_name(), table.name)))
        })
        .chain(
            round
                .resting
                .iter()
                .map(|(p, rest)| (p.id, format!("{} · {}", p.display_name(), t(rest.label())))),
        )
        .chain(waiting.iter().map(|p| {
            (
                p.id,
                format!("{} · {}", p.display_name(), t(Msg::ConsoleWaiting)),
            )
        }))
        .collect();
    everyone.sort_by_cached_key(|(_, label)| label.to_lowercase());
    let options = move || {
        everyone
            .iter()
            .map(|(id, label)| view! { <option value=id.to_string()>{label.clone()}</option> })
            .collect_view()
    };
    let first_options = options.clone();
    let slug_for_latecomers = slug.clone();
    view! {
        <section class="panel" aria-labelledby="sitzplaetze">
            <h2 id="sitzplaetze">{t(Msg::ConsoleSeating)}</h2>
            {(!waiting.is_empty()).then(|| view! {
                <h3>{t(Msg::ConsoleWaitingHeading)}</h3>
                <ul>{waiting.iter().map(|p| view! { <li>{p.display_name()}</li> }).collect_view()}</ul>
                <ActionForm action=latecomers attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug_for_latecomers/>
                    <button type="submit" class="button">{t(Msg::ConsoleSeatLatecomers)}</button>
                </ActionForm>
            })}
            <ActionForm action=swap attr:class="swap-form">
                <input type="hidden" name="slug" value=slug/>
                <label for="tausch-erste">{t(Msg::ConsoleSwapFirst)}</label>
                <select id="tausch-erste" name="first" required>{first_options()}</select>
                <label for="tausch-zweite">{t(Msg::ConsoleSwapSecond)}</label>
                <select id="tausch-zweite" name="second" required>{options()}</select>
                <button type="submit" class="button button--secondary">{t(Msg::ConsoleSwap)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub(super) fn RoundPlan(round: RoundView) -> impl IntoView {
    let heading = format!("{} {}", t(Msg::ConsoleRound), round.number);
    let id = format!("runde-{}", round.number);
    let labelled_by = id.clone();
    view! {
        <section aria-labelledby=labelled_by class="panel round-plan">
            <h2 id=id>{heading}</h2>
            <RoundTable round/>
        </section>
    }
}

/// A round's tables with who sits there, and who has no meeting.
#[component]
fn RoundTable(round: RoundView) -> impl IntoView {
    view! {
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
                        <th scope="row">
                            {table.name.clone()}
                            {(!table.area.is_empty()).then(|| view! { <span class="muted">" · " {table.area.clone()}</span> })}
                        </th>
                        <td>{table.people.iter().map(Seated::display_name).collect::<Vec<_>>().join(" · ")}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {(!round.resting.is_empty()).then(|| view! {
            <h3>{t(Msg::ConsoleResting)}</h3>
            <ul>
                {round.resting.into_iter().map(|(person, rest)| view! {
                    <li>{person.display_name()} ": " {t(rest.label())}</li>
                }).collect_view()}
            </ul>
        })}
    }
}
