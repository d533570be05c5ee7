//! Text analysis shared by indexing and querying, so both sides see the same terms:
//!
//! 1. normalise: full-width ASCII to ASCII, control characters to spaces;
//! 2. segment with jieba (search mode: long words also yield their sub-words;
//!    Latin words and numbers come out whole); its dictionary also holds the
//!    built-in shop dictionary's Chinese words, so 有货, 月供 or 包邮 stay one
//!    word where jieba alone cuts 有 | 货 or 多少 | 钱包 | 邮;
//! 3. keep tokens with a letter or digit (drops spaces, punctuation, emoji), lowercase;
//! 4. drop stop words (`data/stopwords.txt`);
//! 5. stem English words (Snowball); Chinese passes through unchanged.
//!
//! Step 2 reads "can" + verb as the verb (能用 → 用, 能寄 → 寄: jieba glues the
//! modal to many verbs, which made 能用 a rare, heavy word).
//! Step 1 also folds Chinese "A-not-A" questions (包不包邮 → 包邮), spells
//! out chat forms (`chat`: "whn do u" → "when do you", "dont" → "don't") and marks
//! numbers with a unit with their kind (`quantity`: "3pm" → "3 qtyclock",
//! 八个月 → 8个月 qtymonth); `chinese`
//! also splits a query's unknown Chinese words into known ones ([`resegment`]).
//! Also: CJK character bigrams (an index field and a score that survive
//! segmentation differences) and the script of a text (for the language
//! preference in scoring). Used by [`index`](crate::index) and
//! [`matching`](crate::matching).

use std::collections::HashSet;
use std::sync::OnceLock;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{
    Language, Stemmer, StopWordFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
};

mod chat;
mod chinese;
mod quantity;

pub(crate) use chinese::resegment;
pub(crate) use quantity::is_quantity_word;

/// Name under which [`analyzer`] is registered in the index.
pub(crate) const WORDS_TOKENIZER: &str = "kefu_words";

const STOPWORDS: &str = include_str!("../data/stopwords.txt");

/// The analysis chain of this module's steps 1–5.
pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(StopWordFilter::remove(stopwords().map(str::to_owned)))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The distinct terms of `text` (words and sub-words), in first-seen order.
pub(crate) fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    // A set, not `Vec::contains`: answers run to thousands of tokens.
    let mut seen: HashSet<String> = HashSet::new();
    let mut terms: Vec<String> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        if seen.insert(token.text.clone()) {
            terms.push(token.text.clone());
        }
    }
    terms
}

/// A word of a text and the shorter terms jieba's search mode found inside it
/// (开发票 → 开发, 发票), each with its share of the word's characters.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    pub term: String,
    pub subs: Vec<(String, f32)>,
}

/// The distinct top-level words of `text`, each with its sub-words. Scoring
/// counts words, so a compound and its parts are not counted three times.
pub(crate) fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    // (term, first char, char length): jieba positions are character offsets.
    let mut spans: Vec<(String, usize, usize)> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        let len = token.position_length.max(1);
        spans.push((token.text.clone(), token.position, len));
    }
    // Longest first at each start, so a compound comes before its parts.
    spans.sort_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)));
    let mut words: Vec<Word> = Vec::new();
    let mut top: Option<(usize, usize, usize)> = None; // (word index, start, end)
    for (term, start, len) in spans {
        match top {
            Some((index, top_start, top_end)) if start >= top_start && start + len <= top_end => {
                let share = len as f32 / (top_end - top_start) as f32;
                let word = &mut words[index];
                if word.term != term && !word.subs.iter().any(|(t, _)| *t == term) {
                    word.subs.push((term, share));
                }
            }
            _ => {
                let index = match words.iter().position(|w| w.term == term) {
                    Some(existing) => existing,
                    None => {
                        words.push(Word {
                            term,
                            subs: Vec::new(),
                        });
                        words.len() - 1
                    }
                };
                top = Some((index, start, start + len));
            }
        }
    }
    words
}

/// Whether `c` is a CJK ideograph (the scripts jieba segments).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2EBEF}')
}

/// Which scripts a text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Script {
    /// Contains CJK ideographs.
    pub cjk: bool,
    /// Contains Latin letters.
    pub latin: bool,
}

