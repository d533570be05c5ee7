//! The widget's functions put in an order brotli compresses better.
//!
//! rustc and wasm-opt leave a module's functions in the order the compiler
//! emitted them, so the many near-identical bodies Rust's generics make (the
//! drop glue, `clone` and `eq` of each type, a hook or a closure per component)
//! sit far apart, often beyond what brotli's matches reach cheaply. [`by_body`]
//! sorts the defined functions by the first [`KEY_BYTES`] bytes of their
//! bodies (their locals, then their first instructions), so functions that
//! begin alike are neighbours, and renumbers every reference to them (calls,
//! `ref.func`, the indirect-call table's segments, exports, start). It changes
//! no instruction. Run between the two wasm-opt rounds, which keep the order:
//! about 1.4 KB brotli off the widget's wasm against the emitted order, and
//! 0.8 KB against binaryen's `--reorder-functions-by-name` (BENCHMARKS.md "What
//! the widget's wasm is made of").

use crate::Result;
use wasm_encoder::reencode::{Error as ReencodeError, Reencode};
use wasm_encoder::{
    CodeSection, ElementSection, ExportSection, FunctionSection, GlobalSection, Module, RawSection,
    TableSection,
};
use wasmparser::{FunctionBody, Parser, Payload};

/// How many leading bytes of a body order it (the original index breaks ties).
pub const KEY_BYTES: usize = 32;

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

/// `wasm` with its defined functions sorted by their bodies' first
/// [`KEY_BYTES`] bytes. A name section, which would no longer match, is
/// dropped (the release build has none by then).
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
    let key = |k: usize| {
        let body = bytes(wasm, bodies[k].range());
        (&body[..body.len().min(KEY_BYTES)], k)
    };
    let mut order: Vec<usize> = (0..bodies.len()).collect();
    order.sort_by_key(|&k| key(k));
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
        assert_eq!(
            by_body(&new).expect("again"),
            new,
            "sorted once and for all"
        );
    }
}
