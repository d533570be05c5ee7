//! Short import names for the widget's wasm and its JS glue.
//!
//! wasm-bindgen names every import the wasm takes from its glue after the JS
//! function plus a 16-digit hash (`__wbg_setAttribute_7526a72933d6e405`), from
//! a module named after the glue file (`./kefu-widget_bg.js`). Each name is in
//! the wasm's import section and again as a key of the glue's imports object;
//! the hashes are random, so brotli cannot shrink them: 216 imports cost
//! visitors about 5 KB brotli over both files. [`shorten`] renames them `a`,
//! `b`, … `ba`, … and the module `w`, in the wasm (only the import section is
//! rewritten, with `wasmparser` / `wasm-encoder`; every other section is copied
//! byte for byte) and in the minified glue, where each old key must occur
//! exactly once, as a key (`name:`), or the build stops: a glue that no longer
//! matches its wasm must never be published.
//!
//! The exports are renamed the same way, `Xa`, `Xb`, … in the export section
//! and in the glue, which reads each as a property of the instance's exports
//! (`c.widgethandle_setAttributes(…)`, `c.__wbindgen_malloc`): those named
//! after Rust paths with a crate hash (the closure invokers,
//! `wasm_bindgen_a283fd348162c721___convert__closures_____invoke___…`, up to
//! 194 characters) and wasm-bindgen's own (`__wbindgen_realloc`, read 21
//! times), about 0.55 KB brotli over both files. An export the glue names
//! other than by such a read (`mount`, which it exports under that name)
//! keeps its name.

use crate::Result;
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{ExportSection, ImportSection, Module, RawSection};
use wasmparser::{Parser, Payload};

/// The module name the imports get.
pub const MODULE: &str = "w";

/// The `n`th short name: `a` … `z`, `A` … `Z`, then `ba`, `bb`, … (never a
/// digit first, never a JS keyword: at most three letters, none of `do`, `if`,
/// `in`, `for`, `new`, `try`, `var`, `let`).
pub fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = Vec::new();
    loop {
        out.push(LETTERS[n % LETTERS.len()]);
        n /= LETTERS.len();
        if n == 0 {
            break;
        }
    }
    out.reverse();
    let name = String::from_utf8(out).unwrap_or_default();
    if ["do", "if", "in", "for", "new", "try", "var", "let"].contains(&name.as_str()) {
        // Keywords are fine as object keys, but keep the names plain.
        return format!("{name}_");
    }
    name
}

/// Rename the imports of `wasm` (all from `module`) and the keys of `glue`'s
/// imports object to short names, and the exports the glue only reads as
/// properties ([`reads_only`]) and those reads. Returns the new wasm and glue.
pub fn shorten(wasm: &[u8], glue: &str, module: &str) -> Result<(Vec<u8>, String)> {
    let mut out = Module::new();
    let mut renamed: Vec<(String, String)> = Vec::new();
    let mut exports: Vec<(String, String)> = Vec::new();
    let err = |e: wasmparser::BinaryReaderError| format!("reading the widget's wasm: {e}");
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(err)?;
        match payload {
            // The code section is copied whole (at its start); its entries follow.
            Payload::Version { .. } | Payload::End(_) | Payload::CodeSectionEntry(_) => {}
            Payload::ImportSection(reader) => {
                let mut section = ImportSection::new();
                for import in reader.into_imports() {
                    let import = import.map_err(err)?;
                    if import.module != module {
                        return Err(format!(
                            "the widget's wasm imports from {:?}, not only from {module:?}",
                            import.module
                        ));
                    }
                    let ty = RoundtripReencoder
                        .entity_type(import.ty)
                        .map_err(|e| format!("re-encoding an import: {e}"))?;
                    let name = short_name(renamed.len());
                    section.import(MODULE, &name, ty);
                    renamed.push((import.name.to_owned(), name));
                }
                out.section(&section);
            }
            Payload::ExportSection(reader) => {
                let mut section = ExportSection::new();
                for export in reader {
                    let export = export.map_err(err)?;
                    let kind = RoundtripReencoder
                        .export_kind(export.kind)
                        .map_err(|e| format!("re-encoding an export: {e}"))?;
                    let name = if reads_only(glue, export.name) {
                        let name = format!("X{}", short_name(exports.len()));
                        exports.push((export.name.to_owned(), name.clone()));
                        name
                    } else if export.name.starts_with('X') && export.name.len() <= 4 {
                        return Err(format!("the widget's wasm exports {:?}", export.name));
                    } else {
                        export.name.to_owned()
                    };
                    section.export(&name, kind, export.index);
                }
                out.section(&section);
            }
            other => {
                let Some((id, range)) = other.as_section() else {
                    return Err("the widget's wasm has a part that is not a section".into());
                };
                let span = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
                let data = wasm
                    .get(span(range.start)..span(range.end))
                    .ok_or("the widget's wasm ends inside a section")?;
                out.section(&RawSection { id, data });
            }
        }
    }
    let mut glue = replace_once(glue, &format!("{module:?}:"), &format!("{MODULE}:"))?;
    for (old, new) in &renamed {
        glue = replace_once(&glue, &format!("{old}:"), &format!("{new}:"))?;
    }
    for (old, new) in &exports {
        glue = rename_reads(&glue, old, new);
    }
    Ok((out.finish(), glue))
}

