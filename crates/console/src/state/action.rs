//! What goes into the reducer ([`Action`]: frames from the transport, intents
//! from the agent, page signals) and what comes out ([`Effect`]: I/O for the
//! controller to run). Plain data, so reducer tests can build and compare them.

use kefu_protocol::{Availability, ClientFrame, ClientMsgId, ConversationId, LeftState, MessageId};

/// A decoded frame from the server: one every client gets, or an agent-only one.
pub use kefu_protocol::AgentInbound as Incoming;

/// The console's tabs (`button.kc-tab[data-tab]`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// Conversations this agent serves.
    #[default]
    Mine,
    /// The site's queue.
    Queue,
    /// Ended conversations (paged).
    Ended,
    /// Left messages.
    Inbox,
    /// Canned replies.
    Canned,
    /// The site's team (owners and admins only; opened from the header, not
    /// one of [`Tab::ALL`]).
    Team,
    /// The site's bot: on or off, and "try a question" (owners and admins
    /// only; opened from the header).
    Bot,
    /// The site's install snippet and settings (owners and admins only;
    /// opened from the header).
    Site,
    /// The site's knowledge base (owners and admins only; opened from the
    /// header).
    Kb,
    /// The site's reports (owners and admins only; opened from the header).
    Reports,
    /// The site's webhooks and their delivery logs (owners and admins only;
    /// opened from the header).
    Webhooks,
    /// This agent's account: their own password (every agent; opened from
    /// the header).
    Account,
}

impl Tab {
    /// Every tab of the tab row, in display order.
    pub const ALL: [Tab; 5] = [Tab::Mine, Tab::Queue, Tab::Ended, Tab::Inbox, Tab::Canned];

    /// An owners' and admins' screen.
    pub fn administers(self) -> bool {
        matches!(
            self,
            Tab::Team | Tab::Bot | Tab::Site | Tab::Kb | Tab::Reports | Tab::Webhooks
        )
    }

    /// The `data-tab` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Tab::Mine => "mine",
            Tab::Queue => "queue",
            Tab::Ended => "ended",
            Tab::Inbox => "inbox",
            Tab::Canned => "canned",
            Tab::Team => "team",
            Tab::Bot => "bot",
            Tab::Site => "site",
            Tab::Kb => "kb",
            Tab::Reports => "reports",
            Tab::Webhooks => "webhooks",
            Tab::Account => "account",
        }
    }
}

/// The connection as the header shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conn {
    /// No token: the sign-in form shows.
    SignedOut,
    /// A socket is opening, or `hello` is waiting for `ready`.
    Connecting,
    /// `ready` arrived.
    Online,
    /// The socket closed; a reconnect is scheduled.
    Offline,
    /// The server refused this console for good (version, site); no reconnect.
    Refused,
}

