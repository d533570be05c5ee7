//! A readable account of how one entry scored against a query, for tuning a
//! knowledge base ([`BotIndex::explain`]). Not a stable format.

use std::fmt::Write as _;

use super::matcher::Matcher;
use super::score::Query;
use crate::index::BotIndex;

impl Query {
    /// A human-readable account of the scoring of `ord`'s phrasings.
    pub(super) fn explain(&self, index: &BotIndex, ord: usize) -> String {
        let features = &index.features;
        let fuzzy = self.fuzzy_matches(features, &[ord]);
        let matcher = Matcher {
            query: self,
            features,
            fuzzy: &fuzzy,
        };
        let mut out = String::new();
        let words: Vec<String> = (self.words.iter())
            .map(|w| {
                format!(
                    "{}({:.2})",
                    self.terms[w.term].text, self.terms[w.term].weight
                )
            })
            .collect();
        let _ = writeln!(out, "query words: {}", words.join(" "));
        let entry = &features.entries[ord];
        let parts: Vec<_> = entry.phrasings.iter().map(|p| matcher.parts(p)).collect();
        let coverage = matcher.entry_coverage(&parts);
        let _ = writeln!(out, "  coverage of the question {coverage:.3}");
        for phrasing in &entry.phrasings {
            let words: Vec<String> = (phrasing.words.iter())
                .map(|&(id, _)| {
                    let term = &features.terms[id as usize];
                    format!("{term}({:.2})", features.weight[id as usize])
                })
                .collect();
            let parts = matcher.parts(phrasing);
            let score = matcher.phrasing_score(phrasing, &parts, coverage);
            let _ = writeln!(out, "  {score:.3} {}", words.join(" "));
        }
        let _ = writeln!(out, "  entry {:.3}", matcher.entry(entry));
        out
    }
}
