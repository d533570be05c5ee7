//! The client runtime the widget and the agent console share: everything
//! between their pure reducers and the browser that is not about what either
//! of them shows.
//!
//! - [`Store`]: the state snapshot, one reducer step per action, the new
//!   snapshot handed to the mounted Yew `App` (the one dispatch loop; each
//!   controller runs the effects it gets back).
//! - [`Transport`] (over each client's [`Wire`]) and [`PageEvents`] /
//!   [`PageSignal`]: the socket and the page's lifecycle, from [`crate::transport`];
//!   [`Link`] holds both for a controller and reports back to it.
//! - [`Composer`]: client message IDs and the typing throttle.
//! - [`later`]: an action for a controller after a delay, if it still exists.
//!
//! Each client's controller is then only what is its own: its effects (the
//! widget's token and host-page events, the console's HTTP screens and alerts)
//! and how it maps page signals to its actions.

pub use crate::transport::page::{self, PageEvents, PageSignal};
pub use crate::transport::ws::{Sink, Transport, Wire};

use crate::state::{new_client_msg_id, TYPING_EVERY_MS};
use kefu_protocol::ClientMsgId;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::Callback;

/// A client's pure state: actions in, effects out.
pub trait Model: Clone + PartialEq + 'static {
    /// What can happen.
    type Action;
    /// What the controller is asked to do about it.
    type Effect;
    /// Apply `action`; the effects to run, in order.
    fn update(&mut self, action: Self::Action) -> Vec<Self::Effect>;
}

/// The latest snapshot of a [`Model`] and who renders it.
pub struct Store<M> {
    /// Replaced, never mutated in place, so Yew can compare snapshots.
    state: RefCell<Rc<M>>,
    /// The mounted `App`'s setter, called with every new snapshot.
    subscriber: RefCell<Option<Callback<Rc<M>>>>,
}

impl<M: Model> Store<M> {
    /// A store holding `state`, rendered by nobody yet.
    pub fn new(state: M) -> Self {
        Store {
            state: RefCell::new(Rc::new(state)),
            subscriber: RefCell::new(None),
        }
    }

    /// The current snapshot.
    pub fn state(&self) -> Rc<M> {
        self.state.borrow().clone()
    }

    /// Receive every new snapshot (the mounted `App`), or stop with `None`.
    pub fn subscribe(&self, subscriber: Option<Callback<Rc<M>>>) {
        *self.subscriber.borrow_mut() = subscriber;
    }

    /// Run `action` through the reducer. If the state changed, `changed` sees
    /// the new snapshot first (the tab title), then the `App` gets it. Returns
    /// the effects for the controller to run; no borrow is held by then, so
    /// they may dispatch again.
    pub fn dispatch(&self, action: M::Action, changed: impl FnOnce(&M)) -> Vec<M::Effect> {
        let (effects, next) = {
            let mut current = self.state.borrow_mut();
            let mut next = M::clone(&current);
            let effects = next.update(action);
            if next == **current {
                (effects, None)
            } else {
                *current = Rc::new(next);
                (effects, Some(current.clone()))
            }
        };
        if let Some(next) = next {
            changed(&next);
            self.publish(next);
        }
        effects
    }

    /// Change the snapshot outside the reducer (the widget's locale, a reset)
    /// and publish it.
    pub fn replace(&self, change: impl FnOnce(&mut M)) {
        let next = {
            let mut current = self.state.borrow_mut();
            let mut next = M::clone(&current);
            change(&mut next);
            *current = Rc::new(next);
            current.clone()
        };
        self.publish(next);
    }

    fn publish(&self, next: Rc<M>) {
        let subscriber = self.subscriber.borrow().clone();
        if let Some(s) = subscriber {
            s.emit(next);
        }
    }
}

/// What the composer needs from the runtime: a fresh ID for each message and
/// "typing" at most every [`TYPING_EVERY_MS`], not on every keystroke (each
/// dispatch clones the state).
#[derive(Default)]
pub struct Composer {
    /// Per-page counter that keeps client message IDs unique within a millisecond.
    sent: Cell<u32>,
    /// When typing was last reported (ms).
    typed: Cell<f64>,
}

impl Composer {
    /// A fresh client message ID and the local time (ms) it was made at.
    pub fn next_id(&self) -> (ClientMsgId, i64) {
        let n = self.sent.get().wrapping_add(1);
        self.sent.set(n);
        let random = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        let now = js_sys::Date::now();
        (new_client_msg_id(now as u64, n, random), now as i64)
    }

    /// A text was sent: the next keystroke reports typing again at once.
    pub fn sent_text(&self) {
        self.typed.set(0.0);
    }

    /// The time (ms) to report typing at, or `None` if it was reported lately.
    pub fn typing_due(&self) -> Option<i64> {
        let now = js_sys::Date::now();
        (now - self.typed.get() >= TYPING_EVERY_MS as f64).then(|| {
            self.typed.set(now);
            now as i64
        })
    }
}

/// A controller's connection to the server and to the page: its [`Transport`]
/// and its [`PageEvents`] listeners, both reporting to the controller while it
/// exists (they hold it weakly).
pub struct Link<W: Wire> {
    transport: RefCell<Option<Rc<Transport<W>>>>,
    page: RefCell<Option<PageEvents>>,
}

impl<W: Wire> Default for Link<W> {
    fn default() -> Self {
        Link {
            transport: RefCell::new(None),
            page: RefCell::new(None),
        }
    }
}

