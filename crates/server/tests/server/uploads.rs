//! Uploads over the real app (real SQLite file, local object store in the temp
//! data dir): kinds sniffed from bytes whatever the name, every refusal (markup,
//! empty, over the limit, decompression bomb, someone else's or a forged
//! conversation) with nothing stored, and reading back by bearer or signed URL
//! with the headers that keep uploads inert.

use crate::support::TestServer;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::Response;
use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};
use kefu_server::auth::{TokenKind, VISITOR_TOKEN_TTL};
use kefu_server::uploads::serve::signed_url_until;
use kefu_server::AppState;
use serde_json::Value;
use tower::ServiceExt;

const BOUNDARY: &str = "kefu-test-boundary";

/// A visitor of `site` with a conversation: (conversation ID, visitor token).
pub async fn visitor(server: &TestServer, site: &str) -> (String, String) {
    let site = server.site(site).await;
    let conv = server
        .state
        .store
        .create_visitor(&site)
        .await
        .expect("visitor");
    let token = server.state.tokens.issue(
        TokenKind::Visitor,
        &conv.visitor_id,
        &site,
        VISITOR_TOKEN_TTL,
    );
    (conv.id.as_str().to_owned(), token)
}

pub async fn send(state: &AppState, req: Request<Body>) -> Response {
    kefu_server::app(state.clone())
        .oneshot(req)
        .await
        .expect("response")
}

pub async fn upload(
    state: &AppState,
    conversation: &str,
    token: Option<&str>,
    name: &str,
    bytes: &[u8],
) -> Response {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let mut req = Request::post(format!("/api/v1/conversations/{conversation}/uploads")).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    if let Some(token) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    send(state, req.body(Body::from(body)).expect("request")).await
}

pub async fn get(state: &AppState, uri: &str, token: Option<&str>) -> Response {
    let mut req = Request::get(uri);
    if let Some(token) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    send(state, req.body(Body::empty()).expect("request")).await
}

pub async fn json(res: Response) -> Value {
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    serde_json::from_slice(&bytes).expect("json")
}

pub fn h(res: &Response, name: header::HeaderName) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default()
}

/// A real, decodable image of `width` × `height` (opaque, or with one
/// transparent pixel) in `format`.
pub fn encoded(width: u32, height: u32, alpha: bool, format: ImageFormat) -> Vec<u8> {
    let mut image = RgbaImage::from_fn(width, height, |x, y| {
        Rgba([(x % 256) as u8, (y % 256) as u8, 128, 255])
    });
    if alpha {
        image.put_pixel(0, 0, Rgba([0, 0, 0, 0]));
    }
    let image = if alpha {
        DynamicImage::ImageRgba8(image)
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(image).to_rgb8())
    };
    let mut out = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut out), format)
        .expect("encodes");
    out
}

/// An opaque PNG.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, false, ImageFormat::Png)
}

/// A PNG header claiming `width` × `height` and no pixel data: sniffs as a
/// PNG, never decodes.
pub fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b.extend_from_slice(b"\0\0\0\0IEND\xae\x42\x60\x82");
    b
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, false, ImageFormat::Jpeg)
}

pub fn gif(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, false, ImageFormat::Gif)
}

pub fn webp(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, false, ImageFormat::WebP)
}

pub fn mp4() -> Vec<u8> {
    b"\0\0\0\x18ftypisom\0\0\x02\0isommp42\0\0\0\x08free".to_vec()
}

pub fn wav() -> Vec<u8> {
    let mut b = b"RIFF\x24\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x40\x1f\0\0\x80\x3e\0\0\x02\0\x10\0"
        .to_vec();
    b.extend_from_slice(b"data\0\0\0\0");
    b
}

/// Nothing recorded and no object in the uploads directory.
pub async fn nothing_stored(server: &TestServer) {
    assert_eq!(server.state.store.count_uploads().await.expect("count"), 0);
    let dir = server.data_dir().join("uploads");
    let files = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    assert_eq!(files, 0, "objects left in {}", dir.display());
}

/// File name, bytes, expected kind, mime and dimensions.
type Case = (
    &'static str,
    Vec<u8>,
    &'static str,
    &'static str,
    Option<(u64, u64)>,
);

