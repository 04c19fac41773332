//! `docs/sources.md` is the register of every default archsim ships: its value, its source and
//! what in it is an assumption. Comments and documents cite its rows by name, in the forms
//! `docs/sources.md, "RTT same AZ"`, `docs/sources.md "Fargate"`,
//! `docs/sources.md serverless "memory / CPU"` (an area word before the name), with escaped
//! quotes inside TOML and Rust strings, and in Markdown `docs/sources.md row *HPA*` or
//! `docs/sources.md rows *HTTP API price*, *REST API price*` (an italic name may carry its
//! value after a colon: `*RTT same AZ: 0.2–0.5 ms*`). A citation may run over the next comment
//! lines.
//!
//! This test reads every row name of the tables of `docs/sources.md` and fails, naming the file
//! and line, on any citation whose name is not one of them. It also fails when a file mentions
//! the private reference text the table was first drafted from (it is not part of the
//! repository and must not be cited).

use crate::common::root;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The register, relative to the repository root.
const REGISTER: &str = "docs/sources.md";

/// What is scanned for citations, relative to the repository root.
const SCANNED: [&str; 6] = ["src", "docs", "scenarios", "tests", "ui/src", "README.md"];

/// Directories never scanned (build output, installed packages).
const SKIPPED: [&str; 2] = ["target", "node_modules"];

/// Characters of text after `docs/sources.md` that may hold a citation (it may span lines).
const WINDOW: usize = 600;

/// Every file under `path` (or `path` itself), skipping [`SKIPPED`] directories.
fn files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(dir) = std::fs::read_dir(path) else {
        return;
    };
    let mut entries: Vec<PathBuf> = dir.map(|e| e.expect("directory entry").path()).collect();
    entries.sort();
    for p in entries {
        let skipped = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| SKIPPED.contains(&n) || n.starts_with('.'));
        if p.is_dir() && !skipped {
            files(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// The text files of the repository that are scanned, with their contents (files that are not
/// UTF-8, such as screenshots, are skipped).
fn text_files() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    for s in SCANNED {
        files(&root().join(s), &mut paths);
    }
    paths
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let text = String::from_utf8(bytes).ok()?;
            let rel = p
                .strip_prefix(root())
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, text))
        })
        .collect()
}

/// Whether `line` is the separator line under a Markdown table's header (`|---|:--|`).
fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) && t.contains('-')
}

/// The row names of every table of the register: the first cell of each body row. Panics on a
/// body row that does not have the four columns (parameter, value, source, assumption).
fn row_names(register: &str) -> Vec<String> {
    let lines: Vec<&str> = register.lines().collect();
    let mut names = Vec::new();
    let mut in_table = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if !t.starts_with('|') {
            in_table = false;
            continue;
        }
        if is_separator(t) {
            in_table = true;
            continue;
        }
        if !in_table {
            // A header: the next line is the separator.
            assert!(
                lines.get(i + 1).is_some_and(|l| is_separator(l)),
                "{REGISTER}:{}: a table line outside a table (no header separator above it)",
                i + 1
            );
            continue;
        }
        let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(
            cells.len(),
            4,
            "{REGISTER}:{}: a row needs four cells (parameter | value in archsim | source | \
             assumption?), found {}: {t}",
            i + 1,
            cells.len()
        );
        assert!(!cells[0].is_empty(), "{REGISTER}:{}: empty row name", i + 1);
        names.push(cells[0].to_string());
    }
    names
}

/// Strips the comment marker a continued citation line starts with.
fn strip_comment(line: &str) -> &str {
    let t = line.trim_start();
    for marker in ["///", "//!", "//", "#"] {
        if let Some(rest) = t.strip_prefix(marker) {
            return rest.trim_start();
        }
    }
    t
}

/// The text following a `docs/sources.md` mention, as one line: escaped newlines and quotes of
/// JSON, TOML and Rust strings unescaped, continuation lines joined without their comment
/// markers.
fn following(text: &str) -> String {
    let tail: String = text.chars().take(WINDOW).collect();
    let tail = tail.replace("\\n", "\n").replace("\\\"", "\"");
    let mut lines = tail.split('\n');
    let mut out = lines.next().unwrap_or("").to_string();
    for l in lines {
        out.push(' ');
        out.push_str(strip_comment(l));
    }
    out
}

/// Length of the leading word of `s` (letters, digits and hyphens).
fn word_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_alphanumeric() || c == '-'))
        .unwrap_or(s.len())
}

