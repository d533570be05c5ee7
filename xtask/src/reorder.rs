//! The widget's functions put in an order brotli compresses better.
//!
//! rustc and wasm-opt leave a module's functions in the order the compiler
//! emitted them, so the many near-identical bodies Rust's generics make (the
//! drop glue, `clone` and `eq` of each type, a hook or a closure per component)
//! sit far apart, often beyond what brotli's matches reach cheaply. [`by_body`]
//! chains the defined functions so that each is followed by the one most like
//! it ([`order`]: the one whose 3-byte sequences occur most in it), and
//! renumbers every reference to them (calls, `ref.func`, the indirect-call
//! table's segments, exports, start). It changes no instruction. Run between
//! the two wasm-opt rounds, which keep the order. On the widget's wasm, in
//! scratch builds: 116,672 B brotli in the emitted order, 116,073 sorted by
//! name (binaryen's `--reorder-functions-by-name`), 115,278 sorted by the
//! bodies' first 32 bytes, 114,006 chained (114,606 with the Jaccard
//! similarity of 4-byte sequences instead; BENCHMARKS.md "What the widget's
//! wasm is made of").

use crate::Result;
use wasm_encoder::reencode::{Error as ReencodeError, Reencode};
use wasm_encoder::{
    CodeSection, ElementSection, ExportSection, FunctionSection, GlobalSection, Module, RawSection,
    TableSection,
};
use wasmparser::{FunctionBody, Parser, Payload};

/// The length of the byte sequences two bodies are compared by.
const SHINGLE: usize = 3;

/// The order of `bodies` (their indices): the first is the one whose bytes
/// sort first; each next one is the unplaced body the largest share of whose
/// [`SHINGLE`]-byte sequences occur in the one placed last (the lowest index
/// on a tie): what brotli can copy from just before. Sharing none with it,
/// the unplaced one whose bytes sort first. Quadratic in the number of
/// functions: about 1,500 in the widget.
pub fn order(bodies: &[&[u8]]) -> Vec<usize> {
    let shingles: Vec<Vec<u32>> = bodies
        .iter()
        .map(|b| {
            let mut s: Vec<u32> = b
                .windows(SHINGLE)
                .map(|w| u32::from_le_bytes([w[0], w[1], w[2], 0]))
                .collect();
            if s.is_empty() {
                let mut w = [0u8; 4];
                w[..b.len()].copy_from_slice(b);
                s.push(u32::from_le_bytes(w));
            }
            s.sort_unstable();
            s.dedup();
            s
        })
        .collect();
    let mut by_bytes: Vec<usize> = (0..bodies.len()).collect();
    by_bytes.sort_by_key(|&k| (bodies[k], k));
    let mut placed = vec![false; bodies.len()];
    let mut out = Vec::with_capacity(bodies.len());
    let mut next_by_bytes = by_bytes.iter().copied();
    let mut current = None;
    while out.len() < bodies.len() {
        let mut best: Option<(usize, u64, u64)> = None; // (index, common, its sequences)
        if let Some(c) = current {
            let a: &Vec<u32> = &shingles[c];
            for (k, b) in shingles.iter().enumerate() {
                if placed[k] {
                    continue;
                }
                let (common, all) = (common(a, b) as u64, b.len() as u64);
                // common / all > best's, without division.
                if common > 0 && best.is_none_or(|(_, bc, ba)| common * ba > bc * all) {
                    best = Some((k, common, all));
                }
            }
        }
        let k = match best {
            Some((k, _, _)) => k,
            None => next_by_bytes
                .by_ref()
                .find(|&k| !placed[k])
                .expect("an unplaced body is left"),
        };
        placed[k] = true;
        out.push(k);
        current = Some(k);
    }
    out
}

/// How many values two sorted, deduplicated lists share.
fn common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Renumbers defined functions by a permutation; imported ones keep theirs.
struct Renumber {
    imported: u32,
    /// The new index of the `k`th defined function.
    new_of: Vec<u32>,
}

impl Reencode for Renumber {
    type Error = String;

