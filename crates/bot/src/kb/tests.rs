use super::*;
use crate::error::EntryProblem;

fn entry(id: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "question": format!("question {id}"), "answer": "An answer."})
}

fn kb_of(entries: Vec<serde_json::Value>) -> String {
    serde_json::json!({ "entries": entries }).to_string()
}

/// The entry error of `json`, as (index, id, problem).
fn entry_error(json: &str) -> (usize, Option<String>, EntryProblem) {
    match KnowledgeBase::from_json(json) {
        Err(KbError::Entry { index, id, problem }) => (index, id, problem),
        other => panic!("expected an entry error, got {other:?}"),
    }
}

#[test]
fn a_valid_file_loads_with_defaults() {
    let json = r#"{"entries":[{"id":"a","question":"Q?","answer":"A."}]}"#;
    let kb = KnowledgeBase::from_json(json).unwrap();
    let a = kb.get("a").unwrap();
    assert_eq!(
        (a.heat, a.category.as_deref(), a.similar.len()),
        (0, None, 0)
    );
    assert!(kb.get("b").is_none());
}

#[test]
fn duplicate_ids_name_both_entries() {
    let json = kb_of(vec![entry("a"), entry("b"), entry("a")]);
    let (index, id, problem) = entry_error(&json);
    assert_eq!((index, id.as_deref()), (2, Some("a")));
    assert_eq!(problem, EntryProblem::DuplicateId { first_index: 0 });
    let message = KnowledgeBase::from_json(&json).unwrap_err().to_string();
    assert_eq!(
        message,
        "entry #2 (id \"a\"): the id is already used by entry #0"
    );
}

#[test]
fn empty_question_names_the_entry() {
    let mut bad = entry("blank");
    bad["question"] = "   ".into();
    let (index, id, problem) = entry_error(&kb_of(vec![entry("a"), bad]));
    assert_eq!(
        (index, id.as_deref(), problem),
        (1, Some("blank"), EntryProblem::EmptyQuestion)
    );
}

#[test]
fn oversize_answer_is_rejected_with_its_length() {
    let mut big = entry("big");
    big["answer"] = "退".repeat(MAX_ANSWER_CHARS + 1).into();
    let (index, id, problem) = entry_error(&kb_of(vec![big]));
    assert_eq!((index, id.as_deref()), (0, Some("big")));
    assert_eq!(
        problem,
        EntryProblem::AnswerTooLong {
            chars: 8_001,
            max: 8_000
        }
    );
    // Exactly at the limit (in characters, not bytes) is fine.
    let mut max = entry("max");
    max["answer"] = "退".repeat(MAX_ANSWER_CHARS).into();
    assert!(KnowledgeBase::from_json(&kb_of(vec![max])).is_ok());
}

#[test]
fn other_entry_rules_are_enforced() {
    let cases: Vec<(serde_json::Value, EntryProblem)> = vec![
        (
            serde_json::json!({"id": "", "question": "q", "answer": "a"}),
            EntryProblem::EmptyId,
        ),
        (
            serde_json::json!({"id": "x".repeat(65), "question": "q", "answer": "a"}),
            EntryProblem::IdTooLong { chars: 65, max: 64 },
        ),
        (
            serde_json::json!({"id": " a", "question": "q", "answer": "a"}),
            EntryProblem::IdNotPrintable,
        ),
        (
            serde_json::json!({"id": "a", "question": "q".repeat(201), "answer": "a"}),
            EntryProblem::QuestionTooLong {
                chars: 201,
                max: 200,
            },
        ),
        (
            serde_json::json!({"id": "a", "question": "q", "similar": vec!["s"; 51], "answer": "a"}),
            EntryProblem::TooManySimilar { count: 51, max: 50 },
        ),
        (
            serde_json::json!({"id": "a", "question": "q", "similar": ["ok", ""], "answer": "a"}),
            EntryProblem::EmptySimilar { position: 1 },
        ),
        (
            serde_json::json!({"id": "a", "question": "q", "similar": ["s".repeat(201)], "answer": "a"}),
            EntryProblem::SimilarTooLong {
                position: 0,
                chars: 201,
                max: 200,
            },
        ),
        (
            serde_json::json!({"id": "a", "question": "q", "answer": " \n"}),
            EntryProblem::EmptyAnswer,
        ),
        (
            serde_json::json!({"id": "a", "question": "q", "answer": "a", "category": "c".repeat(65)}),
            EntryProblem::CategoryTooLong { chars: 65, max: 64 },
        ),
    ];
    for (bad, expected) in cases {
        let (index, _, problem) = entry_error(&kb_of(vec![entry("first"), bad]));
        assert_eq!((index, problem), (1, expected));
    }
}

