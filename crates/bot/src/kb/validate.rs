//! The rules an entry must follow, checked before a knowledge base exists.
//! Lengths are counted in Unicode characters, not bytes, so Chinese and English
//! get the same limits.

use std::collections::HashMap;

use super::{Entry, KnowledgeBase, Progress};
use crate::error::{EntryProblem, KbError, SynonymProblem};

/// Longest id, in characters.
pub const MAX_ID_CHARS: usize = 64;
/// Longest question or similar phrasing, in characters.
pub const MAX_QUESTION_CHARS: usize = 200;
/// Most similar phrasings per entry.
pub const MAX_SIMILAR: usize = 50;
/// Longest answer, in characters.
pub const MAX_ANSWER_CHARS: usize = 8_000;
/// Longest category, in characters.
pub const MAX_CATEGORY_CHARS: usize = 64;
/// Most synonym groups in a knowledge base.
pub const MAX_SYNONYM_GROUPS: usize = 2_000;
/// Most members in one synonym group.
pub const MAX_SYNONYM_MEMBERS: usize = 50;
/// Longest language tag, in characters (BCP 47's longest useful tags fit).
pub const MAX_LANG_CHARS: usize = 35;
/// Longest synonym (a word or short phrase), in characters.
pub const MAX_SYNONYM_CHARS: usize = 40;

const PROGRESS_EVERY: usize = 1_000;

/// Deserialises each raw entry on its own (so a type error names the entry), then
/// checks the rules.
pub(super) fn check_all(
    raw: Vec<serde_json::Value>,
    synonyms: Vec<Vec<String>>,
    progress: &mut dyn FnMut(Progress),
) -> Result<KnowledgeBase, KbError> {
    let mut entries = Vec::with_capacity(raw.len());
    for (index, value) in raw.into_iter().enumerate() {
        let id = value
            .get("id")
            .and_then(|id| id.as_str())
            .map(str::to_owned);
        let entry: Entry = serde_json::from_value(value).map_err(|err| KbError::Entry {
            index,
            id,
            problem: EntryProblem::WrongShape {
                message: err.to_string(),
            },
        })?;
        entries.push(entry);
    }
    check_entries(entries, synonyms, progress)
}

/// Checks the synonym groups, every entry and the uniqueness of ids.
pub(super) fn check_entries(
    entries: Vec<Entry>,
    synonyms: Vec<Vec<String>>,
    progress: &mut dyn FnMut(Progress),
) -> Result<KnowledgeBase, KbError> {
    check_synonyms(&synonyms)?;
    let total = entries.len();
    let mut by_id = HashMap::with_capacity(total);
    for (index, entry) in entries.iter().enumerate() {
        let fail = |problem| KbError::Entry {
            index,
            id: Some(entry.id.clone()),
            problem,
        };
        check_entry(entry).map_err(fail)?;
        if let Some(&first_index) = by_id.get(&entry.id) {
            return Err(fail(EntryProblem::DuplicateId { first_index }));
        }
        by_id.insert(entry.id.clone(), index);
        if (index + 1) % PROGRESS_EVERY == 0 {
            progress(Progress::Checked {
                entries: index + 1,
                total,
            });
        }
    }
    progress(Progress::Checked {
        entries: total,
        total,
    });
    Ok(KnowledgeBase::new_checked(entries, synonyms, by_id))
}

fn check_synonyms(groups: &[Vec<String>]) -> Result<(), KbError> {
    if groups.len() > MAX_SYNONYM_GROUPS {
        let (count, max) = (groups.len(), MAX_SYNONYM_GROUPS);
        return Err(KbError::TooManySynonymGroups { count, max });
    }
    for (group, members) in groups.iter().enumerate() {
        check_synonym_group(members).map_err(|problem| KbError::Synonyms { group, problem })?;
    }
    Ok(())
}

fn check_synonym_group(members: &[String]) -> Result<(), SynonymProblem> {
    if !(2..=MAX_SYNONYM_MEMBERS).contains(&members.len()) {
        let (count, max) = (members.len(), MAX_SYNONYM_MEMBERS);
        return Err(SynonymProblem::MemberCount { count, max });
    }
    for (position, member) in members.iter().enumerate() {
        match check_text(member, MAX_SYNONYM_CHARS) {
            Err(None) => return Err(SynonymProblem::EmptyMember { position }),
            Err(Some(chars)) => {
                let max = MAX_SYNONYM_CHARS;
                return Err(SynonymProblem::MemberTooLong {
                    position,
                    chars,
                    max,
                });
            }
            Ok(()) => {}
        }
        if !member.chars().any(char::is_alphanumeric) || member.chars().any(char::is_control) {
            let member = member.clone();
            return Err(SynonymProblem::NoWord { position, member });
        }
    }
    Ok(())
}

fn check_entry(entry: &Entry) -> Result<(), EntryProblem> {
    check_id(&entry.id)?;
    check_text(&entry.question, MAX_QUESTION_CHARS).map_err(|len| match len {
        None => EntryProblem::EmptyQuestion,
        Some(chars) => EntryProblem::QuestionTooLong {
            chars,
            max: MAX_QUESTION_CHARS,
        },
    })?;
    check_similar(&entry.similar)?;
    check_text(&entry.answer, MAX_ANSWER_CHARS).map_err(|len| match len {
        None => EntryProblem::EmptyAnswer,
        Some(chars) => EntryProblem::AnswerTooLong {
            chars,
            max: MAX_ANSWER_CHARS,
        },
    })?;
    if let Some(category) = &entry.category {
        let chars = category.chars().count();
        if chars > MAX_CATEGORY_CHARS {
            let max = MAX_CATEGORY_CHARS;
            return Err(EntryProblem::CategoryTooLong { chars, max });
        }
    }
    if let Some(lang) = &entry.lang {
        if !is_language_tag(lang) {
            return Err(EntryProblem::BadLanguage { lang: lang.clone() });
        }
    }
    Ok(())
}

/// A BCP 47-shaped tag: a 2–8 letter primary subtag, then `-`-separated
/// subtags of 1–8 letters or digits; at most [`MAX_LANG_CHARS`] in all.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    tag.len() <= MAX_LANG_CHARS
        && (2..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn check_id(id: &str) -> Result<(), EntryProblem> {
    if id.trim().is_empty() {
        return Err(EntryProblem::EmptyId);
    }
    let chars = id.chars().count();
    if chars > MAX_ID_CHARS {
        return Err(EntryProblem::IdTooLong {
            chars,
            max: MAX_ID_CHARS,
        });
    }
    if id.trim() != id || id.chars().any(char::is_control) {
        return Err(EntryProblem::IdNotPrintable);
    }
    Ok(())
}

fn check_similar(similar: &[String]) -> Result<(), EntryProblem> {
    if similar.len() > MAX_SIMILAR {
        return Err(EntryProblem::TooManySimilar {
            count: similar.len(),
            max: MAX_SIMILAR,
        });
    }
    for (position, phrasing) in similar.iter().enumerate() {
        check_text(phrasing, MAX_QUESTION_CHARS).map_err(|len| match len {
            None => EntryProblem::EmptySimilar { position },
            Some(chars) => EntryProblem::SimilarTooLong {
                position,
                chars,
                max: MAX_QUESTION_CHARS,
            },
        })?;
    }
    Ok(())
}

/// `Err(None)` when blank, `Err(Some(chars))` when longer than `max` characters.
fn check_text(text: &str, max: usize) -> Result<(), Option<usize>> {
    if text.trim().is_empty() {
        return Err(None);
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(Some(chars));
    }
    Ok(())
}
