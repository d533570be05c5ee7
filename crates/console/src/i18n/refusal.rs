//! The server's typed refusals said in the console's language: a refused
//! field ([`kefu_protocol::FieldWhy`], the `why` of a `400 invalidField`), a
//! refused knowledge base ([`kefu_protocol::kb::KbError`], the `kb` of a
//! `400 invalidKnowledgeBase`) and a request denied ([`kefu_protocol::Denial`],
//! the `denied` of a `403 forbidden` or `409 conflict`). English is the server's own words (the same
//! `english()` / `Display`), so the two never disagree; Chinese is written
//! here, every case of every type (the matches are exhaustive).

use super::{current, t, Locale};
use kefu_protocol::kb::{EntryProblem, KbError, RowWhy, SynonymProblem};
use kefu_protocol::{Denial, FieldWhy, Missing};

/// A refused field's name for a refusal shown away from the field: the
/// fields the console asks for by their label, any other by its JSON name.
pub fn field_label(field: &str) -> &str {
    let t = t();
    match field {
        "name" => t.field_name,
        "password" => t.password,
        "username" => t.username,
        "categories" => t.site_categories,
        "url" => t.field_link,
        "events" => t.webhook_events,
        "from" => t.reports_from,
        "to" => t.reports_to,
        "timeZone" => t.field_time_zone,
        other => other,
    }
}

/// A refused field shown away from it: "<label>: <why>" ("<label>：<why>" in
/// Chinese).
pub fn field_refusal(field: &str, why: &FieldWhy) -> String {
    let colon = match current() {
        Locale::En => ": ",
        Locale::ZhCn => "：",
    };
    format!("{}{colon}{}", field_label(field), field_why(why))
}

/// Why the server refused a field, in the language shown now.
pub fn field_why(why: &FieldWhy) -> String {
    use FieldWhy as W;
    if current() == Locale::En {
        return why.english();
    }
    match why {
        W::Length { min, max } => format!("须为 {min}–{max} 个字符"),
        W::TooLong { max } => format!("最多 {max} 个字符"),
        W::TooMany { max } => format!("最多 {max} 项"),
        W::Range { min, max } => format!("须为 {min}–{max} 的整数"),
        W::Retention { max } => format!("须为 0（永久保留）或 1–{max}"),
        W::Control => "不能包含控制字符".to_owned(),
        W::Language { value } => format!("不支持的语言“{value}”（请用 en 或 zh-CN）"),
        W::Day { value } => format!("未知的星期“{value}”（请用 mon … sun）"),
        W::Hours { value } => {
            format!("“{value}”不是形如 09:00-18:00 的时间段（结束须晚于开始）")
        }
        W::TimeZone { value } => format!("未知的时区“{value}”"),
        W::Colour { value } => format!("“{value}”不是形如 #0a7d5a 的颜色"),
        W::Origin { value } => format!("“{value}”不是形如 https://shop.example 的来源"),
        W::Fraction => "须为 0 到 1 之间的数".to_owned(),
        W::NotAbove { other } => format!("不能高于 {}", field_label(other)),
        W::AtLeast { min } => format!("至少为 {min}"),
        W::Email { value } => format!("“{value}”不是邮箱地址"),
        W::Id { value } => format!("“{value}”须为 1–64 个字符，只用 a-z、0-9、- 和 _"),
        W::Twice { value } => format!("“{value}”重复出现"),
        W::CategoryName { id, max } => format!("分类“{id}”：名称须为 1–{max} 个字符"),
        W::UnknownCategory { value } => format!("“{value}”不是本站点的分类"),
        W::Bytes { max } => format!("最多 {max} 字节"),
        W::Url => "不是完整的网址".to_owned(),
        W::Https => "须以 https:// 开头".to_owned(),
        W::PlainHttp => "http:// 只能用于 127.0.0.1、localhost 和 [::1]；请用 https://".to_owned(),
        W::Credentials => "网址中不能包含用户名或密码".to_owned(),
        W::Fragment => "网址中不能包含 # 片段".to_owned(),
        W::Event { value } => format!("未知的事件类型“{value}”"),
        W::NoneChosen => "请至少选择一项".to_owned(),
        W::Date { value } => format!("“{value}”不是形如 2026-12-06 的日期"),
        W::Days { max } => format!("最多 {max} 天，且开始日期不能晚于结束日期"),
        W::Username => "须为 1–64 个字符，只用字母、数字、.、_、- 和 @".to_owned(),
    }
}

