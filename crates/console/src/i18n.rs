//! Every string the console shows, in English, in one place (no i18n crate).
//! Components and the reducer's notices read these constants; nothing else
//! spells out user-facing text.

/// Product name, and the tab title without unread messages.
pub const APP_TITLE: &str = "Kefu console";
/// The tab title with `n` unread messages: `(n) Kefu console`.
pub fn title_with_unread(n: u64) -> String {
    if n == 0 {
        APP_TITLE.to_owned()
    } else {
        format!("({n}) {APP_TITLE}")
    }
}

/// Sign-in heading.
pub const SIGN_IN_TITLE: &str = "Sign in to Kefu";
/// Username field label.
pub const USERNAME: &str = "Username";
/// Password field label.
pub const PASSWORD: &str = "Password";
/// Sign-in button.
pub const SIGN_IN: &str = "Sign in";
/// Sign-in button while the request runs.
pub const SIGNING_IN: &str = "Signing in…";
/// Wrong username or password (the same text for both, on purpose).
pub const BAD_CREDENTIALS: &str = "Wrong username or password.";
/// The account was disabled by an admin of the site.
pub const ACCOUNT_DISABLED: &str = "This account is disabled. Ask an admin of your site.";
/// Too many sign-in attempts.
pub const TOO_MANY_ATTEMPTS: &str = "Too many attempts. Try again in a minute.";
/// The sign-in request failed for another reason.
pub const SIGN_IN_FAILED: &str = "Could not sign in. Check your connection and try again.";
/// The token expired or was revoked.
pub const SESSION_EXPIRED: &str = "Your session has ended. Please sign in again.";
/// The server refuses this console (version, site).
pub const UNSUPPORTED: &str = "This console cannot connect to the server. Reload the page.";

/// Sign-out button.
pub const SIGN_OUT: &str = "Sign out";
/// Presence select label.
pub const PRESENCE: &str = "Status";
/// Presence: online.
pub const ONLINE: &str = "Online";
/// Presence: away.
pub const AWAY: &str = "Away";
/// Connection line while (re)connecting.
pub const CONNECTING: &str = "Connecting…";
/// Connection line while offline.
pub const OFFLINE: &str = "Offline, reconnecting…";
/// Button asking for desktop notification permission.
pub const ENABLE_NOTIFICATIONS: &str = "Enable notifications";
/// Notification title for a new visitor message.
pub const NEW_MESSAGE: &str = "New message";
/// The region of notices and transfer notes.
pub const NOTES: &str = "Notices";
/// Dismiss a notice.
pub const DISMISS: &str = "Dismiss";

/// Tab: conversations I serve.
pub const TAB_MINE: &str = "Mine";
/// Tab: the queue.
pub const TAB_QUEUE: &str = "Queue";
/// Tab: ended conversations.
pub const TAB_ENDED: &str = "Ended";
/// Tab: left messages.
pub const TAB_INBOX: &str = "Inbox";
/// Tab: canned replies.
pub const TAB_CANNED: &str = "Canned";
/// An empty list.
pub const EMPTY_LIST: &str = "Nothing here.";
/// Load the next page of ended conversations.
pub const MORE: &str = "More";
/// The conversation search field's placeholder and label.
pub const SEARCH: &str = "Search conversations";
/// Label of the search's first day.
pub const SEARCH_FROM: &str = "From";
/// Label of the search's last day.
pub const SEARCH_TO: &str = "To";
/// A search that found nothing.
pub const NO_RESULTS: &str = "No conversation found.";
/// Loading a page.
pub const LOADING: &str = "Loading…";
/// A visitor without a known name.
pub const VISITOR: &str = "Visitor";
/// Waiting since (queue rows).
pub const WAITING: &str = "waiting";

