//! The widget's strings in English and Simplified Chinese: a small table, no i18n
//! crate. Chosen by the config's `locale`, else `navigator.language`.

/// Every string the widget shows.
#[derive(Debug, PartialEq, Eq)]
pub struct Strings {
    /// `lang` attribute value.
    pub lang: &'static str,
    /// Default window title.
    pub title: &'static str,
    /// Line under the title.
    pub subtitle: &'static str,
    /// Launcher label while closed.
    pub open_chat: &'static str,
    /// Launcher and close-button label while open.
    pub close_chat: &'static str,
    /// Connection line while connecting.
    pub connecting: &'static str,
    /// Connection line while offline.
    pub offline: &'static str,
    /// Terminal error: the site is unknown or this page may not embed it.
    pub unavailable: &'static str,
    /// Terminal error: this widget is too old for the server.
    pub outdated: &'static str,
    /// "Load more" button.
    pub load_more: &'static str,
    /// "Load more" while a page is loading.
    pub loading: &'static str,
    /// Greeting shown in an empty conversation.
    pub welcome: &'static str,
    /// Accessible label of the message list.
    pub messages_label: &'static str,
    /// Accessible label of the text box.
    pub input_label: &'static str,
    /// Placeholder of the text box.
    pub placeholder: &'static str,
    /// Send button label.
    pub send: &'static str,
    /// A pending message.
    pub sending: &'static str,
    /// A failed message.
    pub not_sent: &'static str,
    /// Resend button.
    pub resend: &'static str,
    /// An element type this version cannot show.
    pub unsupported: &'static str,
    /// A revoked message.
    pub revoked: &'static str,
    /// Sender name of the bot.
    pub bot: &'static str,
    /// Sender name of an agent without a nick.
    pub agent: &'static str,
    /// Badge label suffix: "3 unread messages".
    pub unread_suffix: &'static str,
    /// Shown after a rate-limit error.
    pub slow_down: &'static str,
}

/// English.
pub static EN: Strings = Strings {
    lang: "en",
    title: "Chat with us",
    subtitle: "We usually reply in a few minutes",
    open_chat: "Open chat",
    close_chat: "Close chat",
    connecting: "Connecting…",
    offline: "You're offline. Reconnecting…",
    unavailable: "Chat is not available on this site.",
    outdated: "Chat needs a page reload to update.",
    load_more: "Load earlier messages",
    loading: "Loading…",
    welcome: "Hi there! How can we help you today?",
    messages_label: "Messages",
    input_label: "Message",
    placeholder: "Write a message…",
    send: "Send",
    sending: "Sending…",
    not_sent: "Not sent",
    resend: "Resend",
    unsupported: "Unsupported message",
    revoked: "Message withdrawn",
    bot: "Assistant",
    agent: "Support",
    unread_suffix: " unread messages",
    slow_down: "You're sending messages too fast. Please wait a moment.",
};

/// Simplified Chinese.
pub static ZH_CN: Strings = Strings {
    lang: "zh-CN",
    title: "在线客服",
    subtitle: "我们通常会在几分钟内回复",
    open_chat: "打开聊天",
    close_chat: "关闭聊天",
    connecting: "正在连接…",
    offline: "网络已断开，正在重新连接…",
    unavailable: "此网站暂未开通在线客服。",
    outdated: "请刷新页面以更新客服窗口。",
    load_more: "加载更早的消息",
    loading: "加载中…",
    welcome: "您好！请问有什么可以帮您？",
    messages_label: "消息",
    input_label: "消息",
    placeholder: "输入消息…",
    send: "发送",
    sending: "发送中…",
    not_sent: "发送失败",
    resend: "重新发送",
    unsupported: "暂不支持的消息类型",
    revoked: "消息已撤回",
    bot: "智能助手",
    agent: "客服",
    unread_suffix: " 条未读消息",
    slow_down: "发送太频繁，请稍后再试。",
};

/// The table for a BCP 47 tag: any `zh` tag gets Chinese, anything else English.
pub fn strings_for(locale: &str) -> &'static Strings {
    if locale.to_ascii_lowercase().starts_with("zh") {
        &ZH_CN
    } else {
        &EN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_chinese_for_any_zh_tag_and_english_otherwise() {
        assert_eq!(strings_for("zh-CN").lang, "zh-CN");
        assert_eq!(strings_for("zh").lang, "zh-CN");
        assert_eq!(strings_for("ZH-hans").lang, "zh-CN");
        assert_eq!(strings_for("en-GB").lang, "en");
        assert_eq!(strings_for("").lang, "en");
        assert_eq!(strings_for("fr").lang, "en");
    }
}
