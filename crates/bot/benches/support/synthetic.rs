//! A deterministic synthetic knowledge base (mixed zh / en) and query mix for the
//! matching benchmark. Shared by `benches/match.rs` and `examples/p99.rs` (kept in a
//! sub-folder so Cargo does not take it for a bench target of its own).

use kefu_bot::{Entry, KnowledgeBase};

/// Topic templates: (English question, English phrasings, Chinese question, Chinese phrasings).
/// `{p}` is the product name.
const TOPICS: &[(&str, &[&str], &str, &[&str])] = &[
    (
        "How long does shipping take for the {p}?",
        &[
            "when will my {p} ship",
            "{p} delivery time",
            "how soon does the {p} arrive",
        ],
        "{p}多久发货？",
        &["{p}什么时候发货", "{p}几天能到", "{p}快递要多久"],
    ),
    (
        "How much is shipping for the {p}?",
        &[
            "is shipping free for the {p}",
            "{p} shipping fee",
            "delivery cost of the {p}",
        ],
        "{p}运费多少？",
        &["{p}包邮吗", "{p}邮费怎么算", "{p}要付运费吗"],
    ),
    (
        "Can I return the {p}?",
        &[
            "{p} return policy",
            "send the {p} back",
            "how do I return my {p}",
        ],
        "{p}可以退货吗？",
        &["{p}怎么退货", "{p}退货政策", "{p}不喜欢能退吗"],
    ),
    (
        "When will I get my refund for the {p}?",
        &[
            "{p} refund time",
            "how long does a {p} refund take",
            "{p} money back",
        ],
        "{p}退款多久到账？",
        &["{p}什么时候退款", "{p}退款进度", "{p}钱什么时候退回"],
    ),
    (
        "What is the warranty on the {p}?",
        &[
            "{p} warranty period",
            "is the {p} covered by warranty",
            "{p} broken",
        ],
        "{p}保修多久？",
        &["{p}坏了怎么办", "{p}质保多长时间", "{p}保修政策"],
    ),
    (
        "What is the battery life of the {p}?",
        &[
            "how long does the {p} battery last",
            "{p} battery hours",
            "{p} playback time",
        ],
        "{p}续航多久？",
        &["{p}电池能用多久", "{p}充满电能用几小时", "{p}续航时间"],
    ),
    (
        "How do I pair the {p}?",
        &[
            "connect the {p} to my phone",
            "{p} pairing mode",
            "{p} bluetooth pairing",
        ],
        "{p}怎么配对？",
        &["{p}怎么连接手机", "{p}蓝牙连不上", "{p}配对模式"],
    ),
    (
        "Is the {p} waterproof?",
        &[
            "{p} water resistance",
            "can I swim with the {p}",
            "is the {p} sweat proof",
        ],
        "{p}防水吗？",
        &["{p}防水等级", "{p}出汗能用吗", "{p}下雨能用吗"],
    ),
    (
        "Can I get an invoice for the {p}?",
        &["{p} invoice", "{p} receipt", "VAT invoice for the {p}"],
        "{p}可以开发票吗？",
        &["{p}怎么开发票", "{p}电子发票", "{p}发票下载"],
    ),
    (
        "Is the {p} in stock?",
        &[
            "{p} out of stock",
            "when is the {p} back in stock",
            "{p} availability",
        ],
        "{p}有货吗？",
        &["{p}什么时候补货", "{p}缺货", "{p}库存"],
    ),
];
const PRODUCTS: &[&str] = &[
    "aurora", "nimbus", "zephyr", "vortex", "lumen", "sonata", "echo", "pulse", "orbit", "halo",
    "极光", "星云", "微风", "旋律", "回声", "脉冲", "轨道", "光环", "晨曦", "流星",
];

/// A small deterministic generator (64-bit LCG), so every run indexes the same text.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Lcg(seed)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// The product name of entry `i`: a family name plus a model number, so the
/// vocabulary grows with the knowledge base like a real catalogue's would.
fn product(i: usize) -> String {
    format!(
        "{}{}",
        PRODUCTS[i % PRODUCTS.len()],
        i / (PRODUCTS.len() * TOPICS.len())
    )
}

/// `n` entries: each (product, topic) pair once in English and once in Chinese.
pub fn knowledge_base(n: usize) -> KnowledgeBase {
    let entries = (0..n)
        .map(|i| {
            let p = product(i / 2);
            let (en_q, en_sim, zh_q, zh_sim) = TOPICS[(i / 2 / PRODUCTS.len()) % TOPICS.len()];
            let (question, similar) = if i % 2 == 0 { (zh_q, zh_sim) } else { (en_q, en_sim) };
            let fill = |t: &str| t.replace("{p}", &p);
            Entry {
                id: format!("e{i}"),
                question: fill(question),
                similar: similar.iter().map(|s| fill(s)).collect(),
                answer: format!("About the **{p}**: see [details](https://example.com/{i}).\n\n- item one\n- item two"),
                category: Some("synthetic".to_owned()),
                heat: (i % 97) as u64,
                lang: None,
            }
        })
        .collect();
    KnowledgeBase::from_entries(entries).expect("synthetic entries are valid")
}

/// A query mix: stored questions, paraphrases, typos, mixed language, off-topic.
pub fn queries(kb: &KnowledgeBase, count: usize) -> Vec<String> {
    let mut rng = Lcg::new(42);
    let off_topic = [
        "hello",
        "what's the weather like today",
        "你好",
        "asdkjh qwe",
        "讲个笑话",
        "thanks a lot",
    ];
    (0..count)
        .map(|k| {
            let entry = &kb.entries()[rng.below(kb.len())];
            match k % 6 {
                0 => entry.question.clone(),
                1 => entry.similar[rng.below(entry.similar.len())].clone(),
                2 => entry
                    .question
                    .replace("shipping", "shiping")
                    .replace("battery", "batery")
                    .replace("warranty", "warrenty"),
                3 => format!(
                    "{} battery 多久",
                    entry.question.split_whitespace().last().unwrap_or("")
                ),
                4 => off_topic[rng.below(off_topic.len())].to_owned(),
                _ => "refund".to_owned(),
            }
        })
        .collect()
}
