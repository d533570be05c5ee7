//! The reports screen (owners and admins): `section.kc-reports` with the
//! range form (`form.kc-reports-range`: `input[name=from]`, `input[name=to]`,
//! Show, and `button.kc-reports-csv` to download the days as CSV), the last
//! refusal (`.kc-reports-error`), and the report: the range and its zone
//! (`.kc-reports-span`), the figures (`.kc-figure[data-figure]`), the
//! conversations per day as an SVG bar chart (`svg.kc-chart-days`, one
//! `g.kc-day[data-date][data-conversations][data-served]` per day), the
//! ratings' distribution (`svg.kc-chart-csat`, one
//! `g.kc-stars[data-stars][data-count]` per star count) with the comments
//! (`li.kc-comment`), and the bot's share with the questions it missed
//! (`li.kc-missed`). Charts are drawn here, inline: no chart library, no CDN.

use super::clock;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::reports::{DayRange, ReportsIntent};
use crate::state::Action;
use kefu_protocol::report::{Day, Durations, Report};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// `section.kc-reports`.
#[component]
pub fn ReportsTab() -> Html {
    let console = use_console();
    let screen = &console.state.reports;
    let error = screen
        .error
        .clone()
        .map(|e| html! { <p class="kc-reports-error" role="alert">{e}</p> });
    let body = match &screen.report {
        None if screen.busy => html! { <p class="kc-empty">{i18n::t().loading}</p> },
        None => html! {},
        Some(report) => report_view(report),
    };
    html! {
        <section class="kc-reports" aria-busy={screen.busy.to_string()}>
            <h2>{i18n::t().tab_reports}</h2>
            <RangeForm />
            { for error }
            {body}
        </section>
    }
}

/// `form.kc-reports-range`: the dates the agent typed are kept by the
/// inputs; Show and the CSV read them.
#[component]
fn RangeForm() -> Html {
    let console = use_console();
    let (from, to) = (use_node_ref(), use_node_ref());
    let range = {
        let (from, to) = (from.clone(), to.clone());
        move || {
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            DayRange {
                from: value(&from),
                to: value(&to),
            }
        }
    };
    let onsubmit = {
        let (console, range) = (console.clone(), range.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            console.dispatch(Action::Reports(ReportsIntent::Range(range())));
        })
    };
    let csv = {
        let console = console.clone();
        Callback::from(move |_: MouseEvent| {
            let shown = console.state.reports.range.clone();
            // The dates typed are what the agent means, shown or not yet.
            if range() != shown {
                console.dispatch(Action::Reports(ReportsIntent::Range(range())));
            }
            console.dispatch(Action::Reports(ReportsIntent::DownloadCsv));
        })
    };
    // The inputs show the report's days once there is one.
    let shown = console.state.reports.report.as_ref();
    let from_value = shown.map(|r| r.from.clone()).unwrap_or_default();
    let to_value = shown.map(|r| r.to.clone()).unwrap_or_default();
    html! {
        <form class="kc-reports-range" {onsubmit}>
            <label>{i18n::t().reports_from}
                <input ref={from} type="date" name="from" value={from_value} />
            </label>
            <label>{i18n::t().reports_to}
                <input ref={to} type="date" name="to" value={to_value} />
            </label>
            <button type="submit" class="kc-reports-show">{i18n::t().reports_show}</button>
            <button type="button" class="kc-reports-csv" onclick={csv}>{i18n::t().reports_csv}</button>
        </form>
    }
}

fn report_view(r: &Report) -> Html {
    let t = i18n::t();
    let percent =
        |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format!("{:.0}%", v * 100.0));
    let stars = r
        .csat
        .average
        .map_or_else(|| "—".to_owned(), |a| format!("{a:.2} / 5"));
    let figures = [
        (
            "conversations",
            t.reports_conversations,
            r.totals.conversations.to_string(),
        ),
        ("queued", t.reports_queued, r.totals.queued.to_string()),
        ("served", t.reports_served, r.totals.served.to_string()),
        ("left", t.reports_left, r.totals.left_messages.to_string()),
        (
            "first-response",
            t.reports_first_response,
            spread(&r.first_response),
        ),
        ("resolution", t.reports_resolution, spread(&r.resolution)),
        (
            "csat",
            t.reports_csat,
            format!("{stars} ({})", r.csat.count),
        ),
        ("bot", t.reports_bot_rate, percent(r.bot.answer_rate)),
    ];
    let figures = figures.into_iter().map(|(key, label, value)| {
        html! {
            <div class="kc-figure" data-figure={key}>
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    });
    let comments = r.csat.comments.iter().map(|c| {
        html! {
            <li class="kc-comment" data-stars={c.stars.to_string()}>
                <span class="kc-comment-stars" aria-label={format!("{} / 5", c.stars)}>
                    {stars_text(c.stars)}
                </span>{" "}
                <q>{c.comment.clone()}</q>{" "}
                <time>{clock::when(c.time)}</time>
            </li>
        }
    });
    let missed = r.bot.missed.iter().map(|m| {
        html! {
            <li class="kc-missed">
                <q>{m.question.clone()}</q>{" "}
                <span class="kc-missed-times">{format!("×{}", m.times)}</span>
            </li>
        }
    });
    let bot_counts = format!(
        "{}: {} · {}: {} · {}: {}",
        t.reports_bot_answered,
        r.bot.answered,
        t.reports_bot_suggested,
        r.bot.suggested,
        t.reports_bot_unanswered,
        r.bot.unanswered
    );
    html! {
        <>
            <p class="kc-reports-span">
                {format!("{} – {} ", r.from, r.to)}<code>{r.time_zone.clone()}</code>
            </p>
            <dl class="kc-figures">{ for figures }</dl>
            <h3>{t.reports_per_day}</h3>
            {days_chart(&r.days)}
            <h3>{t.reports_csat}</h3>
            {csat_chart(&r.csat.distribution)}
            if r.csat.comments.is_empty() {
                <p class="kc-empty">{t.reports_no_comments}</p>
            } else {
                <ul class="kc-reports-comments">{ for comments }</ul>
            }
            <h3>{t.reports_bot}</h3>
            <p class="kc-reports-bot">{bot_counts}</p>
            if r.bot.missed.is_empty() {
                <p class="kc-empty">{t.reports_no_missed}</p>
            } else {
                <>
                    <p>{t.reports_missed}</p>
                    <ol class="kc-reports-missed">{ for missed }</ol>
                </>
            }
        </>
    }
}