impl Script {
    /// True when one text is only Chinese and the other only Latin.
    pub(crate) fn crosses(self, other: Script) -> bool {
        let only_cjk = |s: Script| s.cjk && !s.latin;
        let only_latin = |s: Script| s.latin && !s.cjk;
        (only_cjk(self) && only_latin(other)) || (only_latin(self) && only_cjk(other))
    }

    pub(crate) fn of(text: &str) -> Self {
        let mut script = Script::default();
        for c in text.chars() {
            script.cjk |= is_cjk(c);
            script.latin |= c.is_ascii_alphabetic();
        }
        script
    }
}

/// Share of `words` (those with letters) that are Chinese: 0.5 when none has
/// letters. The query's and each phrasing's language, for [`Script`]'s factor.
pub(crate) fn cjk_share<'a>(words: impl IntoIterator<Item = &'a str>) -> f32 {
    let (mut cjk, mut latin) = (0.0_f32, 0.0_f32);
    for word in words {
        let script = Script::of(word);
        cjk += f32::from(u8::from(script.cjk));
        latin += f32::from(u8::from(script.latin && !script.cjk));
    }
    if cjk + latin > 0.0 {
        cjk / (cjk + latin)
    } else {
        0.5
    }
}

/// Distinct character bigrams of each run of CJK ideographs (a one-character
/// run gives that character), joined by spaces for the whitespace tokenizer.
pub(crate) fn cjk_bigrams(text: &str) -> Vec<String> {
    let text = &normalise(text);
    let mut grams: Vec<String> = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut flush = |run: &mut Vec<char>| {
        let new: Vec<String> = if run.len() == 1 {
            vec![run[0].to_string()]
        } else {
            run.windows(2).map(|w| w.iter().collect()).collect()
        };
        for gram in new {
            if !grams.contains(&gram) {
                grams.push(gram);
            }
        }
        run.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            run.push(c);
        } else if !run.is_empty() {
            flush(&mut run);
        }
    }
    if !run.is_empty() {
        flush(&mut run);
    }
    grams
}

/// The frequency (in jieba's dictionary, of about 60 million in all) given
/// to the shop dictionary's words: that of a common word (多少 has 20,000,
/// 钱包 1,000), so one wins over a cut that splits it into others (多少钱 |
/// 包邮, not 多少 | 钱包 | 邮), and context still decides between two of them.
const SHOP_WORD_FREQ: usize = 10_000;

/// The one jieba of the process: its default dictionary (loaded on first
/// use) and the built-in shop dictionary's Chinese words of 2–6 characters.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut jieba = Jieba::new();
        for member in crate::lexicon::builtin_members() {
            let chars = member.chars().count();
            if (2..=6).contains(&chars) && member.chars().all(is_cjk) {
                let freq = jieba.suggest_freq(member).max(SHOP_WORD_FREQ);
                jieba.add_word(member, Some(freq), None);
            }
        }
        jieba
    })
}

/// The modal "can" of Chinese questions, which jieba often glues to the verb.
const MODAL: char = '能';

/// Whether a jieba word is [`MODAL`] and a verb (能用, 能发, 能撑): two or
/// three Chinese characters, not a shop-dictionary word (能否), not a noun
/// (能力, 能量, 能源) nor another modal (能够, 能不能).
fn has_modal(word: &str) -> bool {
    static MEMBERS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let mut chars = word.chars();
    let (Some(MODAL), Some(next)) = (chars.next(), chars.next()) else {
        return false;
    };
    let len = word.chars().count();
    (2..=3).contains(&len)
        && word.chars().all(is_cjk)
        && !['力', '量', '源', '够', '不', '否', '耗', '效', '手', '干'].contains(&next)
        && !(MEMBERS.get_or_init(|| crate::lexicon::builtin_members().collect())).contains(word)
}

/// Steps 1–3: jieba segmentation of the normalised text, words only, lowercase.
#[derive(Clone, Default)]
pub(crate) struct WordTokenizer;

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = OwnedTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> OwnedTokenStream {
        let normalised = normalise_words(text);
        let base = normalised.as_ptr() as usize;
        let found = jieba().tokenize(&normalised, TokenizeMode::Search, true);
        let tokens = (found.into_iter())
            .filter(|t| t.word.chars().any(char::is_alphanumeric))
            .map(|t| {
                let offset_from = t.word.as_ptr() as usize - base;
                // "Can" + verb (能用, 能寄, 能撑) is the verb: the modal is a stop word.
                let modal = usize::from(has_modal(t.word));
                let skip = modal * MODAL.len_utf8();
                // Positions are jieba's character offsets (for `words`).
                Token {
                    offset_from: offset_from + skip,
                    offset_to: offset_from + t.word.len(),
                    position: t.start + modal,
                    position_length: t.end - t.start - modal,
                    text: t.word[skip..].to_lowercase(),
                }
            })
            .collect();
        OwnedTokenStream { tokens, next: 0 }
    }
}