#[test]
fn not_json_reports_line_and_column() {
    let err = KnowledgeBase::from_json("{\"entries\": [\n  {\"id\": \"a\",,}\n]}").unwrap_err();
    match &err {
        KbError::NotJson { line, column, .. } => assert_eq!((*line, *column), (2, 14)),
        other => panic!("expected NotJson, got {other:?}"),
    }
    assert!(err.to_string().contains("line 2, column 14"), "{err}");
    assert!(matches!(
        KnowledgeBase::from_json(""),
        Err(KbError::NotJson { .. })
    ));
    assert!(matches!(
        KnowledgeBase::from_json("{\"entries\": ["),
        Err(KbError::NotJson { .. })
    ));
}

#[test]
fn wrong_top_level_shape_is_a_shape_error() {
    for json in [
        r#"[]"#,
        r#"{"entries": {}}"#,
        r#"{"items": []}"#,
        r#"{"entries": 3}"#,
    ] {
        let err = KnowledgeBase::from_json(json).unwrap_err();
        assert!(matches!(err, KbError::Shape { .. }), "{json}: {err:?}");
    }
}

#[test]
fn wrong_types_name_the_entry() {
    let cases = [
        (
            r#"{"id": "hot", "question": "q", "answer": "a", "heat": "high"}"#,
            Some("hot"),
        ),
        (
            r#"{"id": "neg", "question": "q", "answer": "a", "heat": -1}"#,
            Some("neg"),
        ),
        (
            r#"{"id": "sim", "question": "q", "answer": "a", "similar": "one"}"#,
            Some("sim"),
        ),
        (
            r#"{"id": "typo", "question": "q", "answer": "a", "simlar": []}"#,
            Some("typo"),
        ),
        (r#"{"id": 7, "question": "q", "answer": "a"}"#, None),
        (r#"{"id": "noanswer", "question": "q"}"#, Some("noanswer")),
        (r#""just a string""#, None),
    ];
    for (bad, expected_id) in cases {
        let json = format!(r#"{{"entries": [{{"id":"ok","question":"q","answer":"a"}}, {bad}]}}"#);
        let (index, id, problem) = entry_error(&json);
        assert_eq!((index, id.as_deref()), (1, expected_id), "{bad}");
        assert!(
            matches!(problem, EntryProblem::WrongShape { .. }),
            "{bad}: {problem:?}"
        );
    }
}

#[test]
fn from_reader_reports_progress_and_the_same_errors() {
    let entries: Vec<_> = (0..2_500).map(|i| entry(&format!("e{i}"))).collect();
    let json = kb_of(entries);
    let mut read = 0;
    let mut checked = Vec::new();
    let kb = KnowledgeBase::from_reader(json.as_bytes(), |p| match p {
        Progress::Read { bytes } => read = bytes,
        Progress::Checked { entries, total } => checked.push((entries, total)),
    })
    .unwrap();
    assert_eq!(kb.len(), 2_500);
    assert_eq!(read, json.len() as u64);
    assert_eq!(checked, [(1_000, 2_500), (2_000, 2_500), (2_500, 2_500)]);

    let broken = KnowledgeBase::from_reader("{\"entries\": [}".as_bytes(), |_| {});
    assert!(matches!(broken, Err(KbError::NotJson { line: 1, .. })));
    let dup = kb_of(vec![entry("x"), entry("x")]);
    let err = KnowledgeBase::from_reader(dup.as_bytes(), |_| {}).unwrap_err();
    assert!(matches!(err, KbError::Entry { index: 1, .. }));
}

#[test]
fn hot_questions_sort_by_heat_then_file_order() {
    let mut entries: Vec<Entry> = ["a", "b", "c", "d"]
        .iter()
        .map(|id| serde_json::from_value(entry(id)).unwrap())
        .collect();
    for (e, heat) in entries.iter_mut().zip([5, 9, 5, 1]) {
        e.heat = heat;
    }
    let kb = KnowledgeBase::from_entries(entries).unwrap();
    let ids: Vec<&str> = kb
        .hot_questions(3, None)
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(ids, ["b", "a", "c"]);
    assert_eq!(kb.hot_questions(10, None).len(), 4);
    assert!(kb.hot_questions(0, None).is_empty());
}

/// The ids of the `n` hot questions for a visitor speaking `language`.
fn hot_ids(kb: &KnowledgeBase, n: usize, language: &str) -> Vec<String> {
    let hot = kb.hot_questions(n, Some(language));
    hot.iter().map(|e| e.id.clone()).collect()
}

#[test]
fn hot_questions_put_the_visitors_language_first_and_fill_with_the_others() {
    let json = r#"{"entries":[
        {"id":"zh-hot","question":"下单后多久发货？","answer":"A","heat":90},
        {"id":"en-hot","question":"How long does shipping take?","answer":"A","heat":80},
        {"id":"zh-mid","question":"运费怎么算？","answer":"A","heat":70},
        {"id":"fr","question":"Quand arrive ma commande ?","answer":"A","heat":60,"lang":"fr-CA"},
        {"id":"en-low","question":"Do you ship abroad?","answer":"A","heat":10},
        {"id":"tagged-zh","question":"Aria 2 耳机 FAQ","answer":"A","heat":5,"lang":"zh-Hans"}
    ]}"#;
    let kb = KnowledgeBase::from_json(json).unwrap();
    assert_eq!(hot_ids(&kb, 3, "en"), ["en-hot", "en-low", "zh-hot"]);
    assert_eq!(hot_ids(&kb, 3, "zh-CN"), ["zh-hot", "zh-mid", "tagged-zh"]);
    assert_eq!(
        hot_ids(&kb, 4, "ZH_tw"),
        ["zh-hot", "zh-mid", "tagged-zh", "en-hot"]
    );
    assert_eq!(hot_ids(&kb, 2, "fr"), ["fr", "zh-hot"]);
    // A language no entry has: by heat alone.
    assert_eq!(hot_ids(&kb, 2, "de"), ["zh-hot", "en-hot"]);
    let language = |id| kb.get(id).unwrap().language();
    assert_eq!(
        ["zh-hot", "en-hot", "fr", "tagged-zh"].map(language),
        ["zh", "en", "fr", "zh"]
    );
}

#[test]
fn the_samples_languages_are_read_from_its_questions() {
    let kb = KnowledgeBase::sample();
    for e in kb.entries() {
        let want = if e.id.ends_with("-zh") { "zh" } else { "en" };
        assert_eq!(e.language(), want, "{}", e.id);
    }
    let en = hot_ids(&kb, 5, "en-US");
    assert!(en.iter().all(|id| id.ends_with("-en")), "{en:?}");
    let zh = hot_ids(&kb, 5, "zh-CN");
    assert!(zh.iter().all(|id| id.ends_with("-zh")), "{zh:?}");
}

#[test]
fn a_language_must_be_a_language_tag() {
    for good in ["en", "zh-CN", "zh-Hans-CN", "fil", "es-419"] {
        let json = kb_of(vec![
            serde_json::json!({"id":"a","question":"Q","answer":"A","lang":good}),
        ]);
        assert!(KnowledgeBase::from_json(&json).is_ok(), "{good}");
    }
    for bad in [
        "",
        "e",
        "english language",
        "zh_CN",
        "1a",
        "en-",
        "en-toolongsubtag",
        "<b>en</b>",
    ] {
        let json = kb_of(vec![
            serde_json::json!({"id":"a","question":"Q","answer":"A","lang":bad}),
        ]);
        let (_, _, problem) = entry_error(&json);
        assert_eq!(
            problem,
            EntryProblem::BadLanguage {
                lang: bad.to_owned()
            },
            "{bad}"
        );
    }
    let json = kb_of(vec![
        serde_json::json!({"id":"a","question":"Q","answer":"A","lang":"en"}),
    ]);
    let kb = KnowledgeBase::from_json(&json).unwrap();
    assert!(
        kb.to_json().contains("\"lang\": \"en\""),
        "the language is kept on export"
    );
}

#[test]
fn the_sample_is_a_realistic_bilingual_faq() {
    let kb = KnowledgeBase::sample();
    assert!(kb.len() >= 40, "{} entries", kb.len());
    let zh = kb
        .entries()
        .iter()
        .filter(|e| e.question.chars().any(crate::analysis::is_cjk));
    assert!(zh.count() >= 20);
    for e in kb.entries() {
        assert!(
            (3..=6).contains(&e.similar.len()),
            "{}: {} similar",
            e.id,
            e.similar.len()
        );
        assert!(e.category.is_some() && e.heat > 0, "{}", e.id);
        assert!(!e.answer_blocks().is_empty(), "{}", e.id);
    }
    assert_eq!(kb.hot_questions(1, None)[0].id, "shipping-time-zh");
}

#[test]
fn a_knowledge_base_round_trips_through_json() {
    let kb = KnowledgeBase::sample();
    let again = KnowledgeBase::from_json(&kb.to_json()).unwrap();
    assert_eq!(kb.entries(), again.entries());
}

#[test]
fn long_answers_index_in_reasonable_time() {
    let answer = "退货政策 return policy **bold** [link](https://example.com) ".repeat(140);
    assert!(answer.chars().count() <= MAX_ANSWER_CHARS);
    let entries: Vec<Entry> = (0..20)
        .map(|i| Entry {
            id: format!("e{i}"),
            question: format!("question {i}"),
            similar: vec![],
            answer: answer.clone(),
            category: None,
            heat: 0,
            lang: None,
        })
        .collect();
    let started = std::time::Instant::now();
    let index = crate::BotIndex::build(KnowledgeBase::from_entries(entries).unwrap()).unwrap();
    assert_eq!(index.knowledge_base().len(), 20);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}
