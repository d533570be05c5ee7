//! Reports for a site's admins over a range of days in a time zone: service
//! sessions ("conversations") per day, how many were queued for a human, were
//! served or left a message; first-response and resolution times (median and p90);
//! CSAT (average, distribution, comments); the bot's answer rate and the
//! questions it missed. Pure: [`build`] adds up the facts the store read
//! (`store/reports.rs`), [`to_csv`] writes the days as CSV; the route is
//! `admin/reports.rs`.
//!
//! Definitions. A session counts on the day it started. First response: from
//! asking for a human to the first agent message (served sessions). Resolution:
//! from asking for a human to the end (served, ended sessions). Percentiles are
//! nearest-rank (the median of an even count is the lower middle). The answer
//! rate is the share of the bot's replies that were answers, rather than "did
//! you mean" lists or the fallback line.

use crate::store::reports::{BotFacts, MissFacts, SessionFacts};
use chrono::{Days, NaiveDate, TimeZone};
use chrono_tz::Tz;
pub use kefu_protocol::report::{BotReport, Comment, Counts, Csat, Day, Durations, Missed, Report};
use std::fmt::Write;

/// Longest range, in days.
pub const MAX_DAYS: u64 = 366;
/// Rating comments listed, newest first.
pub const MAX_COMMENTS: usize = 50;
/// Missed questions listed, most asked first.
pub const MAX_MISSED: u32 = 20;

/// Days `from` to `to` (both included) in `tz`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// Where the days begin and end.
    pub tz: Tz,
}

impl Range {
    /// The range, if `from` ≤ `to` and it spans at most [`MAX_DAYS`].
    pub fn new(from: NaiveDate, to: NaiveDate, tz: Tz) -> Option<Range> {
        let days = u64::try_from((to - from).num_days()).ok()? + 1;
        (days <= MAX_DAYS).then_some(Range { from, to, tz })
    }

    /// The days, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.from.iter_days().take_while(|d| *d <= self.to)
    }

    /// `[start, end)` in ms since the epoch.
    pub fn bounds_ms(&self) -> (i64, i64) {
        let end = self.to.checked_add_days(Days::new(1)).unwrap_or(self.to);
        (self.midnight(self.from), self.midnight(end))
    }

    /// The first instant of `day` in the zone (a day starting in a gap
    /// starts when the gap ends).
    fn midnight(&self, day: NaiveDate) -> i64 {
        let local = day.and_hms_opt(0, 0, 0).expect("midnight exists");
        let earliest = (0..=3).find_map(|h| {
            let t = local + chrono::Duration::hours(h);
            self.tz.from_local_datetime(&t).earliest()
        });
        earliest.map_or_else(
            || local.and_utc().timestamp_millis(),
            |t| t.timestamp_millis(),
        )
    }

    /// The day in the zone of `ms`.
    fn day_of(&self, ms: i64) -> Option<NaiveDate> {
        let t = self.tz.timestamp_millis_opt(ms).single()?;
        Some(t.date_naive())
    }

    /// The index in [`Range::days`] of `ms`'s day.
    fn index(&self, ms: i64) -> Option<usize> {
        let day = self.day_of(ms)?;
        let i = (day - self.from).num_days();
        (day <= self.to).then(|| usize::try_from(i).ok()).flatten()
    }
}