fn normalise(text: &str) -> String {
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(' '),
            '\u{3000}' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    chinese::fold_a_not_a(&chars)
}

/// [`normalise`], then checks that anyone is there dropped, chat forms
/// spelled out and quantities marked: what the words are read from (bigrams
/// need none of it).
fn normalise_words(text: &str) -> String {
    let mut text = normalise(text);
    if let Some(dropped) = chat::drop_presence_checks(&text) {
        text = dropped;
    }
    if let Some(spelled) = chat::spell_out(&text) {
        text = spelled;
    }
    match quantity::mark(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(marked) => marked,
    }
}

/// Whether `word` is one of `data/stopwords.txt`.
pub(crate) fn is_stopword(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| stopwords().collect()).contains(word)
}

fn stopwords() -> impl Iterator<Item = &'static str> {
    (STOPWORDS.lines().map(str::trim)).filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// Tokens computed up front (jieba segments the whole text at once anyway).
pub(crate) struct OwnedTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for OwnedTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_text_gives_stemmed_words_without_stopwords_or_punctuation() {
        let mut a = analyzer();
        assert_eq!(
            terms(&mut a, "耳机 Battery 多久？ What's the shipping!! 😀"),
            ["耳机", "batteri", "多久", "what", "ship"]
        );
    }

    #[test]
    fn full_width_and_control_characters_are_normalised() {
        let mut a = analyzer();
        assert_eq!(terms(&mut a, "ＩＰＸ４\u{0}\u{7}防水"), ["ipx4", "防水"]);
        assert!(terms(&mut a, "\u{0}\u{1b}[31m!!")
            .iter()
            .all(|t| t == "31m"));
    }

    #[test]
    fn compounds_keep_their_parts_as_sub_words() {
        let mut a = analyzer();
        let words = words(&mut a, "北京大学在哪 大学");
        assert_eq!(words.len(), 3, "{words:?}");
        assert_eq!(words[0].term, "北京大学");
        let subs: Vec<&str> = words[0].subs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(subs, ["北京", "大学"]);
        assert!((words[0].subs[1].1 - 0.5).abs() < 1e-6);
        assert_eq!(
            words[2],
            Word {
                term: "大学".into(),
                subs: vec![]
            }
        );
    }

    #[test]
    fn shop_words_stay_whole() {
        let mut a = analyzer();
        let mut top = |text: &str| -> Vec<String> {
            words(&mut a, text).into_iter().map(|w| w.term).collect()
        };
        // jieba alone: 开发票 (sub-words 开发, 发票), 多少 | 钱包 | 邮, 有 | 货.
        assert_eq!(top("可以开发票吗"), ["开", "发票"]);
        assert_eq!(top("多少钱包邮"), ["多少钱", "包邮"]);
        assert_eq!(top("啥时候有货"), ["啥时候", "有货"]);
        assert_eq!(top("我的钱包"), ["钱包"]);
    }

    #[test]
    fn bigrams_cover_cjk_runs_only() {
        assert_eq!(cjk_bigrams("退货 ok 政策是"), ["退货", "政策", "策是"]);
        assert_eq!(cjk_bigrams("a 我 b"), ["我"]);
        assert!(cjk_bigrams("hello").is_empty());
    }

    #[test]
    fn scripts_are_told_apart() {
        assert_eq!(
            Script::of("退货"),
            Script {
                cjk: true,
                latin: false
            }
        );
        assert_eq!(
            Script::of("refund"),
            Script {
                cjk: false,
                latin: true
            }
        );
        assert_eq!(
            Script::of("耳机 battery"),
            Script {
                cjk: true,
                latin: true
            }
        );
        assert_eq!(Script::of("12345"), Script::default());
        let (zh, en) = (Script::of("退货"), Script::of("refund"));
        assert!(zh.crosses(en) && en.crosses(zh) && !zh.crosses(zh));
        assert!(!Script::of("耳机 battery").crosses(en));
    }
}
