//! Numbers with a unit, read as what they measure (called by `normalise_words`, so
//! questions, phrasings and answers are read alike): a time of day (3pm,
//! 16:00, 下午五点), an amount of money (¥60, 50 yuan, 八十块), or a span of
//! minutes, hours, days or weeks, months or years (10 minutes, 12 hour flight,
//! 5 days, 八个月, 1-year), or a length or a weight written in digits (180cm,
//! 75 kg, 70公斤, 140斤: a body's measurements, a parcel's weight). Each gets a
//! word for its kind after it ([`Kind::word`]), so "paid at 3pm" meets the
//! answer's "before 16:00" and "it broke after 8 months" the "1-year
//! warranty", whatever the figures. Chinese
//! and English number words become digits (八个月 → 8个月, "two weeks" → "2
//! weeks"), and a clock time keeps only its hour ("3pm" → "3": jieba would
//! keep "3pm" whole, a word no answer has). The figure itself stays, so ¥99 in
//! a question still meets ¥99 in an answer; a figure the knowledge base never
//! uses weighs nothing in a query ([`matching`](crate::matching)): what is
//! measured counts, not how much.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::{Captures, Regex};

/// What a number with a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Clock,
    Money,
    Minutes,
    Hours,
    Days,
    Months,
    Length,
    Weight,
}

impl Kind {
    /// The word added after the quantity: Latin letters only (one token,
    /// the same in both languages) and no word of any language.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Kind::Clock => "qtyclock",
            Kind::Money => "qtymoney",
            Kind::Minutes => "qtyminute",
            Kind::Hours => "qtyhour",
            Kind::Days => "qtyday",
            Kind::Months => "qtymonth",
            Kind::Length => "qtylength",
            Kind::Weight => "qtyweight",
        }
    }

    /// Every kind's word.
    pub(crate) const ALL: [Kind; 8] = [
        Kind::Clock,
        Kind::Money,
        Kind::Minutes,
        Kind::Hours,
        Kind::Days,
        Kind::Months,
        Kind::Length,
        Kind::Weight,
    ];

    fn of_unit(unit: &str) -> Option<Kind> {
        let unit = unit.trim().to_lowercase();
        let unit = unit.trim_start_matches('个');
        Some(match unit {
            "min" | "mins" | "minute" | "minutes" | "分钟" => Kind::Minutes,
            "h" | "hr" | "hrs" | "hour" | "hours" | "小时" | "钟头" | "钟" => Kind::Hours,
            "day" | "days" | "week" | "weeks" | "天" | "星期" | "礼拜" | "周" | "工作日" => {
                Kind::Days
            }
            "month" | "months" | "year" | "years" | "yr" | "yrs" | "月" | "年" => Kind::Months,
            "yuan" | "rmb" | "cny" | "kuai" | "元" | "块" | "块钱" | "dollar" | "dollars"
            | "bucks" | "usd" | "eur" | "euro" | "euros" => Kind::Money,
            "cm" | "mm" | "centimeter" | "centimeters" | "centimetre" | "centimetres" | "inch"
            | "inches" | "厘米" | "公分" | "毫米" | "米" => Kind::Length,
            "kg" | "kgs" | "kilo" | "kilos" | "kilogram" | "kilograms" | "lb" | "lbs" | "gram"
            | "grams" | "公斤" | "千克" | "斤" | "克" => Kind::Weight,
            _ => return None,
        })
    }
}

/// Whether `term` is the word [`mark`] adds after a quantity (as analysed).
pub(crate) fn is_quantity_word(term: &str) -> bool {
    // Stemming may clip the ending (qtyminute → qtyminut), never more.
    term.len() >= 6 && Kind::ALL.iter().any(|k| k.word().starts_with(term))
}

