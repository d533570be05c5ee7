//! The question-list format, the figures on small hand-made lists, calibration,
//! and the shape of the bundled evaluation set.

use super::*;
use crate::MatchConfig;

const BUNDLED: &str = include_str!("../../data/eval/sample-kb.tsv");
const TEA_KB: &str = include_str!("../../data/eval/tea-shop.json");
const TEA: &str = include_str!("../../data/eval/tea-shop.tsv");
const CLOTHING_KB: &str = include_str!("../../data/eval/clothing-shop.json");
const CLOTHING: &str = include_str!("../../data/eval/clothing-shop.tsv");
const SKINCARE_KB: &str = include_str!("../../data/eval/skincare-shop.json");
const SKINCARE: &str = include_str!("../../data/eval/skincare-shop.tsv");

fn sample() -> BotIndex {
    BotIndex::build(KnowledgeBase::sample()).expect("the sample indexes")
}

#[test]
fn lines_parse_with_defaults_for_group_and_split() {
    let set = EvalSet::parse(
        "# comment\n\nreturn-policy-zh\t退货政策\r\n-\thello\ten\tdev\ninvoice-en\t invoice \t\ttest\n",
    )
    .expect("parses");
    let cases = set.cases();
    assert_eq!(cases.len(), 3);
    assert_eq!(
        cases[0],
        Case {
            line: 3,
            expect: Some("return-policy-zh".into()),
            question: "退货政策".into(),
            group: "zh".into(),
            split: "all".into(),
        }
    );
    assert_eq!(
        (cases[1].expect.as_deref(), cases[1].split.as_str()),
        (None, "dev")
    );
    assert_eq!(
        (cases[2].question.as_str(), cases[2].group.as_str()),
        ("invoice", "en")
    );
    assert_eq!(set.splits(), ["all", "dev", "test"]);
}

#[test]
fn bad_lines_are_named() {
    let line = |text: &str| match EvalSet::parse(text) {
        Err(EvalError::Line { line, problem }) => (line, problem),
        other => panic!("{other:?}"),
    };
    assert_eq!(line("a\tq\n# x\nonly one field\n").0, 3);
    assert!(line("\tquestion").1.contains("entry id is empty"));
    assert!(line("id\t  ").1.contains("question is empty"));
    assert!(line("id\tq\tg\ts\textra").1.contains("2 to 4"));
    assert_eq!(EvalSet::parse("# nothing\n\n"), Err(EvalError::Empty));
    let set = EvalSet::parse("invoice-en\tinvoice\nno-such-id\tq\n").expect("parses");
    assert_eq!(
        set.check_ids(&KnowledgeBase::sample()),
        Err(EvalError::UnknownEntry {
            line: 2,
            id: "no-such-id".into()
        })
    );
}

#[test]
fn figures_count_hits_answers_and_rejections() {
    let index = sample();
    let set = EvalSet::parse(
        "return-policy-zh\t退货政策\tzh\ninvoice-en\t退货政策\tzh\n-\tasdkjh qwe\ten\n-\tinvoice\ten\n",
    )
    .expect("parses");
    let report = set
        .rank(&index)
        .expect("ranks")
        .report(&MatchConfig::default());
    let zh = report.figures("all", "zh").expect("zh row");
    assert_eq!(
        (zh.on_topic, zh.top1, zh.top3, zh.answered, zh.wrong),
        (2, 1, 1, 1, 1)
    );
    let en = report.figures("all", "en").expect("en row");
    assert_eq!((en.on_topic, en.off_topic, en.rejected), (0, 2, 1));
    let all = report.figures("all", "all").expect("all row");
    assert_eq!((all.on_topic, all.off_topic), (2, 2));
    assert!(en.top1_rate().is_nan());
    assert_eq!(all.rejection_rate(), 0.5);
    let questions: Vec<&str> = report.misses.iter().map(|m| m.question.as_str()).collect();
    assert_eq!(questions, ["退货政策", "invoice"]);
    let text = report.to_string();
    assert!(
        text.contains("| all | zh | 2 | 0.500 | 0.500 | 0.500 | 0.500 | 0 | – |"),
        "{text}"
    );
    assert!(
        text.contains("| invoice-en | return-policy-zh (answer) | 1 |"),
        "{text}"
    );
    assert!(
        text.contains("| - (off-topic) | invoice-en (answer) | 1 | \"invoice\""),
        "{text}"
    );
}

#[test]
fn calibration_needs_both_kinds_and_stays_in_range() {
    let index = sample();
    let only_on = EvalSet::parse("invoice-en\tinvoice\n").expect("parses");
    assert_eq!(only_on.rank(&index).expect("ranks").calibrate(&[], 5), None);
    let set = EvalSet::parse(
        "invoice-en\tinvoice\tx\tdev\nreturn-policy-en\treturns\tx\tdev\n-\thello\tx\tdev\n-\tzzqx\tx\ttest\n",
    )
    .expect("parses");
    let ranked = set.rank(&index).expect("ranks");
    let calibration = ranked.calibrate(&["dev"], 5).expect("both kinds");
    let c = calibration.config;
    assert_eq!((calibration.on_topic, calibration.off_topic), (2, 1));
    assert!(c.validate().is_ok(), "{c:?}");
    assert!(c.similar_threshold <= c.answer_threshold && c.max_similar == 5);
    let report = ranked.report(&c);
    let dev = report.figures("dev", "all").expect("dev");
    assert_eq!(
        (dev.top1, dev.answered, dev.wrong, dev.rejected),
        (2, 2, 0, 1)
    );
    assert_eq!(
        ranked.calibrate(&["test"], 5),
        None,
        "test has no on-topic question"
    );
}

