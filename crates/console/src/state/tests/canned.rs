//! The composer's `/` menu: finding the query, ranking replies, inserting one.

use crate::state::canned::{filter, insert, slash_query, MENU_ROWS};
use kefu_protocol::CannedReply;

fn reply(shortcut: &str, text: &str) -> CannedReply {
    CannedReply {
        id: format!("cr_{shortcut}"),
        shortcut: shortcut.into(),
        text: text.into(),
    }
}

#[test]
fn the_query_is_the_slash_token_before_the_caret() {
    assert_eq!(slash_query("/ref"), Some("ref"));
    assert_eq!(slash_query("/"), Some(""));
    assert_eq!(slash_query("Hello /thx"), Some("thx"));
    assert_eq!(slash_query("line one\n/ship"), Some("ship"));
    assert_eq!(slash_query("and/or"), None, "a slash inside a word is text");
    assert_eq!(slash_query("/ref done"), None, "whitespace ends the token");
    assert_eq!(slash_query("no slash"), None);
    assert_eq!(slash_query("http://x"), None);
}

#[test]
fn matches_rank_shortcut_prefix_then_shortcut_then_text() {
    let items = vec![
        reply("thanks", "Thank you for waiting"),
        reply("refund", "Refunds take 3-5 working days"),
        reply("late-refund", "Late refunds: call us"),
        reply("shipping", "We ship in 24 hours, refund if late"),
    ];
    let got: Vec<&str> = filter(&items, "ref")
        .iter()
        .map(|c| c.shortcut.as_str())
        .collect();
    assert_eq!(got, vec!["refund", "late-refund", "shipping"]);
    let got: Vec<&str> = filter(&items, "WAIT")
        .iter()
        .map(|c| c.shortcut.as_str())
        .collect();
    assert_eq!(got, vec!["thanks"], "case-insensitive, in the text too");
    assert_eq!(filter(&items, "").len(), 4, "an empty query lists them all");
    assert!(filter(&items, "zzz").is_empty());
    let many: Vec<CannedReply> = (0..20).map(|i| reply(&format!("r{i:02}"), "x")).collect();
    assert_eq!(filter(&many, "r").len(), MENU_ROWS);
}

#[test]
fn inserting_replaces_the_query_and_puts_the_caret_after_the_text() {
    assert_eq!(insert("/ref", "", "Refunds!"), ("Refunds!".into(), 8));
    assert_eq!(
        insert("Hi /ref", " bye", "Refunds"),
        ("Hi Refunds bye".into(), 10)
    );
    assert_eq!(insert("Hi ", "", "😀"), ("Hi 😀".into(), 5), "UTF-16 caret");
}