/// Reducer input.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The agent submitted the sign-in form.
    SignIn {
        /// Username.
        username: String,
        /// Password.
        password: String,
    },
    /// `POST /api/v1/agent/login` answered with a token.
    SignedIn {
        /// The agent token.
        token: String,
    },
    /// Sign-in failed; the text to show.
    SignInFailed(&'static str),
    /// The agent pressed "Sign out".
    SignOut,
    /// The agent picked the console's language.
    SetLocale(kefu_protocol::Locale),
    /// The socket opened.
    SocketOpen,
    /// The socket closed with `code`.
    SocketClosed {
        /// The close code (1006 when dropped).
        code: u16,
    },
    /// A frame arrived (boxed: frames are much larger than other actions).
    Frame(Box<Incoming>),
    /// The browser came back online: reconnect now if offline.
    WakeUp,
    /// The page became visible or hidden.
    PageVisible(bool),
    /// The window gained or lost focus.
    PageFocused(bool),
    /// Show another tab.
    SelectTab(Tab),
    /// Show a conversation in the pane.
    Select(ConversationId),
    /// Show a conversation from elsewhere (a transfer note, the inbox, a desktop
    /// notification): the list tab it belongs to, and the conversation.
    Open(ConversationId),
    /// Fetch the page of older messages of the shown conversation.
    LoadOlder,
    /// Fetch the next page of ended conversations.
    LoadMoreEnded,
    /// Search the site's conversations (an empty query closes the search).
    Search(String),
    /// Fetch the next page of the search shown.
    SearchMore,
    /// Narrow searches to these dates (and search the shown query again).
    SearchDates(super::search::SearchDates),
    /// Show the left messages in this state (`None`: all) in the inbox.
    InboxFilter(Option<LeftState>),
    /// Fetch the next page of the inbox.
    InboxMore,
    /// Mark a left message new or done.
    SetLeftState {
        /// The left message.
        id: String,
        /// Its new state.
        state: LeftState,
    },
    /// Give a left message to an agent (`agent:<id>`), or to nobody.
    AssignLeft {
        /// The left message.
        id: String,
        /// The agent; `None`: unassigned.
        agent: Option<String>,
    },
    /// Answer a left message by e-mail.
    ReplyLeft {
        /// The left message.
        id: String,
        /// The reply.
        text: String,
    },
    /// Send a text in the shown conversation.
    SendText {
        /// What the agent typed.
        text: String,
        /// A fresh client message ID.
        client_msg_id: ClientMsgId,
        /// Local time, ms (shown until the ack).
        now: i64,
    },
    /// Resend a failed message of the shown conversation.
    Resend(ClientMsgId),
    /// One step of an upload this agent started in a conversation.
    Upload {
        /// The conversation it goes to.
        conversation_id: ConversationId,
        /// The client ID its message is sent with.
        client_msg_id: ClientMsgId,
        /// What happened.
        step: UploadStep,
    },
    /// Revoke this agent's message in the shown conversation.
    Revoke(MessageId),
    /// Hide a message of the shown conversation for this agent.
    Delete(MessageId),
    /// The composer has text (local ms): say "typing", throttled.
    Typing(i64),
    /// The visitor's "typing" of this ticket timed out.
    TypingOver {
        /// The conversation.
        conversation_id: ConversationId,
        /// The `typing` frame it was armed for.
        ticket: u32,
    },
    /// No ack in time for `attempt` of this message.
    AckTimeout {
        /// The message.
        client_msg_id: ClientMsgId,
        /// The attempt the timer was armed for.
        attempt: u32,
    },
    /// Take a queued conversation (and show it).
    Accept(ConversationId),
    /// End the shown conversation's session.
    EndSession,
    /// Invite the shown conversation's visitor to rate.
    InviteEvaluate,
    /// Co-browsing the shown conversation's visitor's page.
    Remote(super::cobrowse::RemoteIntent),
    /// Transfer the shown conversation.
    Transfer {
        /// `agent:<id>`.
        to_agent: String,
        /// Note for the receiving agent (empty for none).
        note: String,
    },
    /// Set this agent's presence.
    SetPresence(Availability),
    /// Create (no `id`) or update a canned reply.
    SaveCanned {
        /// The reply to update.
        id: Option<String>,
        /// Its shortcut.
        shortcut: String,
        /// Its text.
        text: String,
    },
    /// Delete a canned reply.
    DeleteCanned(String),
    /// Hide the notice line.
    DismissNotice,
    /// Hide the transfer note of a conversation.
    DismissNote(ConversationId),
    /// This browser's inbox mark for this agent (`Effect::LoadInboxSeen`):
    /// the newest left message's time the agent saw, 0 when none.
    InboxSeenLoaded(i64),
    /// An intent on the team screen.
    Team(super::team::TeamIntent),
    /// The server answered a [`Effect::Team`] request.
    TeamAnswer(super::team::TeamAnswer),
    /// An intent on the bot screen.
    Bot(super::bot::BotIntent),
    /// The server answered a [`Effect::Bot`] request.
    BotAnswer(super::bot::BotAnswer),
    /// An intent on the site screen.
    Site(super::site::SiteIntent),
    /// The server answered a [`Effect::Site`] request.
    SiteAnswer(super::site::SiteAnswer),
    /// An intent on the knowledge-base screen.
    Kb(super::kb::KbIntent),
    /// What the server answered a knowledge-base request.
    KbAnswer(super::kb::KbAnswer),
    /// An intent on the reports screen.
    Reports(super::reports::ReportsIntent),
    /// What the server answered a reports request.
    ReportsAnswer(super::reports::ReportsAnswer),
    /// Export or erase a visitor's data (owners and admins).
    VisitorData(super::visitor_data::VisitorDataRequest),
    /// What the server answered a visitor-data request.
    VisitorDataAnswer(super::visitor_data::VisitorDataAnswer),
    /// An intent on the webhooks screen.
    Webhooks(super::webhooks::WebhooksIntent),
    /// What the server answered a webhooks request.
    WebhooksAnswer(super::webhooks::WebhooksAnswer),
    /// An intent on the account screen.
    Account(super::account::AccountIntent),
    /// What the server answered an account request.
    AccountAnswer(super::account::AccountAnswer),
    /// A step of setting or removing an avatar (from the controller).
    Avatar(super::avatar::AvatarStep),
}

