//! The knowledge-base screen: only for owners and admins, read when it opens
//! (a site without one reads as empty), searched as one types, and every
//! change (an edit, a new entry, a delete, an import) sent as the whole file
//! in one PUT and read again after; a refusal keeps the file and the form.

use super::*;
use crate::state::kb::{Editing, EntryDraft, KbAnswer, KbFormat, KbIntent, KbRequest};
use crate::state::team::TeamAnswer;
use crate::state::Tab;
use kefu_protocol::kb::{KbEntry, KbFile};
use kefu_protocol::TeamRole;

fn file() -> KbFile {
    serde_json::from_value(json!({"entries": [
        {"id": "ship", "question": "How long does shipping take?", "similar": ["When do you ship?"],
         "answer": "1–3 days", "category": "shipping", "heat": 10},
        {"id": "refund", "question": "退款多久到账？", "answer": "3 天内", "lang": "zh-CN"},
    ], "synonyms": [["aria2", "Aria 2"]]}))
    .expect("a file")
}

fn opened() -> ConsoleState {
    let mut s = online();
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Admin)));
    let fx = s.update(Action::SelectTab(Tab::Kb));
    assert_eq!(fx, vec![Effect::Kb(KbRequest::Get)]);
    s.update(Action::KbAnswer(KbAnswer::Loaded(file())));
    s
}

fn put(fx: &[Effect]) -> KbFile {
    match fx {
        [Effect::Kb(KbRequest::Put(KbFormat::Json, body))] => {
            serde_json::from_str(body).expect("a file")
        }
        other => panic!("not one PUT: {other:?}"),
    }
}

fn ids(s: &ConsoleState) -> Vec<&str> {
    s.kb.shown().iter().map(|e| e.id.as_str()).collect()
}

#[test]
fn an_agent_has_no_knowledge_base_screen() {
    let mut s = online();
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Agent)));
    assert_eq!(s.update(Action::SelectTab(Tab::Kb)), vec![]);
    assert_ne!(s.tab, Tab::Kb);
    assert_eq!(
        s.update(Action::Kb(KbIntent::Import(KbFormat::Json, "{}".into()))),
        vec![]
    );
    assert_eq!(s.update(Action::Kb(KbIntent::ExportCsv)), vec![]);
}

#[test]
fn the_search_matches_every_word_anywhere_in_an_entry() {
    let mut s = opened();
    assert_eq!(ids(&s), ["ship", "refund"]);
    s.update(Action::Kb(KbIntent::Search("  WHEN ship ".into())));
    assert_eq!(ids(&s), ["ship"], "a phrasing and the id, any case");
    s.update(Action::Kb(KbIntent::Search("到账".into())));
    assert_eq!(ids(&s), ["refund"]);
    s.update(Action::Kb(KbIntent::Search("shipping 到账".into())));
    assert!(ids(&s).is_empty());
}

#[test]
fn an_edit_sends_the_whole_file_with_the_entry_replaced_then_reads_it_again() {
    let mut s = opened();
    s.update(Action::Kb(KbIntent::Edit("ship".into())));
    let draft = EntryDraft::of(s.kb.edited().expect("the entry"));
    assert_eq!(draft.similar, "When do you ship?");
    let fx = s.update(Action::Kb(KbIntent::Save(EntryDraft {
        answer: " Ships within **24 hours**. ".into(),
        similar: "When do you ship?\n\n  How fast is delivery? \n".into(),
        category: " ".into(),
        heat: "25".into(),
        ..draft
    })));
    let sent = put(&fx);
    let ship = &sent.entries[0];
    assert_eq!(ship.answer, "Ships within **24 hours**.");
    assert_eq!(ship.similar, ["When do you ship?", "How fast is delivery?"]);
    assert_eq!((ship.category.as_deref(), ship.heat), (None, 25));
    assert_eq!(
        sent.entries[1],
        file().entries[1],
        "the others as they were"
    );
    assert_eq!(sent.synonyms, file().synonyms, "the synonyms kept");
    assert!(s.kb.busy);
    let fx = s.update(Action::KbAnswer(KbAnswer::Saved));
    assert_eq!(fx, vec![Effect::Kb(KbRequest::Get)]);
    assert!(s.kb.saved && s.kb.editing.is_none());
}