impl<W: Wire + 'static> Link<W> {
    /// Create the transport to `url` (not connected yet) and listen to the
    /// page: received actions go to `dispatch`, the page's signals to
    /// `on_page`, both on `owner`.
    pub fn open<C: 'static>(
        &self,
        owner: &Rc<C>,
        url: String,
        dispatch: fn(&Rc<C>, W::Action),
        on_page: fn(&Rc<C>, PageSignal),
    ) -> Rc<Transport<W>> {
        let transport = Transport::new(url, Rc::new(weakly(owner, dispatch)));
        *self.page.borrow_mut() = PageEvents::listen(Rc::new(weakly(owner, on_page)));
        *self.transport.borrow_mut() = Some(transport.clone());
        transport
    }

    /// The transport, once opened.
    pub fn transport(&self) -> Option<Rc<Transport<W>>> {
        self.transport.borrow().clone()
    }

    /// The browser went offline: drop the socket, so the client says so
    /// instead of looking connected.
    pub fn drop_socket(&self) {
        if let Some(t) = self.transport() {
            t.drop_socket();
        }
    }

    /// Stop listening to the page and shut the transport down.
    pub fn close(&self) {
        self.page.borrow_mut().take();
        if let Some(t) = self.transport.borrow_mut().take() {
            t.shutdown();
        }
    }
}

/// `then` on `owner` for each value, while `owner` exists.
fn weakly<C: 'static, A>(owner: &Rc<C>, then: fn(&Rc<C>, A)) -> impl Fn(A) {
    let weak = Rc::downgrade(owner);
    move |value| {
        if let Some(owner) = weak.upgrade() {
            then(&owner, value);
        }
    }
}

/// Run `then` on `target` after `ms`, if it still exists by then.
pub fn later<T: 'static>(target: &Rc<T>, ms: u32, then: impl FnOnce(&Rc<T>) + 'static) {
    let weak = Rc::downgrade(target);
    wasm_bindgen_futures::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(ms).await;
        if let Some(target) = weak.upgrade() {
            then(&target);
        }
    });
}

/// A client's controller as its root component sees it: the store it renders.
pub trait HasStore: 'static {
    /// The state it holds.
    type Model: Model;
    /// Its store.
    fn store(&self) -> &Store<Self::Model>;
}

/// Props of a client's root component: the controller it renders (equal only
/// to itself, so the root never re-renders for a new props object).
#[derive(yew::Properties)]
pub struct RootProps<C: HasStore> {
    /// The runtime this app renders.
    pub controller: Rc<C>,
}

impl<C: HasStore> PartialEq for RootProps<C> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.controller, &other.controller)
    }
}

/// The latest snapshot of `controller`'s store, re-rendering the component on
/// every new one (the root components of the widget and the console).
#[yew::hook]
pub fn use_snapshot<C: HasStore>(controller: &Rc<C>) -> Rc<C::Model> {
    let state = yew::use_state(|| controller.store().state());
    {
        let setter = state.setter();
        let controller = controller.clone();
        yew::use_effect_with((), move |_| {
            let publish = setter.clone();
            controller
                .store()
                .subscribe(Some(Callback::from(move |s| publish.set(s))));
            // Catch up with anything dispatched between the first render and now.
            setter.set(controller.store().state());
            move || controller.store().subscribe(None)
        });
    }
    (*state).clone()
}

#[cfg(test)]
mod tests {
    use super::{Model, Store};
    use std::cell::RefCell;
    use std::rc::Rc;
    use yew::Callback;

    /// A counter: `Some(n)` adds `n` and asks to say so; `None` changes nothing.
    #[derive(Clone, Debug, Default, PartialEq)]
    struct Count(i32);

    impl Model for Count {
        type Action = Option<i32>;
        type Effect = String;
        fn update(&mut self, action: Option<i32>) -> Vec<String> {
            match action {
                Some(n) => {
                    self.0 += n;
                    vec![format!("added {n}")]
                }
                None => vec!["nothing".into()],
            }
        }
    }

    fn rendered(store: &Store<Count>) -> Rc<RefCell<Vec<i32>>> {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let log = seen.clone();
        store.subscribe(Some(Callback::from(move |s: Rc<Count>| {
            log.borrow_mut().push(s.0)
        })));
        seen
    }

    #[test]
    fn a_change_is_published_once_and_its_effects_returned() {
        let store = Store::new(Count::default());
        let seen = rendered(&store);
        let mut titles = Vec::new();
        let effects = store.dispatch(Some(2), |s| titles.push(s.0));
        assert_eq!(effects, vec!["added 2".to_owned()]);
        assert_eq!((titles, seen.borrow().clone()), (vec![2], vec![2]));
        assert_eq!(store.state().0, 2);
    }

    #[test]
    fn no_change_publishes_nothing_but_effects_still_run() {
        let store = Store::new(Count(5));
        let seen = rendered(&store);
        let before = store.state();
        let effects = store.dispatch(None, |_| panic!("nothing changed"));
        assert_eq!(effects, vec!["nothing".to_owned()]);
        assert!(seen.borrow().is_empty());
        assert!(Rc::ptr_eq(&before, &store.state()), "the same snapshot");
    }

    #[test]
    fn a_replacement_is_published_and_unsubscribed_apps_hear_nothing() {
        let store = Store::new(Count(1));
        let seen = rendered(&store);
        store.replace(|s| s.0 = 10);
        assert_eq!(*seen.borrow(), vec![10]);
        store.subscribe(None);
        store.dispatch(Some(1), |_| {});
        assert_eq!((*seen.borrow()).clone(), vec![10]);
        assert_eq!(store.state().0, 11);
    }
}