    fn function_index(&mut self, func: u32) -> std::result::Result<u32, ReencodeError<String>> {
        match func.checked_sub(self.imported) {
            None => Ok(func),
            Some(k) => self
                .new_of
                .get(k as usize)
                .map(|&n| n + self.imported)
                .ok_or(ReencodeError::UserError(format!(
                    "a reference to function {func}, which does not exist"
                ))),
        }
    }
}

/// `wasm` with its defined functions in [`order`]. A name section, which
/// would no longer match, is dropped (the release build has none by then).
pub fn by_body(wasm: &[u8]) -> Result<Vec<u8>> {
    let err = |e: wasmparser::BinaryReaderError| format!("reading the widget's wasm: {e}");
    let re = |e: ReencodeError<String>| format!("re-encoding the widget's wasm: {e}");
    let mut imported = 0u32;
    let mut types: Vec<u32> = Vec::new();
    let mut bodies: Vec<FunctionBody<'_>> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(err)? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import.map_err(err)?.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    types.push(ty.map_err(err)?);
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(body),
            _ => {}
        }
    }
    if types.len() != bodies.len() {
        return Err(format!(
            "the widget's wasm has {} function types for {} bodies",
            types.len(),
            bodies.len()
        ));
    }
    let raw: Vec<&[u8]> = bodies.iter().map(|b| bytes(wasm, b.range())).collect();
    let order = order(&raw);
    let mut new_of = vec![0u32; bodies.len()];
    for (new, &old) in order.iter().enumerate() {
        new_of[old] = u32::try_from(new).map_err(|_| "too many functions")?;
    }
    let mut r = Renumber { imported, new_of };

    let mut out = Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(err)?;
        match payload {
            Payload::Version { .. } | Payload::End(_) | Payload::CodeSectionEntry(_) => {}
            Payload::FunctionSection(_) => {
                let mut section = FunctionSection::new();
                for &old in &order {
                    section.function(r.type_index(types[old]).map_err(re)?);
                }
                out.section(&section);
            }
            Payload::CodeSectionStart { .. } => {
                let mut section = CodeSection::new();
                for &old in &order {
                    r.parse_function_body(&mut section, bodies[old].clone())
                        .map_err(re)?;
                }
                out.section(&section);
            }
            Payload::ExportSection(reader) => {
                let mut section = ExportSection::new();
                r.parse_export_section(&mut section, reader).map_err(re)?;
                out.section(&section);
            }
            Payload::ElementSection(reader) => {
                let mut section = ElementSection::new();
                r.parse_element_section(&mut section, reader).map_err(re)?;
                out.section(&section);
            }
            Payload::GlobalSection(reader) => {
                let mut section = GlobalSection::new();
                r.parse_global_section(&mut section, reader).map_err(re)?;
                out.section(&section);
            }
            Payload::TableSection(reader) => {
                let mut section = TableSection::new();
                r.parse_table_section(&mut section, reader).map_err(re)?;
                out.section(&section);
            }
            Payload::StartSection { func, .. } => {
                out.section(&wasm_encoder::StartSection {
                    function_index: r.start_section(func).map_err(re)?,
                });
            }
            Payload::CustomSection(c) if c.name() == "name" => {}
            other => {
                let Some((id, range)) = other.as_section() else {
                    return Err("the widget's wasm has a part that is not a section".into());
                };
                out.section(&RawSection {
                    id,
                    data: bytes(wasm, range),
                });
            }
        }
    }
    Ok(out.finish())
}

