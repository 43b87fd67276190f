//! The event form's two larger parts: the room's tables as groups, and the pairing rules.

use crate::domain::actor::ActorKind;
use crate::domain::event::{SEATS, SERIES_MAX, TABLES};
use crate::domain::meeting::{KindPreferences, MatchRulesInput, WEIGHT_LEVELS};
use crate::domain::tables::{TableGroupInput, AREA_MAX, TABLE_LABEL_MAX};
use crate::error::AppError;
use crate::i18n::{t, use_locale, Msg};
use crate::ui::FieldError;
use leptos::prelude::*;

/// Every problem the server named for `field`, each in its own paragraph.
fn problems_of(
    error: Signal<Option<AppError>>,
    field: &'static str,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static {
    let locale = use_locale();
    move || {
        let texts: Vec<String> = error
            .get()?
            .problems()
            .into_iter()
            .filter(|(name, _)| *name == field)
            .map(|(_, problem)| problem.text(locale))
            .collect();
        (!texts.is_empty()).then(|| {
            view! {
                <div id=format!("feld-{field}-fehler")>
                    {texts.into_iter().map(|text| view! { <p class="field__error">{text}</p> }).collect_view()}
                </div>
            }
            .into_any()
        })
    }
}

/// The table list: one row per group of alike tables; rows can be added and removed. Rows are
/// named by a running id, so removing one keeps the others' typed values; the server reads them
/// in order.
#[component]
pub(super) fn TablePlanFields(
    rows: Vec<TableGroupInput>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let mut rows: Vec<(usize, TableGroupInput)> = rows.into_iter().enumerate().collect();
    if rows.is_empty() {
        rows.push((0, TableGroupInput::default()));
    }
    let next_id = StoredValue::new(rows.len());
    let rows = RwSignal::new(rows);
    let add = move |_| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        rows.update(|rows| rows.push((id, TableGroupInput::default())));
    };
    let invalid = move || {
        error
            .get()
            .is_some_and(|e| e.problem_for("tables").is_some())
    };
    view! {
        <fieldset class="table-plan" aria-describedby="feld-tables-hilfe feld-tables-fehler"
            aria-invalid=move || invalid().to_string()>
            <legend>{t(Msg::EventTablesLegend)}</legend>
            <p class="field__help" id="feld-tables-hilfe">{t(Msg::EventTablesHelp)}</p>
            <For each=move || rows.get() key=|(id, _)| *id let:row>
                <TableGroupRow id=row.0 values=row.1 rows/>
            </For>
            <button type="button" class="button button--secondary" on:click=add>
                {t(Msg::EventTableAdd)}
            </button>
            {problems_of(error, "tables")}
        </fieldset>
    }
}

#[component]
fn TableGroupRow(
    id: usize,
    values: TableGroupInput,
    rows: RwSignal<Vec<(usize, TableGroupInput)>>,
) -> impl IntoView {
    let position = move || {
        rows.with(|rows| rows.iter().position(|(row, _)| *row == id))
            .map_or(0, |index| index + 1)
    };
    let legend = move || format!("{} {}", t(Msg::EventTableGroup), position());
    let remove = move |_| rows.update(|rows| rows.retain(|(row, _)| *row != id));
    let field = |name: &'static str, label: Msg, value: String, kind: &'static str| {
        let input_id = format!("tische-{id}-{name}");
        let (min, max, maxlength) = match name {
            "count" => (Some(TABLES.0), Some(TABLES.1), None),
            "seats" => (Some(SEATS.0), Some(SEATS.1), None),
            "label" => (None, None, Some(TABLE_LABEL_MAX)),
            _ => (None, None, Some(AREA_MAX)),
        };
        view! {
            <div class="field">
                <label for=input_id.clone()>{t(label)}</label>
                <input id=input_id type=kind name=format!("event[tables][{id}][{name}]") value=value
                    min=min.map(|n| n.to_string()) max=max.map(|n| n.to_string())
                    maxlength=maxlength.map(|n| n.to_string())/>
            </div>
        }
    };
    view! {
        <fieldset class="table-group">
            <legend>{legend}</legend>
            <div class="form--row">
                {field("label", Msg::EventTableLabel, values.label, "text")}
                {field("count", Msg::EventTables, values.count, "number")}
                {field("seats", Msg::EventSeats, values.seats, "number")}
                {field("area", Msg::EventTableArea, values.area, "text")}
            </div>
            <button type="button" class="button button--small button--secondary" on:click=remove
                disabled=move || rows.with(|rows| rows.len() < 2)
                aria-label=move || format!("{} {}", legend(), t(Msg::EventTableRemove))>
                {t(Msg::EventTableRemove)}
            </button>
        </fieldset>
    }
}