/// What the server did not find, in the language shown now (gone meanwhile,
/// most likely: another tab or another admin removed it).
pub fn missing(what: Missing) -> String {
    if current() == Locale::En {
        return format!(
            "{} not found: it may have just been removed",
            what.english()
        );
    }
    let what = match what {
        Missing::Agent => "客服",
        Missing::Avatar => "头像",
        Missing::BotMiss => "未答问题",
        Missing::Conversation => "会话",
        Missing::KnowledgeBase => "知识库",
        Missing::Message => "消息",
        Missing::Route => "接口",
        Missing::Site => "站点",
        Missing::Upload => "文件",
        Missing::Visitor => "访客",
        Missing::Webhook => "Webhook",
    };
    format!("找不到该{what}：可能刚被删除")
}

/// Why the server denied a request, in the language shown now.
pub fn denial(denied: &Denial) -> String {
    if current() == Locale::En {
        return denied.english();
    }
    match denied {
        Denial::OwnerOnly => "只有所有者才能添加、修改或删除所有者".to_owned(),
        Denial::Disabled => "此账号已停用".to_owned(),
        Denial::OtherSite => "客服只能管理自己的站点".to_owned(),
        Denial::AdminOnly => "需要站点的所有者或管理员".to_owned(),
        Denial::LastOwner => "站点至少要有一位启用中的所有者：请先设置另一位所有者".to_owned(),
        Denial::UsernameTaken { username } => format!("用户名“{username}”已被使用"),
        Denial::KbChanged => "知识库刚刚被修改过，请重试".to_owned(),
        Denial::TooManyWebhooks { max } => format!("一个站点最多 {max} 个 Webhook"),
    }
}

/// Why the server refused a knowledge base (a file, a CSV sheet, a learnt
/// phrasing), in the language shown now.
pub fn kb_refusal(refusal: &KbError) -> String {
    if current() == Locale::En {
        return refusal.to_string();
    }
    match refusal {
        KbError::NotJson { line, column, .. } => {
            format!("知识库不是有效的 JSON（第 {line} 行第 {column} 列）")
        }
        KbError::Shape { line, column, .. } => {
            format!("知识库须为带有 \"entries\" 数组的对象（第 {line} 行第 {column} 列）")
        }
        KbError::Csv { problems, more } => {
            let mut said: Vec<String> = problems
                .iter()
                .map(|p| format!("第 {} 行：{}", p.row, row_why(&p.problem)))
                .collect();
            if *more > 0 {
                said.push(format!("另有 {more} 处"));
            }
            format!("CSV 文件有问题：{}", said.join("；"))
        }
        KbError::Entry { index, id, problem } => {
            let id = id
                .as_deref()
                .map_or_else(|| "无 ID".to_owned(), |id| format!("ID “{id}”"));
            format!("条目 #{index}（{id}）：{}", entry_problem(problem))
        }
        KbError::TooManySynonymGroups { count, max } => {
            format!("同义词有 {count} 组，超过上限 {max} 组")
        }
        KbError::Synonyms { group, problem } => {
            format!("同义词组 #{group}：{}", synonym_problem(problem))
        }
        KbError::NoSuchEntry { id } => format!("知识库中没有条目“{id}”"),
        KbError::Io { message } => format!("无法读取知识库：{message}"),
    }
}

/// `chars` characters where at most `max` are allowed, of `what`.
fn too_long(what: &str, chars: usize, max: usize) -> String {
    format!("{what}有 {chars} 个字符，超过上限 {max}")
}

fn entry_problem(problem: &EntryProblem) -> String {
    use EntryProblem as P;
    match problem {
        // serde's own words: the shape's rule has no other.
        P::WrongShape { message } => format!("格式不对：{message}"),
        P::EmptyId => "ID 为空".to_owned(),
        P::IdTooLong { chars, max } => too_long("ID ", *chars, *max),
        P::IdNotPrintable => "ID 含有控制字符或首尾空白".to_owned(),
        P::DuplicateId { first_index } => format!("ID 已被条目 #{first_index} 使用"),
        P::EmptyQuestion => "问题为空".to_owned(),
        P::QuestionTooLong { chars, max } => too_long("问题", *chars, *max),
        P::TooManySimilar { count, max } => format!("相似问法有 {count} 条，超过上限 {max}"),
        P::EmptySimilar { position } => format!("相似问法 #{position} 为空"),
        P::SimilarTooLong {
            position,
            chars,
            max,
        } => too_long(&format!("相似问法 #{position} "), *chars, *max),
        P::EmptyAnswer => "答案为空".to_owned(),
        P::AnswerTooLong { chars, max } => too_long("答案", *chars, *max),
        P::CategoryTooLong { chars, max } => too_long("分类", *chars, *max),
        P::BadLanguage { lang } => format!("语言“{lang}”不是 en、zh-CN 这样的语言标签"),
    }
}