/// I/O the controller runs after an update.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Send a frame on the socket.
    Send(ClientFrame),
    /// Hand the visitor's page stream (data) of a conversation to the viewer.
    Replay(ConversationId, String),
    /// Read this agent's inbox mark (answered with `Action::InboxSeenLoaded`).
    LoadInboxSeen {
        /// `agent:<id>`.
        agent: String,
    },
    /// Keep this agent's inbox mark: left messages up to `time` were seen.
    SaveInboxSeen {
        /// `agent:<id>`.
        agent: String,
        /// The newest seen left message's time, ms.
        time: i64,
    },
    /// `POST /api/v1/agent/login`.
    Login {
        /// Username.
        username: String,
        /// Password.
        password: String,
    },
    /// `POST /api/v1/agent/logout` with this token (fire and forget).
    Logout(String),
    /// A team request over HTTP (answered with `Action::TeamAnswer`).
    Team(super::team::TeamRequest),
    /// A bot-screen request over HTTP (answered with `Action::BotAnswer`).
    Bot(super::bot::BotRequest),
    /// A site-screen request over HTTP (answered with `Action::SiteAnswer`).
    Site(super::site::SiteRequest),
    /// A knowledge-base request over HTTP (answered with `Action::KbAnswer`).
    Kb(super::kb::KbRequest),
    /// A reports request over HTTP (answered with `Action::ReportsAnswer`).
    Reports(super::reports::ReportsRequest),
    /// A visitor-data request over HTTP (answered with `Action::VisitorDataAnswer`).
    VisitorData(super::visitor_data::VisitorDataRequest),
    /// A webhooks request over HTTP (answered with `Action::WebhooksAnswer`).
    Webhooks(super::webhooks::WebhooksRequest),
    /// An account request over HTTP (answered with `Action::AccountAnswer`).
    Account(super::account::AccountRequest),
    /// Keep the token in sessionStorage.
    SaveToken(String),
    /// Forget the stored token.
    ClearToken,
    /// Keep the agent's pick of language (localStorage).
    SaveLocale(kefu_protocol::Locale),
    /// Open the socket now.
    Connect,
    /// Close the socket for good (signed out).
    Disconnect,
    /// Reconnect after the next backoff delay.
    ScheduleReconnect,
    /// A `ready` arrived: start the backoff over.
    ResetBackoff,
    /// Fail this attempt of a message if no ack comes in time.
    ArmAckTimer {
        /// The message.
        client_msg_id: ClientMsgId,
        /// Its current attempt.
        attempt: u32,
    },
    /// Hide the visitor's "typing" of `ticket` after a while.
    ArmTypingTimer {
        /// The conversation.
        conversation_id: ConversationId,
        /// The `typing` frame it is for.
        ticket: u32,
    },
    /// A visitor wrote while the agent looked elsewhere: beep, and show a
    /// desktop notification when permitted.
    Alert {
        /// The conversation.
        conversation_id: ConversationId,
        /// Notification body (the message preview).
        body: String,
    },
}

/// What happened to an upload (see [`Action::Upload`]).
#[derive(Clone, Debug, PartialEq)]
pub enum UploadStep {
    /// Started (or retried): shown with a progress bar.
    Start {
        /// The file name.
        name: String,
        /// Local time, ms.
        now: i64,
    },
    /// Bytes sent so far, of the total.
    Progress {
        /// Sent.
        sent: u64,
        /// Of.
        total: u64,
    },
    /// Stored: send this element.
    Done(kefu_protocol::MessageBody),
    /// Failed (kept, to retry or cancel).
    Failed(kefu_widget::upload::UploadError),
    /// Cancelled or dismissed.
    Cancel,
}
