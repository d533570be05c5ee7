//! Every string the console shows, in English and Simplified Chinese, in one
//! place (no i18n crate): [`Strings`] and its two tables, side by side in the
//! [`strings!`] list so a string cannot exist in one language only. [`Locale`]
//! is the agent's pick (stored in `localStorage`; default from the browser);
//! [`t`] gives the current table. Components, the reducer's notices and the
//! controller read it; nothing else spells out user-facing text.

mod refusal;

pub use kefu_protocol::Locale;
pub use refusal::{denial, field_label, field_refusal, field_why, kb_refusal, missing};
use std::cell::Cell;

/// A language's table.
pub fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::En => &EN,
        Locale::ZhCn => &ZH_CN,
    }
}

thread_local! {
    /// The language the console shows now (one UI thread; native tests get one per thread).
    static CURRENT: Cell<Locale> = const { Cell::new(Locale::En) };
}

/// Shows the console in `locale` from now on (the app calls it before rendering
/// each state, from the state's language).
pub fn set(locale: Locale) {
    CURRENT.with(|c| c.set(locale));
}

/// The language shown now.
pub fn current() -> Locale {
    CURRENT.with(Cell::get)
}

/// The strings of the language shown now.
pub fn t() -> &'static Strings {
    strings(current())
}

/// Declares [`Strings`] and its tables: each entry is `field: "English", "中文";`.
macro_rules! strings {
    ($( $(#[$doc:meta])* $name:ident: $en:expr, $zh:expr; )*) => {
        /// Every string the console shows, in one language.
        #[derive(Debug, PartialEq, Eq)]
        pub struct Strings {
            $( $(#[$doc])* pub $name: &'static str, )*
        }

        /// The English table.
        pub static EN: Strings = Strings { $( $name: $en, )* };
        /// The Simplified Chinese table.
        pub static ZH_CN: Strings = Strings { $( $name: $zh, )* };

        impl Strings {
            /// Every string with its field's name (for tests).
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$( (stringify!($name), self.$name), )*]
            }
        }
    };
}

strings! {
    /// Product name, and the tab title without unread messages.
    app_title: "Kefu console",
        "Kefu 客服工作台";
    /// Sign-in heading.
    sign_in_title: "Sign in to Kefu",
        "登录 Kefu";
    /// Username field label.
    username: "Username",
        "用户名";
    /// Password field label.
    password: "Password",
        "密码";
    /// Sign-in button.
    sign_in: "Sign in",
        "登录";
    /// Sign-in button while the request runs.
    signing_in: "Signing in…",
        "正在登录…";
    /// Wrong username or password (the same text for both, on purpose).
    bad_credentials: "Wrong username or password.",
        "用户名或密码错误。";
    /// The account was disabled by an admin of the site.
    account_disabled: "This account is disabled. Ask an admin of your site.",
        "此账号已被停用，请联系本站点的管理员。";
    /// Too many sign-in attempts.
    too_many_attempts: "Too many attempts. Try again in a minute.",
        "尝试次数过多，请一分钟后再试。";
    /// The sign-in request failed for another reason.
    sign_in_failed: "Could not sign in. Check your connection and try again.",
        "无法登录，请检查网络连接后重试。";
    /// The token expired or was revoked.
    session_expired: "Your session has ended. Please sign in again.",
        "登录已失效，请重新登录。";
    /// The server refuses this console (version, site).
    unsupported: "This console cannot connect to the server. Reload the page.",
        "此工作台无法连接服务器，请刷新页面。";

    /// The language picker's label.
    locale_label: "Console language",
        "工作台语言";
    /// Header button and heading of the knowledge-base screen.
    tab_kb: "Knowledge base",
        "知识库";
    /// The search box's label and placeholder.
    kb_search: "Search the entries",
        "搜索条目";
    /// Add an entry.
    kb_new: "New entry",
        "新建条目";
    /// Import a file.
    kb_import: "Import a JSON or CSV file (replaces every entry)",
        "导入 JSON 或 CSV 文件（替换全部条目）";
    /// Export the file.
    kb_export: "Export",
        "导出";
    /// The CSV export's button.
    kb_export_csv: "Export CSV (for a spreadsheet)",
        "导出 CSV（用于电子表格）";
    /// The progress bar's name while a file is checked and saved.
    kb_progress: "Checking and saving…",
        "正在检查并保存…";
    /// The form's heading, new.
    kb_form_new: "New entry",
        "新建条目";
    /// The form's heading, editing.
    kb_form_edit: "Edit entry",
        "编辑条目";
    /// ID field.
    kb_id: "ID (unique, e.g. refund-time)",
        "ID（唯一，例如 refund-time）";
    /// Question field.
    kb_question: "Question",
        "问题";
    /// Similar phrasings field.
    kb_similar: "Other ways to ask, one per line",
        "相似问法，每行一个";
    /// Answer field.
    kb_answer: "Answer (**bold**, *italic*, [links](https://…), lists)",
        "答案（支持 **加粗**、*斜体*、[链接](https://…)、列表）";
    /// Category field.
    kb_category: "Category",
        "分类";
    /// Heat field.
    kb_heat: "Heat (the hottest are the hot questions)",
        "热度（最热的会作为热门问题）";
    /// Language field.
    kb_lang: "Language (e.g. en, zh-CN; empty: from the question)",
        "语言（例如 en、zh-CN；留空则按问题判断）";
    /// The heat is not a whole number.
    kb_bad_heat: "The heat must be a whole number.",
        "热度必须是整数。";
    /// Saved.
    kb_saved: "Saved. The bot answers with it from the next question on.",
        "已保存。机器人从下一个问题起使用新的知识库。";
    /// No entry matches the search.
    kb_none: "No entry matches.",
        "没有匹配的条目。";
    /// Before the count of entries.
    kb_count: "Entries:",
        "条目数：";
    /// Asked before deleting.
    kb_confirm_delete: "Delete this entry?",
        "删除这个条目？";
    /// A request failed without the server's words.
    kb_failed: "The knowledge base could not be saved. Check your connection and try again.",
        "无法保存知识库，请检查网络连接后重试。";
    /// Header button and heading of the account screen.
    tab_account: "My account",
        "我的账号";
    /// The account screen: the change-password form's heading.
    account_password: "Change your password",
        "修改密码";
    /// The current password's label.
    account_current: "Current password",
        "当前密码";
    /// The new password's label.
    account_new: "New password (at least 8 characters)",
        "新密码（至少 8 个字符）";
    /// The new password again.
    account_repeat: "New password again",
        "再次输入新密码";
    /// The change's button.
    account_change: "Change password",
        "修改密码";
    /// The two new passwords differ.
    account_mismatch: "The two new passwords differ.",
        "两次输入的新密码不一致。";
    /// The current password is wrong.
    account_wrong_current: "The current password is wrong.",
        "当前密码不正确。";
    /// Changed.
    account_changed: "Password changed. Your other tabs and devices are signed out.",
        "密码已修改。你在其他标签页和设备上的登录已退出。";
    /// The change failed without the server's words.
    account_failed: "The password could not be changed. Check your connection and try again.",
        "无法修改密码，请检查网络连接后重试。";
    /// A team member's "edit" disclosure.
    member_edit: "Edit name and categories",
        "编辑名称和分类";
    /// The categories a member takes.
    member_categories: "Categories they take (none ticked: every visitor)",
        "负责的分类（都不勾选：接待所有访客）";
    /// The avatar's heading (account screen) and label (team screen).
    avatar: "Picture",
        "头像";
    /// Choosing a new avatar.
    avatar_choose: "Choose a picture",
        "选择图片";
    /// Removing the avatar.
    avatar_remove: "Remove picture",
        "移除头像";
    /// No avatar yet.
    avatar_none: "No picture yet: visitors see your name only.",
        "还没有头像：访客只会看到你的名字。";
    /// Setting the avatar failed without the server's words.
    avatar_failed: "The picture could not be saved. Check your connection and try again.",
        "无法保存头像，请检查网络连接后重试。";
    /// A picture over the server's size limit (413).
    avatar_too_large: "The picture is too large. Choose a smaller one.",
        "图片太大，请换一张小一些的。";
    /// A file that is no picture the server takes (415).
    avatar_not_image: "A picture must be a PNG, JPEG, GIF or WebP image.",
        "头像须为 PNG、JPEG、GIF 或 WebP 图片。";
    /// Sign-out button.
    sign_out: "Sign out",
        "退出登录";
    /// Presence select label.
    presence: "Status",
        "状态";
    /// Presence: online.
    online: "Online",
        "在线";
    /// Presence: away.
    away: "Away",
        "离开";
    /// Connection line while (re)connecting.
    connecting: "Connecting…",
        "正在连接…";
    /// Connection line while offline.
    offline: "Offline, reconnecting…",
        "已离线，正在重连…";
    /// Button asking for desktop notification permission.
    enable_notifications: "Enable notifications",
        "开启桌面通知";
    /// Notification title for a new visitor message.
    new_message: "New message",
        "新消息";
    /// The region of notices and transfer notes.
    notes: "Notices",
        "通知";
    /// Dismiss a notice.
    dismiss: "Dismiss",
        "关闭";

    /// Tab: conversations I serve.
    tab_mine: "Mine",
        "我的会话";
    /// Tab: the queue.
    tab_queue: "Queue",
        "排队";
    /// Tab: ended conversations.
    tab_ended: "Ended",
        "已结束";
    /// Tab: left messages.
    tab_inbox: "Inbox",
        "留言";
    /// Tab: canned replies.
    tab_canned: "Canned",
        "快捷回复";
    /// An empty list.
    empty_list: "Nothing here.",
        "暂无内容。";
    /// Load the next page of ended conversations.
    more: "More",
        "更多";
    /// The conversation search field's placeholder and label.
    search: "Search conversations",
        "搜索会话";
    /// Label of the search's first day.
    search_from: "From",
        "从";
    /// Label of the search's last day.
    search_to: "To",
        "到";
    /// A search that found nothing.
    no_results: "No conversation found.",
        "没有找到会话。";
    /// Loading a page.
    loading: "Loading…",
        "加载中…";
    /// A visitor without a known name.
    visitor: "Visitor",
        "访客";
    /// Waiting since (queue rows).
    waiting: "waiting",
        "等待中";

    /// The pane when nothing is selected.
    no_selection: "Pick a conversation on the left.",
        "请在左侧选择一个会话。";
    /// Load older messages.
    load_older: "Load older messages",
        "加载更早的消息";
    /// The button back down to newer messages while reading older ones.
    new_messages: "New messages ↓",
        "新消息 ↓";
    /// Accept a queued conversation.
    accept: "Accept",
        "接入";
    /// End the session.
    end: "End",
        "结束会话";
    /// Invite the visitor to rate.
    invite: "Invite rating",
        "邀请评价";
    cobrowse_ask: "View the visitor's screen",
        "请求查看访客屏幕";
    cobrowse_waiting: "Waiting for the visitor to accept…",
        "等待访客同意…";
    cobrowse_cancel: "Cancel request",
        "撤回请求";
    cobrowse_stop: "Stop viewing",
        "停止查看";
    cobrowse_title: "The visitor's page",
        "访客的页面";
    cobrowse_point: "Point",
        "指示";
    cobrowse_click: "Click",
        "点击";
    cobrowse_control_on: "The visitor lets you click and type",
        "访客已允许您点击和输入";
    cobrowse_control_off: "Clicks show the visitor a ring; to click for them, they must allow it",
        "点击会在访客页面上显示提示圈；代为点击需访客允许";
    /// The visitor has an invitation to rate and has not answered yet.
    rating_requested: "Rating requested",
        "已邀请评价";
    /// The visitor rated (stars unknown; with them, the row's "Rated ★★★★☆").
    rated: "Rated",
        "已评价";
    /// Open the transfer form.
    transfer: "Transfer",
        "转接";
    /// Transfer form: target agent.
    transfer_to: "To agent",
        "转给客服";
    /// Transfer form: note.
    transfer_note: "Note for the agent (only they see it)",
        "给接手客服的备注（仅对方可见）";
    /// Transfer form: submit.
    transfer_submit: "Transfer",
        "转接";
    /// Transfer form: nobody to transfer to.
    no_agent_online: "No other agent is online.",
        "没有其他在线客服。";
    /// Transfer note heading, before the agent's name.
    transfer_note_from: "Transfer note from",
        "转接备注，来自";
    /// Session state labels.
    state_bot: "With the bot",
        "机器人接待中";
    /// Session state: queued.
    state_queued: "Waiting in the queue",
        "排队等待中";
    /// Session state: served by an agent, before the name.
    state_serving: "Served by",
        "接待客服：";
    /// Session state: ended.
    state_ended: "Ended",
        "已结束";
    /// Sender name of the bot.
    bot: "Bot",
        "机器人";
    /// Sender name of an agent without a nick.
    agent: "Agent",
        "客服";
    /// You (the signed-in agent) as a sender.
    you: "You",
        "我";
    /// A pending message.
    sending: "Sending…",
        "发送中…";
    /// A failed message.
    not_sent: "Not sent",
        "发送失败";
    /// Resend button.
    resend: "Resend",
        "重新发送";
    /// The line of a message this agent revoked.
    revoked_you: "You revoked a message",
        "你撤回了一条消息";
    /// After the sender's name: the line of a message they revoked.
    revoked_by: " revoked a message",
        " 撤回了一条消息";
    /// Puts a revoked text back into the composer.
    re_edit: "Re-edit",
        "重新编辑";
    /// Message action: revoke.
    revoke: "Revoke",
        "撤回";
    /// Label of the button that shows a message's actions.
    actions: "Message actions",
        "消息操作";
    /// Mark on this agent's messages the visitor has read.
    read: "Read",
        "已读";
    /// The visitor is typing.
    visitor_typing: "Visitor is typing…",
        "访客正在输入…";
    /// A revoke refused because the window passed.
    revoke_late: "This message can no longer be revoked.",
        "这条消息已超过可撤回的时间。";

    /// Composer placeholder.
    placeholder: "Type a reply, / for canned replies",
        "输入回复，输入 / 使用快捷回复";
    /// Composer label.
    input_label: "Reply",
        "回复";
    /// Send button.
    send: "Send",
        "发送";
    /// Emoji button.
    emoji: "Emoji",
        "表情";
    /// The `/` menu's label.
    canned_menu: "Canned replies",
        "快捷回复";
    /// No canned reply matches.
    no_canned_match: "No canned reply matches.",
        "没有匹配的快捷回复。";

    /// Visitor panel heading.
    visitor_panel: "Visitor",
        "访客信息";
    /// Visitor panel labels, by `data-field`.
    field_name: "Name",
        "姓名";
    /// Contact.
    field_contact: "Contact",
        "联系方式";
    /// Page URL.
    field_url: "Page",
        "页面";
    /// Page title.
    field_title: "Title",
        "标题";
    /// Referrer.
    field_referrer: "Referrer",
        "来源";
    /// Browser.
    field_browser: "Browser",
        "浏览器";
    /// Operating system.
    field_os: "OS",
        "操作系统";
    /// Language.
    field_language: "Language",
        "语言";
    /// Time zone.
    field_time_zone: "Time zone",
        "时区";
    /// A URL field's name (a webhook's), where a refusal names it.
    field_link: "URL",
        "网址";
    /// Visits.
    field_visits: "Visits",
        "访问次数";
    /// First seen.
    field_first_seen: "First seen",
        "首次访问";
    /// The host page's user (`kefu.setUser`): heading.
    signed_in_user: "Signed-in user",
        "已登录用户";
    /// The user's ID on the site.
    field_user_id: "User ID",
        "用户 ID";
    /// The user's name.
    field_user_name: "Name",
        "姓名";
    /// The user's e-mail.
    field_user_email: "E-mail",
        "邮箱";
    /// The user's identity was verified with the site's secret.
    verified: "Verified",
        "已验证";
    /// The user's identity was not verified (the page may say anything).
    unverified: "Unverified",
        "未验证";
    /// The host page's attributes (`kefu.setAttributes`): heading.
    attributes: "Attributes",
        "属性";
    /// An unknown value.
    unknown: "—",
        "—";
    /// A session in the sessions list that is still going on.
    session_live: "In progress",
        "进行中";
    /// Sessions list heading.
    sessions: "Sessions",
        "历史会话";
    /// A session without an agent.
    no_agent: "no agent",
        "无客服";
    /// Loading the profile.
    profile_loading: "Loading the visitor…",
        "正在加载访客信息…";

    /// Canned tab: form heading (new).
    canned_new: "New canned reply",
        "新建快捷回复";
    /// Canned tab: form heading (editing).
    canned_edit: "Edit canned reply",
        "编辑快捷回复";
    /// Shortcut field.
    shortcut: "Shortcut",
        "快捷键";
    /// Text field.
    text: "Text",
        "内容";
    /// Save button.
    save: "Save",
        "保存";
    /// Cancel editing.
    cancel: "Cancel",
        "取消";
    /// Edit button.
    edit: "Edit",
        "编辑";
    /// Delete button.
    delete: "Delete",
        "删除";

    /// Inbox heading.
    inbox: "Left messages",
        "访客留言";
    /// Open the conversation of a left message.
    open_conversation: "Open conversation",
        "打开会话";
    /// Left messages nobody has handled yet (filter and state).
    left_new: "New",
        "未处理";
    /// Handled left messages (filter and state).
    left_done: "Done",
        "已处理";
    /// Every left message (filter).
    left_all: "All",
        "全部";
    /// Mark a left message handled.
    mark_done: "Mark done",
        "标记为已处理";
    /// Mark a handled left message new again.
    reopen: "Reopen",
        "重新打开";
    /// Label of a left message's assignee.
    assignee: "Assignee",
        "负责人";
    /// No assignee.
    unassigned: "Nobody",
        "无人负责";
    /// Before the name of the agent who replied by e-mail.
    replied_by: "E-mail reply by",
        "邮件回复人：";
    /// Label of the e-mail reply box.
    reply_by_email: "Reply by e-mail",
        "邮件回复";
    /// Send the e-mail reply.
    send_reply: "Send e-mail",
        "发送邮件";

    /// Attach button.
    attach: "Attach a file",
        "发送文件";
    /// Shown while files are dragged over the conversation.
    drop_hint: "Drop files to send",
        "松开即可发送文件";
    /// Retry a failed upload.
    retry: "Retry",
        "重试";
    /// Accessible label of an upload's progress bar.
    uploading: "Uploading",
        "上传中";

    /// The team tab (owners and admins).
    tab_team: "Team",
        "团队";
    /// A team request that got no usable answer.
    team_failed: "The team could not be changed. Check your connection and try again.",
        "无法修改团队，请检查网络连接后重试。";
    /// Heading of the form that adds an agent.
    team_add: "Add an agent",
        "添加客服";
    /// Submit of that form.
    team_add_submit: "Add",
        "添加";
    /// Label of a member's display name.
    display_name: "Name",
        "名称";
    /// Label of a member's role.
    role: "Role",
        "角色";
    /// The roles.
    role_owner: "Owner",
        "所有者";
    /// The roles.
    role_admin: "Admin",
        "管理员";
    /// The roles.
    role_agent: "Agent",
        "客服";
    /// Before a member's count of conversations served now.
    serving: "Serving",
        "接待中";
    /// A disabled member.
    disabled: "Disabled",
        "已停用";
    /// Disable a member.
    disable: "Disable",
        "停用";
    /// Enable a disabled member.
    enable: "Enable",
        "启用";
    /// Make a new password for a member.
    new_password: "New password",
        "重置密码";
    /// Before a member's new password, shown once.
    new_password_for: "New password (shown once) for",
        "新密码（仅显示这一次），账号";
    /// Presence of a member with no connection.
    presence_offline: "Offline",
        "离线";

    /// Header button and heading of the bot screen.
    tab_bot: "Bot",
        "机器人";
    /// The bot switch's label.
    bot_enabled: "The bot answers visitors first",
        "由机器人先接待访客";
    /// Under the switch, the bot on.
    bot_on_hint: "New visitors get a welcome, the hot questions in their language and the bot's answers; they can ask for a human at any time.",
        "新访客会收到欢迎语、其语言的热门问题和机器人的回答；访客随时可以转人工。";
    /// Under the switch, the bot off.
    bot_off_hint: "The bot is off: a visitor's first message goes straight to the queue, or to leave-a-message when nobody can answer.",
        "机器人已关闭：访客的第一条消息直接进入排队；无人可接待时转为留言。";
    /// The try-a-question form's heading.
    bot_try: "Try a question",
        "试问一个问题";
    /// Its input's label.
    bot_try_label: "A question, as a visitor would ask it",
        "像访客那样输入一个问题";
    /// Its button.
    bot_try_submit: "Ask the bot",
        "问机器人";
    /// The decision: an answer.
    bot_decision_answer: "The bot answers with the first entry.",
        "机器人用第一条条目回答。";
    /// The decision: did you mean.
    bot_decision_similar: "The bot asks \u{201c}did you mean\u{201d} with the entries marked offered.",
        "机器人会问“您是不是想问”，列出标记为推荐的条目。";
    /// The decision: nothing.
    bot_decision_none: "The bot does not answer: it offers a human.",
        "机器人不回答，而是提供人工服务。";
    /// The nearest entries' heading.
    bot_nearest: "Nearest entries",
        "最接近的条目";
    /// No entry shares anything with the question.
    bot_no_nearest: "No entry comes near.",
        "没有接近的条目。";
    /// An entry the visitor would be offered.
    bot_offered: "offered",
        "推荐";
    /// The scoring details' summary.
    bot_how_scored: "How it scored",
        "评分详情";
    /// A bot request failed without the server's words.
    bot_failed: "Could not reach the bot. Try again.",
        "无法连接机器人，请重试。";
    /// Trying a question on a site without a knowledge base.
    bot_no_kb: "This site has no knowledge base yet: import one first.",
        "此站点还没有知识库，请先导入。";

    /// Header button and heading of the site screen.
    tab_site: "Site",
        "站点";
    /// The install part's heading.
    site_install: "Install",
        "安装";
    /// What to do with the snippet.
    site_install_hint: "Paste this tag into every page of your site, before </body>:",
        "把这个标签粘贴到站点每个页面的 </body> 之前：";
    /// What the CSP lines are.
    site_csp_hint: "If your pages send a Content-Security-Policy, allow the chat server like this:",
        "如果你的页面设置了 Content-Security-Policy，请这样放行客服服务器：";
    /// The settings form's heading.
    site_settings: "Settings",
        "设置";
    /// The site's name.
    site_name: "Name",
        "名称";
    /// The allowed origins.
    site_origins: "Sites allowed to show the chat, one origin per line (empty: any)",
        "允许显示聊天窗口的站点，每行一个源（留空表示任意）";
    /// Automatic assignment.
    site_auto_assign: "Hand waiting visitors to the least busy online agent",
        "把等待中的访客分配给最空闲的在线客服";
    /// Whether agents may ask to see visitors' pages.
    site_cobrowse: "Agents may ask to see a visitor's page (each time with the visitor's yes)",
        "允许客服请求查看访客的页面（每次都需访客同意）";
    /// The cap per agent.
    site_cap: "Conversations per agent, at most",
        "每位客服同时接待的会话数上限";
    /// The identity secret's heading.
    site_secret: "Identity verification secret",
        "身份验证密钥";
    /// The secret is set.
    site_secret_set: "Set. Type a new one to replace it.",
        "已设置。输入新的密钥即可替换。";
    /// The secret is not set.
    site_secret_not_set: "Not set.",
        "未设置。";
    /// Remove the secret.
    site_secret_remove: "Remove the secret",
        "删除密钥";
    /// The business hours' legend.
    site_hours: "Business hours",
        "营业时间";
    /// No business hours.
    site_always_open: "Open around the clock",
        "全天营业（不限时间）";
    /// The hours' time zone.
    site_timezone: "Time zone (also used by the reports)",
        "时区（报表也按此时区统计）";
    /// How to type the hours.
    site_hours_hint: "Times like 09:00-12:00, 13:00-18:00. A day left empty is closed: visitors who ask for a person then leave a message.",
        "时间格式如 09:00-12:00, 13:00-18:00。留空的日子不营业：访客请求人工客服时改为留言。";
    /// Monday.
    day_mon: "Monday",
        "星期一";
    /// Tuesday.
    day_tue: "Tuesday",
        "星期二";
    /// Wednesday.
    day_wed: "Wednesday",
        "星期三";
    /// Thursday.
    day_thu: "Thursday",
        "星期四";
    /// Friday.
    day_fri: "Friday",
        "星期五";
    /// Saturday.
    day_sat: "Saturday",
        "星期六";
    /// Sunday.
    day_sun: "Sunday",
        "星期日";
    /// The texts' legend.
    site_texts: "Texts visitors see",
        "访客看到的文字";
    /// What an empty text means.
    site_texts_hint: "Left empty, a text is the built-in one.",
        "留空则使用内置文字。";
    /// The welcome line's label.
    site_welcome: "Welcome line of a new chat",
        "新会话的欢迎语";
    /// The leave-a-message line's label.
    site_offline: "When nobody can answer (before the leave-a-message form)",
        "无人接待时（留言表单之前）";
    /// English, as a text's language.
    lang_en: "in English",
        "英文";
    /// Chinese, as a text's language.
    lang_zh: "in Chinese",
        "中文";
    /// The categories' legend.
    site_categories: "Service categories",
        "服务分类";
    /// What categories do.
    site_categories_hint: "Visitors pick one before they are queued; the Team screen says which agents take which. An empty ID is made from the name.",
        "访客排队前先选择一个分类；在团队页面设置每位客服负责的分类。ID 留空时按名称生成。";
    /// A category's name.
    category_name: "Name",
        "名称";
    /// A category's ID.
    category_id: "ID (a-z, 0-9, - and _)",
        "ID（a-z、0-9、- 和 _）";
    /// Add a category row.
    category_add: "Add a category",
        "添加分类";
    /// Remove a category row.
    category_remove: "Remove",
        "移除";
    /// Saved.
    site_saved: "Saved.",
        "已保存。";
    /// A site request failed without the server's words.
    site_failed: "The site could not be saved. Check your connection and try again.",
        "无法保存站点，请检查网络连接后重试。";
    /// Header button and heading of the reports screen.
    tab_reports: "Reports",
        "报表";
    /// The range's first day.
    reports_from: "From",
        "开始日期";
    /// The range's last day.
    reports_to: "To",
        "结束日期";
    /// Show the range.
    reports_show: "Show",
        "查看";
    /// Download the days as CSV.
    reports_csv: "Download CSV",
        "下载 CSV";
    /// Conversations started.
    reports_conversations: "Conversations",
        "会话";
    /// Of those, queued for a human.
    reports_queued: "Asked for a human",
        "转人工";
    /// Of those, served by an agent.
    reports_served: "Served",
        "已接待";
    /// Messages left.
    reports_left: "Left messages",
        "留言";
    /// First response: median and p90.
    reports_first_response: "First response (median · p90)",
        "首次响应（中位数 · p90）";
    /// Resolution: median and p90.
    reports_resolution: "Resolution (median · p90)",
        "解决时长（中位数 · p90）";
    /// Customer satisfaction.
    reports_csat: "Satisfaction",
        "满意度";
    /// The bot's answer rate.
    reports_bot_rate: "Bot answer rate",
        "机器人回答率";
    /// The per-day chart's heading.
    reports_per_day: "Conversations per day (served darker)",
        "每日会话（深色为已接待）";
    /// The chart's largest value.
    reports_max: "most in a day",
        "单日最多";
    /// No rating had a comment.
    reports_no_comments: "No comments in these days.",
        "这段时间没有评价留言。";
    /// The bot's part.
    reports_bot: "The bot",
        "机器人";
    /// The bot's answers.
    reports_bot_answered: "answered",
        "已回答";
    /// Its did-you-mean lists.
    reports_bot_suggested: "did you mean",
        "猜你想问";
    /// Its misses.
    reports_bot_unanswered: "no answer",
        "未回答";
    /// Before the missed questions.
    reports_missed: "Questions the bot could not answer, most asked first: add them to the knowledge base.",
        "机器人未能回答的问题（按次数排列），可加入知识库：";
    /// Nothing missed.
    reports_no_missed: "The bot missed no question.",
        "机器人没有未回答的问题。";
    /// A reports request failed without the server's words.
    reports_failed: "The report could not be read. Check your connection and try again.",
        "无法读取报表，请检查网络连接后重试。";

    /// Header button and heading of the webhooks screen.
    tab_webhooks: "Webhooks",
        "Webhook 推送";
    /// What webhooks are.
    webhooks_hint: "Kefu POSTs each event as JSON, signed with the endpoint's secret (HMAC-SHA256 in the Kefu-Webhook-Signature header), and retries for 24 hours until your server answers 2xx.",
        "Kefu 以 JSON 推送每个事件，并用该地址的密钥签名（HMAC-SHA256）；在您的服务器返回成功状态码（200–299）之前会重试 24 小时。";
    /// No endpoint yet.
    webhooks_none: "No webhook yet.",
        "还没有 Webhook。";
    /// Before a new endpoint's secret.
    webhook_secret_once: "Signing secret (shown only now: copy it to your server) for",
        "签名密钥（仅显示这一次，请复制到您的服务器），地址";
    /// Hide the secret.
    webhook_secret_done: "I have copied it",
        "我已复制";
    /// An endpoint's switch.
    webhook_enabled: "Active",
        "启用";
    /// Send a test event.
    webhook_test: "Send test",
        "发送测试";
    /// Show the delivery log.
    webhook_log: "Delivery log",
        "推送记录";
    /// Read the log again.
    webhook_refresh: "Refresh",
        "刷新";
    /// No delivery yet.
    webhook_log_empty: "Nothing sent yet.",
        "还没有推送。";
    /// Delete an endpoint.
    webhook_delete: "Delete",
        "删除";
    /// Confirm deleting it.
    webhook_delete_confirm: "Delete this webhook and its log",
        "删除此 Webhook 及其记录";
    /// The form's heading and button.
    webhook_add: "Add a webhook",
        "添加 Webhook";
    /// The URL's label.
    webhook_url: "URL (https; http only for 127.0.0.1)",
        "地址（https；仅 127.0.0.1 可用 http）";
    /// The events' legend.
    webhook_events: "Events to send",
        "推送的事件";
    /// Log column: when.
    webhook_col_time: "Time",
        "时间";
    /// Log column: the event.
    webhook_col_event: "Event",
        "事件";
    /// Log column: the status.
    webhook_col_status: "Status",
        "状态";
    /// Log column: attempts.
    webhook_col_attempts: "Attempts",
        "尝试次数";
    /// Log column: the receiver's last answer.
    webhook_col_answer: "Last answer",
        "最后响应";
    /// A pending delivery.
    webhook_pending: "Retrying",
        "重试中";
    /// Before the next attempt's time.
    webhook_next: "next at",
        "下次";
    /// Delivered.
    webhook_delivered: "Delivered",
        "已送达";
    /// Given up.
    webhook_failed_status: "Failed",
        "失败";
    /// A webhooks request failed without the server's words.
    webhooks_failed: "The webhooks could not be reached. Check your connection and try again.",
        "无法访问 Webhook 设置，请检查网络连接后重试。";
    /// Event names in words.
    event_message_created: "a message is sent",
        "发送了一条消息";
    /// ….
    event_session_queued: "a visitor waits for a human",
        "访客排队等待人工";
    /// ….
    event_session_ended: "a conversation ends",
        "会话结束";
    /// ….
    event_rating_created: "a visitor rates",
        "访客评价";
    /// ….
    event_message_left: "a visitor leaves a message",
        "访客留言";
    /// ….
    event_test: "a test",
        "测试";
    /// The visitor panel's data part (owners and admins).
    visitor_data: "Their data",
        "访客数据";
    /// Download it.
    visitor_export: "Export as JSON",
        "导出为 JSON";
    /// Erase it (first click).
    visitor_erase: "Erase this visitor…",
        "删除此访客…";
    /// What erasing does.
    visitor_erase_warning: "Every conversation, message, upload, left message and the profile of this visitor are deleted for good, and their chat is closed.",
        "此访客的所有会话、消息、上传文件、留言和资料将被永久删除，其聊天也会被关闭。";
    /// Erase it (second click).
    visitor_erase_confirm: "Erase for good",
        "永久删除";
    /// A visitor-data request failed without the server's words.
    visitor_data_failed: "That did not work. Check your connection and try again.",
        "操作失败，请检查网络连接后重试。";
    /// Under the answer's field: its format.
    kb_answer_hint: "Blank lines between paragraphs; \u{201c}- \u{201d} or \u{201c}1. \u{201d} starts a list item; **bold**; [text](https://…) for a link. Anything else shows as typed.",
        "段落之间空一行；以“- ”或“1. ”开头为列表项；**加粗**；[文字](https://…) 为链接。其他内容按原样显示。";
    /// The answer's preview.
    kb_preview: "Preview: what visitors see",
        "预览：访客看到的样子";
    /// The notifications fieldset's legend.
    site_notify: "E-mail and keeping conversations",
        "邮件通知与会话保存";
    /// Its addresses.
    site_notify_emails: "Tell these addresses of each left message and of visitors waiting with nobody online (one per line)",
        "有新留言或访客在无人在线时等待，通知这些邮箱（每行一个）";
    /// The wait.
    site_queue_wait: "Minutes a visitor may wait with nobody online before they are told (empty: never)",
        "无人在线时访客等待多少分钟后通知（留空：不通知）";
    /// Transcripts.
    site_transcripts: "Visitors who left an e-mail address get the transcript when a conversation ends",
        "留下邮箱的访客在会话结束时收到聊天记录";
    /// Retention.
    site_retention: "Delete conversations and their files this many days after their last message (0: keep them)",
        "会话及其文件在最后一条消息多少天后删除（0：一直保留）";
    /// The look fieldset's legend.
    site_look: "The widget's look",
        "窗口外观";
    /// The colour picker's label.
    site_colour: "Main colour",
        "主色";
    /// Back to Kefu's colour.
    site_colour_reset: "Use Kefu's colour",
        "恢复默认颜色";
    /// The side's label.
    site_position: "Side of the page",
        "页面位置";
    /// Right.
    site_position_right: "Bottom right",
        "右下角";
    /// Left.
    site_position_left: "Bottom left",
        "左下角";
    /// Under the look.
    site_look_hint: "Visitors get it within five minutes of saving. A page's own CSS variables and the tag's data-position still come first.",
        "保存后五分钟内对访客生效。页面自己的 CSS 变量和脚本标签的位置属性仍然优先。";
    /// The preview's accessible name.
    site_preview: "Preview of the widget",
        "窗口预览";
    /// The preview's line.
    site_preview_line: "Hello! How can we help?",
        "您好！有什么可以帮您？";
    /// Before the server's words beside a refused field.
    field_check: "Check this:",
        "请检查此项：";
    /// Seconds, minutes, hours after a number.
    unit_s: "s",
        "秒";
    /// ….
    unit_min: "min",
        "分";
    /// ….
    unit_h: "h",
        "小时";
}

/// The tab title with `n` unread messages: `(n) Kefu console`.
pub fn title_with_unread(n: u64) -> String {
    let title = t().app_title;
    if n == 0 {
        title.to_owned()
    } else {
        format!("({n}) {title}")
    }
}

/// What an event type means, in words.
pub fn event_label(event: kefu_protocol::EventType) -> &'static str {
    use kefu_protocol::EventType as E;
    let t = t();
    match event {
        E::MessageCreated => t.event_message_created,
        E::SessionQueued => t.event_session_queued,
        E::SessionEnded => t.event_session_ended,
        E::RatingCreated => t.event_rating_created,
        E::MessageLeft => t.event_message_left,
        E::WebhookTest => t.event_test,
    }
}

/// A duration for people: `42 s`, `3 min 5 s`, `2 h 10 min`.
pub fn duration(ms: i64) -> String {
    let (t, s) = (t(), ms.max(0) / 1000);
    match s {
        0..=59 => format!("{s} {}", t.unit_s),
        60..=3599 => format!("{} {} {} {}", s / 60, t.unit_min, s % 60, t.unit_s),
        _ => format!("{} {} {} {}", s / 3600, t.unit_h, s % 3600 / 60, t.unit_min),
    }
}

/// Why the bot decided so, with the scores and the site's thresholds.
pub fn bot_reason(
    reason: kefu_protocol::trial::TrialReason,
    trial: &kefu_protocol::trial::Trial,
) -> String {
    use kefu_protocol::trial::TrialReason as R;
    let (best, runner_up, t) = (trial.best, trial.runner_up, trial.config);
    let (answer, similar, margin) = (t.answer_threshold, t.similar_threshold, t.margin);
    match (current(), reason) {
        (_, R::Other) => String::new(),
        (Locale::En, R::Blank) => "The question is empty.".to_owned(),
        (Locale::En, R::TooLong) => "The question is too long for the bot to try.".to_owned(),
        (Locale::En, R::AsksForAPerson) => "The visitor asks for a person.".to_owned(),
        (Locale::En, R::AnotherShop) => {
            "The question names another shop, which the knowledge base never mentions.".to_owned()
        }
        (Locale::En, R::NothingShared) => {
            "No entry shares a word (or a synonym) with the question.".to_owned()
        }
        (Locale::En, R::UnderSimilarThreshold) => format!(
            "The best score, {best:.2}, is under the threshold for offering ({similar:.2})."
        ),
        (Locale::En, R::UnderAnswerThreshold) => format!(
            "The best score, {best:.2}, is under the threshold for answering ({answer:.2})."
        ),
        (Locale::En, R::WeakMatch) => format!(
            "The best score, {best:.2}, reaches the threshold for answering ({answer:.2}), but the entry matches the question only through typos or parts of words, or through its answer alone: it is offered, not answered."
        ),
        (Locale::En, R::RunnerUpTooClose) => format!(
            "The best score, {best:.2}, leads the next one ({runner_up:.2}) by less than the margin ({margin:.2})."
        ),
        (Locale::En, R::AskedAsStored) => format!(
            "The question is one of the best entry's stored phrasings, word for word (score {best:.2}), and no other entry has it: answered, though the next one ({runner_up:.2}) is within the margin ({margin:.2})."
        ),
        (Locale::En, R::Answered) => format!(
            "The best score, {best:.2}, reaches the threshold for answering ({answer:.2}) and leads the next one ({runner_up:.2}) by at least the margin ({margin:.2})."
        ),
        (Locale::ZhCn, R::Blank) => "问题是空的。".to_owned(),
        (Locale::ZhCn, R::TooLong) => "问题太长，机器人不会尝试回答。".to_owned(),
        (Locale::ZhCn, R::AsksForAPerson) => "访客要求转人工。".to_owned(),
        (Locale::ZhCn, R::AnotherShop) => "问题问的是别的店铺或平台，知识库里从未提到。".to_owned(),
        (Locale::ZhCn, R::NothingShared) => "没有条目与问题有相同的词（或同义词）。".to_owned(),
        (Locale::ZhCn, R::UnderSimilarThreshold) => {
            format!("最高分 {best:.2} 低于推荐阈值（{similar:.2}）。")
        }
        (Locale::ZhCn, R::UnderAnswerThreshold) => {
            format!("最高分 {best:.2} 低于回答阈值（{answer:.2}）。")
        }
        (Locale::ZhCn, R::WeakMatch) => format!(
            "最高分 {best:.2} 达到回答阈值（{answer:.2}），但该条目与问题只在错别字、词的局部或答案上相符：只推荐，不直接回答。"
        ),
        (Locale::ZhCn, R::RunnerUpTooClose) => format!(
            "最高分 {best:.2} 领先第二名（{runner_up:.2}）不足差距要求（{margin:.2}）。"
        ),
        (Locale::ZhCn, R::AskedAsStored) => format!(
            "问题与最佳条目保存的某个问法一字不差（得分 {best:.2}），且没有别的条目有这个问法：虽然第二名（{runner_up:.2}）在差距要求（{margin:.2}）之内，仍直接回答。"
        ),
        (Locale::ZhCn, R::Answered) => format!(
            "最高分 {best:.2} 达到回答阈值（{answer:.2}），且领先第二名（{runner_up:.2}）至少差距要求（{margin:.2}）。"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_is_translated() {
        let (en, zh) = (EN.entries(), ZH_CN.entries());
        assert_eq!(en.len(), zh.len());
        // Strings that are the same in both languages on purpose.
        let same = ["unknown"];
        for ((name, e), (_, z)) in en.iter().zip(&zh) {
            assert!(
                !e.trim().is_empty() && !z.trim().is_empty(),
                "{name} is empty"
            );
            if !same.contains(name) {
                assert_ne!(e, z, "{name} is not translated");
                assert!(
                    z.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{name} has no Chinese: {z}"
                );
            }
        }
    }

    #[test]
    fn the_current_language_is_what_was_set() {
        set(Locale::ZhCn);
        assert_eq!(t().sign_in, "登录");
        assert_eq!(title_with_unread(3), "(3) Kefu 客服工作台");
        set(Locale::En);
        assert_eq!(t().sign_in, "Sign in");
        assert_eq!(title_with_unread(0), "Kefu console");
    }
}