/// The pane when nothing is selected.
pub const NO_SELECTION: &str = "Pick a conversation on the left.";
/// Load older messages.
pub const LOAD_OLDER: &str = "Load older messages";
/// The button back down to newer messages while reading older ones.
pub const NEW_MESSAGES: &str = "New messages ↓";
/// Accept a queued conversation.
pub const ACCEPT: &str = "Accept";
/// End the session.
pub const END: &str = "End";
/// Invite the visitor to rate.
pub const INVITE: &str = "Invite rating";
/// The visitor has an invitation to rate and has not answered yet.
pub const RATING_REQUESTED: &str = "Rating requested";
/// The visitor rated (stars unknown; with them, the row's "Rated ★★★★☆").
pub const RATED: &str = "Rated";
/// Open the transfer form.
pub const TRANSFER: &str = "Transfer";
/// Transfer form: target agent.
pub const TRANSFER_TO: &str = "To agent";
/// Transfer form: note.
pub const TRANSFER_NOTE: &str = "Note for the agent (only they see it)";
/// Transfer form: submit.
pub const TRANSFER_SUBMIT: &str = "Transfer";
/// Transfer form: nobody to transfer to.
pub const NO_AGENT_ONLINE: &str = "No other agent is online.";
/// Transfer note heading, before the agent's name.
pub const TRANSFER_NOTE_FROM: &str = "Transfer note from";
/// Session state labels.
pub const STATE_BOT: &str = "With the bot";
/// Session state: queued.
pub const STATE_QUEUED: &str = "Waiting in the queue";
/// Session state: served by an agent, before the name.
pub const STATE_SERVING: &str = "Served by";
/// Session state: ended.
pub const STATE_ENDED: &str = "Ended";
/// Sender name of the bot.
pub const BOT: &str = "Bot";
/// Sender name of an agent without a nick.
pub const AGENT: &str = "Agent";
/// You (the signed-in agent) as a sender.
pub const YOU: &str = "You";
/// A pending message.
pub const SENDING: &str = "Sending…";
/// A failed message.
pub const NOT_SENT: &str = "Not sent";
/// Resend button.
pub const RESEND: &str = "Resend";
/// The line of a message this agent revoked.
pub const REVOKED_YOU: &str = "You revoked a message";
/// After the sender's name: the line of a message they revoked.
pub const REVOKED_BY: &str = " revoked a message";
/// Puts a revoked text back into the composer.
pub const RE_EDIT: &str = "Re-edit";
/// Message action: revoke.
pub const REVOKE: &str = "Revoke";
/// Label of the button that shows a message's actions.
pub const ACTIONS: &str = "Message actions";
/// Mark on this agent's messages the visitor has read.
pub const READ: &str = "Read";
/// The visitor is typing.
pub const VISITOR_TYPING: &str = "Visitor is typing…";
/// A revoke refused because the window passed.
pub const REVOKE_LATE: &str = "This message can no longer be revoked.";

/// Composer placeholder.
pub const PLACEHOLDER: &str = "Type a reply, / for canned replies";
/// Composer label.
pub const INPUT_LABEL: &str = "Reply";
/// Send button.
pub const SEND: &str = "Send";
/// Emoji button.
pub const EMOJI: &str = "Emoji";
/// The `/` menu's label.
pub const CANNED_MENU: &str = "Canned replies";
/// No canned reply matches.
pub const NO_CANNED_MATCH: &str = "No canned reply matches.";

/// Visitor panel heading.
pub const VISITOR_PANEL: &str = "Visitor";
/// Visitor panel labels, by `data-field`.
pub const FIELD_NAME: &str = "Name";
/// Contact.
pub const FIELD_CONTACT: &str = "Contact";
/// Page URL.
pub const FIELD_URL: &str = "Page";
/// Page title.
pub const FIELD_TITLE: &str = "Title";
/// Referrer.
pub const FIELD_REFERRER: &str = "Referrer";
/// Browser.
pub const FIELD_BROWSER: &str = "Browser";
/// Operating system.
pub const FIELD_OS: &str = "OS";
/// Language.
pub const FIELD_LANGUAGE: &str = "Language";
/// Time zone.
pub const FIELD_TIME_ZONE: &str = "Time zone";
/// Visits.
pub const FIELD_VISITS: &str = "Visits";
/// First seen.
pub const FIELD_FIRST_SEEN: &str = "First seen";
/// The host page's user (`kefu.setUser`): heading.
pub const SIGNED_IN_USER: &str = "Signed-in user";
/// The user's ID on the site.
pub const FIELD_USER_ID: &str = "User ID";
/// The user's name.
pub const FIELD_USER_NAME: &str = "Name";
/// The user's e-mail.
pub const FIELD_USER_EMAIL: &str = "E-mail";
/// The user's identity was verified with the site's secret.
pub const VERIFIED: &str = "Verified";
/// The user's identity was not verified (the page may say anything).
pub const UNVERIFIED: &str = "Unverified";
/// The host page's attributes (`kefu.setAttributes`): heading.
pub const ATTRIBUTES: &str = "Attributes";
/// An unknown value.
pub const UNKNOWN: &str = "—";
/// A session in the sessions list that is still going on.
pub const SESSION_LIVE: &str = "In progress";
/// Sessions list heading.
pub const SESSIONS: &str = "Sessions";
/// A session without an agent.
pub const NO_AGENT: &str = "no agent";
/// Loading the profile.
pub const PROFILE_LOADING: &str = "Loading the visitor…";

