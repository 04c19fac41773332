//! The library's modules form layers that only point down: a module may use modules of lower
//! layers, never one of its own layer or above. The layers are the table of
//! `docs/architecture.md` (section "Layers"), so the document and the check cannot drift.
//!
//! References are read from the source text: `crate::module` paths (in `use` declarations and
//! inline), including grouped `crate::{a::…, b::…}` imports. Comments are skipped, and so are
//! the unit-test modules at the end of a file (`#[cfg(test)] mod tests`), which may build their
//! inputs with higher layers.

use crate::common::root;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Module → layer, from the "Layers" table of docs/architecture.md: rows
/// `| N | `a`, `b` | what |`.
fn layer_table() -> BTreeMap<String, u32> {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md"))
        .expect("docs/architecture.md exists");
    let section = doc
        .split("\n## Layers")
        .nth(1)
        .expect("docs/architecture.md has a `## Layers` section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut out = BTreeMap::new();
    for line in section.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 {
            continue;
        }
        let Ok(layer) = cells[1].parse::<u32>() else {
            continue;
        };
        for m in cells[2].split(',') {
            let m = m.trim().trim_matches('`');
            if !m.is_empty() {
                out.insert(m.to_string(), layer);
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("readable directory") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The text of a file with its unit-test modules (`#[cfg(test)]`, other attributes, then
/// `mod NAME {` at the start of a line, up to the matching brace) blanked out; line numbers stay.
fn without_tests(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() == "#[cfg(test)]" {
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim_start().starts_with("#[") {
                j += 1;
            }
            if j < lines.len() && lines[j].starts_with("mod ") && lines[j].trim_end().ends_with('{')
            {
                let mut depth = 0i64;
                let mut k = j;
                while k < lines.len() {
                    depth += lines[k].matches('{').count() as i64;
                    depth -= lines[k].matches('}').count() as i64;
                    if depth <= 0 {
                        break;
                    }
                    k += 1;
                }
                out.extend(std::iter::repeat("").take(k + 1 - i));
                i = k + 1;
                continue;
            }
        }
        out.push(lines[i]);
        i += 1;
    }
    out.join("\n")
}

/// The top-level modules a line refers to through `crate::`.
fn references(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        rest = &rest[i + 7..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `archsim_crate::` or similar
        }
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::x, b::{y, z}}`: the first segment of each top-level item.
            let mut depth = 0;
            let mut item_start = true;
            let mut name = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        item_start = true;
                        continue;
                    }
                    _ => {}
                }
                if item_start && depth == 0 {
                    if c.is_alphanumeric() || c == '_' {
                        name.push(c);
                        continue;
                    }
                    if !name.is_empty() {
                        out.push(std::mem::take(&mut name));
                    }
                    if !c.is_whitespace() {
                        item_start = false;
                    }
                }
            }
            if !name.is_empty() {
                out.push(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn modules_only_use_lower_layers() {
    let layers = layer_table();
    assert!(
        layers.len() >= 15,
        "the Layers table of docs/architecture.md lists too few modules: {layers:?}"
    );
    let src = root().join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs");
    let declared: Vec<String> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect();
    for m in &declared {
        assert!(
            layers.contains_key(m),
            "module `{m}` (src/lib.rs) has no layer in docs/architecture.md's Layers table"
        );
    }
    for m in layers.keys() {
        assert!(
            declared.contains(m),
            "docs/architecture.md's Layers table lists `{m}`, which src/lib.rs does not declare"
        );
    }
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut seen = 0;
    let mut wrong = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&src).expect("under src");
        let top = rel
            .components()
            .next()
            .expect("a path")
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" || top == "cli" {
            continue; // the crate root and the command line's binary (`src/main.rs`, `src/cli/`)
        }
        let own = *layers
            .get(&top)
            .unwrap_or_else(|| panic!("{} is in no layer", rel.display()));
        let text = std::fs::read_to_string(&f).expect("readable");
        for (i, line) in without_tests(&text).lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for r in references(line) {
                let Some(&target) = layers.get(&r) else {
                    continue;
                };
                seen += 1;
                if r != top && target >= own {
                    wrong.push(format!(
                        "src/{}:{}: `{top}` (layer {own}) uses `{r}` (layer {target})",
                        rel.display(),
                        i + 1
                    ));
                }
            }
        }
    }
    assert!(
        seen > 200,
        "only {seen} references found: the scan is broken"
    );
    assert!(
        wrong.is_empty(),
        "imports against the layering (docs/architecture.md, Layers):\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_reference_scanner_reads_grouped_imports() {
    assert_eq!(references("use crate::kernel::SimTime;"), ["kernel"]);
    assert_eq!(
        references("use crate::{flow::Reason, components::{cache, lb}};"),
        ["flow", "components"]
    );
    assert_eq!(
        references("let x = crate::model::Model::compile(s, 0) + crate::engine::run();"),
        ["model", "engine"]
    );
    assert!(references("use archsim_crate::x;").is_empty());
    assert_eq!(
        without_tests("fn a() {}\n#[cfg(test)]\nmod tests {\n use crate::x;\n}\nuse crate::y;"),
        "fn a() {}\n\n\n\n\nuse crate::y;"
    );
}