fn synonym_problem(problem: &SynonymProblem) -> String {
    use SynonymProblem as P;
    match problem {
        P::MemberCount { count, max } => format!("有 {count} 个成员，每组须有 2–{max} 个"),
        P::EmptyMember { position } => format!("成员 #{position} 为空"),
        P::MemberTooLong {
            position,
            chars,
            max,
        } => too_long(&format!("成员 #{position} "), *chars, *max),
        P::NoWord { position, member } => {
            format!("成员 #{position}（“{member}”）须含字母或数字，且不含控制字符")
        }
    }
}

fn row_why(why: &RowWhy) -> String {
    match why {
        RowWhy::Unreadable { message } => format!("无法读取：{message}"),
        RowWhy::UnknownColumn { name, columns } => {
            format!("未知的列“{name}”（可用的列：{columns}）")
        }
        RowWhy::ColumnTwice { name } => format!("列“{name}”出现了两次"),
        RowWhy::MissingColumn { name } => format!("缺少列“{name}”"),
        RowWhy::Cells { cells, columns } => format!("有 {cells} 个单元格，表头只有 {columns} 列"),
        RowWhy::Heat { value } => format!("热度“{value}”不是整数"),
        RowWhy::Entry { problem } => entry_problem(problem),
    }
}

#[cfg(test)]
mod tests {
    use super::super::set;
    use super::*;
    use kefu_protocol::kb::RowProblem;

    fn has_chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_field_refusal_is_said_in_both_languages() {
        use FieldWhy as W;
        let v = || "x".to_owned();
        let all = [
            W::Length { min: 1, max: 200 },
            W::TooLong { max: 500 },
            W::TooMany { max: 100 },
            W::Range { min: 1, max: 1000 },
            W::Retention { max: 36_500 },
            W::Control,
            W::Language { value: v() },
            W::Day { value: v() },
            W::Hours { value: v() },
            W::TimeZone { value: v() },
            W::Colour { value: v() },
            W::Origin { value: v() },
            W::Fraction,
            W::NotAbove { other: v() },
            W::AtLeast { min: 1 },
            W::Email { value: v() },
            W::Id { value: v() },
            W::Twice { value: v() },
            W::CategoryName { id: v(), max: 60 },
            W::UnknownCategory { value: v() },
            W::Bytes { max: 2048 },
            W::Url,
            W::Https,
            W::PlainHttp,
            W::Credentials,
            W::Fragment,
            W::Event { value: v() },
            W::NoneChosen,
            W::Date { value: v() },
            W::Days { max: 366 },
            W::Username,
        ];
        for why in &all {
            set(Locale::ZhCn);
            let zh = field_why(why);
            set(Locale::En);
            assert_eq!(
                field_why(why),
                why.english(),
                "English is the server's words"
            );
            assert!(has_chinese(&zh), "{why:?}: {zh}");
        }
        set(Locale::ZhCn);
        assert_eq!(
            field_why(&W::Range { min: 1, max: 1000 }),
            "须为 1–1000 的整数"
        );
        assert_eq!(
            (field_label("password"), field_label("businessHours.mon")),
            ("密码", "businessHours.mon")
        );
        assert_eq!(
            (
                field_label("url"),
                field_label("events"),
                field_label("from")
            ),
            ("网址", "推送的事件", "开始日期")
        );
        assert_eq!(
            field_refusal("events", &W::NoneChosen),
            "推送的事件：请至少选择一项"
        );
        set(Locale::En);
        assert_eq!(
            field_refusal("events", &W::NoneChosen),
            "Events to send: choose at least one"
        );
    }

    #[test]
    fn every_missing_thing_is_named_in_both_languages() {
        use Missing as M;
        let all = [
            M::Agent,
            M::Avatar,
            M::BotMiss,
            M::Conversation,
            M::KnowledgeBase,
            M::Message,
            M::Route,
            M::Site,
            M::Upload,
            M::Visitor,
            M::Webhook,
        ];
        for what in all {
            set(Locale::ZhCn);
            let zh = missing(what);
            set(Locale::En);
            assert!(missing(what).starts_with(what.english()));
            assert!(has_chinese(&zh), "{what:?}: {zh}");
        }
        set(Locale::ZhCn);
        assert_eq!(missing(M::Webhook), "找不到该Webhook：可能刚被删除");
        set(Locale::En);
    }

