//! Fuzzing on stable Rust, inside the test command (proptest): mutated scenarios through the
//! parser and resolver (`parse`), mutated partial and results documents through `merge` and
//! `report` (`documents`), the same documents edited value by value and the parts resealed
//! with fresh digests so that the edits reach the merge's checks (`structured`), random valid scenarios through whole runs (`valid`, built by `gen`),
//! and the committed corpus of inputs that once broke something (`corpus`).
//!
//! Each property runs a modest number of cases so that the suite stays quick (docs/testing.md);
//! `ARCHSIM_FUZZ_CASES=N` multiplies every count by N for a longer session. proptest draws a
//! fresh seed each run, so every run of the test command explores new inputs; a failure prints
//! the minimal input, which then belongs in `tests/fuzz_corpus/`.

mod corpus;
mod documents;
mod gen;
mod mutate;
mod parse;
mod structured;
mod valid;

use proptest::test_runner::{Config, FileFailurePersistence};

/// The proptest configuration of a fuzz property: `base` cases times `ARCHSIM_FUZZ_CASES`
/// (default 1); failures are not persisted next to the sources (the corpus holds reproducers).
pub fn config(base: u32) -> Config {
    let factor = std::env::var("ARCHSIM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1);
    Config {
        cases: base.saturating_mul(factor),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        max_shrink_iters: 256,
        ..Config::default()
    }
}

/// Every `.toml` under `dir`, sorted.
pub fn toml_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
