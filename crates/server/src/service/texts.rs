//! The texts the service writes into its stored `custom` messages (`msgText`),
//! in English and Simplified Chinese. A visitor's language comes from their
//! `hello` (`locale`, read by [`Locale::from_tag`]) and is kept
//! with the visitor, so texts stored outside their own connection (an agent
//! accepts, transfers or ends) use it too. No locale ever given: English.
//!
//! A site may set its own welcome line and leave-a-message line per language
//! ([`SiteTexts`], `PUT /sites/{site}` `texts`, checked by [`validated`]);
//! [`Text::render_for`] uses them where they are set.

use crate::error::Invalid;
use crate::store::SiteSetting;
use crate::{AppState, Result};
use kefu_protocol::site::SiteTexts;
pub use kefu_protocol::Locale;
use kefu_protocol::{FieldWhy, LeaveReason, SiteId};

/// Longest text a site sets, in characters.
pub const MAX_SITE_TEXT_CHARS: usize = 500;

/// The languages a site sets texts in (the visitors' languages).
const LANGUAGES: [Locale; 2] = [Locale::En, Locale::ZhCn];

/// The site's own texts (read with its cached settings); none when unset.
pub async fn of_site(state: &AppState, site: &SiteId) -> Result<SiteTexts> {
    let json = state.store.site_setting(site, SiteSetting::Texts).await?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

/// `texts` from a `PUT`, cleaned: each trimmed, empty ones dropped. The words
/// naming the bad one: a language other than `en` / `zh-CN`, more than
/// [`MAX_SITE_TEXT_CHARS`] characters, control characters (a new line is fine).
pub fn validated(texts: SiteTexts) -> std::result::Result<SiteTexts, Invalid> {
    let clean = |which: &str, map: std::collections::BTreeMap<String, String>| {
        let mut out = std::collections::BTreeMap::new();
        for (tag, text) in map {
            if !LANGUAGES.iter().any(|l| l.tag() == tag) {
                let why = FieldWhy::Language { value: tag };
                return Err(Invalid::because(format!("texts.{which}"), why));
            }
            let text = text.trim();
            if text.chars().count() > MAX_SITE_TEXT_CHARS {
                let why = FieldWhy::TooLong {
                    max: u32::try_from(MAX_SITE_TEXT_CHARS).unwrap_or(u32::MAX),
                };
                return Err(Invalid::because(format!("texts.{which}.{tag}"), why));
            }
            if text.chars().any(|c| c.is_control() && c != '\n')
                || text.chars().any(kefu_protocol::is_bidi_control)
            {
                return Err(Invalid::because(
                    format!("texts.{which}.{tag}"),
                    FieldWhy::Control,
                ));
            }
            if !text.is_empty() {
                out.insert(tag, text.to_owned());
            }
        }
        Ok(out)
    };
    Ok(SiteTexts {
        welcome: clean("welcome", texts.welcome)?,
        offline: clean("offline", texts.offline)?,
    })
}

/// One service text; [`Text::render`] gives it in a locale.
#[derive(Clone, Copy, Debug)]
pub enum Text<'a> {
    /// `createsession`.
    SessionStarted,
    /// The welcome `prompts`.
    Welcome,
    /// The welcome `prompts` of a site whose bot is off.
    WelcomeWithoutBot,
    /// The `heatquestion` title.
    PopularQuestions,
    /// The `similarquestion` title.
    DidYouMean,
    /// The `prompts` fallback offering a human.
    Fallback,
    /// `enterleavemessage`.
    LeaveMessage(LeaveReason),
    /// `queuinglocation`: the visitor's place.
    QueuePosition(usize),
    /// The `prompts` after `cancelQueue`.
    LeftQueue,
    /// The `prompts` after `cancelQueue` on a site whose bot is off.
    LeftQueueWithoutBot,
    /// The `prompts` when the serving agent went offline and the visitor is
    /// back in the queue.
    AgentLeft,
    /// `reception`: the agent's name.
    Reception(&'a str),
    /// `transfer`: the new agent's name.
    Transfer(&'a str),
    /// `stopsession`.
    SessionEnded,
    /// `inviteevaluate`.
    PleaseRate,
    /// A co-browsing lifecycle line (`requestrc` … `rcfailure`) and the
    /// serving agent's name.
    Remote(Rc, &'a str),
}

/// Which co-browsing line ([`Text::Remote`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rc {
    /// `requestrc`.
    Request,
    /// `refuserc`.
    Refused,
    /// `acceptrc`.
    Accepted,
    /// `cancelrc` by the agent.
    Cancelled,
    /// `cancelrc`: nobody answered in time.
    Expired,
    /// `rcstart`.
    Started,
    /// `rcrun`.
    Running,
    /// `rcwilltimeout`.
    WillTimeOut,
    /// `rcend` by the visitor.
    EndedByVisitor,
    /// `rcend` by the agent.
    EndedByAgent,
    /// `rcend`: the page went away.
    TimedOut,
    /// `rcend`: the session ended or moved to another agent.
    SessionOver,
    /// `rcend`: the agent's view went away.
    ViewerGone,
    /// `rcfailure`.
    Failed,
}

impl Text<'_> {
    /// Whether a site may set this text ([`SiteTexts`]).
    pub fn site_sets(self) -> bool {
        matches!(
            self,
            Text::Welcome | Text::WelcomeWithoutBot | Text::LeaveMessage(_)
        )
    }

    /// The text in `locale`: the site's own where it set one, else built in.
    pub fn render_for(self, locale: Locale, texts: &SiteTexts) -> String {
        let own = match self {
            Text::Welcome | Text::WelcomeWithoutBot => texts.welcome.get(locale.tag()),
            Text::LeaveMessage(_) => texts.offline.get(locale.tag()),
            _ => None,
        };
        own.cloned().unwrap_or_else(|| self.render(locale))
    }

    /// The text in `locale`.
    pub fn render(self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        let pick = |en: &str, cn: &str| if zh { cn } else { en }.to_owned();
        match self {
            Text::SessionStarted => pick("Session started", "会话已开始"),
            Text::Welcome => pick(
                "Hello! I am the assistant. Ask me anything, or ask for a human.",
                "您好！我是智能助手，有什么可以帮您？也可以随时转人工客服。",
            ),
            Text::WelcomeWithoutBot => pick(
                "Hello! Send us your question and an agent will answer.",
                "您好！请直接发送您的问题，人工客服将为您解答。",
            ),
            Text::PopularQuestions => pick("Popular questions", "热门问题"),
            Text::DidYouMean => pick("Did you mean:", "猜你想问："),
            Text::Fallback => pick(
                "Sorry, I could not find an answer to that. You can ask for a human agent.",
                "抱歉，暂时没有找到相关答案。您可以转人工客服。",
            ),
            Text::LeaveMessage(LeaveReason::OutOfHours) => pick(
                "No agent can answer right now. Please leave us a message.",
                "现在不在服务时间，请留言，我们会尽快回复您。",
            ),
            Text::LeaveMessage(LeaveReason::NoAgentOnline) => pick(
                "No agent can answer right now. Please leave us a message.",
                "当前没有客服在线，请留言，我们会尽快回复您。",
            ),
            Text::QueuePosition(n) if zh && n <= 1 => "正在为您转接人工客服，请稍候".to_owned(),
            Text::QueuePosition(n) if zh => {
                format!("正在为您转接人工客服，您前面还有 {} 位，请稍候", n - 1)
            }
            Text::QueuePosition(n) => format!("You are number {n} in the queue"),
            Text::LeftQueue => pick(
                "You left the queue. The assistant is here again.",
                "您已退出排队，智能助手继续为您服务。",
            ),
            Text::LeftQueueWithoutBot => pick(
                "You left the queue. Write again whenever you need us.",
                "您已退出排队，有需要时请随时再发消息。",
            ),
            Text::Reception(name) if zh => format!("客服 {name} 为您服务"),
            Text::Reception(name) => format!("{name} is now serving you"),
            Text::Transfer(name) if zh => format!("已为您转接客服 {name}"),
            Text::Transfer(name) => format!("You are now served by {name}"),
            Text::AgentLeft => pick(
                "Your agent is no longer available. You are back in the queue; the next free agent will take over.",
                "客服暂时离开，已为您重新排队，稍后将由其他客服为您服务。",
            ),
            Text::SessionEnded => pick("The session has ended", "会话已结束"),
            Text::PleaseRate => pick("Please rate this session", "请为本次服务评价"),
            Text::Remote(rc, name) => remote(rc, name, zh),
        }
    }
}

/// A co-browsing line; `name` is the serving agent's.
fn remote(rc: Rc, name: &str, zh: bool) -> String {
    match (rc, zh) {
        (Rc::Request, false) => format!(
            "{name} asks to see this page to help you. They will see the page and your \
             pointer, never what you type into fields, passwords or anything the site \
             keeps private."
        ),
        (Rc::Request, true) => format!(
            "客服 {name} 请求查看您当前的页面以便协助您。对方能看到页面内容和您的鼠标位置，\
             看不到您在输入框中输入的内容、密码或网站标记为隐私的内容。"
        ),
        (Rc::Refused, false) => "You declined the screen sharing request".to_owned(),
        (Rc::Refused, true) => "您已拒绝屏幕共享请求".to_owned(),
        (Rc::Accepted, false) => "You accepted the screen sharing request".to_owned(),
        (Rc::Accepted, true) => "您已同意屏幕共享请求".to_owned(),
        (Rc::Cancelled, false) => format!("{name} withdrew the screen sharing request"),
        (Rc::Cancelled, true) => format!("客服 {name} 已撤回屏幕共享请求"),
        (Rc::Expired, false) => "The screen sharing request expired".to_owned(),
        (Rc::Expired, true) => "屏幕共享请求已过期".to_owned(),
        (Rc::Started, false) => "Screen sharing started".to_owned(),
        (Rc::Started, true) => "屏幕共享已开始".to_owned(),
        (Rc::Running, false) => format!("{name} is viewing this page"),
        (Rc::Running, true) => format!("客服 {name} 正在查看此页面"),
        (Rc::WillTimeOut, false) => {
            "The page is not answering; screen sharing will end shortly".to_owned()
        }
        (Rc::WillTimeOut, true) => "页面暂无响应，屏幕共享即将结束".to_owned(),
        (Rc::EndedByVisitor, false) => "You stopped screen sharing".to_owned(),
        (Rc::EndedByVisitor, true) => "您已停止屏幕共享".to_owned(),
        (Rc::EndedByAgent, false) => format!("{name} stopped screen sharing"),
        (Rc::EndedByAgent, true) => format!("客服 {name} 已停止屏幕共享"),
        (Rc::TimedOut, false) => "Screen sharing ended: the page was closed".to_owned(),
        (Rc::TimedOut, true) => "页面已关闭，屏幕共享已结束".to_owned(),
        (Rc::SessionOver, false) => "Screen sharing ended with the session".to_owned(),
        (Rc::SessionOver, true) => "会话结束，屏幕共享已结束".to_owned(),
        (Rc::ViewerGone, false) => format!("Screen sharing ended: {name} closed the view"),
        (Rc::ViewerGone, true) => format!("客服 {name} 已关闭查看，屏幕共享已结束"),
        (Rc::Failed, false) => "Screen sharing could not run on this page".to_owned(),
        (Rc::Failed, true) => "此页面无法进行屏幕共享".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_in_both_locales() {
        assert_eq!(
            Text::QueuePosition(1).render(Locale::En),
            "You are number 1 in the queue"
        );
        assert_eq!(
            Text::QueuePosition(3).render(Locale::ZhCn),
            "正在为您转接人工客服，您前面还有 2 位，请稍候"
        );
        assert_eq!(
            Text::Reception("小林").render(Locale::ZhCn),
            "客服 小林 为您服务"
        );
        assert_eq!(Text::PopularQuestions.render(Locale::ZhCn), "热门问题");
        assert_eq!(
            Text::Welcome.render(Locale::default()),
            Text::Welcome.render(Locale::En)
        );
    }
}