/// A number: digits (with a decimal part), or a number word (English one to
/// twelve, "a" / "an", Chinese 一 … 九十九, 两, 半).
/// Latin numbers start at a word boundary of ASCII (`(?-u:\b)`: Chinese
/// characters are not word characters to it, so 用了8个月 has one before 8).
const NUMBER: &str = r"(?:(?-u:\b)(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half an?|an?)|[一二两三四五六七八九十半]{1,3})";

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let clock_en = r"(?-u:\b)(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?:(?:am|pm|o'clock)(?-u:\b)|a\.m\.|p\.m\.)";
        let clock_colon = r"(?-u:\b)(?P<hh>\d{1,2}):\d{2}(?-u:\b)";
        // A Chinese numeral before 点 is a time only after a time of day or
        // with 钟 (便宜一点 is "a little cheaper"); digits before 点 always.
        let clock_zh = r"(?P<day>上午|下午|晚上|早上|中午|凌晨|傍晚|早|晚)(?P<zh>[0-9一二两三四五六七八九十]{1,3})点|(?P<d>\d{1,2})点|(?P<z>[一二两三四五六七八九十]{1,3})点钟";
        let money = format!(
            r"[¥￥$€](?P<sum>\d+(?:\.\d+)?)|(?P<amount>{NUMBER})\s*(?P<cur>yuan|rmb|cny|kuai|dollars?|bucks|usd|euros?|eur|块钱|块|元)"
        );
        let span = format!(
            r"(?P<n>{NUMBER})(?:\s*|-)(?P<unit>(?:business |working )?(?:minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?|yrs?)(?-u:\b)|个?(?:分钟|小时|钟头|工作日|星期|礼拜|月|钟)|[天周年])"
        );
        // Lengths and weights in digits only: 两斤 (of tea) is an amount bought,
        // not a measurement. A bare "m" may be minutes or metres: not read.
        let measure = r"(?-u:\b)(?P<mn>\d+(?:\.\d+)?)\s*(?P<mu>(?:cm|mm|centimet(?:er|re)s?|inch(?:es)?|kgs?|kilos?|kilograms?|lbs?|grams?)(?-u:\b)|厘米|公分|毫米|公斤|千克|斤|克|米)";
        Regex::new(&format!(
            r"(?i){clock_en}|{clock_colon}|{clock_zh}|{money}|{measure}|{span}"
        ))
        .expect("the quantity pattern compiles")
    })
}

/// `text` with each quantity followed by its kind's word, number words as digits.
pub(crate) fn mark(text: &str) -> Cow<'_, str> {
    if !may_have_quantity(text) {
        return Cow::Borrowed(text);
    }
    pattern().replace_all(text, |c: &Captures<'_>| {
        let whole = &c[0];
        if let Some(h) = c.name("h").or(c.name("d")) {
            let m = c
                .name("m")
                .map_or(String::new(), |m| format!(":{}", m.as_str()));
            return format!(" {}{m} {} ", h.as_str(), Kind::Clock.word());
        }
        if c.name("hh").is_some() {
            return format!(" {whole} {} ", Kind::Clock.word());
        }
        if let Some(zh) = c.name("zh").or(c.name("z")) {
            let day = c.name("day").map_or("", |d| d.as_str());
            return format!("{day} {} {} ", digits(zh.as_str()), Kind::Clock.word());
        }
        if c.name("sum").is_some() {
            return format!(" {whole} {} ", Kind::Money.word());
        }
        if let (Some(amount), Some(cur)) = (c.name("amount"), c.name("cur")) {
            let cur = cur.as_str();
            return format!(" {}{cur} {} ", digits(amount.as_str()), Kind::Money.word());
        }
        let (Some(n), Some(unit)) = (
            c.name("n").or(c.name("mn")),
            c.name("unit").or(c.name("mu")),
        ) else {
            return whole.to_owned();
        };
        let last = unit.as_str().split_whitespace().last().unwrap_or_default();
        // 2024年 is a date, not two thousand years.
        let year = n.as_str().len() >= 4 && n.as_str().bytes().all(|b| b.is_ascii_digit());
        match Kind::of_unit(last).filter(|_| !year) {
            Some(kind) => {
                let sep = if unit.as_str().is_ascii() { " " } else { "" };
                format!(
                    " {}{sep}{} {} ",
                    digits(n.as_str()),
                    unit.as_str(),
                    kind.word()
                )
            }
            None => whole.to_owned(),
        }
    })
}

/// Whether `text` may hold a quantity, cheaply, so most texts skip the
/// pattern: a digit, a Chinese numeral, or a unit an English number word
/// ("two weeks", "an hour") would come with.
fn may_have_quantity(text: &str) -> bool {
    const UNITS: [&str; 13] = [
        "min", "hour", "hr", "day", "week", "month", "year", "yuan", "rmb", "kuai", "dollar",
        "buck", "euro",
    ];
    text.chars()
        .any(|c| c.is_ascii_digit() || "一二两三四五六七八九十半".contains(c))
        || UNITS.iter().any(|u| {
            (text.as_bytes().windows(u.len())).any(|w| w.eq_ignore_ascii_case(u.as_bytes()))
        })
}