    #[test]
    fn every_denial_is_said_in_both_languages() {
        let all = [
            Denial::OwnerOnly,
            Denial::Disabled,
            Denial::OtherSite,
            Denial::AdminOnly,
            Denial::LastOwner,
            Denial::UsernameTaken {
                username: "lin".into(),
            },
            Denial::KbChanged,
            Denial::TooManyWebhooks { max: 20 },
        ];
        for denied in &all {
            set(Locale::ZhCn);
            let zh = denial(denied);
            set(Locale::En);
            assert_eq!(denial(denied), denied.english());
            assert!(has_chinese(&zh), "{denied:?}: {zh}");
        }
    }

    #[test]
    fn every_knowledge_base_refusal_is_said_in_both_languages() {
        use EntryProblem as E;
        let s = || "x".to_owned();
        let entry = [
            E::WrongShape { message: s() },
            E::EmptyId,
            E::IdTooLong {
                chars: 200,
                max: 128,
            },
            E::IdNotPrintable,
            E::DuplicateId { first_index: 0 },
            E::EmptyQuestion,
            E::QuestionTooLong {
                chars: 600,
                max: 500,
            },
            E::TooManySimilar { count: 60, max: 50 },
            E::EmptySimilar { position: 1 },
            E::SimilarTooLong {
                position: 1,
                chars: 600,
                max: 500,
            },
            E::EmptyAnswer,
            E::AnswerTooLong {
                chars: 9000,
                max: 8000,
            },
            E::CategoryTooLong { chars: 90, max: 64 },
            E::BadLanguage { lang: s() },
        ];
        let synonym = [
            SynonymProblem::MemberCount { count: 1, max: 20 },
            SynonymProblem::EmptyMember { position: 0 },
            SynonymProblem::MemberTooLong {
                position: 0,
                chars: 90,
                max: 64,
            },
            SynonymProblem::NoWord {
                position: 0,
                member: s(),
            },
        ];
        let rows = [
            RowWhy::Unreadable { message: s() },
            RowWhy::UnknownColumn {
                name: s(),
                columns: s(),
            },
            RowWhy::ColumnTwice { name: s() },
            RowWhy::MissingColumn { name: s() },
            RowWhy::Cells {
                cells: 4,
                columns: 3,
            },
            RowWhy::Heat { value: s() },
            RowWhy::Entry {
                problem: E::EmptyAnswer,
            },
        ];
        let mut all = vec![
            KbError::NotJson {
                line: 1,
                column: 2,
                message: s(),
            },
            KbError::Shape {
                line: 1,
                column: 2,
                message: s(),
            },
            KbError::TooManySynonymGroups { count: 9, max: 8 },
            KbError::NoSuchEntry { id: s() },
            KbError::Io { message: s() },
        ];
        all.extend(entry.into_iter().map(|problem| KbError::Entry {
            index: 3,
            id: Some(s()),
            problem,
        }));
        all.extend(
            synonym
                .into_iter()
                .map(|problem| KbError::Synonyms { group: 0, problem }),
        );
        all.extend(rows.into_iter().map(|problem| KbError::Csv {
            problems: vec![RowProblem { row: 2, problem }],
            more: 0,
        }));
        for refusal in &all {
            set(Locale::ZhCn);
            let zh = kb_refusal(refusal);
            set(Locale::En);
            assert_eq!(kb_refusal(refusal), refusal.to_string());
            assert!(has_chinese(&zh), "{refusal:?}: {zh}");
            // No English words of the server's left in the Chinese (the
            // values given are `x`).
            for word in ["entry", "row", "characters", "allowed", "empty"] {
                assert!(!zh.contains(word), "{refusal:?}: {zh}");
            }
        }
        set(Locale::ZhCn);
        let sheet = KbError::Csv {
            problems: vec![RowProblem {
                row: 3,
                problem: RowWhy::Heat {
                    value: "lots".into(),
                },
            }],
            more: 2,
        };
        assert_eq!(
            kb_refusal(&sheet),
            "CSV 文件有问题：第 3 行：热度“lots”不是整数；另有 2 处"
        );
        set(Locale::En);
    }
}