#[test]
fn a_new_entry_is_added_at_the_end_and_a_bad_heat_is_refused_here() {
    let mut s = opened();
    s.update(Action::Kb(KbIntent::New));
    assert_eq!(s.kb.editing, Some(Editing::New));
    let draft = EntryDraft {
        id: "gift".into(),
        question: "Do you sell gift cards?".into(),
        answer: "Yes.".into(),
        heat: "lots".into(),
        ..Default::default()
    };
    assert_eq!(s.update(Action::Kb(KbIntent::Save(draft.clone()))), vec![]);
    assert_eq!(s.kb.error.as_deref(), Some(crate::i18n::t().kb_bad_heat));
    let fx = s.update(Action::Kb(KbIntent::Save(EntryDraft {
        heat: String::new(),
        lang: "en".into(),
        ..draft
    })));
    let sent = put(&fx);
    assert_eq!(sent.entries.len(), 3);
    assert_eq!(
        sent.entries[2],
        KbEntry {
            id: "gift".into(),
            question: "Do you sell gift cards?".into(),
            answer: "Yes.".into(),
            lang: Some("en".into()),
            ..Default::default()
        }
    );
}

#[test]
fn a_refusal_keeps_the_file_and_the_form() {
    let mut s = opened();
    s.update(Action::Kb(KbIntent::Edit("ship".into())));
    let draft = EntryDraft::of(s.kb.edited().expect("the entry"));
    s.update(Action::Kb(KbIntent::Save(EntryDraft {
        id: "refund".into(),
        ..draft
    })));
    s.update(Action::KbAnswer(KbAnswer::Failed(
        "entry 1 (refund): duplicate id".into(),
    )));
    assert_eq!(
        s.kb.error.as_deref(),
        Some("entry 1 (refund): duplicate id")
    );
    assert_eq!(s.kb.file, Some(file()), "nothing changed");
    assert_eq!(s.kb.editing, Some(Editing::Entry("ship".into())));
    assert!(!s.kb.busy && !s.kb.saved);
}

#[test]
fn delete_and_import_send_the_file_and_a_vanished_entry_closes_its_form() {
    let mut s = opened();
    let sent = put(&s.update(Action::Kb(KbIntent::Delete("ship".into()))));
    assert_eq!(
        sent.entries
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>(),
        ["refund"]
    );
    s.update(Action::KbAnswer(KbAnswer::Saved));
    s.update(Action::Kb(KbIntent::Edit("refund".into())));
    let text = r#"{"entries": [{"id": "only", "question": "Q?", "answer": "A"}]}"#;
    let fx = s.update(Action::Kb(KbIntent::Import(KbFormat::Json, text.into())));
    assert_eq!(
        fx,
        vec![Effect::Kb(KbRequest::Put(KbFormat::Json, text.into()))],
        "as read"
    );
    s.update(Action::KbAnswer(KbAnswer::Saved));
    // The screen reopened while a form was open for an entry now gone.
    s.update(Action::Kb(KbIntent::Edit("refund".into())));
    s.update(Action::SelectTab(Tab::Kb));
    s.update(Action::KbAnswer(KbAnswer::Loaded(
        serde_json::from_str(text).expect("a file"),
    )));
    assert_eq!(ids(&s), ["only"]);
    assert_eq!(s.kb.editing, None);
}

#[test]
fn a_spreadsheet_is_imported_as_csv_and_the_entries_exported_as_csv() {
    assert_eq!(KbFormat::of("FAQ.CSV", ""), KbFormat::Csv);
    assert_eq!(KbFormat::of("faq", "text/csv"), KbFormat::Csv);
    assert_eq!(KbFormat::of("kb.json", "application/json"), KbFormat::Json);
    let mut s = opened();
    let sheet = "id,question,answer\nonly,Q?,A\n";
    let fx = s.update(Action::Kb(KbIntent::Import(KbFormat::Csv, sheet.into())));
    assert_eq!(
        fx,
        vec![Effect::Kb(KbRequest::Put(KbFormat::Csv, sheet.into()))]
    );
    assert!(s.kb.busy, "the progress bar shows");
    s.update(Action::KbAnswer(KbAnswer::Failed(
        "row 2: heat `x` is not a whole number".into(),
    )));
    assert!(!s.kb.busy);
    assert_eq!(
        s.kb.error.as_deref(),
        Some("row 2: heat `x` is not a whole number")
    );
    let fx = s.update(Action::Kb(KbIntent::ExportCsv));
    assert_eq!(fx, vec![Effect::Kb(KbRequest::DownloadCsv)]);
    assert!(s.kb.busy && s.kb.error.is_none());
    assert!(s.update(Action::KbAnswer(KbAnswer::Downloaded)).is_empty());
    assert!(!s.kb.busy);
}