/// The pairing rules: how much wishes, topics and free text count, must-meets, colleagues, the
/// series and "not again", and the points of each pairing of kinds.
#[component]
pub(super) fn RulesFields(
    rules: MatchRulesInput,
    series: String,
    series_options: Vec<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let weight = |name: &'static str, label: Msg, value: String| {
        let id = format!("feld-{name}");
        let levels = [
            Msg::WeightOff,
            Msg::WeightHalf,
            Msg::WeightNormal,
            Msg::WeightDouble,
            Msg::WeightTriple,
        ];
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <select id=id name=format!("event[rules][{name}]")>
                    {WEIGHT_LEVELS.into_iter().zip(levels).map(|(level, text)| {
                        let level = level.to_string();
                        view! { <option value=level.clone() selected=value == level>{t(text)}</option> }
                    }).collect_view()}
                </select>
                <FieldError error field=name/>
            </div>
        }
    };
    let check = |name: &'static str, label: Msg, checked: bool| {
        view! {
            <label class="check">
                <input type="checkbox" name=format!("event[rules][{name}]") value="on" checked=checked/>
                {t(label)}
            </label>
        }
    };
    let kinds = rules.kinds.clone();
    view! {
        <fieldset class="rules">
            <legend>{t(Msg::EventRulesLegend)}</legend>
            <p class="field__help">{t(Msg::EventRulesHelp)}</p>
            <div class="form--row">
                {weight("wishes", Msg::EventWeightWishes, rules.wishes)}
                {weight("topics", Msg::EventWeightTopics, rules.topics)}
                {weight("text", Msg::EventWeightText, rules.text)}
            </div>
            <div class="checks">
                {check("must_meets", Msg::EventMustMeets, rules.must_meets.is_some())}
                {check("same_organisation_never", Msg::EventSameOrganisation, rules.same_organisation_never.is_some())}
            </div>
            <div class="field">
                <label for="feld-series">{t(Msg::EventSeries)}</label>
                <input id="feld-series" name="event[series]" type="text" value=series list="reihen"
                    maxlength=SERIES_MAX.to_string() aria-describedby="feld-series-hilfe"/>
                <datalist id="reihen">
                    {series_options.into_iter().map(|name| view! { <option value=name/> }).collect_view()}
                </datalist>
                <p class="field__help" id="feld-series-hilfe">{t(Msg::EventSeriesHelp)}</p>
                <FieldError error field="series"/>
            </div>
            <div class="checks">
                {check("not_again", Msg::EventNotAgain, rules.not_again.is_some())}
            </div>
            <fieldset class="kind-weights" aria-describedby="feld-kinds-hilfe">
                <legend>{t(Msg::EventKindsLegend)}</legend>
                <p class="field__help" id="feld-kinds-hilfe">{t(Msg::EventKindsHelp)}</p>
                <div class="kind-weights__grid">
                    {KindPreferences::pairings().map(|(a, b)| {
                        let code = KindPreferences::pairing_code(a, b);
                        let id = format!("paarung-{code}");
                        let value = kinds.get(&code).cloned().unwrap_or_else(|| "0".into());
                        view! {
                            <div class="field">
                                <label for=id.clone()>{pairing_label(a, b)}</label>
                                <input id=id type="number" min="0" max=KindPreferences::MAX_POINTS.to_string()
                                    name=format!("event[rules][kinds][{code}]") value=value/>
                            </div>
                        }
                    }).collect_view()}
                </div>
                {problems_of(error, "kinds")}
            </fieldset>
        </fieldset>
    }
}

/// "Mittelstand × Startup".
fn pairing_label(a: ActorKind, b: ActorKind) -> String {
    format!("{} × {}", t(a.label()), t(b.label()))
}
