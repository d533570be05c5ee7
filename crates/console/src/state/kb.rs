//! The knowledge-base screen, for a site's owners and admins (opened from the
//! header): the entries, searched as one types; one entry edited or a new one
//! added at a time; deleting; importing a whole file. The file is read with
//! `GET /api/v1/sites/{site}/knowledge-base` when the screen opens; every change
//! sends the whole file back with one `PUT`, which the server validates before
//! anything changes (a refusal names the bad entry and shows in the server's
//! words; the screen keeps what was typed), then the screen reads it again.

use super::action::Effect;
use super::console::ConsoleState;
use crate::i18n;
use kefu_protocol::kb::{KbEntry, KbFile};

/// What the knowledge-base screen shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KbScreen {
    /// The file, once read (empty when the site has none yet).
    pub file: Option<KbFile>,
    /// What the search box holds.
    pub query: String,
    /// The entry in the form, if any.
    pub editing: Option<Editing>,
    /// A request is in flight.
    pub busy: bool,
    /// The last refusal (`.kc-kb-error`).
    pub error: Option<String>,
    /// The last change went through (`.kc-kb-saved`).
    pub saved: bool,
}

/// Which entry the form edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Editing {
    /// A new entry.
    New,
    /// The entry with this ID.
    Entry(String),
}

/// The form as the agent left it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntryDraft {
    /// ID.
    pub id: String,
    /// Question.
    pub question: String,
    /// Other phrasings, one per line.
    pub similar: String,
    /// Answer (Markdown subset).
    pub answer: String,
    /// Category; empty: none.
    pub category: String,
    /// Heat, as typed.
    pub heat: String,
    /// Language tag; empty: read from the question.
    pub lang: String,
}

impl EntryDraft {
    /// The form filled from `entry`.
    pub fn of(entry: &KbEntry) -> EntryDraft {
        EntryDraft {
            id: entry.id.clone(),
            question: entry.question.clone(),
            similar: entry.similar.join("\n"),
            answer: entry.answer.clone(),
            category: entry.category.clone().unwrap_or_default(),
            heat: entry.heat.to_string(),
            lang: entry.lang.clone().unwrap_or_default(),
        }
    }

    /// The entry, trimmed; `Err` with the words to show when the heat is not
    /// a whole number (everything else is the server's to judge).
    fn entry(&self) -> Result<KbEntry, &'static str> {
        let text = |s: &str| s.trim().to_owned();
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let heat = match self.heat.trim() {
            "" => 0,
            h => h.parse().map_err(|_| i18n::t().kb_bad_heat)?,
        };
        Ok(KbEntry {
            id: text(&self.id),
            question: text(&self.question),
            similar: (self.similar.lines())
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            answer: self.answer.trim().to_owned(),
            category: optional(&self.category),
            heat,
            lang: optional(&self.lang),
        })
    }
}

/// The agent's intents on the knowledge-base screen.
#[derive(Clone, Debug, PartialEq)]
pub enum KbIntent {
    /// The search box changed.
    Search(String),
    /// Open the entry with this ID in the form.
    Edit(String),
    /// Open an empty form.
    New,
    /// Close the form.
    Cancel,
    /// Save the form.
    Save(EntryDraft),
    /// Delete the entry with this ID.
    Delete(String),
    /// Replace the whole knowledge base with this file's text.
    Import(KbFormat, String),
    /// Download the stored entries as CSV.
    ExportCsv,
}

/// The formats of a knowledge-base file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KbFormat {
    /// The JSON file (entries and synonym groups).
    Json,
    /// A spreadsheet's CSV (entries only; the site's synonym groups stay).
    Csv,
}

impl KbFormat {
    /// The format of a chosen file, by its name's extension or its type.
    pub fn of(name: &str, mime: &str) -> KbFormat {
        if name.to_ascii_lowercase().ends_with(".csv") || mime.starts_with("text/csv") {
            KbFormat::Csv
        } else {
            KbFormat::Json
        }
    }
}

/// An HTTP request for the controller (`Effect::Kb`).
#[derive(Clone, Debug, PartialEq)]
pub enum KbRequest {
    /// `GET /api/v1/sites/{site}/knowledge-base`.
    Get,
    /// `PUT /api/v1/sites/{site}/knowledge-base` with this file.
    Put(KbFormat, String),
    /// `GET /api/v1/sites/{site}/knowledge-base?format=csv`, saved by the
    /// browser as a download.
    DownloadCsv,
}

