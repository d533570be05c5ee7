//! The knowledge base's `synonyms` field and editing an entry's phrasings.

use super::*;
use crate::error::{EntryProblem, SynonymProblem};

fn entry(id: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "question": format!("question {id}"), "answer": "An answer."})
}

#[test]
fn synonyms_load_round_trip_and_are_validated() {
    let json = r#"{"entries":[{"id":"a","question":"Q?","answer":"A."}],
        "synonyms":[["Aria 2","aria2","耳机"],["包邮","free shipping"]]}"#;
    let kb = KnowledgeBase::from_json(json).unwrap();
    assert_eq!(kb.synonyms().len(), 2);
    assert_eq!(kb.synonyms()[1], ["包邮", "free shipping"]);
    let again = KnowledgeBase::from_json(&kb.to_json()).unwrap();
    assert_eq!(again.synonyms(), kb.synonyms());
    assert!(
        !KnowledgeBase::sample().to_json().contains("synonyms"),
        "omitted when empty"
    );

    let problem = |groups: serde_json::Value| {
        let json = serde_json::json!({"entries": [entry("a")], "synonyms": groups}).to_string();
        match KnowledgeBase::from_json(&json) {
            Err(KbError::Synonyms { group, problem }) => (group, problem),
            other => panic!("expected a synonym error, got {other:?}"),
        }
    };
    assert_eq!(
        problem(serde_json::json!([["a", "b"], ["lonely"]])),
        (
            1,
            SynonymProblem::MemberCount {
                count: 1,
                max: MAX_SYNONYM_MEMBERS
            }
        )
    );
    assert_eq!(
        problem(serde_json::json!([["a", " "]])),
        (0, SynonymProblem::EmptyMember { position: 1 })
    );
    let long = "x".repeat(MAX_SYNONYM_CHARS + 1);
    assert_eq!(
        problem(serde_json::json!([["a", long]])).1,
        SynonymProblem::MemberTooLong {
            position: 1,
            chars: MAX_SYNONYM_CHARS + 1,
            max: MAX_SYNONYM_CHARS
        }
    );
    assert!(matches!(
        problem(serde_json::json!([["?!", "a"]])).1,
        SynonymProblem::NoWord { position: 0, .. }
    ));
    let message = KnowledgeBase::from_json(
        &serde_json::json!({"entries": [], "synonyms": [["a"]]}).to_string(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        message,
        "synonym group #0: 1 members; a group needs 2 to 50"
    );
    let many = vec![vec!["a", "b"]; MAX_SYNONYM_GROUPS + 1];
    let json = serde_json::json!({"entries": [], "synonyms": many}).to_string();
    assert!(matches!(
        KnowledgeBase::from_json(&json),
        Err(KbError::TooManySynonymGroups { .. })
    ));
}

#[test]
fn an_unknown_top_level_field_is_refused() {
    let err = KnowledgeBase::from_json(r#"{"entries": [], "synonym": []}"#).unwrap_err();
    assert!(matches!(err, KbError::Shape { .. }), "{err:?}");
    assert!(err.to_string().contains("synonym"), "{err}");
}

#[test]
fn a_phrasing_is_added_to_one_entry_once() {
    let json = r#"{"entries":[{"id":"a","question":"Where is my parcel?","similar":["track order"],"answer":"A."},
        {"id":"b","question":"Q?","answer":"B."}],"synonyms":[["parcel","package"]]}"#;
    let kb = KnowledgeBase::from_json(json).unwrap();
    let learnt = kb
        .with_similar("a", "  wheres my stuff ")
        .unwrap()
        .expect("added");
    assert_eq!(
        learnt.get("a").unwrap().similar,
        ["track order", "wheres my stuff"]
    );
    assert_eq!(learnt.synonyms(), kb.synonyms(), "synonyms kept");
    assert_eq!(
        kb.get("a").unwrap().similar.len(),
        1,
        "the original is unchanged"
    );
    assert!(kb.with_similar("a", "TRACK ORDER").unwrap().is_none());
    assert!(kb
        .with_similar("a", "where is my parcel?")
        .unwrap()
        .is_none());
    assert!(matches!(
        kb.with_similar("zz", "x"),
        Err(KbError::NoSuchEntry { id }) if id == "zz"
    ));
    let long = "退".repeat(MAX_QUESTION_CHARS + 1);
    assert!(matches!(
        kb.with_similar("b", &long),
        Err(KbError::Entry {
            index: 1,
            problem: EntryProblem::SimilarTooLong { position: 0, .. },
            ..
        })
    ));
}
