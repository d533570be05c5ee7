//! The built-in synonym table (`data/synonyms.txt`): groups of store terms in
//! English and Chinese that mean the same thing to a customer (refund / 退款,
//! shipping / delivery / 发货 / 快递 …). Kept as data; this module only parses it
//! into analysed terms, so a group matches whatever form the analyser produces
//! ("shipping" and "ship" both become `ship`).
//!
//! Used by [`index`](crate::index) to tag every indexed term with its group.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;

const SYNONYMS: &str = include_str!("../data/synonyms.txt");

/// Analysed term → group number, and each group's analysed terms.
#[derive(Debug, Clone, Default)]
pub(crate) struct Synonyms {
    group_of: HashMap<String, u32>,
    groups: Vec<Vec<String>>,
}

impl Synonyms {
    /// The bundled table. Words that do not analyse to exactly one word are
    /// skipped (the tests make sure there are none).
    pub(crate) fn builtin(analyzer: &mut TextAnalyzer) -> Self {
        Self::parse(SYNONYMS, analyzer).0
    }

    /// Parses a table; also returns the words that were skipped.
    pub(crate) fn parse(text: &str, analyzer: &mut TextAnalyzer) -> (Self, Vec<String>) {
        let mut table = Synonyms::default();
        let mut skipped = Vec::new();
        let lines = text.lines().map(str::trim);
        for line in lines.filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let group = u32::try_from(table.groups.len()).expect("fewer than 4 billion groups");
            let mut members = Vec::new();
            for word in line.split(',').map(str::trim).filter(|w| !w.is_empty()) {
                // A compound's own term counts (优惠券, not its part 优惠).
                let analysed = analysis::words(analyzer, word);
                let terms: Vec<&String> = analysed.iter().map(|w| &w.term).collect();
                match terms.as_slice() {
                    [term] if !table.group_of.contains_key(*term) || members.contains(*term) => {
                        table.group_of.insert((*term).clone(), group);
                        if !members.contains(*term) {
                            members.push((*term).clone());
                        }
                    }
                    _ => skipped.push(word.to_owned()),
                }
            }
            table.groups.push(members);
        }
        (table, skipped)
    }

    /// The group of an analysed term.
    pub(crate) fn group(&self, term: &str) -> Option<u32> {
        self.group_of.get(term).copied()
    }

    /// The analysed terms of a group.
    pub(crate) fn members(&self, group: u32) -> &[String] {
        self.groups.get(group as usize).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_word_is_one_term_in_one_group() {
        let (table, skipped) = Synonyms::parse(SYNONYMS, &mut analysis::analyzer());
        assert!(
            skipped.is_empty(),
            "not single words or in two groups: {skipped:?}"
        );
        assert!(table.groups.len() >= 20);
    }

    #[test]
    fn forms_of_one_word_share_the_analysed_term() {
        let table = Synonyms::builtin(&mut analysis::analyzer());
        let ship = table.group("ship").expect("shipping is in the table");
        assert_eq!(table.group("发货"), Some(ship));
        assert_eq!(table.group("快递"), Some(ship));
        assert_eq!(table.group("退款"), table.group("refund"));
        assert_ne!(table.group("退款"), table.group("退货"));
        assert!(table.members(ship).contains(&"deliveri".to_owned()));
    }
}
