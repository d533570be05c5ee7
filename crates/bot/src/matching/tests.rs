//! Matching decisions on the bundled sample knowledge base. Each case names the
//! entry it must find, so a scoring change that quietly finds another fails here.

use std::sync::OnceLock;

use super::*;
use crate::kb::KnowledgeBase;

fn sample() -> &'static BotIndex {
    static INDEX: OnceLock<BotIndex> = OnceLock::new();
    INDEX.get_or_init(|| BotIndex::build(KnowledgeBase::sample()).expect("the sample indexes"))
}

fn ask(query: &str) -> MatchResult {
    sample()
        .match_query(query, &MatchConfig::default())
        .expect("search works")
}

fn ids(result: &MatchResult) -> Vec<&str> {
    result.candidates.iter().map(|c| c.id.as_str()).collect()
}

#[track_caller]
fn assert_answer(query: &str, id: &str) {
    let result = ask(query);
    assert_eq!(
        (
            result.decision,
            result.candidates.first().map(|c| c.id.as_str())
        ),
        (Decision::Answer, Some(id)),
        "{query:?} gave {result:?}"
    );
}

#[track_caller]
fn assert_none(query: &str) {
    let result = ask(query);
    assert_eq!(result, MatchResult::none(), "{query:?}");
}

#[test]
fn chinese_exact_question() {
    assert_answer("下单后多久发货？", "shipping-time-zh");
    assert_answer("怎么取消订单？", "cancel-order-zh");
    assert_answer("可以同时连接两台设备吗？", "multipoint-zh");
}

#[test]
fn chinese_paraphrase() {
    assert_answer("收到的东西不喜欢想退", "return-policy-zh");
    assert_answer("耳机坏了", "warranty-zh");
    assert_answer("钱什么时候退给我", "refund-timing-zh");
    assert_answer("我的快递到哪了", "order-tracking-zh");
    assert_answer("客服几点上班", "contact-hours-zh");
}

#[test]
fn english_exact_question() {
    assert_answer("How can I track my order?", "order-tracking-en");
    assert_answer("What is your return policy?", "return-policy-en");
    assert_answer("how long does the battery last", "battery-life-en");
}

#[test]
fn english_paraphrase() {
    assert_answer("can I send the headphones back", "return-policy-en");
    assert_answer("when do I get my money back", "refund-timing-en");
    assert_answer("where is my parcel", "order-tracking-en");
    assert_answer("is delivery free", "shipping-cost-en");
    assert_answer("can I swim with them", "water-resistance-en");
}

#[test]
fn mixed_chinese_and_english() {
    assert_answer("耳机 battery 多久", "battery-life-zh");
    assert_answer("Aria 2 耳机支持LDAC吗", "bluetooth-zh");
    assert_answer("耳机 warranty 多久", "warranty-zh");
}

#[test]
fn one_word_keywords() {
    assert_answer("退货", "return-policy-zh");
    assert_answer("发票", "invoice-zh");
    assert_answer("invoice", "invoice-en");
    assert_answer("multipoint", "multipoint-en");
    assert_answer("续航", "battery-life-zh");
}

#[test]
fn typos_are_matched_fuzzily() {
    assert_answer("shiping cost", "shipping-cost-en");
    assert_answer("how long is the warrenty", "warranty-en");
    assert_answer("paymant methods", "payment-methods-en");
    // Two typos in three words: offered first ("did you mean"), not answered
    // (a match through typos alone never is: `an_explanation_names_the_reason_for_each_decision`).
    let two = ask("trak my ordr");
    assert_eq!(two.decision, Decision::Similar, "{two:?}");
    assert_eq!(ids(&two)[0], "order-tracking-en");
    // A lone typo is less certain: it comes first, with a lower score.
    let (typo, word) = (ask("refnd"), ask("refund"));
    assert_eq!(ids(&typo)[0], "refund-timing-en");
    assert!(
        typo.candidates[0].score < word.candidates[0].score * 0.7,
        "{typo:?} {word:?}"
    );
}

#[test]
fn synonyms_bridge_words_never_stored() {
    assert_answer("receipt please", "invoice-en");
    assert_answer("instalment", "installment-en");
}

