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
    /// The button that scrolls back down to newer messages.
    pub new_messages: &'static str,
    /// Greeting shown in an empty conversation.
    pub welcome: &'static str,
    /// Accessible label of the message list.
    pub messages_label: &'static str,
    /// Accessible label of the text box.
    pub input_label: &'static str,
    /// Placeholder of the text box.
    pub placeholder: &'static str,
    /// After the character counter when the text is over the limit.
    pub too_long: &'static str,
    /// Download link of a file card.
    pub download: &'static str,
    /// Title of an image preview (click to enlarge).
    pub zoom: &'static str,
    /// Attach button.
    pub attach: &'static str,
    /// Shown while files are dragged over the window.
    pub drop_hint: &'static str,
    /// Face picker button.
    pub faces: &'static str,
    /// Voice message button.
    pub record: &'static str,
    /// Voice message button while recording.
    pub stop_record: &'static str,
    /// Accessible label of an upload's progress bar.
    pub uploading: &'static str,
    /// Cancels an upload.
    pub cancel: &'static str,
    /// Retries a failed upload.
    pub retry: &'static str,
    /// Upload refused as too large; the limit follows.
    pub too_large: &'static str,
    /// Upload refused for its type.
    pub bad_type: &'static str,
    /// Upload refused as empty.
    pub empty_file: &'static str,
    /// Upload failed for another reason.
    pub upload_failed: &'static str,
    /// Upload refused: over an hourly quota or too many at once (429).
    pub upload_too_many: &'static str,
    /// Upload refused: the site's storage is full (507).
    pub upload_storage_full: &'static str,
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
    /// The line of a message this visitor revoked.
    pub revoked_you: &'static str,
    /// After the sender's name: the line of a message they revoked.
    pub revoked_by: &'static str,
    /// Puts a revoked text back into the composer.
    pub re_edit: &'static str,
    /// Message action: revoke.
    pub revoke: &'static str,
    /// Message action: delete for oneself.
    pub delete: &'static str,
    /// Label of the button that shows a message's actions.
    pub actions: &'static str,
    /// Mark on the visitor's messages the agent has read.
    pub read: &'static str,
    /// After the agent's name: they are typing.
    pub typing: &'static str,
    /// A revoke refused because the window passed.
    pub revoke_late: &'static str,
    /// Tab title while messages arrive unseen, after `(N) `.
    pub new_message: &'static str,
    /// Sender name of the bot.
    pub bot: &'static str,
    /// Sender name of an agent without a nick.
    pub agent: &'static str,
    /// Badge label suffix: "3 unread messages".
    pub unread_suffix: &'static str,
    /// Shown after a rate-limit error.
    pub slow_down: &'static str,
    /// "Talk to a human" button.
    pub talk_to_human: &'static str,
    /// Queue footer, before the position.
    pub queue_before: &'static str,
    /// Queue footer, after the position.
    pub queue_after: &'static str,
    /// Leave the queue.
    pub cancel_queue: &'static str,
    /// Above the site's categories, after "Talk to a human".
    pub choose_category: &'static str,
    /// Close the category choice without asking.
    pub cancel_choice: &'static str,
    /// Header line while an agent serves, before the name.
    pub serving: &'static str,
    /// After the agent's name in a reception line.
    pub agent_joined: &'static str,
    /// After the agent's name in a transfer line.
    pub agent_transferred: &'static str,
    /// Fallback line for a started session.
    pub session_started: &'static str,
    /// Fallback line for an ended session.
    pub session_ended: &'static str,
    /// Fallback queue line, before the position.
    pub queued_line: &'static str,
    /// Title of the hot questions card.
    pub hot_questions: &'static str,
    /// Title of the "did you mean" card.
    pub similar_questions: &'static str,
    /// Title of the related questions under an answer.
    pub related_questions: &'static str,
    /// Text of a rating invitation.
    pub rate_invite: &'static str,
    /// Opens the rating form.
    pub rate_open: &'static str,
    /// The consent asked when an agent wants to see the page.
    pub share_ask: &'static str,
    /// Accepting an agent's request to see the page.
    pub share_page: &'static str,
    /// Declining it.
    pub decline: &'static str,
    /// Accessible labels of the five star buttons.
    pub stars: [&'static str; 5],
    /// Label of the rating comment box.
    pub rating_comment: &'static str,
    /// Submits the rating.
    pub rating_submit: &'static str,
    /// Shown once the rating is stored.
    pub rated: &'static str,
    /// Fallback intro of the leave-a-message form.
    pub leave_intro: &'static str,
    /// Leave-a-message: name label.
    pub leave_name: &'static str,
    /// Leave-a-message: contact label.
    pub leave_contact: &'static str,
    /// Leave-a-message: message label.
    pub leave_message: &'static str,
    /// Leave-a-message: submit.
    pub leave_submit: &'static str,
    /// In the leave-a-message form: ask for a person once more.
    pub leave_retry: &'static str,
    /// Shown once the left message is stored.
    pub leave_done: &'static str,
    /// A clicked question that no longer exists.
    pub question_gone: &'static str,
    /// A service request the server refused.
    pub request_failed: &'static str,
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
    new_messages: "New messages ↓",
    welcome: "Hi there! How can we help you today?",
    messages_label: "Messages",
    input_label: "Message",
    placeholder: "Write a message…",
    too_long: "too long to send, please shorten it",
    download: "Download",
    zoom: "View full size",
    attach: "Attach a file",
    drop_hint: "Drop files to send",
    faces: "Emoji",
    record: "Record a voice message",
    stop_record: "Stop and send",
    uploading: "Uploading",
    cancel: "Cancel",
    retry: "Retry",
    too_large: "Too large to send. The limit is ",
    bad_type: "This type of file cannot be sent.",
    empty_file: "This file is empty.",
    upload_failed: "Upload failed.",
    upload_too_many: "Too many files sent just now. Please wait a moment and try again.",
    upload_storage_full: "Files cannot be received right now. Please describe it in a message.",
    send: "Send",
    sending: "Sending…",
    not_sent: "Not sent",
    resend: "Resend",
    unsupported: "Unsupported message",
    revoked_you: "You revoked a message",
    revoked_by: " revoked a message",
    re_edit: "Re-edit",
    revoke: "Revoke",
    delete: "Delete",
    actions: "Message actions",
    read: "Read",
    typing: " is typing…",
    revoke_late: "This message can no longer be revoked.",
    new_message: "New message",
    bot: "Assistant",
    agent: "Support",
    unread_suffix: " unread messages",
    slow_down: "You're sending messages too fast. Please wait a moment.",
    talk_to_human: "Talk to a human",
    queue_before: "You are number ",
    queue_after: " in the queue",
    cancel_queue: "Cancel",
    choose_category: "What can we help you with?",
    cancel_choice: "Cancel",
    serving: "You're chatting with ",
    agent_joined: " joined the chat",
    agent_transferred: " is taking over the chat",
    session_started: "Chat started",
    session_ended: "Chat ended",
    queued_line: "Waiting for an agent, position ",
    hot_questions: "Popular questions",
    similar_questions: "Did you mean:",
    related_questions: "Related questions",
    rate_invite: "How did we do?",
    rate_open: "Rate this chat",
    share_ask: "Let the agent see this page?",
    share_page: "Share my page",
    decline: "Decline",
    stars: ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"],
    rating_comment: "Comment (optional)",
    rating_submit: "Submit rating",
    rated: "Thanks for your feedback!",
    leave_intro: "No agent is available right now. Leave us a message.",
    leave_name: "Name",
    leave_contact: "E-mail or phone",
    leave_message: "Message",
    leave_submit: "Send message",
    leave_retry: "Try again to reach someone",
    leave_done: "Thanks! We'll get back to you soon.",
    question_gone: "This question is no longer available.",
    request_failed: "That didn't work. Please try again.",
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
    new_messages: "有新消息 ↓",
    welcome: "您好！请问有什么可以帮您？",
    messages_label: "消息",
    input_label: "消息",
    placeholder: "输入消息…",
    too_long: "超出长度，请删减后发送",
    download: "下载",
    zoom: "查看大图",
    attach: "发送文件",
    drop_hint: "松开即可发送文件",
    faces: "表情",
    record: "录制语音消息",
    stop_record: "停止并发送",
    uploading: "正在上传",
    cancel: "取消",
    retry: "重试",
    too_large: "文件过大，无法发送。上限为 ",
    bad_type: "不支持发送此类型的文件。",
    empty_file: "文件为空。",
    upload_failed: "上传失败。",
    upload_too_many: "发送文件过于频繁，请稍后再试。",
    upload_storage_full: "暂时无法接收文件，请用文字描述。",
    send: "发送",
    sending: "发送中…",
    not_sent: "发送失败",
    resend: "重新发送",
    unsupported: "暂不支持的消息类型",
    revoked_you: "你撤回了一条消息",
    revoked_by: " 撤回了一条消息",
    re_edit: "重新编辑",
    revoke: "撤回",
    delete: "删除",
    actions: "消息操作",
    read: "已读",
    typing: " 正在输入…",
    revoke_late: "已超过可撤回的时间。",
    new_message: "新消息",
    bot: "智能助手",
    agent: "客服",
    unread_suffix: " 条未读消息",
    slow_down: "发送太频繁，请稍后再试。",
    talk_to_human: "转人工客服",
    queue_before: "您正在排队，当前第 ",
    queue_after: " 位",
    cancel_queue: "取消排队",
    choose_category: "请选择咨询类型",
    cancel_choice: "取消",
    serving: "正在为您服务：",
    agent_joined: " 已接入，为您服务",
    agent_transferred: " 接手了会话",
    session_started: "会话已开始",
    session_ended: "会话已结束",
    queued_line: "正在排队，位置 ",
    hot_questions: "热门问题",
    similar_questions: "您是不是想问：",
    related_questions: "相关问题",
    rate_invite: "请您对本次服务进行评价",
    rate_open: "评价本次服务",
    share_ask: "允许客服查看此页面？",
    share_page: "同意共享页面",
    decline: "拒绝",
    stars: ["1 星", "2 星", "3 星", "4 星", "5 星"],
    rating_comment: "评价内容（选填）",
    rating_submit: "提交评价",
    rated: "感谢您的评价！",
    leave_intro: "暂无客服在线，请留言。",
    leave_name: "姓名",
    leave_contact: "邮箱或电话",
    leave_message: "留言内容",
    leave_submit: "提交留言",
    leave_retry: "再次尝试联系客服",
    leave_done: "留言成功，我们会尽快与您联系。",
    question_gone: "该问题已不存在。",
    request_failed: "操作未成功，请重试。",
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
