//! The question list's text format (described in [`eval`](super)): lines to
//! [`Case`]s, or the first bad line.

use super::Case;
use crate::analysis::is_cjk;
use crate::error::EvalError;

/// The split of a line without one.
const DEFAULT_SPLIT: &str = "all";

pub(super) fn cases(text: &str) -> Result<Vec<Case>, EvalError> {
    let mut cases = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        cases.push(case(n + 1, line)?);
    }
    if cases.is_empty() {
        return Err(EvalError::Empty);
    }
    Ok(cases)
}

fn case(line: usize, text: &str) -> Result<Case, EvalError> {
    let fail = |problem: &str| EvalError::Line {
        line,
        problem: problem.to_owned(),
    };
    let fields: Vec<&str> = text.split('\t').map(str::trim).collect();
    if !(2..=4).contains(&fields.len()) {
        return Err(fail(
            "expected 2 to 4 tab-separated fields: entry id (or -), question, group, split",
        ));
    }
    let (expect, question) = (fields[0], fields[1]);
    if expect.is_empty() {
        return Err(fail(
            "the entry id is empty (use - for a question the bot must not answer)",
        ));
    }
    if question.is_empty() {
        return Err(fail("the question is empty"));
    }
    let label = |i: usize| fields.get(i).copied().filter(|f| !f.is_empty());
    let group = label(2).map_or_else(|| script_group(question), str::to_owned);
    Ok(Case {
        line,
        expect: (expect != "-").then(|| expect.to_owned()),
        question: question.to_owned(),
        group,
        split: label(3).unwrap_or(DEFAULT_SPLIT).to_owned(),
    })
}

/// The group of a question without one: `zh` with Chinese characters, else `en`.
fn script_group(question: &str) -> String {
    let group = if question.chars().any(is_cjk) {
        "zh"
    } else {
        "en"
    };
    group.to_owned()
}