#[test]
fn small_talk_and_other_topics_get_none() {
    for query in [
        "hello",
        "hi there",
        "thanks",
        "你好",
        "谢谢",
        "what's the weather",
        "今天天气怎么样",
        "who won the football game",
        "讲个笑话",
        "do you sell laptops",
        "I want to talk to a human",
    ] {
        assert_none(query);
    }
}

#[test]
fn gibberish_gets_none() {
    for query in [
        "asdkjh qwe",
        "zzzz",
        "qwertyuiop asdfgh",
        "啊啊啊啊",
        "12345",
        "xj3 9fk",
    ] {
        assert_none(query);
    }
}

#[test]
fn ambiguous_queries_offer_several_candidates() {
    // Alternatives named: the margin is doubled.
    let result = ask("return or refund");
    assert_eq!(result.decision, Decision::Similar, "{result:?}");
    let mut first_two = ids(&result)[..2].to_vec();
    first_two.sort_unstable();
    assert_eq!(first_two, ["refund-timing-en", "return-policy-en"]);
    let result = ask("退货或者退款");
    assert_eq!(result.decision, Decision::Similar, "{result:?}");
    // Unless the site stored those very words with one entry: its choice.
    let mut kb = KnowledgeBase::sample().entries().to_vec();
    let refund = kb.iter_mut().find(|e| e.id == "refund-timing-en");
    (refund.expect("the sample has it").similar).push("return or refund".into());
    let taught = BotIndex::build(KnowledgeBase::from_entries(kb).expect("valid")).expect("builds");
    let result = (taught.match_query("Return or refund?", &MatchConfig::default())).expect("works");
    assert_eq!(
        (result.decision, ids(&result)[0]),
        (Decision::Answer, "refund-timing-en"),
        "{result:?}"
    );

    let result = ask("订单");
    assert_eq!(result.decision, Decision::Similar, "{result:?}");
    let found = ids(&result);
    assert!(
        found.contains(&"cancel-order-zh") && found.contains(&"order-tracking-zh"),
        "{found:?}"
    );

    let result = ask("bluetooth");
    assert_eq!(result.decision, Decision::Similar, "{result:?}");
    assert!(ids(&result).contains(&"bluetooth-en") && ids(&result).contains(&"pairing-en"));
}

#[test]
fn the_visitors_language_wins_between_twins() {
    assert_answer("积分", "points-zh");
    assert_answer("points", "points-en");
    let result = ask("gift wrap");
    assert!(result
        .candidates
        .iter()
        .all(|c| c.id != "gift-wrap-zh" || c.score < 0.5));
    // The Chinese twin's phrasing 支持LDAC吗 is half Latin: an all-English
    // question about codec names still prefers the English entry, and a
    // Chinese one the Chinese entry.
    assert_eq!(ids(&ask("does it have aptx or aac"))[0], "bluetooth-en");
    assert_eq!(ids(&ask("支持aac吗"))[0], "bluetooth-zh");
}

#[test]
fn hostile_and_odd_inputs_never_panic() {
    let long = "退货".repeat(5_000);
    let inputs = [
        "",
        " ",
        "\0",
        "\u{7}\u{1b}[2J",
        "!!!???。。。",
        "😀😀😀",
        "🏳️‍🌈👨‍👩‍👧",
        "\u{202E}refund",
        "a",
        "的",
        "ＲＥＦＵＮＤ",
        "re\u{0}fund",
        long.as_str(),
        "https://example.com/?q=<script>",
        "[link](javascript:alert(1))",
        "\u{FFFF}\u{10FFFF}",
        "a\u{301}\u{301}\u{301}",
    ];
    for input in inputs {
        let result = ask(input);
        assert!(result.candidates.len() <= 5, "{input:?}");
        assert!(result
            .candidates
            .iter()
            .all(|c| (0.0..=1.0).contains(&c.score)));
    }
    assert_none(&long);
    assert_eq!(
        ask("ＲＥＦＵＮＤ").candidates[0].id,
        "refund-timing-en",
        "full width folds"
    );
}

#[test]
fn scores_are_normalised_and_sorted() {
    let result = ask("How long does shipping take?");
    assert_eq!(
        result.candidates[0].score, 1.0,
        "the stored question matches itself fully"
    );
    let scores: Vec<f32> = result.candidates.iter().map(|c| c.score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores
        .iter()
        .all(|s| *s >= MatchConfig::default().similar_threshold));
}

