//! The bot's turns, after the visitor's message was stored and acked: a clicked
//! question gets its `repository` answer; free text is matched against the
//! site's knowledge base and gets a `repository` answer, a `similarquestion`
//! list, or a fallback `prompts` line offering a human.
//!
//! The bot learns from its site here too: free text it could not answer
//! directly is kept as a miss (`crate::store::BotMiss`), a click on a "did you
//! mean" question takes that miss back, and the first agent text after a miss
//! is kept with it ([`note_agent_text`]).

use super::texts::Text;
use super::{post, post_text, Author};
use crate::store::Conversation;
use crate::{AppState, Result};
use kefu_bot::kb::MAX_QUESTION_CHARS;
use kefu_bot::{BotIndex, Decision, Entry, EntryExt, MatchResult};
use kefu_protocol::{CustomKind, MessageBody, QuestionRef, SiteId};

/// Whether the site's knowledge base has the entry `id` (checked before the
/// click is stored: an unknown ID is `questionNotFound` and stores nothing).
pub async fn question_exists(state: &AppState, site: &SiteId, id: &str) -> Result<bool> {
    let index = state.bots.index(&state.store, site).await?;
    Ok(index.is_some_and(|i| i.entry(id).is_some()))
}

/// Answer a clicked question with its entry.
pub async fn answer_click(state: &AppState, c: &Conversation, id: &str) -> Result<()> {
    if let Err(e) = state.store.clicked_miss(&c.id, id).await {
        tracing::warn!(error = %e, conversation = %c.id, "taking back a bot miss");
    }
    let Some(index) = state.bots.index(&state.store, &c.site).await? else {
        return fallback(state, c).await;
    };
    match index.entry(id) {
        Some(entry) => repository(state, c, entry).await,
        // Removed by an import between the check and now: the text fallback.
        None => fallback(state, c).await,
    }
}

/// Answer free text: the best entry, "did you mean", or the fallback.
pub async fn answer_text(state: &AppState, c: &Conversation, text: &str) -> Result<()> {
    let Some(index) = state.bots.index(&state.store, &c.site).await? else {
        return fallback(state, c).await;
    };
    let config = crate::bot::match_config(&state.store, &c.site).await?;
    let (index2, query) = (index.clone(), text.to_owned());
    let result = tokio::task::spawn_blocking(move || index2.match_query(&query, &config))
        .await
        .map_err(|e| anyhow::anyhow!("matching: {e}"))?
        .map_err(|e| anyhow::anyhow!("matching: {e}"))?;
    // Kept before the answer goes out, so whoever sees the answer finds the miss.
    if result.decision != Decision::Answer {
        let offered: Vec<String> = result.candidates.iter().map(|c| c.id.clone()).collect();
        note_miss(state, c, text, result.decision, &offered).await;
    }
    answer_result(state, c, &index, &result).await
}

/// Keep a question the bot did not answer directly, when it is short enough
/// to become a similar phrasing. A failure is logged: the visitor was answered.
async fn note_miss(
    state: &AppState,
    c: &Conversation,
    text: &str,
    decision: Decision,
    offered: &[String],
) {
    if text.trim().chars().count() > MAX_QUESTION_CHARS {
        return;
    }
    let recorded = (state.store)
        .record_miss(&c.site, &c.id, text, decision, offered)
        .await;
    if let Err(e) = recorded {
        tracing::warn!(error = %e, conversation = %c.id, "recording a bot miss");
    }
}

/// An agent's text in the conversation (checked, about to be stored) is kept
/// with the conversation's latest miss when that has no answer yet. A failure
/// is logged: it must not stop the agent's message.
pub async fn note_agent_text(state: &AppState, c: &Conversation, body: &MessageBody) {
    let MessageBody::Text(t) = body else {
        return;
    };
    if let Err(e) = state.store.note_agent_answer(&c.id, &t.text).await {
        tracing::warn!(error = %e, conversation = %c.id, "keeping an agent answer");
    }
}

async fn answer_result(
    state: &AppState,
    c: &Conversation,
    index: &BotIndex,
    result: &MatchResult,
) -> Result<()> {
    match result.decision {
        Decision::Answer => match result.answer().and_then(|a| index.entry(&a.id)) {
            Some(entry) => repository(state, c, entry).await,
            None => fallback(state, c).await,
        },
        Decision::Similar => {
            let questions = result
                .candidates
                .iter()
                .take(super::HOT_QUESTIONS)
                .map(|c| QuestionRef {
                    id: c.id.clone(),
                    question: c.question.clone(),
                })
                .collect();
            let kind = CustomKind::SimilarQuestion { questions };
            post_text(state, c, Author::Bot, kind, Text::DidYouMean)
                .await
                .map(drop)
        }
        Decision::None => fallback(state, c).await,
    }
}

async fn repository(state: &AppState, c: &Conversation, entry: &Entry) -> Result<()> {
    let kind = CustomKind::Repository {
        question_id: entry.id.clone(),
        question: entry.question.clone(),
        answer: entry.answer_blocks(),
        related: Vec::new(),
    };
    post(state, c, Author::Bot, kind, &entry.question)
        .await
        .map(drop)
}

async fn fallback(state: &AppState, c: &Conversation) -> Result<()> {
    post_text(state, c, Author::Bot, CustomKind::Prompts, Text::Fallback)
        .await
        .map(drop)
}
