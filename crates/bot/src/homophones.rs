//! Chinese typing slips. Visitors type Chinese as pinyin and pick characters from
//! a list, so their typos are characters of the same sound: 物留 for 物流, 运废 for
//! 运费, 降躁 for 降噪. The index knows the sound (toned pinyin, from the `pinyin`
//! crate's tables) of each Chinese word of 2–4 characters it or the dictionary
//! uses; a run of a question's characters with a known word's sound but other
//! characters is read as that word.
//!
//! Guards against false corrections: the sound must match with tones and
//! belong to one known word only; a run that jieba took for a word of its
//! own is left alone when all its characters are ones the knowledge base uses
//! (不想 is not a slip for 不响; 运废 is one for 运费: 废 is no shop word); a
//! known word is never corrected from inside (不想要了 is a word of the
//! dictionary, so its 不想 stays); and a run never cuts a word jieba found
//! (到加 of 到加拿大 is no slip for 到家).
//!
//! Used by [`matching`](crate::matching) on queries only.

use std::collections::{HashMap, HashSet};

use pinyin::ToPinyin;

use crate::analysis::is_cjk;

/// Longest word corrected, in characters.
const MAX_CHARS: usize = 4;

/// Sound → the one known word with that sound (`None`: several, ambiguous).
#[derive(Debug, Default)]
pub(crate) struct Homophones {
    by_sound: HashMap<String, Option<String>>,
    /// The known words themselves (2–4 Chinese characters).
    words: HashSet<String>,
    /// Every character of the known words.
    chars: HashSet<char>,
}

impl Homophones {
    /// From the known words (any; those that are not 2–4 Chinese characters
    /// are ignored) and the knowledge base's text (for its characters).
    pub(crate) fn new<'a>(
        words: impl Iterator<Item = &'a str>,
        text: impl Iterator<Item = char>,
    ) -> Self {
        let mut by_sound: HashMap<String, Option<String>> = HashMap::new();
        let mut known_words = HashSet::new();
        let known_chars: HashSet<char> = text.filter(|&c| is_cjk(c)).collect();
        for word in words {
            let chars: Vec<char> = word.chars().collect();
            if !(2..=MAX_CHARS).contains(&chars.len()) || !chars.iter().all(|&c| is_cjk(c)) {
                continue;
            }
            let Some(sound) = sound(&chars) else {
                continue;
            };
            known_words.insert(word.to_owned());
            by_sound
                .entry(sound)
                .and_modify(|known| {
                    if known.as_deref() != Some(word) {
                        *known = None;
                    }
                })
                .or_insert_with(|| Some(word.to_owned()));
        }
        Homophones {
            by_sound,
            words: known_words,
            chars: known_chars,
        }
    }

    /// `text` with slips corrected, or `None` when there is nothing to correct.
    /// `words`: the words jieba made of the question.
    pub(crate) fn correct(&self, text: &str, words: &[&str]) -> Option<String> {
        if self.by_sound.is_empty() || !text.chars().any(is_cjk) {
            return None;
        }
        let chars: Vec<char> = text.chars().collect();
        let spans = spans(&chars, words);
        let is_word = |run: &str| words.contains(&run);
        let cuts = |start: usize, end: usize| {
            (spans.iter()).any(|&(s, e)| s < end && e > start && (s < start || e > end))
        };
        let mut out = String::with_capacity(text.len());
        let mut changed = false;
        let mut i = 0;
        while i < chars.len() {
            match self.known_at(&chars, i, &is_word, &cuts) {
                Run::Slip(len, word) => {
                    out.push_str(word);
                    changed = true;
                    i += len;
                }
                Run::Known(len) => {
                    out.extend(&chars[i..i + len]);
                    i += len;
                }
                Run::Other => {
                    out.push(chars[i]);
                    i += 1;
                }
            }
        }
        changed.then_some(out)
    }

    /// The longest run at `i` that is a known word, or else the longest that
    /// sounds like one but is not.
    fn known_at(
        &self,
        chars: &[char],
        i: usize,
        is_word: &impl Fn(&str) -> bool,
        cuts: &impl Fn(usize, usize) -> bool,
    ) -> Run<'_> {
        let run = chars[i..]
            .iter()
            .take(MAX_CHARS)
            .take_while(|&&c| is_cjk(c))
            .count();
        for len in (2..=run).rev() {
            let text: String = chars[i..i + len].iter().collect();
            if self.words.contains(&text) {
                return Run::Known(len);
            }
        }
        (2..=run)
            .rev()
            .find_map(|len| {
                let span = &chars[i..i + len];
                let known = self.by_sound.get(&sound(span)?)?.as_deref()?;
                let text: String = span.iter().collect();
                let familiar = span.iter().all(|c| self.chars.contains(c));
                let guarded = (familiar && is_word(&text)) || cuts(i, i + len);
                (!guarded).then_some(Run::Slip(len, known))
            })
            .unwrap_or(Run::Other)
    }
}

