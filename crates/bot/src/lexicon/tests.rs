//! The dictionary: every built-in member and relation is used, forms and
//! languages share a concept, phrases merge, site groups join, relations.

use super::*;

#[test]
fn every_builtin_member_is_kept_in_one_concept() {
    let mut analyzer = analysis::analyzer();
    let mut lexicon = Lexicon::default();
    let mut skipped = Vec::new();
    let lines = parse(BUILTIN);
    for line in &lines {
        if let Line::Group(kind, members) = line {
            skipped.extend(lexicon.add_group(*kind, members, false, &mut analyzer));
        }
    }
    assert!(
        skipped.is_empty(),
        "stop words only, or in two groups: {skipped:?}"
    );
    assert!(lexicon.kinds.len() >= 60, "{}", lexicon.kinds.len());
    let mut unknown = Vec::new();
    for line in &lines {
        if let Line::Related(name, others) = line {
            unknown.extend(lexicon.relate(name, others, &mut analyzer));
        }
    }
    assert!(unknown.is_empty(), "names of no concept: {unknown:?}");
}

#[test]
fn lines_are_parsed_and_relations_symmetric() {
    assert_eq!(
        parse("# c\n? when, 多久\n! human, 人工\n~ warranty: repair , broken,\nship, 发货"),
        [
            Line::Group(Kind::Intent, vec!["when", "多久"]),
            Line::Group(Kind::Handoff, vec!["human", "人工"]),
            Line::Related("warranty", vec!["repair", "broken"]),
            Line::Group(Kind::Topic, vec!["ship", "发货"]),
        ]
    );
    let mut analyzer = analysis::analyzer();
    let lexicon = Lexicon::new(&[], &mut analyzer);
    let concept = |w: &str| lexicon.concept(w).expect("in the dictionary");
    let (warranty, repair) = (concept("保修"), concept("维修"));
    assert!(lexicon.related(warranty).contains(&repair));
    assert!(lexicon.related(repair).contains(&warranty));
    assert!(!lexicon.related(warranty).contains(&concept("发货")));
    let fee = concept("运费");
    assert!(lexicon.related(fee).contains(&concept("寄")));
    assert!(lexicon.related(fee).contains(&concept("收费")));
}

#[test]
fn forms_phrases_and_languages_share_a_concept() {
    let mut analyzer = analysis::analyzer();
    let lexicon = Lexicon::new(&[], &mut analyzer);
    let ship = lexicon
        .concept("ship")
        .expect("shipping is in the dictionary");
    assert_eq!(lexicon.concept("发货"), Some(ship));
    assert_eq!(lexicon.concept("send out"), Some(ship));
    assert_eq!(lexicon.concept("退款"), lexicon.concept("refund"));
    assert_eq!(lexicon.concept("money back"), lexicon.concept("refund"));
    assert_ne!(lexicon.concept("退款"), lexicon.concept("退货"));
    let number = lexicon
        .concept("单号")
        .expect("a member jieba splits alone");
    assert_eq!(lexicon.concept("快递单号"), Some(number));
    let how_long = lexicon.concept("how long").expect("an intent");
    assert_eq!(lexicon.kind(how_long), Kind::Intent);
    assert_eq!(lexicon.concept("多久"), Some(how_long));
    assert_eq!(lexicon.kind(ship), Kind::Topic);
}

#[test]
fn phrases_become_one_word_longest_first() {
    let mut analyzer = analysis::analyzer();
    let lexicon = Lexicon::new(&[], &mut analyzer);
    let words = analysis::words(&mut analyzer, "when do I get my money back");
    let merged = lexicon.merge_phrases(words);
    let terms: Vec<&str> = merged.iter().map(|w| w.term.as_str()).collect();
    assert_eq!(terms, ["when", "get", "money back"]);
    assert_eq!(
        merged[2].subs,
        [("money".to_owned(), 0.5), ("back".to_owned(), 0.5)]
    );
}

#[test]
fn a_site_group_joins_a_builtin_concept_or_makes_its_own() {
    let mut analyzer = analysis::analyzer();
    let site = vec![
        vec!["refund".to_owned(), "chargeback".to_owned()],
        vec!["Aria 2".to_owned(), "aria2".to_owned()],
    ];
    let lexicon = Lexicon::new(&site, &mut analyzer);
    assert_eq!(lexicon.concept("chargeback"), lexicon.concept("退款"));
    let aria = lexicon.concept("aria 2").expect("a site concept");
    assert_eq!(lexicon.concept("aria2"), Some(aria));
    assert_eq!(lexicon.kind(aria), Kind::Topic);
}

#[test]
fn colloquial_forms_join_their_concepts() {
    let mut analyzer = analysis::analyzer();
    let lexicon = Lexicon::new(&[], &mut analyzer);
    let mut concept = |text: &str| {
        let words: Vec<String> = (analysis::words(&mut analyzer, text).into_iter())
            .map(|w| w.term)
            .collect();
        lexicon.concept(&words.join(" "))
    };
    // Short spoken forms: 啥时候发 asks when it ships.
    assert_eq!(concept("发"), concept("发货"));
    assert_eq!(concept("寄过来"), concept("发货"));
    assert_eq!(concept("月供"), concept("分期"));
    assert_eq!(concept("far"), concept("range"));
    assert_eq!(concept("多远"), concept("距离"));
    assert_eq!(concept("unionpay"), concept("信用卡"));
    assert_eq!(concept("支付宝"), concept("paypal"));
    assert_ne!(
        concept("支付宝"),
        concept("支付"),
        "a wallet is not any payment"
    );
    let money = concept("钱");
    assert!(money.is_some() && money != concept("退款"));
    // Words of another meaning stay out: "placed an order" is no address,
    // it is ordering.
    assert_ne!(concept("placed"), concept("address"));
    assert_eq!(concept("placed"), concept("order"));
    assert_eq!(concept("left"), None);
}
