//! Shared by the browser test crates (`#[path]`-included, not a test crate itself):
//! a widget mounted inside an open shadow root (as the loader mounts it), driven
//! by reducer actions and clicks, and frame builders.
#![allow(dead_code)]

use kefu_protocol::{
    ConversationSummary, Flow, Identity, Message, MessageBody, MessageStatus, Role, ServerFrame,
};
use kefu_widget::config::WidgetConfig;
use kefu_widget::controller::Controller;
use kefu_widget::state::Action;
use kefu_widget::transport::page;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

pub const CONV: &str = "conv-1";

/// A mounted widget: its controller and the shadow root it renders into.
pub struct Widget {
    pub controller: Rc<Controller>,
    pub root: ShadowRoot,
}

impl Widget {
    pub async fn mount() -> Self {
        let doc = web_sys::window().unwrap().document().unwrap();
        let host = doc.create_element("kefu-widget").unwrap();
        doc.body().unwrap().append_child(&host).unwrap();
        let root = host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .unwrap();
        let container = doc.create_element("div").unwrap();
        root.append_child(&container).unwrap();
        let mut config = WidgetConfig::new("demo");
        config.locale = Some("en".into());
        let controller = Controller::new(config);
        kefu_widget::render(container, controller.clone());
        let w = Widget { controller, root };
        w.settle().await;
        w
    }

    /// Let Yew render.
    pub async fn settle(&self) {
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }

    pub async fn act(&self, action: Action) {
        self.controller.dispatch(action);
        self.settle().await;
    }

    pub async fn frame(&self, frame: ServerFrame) {
        self.act(Action::Frame(frame)).await;
    }

    /// The socket opened, as the transport reports it (with the page's context).
    pub async fn socket_open(&self) {
        self.act(Action::SocketOpen(page::visitor_context())).await;
    }

    /// Connected, in an empty conversation.
    pub async fn online(&self) {
        self.socket_open().await;
        self.frame(ready()).await;
    }

    pub fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    pub fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches `{selector}`"))
    }

    pub fn count(&self, selector: &str) -> u32 {
        self.root.query_selector_all(selector).unwrap().length()
    }

    pub async fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
        self.settle().await;
    }
}

pub fn ready() -> ServerFrame {
    ServerFrame::Ready {
        protocol_version: 1,
        identity: Identity {
            role: Role::Visitor,
            id: "visitor:v1".into(),
            name: None,
            site: "demo".into(),
        },
        token: "tok".into(),
        conversations: vec![ConversationSummary {
            conversation_id: CONV.into(),
            last_sequence: 0,
            read_sequence: 0,
            peer_read_sequence: 0,
        }],
        categories: Vec::new(),
        limits: Default::default(),
    }
}

/// [`ready`] of a site with these service categories (`(id, name)`).
pub fn ready_with_categories(categories: &[(&str, &str)]) -> ServerFrame {
    let mut frame = ready();
    if let ServerFrame::Ready { categories: c, .. } = &mut frame {
        *c = categories
            .iter()
            .map(|(id, name)| kefu_protocol::Category {
                id: (*id).into(),
                name: (*name).into(),
            })
            .collect();
    }
    frame
}

pub fn incoming(seq: u64, body: MessageBody) -> ServerFrame {
    ServerFrame::Message {
        message: Message {
            id: format!("m{seq}").into(),
            conversation_id: CONV.into(),
            from: "agent:a1".into(),
            to: "visitor:v1".into(),
            nick: Some("Alice".into()),
            flow: Flow::In,
            time: 1_764_000_000_000,
            sequence: seq,
            client_msg_id: format!("agent-{seq}").into(),
            body,
            is_revoked: false,
            is_peer_read: false,
            status: MessageStatus::Success,
        },
    }
}
