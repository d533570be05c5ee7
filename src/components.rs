//! Yew components. They render a [`crate::state::ChatState`] snapshot and turn
//! clicks and keys into intents on [`crate::hooks::ChatContext`]; they hold no chat
//! state of their own. Everything a person typed is rendered as text nodes.
//!
//! - [`launcher`]: the bubble button with the unread badge.
//! - [`chat_window`]: header, connection line, message list, composer.
//! - [`message_list`]: "load more", the greeting, the messages.
//! - [`history_scroll`]: the list's scrolling (paging on scroll, the rendered
//!   window, "new messages ↓"), shared with the agent console.
//! - [`message_item`]: ONE dispatcher: bubble chrome, status, and the renderer for
//!   the message's kind ([`body`]).
//! - [`service_bar`]: "Talk to a human", or the queue footer, above the composer.
//! - [`composer`]: the text box and send button.
//! - [`editing`]: when a key sends, pasted files, "Re-edit" (shared with the
//!   agent console's composer and messages).
//! - [`attach`]: the composer's attach, face and voice buttons.
//! - [`uploads`]: the visitor's uploads in flight (progress, cancel, retry).
//! - [`icons`]: inline SVG icons.
//!
//! Only [`body`], [`history_scroll`], [`icons`] and (with `runtime`) [`editing`]
//! are built without the `app` feature (the agent console uses them).

#[cfg(feature = "app")]
pub mod attach;
pub mod body;
#[cfg(feature = "app")]
pub mod chat_window;
#[cfg(feature = "app")]
pub mod composer;
#[cfg(feature = "runtime")]
pub mod editing;
pub mod history_scroll;
pub mod icons;
#[cfg(feature = "app")]
pub mod launcher;
#[cfg(feature = "app")]
pub mod message_item;
#[cfg(feature = "app")]
pub mod message_list;
#[cfg(feature = "app")]
pub mod service_bar;
#[cfg(feature = "app")]
pub mod uploads;

#[cfg(feature = "app")]
pub use chat_window::ChatWindow;
#[cfg(feature = "app")]
pub use composer::Composer;
#[cfg(feature = "app")]
pub use launcher::Launcher;
#[cfg(feature = "app")]
pub use message_item::MessageItem;
#[cfg(feature = "app")]
pub use message_list::MessageList;
#[cfg(feature = "app")]
pub use service_bar::ServiceBar;

/// `node`, an element `html!` made with its ref, listeners and children but
/// no attributes, given its attributes: `keys` with their `values` (`None`
/// leaves one out), the same form `html!` gives an element's computed
/// attributes. For the few elements whose `class` is computed: Yew's
/// `class={…}` turns it into `Classes`, an ordered set of names, and adding an
/// attribute to a made element turns the element's attributes into a map;
/// either costs kilobytes of the widget's brotli'd wasm (BENCHMARKS.md "What
/// the widget's wasm is made of"). The widget writes those class lists itself.
pub fn with_attributes<const N: usize>(
    mut node: yew::Html,
    keys: &'static [&'static str; N],
    values: [Option<yew::AttrValue>; N],
) -> yew::Html {
    use yew::virtual_dom::{AttributeOrProperty, Attributes, VNode};
    if let VNode::VTag(tag) = &mut node {
        let values = values.map(|v| v.map(AttributeOrProperty::Attribute));
        // A node just made by `html!` is not shared: this clones nothing.
        std::rc::Rc::make_mut(tag).set_attributes(Attributes::Dynamic {
            keys,
            values: Box::new(values),
        });
    }
    node
}