/// The bytes of `wasm` in `range` (a range the parser gave, so within it).
fn bytes(wasm: &[u8], range: std::ops::Range<u64>) -> &[u8] {
    let at = |n: u64| usize::try_from(n).unwrap_or(usize::MAX).min(wasm.len());
    &wasm[at(range.start)..at(range.end).max(at(range.start))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        ConstExpr, EntityType, ExportKind, Function, ImportSection, Instruction, RefType,
        TableType, TypeSection, ValType,
    };

    /// One imported function (0) and three defined ones: `c` (1) returns 30
    /// after calling `a`, `b` (2) returns 20, `a` (3) returns 10 after calling
    /// the import. `c` is exported; the table holds 3, 1, 0.
    fn module() -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], [ValType::I32]);
        m.section(&types);
        let mut imports = ImportSection::new();
        imports.import("w", "f", EntityType::Function(0));
        m.section(&imports);
        let mut functions = FunctionSection::new();
        for _ in 0..3 {
            functions.function(0);
        }
        m.section(&functions);
        let mut tables = TableSection::new();
        tables.table(TableType {
            element_type: RefType::FUNCREF,
            table64: false,
            minimum: 3,
            maximum: None,
            shared: false,
        });
        m.section(&tables);
        let mut exports = ExportSection::new();
        exports.export("c", ExportKind::Func, 1);
        m.section(&exports);
        let mut elements = ElementSection::new();
        elements.active(
            None,
            &ConstExpr::i32_const(0),
            wasm_encoder::Elements::Functions([3, 1, 0].as_slice().into()),
        );
        m.section(&elements);
        let mut code = CodeSection::new();
        for (value, call) in [(30, Some(3)), (20, None), (10, Some(0))] {
            let mut f = Function::new([]);
            if let Some(callee) = call {
                f.instruction(&Instruction::Call(callee));
                f.instruction(&Instruction::Drop);
            }
            f.instruction(&Instruction::I32Const(value));
            f.instruction(&Instruction::End);
            code.function(&f);
        }
        m.section(&code);
        m.finish()
    }

    /// What each defined function does, by new index: the constant it
    /// returns and the index it calls.
    fn summary(wasm: &[u8]) -> Vec<(i32, Option<u32>)> {
        let mut out = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::CodeSectionEntry(body) = payload.expect("valid") {
                let (mut value, mut call) = (0, None);
                for op in body.get_operators_reader().expect("ops") {
                    match op.expect("op") {
                        wasmparser::Operator::I32Const { value: v } => value = v,
                        wasmparser::Operator::Call { function_index } => {
                            call = Some(function_index)
                        }
                        _ => {}
                    }
                }
                out.push((value, call));
            }
        }
        out
    }

    #[test]
    fn functions_are_sorted_by_body_and_every_reference_follows() {
        let old = module();
        assert_eq!(summary(&old), [(30, Some(3)), (20, None), (10, Some(0))]);
        let new = by_body(&old).expect("reorders");
        wasmparser::validate(&new).expect("the new module validates");
        // No locals, then `call` (0x10) sorts before `i32.const` (0x41), and
        // `a`'s call to 0 before `c`'s call to 3: a, c, b.
        assert_eq!(summary(&new), [(10, Some(0)), (30, Some(1)), (20, None)]);
        for payload in Parser::new(0).parse_all(&new) {
            match payload.expect("valid") {
                Payload::ExportSection(r) => {
                    let e = r.into_iter().next().expect("one").expect("export");
                    assert_eq!((e.name, e.index), ("c", 2), "the export follows `c`");
                }
                Payload::ElementSection(r) => {
                    let e = r.into_iter().next().expect("one").expect("segment");
                    let wasmparser::ElementItems::Functions(f) = e.items else {
                        panic!("function indices")
                    };
                    let f: Vec<u32> = f.into_iter().map(|i| i.expect("index")).collect();
                    assert_eq!(f, [1, 2, 0], "the table still holds a, c, the import");
                }
                _ => {}
            }
        }
    }

    #[test]
    fn each_body_is_followed_by_the_one_most_like_it() {
        let a: &[u8] = &[0, 1, 0x41, 1, 0x41, 2, 0x6a, 0x1a, 0x41, 7, 0x0b];
        let b: &[u8] = &[0, 0x10, 0, 0x1a, 0x41, 9, 0x0b];
        let c: &[u8] = &[0, 0x41, 1, 0x41, 2, 0x6a, 0x1a, 0x41, 8, 0x0b];
        let d: &[u8] = &[0, 0x0b];
        // By bytes: a, d, b, c. a comes first and shares most with c; c shares
        // nothing with b or d, so d, the first of them by bytes, then b.
        assert_eq!(order(&[a, b, c, d]), [0, 2, 3, 1]);
        assert_eq!(order(&[b, c, a]), [2, 1, 0], "not by bytes: a, b, c");
        assert_eq!(order(&[]), Vec::<usize>::new());
    }
}
