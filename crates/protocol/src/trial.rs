//! The answer of `POST /api/v1/sites/{site}/bot/match` with `"explain":
//! true` as a client reads it (its `explanation`): what the bot would do with
//! a question, why, and the nearest entries with their scores. The server
//! writes it from `kefu_bot::Explanation`; its test reads the answer back
//! with these types.

use serde::{Deserialize, Serialize};

/// The bot's decision on a tried question (`explanation` of `bot/match`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trial {
    /// `answer`, `similar` or `none`.
    pub decision: TrialDecision,
    /// Why.
    pub reason: TrialReason,
    /// The best score.
    pub best: f32,
    /// The runner-up's score.
    pub runner_up: f32,
    /// The site's thresholds the decision was made with.
    pub config: Thresholds,
    /// The nearest entries, best first (also under the thresholds).
    pub nearest: Vec<NearEntry>,
}

/// What the bot does with a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrialDecision {
    /// Answers with the first entry.
    Answer,
    /// Offers "did you mean".
    Similar,
    /// Offers a human.
    None,
}

/// Why (the server's `reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TrialReason {
    /// The question is blank.
    Blank,
    /// Too long to match.
    TooLong,
    /// The visitor asks for a person.
    AsksForAPerson,
    /// The question names another shop the knowledge base never mentions.
    AnotherShop,
    /// No entry shares a word with it.
    NothingShared,
    /// Best under the similar threshold.
    UnderSimilarThreshold,
    /// Best under the answer threshold.
    UnderAnswerThreshold,
    /// Over the answer threshold, but matched only through typos or parts of
    /// words, or through the entry's answer alone.
    WeakMatch,
    /// The runner-up is within the margin.
    RunnerUpTooClose,
    /// A stored phrasing asked as it is: answered whatever the margin.
    AskedAsStored,
    /// Answered.
    Answered,
    /// A reason this console does not know (a newer server).
    #[serde(other)]
    Other,
}

/// The thresholds of a site's bot.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Minimum score to answer.
    pub answer_threshold: f32,
    /// Minimum score to be offered.
    pub similar_threshold: f32,
    /// Lead over the runner-up needed to answer.
    pub margin: f32,
}

/// One entry near a tried question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearEntry {
    /// The entry's id.
    pub id: String,
    /// Its question.
    pub question: String,
    /// Its score.
    pub score: f32,
    /// How it scored (the bot's own account).
    pub details: String,
}