#[test]
fn the_bundled_set_covers_every_sample_entry_in_every_split() {
    let set = EvalSet::parse(BUNDLED).expect("the bundled set parses");
    let kb = KnowledgeBase::sample();
    set.check_ids(&kb).expect("every expected entry exists");
    assert_eq!(
        set.splits(),
        [
            "dev", "test", "fresh", "unseen", "blind", "sealed", "vault", "crypt", "ember",
            "flint", "grove", "heath"
        ]
    );
    for entry in kb.entries() {
        let least = [
            ("dev", 5),
            ("test", 5),
            ("fresh", 3),
            ("unseen", 4),
            ("blind", 3),
            ("sealed", 3),
            ("vault", 3),
            ("crypt", 3),
            ("ember", 3),
            ("flint", 3),
            ("grove", 3),
            ("heath", 3),
        ];
        for (split, least) in least {
            let n = (set.cases().iter())
                .filter(|c| c.split == split && c.expect.as_deref() == Some(entry.id.as_str()))
                .count();
            assert!(n >= least, "{} has {n} questions in {split}", entry.id);
        }
    }
    let off = |split: &str, group: &str| {
        (set.cases().iter())
            .filter(|c| c.expect.is_none() && c.split == split && c.group == group)
            .count()
    };
    assert!(["dev", "test"]
        .iter()
        .all(|s| off(s, "en") >= 20 && off(s, "zh") >= 20));
    assert!(["fresh", "unseen"]
        .iter()
        .all(|s| off(s, "en") >= 10 && off(s, "zh") >= 10));
    assert!(
        ["blind", "sealed", "vault", "crypt", "ember", "flint", "grove", "heath"]
            .iter()
            .all(|s| off(s, "en") >= 8 && off(s, "zh") >= 8)
    );
}

/// A shop's knowledge base and question list from `data/eval/`, parsed and
/// checked: every entry asked twice in `dev` and three times in `test`, 15
/// off-topic questions per language.
fn shop(kb: &str, list: &str) -> (BotIndex, EvalSet) {
    let kb = KnowledgeBase::from_json(kb).expect("the shop's knowledge base loads");
    let set = EvalSet::parse(list).expect("the shop's set parses");
    set.check_ids(&kb).expect("every expected entry exists");
    assert_eq!(set.splits(), ["dev", "test"]);
    for entry in kb.entries() {
        let asked = |split: &str| {
            (set.cases().iter())
                .filter(|c| c.split == split && c.expect.as_deref() == Some(entry.id.as_str()))
                .count()
        };
        assert_eq!((asked("dev"), asked("test")), (2, 3), "{}", entry.id);
    }
    for group in ["en", "zh"] {
        let off = (set.cases().iter())
            .filter(|c| c.expect.is_none() && c.group == group)
            .count();
        assert_eq!(off, 15, "{group}");
    }
    (BotIndex::build(kb).expect("it indexes"), set)
}

/// Floors a little under the `dev` figures in BENCHMARKS.md for another
/// shop's knowledge base (the built-in dictionary's general store concepts
/// lifted them from 0.786 top-1 for the tea shop, 0.750 for the clothing shop;
/// the skincare shop's were first read after those changes).
fn dev_floors(kb: &str, list: &str, top1: f64, top3: f64) {
    let (index, set) = shop(kb, list);
    let report = (set.rank(&index).expect("ranks")).report(&MatchConfig::default());
    let table = report.table();
    let dev = report.figures("dev", "all").expect("dev");
    assert!(
        dev.top1_rate() >= top1 && dev.top3_rate() >= top3,
        "{table}"
    );
    assert!(dev.rejection_rate() >= 0.7, "{table}");
}

#[test]
fn the_tea_shop_figures_hold() {
    dev_floors(TEA_KB, TEA, 0.87, 0.92);
}

#[test]
fn the_clothing_shop_figures_hold() {
    dev_floors(CLOTHING_KB, CLOTHING, 0.84, 0.92);
}

#[test]
fn the_skincare_shop_figures_hold() {
    dev_floors(SKINCARE_KB, SKINCARE, 0.8, 0.84);
}

#[test]
fn the_default_thresholds_are_the_tuning_calibration_and_the_figures_hold() {
    let set = EvalSet::parse(BUNDLED).expect("the bundled set parses");
    let index = sample();
    let ranked = set.rank(&index).expect("ranks");
    let calibrated = (ranked.calibrate(&CALIBRATION_SPLITS, 5))
        .expect("both kinds")
        .config;
    assert_eq!(
        calibrated,
        MatchConfig::default(),
        "matching changed: recalibrate (cargo run -p kefu-bot --example eval)"
    );
    // Floors a little under the figures in BENCHMARKS.md, so a change that makes
    // the bot understand visitors less fails here.
    let report = ranked.report(&MatchConfig::default());
    let (dev, test) = (
        report.figures("dev", "all").expect("dev"),
        report.figures("test", "all").expect("test"),
    );
    let table = report.table();
    assert!(
        dev.top1_rate() >= 0.95 && dev.rejection_rate() >= 0.9,
        "{table}"
    );
    assert!(
        test.top1_rate() >= 0.89 && test.top3_rate() >= 0.95,
        "{table}"
    );
    assert!(test.rejection_rate() >= 0.8, "{table}");
    let fresh = report.figures("fresh", "all").expect("fresh");
    assert!(
        fresh.top1_rate() >= 0.85 && fresh.top3_rate() >= 0.91,
        "{table}"
    );
}
