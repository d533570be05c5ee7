//! A site's report for its admins (`GET /api/v1/sites/{site}/reports`, see
//! `docs/protocol.md`): the days of a range with their counts, first-response
//! and resolution times, CSAT and the bot's share. The server builds it (its
//! `reports` module holds the definitions of each number); the console draws it.

use serde::{Deserialize, Serialize};

/// A whole report (`GET /api/v1/sites/{site}/reports`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The first day, `YYYY-MM-DD`.
    pub from: String,
    /// The last day.
    pub to: String,
    /// The IANA zone the days are in.
    pub time_zone: String,
    /// Each day, in order.
    pub days: Vec<Day>,
    /// The whole range.
    pub totals: Counts,
    /// From asking for a human to the first agent message.
    pub first_response: Durations,
    /// From asking for a human to the end.
    pub resolution: Durations,
    /// The visitors' ratings.
    pub csat: Csat,
    /// The bot.
    pub bot: BotReport,
}

/// What happened on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// The median first response of the day's sessions, ms.
    pub first_response_median_ms: Option<i64>,
    /// The average rating of the day's sessions.
    pub average_stars: Option<f64>,
}

/// Counts over a day or the range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Service sessions started.
    pub conversations: u64,
    /// Of those, the ones queued for a human (asked while an agent was
    /// available; the others were offered to leave a message).
    pub queued: u64,
    /// Of those, the ones an agent took.
    pub served: u64,
    /// Messages left.
    pub left_messages: u64,
    /// Sessions rated.
    pub ratings: u64,
}

/// A duration's spread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Durations {
    /// How many were measured.
    pub count: u64,
    /// The median, ms.
    pub median_ms: Option<i64>,
    /// The 90th percentile, ms.
    pub p90_ms: Option<i64>,
}

/// Customer satisfaction.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Csat {
    /// Ratings.
    pub count: u64,
    /// Their average, 1–5.
    pub average: Option<f64>,
    /// How many gave 1, 2, 3, 4 and 5 stars.
    pub distribution: [u64; 5],
    /// Ratings with a comment, newest first (at most 50).
    pub comments: Vec<Comment>,
}

/// A rating's comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    /// 1–5.
    pub stars: u8,
    /// As the visitor wrote it.
    pub comment: String,
    /// When the session started, ms.
    pub time: i64,
    /// The conversation.
    #[serde(rename = "conversationID")]
    pub conversation_id: String,
}

/// The bot's share of the work.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BotReport {
    /// Its replies: answers, "did you mean" lists and fallbacks.
    pub replies: u64,
    /// Answers from the knowledge base.
    pub answered: u64,
    /// "Did you mean" lists.
    pub suggested: u64,
    /// Nothing found.
    pub unanswered: u64,
    /// `answered / replies`.
    pub answer_rate: Option<f64>,
    /// The questions it missed, most asked first: add them to the knowledge base.
    pub missed: Vec<Missed>,
}

/// A missed question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Missed {
    /// As last asked.
    pub question: String,
    /// How many times (all time).
    pub times: u64,
    /// When last asked, ms.
    pub last_at: i64,
}
