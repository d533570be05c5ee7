//! JSON in: text or a JS value → `serde_json::Value`, through the browser's own
//! `JSON.parse` in wasm, so the widget ships no JSON parser (serde_json's is
//! kilobytes of the download budget). Natively (the reducer's and the codec's
//! unit tests) it is serde_json's parser; the browser tests check both agree on
//! every protocol fixture.
//!
//! Numbers: an integer (no fraction, within ±2^53, where `JSON.parse` is exact)
//! becomes an integer `Number` so `as_u64`/`as_i64` read it, as serde_json would;
//! any other number an `f64`. Protocol integers (sequences, times in ms, sizes)
//! stay below 2^53.

use serde_json::Value;

/// Parse JSON text; `None` when it is not JSON.
pub fn parse(text: &str) -> Option<Value> {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::JSON::parse(text).ok().map(|v| from_js(&v))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_str(text).ok()
    }
}

/// A JS value as JSON would carry it: `undefined`, functions and symbols are
/// `null`, like `JSON.stringify` writes them in arrays.
#[cfg(target_arch = "wasm32")]
pub fn from_js(v: &wasm_bindgen::JsValue) -> Value {
    use js_sys::{Array, Object};
    use wasm_bindgen::JsCast;
    if let Some(s) = v.as_string() {
        Value::String(s)
    } else if let Some(n) = v.as_f64() {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        if n.fract() == 0.0 && n.abs() <= EXACT {
            (n as i64).into()
        } else {
            serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
        }
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if Array::is_array(v) {
        Value::Array(
            v.unchecked_ref::<Array>()
                .iter()
                .map(|x| from_js(&x))
                .collect(),
        )
    } else if let Some(o) = v.dyn_ref::<Object>().filter(|_| v.is_object()) {
        // Inserted one by one, not collected: collecting a map sorts the
        // entries first, and that sort is kilobytes of wasm of its own.
        let mut map = serde_json::Map::new();
        for e in Object::entries(o).iter() {
            let e: Array = e.unchecked_into();
            if let Some(key) = e.get(0).as_string() {
                map.insert(key, from_js(&e.get(1)));
            }
        }
        Value::Object(map)
    } else {
        Value::Null
    }
}
