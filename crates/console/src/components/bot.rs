//! The bot screen (owners and admins): `section.kc-bot` with the switch
//! (`input.kc-bot-enabled`, a checkbox, and the hint under it), the last
//! refusal (`.kc-bot-error`), and the try-a-question form
//! (`form.kc-bot-try`) with the bot's decision on the question
//! (`.kc-bot-trial[data-decision][data-reason]`: the decision and why, then
//! one `li.kc-bot-near[data-id]` per nearest entry with its score, whether the
//! visitor would be offered it, and how it scored in a `details`).

use crate::hooks::use_console;
use crate::i18n;
use crate::state::bot::BotIntent;
use crate::state::Action;
use kefu_protocol::trial::{Trial, TrialDecision};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// `section.kc-bot`.
#[component]
pub fn BotTab() -> Html {
    let console = use_console();
    let bot = &console.state.bot;
    let error = bot
        .error
        .clone()
        .map(|e| html! { <p class="kc-bot-error" role="alert">{e}</p> });
    let switch = match bot.enabled() {
        None => html! { <p class="kc-empty">{i18n::t().loading}</p> },
        Some(on) => {
            let onchange = {
                let console = console.clone();
                Callback::from(move |e: Event| {
                    if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                        console.dispatch(Action::Bot(BotIntent::SetEnabled(input.checked())));
                    }
                })
            };
            html! {
                <div class="kc-bot-switch">
                    <label>
                        <input type="checkbox" class="kc-bot-enabled" checked={on}
                            disabled={bot.busy} {onchange} />
                        {" "}{i18n::t().bot_enabled}
                    </label>
                    <p class="kc-bot-hint">{ if on { i18n::t().bot_on_hint } else { i18n::t().bot_off_hint } }</p>
                </div>
            }
        }
    };
    let trial = bot
        .trial
        .as_ref()
        .map(|(question, trial)| trial_view(question, trial));
    html! {
        <section class="kc-bot" aria-busy={bot.busy.to_string()}>
            <h2>{i18n::t().tab_bot}</h2>
            { for error }
            {switch}
            <TryForm />
            { for trial }
        </section>
    }
}

/// `.kc-bot-trial`.
fn trial_view(question: &str, trial: &Trial) -> Html {
    let decision = match trial.decision {
        TrialDecision::Answer => (i18n::t().bot_decision_answer, "answer"),
        TrialDecision::Similar => (i18n::t().bot_decision_similar, "similar"),
        TrialDecision::None => (i18n::t().bot_decision_none, "none"),
    };
    let reason = format!("{:?}", trial.reason);
    let offered = |i: usize, score: f32| match trial.decision {
        TrialDecision::Answer => i == 0,
        TrialDecision::Similar => score >= trial.config.similar_threshold,
        TrialDecision::None => false,
    };
    let nearest = if trial.nearest.is_empty() {
        html! { <p class="kc-empty">{i18n::t().bot_no_nearest}</p> }
    } else {
        html! {
            <ol class="kc-bot-nearest">
                { for trial.nearest.iter().enumerate().map(|(i, n)| {
                    let offered = offered(i, n.score);
                    html! {
                        <li class="kc-bot-near" data-id={n.id.clone()} data-offered={offered.to_string()}>
                            <span class="kc-bot-near-question">{n.question.clone()}</span>{" "}
                            <span class="kc-bot-near-score">{format!("{:.2}", n.score)}</span>
                            { for offered.then(|| html! { <span class="kc-bot-near-offered">{i18n::t().bot_offered}</span> }) }
                            <details>
                                <summary>{i18n::t().bot_how_scored}</summary>
                                <pre class="kc-bot-near-details">{n.details.clone()}</pre>
                            </details>
                        </li>
                    }
                }) }
            </ol>
        }
    };
    html! {
        <div class="kc-bot-trial" data-decision={decision.1} data-reason={reason} role="status">
            <p class="kc-bot-question"><q>{question.to_owned()}</q></p>
            <p class="kc-bot-decision">{decision.0}</p>
            <p class="kc-bot-reason">{i18n::bot_reason(trial.reason, trial)}</p>
            <h3>{i18n::t().bot_nearest}</h3>
            {nearest}
        </div>
    }
}

/// `form.kc-bot-try`.
#[component]
fn TryForm() -> Html {
    let console = use_console();
    let input = use_node_ref();
    let onsubmit = {
        let (console, input) = (console.clone(), input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(q) = input.cast::<HtmlInputElement>() {
                console.dispatch(Action::Bot(BotIntent::Try(q.value())));
            }
        })
    };
    html! {
        <form class="kc-canned-form kc-bot-try" {onsubmit}>
            <h3>{i18n::t().bot_try}</h3>
            <label>{i18n::t().bot_try_label}
                <input ref={input} name="q" required=true autocomplete="off" maxlength="500" />
            </label>
            <div class="kc-form-buttons">
                <button type="submit" class="kc-bot-try-submit">{i18n::t().bot_try_submit}</button>
            </div>
        </form>
    }
}