/// What the server answered (`Action::KbAnswer`).
#[derive(Clone, Debug, PartialEq)]
pub enum KbAnswer {
    /// The file (an empty one when the site has none yet).
    Loaded(KbFile),
    /// A `PUT` went through.
    Saved,
    /// The CSV was handed to the browser as a download.
    Downloaded,
    /// Refused or failed: the words to show.
    Failed(String),
}

impl KbScreen {
    /// The entries the search matches (every entry for an empty search): the
    /// words typed, ignoring case, in the ID, question, phrasings, answer or
    /// category.
    pub fn shown(&self) -> Vec<&KbEntry> {
        let Some(file) = &self.file else {
            return Vec::new();
        };
        let words: Vec<String> = (self.query.split_whitespace())
            .map(str::to_lowercase)
            .collect();
        file.entries
            .iter()
            .filter(|e| {
                let haystack = [
                    e.id.as_str(),
                    &e.question,
                    &e.similar.join("\n"),
                    &e.answer,
                    e.category.as_deref().unwrap_or_default(),
                ]
                .join("\n")
                .to_lowercase();
                words.iter().all(|w| haystack.contains(w.as_str()))
            })
            .collect()
    }

    /// The entry the form edits (`None` for a new one).
    pub fn edited(&self) -> Option<&KbEntry> {
        let Some(Editing::Entry(id)) = &self.editing else {
            return None;
        };
        self.file.as_ref()?.entries.iter().find(|e| &e.id == id)
    }
}

impl ConsoleState {
    /// The screen opened: read the file.
    pub(super) fn kb_opened(&mut self) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        self.kb.busy = true;
        self.kb.saved = false;
        vec![Effect::Kb(KbRequest::Get)]
    }

    pub(super) fn kb_intent(&mut self, intent: KbIntent) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        let kb = &mut self.kb;
        let Some(file) = &kb.file else {
            return vec![];
        };
        let mut next = file.clone();
        match intent {
            KbIntent::Search(query) => {
                kb.query = query;
                return vec![];
            }
            KbIntent::Edit(id) => {
                kb.editing = Some(Editing::Entry(id));
                kb.error = None;
                kb.saved = false;
                return vec![];
            }
            KbIntent::New => {
                kb.editing = Some(Editing::New);
                kb.error = None;
                kb.saved = false;
                return vec![];
            }
            KbIntent::Cancel => {
                kb.editing = None;
                kb.error = None;
                return vec![];
            }
            KbIntent::Save(draft) => {
                let entry = match draft.entry() {
                    Ok(entry) => entry,
                    Err(words) => {
                        kb.error = Some(words.to_owned());
                        return vec![];
                    }
                };
                let at = match &kb.editing {
                    Some(Editing::Entry(id)) => next.entries.iter().position(|e| &e.id == id),
                    _ => None,
                };
                match at {
                    Some(i) => next.entries[i] = entry,
                    None => next.entries.push(entry),
                }
            }
            KbIntent::Delete(id) => next.entries.retain(|e| e.id != id),
            KbIntent::Import(format, text) => return self.kb_put(format, text),
            KbIntent::ExportCsv => {
                self.kb.busy = true;
                self.kb.error = None;
                return vec![Effect::Kb(KbRequest::DownloadCsv)];
            }
        }
        let body = serde_json::to_string(&next).unwrap_or_default();
        self.kb_put(KbFormat::Json, body)
    }

    fn kb_put(&mut self, format: KbFormat, body: String) -> Vec<Effect> {
        self.kb.busy = true;
        self.kb.error = None;
        self.kb.saved = false;
        vec![Effect::Kb(KbRequest::Put(format, body))]
    }

    pub(super) fn kb_answer(&mut self, answer: KbAnswer) -> Vec<Effect> {
        self.kb.busy = false;
        match answer {
            KbAnswer::Loaded(file) => {
                self.kb.file = Some(file);
                // A form for an entry that is gone (deleted, imported away) closes.
                if matches!(&self.kb.editing, Some(Editing::Entry(_))) && self.kb.edited().is_none()
                {
                    self.kb.editing = None;
                }
                vec![]
            }
            KbAnswer::Saved => {
                self.kb.saved = true;
                self.kb.editing = None;
                self.kb.busy = true;
                vec![Effect::Kb(KbRequest::Get)]
            }
            KbAnswer::Downloaded => vec![],
            KbAnswer::Failed(text) => {
                self.kb.error = Some(text);
                vec![]
            }
        }
    }
}
