//! The knowledge base as CSV, for site owners who keep their questions in a
//! spreadsheet. One row per entry under a header that names the columns, in
//! any order: `id`, `question` and `answer` are required; `similar` (one
//! phrasing per line inside the cell), `category`, `heat` (a whole number,
//! empty: 0) and `lang` may be left out. A CSV carries no synonym groups: the
//! caller passes the ones to keep (the site's).
//!
//! Reading collects every row's problems at once — the format's and then the
//! entries' rules, as the JSON file's are checked — each naming its row as a
//! spreadsheet numbers them (the header is row 1), so an owner fixes them all
//! in one go; nothing is built from a file with any.

use super::{validate, Entry, KnowledgeBase};
use crate::error::{KbError, RowProblem, RowWhy};

/// The columns, in the order [`KnowledgeBase::to_csv`] writes them.
pub const COLUMNS: [&str; 7] = [
    "id", "question", "similar", "answer", "category", "heat", "lang",
];

/// Most problems listed; the rest are counted.
pub const MAX_PROBLEMS: usize = 20;

/// The columns every file must have.
const REQUIRED: [&str; 3] = ["id", "question", "answer"];

impl KnowledgeBase {
    /// Parses and validates a CSV file (see the module docs), with `synonyms`
    /// as the synonym groups.
    pub fn from_csv(text: &str, synonyms: Vec<Vec<String>>) -> Result<Self, KbError> {
        let entries = read(text)?;
        let mut problems = Vec::new();
        // The entries' rules, row by row: each entry alone, so every bad row is
        // named (ids across rows are checked together below).
        for (index, entry) in entries.iter().enumerate() {
            if let Err(KbError::Entry { problem, .. }) =
                validate::check_entries(vec![entry.clone()], Vec::new(), &mut |_| {})
            {
                problems.push(in_row(index + 2, RowWhy::Entry { problem }));
            }
        }
        if !problems.is_empty() {
            return Err(listed(problems));
        }
        validate::check_entries(entries, synonyms, &mut |_| {}).map_err(|e| match e {
            KbError::Entry { index, problem, .. } => {
                listed(vec![in_row(index + 2, RowWhy::Entry { problem })])
            }
            other => other,
        })
    }

    /// The entries as CSV with a header row ([`COLUMNS`]); similar phrasings
    /// one per line in their cell. Synonym groups are not written.
    pub fn to_csv(&self) -> String {
        let mut out = csv::Writer::from_writer(Vec::new());
        let written = out.write_record(COLUMNS).and_then(|()| {
            self.entries().iter().try_for_each(|e| {
                out.write_record([
                    e.id.as_str(),
                    &e.question,
                    &e.similar.join("\n"),
                    &e.answer,
                    e.category.as_deref().unwrap_or_default(),
                    &e.heat.to_string(),
                    e.lang.as_deref().unwrap_or_default(),
                ])
            })
        });
        written.expect("writing to memory does not fail");
        let bytes = out.into_inner().expect("writing to memory does not fail");
        String::from_utf8(bytes).expect("the fields are strings")
    }
}

/// `problem` in `row`.
fn in_row(row: usize, problem: RowWhy) -> RowProblem {
    RowProblem { row, problem }
}

/// The problems as one error: at most [`MAX_PROBLEMS`], then how many more.
fn listed(mut problems: Vec<RowProblem>) -> KbError {
    let more = problems.len().saturating_sub(MAX_PROBLEMS);
    problems.truncate(MAX_PROBLEMS);
    KbError::Csv { problems, more }
}

