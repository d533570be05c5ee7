//! The texts the service writes into its stored `custom` messages (`msgText`),
//! in English and Simplified Chinese. A visitor's language comes from their
//! `hello` (`locale`, read by [`Locale::from_tag`]) and is kept
//! with the visitor, so texts stored outside their own connection (an agent
//! accepts, transfers or ends) use it too. No locale ever given: English.

use kefu_protocol::LeaveReason;
pub use kefu_protocol::Locale;

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
}

impl Text<'_> {
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
        }
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
