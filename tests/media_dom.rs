//! Browser tests of the media renderers (`kefu_widget::body::render` for image,
//! file, video, sound and face), as the widget (with `set_base` naming the Kefu
//! server) and the console (no base: same origin) draw them: resolved sources,
//! preview dimensions, the zoom popover, the file card, the players, and hostile
//! payloads (a `javascript:` or foreign URL renders no source or link; a hostile
//! name renders as text). Runs with and without the `app` feature.
#![cfg(target_arch = "wasm32")]

use kefu_protocol::{FacePayload, MessageBody, UploadRef, FACES};
use kefu_widget::body;
use kefu_widget::body::media::set_base;
use kefu_widget::i18n::strings_for;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER: &str = "https://chat.example";

#[derive(Properties, PartialEq)]
struct BodiesProps {
    bodies: Vec<MessageBody>,
}

#[component]
fn Bodies(props: &BodiesProps) -> Html {
    let t = strings_for("en");
    let items = props.bodies.iter().map(|b| {
        html! { <div class="kefu-msg" data-kind={b.kind().to_owned()}>{ body::render(b, None, t) }</div> }
    });
    html! { <>{ for items }</> }
}

async fn mount(bodies: Vec<MessageBody>, base: Option<&str>) -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    set_base(base.unwrap_or(""));
    yew::Renderer::<Bodies>::with_root_and_props(root.clone(), BodiesProps { bodies }).render();
    settle().await;
    root
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn attr(el: &Element, name: &str) -> Option<String> {
    el.get_attribute(name)
}

fn upload(id: &str, name: &str) -> UploadRef {
    let mut u = UploadRef::new(id);
    u.name = name.into();
    u.url = Some(format!("/api/v1/uploads/{id}?exp=1&sig=s"));
    u
}

/// An image whose upload ID is `id` (each test its own: a zoom popover's element
/// ID comes from it, and earlier tests' roots stay in the document).
fn image(id: &str) -> MessageBody {
    let mut u = upload(id, "cat.png");
    u.width = Some(3000);
    u.height = Some(2000);
    u.thumb_url = Some(format!("/api/v1/uploads/{id}/thumb?exp=1&sig=t"));
    MessageBody::Image(u)
}

#[wasm_bindgen_test]
async fn an_image_shows_its_thumbnail_from_the_server_with_dimensions_and_alt() {
    let root = mount(vec![image("img1")], Some(SERVER)).await;
    let img = one(&root, "button.kefu-image img");
    assert_eq!(
        attr(&img, "src").as_deref(),
        Some("https://chat.example/api/v1/uploads/img1/thumb?exp=1&sig=t")
    );
    assert_eq!(attr(&img, "width").as_deref(), Some("240"));
    assert_eq!(attr(&img, "height").as_deref(), Some("160"));
    assert_eq!(attr(&img, "alt").as_deref(), Some("cat.png"));
    assert_eq!(attr(&img, "loading").as_deref(), Some("lazy"));
}

#[wasm_bindgen_test]
async fn the_console_resolves_against_its_own_origin() {
    let root = mount(vec![image("img2")], None).await;
    let img = one(&root, ".kefu-image img");
    assert_eq!(
        attr(&img, "src").as_deref(),
        Some("/api/v1/uploads/img2/thumb?exp=1&sig=t")
    );
}

fn is_open(el: &Element) -> bool {
    el.matches(":popover-open").unwrap()
}

#[wasm_bindgen_test]
async fn clicking_an_image_zooms_and_a_click_closes_with_focus_back() {
    let root = mount(vec![image("img3")], Some(SERVER)).await;
    let button: HtmlElement = one(&root, "button.kefu-image").unchecked_into();
    let zoom = one(&root, ".kefu-zoom");
    assert!(!is_open(&zoom), "closed at first");
    assert_eq!(
        attr(&button, "popovertarget"),
        attr(&zoom, "id"),
        "the preview opens the zoom"
    );
    // A real click (or Enter) focuses the preview first; `click()` alone does not.
    button.focus().unwrap();
    button.click();
    settle().await;
    assert!(is_open(&zoom), "a click opens it");
    assert_eq!(attr(&zoom, "role").as_deref(), Some("dialog"));
    let full = one(&zoom, "img");
    assert_eq!(
        attr(&full, "src").as_deref(),
        Some("https://chat.example/api/v1/uploads/img3?exp=1&sig=s")
    );
    assert_eq!(attr(&full, "alt").as_deref(), Some("cat.png"));
    let close: HtmlElement = one(&zoom, "button").unchecked_into();
    let doc = web_sys::window().unwrap().document().unwrap();
    assert_eq!(
        doc.active_element().as_ref(),
        Some(close.unchecked_ref::<Element>()),
        "focus moves into the zoom"
    );
    close.click();
    settle().await;
    assert!(!is_open(&zoom), "a click closes it");
    assert_eq!(
        doc.active_element().as_ref(),
        Some(button.unchecked_ref::<Element>()),
        "focus returns to the preview"
    );
}