/// The rows as entries, or every format problem.
fn read(text: &str) -> Result<Vec<Entry>, KbError> {
    // A spreadsheet's UTF-8 export often starts with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => {
            let message = e.to_string();
            return Err(listed(vec![in_row(1, RowWhy::Unreadable { message })]));
        }
    };
    let mut problems = Vec::new();
    for (at, name) in header.iter().enumerate() {
        if !COLUMNS.contains(&name.as_str()) {
            let (name, columns) = (name.clone(), COLUMNS.join(", "));
            problems.push(in_row(1, RowWhy::UnknownColumn { name, columns }));
        } else if header[..at].contains(name) {
            problems.push(in_row(1, RowWhy::ColumnTwice { name: name.clone() }));
        }
    }
    for needed in REQUIRED {
        if !header.iter().any(|h| h == needed) {
            let name = needed.to_owned();
            problems.push(in_row(1, RowWhy::MissingColumn { name }));
        }
    }
    if !problems.is_empty() {
        return Err(listed(problems));
    }
    let column = |name: &str| header.iter().position(|h| h == name);
    let [id, question, similar, answer, category, heat, lang] = COLUMNS.map(column);
    let mut entries = Vec::new();
    for (at, record) in reader.records().enumerate() {
        let row = at + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let message = e.to_string();
                problems.push(in_row(row, RowWhy::Unreadable { message }));
                continue;
            }
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() > header.len() {
            let (cells, columns) = (record.len(), header.len());
            problems.push(in_row(row, RowWhy::Cells { cells, columns }));
            continue;
        }
        let cell = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or_default().trim();
        let optional = |at: Option<usize>| Some(cell(at).to_owned()).filter(|c| !c.is_empty());
        let heat = match cell(heat) {
            "" => 0,
            typed => match typed.parse::<u64>() {
                Ok(n) => n,
                Err(_) => {
                    let value = typed.to_owned();
                    problems.push(in_row(row, RowWhy::Heat { value }));
                    continue;
                }
            },
        };
        entries.push(Entry {
            id: cell(id).to_owned(),
            question: cell(question).to_owned(),
            similar: (cell(similar).lines())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            answer: cell(answer).to_owned(),
            category: optional(category),
            heat,
            lang: optional(lang),
        });
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(listed(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOP: &str = "\u{feff}question,id,answer,similar,heat\n\
        How long is shipping?,ship,\"Two days, sometimes three.\",\"when will it arrive\nhow fast do you ship\",7\n\
        ,,,,\n\
        退货政策是什么？,returns-zh,30 天内可退。,,\n";

    #[test]
    fn a_spreadsheet_export_reads_in_any_column_order() {
        let kb =
            KnowledgeBase::from_csv(SHOP, vec![vec!["ship".into(), "send".into()]]).expect("valid");
        assert_eq!(kb.len(), 2, "the empty row is skipped");
        let ship = kb.get("ship").expect("ship");
        assert_eq!(ship.answer, "Two days, sometimes three.");
        assert_eq!(
            ship.similar,
            ["when will it arrive", "how fast do you ship"]
        );
        assert_eq!(ship.heat, 7);
        let returns = kb.get("returns-zh").expect("returns");
        assert_eq!((returns.heat, returns.similar.len()), (0, 0));
        assert_eq!(kb.synonyms().len(), 1, "the synonyms given are kept");
    }

    #[test]
    fn written_and_read_back_it_is_the_same_knowledge_base() {
        let sample = KnowledgeBase::sample();
        let csv = sample.to_csv();
        assert!(csv.starts_with("id,question,similar,answer,category,heat,lang\n"));
        let back = KnowledgeBase::from_csv(&csv, sample.synonyms().to_vec()).expect("valid");
        assert_eq!(back.entries(), sample.entries());
    }

    #[test]
    fn every_bad_row_is_named_at_once() {
        let text = "id,question,answer,heat\n\
            a,What?,This.,lots\n\
            b,,An answer.,1\n\
            c,Fine?,Yes.,2\n\
            a,Again?,Twice.,3\n";
        let err = KnowledgeBase::from_csv(text, Vec::new())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("row 2: heat `lots` is not a whole number"),
            "{err}"
        );
        assert!(!err.contains("row 4"), "row 4 is fine: {err}");
        // Format problems first; then the entries' rules, with their rows.
        let text = "id,question,answer\nb,,An answer.\nc,Fine?,Yes.\na,X?,\n";
        let err = KnowledgeBase::from_csv(text, Vec::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 2: ") && err.contains("row 4: "), "{err}");
        assert!(!err.contains("row 3"), "{err}");
        // A duplicate ID across rows.
        let text = "id,question,answer\na,One?,1.\na,Two?,2.\n";
        let err = KnowledgeBase::from_csv(text, Vec::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 3: "), "{err}");
    }

    #[test]
    fn the_header_must_name_known_columns_once_and_the_required_ones() {
        let err = KnowledgeBase::from_csv("id,question,colour,question\n", Vec::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown column `colour`"), "{err}");
        assert!(err.contains("`question` is there twice"), "{err}");
        assert!(err.contains("the column `answer` is missing"), "{err}");
        let err = KnowledgeBase::from_csv("id,question,answer\na,b?,c,d\n", Vec::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 2: 4 cells, the header has 3"), "{err}");
    }

    #[test]
    fn long_lists_of_problems_are_cut() {
        let mut text = String::from("id,question,answer,heat\n");
        for n in 0..30 {
            text.push_str(&format!("e{n},Q{n}?,A.,x\n"));
        }
        let err = KnowledgeBase::from_csv(&text, Vec::new()).unwrap_err();
        let KbError::Csv { problems, more } = &err else {
            panic!("{err}")
        };
        assert_eq!((problems.len(), *more), (MAX_PROBLEMS, 10));
        assert!(err.to_string().ends_with("; and 10 more"), "{err}");
    }
}
