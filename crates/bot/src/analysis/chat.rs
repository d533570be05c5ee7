//! How people type in a chat box, read as the words they stand for (called
//! by `normalise_words`, so questions, phrasings and answers are read alike): the
//! shorthand of chat ("u", "pls", "hw long", "whn"), and contractions typed
//! without their apostrophe ("dont", "hasnt", "wont"). Without this, each
//! is a word the knowledge base never uses, the heaviest kind there is, and
//! "whn do u send it out" reads as a question about two unknown things.
//!
//! Only whole runs of letters are replaced, so "U盘" or "ur" inside a word is
//! left alone; a form is listed only when it has one reading in a shop's
//! chat (not "y", "ill", "id", nor "bc", which is also British Columbia).
//!
//! Also dropped: asking whether anyone is there (有人吗, 有人在吗, "anyone
//! there?") where a chat is opened with it: at the start (after a greeting at
//! most), a sentence of its own. There it is no question about the shop: alone
//! it gets no answer (the widget then offers a human), and before a question it
//! must not pull the answer towards the opening hours ("有人吗 运费怎么算").
//! After other words it stays, as what it asks there: whether anyone is on
//! duty (周末有人吗, 晚上十点还有人在吗, "is anyone there at night").

use std::sync::OnceLock;

use regex::Regex;

/// Chat form → the words it stands for.
const FORMS: [(&str, &str); 51] = [
    // Shorthand.
    ("u", "you"),
    ("ya", "you"),
    ("ur", "your"),
    ("r", "are"),
    ("pls", "please"),
    ("plz", "please"),
    ("pleas", "please"),
    ("thx", "thanks"),
    ("thnx", "thanks"),
    ("hw", "how"),
    ("whn", "when"),
    ("wen", "when"),
    ("wat", "what"),
    ("wht", "what"),
    ("wut", "what"),
    ("whr", "where"),
    ("til", "until"),
    ("till", "until"),
    ("abt", "about"),
    ("b4", "before"),
    ("2day", "today"),
    ("tmr", "tomorrow"),
    ("tmrw", "tomorrow"),
    ("2moro", "tomorrow"),
    ("cuz", "because"),
    ("coz", "because"),
    ("wanna", "want to"),
    ("gonna", "going to"),
    ("pkg", "package"),
    ("addr", "address"),
    ("msg", "message"),
    ("ppl", "people"),
    ("rn", "right now"),
    // Contractions without their apostrophe.
    ("dont", "don't"),
    ("doesnt", "doesn't"),
    ("didnt", "didn't"),
    ("cant", "can't"),
    ("wont", "won't"),
    ("isnt", "isn't"),
    ("arent", "aren't"),
    ("wasnt", "wasn't"),
    ("werent", "weren't"),
    ("couldnt", "couldn't"),
    ("wouldnt", "wouldn't"),
    ("shouldnt", "shouldn't"),
    ("havent", "haven't"),
    ("hasnt", "hasn't"),
    ("im", "i'm"),
    ("ive", "i've"),
    ("youre", "you're"),
    ("whats", "what's"),
];

/// `text` with each chat form spelled out; `None` when it has none.
pub(crate) fn spell_out(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 8);
    let mut changed = false;
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_alphanumeric()) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let word = &rest[..end];
        match word.is_ascii().then(|| standard(word)).flatten() {
            Some(full) => {
                out.push_str(full);
                changed = true;
            }
            None => out.push_str(word),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// `text` without the check that anyone is there it opens with; `None` when
/// it opens otherwise.
pub(crate) fn drop_presence_checks(text: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)^(\s*(?:(?:你好|您好|hello|hi|hey)[\s,，.。!！?？]*)?)",
            r"(?:有人在?吗|(?:is\s+)?(?:any|some)(?:one|body)\s+(?:there|here)\s*(?:[?？!！.,，。]|$))",
        ))
        .expect("the presence pattern compiles")
    });
    match re.replace(text, "$1 ") {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(dropped) => Some(dropped),
    }
}

fn standard(word: &str) -> Option<&'static str> {
    (FORMS.iter())
        .find(|(form, _)| form.eq_ignore_ascii_case(word))
        .map(|(_, full)| *full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_forms_are_spelled_out_as_whole_words_only() {
        assert_eq!(
            spell_out("whn do u send it out?").as_deref(),
            Some("when do you send it out?")
        );
        assert_eq!(
            spell_out("it WONT charge, pls help").as_deref(),
            Some("it won't charge, please help")
        );
        assert_eq!(
            spell_out("hasnt arrived").as_deref(),
            Some("hasn't arrived")
        );
        for text in [
            "U盘能用吗",
            "your order",
            "USB-C",
            "urgent",
            "you're",
            "发货",
        ] {
            assert_eq!(spell_out(text), None, "{text}");
        }
    }

    #[test]
    fn asking_whether_anyone_is_there_is_dropped() {
        // What is left, its spaces aside.
        for (text, left) in [
            ("有人吗", ""),
            ("有人在吗？运费怎么算", "？运费怎么算"),
            ("你好，有人吗 运费怎么算", "你好， 运费怎么算"),
            (
                "hello, anyone there? how much is shipping",
                "hello, how much is shipping",
            ),
            ("Is Anybody Here", ""),
        ] {
            let dropped = drop_presence_checks(text).unwrap_or_else(|| panic!("kept: {text}"));
            let words: Vec<&str> = dropped.split_whitespace().collect();
            assert_eq!(words.join(" "), left, "{text}");
        }
        for text in [
            "周末有人吗",
            "晚上十点还有人在吗",
            "is anyone there at night",
            "客服在线吗",
            "is anyone online on sundays",
            "有人工客服吗",
            "can someone help me",
            "theres nobody there",
        ] {
            assert_eq!(drop_presence_checks(text), None, "{text}");
        }
    }

    #[test]
    fn every_form_is_lowercase_and_listed_once() {
        for (i, (form, _)) in FORMS.iter().enumerate() {
            assert_eq!(form.to_ascii_lowercase(), *form);
            assert!(FORMS[..i].iter().all(|(f, _)| f != form), "{form}");
        }
    }
}