/// Canned tab: form heading (new).
pub const CANNED_NEW: &str = "New canned reply";
/// Canned tab: form heading (editing).
pub const CANNED_EDIT: &str = "Edit canned reply";
/// Shortcut field.
pub const SHORTCUT: &str = "Shortcut";
/// Text field.
pub const TEXT: &str = "Text";
/// Save button.
pub const SAVE: &str = "Save";
/// Cancel editing.
pub const CANCEL: &str = "Cancel";
/// Edit button.
pub const EDIT: &str = "Edit";
/// Delete button.
pub const DELETE: &str = "Delete";

/// Inbox heading.
pub const INBOX: &str = "Left messages";
/// Open the conversation of a left message.
pub const OPEN_CONVERSATION: &str = "Open conversation";
/// Left messages nobody has handled yet (filter and state).
pub const LEFT_NEW: &str = "New";
/// Handled left messages (filter and state).
pub const LEFT_DONE: &str = "Done";
/// Every left message (filter).
pub const LEFT_ALL: &str = "All";
/// Mark a left message handled.
pub const MARK_DONE: &str = "Mark done";
/// Mark a handled left message new again.
pub const REOPEN: &str = "Reopen";
/// Label of a left message's assignee.
pub const ASSIGNEE: &str = "Assignee";
/// No assignee.
pub const UNASSIGNED: &str = "Nobody";
/// Before the name of the agent who replied by e-mail.
pub const REPLIED_BY: &str = "E-mail reply by";
/// Label of the e-mail reply box.
pub const REPLY_BY_EMAIL: &str = "Reply by e-mail";
/// Send the e-mail reply.
pub const SEND_REPLY: &str = "Send e-mail";

/// Attach button.
pub const ATTACH: &str = "Attach a file";
/// Shown while files are dragged over the conversation.
pub const DROP_HINT: &str = "Drop files to send";
/// Retry a failed upload.
pub const RETRY: &str = "Retry";
/// Accessible label of an upload's progress bar.
pub const UPLOADING: &str = "Uploading";

/// The team tab (owners and admins).
pub const TAB_TEAM: &str = "Team";
/// A team request that got no usable answer.
pub const TEAM_FAILED: &str = "The team could not be changed. Check your connection and try again.";
/// Heading of the form that adds an agent.
pub const TEAM_ADD: &str = "Add an agent";
/// Submit of that form.
pub const TEAM_ADD_SUBMIT: &str = "Add";
/// Label of a member's display name.
pub const DISPLAY_NAME: &str = "Name";
/// Label of a member's role.
pub const ROLE: &str = "Role";
/// The roles.
pub const ROLE_OWNER: &str = "Owner";
/// The roles.
pub const ROLE_ADMIN: &str = "Admin";
/// The roles.
pub const ROLE_AGENT: &str = "Agent";
/// Before a member's count of conversations served now.
pub const SERVING: &str = "Serving";
/// A disabled member.
pub const DISABLED: &str = "Disabled";
/// Disable a member.
pub const DISABLE: &str = "Disable";
/// Enable a disabled member.
pub const ENABLE: &str = "Enable";
/// Make a new password for a member.
pub const NEW_PASSWORD: &str = "New password";
/// Before a member's new password, shown once.
pub const NEW_PASSWORD_FOR: &str = "New password (shown once) for";
/// Presence of a member with no connection.
pub const PRESENCE_OFFLINE: &str = "Offline";

