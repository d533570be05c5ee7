use super::*;

fn text(s: &str) -> Inline {
    Inline::Text(s.to_owned())
}

fn paragraph(inlines: Vec<Inline>) -> Vec<Block> {
    vec![Block::Paragraph(inlines)]
}

/// All text a reader would see, for "nothing is lost" checks.
fn visible(blocks: &[Block]) -> String {
    fn inline(i: &Inline, out: &mut String) {
        match i {
            Inline::Text(t) => out.push_str(t),
            Inline::Bold(inner) => inner.iter().for_each(|i| inline(i, out)),
            Inline::Link { text, .. } => out.push_str(text),
        }
    }
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Paragraph(p) => p.iter().for_each(|i| inline(i, &mut out)),
            Block::List { items, .. } => items.iter().flatten().for_each(|i| inline(i, &mut out)),
        }
    }
    out
}

fn links(blocks: &[Block]) -> Vec<String> {
    serde_json::to_value(blocks)
        .unwrap()
        .to_string()
        .matches("\"href\"")
        .map(str::to_owned)
        .collect()
}

#[test]
fn paragraphs_bold_lists_and_links() {
    let md = "**16:00** 前付款当天发货。\n第二行\n\n- 支付宝\n- [PayPal](https://example.com/pay)\n\n1. one\n2. **two**";
    assert_eq!(
        render(md),
        vec![
            Block::Paragraph(vec![
                Inline::Bold(vec![text("16:00")]),
                text(" 前付款当天发货。 第二行")
            ]),
            Block::List {
                ordered: false,
                items: vec![
                    vec![text("支付宝")],
                    vec![Inline::Link {
                        href: "https://example.com/pay".into(),
                        text: "PayPal".into()
                    }],
                ],
            },
            Block::List {
                ordered: true,
                items: vec![vec![text("one")], vec![Inline::Bold(vec![text("two")])]],
            },
        ]
    );
}

#[test]
fn list_items_continue_and_loose_lists_stay_one_list() {
    let md = "1. first\n   more of first\n\n2. second\nlazy line\n\nAfter.";
    assert_eq!(
        render(md),
        vec![
            Block::List {
                ordered: true,
                items: vec![
                    vec![text("first more of first")],
                    vec![text("second lazy line")]
                ],
            },
            Block::Paragraph(vec![text("After.")]),
        ]
    );
}

#[test]
fn raw_html_is_literal_text() {
    for hostile in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<iframe srcdoc='<script>alert(1)</script>'>",
        "<svg/onload=alert(1)>",
    ] {
        assert_eq!(render(hostile), paragraph(vec![text(hostile)]), "{hostile}");
    }
}

#[test]
fn dangerous_link_schemes_stay_plain_text() {
    for url in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "/relative/path",
        "relative",
        "//evil.example/x",
        "https://user:pass@evil.example/",
        "https://example.com@evil.example/",
        "https:///evil",
        "https://",
        "http:evil.example",
        "https://example.com/\"onmouseover=\"alert(1)",
        "https://exa mple.com",
        "https://example.com/<script>",
        "file:///etc/passwd",
        "ftp://example.com",
    ] {
        let md = format!("[click]({url})");
        let blocks = render(&md);
        assert!(links(&blocks).is_empty(), "{url} became a link: {blocks:?}");
        let expected: String = md.chars().filter(|c| *c != '\t').collect();
        assert_eq!(
            visible(&blocks),
            expected.trim(),
            "{url}: the source shows as typed"
        );
    }
}

#[test]
fn http_and_https_links_are_kept() {
    for url in [
        "https://example.com",
        "HTTP://example.com/a?b=c#d",
        "https://例子.中国/路径",
        "http://[::1]:8080/x",
    ] {
        assert_eq!(
            render(&format!("[go]({url})")),
            paragraph(vec![Inline::Link {
                href: url.into(),
                text: "go".into()
            }]),
            "{url}"
        );
    }
    // Empty link text shows the URL itself, never an invisible link.
    assert_eq!(
        render("[](https://example.com)"),
        paragraph(vec![Inline::Link {
            href: "https://example.com".into(),
            text: "https://example.com".into()
        }])
    );
    assert_eq!(safe_href("https://example.com/a b"), None);
}

#[test]
fn control_and_bidi_characters_are_removed() {
    let md = "pay\u{202E}lapyap\u{0}\u{7} now\u{FEFF}\r\nok";
    assert_eq!(render(md), paragraph(vec![text("paylapyap now ok")]));
}

#[test]
fn unbalanced_markup_is_literal() {
    assert_eq!(
        render("**not closed"),
        paragraph(vec![text("**not closed")])
    );
    assert_eq!(render("[not a link"), paragraph(vec![text("[not a link")]));
    assert_eq!(
        render("[text](https://x.example"),
        paragraph(vec![text("[text](https://x.example")])
    );
    assert_eq!(render("****"), paragraph(vec![text("****")]));
    assert_eq!(
        render(r"\*\*literal\*\* \[x\]"),
        paragraph(vec![text("**literal** [x]")])
    );
    assert_eq!(render("# Heading"), paragraph(vec![text("# Heading")]));
}

#[test]
fn bold_may_hold_links_but_not_nested_bold() {
    assert_eq!(
        render("**see [docs](https://d.example)**"),
        paragraph(vec![Inline::Bold(vec![
            text("see "),
            Inline::Link {
                href: "https://d.example".into(),
                text: "docs".into()
            },
        ])])
    );
}

#[test]
fn pathological_inputs_finish_quickly() {
    let started = std::time::Instant::now();
    for md in [
        "[".repeat(8_000),
        "**".repeat(4_000),
        "[a](".repeat(2_000),
        "\\".repeat(8_000),
        "- ".repeat(4_000),
        "1. \n".repeat(2_000),
        format!("[{}](https://x.example)", "a".repeat(7_000)),
    ] {
        let blocks = render(&md);
        assert!(visible(&blocks).len() <= md.len());
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn blank_input_gives_no_blocks() {
    assert!(render("").is_empty());
    assert!(render(" \n\n\t\n").is_empty());
}

#[test]
fn the_tree_serialises_with_type_tags() {
    let json = serde_json::to_value(render("Hi **you**\n\n- [a](https://a.example)")).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"type": "paragraph", "content": [
                {"type": "text", "content": "Hi "},
                {"type": "bold", "content": [{"type": "text", "content": "you"}]}
            ]},
            {"type": "list", "content": {"ordered": false, "items": [[
                {"type": "link", "content": {"href": "https://a.example", "text": "a"}}
            ]]}}
        ])
    );
    let back: Vec<Block> = serde_json::from_value(json).unwrap();
    assert_eq!(back, render("Hi **you**\n\n- [a](https://a.example)"));
}
