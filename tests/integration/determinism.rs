//! Same seed ⇒ identical results, whatever the thread count; another seed ⇒ other numbers.

use crate::common::{load, root};
use archsim::runner::{self, RunOptions};
use assert_cmd::Command;

/// The results document without its timing fields (`engine.wall_s`, `engine.events_per_s`).
fn without_timings(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(vs) = v.get_mut("variants").and_then(|x| x.as_array_mut()) {
        for var in vs {
            if let Some(e) = var.get_mut("engine").and_then(|e| e.as_object_mut()) {
                e.remove("wall_s");
                e.remove("events_per_s");
            }
        }
    }
    v
}

fn run_json(threads: usize, seed: Option<u64>) -> serde_json::Value {
    let s = load("scenarios/online-shop.toml");
    let r = runner::run(
        &s,
        &RunOptions {
            threads: Some(threads),
            seed,
            replications: Some(4),
            ..Default::default()
        },
    )
    .expect("run");
    without_timings(serde_json::to_value(&r).expect("serializable"))
}

#[test]
fn same_seed_same_results_for_one_and_two_threads() {
    let one = run_json(1, None);
    let two = run_json(2, None);
    assert_eq!(
        serde_json::to_string(&one).expect("json"),
        serde_json::to_string(&two).expect("json")
    );
}

#[test]
fn another_seed_gives_other_numbers() {
    let a = run_json(2, Some(1));
    let b = run_json(2, Some(2));
    let pa = &a["variants"][0]["entries"]["browse"]["latency_s"]["p99"]["mean"];
    let pb = &b["variants"][0]["entries"]["browse"]["latency_s"]["p99"]["mean"];
    assert_ne!(pa, pb);
}

#[test]
fn cli_json_is_byte_identical_across_thread_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("r{threads}.json"));
        Command::cargo_bin("archsim")
            .expect("binary")
            .current_dir(root())
            .args([
                "run",
                "scenarios/queueing/jackson.toml",
                "--replications",
                "3",
                "--quiet",
                "--threads",
                threads,
                "--json",
            ])
            .arg(&out)
            .assert()
            .success();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("json");
        outs.push(serde_json::to_string_pretty(&without_timings(v)).expect("json"));
    }
    assert_eq!(outs[0], outs[1]);
}