/// The row names cited by the text right after `docs/sources.md` (none when it is not a
/// citation of a named row, e.g. `docs/sources.md list prices` or a link).
fn cited(after: &str) -> Vec<String> {
    let mut r = after.strip_prefix(',').unwrap_or(after);
    if !r.starts_with(' ') {
        return Vec::new();
    }
    r = r.trim_start();
    // An optional area word before a quoted name: `docs/sources.md serverless "timeout"`.
    let w = word_len(r);
    let mut area = false;
    if w > 0 && !matches!(&r[..w], "row" | "rows") && r[w..].trim_start().starts_with('"') {
        r = r[w..].trim_start();
        area = true;
    }
    // An optional `row` / `rows`: several names may follow `rows`.
    let mut several = false;
    for (kw, many) in [("rows ", true), ("row ", false)] {
        if let Some(rest) = r.strip_prefix(kw) {
            r = rest.trim_start();
            several = many;
            break;
        }
    }
    let mut names = Vec::new();
    loop {
        let close = match r.chars().next() {
            Some('"') => '"',
            Some('*') if !area && !r.starts_with("**") => '*',
            _ => break,
        };
        let body = &r[1..];
        let Some(end) = body.find(close) else { break };
        let name = &body[..end];
        // An italic name may carry its value: `*RTT same AZ: 0.2–0.5 ms*`.
        let name = if close == '*' {
            name.split(": ").next().unwrap_or(name)
        } else {
            name
        };
        names.push(name.split_whitespace().collect::<Vec<_>>().join(" "));
        r = &body[end + 1..];
        if !several {
            break;
        }
        let next = r.trim_start_matches(',').trim_start();
        let next = next.strip_prefix("and ").unwrap_or(next).trim_start();
        if next.starts_with('*') || next.starts_with('"') {
            r = next;
        } else {
            break;
        }
    }
    names
}

/// Every citation of the register: (file, line, row name).
fn citations(files: &[(String, String)]) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    for (path, text) in files {
        for (pos, _) in text.match_indices(REGISTER) {
            let line = text[..pos].matches('\n').count() + 1;
            let after = following(&text[pos + REGISTER.len()..]);
            for name in cited(&after) {
                out.push((path.clone(), line, name));
            }
        }
    }
    out
}

#[test]
fn the_citation_parser_reads_every_form() {
    let c = |s: &str| cited(&following(s));
    assert_eq!(c(r#", "RTT same AZ": one way"#), ["RTT same AZ"]);
    assert_eq!(c(r#" "Fargate": 0.04048"#), ["Fargate"]);
    assert_eq!(c(r#" serverless "memory / CPU": 128"#), ["memory / CPU"]);
    assert_eq!(c(r#", serverless "timeout""#), ["timeout"]);
    assert_eq!(c(r#", \"SQS\": standard"#), ["SQS"]);
    assert_eq!(
        c(" \"EKS control\n    /// plane\": 0.10"),
        ["EKS control plane"]
    );
    assert_eq!(
        c(" \\\"self-hosted gateway\\n# overhead\\\""),
        ["self-hosted gateway overhead"]
    );
    assert_eq!(c(" row *HPA*: sync 15 s"), ["HPA"]);
    assert_eq!(c(" row *RTT same AZ: 0.2–0.5 ms*"), ["RTT same AZ"]);
    assert_eq!(
        c(" rows *HTTP API price*, *REST API price*)"),
        ["HTTP API price", "REST API price"]
    );
    assert_eq!(
        c(" rows *AWS SDK standard retries* and *jitter*)"),
        ["AWS SDK standard retries", "jitter"]
    );
    assert_eq!(c(", *memory / CPU*: 1,769 MB"), ["memory / CPU"]);
    // Mentions that name no row.
    for s in [
        " list prices",
        ", section *Resilience*",
        "; zero them",
        "`",
        "'s HPA row",
        ": RTT same AZ 0.2–0.5 ms",
        " row)",
        "](sources.md)",
    ] {
        assert!(c(s).is_empty(), "{s:?} read as a citation: {:?}", c(s));
    }
}

#[test]
fn every_citation_of_docs_sources_md_names_a_row_of_its_tables() {
    let register = std::fs::read_to_string(root().join(REGISTER)).expect("the register exists");
    let names = row_names(&register);
    let rows: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    assert_eq!(rows.len(), names.len(), "row names must be unique");
    assert!(
        rows.len() >= 100,
        "only {} rows in {REGISTER}: the tables were not read",
        rows.len()
    );

    let files = text_files();
    let found = citations(&files);
    // Not vacuous: the citations are spread over the code, the documents and the scenarios.
    assert!(
        found.len() >= 80,
        "only {} citations found: the scan is broken",
        found.len()
    );
    for dir in ["src/", "docs/", "scenarios/"] {
        assert!(
            found.iter().any(|(p, _, _)| p.starts_with(dir)),
            "no citation found under {dir}"
        );
    }

    let unknown: Vec<String> = found
        .iter()
        .filter(|(_, _, n)| !rows.contains(n.as_str()))
        .map(|(p, l, n)| format!("{p}:{l}: cites \"{n}\", which is no row name of {REGISTER}"))
        .collect();
    assert!(unknown.is_empty(), "{}", unknown.join("\n"));

    let readme = files
        .iter()
        .find(|(p, _)| p == "README.md")
        .expect("README.md scanned");
    assert!(
        readme.1.contains("(docs/sources.md)"),
        "README.md links docs/sources.md"
    );
}

#[test]
fn no_file_mentions_the_private_reference_text() {
    // Spelled in two parts so that this file does not mention it either.
    let name = format!("{}.md", "domain");
    let hits: Vec<String> = text_files()
        .iter()
        .flat_map(|(p, t)| {
            t.lines()
                .enumerate()
                .filter(|(_, l)| l.to_lowercase().contains(&name))
                .map(move |(i, _)| format!("{p}:{}", i + 1))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(hits.is_empty(), "mentioned at: {}", hits.join(", "));
}
