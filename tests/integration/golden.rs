//! Golden results: the results document of every bundled scenario and of the reference
//! benchmark models, as `archsim run FILE --no-timings --json OUT` writes it, is byte-identical
//! to the one recorded in `tests/golden/results.sha256` (SHA-256 of each document).
//!
//! A change to the engine, the model or the results that changes any number shows here. When a
//! change is meant (a bug fix, a new field), regenerate the digests with
//! `ARCHSIM_BLESS=1 cargo test --release --test integration golden` and say in the commit which
//! documents changed and why.

use crate::common::root;
use assert_cmd::Command;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DIGESTS: &str = "tests/golden/results.sha256";

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("directory exists")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            toml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

/// The SHA-256 of the results document of `file` (relative to the repository root).
fn results_digest(file: &Path) -> String {
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().join("results.json");
    let run = Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(root())
        .arg("run")
        .arg(file)
        .args(["--quiet", "--no-timings", "--json"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        run.status.code() == Some(0),
        "{} exited with {:?}:\n{}",
        file.display(),
        run.status.code(),
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&out).expect("results written");
    format!("{:x}", Sha256::digest(&bytes))
}

#[test]
fn results_documents_are_byte_identical_to_the_recorded_ones() {
    let mut files = Vec::new();
    toml_files(&root().join("scenarios"), &mut files);
    toml_files(&root().join("benches/models"), &mut files);
    let now: BTreeMap<String, String> = files
        .iter()
        .map(|f| {
            let rel = f
                .strip_prefix(root())
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            (rel.clone(), results_digest(Path::new(&rel)))
        })
        .collect();
    let path = root().join(DIGESTS);
    if std::env::var_os("ARCHSIM_BLESS").is_some() {
        let text: String = now.iter().map(|(f, d)| format!("{d}  {f}\n")).collect();
        std::fs::write(&path, text).expect("digests written");
        return;
    }
    let text = std::fs::read_to_string(&path).expect("tests/golden/results.sha256 exists");
    let recorded: BTreeMap<String, String> = text
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(d, f)| (f.to_string(), d.to_string()))
        .collect();
    let mut wrong = Vec::new();
    for (f, d) in &now {
        match recorded.get(f) {
            Some(r) if r == d => {}
            Some(_) => wrong.push(format!("{f}: results changed")),
            None => wrong.push(format!("{f}: no recorded digest")),
        }
    }
    for f in recorded.keys().filter(|f| !now.contains_key(*f)) {
        wrong.push(format!("{f}: recorded but the file is gone"));
    }
    assert!(
        wrong.is_empty(),
        "results documents differ from {DIGESTS}:\n  {}\n(if the change is meant, regenerate \
         with ARCHSIM_BLESS=1 and explain it in the commit)",
        wrong.join("\n  ")
    );
}

#[test]
fn reference_models_are_the_builtin_benchmark_models() {
    for m in archsim::runner::bench::MODELS {
        let file = root().join(format!("benches/models/{m}.toml"));
        let expected =
            archsim::runner::bench::model_toml(m, REFERENCE_CUSTOMERS).expect("built-in model");
        if std::env::var_os("ARCHSIM_BLESS").is_some() {
            std::fs::write(&file, &expected).expect("reference model written");
        }
        let text = std::fs::read_to_string(&file).expect("reference model file");
        assert_eq!(
            text,
            expected,
            "{} differs from `archsim bench --model {m}` at {REFERENCE_CUSTOMERS} customers",
            file.display()
        );
    }
}

/// Customers of the reference model files (SimPy's default run in `benches/peers/compare.sh`).
const REFERENCE_CUSTOMERS: u64 = 200_000;
