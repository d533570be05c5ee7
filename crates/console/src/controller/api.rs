//! The agent HTTP API: `POST /api/v1/agent/login` (username and password →
//! token), `POST /api/v1/agent/logout` (revoke the token), and [`call`]
//! ([`call_form`] for a multipart body) for the rest ([`super::team`]), and
//! [`download`] for what the agent saves as a file. Same origin as the console, so relative URLs.

use crate::i18n;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{FormData, Request, RequestInit, Response};

/// Sign in; the token, or the text to show on the form.
pub async fn login(username: &str, password: &str) -> Result<String, &'static str> {
    let body = serde_json::json!({ "username": username, "password": password }).to_string();
    let res = post("/api/v1/agent/login", Some(&body), None)
        .await
        .map_err(|_| i18n::t().sign_in_failed)?;
    match res.status() {
        200 => {}
        401 => return Err(i18n::t().bad_credentials),
        403 => return Err(i18n::t().account_disabled),
        429 => return Err(i18n::t().too_many_attempts),
        _ => return Err(i18n::t().sign_in_failed),
    }
    let text = match res.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()),
        Err(_) => None,
    };
    text.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("token")?.as_str().map(str::to_owned))
        .ok_or(i18n::t().sign_in_failed)
}

/// Revoke `token` (best effort: the console forgets it either way).
pub async fn logout(token: &str) {
    let _ = post("/api/v1/agent/logout", None, Some(token)).await;
}

async fn post(url: &str, body: Option<&str>, bearer: Option<&str>) -> Result<Response, ()> {
    fetch("POST", url, body, bearer).await
}

/// One request to the API: its status and body text (empty when there is
/// none); `Err` when it never got an answer.
pub async fn call(
    method: &str,
    url: &str,
    body: Option<&str>,
    bearer: Option<&str>,
) -> Result<(u16, String), ()> {
    answered(fetch(method, url, body, bearer).await?).await
}

/// What to show for a refusal: typed ones (a field's `why`, a knowledge
/// base's `kb`, a request's `denied`, what was `missing`) in the agent's
/// language, else the server's words (`{"error": "…"}`: a malformed request,
/// a bug), else `fallback` (the console's, in the agent's language).
pub fn refusal(json: &serde_json::Value, fallback: &str) -> String {
    let denied = json.get("denied").cloned().map(serde_json::from_value);
    if let Some(Ok(denied)) = denied {
        return crate::i18n::denial(&denied);
    }
    let gone = json.get("missing").cloned().map(serde_json::from_value);
    if let Some(Ok(gone)) = gone {
        return crate::i18n::missing(gone);
    }
    let kb = json.get("kb").cloned().map(serde_json::from_value);
    if let Some(Ok(kb)) = kb {
        return crate::i18n::kb_refusal(&kb);
    }
    // A refused field with its reason typed: said in the console's language.
    let why = json.get("why").cloned().map(serde_json::from_value);
    if let (Some(field), Some(Ok(why))) = (json.get("field").and_then(|f| f.as_str()), why) {
        return crate::i18n::field_refusal(field, &why);
    }
    json.get("error")
        .and_then(serde_json::Value::as_str)
        .unwrap_or(fallback)
        .to_owned()
}

/// [`call`] with a text body of `content_type` (a CSV file).
pub async fn call_typed(
    method: &str,
    url: &str,
    body: &str,
    content_type: &str,
    bearer: Option<&str>,
) -> Result<(u16, String), ()> {
    let body = JsValue::from(body);
    answered(send(method, url, Some(&body), Some(content_type), bearer).await?).await
}

/// [`call`] with a multipart body (an upload); the browser writes its
/// content type, boundary included.
pub async fn call_form(
    method: &str,
    url: &str,
    form: &FormData,
    bearer: Option<&str>,
) -> Result<(u16, String), ()> {
    answered(send(method, url, Some(form), None, bearer).await?).await
}

/// Hand `text` to the browser as a download named `name` of type `mime`
/// (a CSV export, a visitor's data).
pub fn download(text: &str, mime: &str, name: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let link = document.create_element("a").ok()?;
    let href = format!(
        "data:{mime};charset=utf-8,{}",
        js_sys::encode_uri_component(text)
    );
    link.set_attribute("href", &href).ok()?;
    link.set_attribute("download", name).ok()?;
    link.dyn_into::<web_sys::HtmlElement>().ok()?.click();
    Some(())
}

/// `res`'s status and body text.
async fn answered(res: Response) -> Result<(u16, String), ()> {
    let text = match res.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()),
        Err(_) => None,
    };
    Ok((res.status(), text.unwrap_or_default()))
}

async fn fetch(
    method: &str,
    url: &str,
    body: Option<&str>,
    bearer: Option<&str>,
) -> Result<Response, ()> {
    let body = body.map(JsValue::from);
    send(method, url, body.as_ref(), Some("application/json"), bearer).await
}

async fn send(
    method: &str,
    url: &str,
    body: Option<&JsValue>,
    content_type: Option<&str>,
    bearer: Option<&str>,
) -> Result<Response, ()> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(body);
    }
    let req = Request::new_with_str_and_init(url, &init).map_err(|_| ())?;
    let headers = req.headers();
    if let Some(content_type) = content_type {
        headers.set("content-type", content_type).map_err(|_| ())?;
    }
    if let Some(token) = bearer {
        headers
            .set("authorization", &format!("Bearer {token}"))
            .map_err(|_| ())?;
    }
    let window = web_sys::window().ok_or(())?;
    let res = JsFuture::from(window.fetch_with_request(&req))
        .await
        .map_err(|_| ())?;
    res.dyn_into::<Response>().map_err(|_| ())
}
