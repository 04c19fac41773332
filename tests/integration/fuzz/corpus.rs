//! Replays the committed corpus (`tests/fuzz_corpus/`): inputs that once broke something, or
//! probe a limit, each checked as its fuzz property checks it.
//!
//! - `scenarios/*.toml`: through the parser and resolver (`parse::check_scenario_bytes`).
//! - `valid/*.toml`: generated or hand-written valid scenarios, run on 1 and 2 threads
//!   (`valid::check_generated`).
//! - `merge/NAME/*.json`: the parts of one merge (`documents::check_merge`).
//! - `report/*.json`: through `report` (`documents::check_report`).

use crate::common::root;
use std::path::Path;

fn files(dir: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == ext));
    out.sort();
    out
}

#[test]
fn the_scenario_corpus_gives_located_errors_or_valid_scenarios() {
    let fs = files(&root().join("tests/fuzz_corpus/scenarios"), "toml");
    assert!(!fs.is_empty());
    for f in fs {
        let bytes = std::fs::read(&f).expect("read");
        super::parse::check_scenario_bytes(&bytes);
    }
}

#[test]
fn the_valid_corpus_runs_deterministically_and_passes_the_self_check() {
    let fs = files(&root().join("tests/fuzz_corpus/valid"), "toml");
    assert!(!fs.is_empty());
    for f in fs {
        let text = std::fs::read_to_string(&f).expect("read");
        super::valid::check_generated(&text);
    }
}

#[test]
fn the_merge_and_report_corpus_never_panics() {
    let dir = root().join("tests/fuzz_corpus/merge");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let parts: Vec<String> = files(&case, "json")
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("read"))
            .collect();
        super::documents::check_merge(&parts);
    }
    let fs = files(&root().join("tests/fuzz_corpus/report"), "json");
    assert!(!fs.is_empty());
    for f in fs {
        super::documents::check_report(&String::from_utf8_lossy(&std::fs::read(&f).expect("read")));
    }
}
