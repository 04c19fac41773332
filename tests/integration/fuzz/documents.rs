//! `merge` and `report` inputs: mutated partial results (of a sharded run and of a sharded
//! sweep) through `app::tools::merge`, and mutated results documents (a run's, a sweep's, a
//! partial's) through `app::tools::report_html` — the functions behind `archsim merge` and
//! `archsim report` — must give a document or an error, never a panic.

use super::mutate::{apply, mutations};
use assert_cmd::Command;
use proptest::prelude::*;
use std::sync::OnceLock;

/// Two units, a database, a queue and a fault, in two variants: every section of a results
/// document is there, and it stays small (short run, wide windows).
pub const SCENARIO: &str = r#"
name = "documents"
seed = 3
replications = 4
[workload]
duration = "20s"
window = "5s"
[[workload.entries]]
name = "req"
op = "front.work"
arrival = { process = "poisson", rate = 40 }
timeout = "500ms"
[modules.front]
ops.work = { cpu = { dist = "exp", mean = "2ms" }, calls = [ { op = "back.get", retry = {}, breaker = { window = 20, min_calls = 5 } }, { publish = "events", op = "back.consume", p = 0.5 }, { op = "db.read" } ] }
[modules.back]
ops.get = { cpu = { dist = "exp", mean = "5ms" } }
ops.consume = { cpu = "1ms" }
[datastores.db]
ops.read = { time = "1ms" }
[[variants]]
name = "one"
[[variants.units]]
name = "front"
modules = ["front", "back"]
[[variants.databases]]
name = "db"
stores = ["db"]
[[variants.queues]]
name = "events"
publish_latency = "5ms"
visibility_timeout = "30s"
consumers = 4
[[variants]]
name = "two"
[[variants.units]]
name = "front"
modules = ["front"]
[[variants.units]]
name = "back"
modules = ["back"]
replicas = 2
[[variants.databases]]
name = "db"
stores = ["db"]
[[variants.queues]]
name = "events"
publish_latency = "5ms"
visibility_timeout = "30s"
consumers = 4
[[faults]]
kind = "error"
target = "back"
at = "5s"
duration = "5s"
rate = 0.3
"#;

/// Valid documents made by the command line once: run parts, sweep parts, and the whole run
/// and sweep documents.
pub struct Docs {
    /// The two parts of `run --shard K/2`.
    pub run_parts: Vec<String>,
    /// The two parts of `sweep --shard K/2`.
    pub sweep_parts: Vec<String>,
    /// `run --json`.
    pub run: String,
    /// `sweep --json`.
    pub sweep: String,
}

fn archsim(dir: &std::path::Path, args: &[&str], out: &str) -> String {
    let path = dir.join(out);
    Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .args(["--quiet", "--json"])
        .arg(&path)
        .assert()
        .success();
    std::fs::read_to_string(&path).expect("document written")
}

/// The documents, made on first use.
pub fn docs() -> &'static Docs {
    static DOCS: OnceLock<Docs> = OnceLock::new();
    DOCS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("s.toml"), SCENARIO).expect("write");
        let d = dir.path();
        let set = "workload.entries.req.arrival.rate=20,40";
        Docs {
            run_parts: (0..2)
                .map(|k| {
                    archsim(
                        d,
                        &["run", "s.toml", "--shard", &format!("{k}/2")],
                        "p.json",
                    )
                })
                .collect(),
            sweep_parts: (0..2)
                .map(|k| {
                    let shard = format!("{k}/2");
                    archsim(
                        d,
                        &["sweep", "s.toml", "--set", set, "--shard", &shard],
                        "q.json",
                    )
                })
                .collect(),
            run: archsim(d, &["run", "s.toml"], "r.json"),
            sweep: archsim(d, &["sweep", "s.toml", "--set", set], "w.json"),
        }
    })
}

/// Merges `parts`; any outcome but a panic is fine, and a merged document must be JSON.
pub fn check_merge(parts: &[String]) {
    let named: Vec<(String, String)> = parts
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("part-{i}.json"), t.clone()))
        .collect();
    for (no_timings, allow_partial) in [(false, false), (true, false), (false, true)] {
        if let Ok(json) = archsim::app::tools::merge(&named, no_timings, allow_partial) {
            assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        }
    }
}

/// Renders `text` as `archsim report` does; any outcome but a panic is fine.
pub fn check_report(text: &str) {
    if let Ok(html) = archsim::app::tools::report_html("fuzz.json", text) {
        assert!(html.contains("<html") || html.contains("<!DOCTYPE") || html.contains("<!doctype"));
    }
}

#[test]
fn the_unmutated_documents_merge_and_report() {
    let d = docs();
    let run = archsim::app::tools::merge(
        &[
            ("a".into(), d.run_parts[0].clone()),
            ("b".into(), d.run_parts[1].clone()),
        ],
        false,
        false,
    );
    assert!(run.is_ok(), "{:?}", run.err());
    let sweep = archsim::app::tools::merge(
        &[
            ("a".into(), d.sweep_parts[0].clone()),
            ("b".into(), d.sweep_parts[1].clone()),
        ],
        false,
        false,
    );
    assert!(sweep.is_ok(), "{:?}", sweep.err());
    for doc in [&d.run, &d.sweep] {
        assert!(archsim::app::tools::report_html("doc.json", doc).is_ok());
    }
}

proptest! {
    #![proptest_config(super::config(60))]

    #[test]
    fn mutated_parts_merge_or_fail_without_panic(
        sweep in any::<bool>(),
        which in 0usize..3,
        ms in mutations(),
    ) {
        let d = docs();
        let mut parts = if sweep { d.sweep_parts.clone() } else { d.run_parts.clone() };
        match which {
            0 | 1 => parts[which] = String::from_utf8_lossy(&apply(parts[which].as_bytes(), &ms)).into_owned(),
            _ => {
                // Both parts mutated alike (the same field changed in both stays consistent).
                for p in &mut parts {
                    *p = String::from_utf8_lossy(&apply(p.as_bytes(), &ms)).into_owned();
                }
            }
        }
        check_merge(&parts);
    }

    #[test]
    fn mutated_documents_report_or_fail_without_panic(
        which in 0usize..3,
        ms in mutations(),
    ) {
        let d = docs();
        let doc = [&d.run, &d.sweep, &d.run_parts[0]][which];
        check_report(&String::from_utf8_lossy(&apply(doc.as_bytes(), &ms)));
    }
}
