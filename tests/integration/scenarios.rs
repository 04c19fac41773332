//! Every bundled scenario loads, validates and runs with its self-check passing — they are
//! user-facing lessons and must stay runnable.

use crate::common::root;
use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn scenario_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            scenario_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn every_bundled_scenario_validates_and_runs() {
    let mut files = Vec::new();
    scenario_files(&root().join("scenarios"), &mut files);
    assert!(
        files.len() >= 7,
        "expected the bundled scenarios, found {files:?}"
    );
    for f in files {
        Command::cargo_bin("archsim")
            .expect("binary")
            .arg("validate")
            .arg(&f)
            .assert()
            .success();
        let out = Command::cargo_bin("archsim")
            .expect("binary")
            .arg("run")
            .arg(&f)
            .args(["--replications", "2"])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{} failed:\n{}\n{}",
            f.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("self-check: ok"), "{}: {text}", f.display());
    }
}

#[test]
fn online_shop_shows_the_microservice_taxes() {
    let s = crate::common::load("scenarios/online-shop.toml");
    let r = crate::common::run(&s);
    let mono = &r.variants[0];
    let micro = &r.variants[1];
    assert_eq!(mono.name, "monolith");
    assert_eq!(micro.name, "microservices");
    // Network hops, marshalling and the gateway make every request slower…
    for entry in ["browse", "checkout"] {
        let d = &r.comparisons[0].entries[entry].latency_mean_s;
        assert!(
            d.ci95_low > 0.0,
            "{entry}: microservices should be slower, paired difference {d:?}"
        );
    }
    // …and every service instance pays its runtime's memory again.
    assert!(micro.memory_provisioned_gb.mean > mono.memory_provisioned_gb.mean);
    // Both variants carry the load.
    for v in [mono, micro] {
        assert!(
            v.availability.mean > 0.999,
            "{}: {:?}",
            v.name,
            v.availability
        );
    }
}

/// The two five-deployment lessons are one model under two workloads: from `[network]` on,
/// they differ only in the entries' `arrival` lines.
#[test]
fn the_five_deployment_lessons_share_their_model() {
    let read = |f: &str| {
        let text =
            std::fs::read_to_string(root().join("scenarios/lessons").join(f)).expect("lesson file");
        let at = text.find("[network]").expect("a [network] table");
        text[at..]
            .lines()
            .filter(|l| !l.starts_with("arrival = "))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let steady = read("five-deployment-options.toml");
    let spike = read("five-deployment-options-spike.toml");
    assert!(steady.len() > 100, "the model is in the file");
    assert_eq!(steady, spike);
}
