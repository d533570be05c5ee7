//! An agent's picture ([`AvatarView`]: `img.kc-avatar`, decorative, the
//! name is always beside it) and the controls to change it
//! ([`AvatarPicker`]: a file input `input.kc-avatar-file` for an image, and
//! `button.kc-avatar-remove` when there is one). The picked file goes
//! straight to the controller; the server makes the square picture.

use crate::hooks::use_console;
use crate::i18n;
use crate::state::avatar::AvatarOf;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`AvatarView`].
#[derive(Properties, PartialEq)]
pub struct AvatarViewProps {
    /// The avatar's URL (same origin); nothing is drawn without one.
    pub url: Option<AttrValue>,
    /// Edge in CSS pixels.
    #[prop_or(40)]
    pub size: u32,
}

/// `img.kc-avatar`, or nothing.
#[component]
pub fn AvatarView(props: &AvatarViewProps) -> Html {
    match &props.url {
        Some(url) => html! {
            <img class="kc-avatar" src={url.clone()} alt="" width={props.size.to_string()}
                height={props.size.to_string()} />
        },
        None => Html::default(),
    }
}

/// Props of [`AvatarPicker`].
#[derive(Properties, PartialEq)]
pub struct AvatarPickerProps {
    /// Whose picture.
    pub of: AvatarOf,
    /// They have one (offer to remove it).
    pub has: bool,
    /// A request is in flight.
    #[prop_or_default]
    pub busy: bool,
    /// Not allowed to change it.
    #[prop_or_default]
    pub disabled: bool,
}

/// The file input and the remove button.
#[component]
pub fn AvatarPicker(props: &AvatarPickerProps) -> Html {
    let console = use_console();
    let onchange = {
        let (controller, of) = (console.controller.clone(), props.of.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                controller.set_avatar(of.clone(), Some(file));
            }
            input.set_value("");
        })
    };
    let remove = {
        let (controller, of) = (console.controller.clone(), props.of.clone());
        Callback::from(move |_: MouseEvent| controller.set_avatar(of.clone(), None))
    };
    let off = props.busy || props.disabled;
    html! {
        <span class="kc-avatar-picker">
            <label class="kc-avatar-choose">{i18n::t().avatar_choose}
                <input class="kc-avatar-file" type="file" accept="image/png,image/jpeg,image/gif,image/webp"
                    disabled={off} {onchange} />
            </label>
            { if props.has {
                html! { <button type="button" class="kc-avatar-remove" disabled={off} onclick={remove}>
                    {i18n::t().avatar_remove}</button> }
            } else { Html::default() } }
        </span>
    }
}