#[test]
fn config_changes_the_decision() {
    let index = sample();
    // "delivery" is a synonym of the stored "shipping": close to 1, never 1.
    let relaxed = index
        .match_query("is delivery free", &MatchConfig::default())
        .unwrap();
    assert_eq!(relaxed.decision, Decision::Answer);
    let strict = MatchConfig {
        answer_threshold: 0.99,
        ..MatchConfig::default()
    };
    let result = index.match_query("is delivery free", &strict).unwrap();
    assert_eq!(result.decision, Decision::Similar);
    let one = MatchConfig {
        max_similar: 1,
        ..MatchConfig::default()
    };
    assert_eq!(
        index.match_query("order", &one).unwrap().candidates.len(),
        1
    );
    let nothing = MatchConfig {
        similar_threshold: 1.0,
        answer_threshold: 1.0,
        ..MatchConfig::default()
    };
    assert_eq!(
        index.match_query("bluetooth", &nothing).unwrap(),
        MatchResult::none()
    );
}

#[test]
fn config_validates_and_deserialises_with_defaults() {
    assert_eq!(MatchConfig::default().validate(), Ok(()));
    let partial: MatchConfig = serde_json::from_str(r#"{"answer_threshold": 0.7}"#).unwrap();
    assert_eq!(
        partial,
        MatchConfig {
            answer_threshold: 0.7,
            ..MatchConfig::default()
        }
    );
    assert!(serde_json::from_str::<MatchConfig>(r#"{"answer_treshold": 0.7}"#).is_err());
    let bad = MatchConfig {
        margin: 1.5,
        ..MatchConfig::default()
    };
    assert!(matches!(
        bad.validate(),
        Err(ConfigError::OutOfRange {
            field: "margin",
            ..
        })
    ));
    let nan = MatchConfig {
        answer_threshold: f32::NAN,
        ..MatchConfig::default()
    };
    assert!(nan.validate().is_err());
    let upside_down = MatchConfig {
        similar_threshold: 0.9,
        ..MatchConfig::default()
    };
    assert!(matches!(
        upside_down.validate(),
        Err(ConfigError::SimilarAboveAnswer { .. })
    ));
    let zero = MatchConfig {
        max_similar: 0,
        ..MatchConfig::default()
    };
    assert!(matches!(
        zero.validate(),
        Err(ConfigError::MaxSimilar { .. })
    ));
}

#[test]
fn result_serialises_as_the_api_shape() {
    let json = serde_json::to_value(ask("invoice")).unwrap();
    assert_eq!(json["decision"], "answer");
    assert_eq!(json["candidates"][0]["id"], "invoice-en");
    assert_eq!(json["candidates"][0]["question"], "Can I get an invoice?");
    assert!(json["candidates"][0]["score"].is_number());
    assert_eq!(
        serde_json::to_value(MatchResult::none()).unwrap(),
        serde_json::json!({"decision": "none", "candidates": []})
    );
    assert_eq!(serde_json::to_value(Decision::Similar).unwrap(), "similar");
}

#[test]
fn an_empty_knowledge_base_matches_nothing() {
    let index = BotIndex::build(KnowledgeBase::from_json(r#"{"entries": []}"#).unwrap()).unwrap();
    assert_eq!(
        index.match_query("退货", &MatchConfig::default()).unwrap(),
        MatchResult::none()
    );
}

#[test]
fn the_index_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<BotIndex>();
    let index = std::sync::Arc::new(BotIndex::build(KnowledgeBase::sample()).unwrap());
    let handles: Vec<_> = ["退货", "invoice"]
        .into_iter()
        .map(|q| {
            let index = std::sync::Arc::clone(&index);
            std::thread::spawn(move || index.match_query(q, &MatchConfig::default()).unwrap())
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap().decision, Decision::Answer);
    }
}

#[test]
fn explain_shows_the_scoring() {
    let text = sample()
        .explain("shiping cost", "shipping-cost-en")
        .unwrap();
    assert!(text.contains("query words: shipe"), "{text}");
    assert!(sample().explain("x", "no-such-id").is_none());
}

#[test]
fn a_sites_own_synonyms_bridge_its_words() {
    let kb = |synonyms: &str| {
        let json = format!(
            r#"{{"entries":[{{"id":"ship","question":"When does my Zephyr ship?","answer":"Today."}},
                {{"id":"pay","question":"Can I pay by card?","answer":"Yes."}}]{synonyms}}}"#
        );
        BotIndex::build(KnowledgeBase::from_json(&json).expect("valid")).expect("indexes")
    };
    let ask = |index: &BotIndex| {
        index
            .match_query("when does my zeph ship", &MatchConfig::default())
            .expect("search works")
    };
    let plain = ask(&kb(""));
    let taught = ask(&kb(r#","synonyms":[["zephyr","zeph","风之耳"]]"#));
    assert_eq!(taught.decision, Decision::Answer, "{taught:?}");
    assert_eq!(taught.candidates[0].id, "ship");
    assert!(
        taught.candidates[0].score > plain.candidates[0].score,
        "{plain:?} {taught:?}"
    );
}

/// A three-entry knowledge base for the tests of one scoring rule.
fn small_kb(entries: &str) -> BotIndex {
    let json = format!(r#"{{"entries":[{entries}]}}"#);
    BotIndex::build(KnowledgeBase::from_json(&json).expect("valid")).expect("indexes")
}

fn first(index: &BotIndex, query: &str) -> Option<(String, f32)> {
    let ranked = index.rank(query).expect("search works");
    let &Scored { score, ord, .. } = ranked.first()?;
    Some((index.kb.entries()[ord].id.clone(), score))
}

#[test]
fn a_related_concept_earns_less_than_a_synonym() {
    let index = small_kb(
        r#"{"id":"warranty","question":"保修多久？","answer":"一年。"},
           {"id":"invoice","question":"可以开发票吗？","answer":"可以。"},
           {"id":"stock","question":"有现货吗？","answer":"有。"}"#,
    );
    // 维修 (repair) is related to 保修 (warranty), 质保 is its synonym.
    let (id, related) = first(&index, "维修").expect("a related concept finds the entry");
    assert_eq!(id, "warranty");
    let (_, synonym) = first(&index, "质保").expect("a synonym finds it");
    let (_, same) = first(&index, "保修").expect("the word finds it");
    assert!(
        0.0 < related && related < synonym && synonym < same,
        "{related} {synonym} {same}"
    );
    // Unrelated concepts earn nothing.
    assert_eq!(first(&index, "发货"), None);
}

#[test]
fn the_answer_alone_offers_an_entry_but_does_not_answer() {
    let index = small_kb(
        r#"{"id":"hours","question":"When are you open?","answer":"Every day 9:00-21:00, Sundays included."},
           {"id":"invoice","question":"Can I get an invoice?","answer":"Download it from My orders."},
           {"id":"stock","question":"Is it in stock?","answer":"Yes."}"#,
    );
    let (id, score) = first(&index, "sundays").expect("found through the answer");
    assert_eq!(id, "hours");
    assert!(score > 0.0 && score <= 0.45, "{score}");
    let (_, stored) = first(&index, "when are you open").expect("the question");
    assert!(stored > score, "{stored} {score}");
    // Only a question word in the answer ("every day") is no evidence.
    assert_eq!(first(&index, "what day"), None);
}

#[test]
fn a_lone_unknown_chinese_character_weighs_less_than_an_unknown_word() {
    let query = score::Query::analyse(sample(), "运费 谁 股票");
    let weight = |text: &str| {
        let term = query.terms.iter().find(|t| t.text == text);
        term.map_or(0.0, |t| t.weight)
    };
    assert!(weight("股票") > 0.0, "{query:?}");
    assert!(weight("谁") * 2.0 < weight("股票"), "{query:?}");
}

#[test]
fn asking_for_a_person_and_nothing_else_gets_none() {
    for query in [
        "转人工",
        "我要找人工",
        "can I speak to a real person",
        "human please",
    ] {
        assert_none(query);
    }
    // A question about the service itself is still one.
    assert_answer("人工客服几点上班", "contact-hours-zh");
    // So is asking when a person is there: the opening hours.
    let result = ask("人工客服早上几点开始");
    assert_eq!(
        ids(&result).first(),
        Some(&"contact-hours-zh"),
        "{result:?}"
    );
    let result = ask("人工 退货政策");
    assert_eq!(
        ids(&result).first(),
        Some(&"return-policy-zh"),
        "{result:?}"
    );
}

#[test]
fn a_chat_opened_with_anyone_there_is_read_without_it() {
    // Alone it asks for nobody in particular: no answer, the widget offers a human.
    for query in ["有人吗", "有人在吗？", "anyone there?", "Is anybody here"] {
        assert_none(query);
    }
    // Before a question it is read as the question alone (it had pulled
    // this one to a "did you mean" list with the opening hours second).
    assert_eq!(ask("有人吗 运费怎么算"), ask("运费怎么算"));
    assert_answer("有人在吗？运费怎么算", "shipping-cost-zh");
    // After other words it asks whether anyone is on duty then.
    assert_answer("周末有人吗", "contact-hours-zh");
    assert_answer("is anyone there at night", "contact-hours-en");
}

/// The explanation of `query` with `config`, checked against `match_query`.
#[track_caller]
fn explained(query: &str, config: &MatchConfig) -> Explanation {
    let explanation = sample().explain_match(query, config).expect("search works");
    let result = sample().match_query(query, config).expect("search works");
    assert_eq!(explanation.decision, result.decision, "{query:?}");
    // The candidates offered are the nearest entries at or over the threshold.
    let nearest: Vec<&str> = explanation.nearest.iter().map(|n| n.id.as_str()).collect();
    assert!(
        nearest.starts_with(&ids(&result)),
        "{query:?}: {nearest:?} vs {result:?}"
    );
    explanation
}

#[test]
fn an_explanation_names_the_reason_for_each_decision() {
    let default = MatchConfig::default();
    let answered = explained("How long does shipping take?", &default);
    assert_eq!(answered.reason, Reason::Answered);
    assert!(answered.best >= default.answer_threshold);
    assert!(answered.best - answered.runner_up >= default.margin);
    let first = &answered.nearest[0];
    assert_eq!(first.id, "shipping-time-en");
    assert!(first.details.contains("query words:"), "{}", first.details);
    assert_eq!(answered.nearest.len(), NEAREST);

    // The same question under stricter thresholds, one rule at a time (1.01:
    // over any score; an exact question scores 1).
    let strict_answer = MatchConfig {
        answer_threshold: 1.01,
        ..default
    };
    assert_eq!(
        explained("How long does shipping take?", &strict_answer).reason,
        Reason::UnderAnswerThreshold
    );
    let wide_margin = MatchConfig {
        margin: 0.999,
        ..default
    };
    assert_eq!(
        explained("how many days does shipping take", &wide_margin).reason,
        Reason::RunnerUpTooClose
    );
    // A stored question asked as it is is answered whatever the margin.
    let stored = explained("How long does shipping take?", &wide_margin);
    assert_eq!(
        (stored.decision, stored.reason),
        (Decision::Answer, Reason::AskedAsStored)
    );
    // Typos alone never answer, whatever the thresholds: the best entry is
    // offered and the reason says why.
    let lenient = MatchConfig {
        answer_threshold: 0.31,
        margin: 0.0,
        ..default
    };
    let typos = explained("trak my ordr", &lenient);
    assert_eq!(
        (typos.decision, typos.reason),
        (Decision::Similar, Reason::WeakMatch)
    );
    assert_eq!(typos.nearest[0].id, "order-tracking-en");
    assert!(typos.best >= lenient.answer_threshold, "{}", typos.best);
    assert!(typos.nearest[0]
        .details
        .contains("only typos or parts of words"));
    // So does an entry that only its answer matches ("left" of the noise
    // cancelling answer's "left touch panel").
    let answer_only = explained("any left?", &lenient);
    assert_eq!(
        (answer_only.decision, answer_only.reason),
        (Decision::Similar, Reason::WeakMatch)
    );
    assert_eq!(answer_only.nearest[0].id, "noise-cancelling-en");
    assert!(answer_only.best >= lenient.answer_threshold);
    let strict_all = MatchConfig {
        answer_threshold: 1.01,
        similar_threshold: 1.01,
        ..default
    };
    let under = explained("How long does shipping take?", &strict_all);
    assert_eq!(
        (under.decision, under.reason),
        (Decision::None, Reason::UnderSimilarThreshold)
    );
    // Under the thresholds, the nearest entries are still shown with scores.
    assert_eq!(under.nearest[0].id, "shipping-time-en");
    assert!(under.nearest[0].score > 0.0);

    assert_eq!(explained("   ", &default).reason, Reason::Blank);
    assert_eq!(
        explained(&"退货".repeat(300), &default).reason,
        Reason::TooLong
    );
    assert_eq!(explained("转人工", &default).reason, Reason::AsksForAPerson);
    let nothing = explained("zxqv blorft", &default);
    assert_eq!(
        (nothing.reason, nothing.nearest.len()),
        (Reason::NothingShared, 0)
    );
}

#[test]
fn explanations_agree_with_matching_on_every_sample_question() {
    let kb = KnowledgeBase::sample();
    for entry in kb.entries() {
        for query in std::iter::once(&entry.question).chain(&entry.similar) {
            explained(query, &MatchConfig::default());
        }
    }
}

#[test]
fn a_question_about_another_shop_gets_no_answer_unless_the_site_sells_there() {
    // The sample shop never mentions Amazon or 淘宝: such questions are about
    // those shops, however well the rest of them matches.
    assert_answer("how long does delivery take", "shipping-time-en");
    assert_none("how long does amazon take to deliver");
    assert_answer("怎么退货", "return-policy-zh");
    assert_none("淘宝怎么退货");
    assert_none("Taobao上买的能退货吗");
    let default = MatchConfig::default();
    let explanation = explained("can I return something I bought on ebay", &default);
    assert_eq!(
        (explanation.decision, explanation.reason),
        (Decision::None, Reason::AnotherShop)
    );
    // A shop that also sells on Taobao says so in an entry: then Taobao is
    // one of its own words, and a question about it is answered.
    let index = small_kb(
        r#"{"id":"taobao","question":"淘宝店买的可以退货吗？","answer":"可以，在淘宝申请。"},
           {"id":"returns","question":"怎么退货？","answer":"七天内申请。"},
           {"id":"invoice","question":"可以开发票吗？","answer":"可以。"}"#,
    );
    let result = (index.match_query("淘宝买的能退吗", &default)).expect("search works");
    assert_eq!(ids(&result).first(), Some(&"taobao"), "{result:?}");
    // Naming one other shop does not make the others this shop's.
    let amazon = (index.match_query("亚马逊买的能退吗", &default)).expect("search works");
    assert_eq!(amazon, MatchResult::none());
}

#[test]
fn an_entry_borrows_its_twins_phrasings_in_the_other_language() {
    let english = r#"{"id":"refund","question":"When will I get my refund?","answer":"Within 3 days of receiving your return, to PayPal."},
        {"id":"returns","question":"What is your return policy?","answer":"Return within 7 days."}"#;
    let chinese = r#",{"id":"refund-zh","question":"退款多久到账？","similar":["钱什么时候到"],"answer":"收到退货后3天内退回PayPal。"},
        {"id":"returns-zh","question":"退货政策是什么？","answer":"7天内可以退货。"}"#;
    let alone = small_kb(english);
    let bilingual = small_kb(&format!("{english}{chinese}"));
    // The English refund entry says nothing of money; its Chinese twin's
    // phrasing does (钱 is money), so an English question about money finds it.
    let query = "when do I see the money";
    let (id, with_twin) = first(&bilingual, query).expect("found through the twin");
    assert_eq!(id, "refund");
    let without = first(&alone, query).map_or(0.0, |(_, score)| score);
    assert!(with_twin > without + 0.1, "{with_twin} vs {without}");
    // The twin of the question's language is the one that borrows: the
    // Chinese entry does not answer the English question with its twin's words.
    let result = (bilingual.match_query(query, &MatchConfig::default())).expect("search works");
    assert_eq!(ids(&result).first(), Some(&"refund"), "{result:?}");
    assert!(
        (result.candidates.iter()).all(|c| c.id != "refund-zh" || c.score < 0.5),
        "{result:?}"
    );
}