/// Header button and heading of the bot screen.
pub const TAB_BOT: &str = "Bot";
/// The bot switch's label.
pub const BOT_ENABLED: &str = "The bot answers visitors first";
/// Under the switch, the bot on.
pub const BOT_ON_HINT: &str = "New visitors get a welcome, the hot questions in their language and the bot's answers; they can ask for a human at any time.";
/// Under the switch, the bot off.
pub const BOT_OFF_HINT: &str = "The bot is off: a visitor's first message goes straight to the queue, or to leave-a-message when nobody can answer.";
/// The try-a-question form's heading.
pub const BOT_TRY: &str = "Try a question";
/// Its input's label.
pub const BOT_TRY_LABEL: &str = "A question, as a visitor would ask it";
/// Its button.
pub const BOT_TRY_SUBMIT: &str = "Ask the bot";
/// The decision: an answer.
pub const BOT_DECISION_ANSWER: &str = "The bot answers with the first entry.";
/// The decision: did you mean.
pub const BOT_DECISION_SIMILAR: &str =
    "The bot asks \u{201c}did you mean\u{201d} with the entries marked offered.";
/// The decision: nothing.
pub const BOT_DECISION_NONE: &str = "The bot does not answer: it offers a human.";
/// The nearest entries' heading.
pub const BOT_NEAREST: &str = "Nearest entries";
/// No entry shares anything with the question.
pub const BOT_NO_NEAREST: &str = "No entry comes near.";
/// An entry the visitor would be offered.
pub const BOT_OFFERED: &str = "offered";
/// The scoring details' summary.
pub const BOT_HOW_SCORED: &str = "How it scored";
/// A bot request failed without the server's words.
pub const BOT_FAILED: &str = "Could not reach the bot. Try again.";
/// Trying a question on a site without a knowledge base.
pub const BOT_NO_KB: &str = "This site has no knowledge base yet: import one first.";

/// Why the bot decided so, with the scores and the site's thresholds.
pub fn bot_reason(
    reason: kefu_protocol::trial::TrialReason,
    trial: &kefu_protocol::trial::Trial,
) -> String {
    use kefu_protocol::trial::TrialReason as R;
    let (best, runner_up, t) = (trial.best, trial.runner_up, trial.config);
    match reason {
        R::Blank => "The question is empty.".to_owned(),
        R::TooLong => "The question is too long for the bot to try.".to_owned(),
        R::AsksForAPerson => "The visitor asks for a person.".to_owned(),
        R::NothingShared => "No entry shares a word (or a synonym) with the question.".to_owned(),
        R::UnderSimilarThreshold => format!(
            "The best score, {best:.2}, is under the threshold for offering ({:.2}).",
            t.similar_threshold
        ),
        R::UnderAnswerThreshold => format!(
            "The best score, {best:.2}, is under the threshold for answering ({:.2}).",
            t.answer_threshold
        ),
        R::RunnerUpTooClose => format!(
            "The best score, {best:.2}, leads the next one ({runner_up:.2}) by less than the margin ({:.2}).",
            t.margin
        ),
        R::Answered => format!(
            "The best score, {best:.2}, reaches the threshold for answering ({:.2}) and leads the next one ({runner_up:.2}) by at least the margin ({:.2}).",
            t.answer_threshold, t.margin
        ),
        R::Other => String::new(),
    }
}

/// Header button and heading of the site screen.
pub const TAB_SITE: &str = "Site";
/// The install part's heading.
pub const SITE_INSTALL: &str = "Install";
/// What to do with the snippet.
pub const SITE_INSTALL_HINT: &str = "Paste this tag into every page of your site, before </body>:";
/// What the CSP lines are.
pub const SITE_CSP_HINT: &str =
    "If your pages send a Content-Security-Policy, allow the chat server like this:";
/// The settings form's heading.
pub const SITE_SETTINGS: &str = "Settings";
/// The site's name.
pub const SITE_NAME: &str = "Name";
/// The allowed origins.
pub const SITE_ORIGINS: &str = "Sites allowed to show the chat, one origin per line (empty: any)";
/// Automatic assignment.
pub const SITE_AUTO_ASSIGN: &str = "Hand waiting visitors to the least busy online agent";
/// The cap per agent.
pub const SITE_CAP: &str = "Conversations per agent, at most";
/// The identity secret's heading.
pub const SITE_SECRET: &str = "Identity verification secret";
/// The secret is set.
pub const SITE_SECRET_SET: &str = "Set. Type a new one to replace it.";
/// The secret is not set.
pub const SITE_SECRET_NOT_SET: &str = "Not set.";
/// Remove the secret.
pub const SITE_SECRET_REMOVE: &str = "Remove the secret";
/// Saved.
pub const SITE_SAVED: &str = "Saved.";
/// A site request failed without the server's words.
pub const SITE_FAILED: &str = "The site could not be saved. Check your connection and try again.";
