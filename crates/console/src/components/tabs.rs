//! The tabs (`button.kc-tab[data-tab]`) with count badges (`.kc-tab-count`,
//! only when above 0): mine = conversations served, queue = visitors waiting,
//! inbox = left messages this agent has not seen yet. (The team screen opens
//! from the header.)

use crate::hooks::use_console;
use crate::i18n;
use crate::state::{Action, Tab};
use yew::prelude::*;

/// `div.kc-tabs`.
#[component]
pub fn Tabs() -> Html {
    let console = use_console();
    let s = &console.state;
    let tabs = Tab::ALL.into_iter().map(|tab| {
        let (label, count) = match tab {
            Tab::Mine => (i18n::t().tab_mine, s.convs.mine(s.me_id()).len()),
            Tab::Queue => (i18n::t().tab_queue, s.convs.queue().len()),
            Tab::Ended => (i18n::t().tab_ended, 0),
            Tab::Inbox => (i18n::t().tab_inbox, s.new_left()),
            Tab::Canned => (i18n::t().tab_canned, 0),
            Tab::Team => (i18n::t().tab_team, 0),
            Tab::Bot => (i18n::t().tab_bot, 0),
            Tab::Site => (i18n::t().tab_site, 0),
            Tab::Kb => (i18n::t().tab_kb, 0),
            Tab::Reports => (i18n::t().tab_reports, 0),
            Tab::Webhooks => (i18n::t().tab_webhooks, 0),
            Tab::Account => (i18n::t().tab_account, 0),
        };
        let current = s.tab == tab;
        let badge = (count > 0).then(|| html! { <span class="kc-tab-count">{count}</span> });
        html! {
            <button type="button" role="tab" class={classes!("kc-tab", current.then_some("kc-tab--current"))}
                data-tab={tab.as_str()} aria-selected={current.to_string()}
                onclick={console.on(Action::SelectTab(tab))}>
                <span>{label}</span>
                { for badge }
            </button>
        }
    });
    html! { <div class="kc-tabs" role="tablist">{ for tabs }</div> }
}
