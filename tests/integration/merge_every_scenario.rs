//! Every shipped scenario, as `run` and as `sweep`, split into shards run as separate
//! processes and merged, gives exactly the bytes of the unsharded document (`--no-timings`).
//! Two replications keep it quick; the sweep varies `seed` (a path every scenario has), so
//! that its points differ and the merged document's seed must be the last point's.

use crate::common::root;
use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn archsim() -> Command {
    let mut c = Command::cargo_bin("archsim").expect("binary");
    c.current_dir(root());
    c.env_remove("JOB_COMPLETION_INDEX");
    c.env_remove("SLURM_ARRAY_TASK_ID");
    c
}

fn scenarios(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("scenarios")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            scenarios(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

/// Runs `args` unsharded and as `n` shards, merges, and compares the bytes.
fn check(file: &Path, args: &[&str], n: u32, dir: &Path) -> Result<(), String> {
    let whole = dir.join("whole.json");
    let out = archsim()
        .arg(args[0])
        .arg(file)
        .args(&args[1..])
        .args(["--quiet", "--no-timings", "--json"])
        .arg(&whole)
        .output()
        .expect("run");
    if !out.status.success() {
        return Err(format!(
            "unsharded: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut parts = Vec::new();
    for k in 0..n {
        let part = dir.join(format!("part-{k}.json"));
        let out = archsim()
            .arg(args[0])
            .arg(file)
            .args(&args[1..])
            .args(["--quiet", "--shard", &format!("{k}/{n}"), "--json"])
            .arg(&part)
            .output()
            .expect("shard");
        if !out.status.success() {
            return Err(format!(
                "shard {k}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        parts.push(part);
    }
    let merged = dir.join("merged.json");
    let out = archsim()
        .arg("merge")
        .args(&parts)
        .args(["--no-timings", "-o"])
        .arg(&merged)
        .output()
        .expect("merge");
    if !out.status.success() {
        return Err(format!("merge: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let a = std::fs::read(&whole).expect("whole");
    let b = std::fs::read(&merged).expect("merged");
    if a != b {
        let at = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        let from = at.saturating_sub(120);
        return Err(format!(
            "merged differs from unsharded at byte {at}:\n  unsharded: {}\n  merged:    {}",
            String::from_utf8_lossy(&a[from..(at + 120).min(a.len())]),
            String::from_utf8_lossy(&b[from..(at + 120).min(b.len())])
        ));
    }
    Ok(())
}

#[test]
fn every_shipped_scenario_merges_into_exactly_the_unsharded_run_and_sweep() {
    let mut files = Vec::new();
    scenarios(&root().join("scenarios"), &mut files);
    assert!(files.len() >= 30, "found only {} scenarios", files.len());
    let dir = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(root()).unwrap_or(f).display().to_string();
        if let Err(e) = check(f, &["run", "--replications", "2"], 2, dir.path()) {
            failures.push(format!("run {rel}: {e}"));
        }
        // Three points in two shards: shard 0 holds points 0 and 2, shard 1 point 1.
        let sweep = ["sweep", "--set", "seed=1,2,3", "--replications", "2"];
        if let Err(e) = check(f, &sweep, 2, dir.path()) {
            failures.push(format!("sweep {rel}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