/// Where `name` occurs in `text` as a whole identifier, and whether each
/// occurrence is a property read (right after a `.`).
fn mentions<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = (usize, bool)> + 'a {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    text.match_indices(name).filter_map(move |(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        (!before.is_some_and(ident) && !after.is_some_and(ident))
            .then_some((i, before == Some('.')))
    })
}

/// Whether `text` names `name` only in property reads (or not at all).
fn reads_only(text: &str, name: &str) -> bool {
    mentions(text, name).all(|(_, read)| read)
}

/// `text` with every read of the property `name` renamed `with`.
fn rename_reads(text: &str, name: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (i, _) in mentions(text, name).collect::<Vec<_>>() {
        out.push_str(&text[from..i]);
        out.push_str(with);
        from = i + name.len();
    }
    out.push_str(&text[from..]);
    out
}

/// `text` with its one occurrence of the object key `key` (right after a `{`
/// or `,`, as esbuild writes them) replaced; an error if there is none or
/// more than one.
fn replace_once(text: &str, key: &str, with: &str) -> Result<String> {
    let at: Vec<usize> = text
        .match_indices(key)
        .map(|(i, _)| i)
        .filter(|&i| text[..i].ends_with(['{', ',']))
        .collect();
    match at.as_slice() {
        [i] => Ok(format!("{}{with}{}", &text[..*i], &text[i + key.len()..])),
        [] => Err(format!("the widget's glue has no key {key}")),
        _ => Err(format!(
            "the widget's glue has the key {key} {} times",
            at.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection, Instruction,
        MemoryType, TypeSection, ValType,
    };

    /// A module importing two functions and a memory from `module`, with a
    /// function that calls the second import, exported as `run`.
    fn module(module: &str) -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([ValType::I32], [ValType::I32]);
        m.section(&types);
        let mut imports = ImportSection::new();
        imports.import(
            module,
            "__wbg_first_0123456789abcdef",
            EntityType::Function(0),
        );
        imports.import(
            module,
            "__wbg_second_fedcba9876543210",
            EntityType::Function(0),
        );
        let memory = MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        };
        imports.import(module, "memory", memory);
        m.section(&imports);
        let mut functions = FunctionSection::new();
        functions.function(0);
        m.section(&functions);
        let mut exports = ExportSection::new();
        exports.export("run", ExportKind::Func, 2);
        m.section(&exports);
        let mut code = CodeSection::new();
        let mut f = Function::new([]);
        f.instruction(&Instruction::LocalGet(0));
        f.instruction(&Instruction::Call(1));
        f.instruction(&Instruction::End);
        code.function(&f);
        m.section(&code);
        m.finish()
    }

    const GLUE: &str = r#"function A(){return{__proto__:null,"./kefu-widget_bg.js":{__proto__:null,__wbg_first_0123456789abcdef:function(e){return e},__wbg_second_fedcba9876543210:function(e){return e+1},memory:new WebAssembly.Memory({initial:1})}}}const x={a:1},y=x.b?c.__wbg_first_0123456789abcdef:0;"#;

    #[test]
    fn names_are_short_letters_and_never_keywords() {
        assert_eq!(short_name(0), "a");
        assert_eq!(short_name(25), "z");
        assert_eq!(short_name(26), "A");
        assert_eq!(short_name(52), "ba");
        assert_eq!(short_name(52 * 52), "baa");
        let names: std::collections::HashSet<_> = (0..5000).map(short_name).collect();
        assert_eq!(names.len(), 5000, "all distinct");
        assert!(names
            .iter()
            .all(|n| n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())));
    }

    #[test]
    fn imports_are_renamed_in_both_files_and_nothing_else_changes() {
        let wasm = module("./kefu-widget_bg.js");
        let (new, glue) = shorten(&wasm, GLUE, "./kefu-widget_bg.js").expect("shortens");
        let mut names = Vec::new();
        let mut code_before = None;
        let mut code_after = None;
        for (bytes, code) in [(&wasm, &mut code_before), (&new, &mut code_after)] {
            for payload in Parser::new(0).parse_all(bytes) {
                match payload.expect("valid wasm") {
                    Payload::ImportSection(r) if bytes == &new => {
                        for i in r.into_imports() {
                            let i = i.expect("import");
                            names.push((i.module.to_owned(), i.name.to_owned()));
                        }
                    }
                    Payload::CodeSectionStart {
                        unchecked_range: r, ..
                    } => {
                        *code = Some(bytes[r.start as usize..r.end as usize].to_vec());
                    }
                    _ => {}
                }
            }
        }
        wasmparser::validate(&new).expect("the new module validates");
        assert_eq!(
            names,
            [("w", "a"), ("w", "b"), ("w", "c")].map(|(m, n)| (m.to_owned(), n.to_owned()))
        );
        assert_eq!(code_before, code_after, "the code is copied as it was");
        assert!(new.len() < wasm.len());
        assert_eq!(
            glue,
            r#"function A(){return{__proto__:null,w:{__proto__:null,a:function(e){return e},b:function(e){return e+1},c:new WebAssembly.Memory({initial:1})}}}const x={a:1},y=x.b?c.__wbg_first_0123456789abcdef:0;"#,
            "keys renamed; a property read (`c.name:`) is not a key"
        );
    }

    /// A module exporting one function under four names.
    fn exporting() -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut functions = FunctionSection::new();
        functions.function(0);
        m.section(&functions);
        let mut exports = ExportSection::new();
        for name in [LONG, LONGER, "run", "unread"] {
            exports.export(name, ExportKind::Func, 0);
        }
        m.section(&exports);
        let mut code = CodeSection::new();
        let mut f = Function::new([]);
        f.instruction(&Instruction::End);
        code.function(&f);
        m.section(&code);
        m.finish()
    }

    const LONG: &str = "wasm_bindgen_0123456789abcdef___closures__invoke___true_";
    const LONGER: &str = "wasm_bindgen_0123456789abcdef___closures__invoke___true__17";

    fn export_names(wasm: &[u8]) -> Vec<String> {
        let mut names = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::ExportSection(r) = payload.expect("valid wasm") {
                names.extend(r.into_iter().map(|e| e.expect("export").name.to_owned()));
            }
        }
        names
    }

    #[test]
    fn exports_the_glue_only_reads_are_renamed_with_the_reads() {
        let glue =
            format!(r#"o={{"m":{{}}}};i.{LONG}(1);i.{LONGER}(2),i.{LONG}(3);i.run();x.{LONG}_b"#);
        let (new, glue) = shorten(&exporting(), &glue, "m").expect("shortens");
        wasmparser::validate(&new).expect("the new module validates");
        assert_eq!(export_names(&new), ["Xa", "Xb", "Xc", "Xd"]);
        assert_eq!(
            glue,
            format!("o={{w:{{}}}};i.Xa(1);i.Xb(2),i.Xa(3);i.Xc();x.{LONG}_b"),
            "a longer name that begins with one is another name"
        );
    }

    #[test]
    fn an_export_the_glue_names_otherwise_keeps_its_name() {
        let glue = format!(r#"o={{"m":{{}}}};i.{LONG}(1);i.{LONGER}();i.run();export{{f as run}}"#);
        let (new, out) = shorten(&exporting(), &glue, "m").expect("shortens");
        assert_eq!(export_names(&new), ["Xa", "Xb", "run", "Xc"]);
        assert_eq!(out, "o={w:{}};i.Xa(1);i.Xb();i.run();export{f as run}");
        let quoted = format!(r#"o={{"m":{{}}}};i["{LONG}"]();i.{LONG}()"#);
        let (new, out) = shorten(&exporting(), &quoted, "m").expect("shortens");
        assert_eq!(export_names(&new)[0], LONG, "named in a string");
        assert!(out.ends_with(&format!(r#"i["{LONG}"]();i.{LONG}()"#)));
    }

    #[test]
    fn a_glue_that_does_not_match_its_wasm_stops_the_build() {
        let wasm = module("./kefu-widget_bg.js");
        let missing = GLUE.replace("__wbg_second_fedcba9876543210:", "__wbg_other:");
        let e = shorten(&wasm, &missing, "./kefu-widget_bg.js").expect_err("no key");
        assert!(e.contains("__wbg_second_fedcba9876543210"), "{e}");
        let twice = format!("{GLUE}var z={{__wbg_first_0123456789abcdef:1}}");
        let e = shorten(&wasm, &twice, "./kefu-widget_bg.js").expect_err("twice");
        assert!(e.contains("2 times"), "{e}");
        let other = module("env");
        assert!(shorten(&other, GLUE, "./kefu-widget_bg.js").is_err());
    }
}