/// What starts at a character of a question.
enum Run<'a> {
    /// A known word of this many characters: kept as it is.
    Known(usize),
    /// This many characters that sound like the known word: a slip.
    Slip(usize, &'a str),
    /// Neither.
    Other,
}

/// Where the words of two or more Chinese characters stand in `chars`
/// (character offsets, end exclusive).
fn spans(chars: &[char], words: &[&str]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for word in words {
        let word: Vec<char> = word.chars().collect();
        if word.len() < 2 || !word.iter().all(|&c| is_cjk(c)) {
            continue;
        }
        for start in 0..chars.len().saturating_sub(word.len() - 1) {
            if chars[start..start + word.len()] == word[..] {
                spans.push((start, start + word.len()));
            }
        }
    }
    spans
}

/// The toned pinyin of the characters, or `None` if one has none.
fn sound(chars: &[char]) -> Option<String> {
    let mut sound = String::new();
    for c in chars {
        sound.push_str(c.to_pinyin()?.with_tone_num());
        sound.push(' ');
    }
    Some(sound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Homophones {
        let words = [
            "物流", "运费", "降噪", "实时", "地址", "refund", "退", "不响",
        ];
        Homophones::new(words.into_iter(), "物流 不想要了 耳机不响".chars())
    }

    #[test]
    fn slips_of_the_same_sound_are_corrected() {
        let h = known();
        let no_words: &[&str] = &[];
        assert_eq!(h.correct("物留查询", no_words).as_deref(), Some("物流查询"));
        assert_eq!(h.correct("运废多少", no_words).as_deref(), Some("运费多少"));
        assert_eq!(
            h.correct("收货地止填错 ok", no_words).as_deref(),
            Some("收货地址填错 ok")
        );
        assert_eq!(h.correct("物流查询", no_words), None, "already right");
        assert_eq!(h.correct("refund", no_words), None);
    }

    #[test]
    fn real_words_and_ambiguous_sounds_are_left_alone() {
        let h = known();
        assert_eq!(
            h.correct("我不想要了", &["不想"]),
            None,
            "a word of familiar characters"
        );
        assert_eq!(
            h.correct("运废", &["运废"]).as_deref(),
            Some("运费"),
            "废 is no shop word"
        );
        let dictionary = Homophones::new(["不响", "不想要了"].into_iter(), "".chars());
        assert_eq!(
            dictionary.correct("订单不想要了", &[]),
            None,
            "不想 inside the known 不想要了 is no slip for 不响"
        );
        let home = Homophones::new(["到家"].into_iter(), "到家".chars());
        assert_eq!(
            home.correct("能寄到加拿大吗", &["加拿大"]),
            None,
            "到加 cuts jieba's 加拿大"
        );
        assert_eq!(home.correct("寄到加", &[]).as_deref(), Some("寄到家"));
        let twins = Homophones::new(["实时", "十时"].into_iter(), "".chars());
        assert_eq!(
            twins.correct("石实", &[]),
            None,
            "two known words sound alike"
        );
    }
}