/// A number word as digits ("two" → 2, 十二 → 12, 半 → 0.5); digits unchanged.
fn digits(n: &str) -> String {
    let lower = n.to_lowercase();
    let english = [
        "a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    if lower == "an" {
        return "1".into();
    }
    if lower.starts_with("half") {
        return "0.5".into();
    }
    if let Some(i) = english.iter().position(|w| *w == lower) {
        return i.max(1).to_string();
    }
    if n.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return n.to_owned();
    }
    chinese(n).map_or_else(|| n.to_owned(), |v| v.to_string())
}

/// A Chinese numeral up to 99 (两 is 2, 半 is 0.5 written as "0.5" by the caller).
fn chinese(n: &str) -> Option<f32> {
    let value = |c: char| -> Option<u32> {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
            .or((c == '两').then_some(2))
    };
    let chars: Vec<char> = n.chars().collect();
    match chars.as_slice() {
        ['半'] => Some(0.5),
        [c] if *c == '十' => Some(10.0),
        [c] => value(*c).map(|v| v as f32),
        ['十', u] => value(*u).map(|u| (10 + u) as f32),
        [t, '十'] => value(*t).map(|t| (t * 10) as f32),
        [t, '十', u] => Some((value(*t)? * 10 + value(*u)?) as f32),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<&'static str> {
        let marked = mark(text);
        Kind::ALL
            .iter()
            .map(|k| k.word())
            .filter(|w| marked.contains(w))
            .collect()
    }

    #[test]
    fn times_of_day_are_read_in_both_languages() {
        assert!(mark("paid at 3pm, ship today?").contains(" 3 qtyclock "));
        assert_eq!(kinds("before 16:00 (Beijing time)"), ["qtyclock"]);
        assert_eq!(kinds("can i call at 10 p.m."), ["qtyclock"]);
        assert_eq!(kinds("下午五点下的单"), ["qtyclock"]);
        assert!(mark("下午五点下的单").contains(" 5 qtyclock"));
        assert_eq!(kinds("5点前付款"), ["qtyclock"]);
        // "A little cheaper", not one o'clock.
        assert!(kinds("能便宜一点吗").is_empty());
    }

    #[test]
    fn money_and_spans_get_their_kind() {
        let cases = [
            ("my cart is only ¥50", "qtymoney"),
            ("买了八十块", "qtymoney"),
            ("charge for 10 minutes", "qtyminute"),
            ("充十分钟能听多久", "qtyminute"),
            ("a 12 hour flight", "qtyhour"),
            ("40 小时", "qtyhour"),
            ("half an hour", "qtyhour"),
            ("充两个钟", "qtyhour"),
            ("within 7 days of delivery", "qtyday"),
            ("1–3 business days", "qtyday"),
            ("two weeks ago", "qtyday"),
            ("用了八个月", "qtymonth"),
            ("a 1-year warranty", "qtymonth"),
            ("半年就坏了", "qtymonth"),
            ("im 180cm", "qtylength"),
            ("身高1米75", "qtylength"),
            ("waist 32 inches", "qtylength"),
            ("75kg", "qtyweight"),
            ("我175 70公斤穿多大", "qtyweight"),
            ("140斤穿什么码", "qtyweight"),
            ("a parcel of 2.5 kg", "qtyweight"),
        ];
        for (text, kind) in cases {
            assert_eq!(kinds(text), [kind], "{text}");
        }
        // Chinese numbers become digits.
        assert!(mark("买了八十块").contains("80块"));
        assert!(mark("用了八个月").contains("8个月"));
        // A length or weight is split from its figure ("180cm" is no word).
        assert!(mark("im 180cm and 75kg").contains(" 180 cm qtylength "));
        assert!(mark("im 180cm and 75kg").contains(" 75 kg qtyweight "));
        // Only in digits: 两斤 is how much tea was bought.
        assert!(kinds("买了两斤").is_empty());
        // A date, and a word ending in "a", are no quantities.
        assert!(kinds("2024年买的").is_empty());
        assert!(kinds("extra day").is_empty());
    }

    #[test]
    fn names_and_versions_are_not_quantities() {
        for text in [
            "Aria 2",
            "Bluetooth 5.3",
            "IPX4",
            "40 dB",
            "10 m",
            "3 installments",
            "分12期",
        ] {
            assert!(kinds(text).is_empty(), "{text}");
        }
    }
}
