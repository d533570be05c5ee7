//! The knowledge-base importer on any bytes: `KnowledgeBase::from_json` (the
//! admin API's upload) and `from_reader` (`kefu-server kb import` of a large
//! file) must give the same verdict, and a knowledge base they accept must
//! really keep every rule: unique ids, the length limits, printable ids; it
//! serialises back to a file that imports to the same entries, and its answers
//! render.

#![no_main]

use kefu_bot::kb::{
    MAX_ANSWER_CHARS, MAX_CATEGORY_CHARS, MAX_ID_CHARS, MAX_LANG_CHARS, MAX_QUESTION_CHARS,
    MAX_SIMILAR,
};
use kefu_bot::{EntryExt, KbError, KnowledgeBase};
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let streamed = KnowledgeBase::from_reader(data, |_| {});
    let Ok(text) = std::str::from_utf8(data) else {
        assert!(streamed.is_err(), "invalid UTF-8 imported");
        return;
    };
    let whole = KnowledgeBase::from_json(text);
    match (&whole, &streamed) {
        (Ok(a), Ok(b)) => assert_eq!(a.entries(), b.entries()),
        (Err(a), Err(b)) => assert_eq!(kind(a), kind(b), "{a} / {b}"),
        _ => panic!("from_json and from_reader disagree: {whole:?} / {streamed:?}"),
    }
    let Ok(kb) = whole else { return };
    let mut ids = HashSet::new();
    for entry in kb.entries() {
        assert!(ids.insert(entry.id.as_str()), "duplicate id {}", entry.id);
        assert_eq!(kb.get(&entry.id), Some(entry));
        let id_chars = entry.id.chars().count();
        assert!(id_chars >= 1 && id_chars <= MAX_ID_CHARS);
        assert!(entry.id.trim() == entry.id && !entry.id.chars().any(char::is_control));
        let fits = |s: &str, max| !s.trim().is_empty() && s.chars().count() <= max;
        assert!(fits(&entry.question, MAX_QUESTION_CHARS));
        assert!(fits(&entry.answer, MAX_ANSWER_CHARS));
        assert!(entry.similar.len() <= MAX_SIMILAR);
        assert!(entry.similar.iter().all(|s| fits(s, MAX_QUESTION_CHARS)));
        assert!(entry
            .category
            .as_ref()
            .is_none_or(|c| c.chars().count() <= MAX_CATEGORY_CHARS));
        let _ = entry.answer_blocks();
        assert!(entry
            .lang
            .as_ref()
            .is_none_or(|l| l.len() <= MAX_LANG_CHARS));
    }
    let again = KnowledgeBase::from_json(&kb.to_json()).expect("a saved knowledge base imports");
    assert_eq!(again.entries(), kb.entries());
    let hot = kb.hot_questions(5, None);
    assert!(hot.windows(2).all(|w| w[0].heat >= w[1].heat));
    // In a language: that language's entries first, each part by heat.
    let zh = kb.hot_questions(5, Some("zh-CN"));
    let first_other = zh
        .iter()
        .position(|e| e.language() != "zh")
        .unwrap_or(zh.len());
    assert!(zh[first_other..].iter().all(|e| e.language() != "zh"));
    let (own, rest) = zh.split_at(first_other);
    assert!(own.windows(2).all(|w| w[0].heat >= w[1].heat));
    assert!(rest.windows(2).all(|w| w[0].heat >= w[1].heat));
});

/// The kind of refusal (messages may differ in wording between the two paths).
fn kind(e: &KbError) -> std::mem::Discriminant<KbError> {
    std::mem::discriminant(e)
}