#[wasm_bindgen_test]
async fn a_file_card_shows_name_size_and_a_download_link() {
    let mut u = upload("f1", "report.pdf");
    u.size = 1_258_291;
    let root = mount(vec![MessageBody::File(u)], Some(SERVER)).await;
    assert_eq!(
        one(&root, ".kefu-file-name").text_content().unwrap(),
        "report.pdf"
    );
    assert_eq!(
        one(&root, ".kefu-file-size").text_content().unwrap(),
        "1.2 MB"
    );
    let a = one(&root, "a.kefu-download");
    assert_eq!(
        attr(&a, "href").as_deref(),
        Some("https://chat.example/api/v1/uploads/f1?exp=1&sig=s")
    );
    assert_eq!(attr(&a, "download").as_deref(), Some("report.pdf"));
    assert!(attr(&a, "rel").unwrap().contains("noopener"));
}

/// `report\u{202E}fdp.exe` must not read "reportexe.pdf": a name stored before the
/// server stripped bidi controls loses them when shown, and names are isolated from
/// the text around them.
#[wasm_bindgen_test]
async fn file_names_show_without_bidi_controls_and_isolated() {
    let lying = "report\u{202E}fdp.exe";
    let root = mount(
        vec![
            MessageBody::File(upload("f1", lying)),
            MessageBody::Image(upload("i1", "photo\u{2067}gnp.js")),
        ],
        Some(SERVER),
    )
    .await;
    let name = one(&root, ".kefu-file .kefu-file-name");
    assert_eq!(name.tag_name(), "BDI");
    assert_eq!(name.text_content().unwrap(), "reportfdp.exe");
    let a = one(&root, "a.kefu-download");
    assert_eq!(attr(&a, "download").as_deref(), Some("reportfdp.exe"));
    assert_eq!(
        attr(&one(&root, ".kefu-image img"), "alt").as_deref(),
        Some("photognp.js")
    );
}

#[wasm_bindgen_test]
async fn video_and_sound_play_inline() {
    let mut sound = upload("s1", "voice.webm");
    sound.duration = Some(65_000);
    let bodies = vec![
        MessageBody::Video(upload("v1", "clip.mp4")),
        MessageBody::Sound(sound),
    ];
    let root = mount(bodies, Some(SERVER)).await;
    let video = one(&root, "video.kefu-video");
    assert!(video.has_attribute("controls"));
    assert_eq!(attr(&video, "preload").as_deref(), Some("metadata"));
    assert_eq!(
        attr(&video, "src").as_deref(),
        Some("https://chat.example/api/v1/uploads/v1?exp=1&sig=s")
    );
    let audio = one(&root, ".kefu-sound audio");
    assert!(audio.has_attribute("controls"));
    assert_eq!(
        attr(&audio, "src").as_deref(),
        Some("https://chat.example/api/v1/uploads/s1?exp=1&sig=s")
    );
    assert_eq!(one(&root, ".kefu-duration").text_content().unwrap(), "1:05");
}

#[wasm_bindgen_test]
async fn a_face_is_the_catalogue_emoji_whatever_the_data_says() {
    let forged = FacePayload {
        index: 1,
        data: "<img src=x onerror=alert(1)>".into(),
    };
    let root = mount(
        vec![
            MessageBody::Face(FacePayload::new(0).unwrap()),
            MessageBody::Face(forged),
        ],
        None,
    )
    .await;
    let faces = root.query_selector_all(".kefu-face").unwrap();
    assert_eq!(faces.length(), 2);
    assert_eq!(faces.item(0).unwrap().text_content().unwrap(), FACES[0]);
    assert_eq!(faces.item(1).unwrap().text_content().unwrap(), FACES[1]);
    assert!(root.query_selector("img").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn hostile_urls_render_no_source_or_link_and_hostile_names_stay_text() {
    let evil = "<img src=x onerror=alert(1)>";
    let mut img = upload("i", evil);
    img.url = Some("javascript:alert(1)".into());
    img.thumb_url = Some("https://evil.example/x.png".into());
    let mut file = upload("f", evil);
    file.url = Some("//evil.example/api/v1/uploads/f".into());
    let mut video = upload("v", evil);
    video.url = Some("javascript:alert(1)".into());
    let mut sound = upload("s", evil);
    sound.url = Some("data:audio/wav;base64,AAAA".into());
    let bodies = vec![
        MessageBody::Image(img),
        MessageBody::File(file),
        MessageBody::Video(video),
        MessageBody::Sound(sound),
    ];
    let root = mount(bodies, Some(SERVER)).await;
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "no image from a foreign URL"
    );
    assert!(
        root.query_selector("a").unwrap().is_none(),
        "no link to a foreign URL"
    );
    assert!(!one(&root, "video").has_attribute("src"));
    assert!(!one(&root, "audio").has_attribute("src"));
    let names = root.query_selector_all(".kefu-file-name").unwrap();
    assert_eq!(names.length(), 2, "the image and the file show their names");
    for i in 0..names.length() {
        assert_eq!(names.item(i).unwrap().text_content().unwrap(), evil);
    }
}