/// "median · p90", or a dash when nothing was measured.
fn spread(d: &Durations) -> String {
    match (d.median_ms, d.p90_ms) {
        (Some(m), Some(p)) => format!("{} · p90 {}", i18n::duration(m), i18n::duration(p)),
        _ => "—".to_owned(),
    }
}

/// Chart geometry, in the SVG's own units (it scales to the width).
const CHART_W: u32 = 600;
const CHART_H: u32 = 160;
/// Room under the bars for the first and last day.
const AXIS_H: u32 = 18;

/// `svg.kc-chart-days`: a bar per day, its served part darker; each bar's
/// `title` says the day's numbers.
fn days_chart(days: &[Day]) -> Html {
    let t = i18n::t();
    let max = days
        .iter()
        .map(|d| d.counts.conversations)
        .max()
        .unwrap_or(0)
        .max(1);
    let n = days.len().max(1) as u32;
    let slot = CHART_W / n;
    let bar = (slot * 4 / 5).max(1);
    let plot = CHART_H - AXIS_H;
    let height = |v: u64| (v * u64::from(plot) / max) as u32;
    let bars = days.iter().enumerate().map(|(i, d)| {
        let x = i as u32 * slot + (slot - bar) / 2;
        let (all, served) = (height(d.counts.conversations), height(d.counts.served));
        let title = format!(
            "{}: {} {}, {} {}, {} {}",
            d.date,
            d.counts.conversations,
            t.reports_conversations,
            d.counts.served,
            t.reports_served,
            d.counts.left_messages,
            t.reports_left
        );
        html! {
            <g class="kc-day" data-date={d.date.clone()}
                data-conversations={d.counts.conversations.to_string()}
                data-served={d.counts.served.to_string()}>
                <title>{title}</title>
                <rect class="kc-bar" x={x.to_string()} y={(plot - all).to_string()}
                    width={bar.to_string()} height={all.to_string()} />
                <rect class="kc-bar-served" x={x.to_string()} y={(plot - served).to_string()}
                    width={bar.to_string()} height={served.to_string()} />
            </g>
        }
    });
    let first = days.first().map(|d| d.date.clone()).unwrap_or_default();
    let last = days.last().map(|d| d.date.clone()).unwrap_or_default();
    let label = format!("{} ({}: {max})", t.reports_per_day, t.reports_max);
    html! {
        <svg class="kc-chart kc-chart-days" role="img" aria-label={label}
            viewBox={format!("0 0 {CHART_W} {CHART_H}")} preserveAspectRatio="none">
            { for bars }
            <line class="kc-axis" x1="0" x2={CHART_W.to_string()}
                y1={plot.to_string()} y2={plot.to_string()} />
            <text class="kc-axis-label" x="0" y={(CHART_H - 4).to_string()}>{first}</text>
            <text class="kc-axis-label" x={CHART_W.to_string()} y={(CHART_H - 4).to_string()}
                text-anchor="end">{last}</text>
            <text class="kc-axis-label" x="0" y="12">{max.to_string()}</text>
        </svg>
    }
}

/// `svg.kc-chart-csat`: one horizontal bar per star count, five first.
fn csat_chart(distribution: &[u64; 5]) -> Html {
    const ROW: u32 = 22;
    const LABEL_W: u32 = 70;
    let max = distribution.iter().copied().max().unwrap_or(0).max(1);
    let rows = (1..=5u8).rev().enumerate().map(|(row, stars)| {
        let count = distribution[usize::from(stars - 1)];
        let y = row as u32 * ROW;
        let width = (count * u64::from(CHART_W - LABEL_W - 40) / max) as u32;
        html! {
            <g class="kc-stars" data-stars={stars.to_string()} data-count={count.to_string()}>
                <text class="kc-axis-label" x="0" y={(y + 15).to_string()}>{stars_text(stars)}</text>
                <rect class="kc-bar" x={LABEL_W.to_string()} y={(y + 3).to_string()}
                    width={width.to_string()} height={(ROW - 6).to_string()} />
                <text class="kc-axis-label" x={(LABEL_W + width + 6).to_string()}
                    y={(y + 15).to_string()}>{count.to_string()}</text>
            </g>
        }
    });
    html! {
        <svg class="kc-chart kc-chart-csat" role="img" aria-label={i18n::t().reports_csat}
            viewBox={format!("0 0 {CHART_W} {}", ROW * 5)}>
            { for rows }
        </svg>
    }
}

/// `n` stars.
fn stars_text(n: u8) -> String {
    "★".repeat(usize::from(n))
}