/// The nearest-rank `q` percentile of `sorted` (ascending).
fn percentile(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

fn durations(mut v: Vec<i64>) -> Durations {
    v.sort_unstable();
    Durations {
        count: v.len() as u64,
        median_ms: percentile(&v, 0.5),
        p90_ms: percentile(&v, 0.9),
    }
}

fn average(stars: &[u8]) -> Option<f64> {
    let sum: u64 = stars.iter().map(|&s| u64::from(s)).sum();
    (!stars.is_empty()).then(|| (sum as f64 / stars.len() as f64 * 100.0).round() / 100.0)
}

fn first_response(s: &SessionFacts) -> Option<i64> {
    Some(s.first_reply_at? - s.queued_at?).filter(|d| *d >= 0)
}

/// Add up the facts of `range`.
pub fn build(
    range: &Range,
    sessions: &[SessionFacts],
    left_times: &[i64],
    bot: BotFacts,
    misses: Vec<MissFacts>,
) -> Report {
    let n = range.days().count();
    let mut counts = vec![Counts::default(); n];
    let mut replies: Vec<Vec<i64>> = vec![Vec::new(); n];
    let mut stars: Vec<Vec<u8>> = vec![Vec::new(); n];
    let mut csat = Csat::default();
    let mut all_stars = Vec::new();
    let (mut firsts, mut resolutions) = (Vec::new(), Vec::new());
    for s in sessions {
        let Some(i) = range.index(s.created_at) else {
            continue;
        };
        let c = &mut counts[i];
        c.conversations += 1;
        c.queued += u64::from(s.queued_at.is_some());
        c.served += u64::from(s.served && s.queued_at.is_some());
        if let Some(d) = first_response(s) {
            replies[i].push(d);
            firsts.push(d);
        }
        if let (true, Some(q), Some(e)) = (s.served, s.queued_at, s.ended_at) {
            resolutions.extend(Some(e - q).filter(|d| *d >= 0));
        }
        if let Some(st) = s.stars.filter(|st| (1..=5).contains(st)) {
            c.ratings += 1;
            stars[i].push(st);
            all_stars.push(st);
            csat.distribution[usize::from(st - 1)] += 1;
            if let Some(comment) = s.comment.clone().filter(|c| !c.trim().is_empty()) {
                csat.comments.push(Comment {
                    stars: st,
                    comment,
                    time: s.created_at,
                    conversation_id: s.conversation_id.clone(),
                });
            }
        }
    }
    for &t in left_times {
        if let Some(i) = range.index(t) {
            counts[i].left_messages += 1;
        }
    }
    csat.count = all_stars.len() as u64;
    csat.average = average(&all_stars);
    csat.comments.sort_by_key(|c| std::cmp::Reverse(c.time));
    csat.comments.truncate(MAX_COMMENTS);

    let mut totals = Counts::default();
    let days = range
        .days()
        .zip(counts)
        .zip(replies.into_iter().zip(stars))
        .map(|((date, c), (mut r, st))| {
            totals.conversations += c.conversations;
            totals.queued += c.queued;
            totals.served += c.served;
            totals.left_messages += c.left_messages;
            totals.ratings += c.ratings;
            r.sort_unstable();
            Day {
                date: date.to_string(),
                counts: c,
                first_response_median_ms: percentile(&r, 0.5),
                average_stars: average(&st),
            }
        })
        .collect();
    let replies = bot.answered + bot.suggested + bot.unanswered;
    Report {
        from: range.from.to_string(),
        to: range.to.to_string(),
        time_zone: range.tz.name().to_owned(),
        days,
        totals,
        first_response: durations(firsts),
        resolution: durations(resolutions),
        csat,
        bot: BotReport {
            replies,
            answered: bot.answered,
            suggested: bot.suggested,
            unanswered: bot.unanswered,
            answer_rate: (replies > 0)
                .then(|| (bot.answered as f64 / replies as f64 * 1000.0).round() / 1000.0),
            missed: misses
                .into_iter()
                .map(|m| Missed {
                    question: m.question,
                    times: m.times,
                    last_at: m.last_at,
                })
                .collect(),
        },
    }
}

/// The report's days as CSV (a header line, then one line per day; times in
/// seconds): for a spreadsheet.
pub fn to_csv(report: &Report) -> String {
    let mut out = String::from(
        "date,conversations,queued,served,left_messages,ratings,\
         average_stars,first_response_median_s\r\n",
    );
    let opt = |v: Option<String>| v.unwrap_or_default();
    for d in &report.days {
        let c = d.counts;
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{}\r\n",
            d.date,
            c.conversations,
            c.queued,
            c.served,
            c.left_messages,
            c.ratings,
            opt(d.average_stars.map(|a| format!("{a:.2}"))),
            opt(d
                .first_response_median_ms
                .map(|ms| format!("{:.1}", ms as f64 / 1000.0))),
        );
    }
    out
}

#[cfg(test)]
mod tests;