#[tokio::test]
async fn every_kind_is_sniffed_from_the_bytes_not_the_name() {
    let server = TestServer::start().await;
    let (conv, token) = visitor(&server, "shop").await;
    let cases: [Case; 7] = [
        (
            "a.txt",
            png(640, 480),
            "image",
            "image/png",
            Some((640, 480)),
        ),
        (
            "b.doc",
            jpeg(320, 200),
            "image",
            "image/jpeg",
            Some((320, 200)),
        ),
        ("c", gif(16, 9), "image", "image/gif", Some((16, 9))),
        (
            "d.png",
            webp(300, 150),
            "image",
            "image/webp",
            Some((300, 150)),
        ),
        ("e.png", mp4(), "video", "video/mp4", None),
        ("f.mp4", wav(), "audio", "audio/wav", None),
        (
            "g.png",
            b"just some text".to_vec(),
            "file",
            "application/octet-stream",
            None,
        ),
    ];
    for (name, bytes, kind, mime, dims) in cases {
        let res = upload(&server.state, &conv, Some(&token), name, &bytes).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{name}");
        let body = json(res).await;
        assert_eq!(body["kind"], kind, "{name}");
        assert_eq!(body["mime"], mime, "{name}");
        assert_eq!(body["size"], bytes.len() as u64, "{name}");
        assert_eq!(body["name"], name, "{name}");
        assert!(body["id"].as_str().expect("id").starts_with("up_"));
        assert_eq!(body["width"].as_u64(), dims.map(|d| d.0), "{name}");
        assert_eq!(body["height"].as_u64(), dims.map(|d| d.1), "{name}");
        let url = body["url"].as_str().expect("url");
        let res = get(&server.state, url, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{name}");
        assert_eq!(h(&res, header::CONTENT_TYPE), mime);
        let got = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .expect("body");
        assert_eq!(&got[..], &bytes[..], "{name}");
    }
    assert_eq!(server.state.store.count_uploads().await.expect("count"), 7);
    server.stop().await;
}

#[tokio::test]
async fn markup_empty_and_bombs_are_refused_and_nothing_is_stored() {
    let server = TestServer::start().await;
    let (conv, token) = visitor(&server, "shop").await;
    let svg =
        br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
    let cases: [(&str, Vec<u8>, StatusCode); 6] = [
        (
            "x.png",
            b"<!DOCTYPE html><script>alert(1)</script>".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "y.png",
            b"  <HTML><body>hi".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        ("z.png", svg.to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE),
        ("empty.png", Vec::new(), StatusCode::BAD_REQUEST),
        (
            "bomb.png",
            png_header(100_000, 100_000),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "cut.png",
            png_header(10, 10)[..12].to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ];
    for (name, bytes, status) in cases {
        let res = upload(&server.state, &conv, Some(&token), name, &bytes).await;
        assert_eq!(res.status(), status, "{name}");
        let body = json(res).await;
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{name}"
        );
        nothing_stored(&server).await;
    }
    server.stop().await;
}

#[tokio::test]
async fn uploads_over_the_limits_are_413_and_nothing_is_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start_in(dir, |s| {
        s.uploads.max_image = 100;
        s.uploads.max_file = 200;
    })
    .await;
    let (conv, token) = visitor(&server, "shop").await;
    // An image over the image limit, under the overall cap.
    let mut big_png = png(4, 4);
    big_png.resize(150, 0);
    let res = upload(&server.state, &conv, Some(&token), "a.png", &big_png).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(json(res).await["error"]
        .as_str()
        .expect("error")
        .contains("image"));
    nothing_stored(&server).await;
    // A file over every limit: cut off while streaming.
    let res = upload(&server.state, &conv, Some(&token), "b.bin", &[7u8; 5000]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    nothing_stored(&server).await;
    // At the limit is fine.
    let res = upload(&server.state, &conv, Some(&token), "c.bin", &[7u8; 200]).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    server.stop().await;
}

#[tokio::test]
async fn only_members_upload_to_a_conversation() {
    let server = TestServer::start().await;
    let (conv, _) = visitor(&server, "shop").await;
    let (_, other) = visitor(&server, "shop").await;
    let (_, foreign) = visitor(&server, "elsewhere").await;
    let site = server.site("shop").await;
    let (_, agent) = server.agent(&site, "lin").await;
    let other_site = server.site("elsewhere").await;
    let (_, foreign_agent) = server.agent(&other_site, "wu").await;
    let bytes = png(2, 2);
    for (token, conversation, status) in [
        (Some(other.as_str()), conv.as_str(), StatusCode::NOT_FOUND),
        (Some(foreign.as_str()), conv.as_str(), StatusCode::NOT_FOUND),
        (
            Some(foreign_agent.as_str()),
            conv.as_str(),
            StatusCode::NOT_FOUND,
        ),
        (Some(other.as_str()), "c_forged", StatusCode::NOT_FOUND),
        (Some("not.a-token"), conv.as_str(), StatusCode::UNAUTHORIZED),
        (None, conv.as_str(), StatusCode::UNAUTHORIZED),
    ] {
        let res = upload(&server.state, conversation, token, "a.png", &bytes).await;
        assert_eq!(res.status(), status, "{token:?} → {conversation}");
        assert!(json(res).await["error"].is_string());
        nothing_stored(&server).await;
    }
    // An agent of the site may.
    let res = upload(&server.state, &conv, Some(&agent), "a.png", &bytes).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    server.stop().await;
}

#[tokio::test]
async fn reading_back_needs_a_member_or_a_valid_signature() {
    let server = TestServer::start().await;
    let (conv, token) = visitor(&server, "shop").await;
    let (_, other) = visitor(&server, "shop").await;
    let site = server.site("shop").await;
    let (_, agent) = server.agent(&site, "lin").await;
    let res = upload(&server.state, &conv, Some(&token), "a.png", &png(8, 8)).await;
    let body = json(res).await;
    let id = body["id"].as_str().expect("id");
    let plain = format!("/api/v1/uploads/{id}");
    let url = body["url"].as_str().expect("url");
    assert!(url.starts_with(&format!("{plain}?exp=")) && url.contains("&sig="));
    let expired = signed_url_until(&server.state, id, 1_000);
    let forged = format!("{plain}?exp=9999999999&sig=AAAA");
    let other_id =
        signed_url_until(&server.state, "up_other", 9_999_999_999).replace("up_other", id);
    for (uri, token, status) in [
        (plain.as_str(), None, StatusCode::UNAUTHORIZED),
        (forged.as_str(), None, StatusCode::UNAUTHORIZED),
        (expired.as_str(), None, StatusCode::UNAUTHORIZED),
        (other_id.as_str(), None, StatusCode::UNAUTHORIZED),
        (plain.as_str(), Some(other.as_str()), StatusCode::NOT_FOUND),
        (plain.as_str(), Some(token.as_str()), StatusCode::OK),
        (plain.as_str(), Some(agent.as_str()), StatusCode::OK),
        (url, None, StatusCode::OK),
    ] {
        let res = get(&server.state, uri, token).await;
        assert_eq!(res.status(), status, "{uri} {token:?}");
    }
    server.stop().await;
}

#[tokio::test]
async fn downloads_carry_safe_headers() {
    let server = TestServer::start().await;
    let (conv, token) = visitor(&server, "shop").await;
    let image = json(upload(&server.state, &conv, Some(&token), "p.png", &png(4, 4)).await).await;
    let file = json(
        upload(
            &server.state,
            &conv,
            Some(&token),
            "报告 1.txt",
            b"plain words",
        )
        .await,
    )
    .await;
    let res = get(&server.state, image["url"].as_str().expect("url"), None).await;
    assert_eq!(h(&res, header::CONTENT_TYPE), "image/png");
    assert_eq!(h(&res, header::CONTENT_DISPOSITION), "inline");
    assert_eq!(h(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(
        h(&res, header::CONTENT_SECURITY_POLICY),
        "default-src 'none'; sandbox"
    );
    let res = get(&server.state, file["url"].as_str().expect("url"), None).await;
    assert_eq!(h(&res, header::CONTENT_TYPE), "application/octet-stream");
    assert_eq!(
        h(&res, header::CONTENT_DISPOSITION),
        "attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A%201.txt"
    );
    assert_eq!(h(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(
        h(&res, header::CONTENT_SECURITY_POLICY),
        "default-src 'none'; sandbox"
    );
    server.stop().await;
}

/// A name with a bidirectional override reads backwards ("reportexe.pdf" for an
/// .exe): every such control is gone from the stored name, the upload's answer and
/// the download's file name.
#[tokio::test]
async fn file_names_lose_bidi_controls_everywhere_they_show() {
    let server = TestServer::start().await;
    for c in "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}".chars() {
        // A visitor per name: twelve uploads in a row are over one uploader's burst.
        let (conv, token) = visitor(&server, "shop").await;
        let lying = format!("report{c}fdp.exe");
        let body = json(upload(&server.state, &conv, Some(&token), &lying, b"MZ not really").await).await;
        assert_eq!(body["name"], "reportfdp.exe", "U+{:04X}: {body}", c as u32);
        let res = get(&server.state, body["url"].as_str().expect("url"), None).await;
        assert_eq!(
            h(&res, header::CONTENT_DISPOSITION),
            "attachment; filename*=UTF-8''reportfdp.exe",
            "U+{:04X}",
            c as u32
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_failed_insert_deletes_the_stored_object() {
    let server = TestServer::start().await;
    let (conv, token) = visitor(&server, "shop").await;
    // A trigger, made over a second connection, makes every insert fail.
    refuse_upload_rows(&server).await;
    // Large enough for a thumbnail: both objects go.
    let res = upload(&server.state, &conv, Some(&token), "a.png", &png(600, 10)).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(json(res).await["error"], "internal error");
    nothing_stored(&server).await;
    server.stop().await;
}

/// Make the database refuse every new upload row, in its own dialect.
async fn refuse_upload_rows(server: &TestServer) {
    use sqlx::Connection;
    let statements: &[&str] = match server.on_postgres() {
        false => &["CREATE TRIGGER refuse_uploads BEFORE INSERT ON uploads \
             BEGIN SELECT RAISE(ABORT, 'refused'); END"],
        true => &[
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_uploads BEFORE INSERT ON uploads \
             FOR EACH ROW EXECUTE FUNCTION refuse()",
        ],
    };
    let mut conn = server.db().await;
    for sql in statements {
        sqlx::query(sql).execute(&mut conn).await.expect("trigger");
    }
    conn.close().await.expect("closes");
}

#[tokio::test]
async fn a_signed_out_agent_token_cannot_upload_or_read() {
    let server = TestServer::start().await;
    let (conv, token) = visitor(&server, "shop").await;
    let site = server.site("shop").await;
    let (_, agent) = server.agent(&site, "lin").await;
    let body = json(upload(&server.state, &conv, Some(&token), "a.png", &png(2, 2)).await).await;
    let plain = format!("/api/v1/uploads/{}", body["id"].as_str().expect("id"));
    let logout = Request::post("/api/v1/agent/logout")
        .header(header::AUTHORIZATION, format!("Bearer {agent}"))
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        send(&server.state, logout).await.status(),
        StatusCode::NO_CONTENT
    );
    let res = upload(&server.state, &conv, Some(&agent), "b.png", &png(2, 2)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = get(&server.state, &plain, Some(&agent)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(server.state.store.count_uploads().await.expect("count"), 1);
    server.stop().await;
}

/// The decoded size of an image response's body.
async fn decoded(res: Response) -> (u32, u32) {
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .expect("body");
    let image = image::load_from_memory(&bytes).expect("decodes");
    (image.width(), image.height())
}

#[tokio::test]
async fn large_images_get_a_thumbnail_served_like_the_original() {
    let server = TestServer::start().await;
    let (conv, token) = visitor(&server, "shop").await;
    let cases = [
        ("opaque.png", png(1200, 800), "image/jpeg", (480, 320)),
        (
            "clear.png",
            encoded(500, 1000, true, ImageFormat::Png),
            "image/png",
            (240, 480),
        ),
        ("photo.jpg", jpeg(960, 960), "image/jpeg", (480, 480)),
        ("anim.gif", gif(600, 300), "image/jpeg", (480, 240)),
        ("pic.webp", webp(700, 350), "image/jpeg", (480, 240)),
    ];
    for (i, (name, bytes, mime, dims)) in cases.into_iter().enumerate() {
        let body = json(upload(&server.state, &conv, Some(&token), name, &bytes).await).await;
        let id = body["id"].as_str().expect("id");
        let thumb = format!("/api/v1/uploads/{id}/thumb");
        let res = get(&server.state, &thumb, Some(&token)).await;
        assert_eq!(res.status(), StatusCode::OK, "{name}");
        assert_eq!(h(&res, header::CONTENT_TYPE), mime, "{name}");
        assert_eq!(h(&res, header::CONTENT_DISPOSITION), "inline");
        assert_eq!(h(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(
            h(&res, header::CONTENT_SECURITY_POLICY),
            "default-src 'none'; sandbox"
        );
        assert_eq!(decoded(res).await, dims, "{name}");
        // Without a token or signature: refused, like the original.
        let res = get(&server.state, &thumb, None).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let objects = std::fs::read_dir(server.data_dir().join("uploads"))
            .expect("dir")
            .count();
        assert_eq!(objects, 2 * (i + 1), "the upload and its thumbnail");
    }
    // A small image is its own thumbnail; a file has none.
    let small = png(300, 200);
    let body = json(upload(&server.state, &conv, Some(&token), "s.png", &small).await).await;
    let thumb = format!("/api/v1/uploads/{}/thumb", body["id"].as_str().expect("id"));
    let res = get(&server.state, &thumb, Some(&token)).await;
    assert_eq!(h(&res, header::CONTENT_TYPE), "image/png");
    let got = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    assert_eq!(&got[..], &small[..]);
    let body = json(upload(&server.state, &conv, Some(&token), "f.txt", b"words").await).await;
    let thumb = format!("/api/v1/uploads/{}/thumb", body["id"].as_str().expect("id"));
    let res = get(&server.state, &thumb, Some(&token)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn an_image_that_does_not_decode_is_refused_and_nothing_is_stored() {
    let server = TestServer::start().await;
    let (conv, token) = visitor(&server, "shop").await;
    let mut fake = png_header(64, 64);
    fake.extend_from_slice(&[0x42; 2000]);
    let mut cut = png(900, 900);
    cut.truncate(cut.len() / 2);
    for (name, bytes) in [("fake.png", fake), ("cut.png", cut)] {
        let res = upload(&server.state, &conv, Some(&token), name, &bytes).await;
        assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{name}");
        assert!(json(res).await["error"]
            .as_str()
            .is_some_and(|e| e.contains("decode")));
        nothing_stored(&server).await;
    }
    server.stop().await;
}

/// The widget uploads from the site's pages (another origin): the preflight
/// and the upload itself answer CORS, and the token still decides.
#[tokio::test]
async fn uploads_answer_cors_for_the_widget_on_another_origin() {
    let server = TestServer::start().await;
    let (conv, token) = visitor(&server, "shop").await;
    let preflight = Request::builder()
        .method("OPTIONS")
        .uri(format!("/api/v1/conversations/{conv}/uploads"))
        .header(header::ORIGIN, "https://shop.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization,content-type",
        )
        .body(Body::empty())
        .expect("request");
    let res = send(&server.state, preflight).await;
    assert!(res.status().is_success(), "{}", res.status());
    let h = res.headers();
    assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let allowed = h[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .expect("ascii")
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
    assert!(h[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .expect("ascii")
        .contains("POST"));

    // The upload from that origin carries the header; without a token it is
    // still refused.
    let png = {
        let mut out = std::io::Cursor::new(Vec::new());
        DynamicImage::ImageRgba8(RgbaImage::from_pixel(4, 4, Rgba([1, 2, 3, 255])))
            .write_to(&mut out, ImageFormat::Png)
            .expect("png");
        out.into_inner()
    };
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&png);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let post = |token: Option<&str>| {
        let mut req = Request::post(format!("/api/v1/conversations/{conv}/uploads"))
            .header(header::ORIGIN, "https://shop.example")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            );
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        req.body(Body::from(body.clone())).expect("request")
    };
    let res = send(&server.state, post(Some(&token))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let res = send(&server.state, post(None)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}

/// A site that lists its origins: a visitor's upload from a page elsewhere (a
/// forged or missing `Origin`) is refused with 403 `forbiddenOrigin` and nothing
/// is stored, as their `hello` would be; from a listed page it is stored. Agents
/// upload from the console, whatever the origin.
#[tokio::test]
async fn a_visitors_upload_from_a_page_outside_the_sites_origins_is_refused() {
    let server = TestServer::start().await;
    let (conv, token) = visitor(&server, "shop").await;
    let origins = vec!["https://shop.example".to_owned()];
    server
        .state
        .store
        .upsert_site(&"shop".into(), "Shop", Some(&origins))
        .await
        .expect("site");
    let post = |token: &str, origin: Option<&str>| {
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\
             Content-Type: image/png\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(&png(4, 4));
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let mut req = Request::post(format!("/api/v1/conversations/{conv}/uploads"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            );
        if let Some(origin) = origin {
            req = req.header(header::ORIGIN, origin);
        }
        req.body(Body::from(body)).expect("request")
    };
    for origin in [Some("https://evil.example"), Some("null"), None] {
        let res = send(&server.state, post(&token, origin)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin:?}");
        assert_eq!(json(res).await["code"], "forbiddenOrigin", "{origin:?}");
        nothing_stored(&server).await;
    }
    let res = send(&server.state, post(&token, Some("https://SHOP.example/"))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let (_agent, agent_token) = server.agent(&"shop".into(), "lin").await;
    let res = send(
        &server.state,
        post(&agent_token, Some("https://evil.example")),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "agents are not tied to a page"
    );
    server.stop().await;
}
