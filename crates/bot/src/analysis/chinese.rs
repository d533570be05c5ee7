//! Chinese-only steps of the analysis: folding "A-not-A" questions before jieba
//! sees the text ([`fold_a_not_a`], called by `normalise`), and splitting a
//! query's unknown Chinese words into words the knowledge base knows
//! ([`resegment`], called by [`matching`](crate::matching)).

use super::{is_cjk, is_stopword, Word};

/// Chinese "A-not-A" questions ask about A: 包不包邮 → 包邮, 支不支持 → 支持,
/// 有没有 → 有, 可不可以 → 可以.
pub(super) fn fold_a_not_a(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() * 3);
    let mut i = 0;
    while i < chars.len() {
        let folds = i + 2 < chars.len()
            && is_cjk(chars[i])
            && matches!(chars[i + 1], '不' | '没')
            && chars[i + 2] == chars[i];
        if folds {
            i += 2;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Splits each Chinese word the knowledge base does not know (`known` is false)
/// into the pieces it knows (longest first, up to 4 characters), so a compound
/// jieba made of known words (能寄到, 按月付) is read as them. A word is split
/// only when its characters are all known pieces or stop words, or when known
/// pieces of two or more characters cover two thirds of it; then the unknown
/// characters and stop words go. Other words (天气, 股票) stay as they are.
pub(crate) fn resegment(words: Vec<Word>, known: impl Fn(&str) -> bool) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        let chars: Vec<char> = word.term.chars().collect();
        if chars.len() < 2 || known(&word.term) || !chars.iter().all(|&c| is_cjk(c)) {
            out.push(word);
            continue;
        }
        let pieces = known_pieces(&chars, &known);
        let full = pieces.iter().all(|(_, k)| *k);
        let long: usize = (pieces.iter())
            .filter(|(p, k)| *k && p.chars().count() > 1)
            .map(|(p, _)| p.chars().count())
            .sum();
        if full || long * 3 >= chars.len() * 2 {
            let kept = pieces.into_iter().filter(|(p, k)| *k && !is_stopword(p));
            out.extend(kept.map(|(term, _)| Word {
                term,
                subs: Vec::new(),
            }));
        } else {
            out.push(word);
        }
    }
    out
}

/// Forward maximum matching: (piece, whether known or a stop word).
fn known_pieces(chars: &[char], known: &impl Fn(&str) -> bool) -> Vec<(String, bool)> {
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let longest = (1..=4.min(chars.len() - i)).rev().find(|&len| {
            let piece: String = chars[i..i + len].iter().collect();
            known(&piece) || (len == 1 && is_stopword(&piece))
        });
        let len = longest.unwrap_or(1);
        pieces.push((chars[i..i + len].iter().collect(), longest.is_some()));
        i += len;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyzer, normalise, terms};

    #[test]
    fn a_not_a_questions_fold_to_a() {
        let mut a = analyzer();
        assert_eq!(terms(&mut a, "包不包邮"), terms(&mut a, "包邮"));
        assert_eq!(terms(&mut a, "支不支持花呗"), terms(&mut a, "支持花呗"));
        assert_eq!(normalise("可不可以退 不要"), "可以退 不要");
    }

    #[test]
    fn unknown_chinese_words_split_into_known_pieces() {
        let known = |t: &str| ["寄", "到", "月付", "今天", "天"].contains(&t);
        let word = |t: &str| Word {
            term: t.into(),
            subs: vec![],
        };
        let terms = |words: Vec<Word>| words.into_iter().map(|w| w.term).collect::<Vec<_>>();
        assert_eq!(
            terms(resegment(vec![word("能寄到"), word("美国")], known)),
            ["寄", "到", "美国"]
        );
        assert_eq!(terms(resegment(vec![word("按月付")], known)), ["月付"]);
        assert_eq!(
            terms(resegment(vec![word("今天天气")], known)),
            ["今天天气"]
        );
        assert_eq!(
            terms(resegment(vec![word("股票"), word("refund")], known)),
            ["股票", "refund"]
        );
    }
}
