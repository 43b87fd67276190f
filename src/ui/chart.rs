//! A bar chart in HTML: text stays text at every width (an SVG stretched to its box squeezes
//! or smears its labels), the axis says what a bar's height means, and the values are also
//! there as a table for anyone who wants the exact numbers.

use crate::i18n::{t, Msg};
use leptos::prelude::*;

/// So the labels of a phone-wide chart never run into each other: about this many characters
/// of labels fit on one line.
const LABEL_CHARS_PER_LINE: usize = 28;

/// Which bars carry a visible label: every `step`-th one, counted from the last (the latest
/// period is the one people look for), so the labels shown fit on one line.
pub fn label_step(count: usize, longest_label: usize) -> usize {
    (count * (longest_label + 1))
        .div_ceil(LABEL_CHARS_PER_LINE)
        .max(1)
}

/// A rounded top for the axis, so its marks are round numbers: 1, 2, 5 × a power of ten.
pub fn axis_top(max: u32) -> u32 {
    let mut scale = 1u32;
    loop {
        for step in [1, 2, 5] {
            let top = step * scale;
            if top >= max {
                return top;
            }
        }
        scale = scale.saturating_mul(10);
    }
}

#[component]
pub fn BarChart(
    /// Label and value of each bar, in order.
    bars: Vec<(String, u32)>,
    /// What the chart shows, for its caption and the table.
    caption: Msg,
    /// The bar to highlight (e.g. the year the playback shows).
    #[prop(optional, into)]
    current: Option<Signal<Option<usize>>>,
) -> impl IntoView {
    let count = bars.len();
    let top = axis_top(bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1));
    let longest = bars
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(1);
    let step = label_step(count, longest);
    let rows = bars.clone();
    view! {
        <figure class="chart">
            <figcaption class="visually-hidden">{t(caption)}</figcaption>
            <div class="chart__plot" aria-hidden="true">
                <div class="chart__axis">
                    <span>{top}</span>
                    <span>{top / 2}</span>
                    <span>"0"</span>
                </div>
                <ol class="chart__bars">
                    {bars.into_iter().enumerate().map(|(i, (label, value))| {
                        let labelled = (count - 1 - i).is_multiple_of(step);
                        let is_current = move || current.is_some_and(|c| c.get() == Some(i));
                        let title = format!("{label}: {value}");
                        view! {
                            <li class="chart__bar" class:chart__bar--current=is_current title=title>
                                <span class="chart__fill" style=format!("height: {:.1}%", f64::from(value) * 100.0 / f64::from(top))></span>
                                <span class="chart__label" class:chart__label--hidden=!labelled>{label}</span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </div>
            <details class="chart__table">
                <summary>{t(Msg::ChartValues)}</summary>
                <table class="data-table">
                    <caption class="visually-hidden">{t(caption)}</caption>
                    <tbody>
                        {rows.into_iter().map(|(label, value)| view! {
                            <tr><th scope="row">{label}</th><td class="num">{value}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_and_cover_the_maximum() {
        for (max, top) in [
            (1, 1),
            (3, 5),
            (7, 10),
            (11, 20),
            (48, 50),
            (51, 100),
            (999, 1000),
        ] {
            assert_eq!(axis_top(max), top, "{max}");
        }
    }

    #[test]
    fn labels_fit_one_line() {
        assert_eq!(label_step(5, 4), 1, "five years fit");
        let step = label_step(21, 4);
        assert!(
            21usize.div_ceil(step) * 5 <= LABEL_CHARS_PER_LINE + 5,
            "{step}"
        );
        assert!(
            label_step(40, 7) > label_step(40, 4),
            "longer labels, fewer of them"
        );
    }
}
