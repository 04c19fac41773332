//! `archsim merge` refuses parts that do not make the whole run or sweep — interrupted,
//! missing, overlapping, mismatched, altered, out-of-range or malformed — with exit 2 and a
//! message naming the difference, never a panic; `--allow-partial` merges what exists and
//! lists what is missing in the document's `partial` field. `report` on a part points to
//! `merge`. Parts are altered here the way a user or a broken copy would, and, where the
//! digests would catch the change first, re-sealed with `archsim::plan::part::seal` to reach
//! the later checks.

use crate::common::root;
use archsim::plan::part::{self, PartFile, PartIdentity, PartKind};
use archsim::runner::shard::{RunPartial, Shard};
use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn archsim() -> Command {
    let mut c = Command::cargo_bin("archsim").expect("binary");
    c.current_dir(root());
    c.env_remove("JOB_COMPLETION_INDEX");
    c.env_remove("SLURM_ARRAY_TASK_ID");
    c
}

const SCENARIO: &str = "scenarios/queueing/mm1.toml";

/// Writes the parts of `run SCENARIO --replications reps` split in `n`, and the unsharded
/// document (`whole.json`, without timings).
fn run_parts(dir: &Path, reps: u32, n: u32) -> Vec<PathBuf> {
    let reps = reps.to_string();
    archsim()
        .args([
            "run",
            SCENARIO,
            "--replications",
            &reps,
            "--quiet",
            "--no-timings",
        ])
        .arg("--json")
        .arg(dir.join("whole.json"))
        .assert()
        .success();
    (0..n)
        .map(|k| {
            let p = dir.join(format!("part-{k}.json"));
            archsim()
                .args(["run", SCENARIO, "--replications", &reps, "--quiet"])
                .args(["--shard", &format!("{k}/{n}"), "--json"])
                .arg(&p)
                .assert()
                .success();
            p
        })
        .collect()
}

fn merge(parts: &[PathBuf], extra: &[&str], out: &Path) -> assert_cmd::assert::Assert {
    archsim()
        .arg("merge")
        .args(parts)
        .args(extra)
        .arg("-o")
        .arg(out)
        .assert()
}

fn refused(parts: &[PathBuf], out: &Path, says: &[&str]) {
    let a = merge(parts, &[], out).code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    for s in says {
        assert!(err.contains(s), "expected `{s}` in: {err}");
    }
    assert!(!out.exists(), "a refused merge wrote {}", out.display());
}

fn read_part(p: &Path) -> PartFile {
    serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("part")
}

fn run_payload(f: &PartFile) -> RunPartial {
    serde_json::from_str(f.payload.get()).expect("run payload")
}

/// Writes a run part with a changed payload, re-sealed (valid digests).
fn reseal_run(to: &Path, f: &PartFile, shard: Shard, p: &RunPartial) {
    let text = part::seal(PartKind::Run, shard, f.identity.clone(), p).expect("seal");
    std::fs::write(to, text).expect("write");
}

#[test]
fn an_interrupted_shard_is_refused_unless_allow_partial() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let parts = run_parts(d, 8, 2);
    // Shard 0 was interrupted after 1 of its 4 replications: the others are `null`.
    let f = read_part(&parts[0]);
    let mut p = run_payload(&f);
    for v in &mut p.reps {
        for r in v.iter_mut().skip(1) {
            *r = None;
        }
    }
    let cut = d.join("cut-0.json");
    reseal_run(&cut, &f, f.shard, &p);
    let both = [cut.clone(), parts[1].clone()];
    refused(
        &both,
        &d.join("m.json"),
        &[
            "incomplete",
            "holds 1 of its 4 replications",
            "1–3",
            "--allow-partial",
        ],
    );
    let out = d.join("partial.json");
    merge(&both, &["--allow-partial"], &out).success();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("out")).expect("json");
    assert_eq!(doc["replications"], 5);
    assert_eq!(doc["partial"]["shards"], 2);
    assert_eq!(
        doc["partial"]["missing_replications"],
        serde_json::json!([1, 2, 3])
    );
    assert_eq!(doc["partial"]["missing_shards"], serde_json::json!([]));
    assert!(doc["warnings"][0]
        .as_str()
        .unwrap_or("")
        .contains("partial merge: 5 of 8"));
    // A missing shard: refused, then merged partially with the shard listed.
    refused(
        &parts[..1],
        &d.join("m.json"),
        &["no part for shard(s) 1 of 2", "4–7"],
    );
    merge(&parts[..1], &["--allow-partial"], &out).success();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("out")).expect("json");
    assert_eq!(doc["partial"]["missing_shards"], serde_json::json!([1]));
    assert_eq!(
        doc["partial"]["missing_replications"],
        serde_json::json!([4, 5, 6, 7])
    );
    // The complete merge has no `partial` field and equals the unsharded run.
    let full = d.join("full.json");
    merge(&parts, &["--no-timings"], &full).success();
    assert_eq!(
        std::fs::read(&full).expect("full"),
        std::fs::read(d.join("whole.json")).expect("whole")
    );
}

#[test]
fn overlapping_repeated_and_foreign_replications_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let parts = run_parts(d, 4, 2);
    // Shard 1 claims replication 1 too (shard 0's).
    let f = read_part(&parts[1]);
    let mut p = run_payload(&f);
    let f0 = read_part(&parts[0]);
    let p0 = run_payload(&f0);
    p.ks.insert(0, 1);
    for (v, list) in p.reps.iter_mut().enumerate() {
        list.insert(0, p0.reps[v][1].clone());
    }
    let over = d.join("over-1.json");
    reseal_run(&over, &f, f.shard, &p);
    refused(
        &[parts[0].clone(), over.clone()],
        &d.join("m.json"),
        &["replication 1 is in both", "overlapping"],
    );
    // Alone it holds a replication of another shard.
    refused(
        &[over],
        &d.join("m.json"),
        &["holds replication 1, which belongs to another shard"],
    );
    // The same shard twice.
    let copy = d.join("copy-0.json");
    std::fs::copy(&parts[0], &copy).expect("copy");
    refused(
        &[parts[0].clone(), copy],
        &d.join("m.json"),
        &["shard 0/2 is given twice"],
    );
    // Parts of two different splits of the same run.
    let other = d.join("three-0.json");
    archsim()
        .args([
            "run",
            SCENARIO,
            "--replications",
            "4",
            "--quiet",
            "--shard",
            "0/3",
            "--json",
        ])
        .arg(&other)
        .assert()
        .success();
    refused(
        &[other, parts[1].clone()],
        &d.join("m.json"),
        &["not parts of one run", "`shards` differs"],
    );
}

#[test]
fn mismatched_parts_name_the_field_that_differs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let parts = run_parts(d, 4, 2);
    let seeded = d.join("seed-1.json");
    archsim()
        .args([
            "run",
            SCENARIO,
            "--replications",
            "4",
            "--seed",
            "99",
            "--quiet",
        ])
        .args(["--shard", "1/2", "--json"])
        .arg(&seeded)
        .assert()
        .success();
    refused(
        &[parts[0].clone(), seeded],
        &d.join("m.json"),
        &["`seed` differs: 99 in", "seed-1.json", "part-0.json"],
    );
    let more = d.join("reps-1.json");
    archsim()
        .args(["run", SCENARIO, "--replications", "6", "--quiet"])
        .args(["--shard", "1/2", "--json"])
        .arg(&more)
        .assert()
        .success();
    refused(
        &[parts[0].clone(), more],
        &d.join("m.json"),
        &["`replications` differs"],
    );
    // Another scenario text (a comment added): named by its digest.
    let text = std::fs::read_to_string(root().join(SCENARIO)).expect("scenario");
    let edited = d.join("edited.toml");
    std::fs::write(&edited, format!("# edited\n{text}")).expect("write");
    let other = d.join("text-1.json");
    archsim()
        .arg("run")
        .arg(&edited)
        .args(["--replications", "4", "--quiet", "--shard", "1/2", "--json"])
        .arg(&other)
        .assert()
        .success();
    refused(
        &[parts[0].clone(), other],
        &d.join("m.json"),
        &["the scenario text (its SHA-256) differs"],
    );
    // A run part and a sweep part.
    let sweep = d.join("sweep-1.json");
    archsim()
        .args([
            "sweep",
            SCENARIO,
            "--set",
            "workload.entries.req.arrival.rate=0.2,0.4",
        ])
        .args(["--replications", "2", "--quiet", "--shard", "1/2", "--json"])
        .arg(&sweep)
        .assert()
        .success();
    refused(
        &[parts[0].clone(), sweep],
        &d.join("m.json"),
        &["is of a sweep"],
    );
}

#[test]
fn altered_parts_are_detected_by_their_digests() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let parts = run_parts(d, 4, 2);
    let text = std::fs::read_to_string(&parts[1]).expect("part");
    // A cut-down histogram: the last latency bucket's count lowered (p99 would change).
    let f = read_part(&parts[1]);
    let payload = f.payload.get();
    let at = payload.find("\"counts\":[").expect("a histogram");
    let digits = at
        + payload[at..]
            .find(|c: char| c.is_ascii_digit())
            .expect("digit");
    let mut changed = payload.to_string();
    changed.replace_range(
        digits..digits + 1,
        if &payload[digits..=digits] == "9" {
            "8"
        } else {
            "9"
        },
    );
    let cut = d.join("cut-1.json");
    std::fs::write(&cut, text.replacen(payload, &changed, 1)).expect("write");
    refused(
        &[parts[0].clone(), cut],
        &d.join("m.json"),
        &["cut-1.json", "payload altered"],
    );
    // A truncated file.
    let trunc = d.join("trunc-1.json");
    std::fs::write(&trunc, &text[..text.len() / 2]).expect("write");
    refused(
        &[parts[0].clone(), trunc],
        &d.join("m.json"),
        &["trunc-1.json", "not a part"],
    );
    // The header's seed edited without its digest.
    let header = d.join("header-1.json");
    std::fs::write(&header, text.replacen("\"seed\": ", "\"seed\": 1", 1)).expect("write");
    refused(
        &[parts[0].clone(), header],
        &d.join("m.json"),
        &["header altered"],
    );
    // Another format version, and a part of the layout without one.
    let v2 = d.join("v2-1.json");
    std::fs::write(
        &v2,
        text.replacen("\"format_version\": 2", "\"format_version\": 1", 1),
    )
    .expect("write");
    refused(
        &[parts[0].clone(), v2],
        &d.join("m.json"),
        &["part format version 1"],
    );
    let old = d.join("old-1.json");
    std::fs::write(&old, r#"{"partial":"run","shard":{"index":1,"count":2}}"#).expect("write");
    refused(
        &[parts[0].clone(), old],
        &d.join("m.json"),
        &["older archsim"],
    );
    // A complete results document is not a part.
    refused(&[d.join("whole.json")], &d.join("m.json"), &["not a part"]);
}

#[test]
fn inconsistent_parts_with_valid_digests_are_refused_without_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let parts = run_parts(d, 4, 2);
    let f = read_part(&parts[1]);
    let p = run_payload(&f);
    let write = |name: &str, shard: Shard, id: PartIdentity, p: &RunPartial| {
        let path = d.join(name);
        std::fs::write(
            &path,
            part::seal(PartKind::Run, shard, id, p).expect("seal"),
        )
        .expect("write");
        path
    };
    // Shard index ≥ count.
    let bad = write(
        "index.json",
        Shard { index: 7, count: 2 },
        f.identity.clone(),
        &p,
    );
    refused(
        &[parts[0].clone(), bad],
        &d.join("m.json"),
        &["shard index 7 is out of range"],
    );
    // A huge shard count (the merge must not allocate per shard).
    let mut id = f.identity.clone();
    id.shards = u32::MAX;
    let huge = write(
        "huge.json",
        Shard {
            index: 1,
            count: u32::MAX,
        },
        id,
        &p,
    );
    refused(&[huge], &d.join("m.json"), &["out of range (1 to 10000)"]);
    // A replication with no entries.
    let mut empty = p.clone();
    if let Some(Some(r)) = empty.reps[0].first_mut() {
        r.entries.clear();
    }
    let e = write("entries.json", f.shard, f.identity.clone(), &empty);
    refused(
        &[parts[0].clone(), e],
        &d.join("m.json"),
        &["does not fit the scenario", "0 entries"],
    );
    // Series of unequal length between replications.
    let mut short = p.clone();
    if let Some(Some(r)) = short.reps[0].last_mut() {
        for s in &mut r.series.throughput {
            s.pop();
        }
    }
    let s = write("series.json", f.shard, f.identity.clone(), &short);
    refused(
        &[parts[0].clone(), s],
        &d.join("m.json"),
        &["time series differ"],
    );
    // Measurements missing for a listed replication.
    let mut fewer = p.clone();
    fewer.reps[0].pop();
    let m = write("fewer.json", f.shard, f.identity.clone(), &fewer);
    refused(
        &[parts[0].clone(), m],
        &d.join("m.json"),
        &["another number of measurements"],
    );
}

#[test]
fn huge_or_empty_shard_splits_are_refused_before_running() {
    for (args, says) in [
        (
            vec!["run", SCENARIO, "--shard", "0/4294967295"],
            "at most 10000 shards",
        ),
        (
            vec!["run", SCENARIO, "--replications", "3", "--shard", "0/4"],
            "4 shards for 3 replications",
        ),
        (
            vec![
                "sweep",
                SCENARIO,
                "--set",
                "workload.entries.req.arrival.rate=0.2,0.4",
                "--shard",
                "0/3",
            ],
            "3 shards for 2 points",
        ),
    ] {
        let a = archsim()
            .args(&args)
            .args(["--quiet", "--json", "/dev/null"])
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn report_on_a_part_says_to_merge_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let part = d.join("part-0.json");
    archsim()
        .args([
            "run",
            SCENARIO,
            "--replications",
            "2",
            "--quiet",
            "--shard",
            "0/2",
            "--json",
        ])
        .arg(&part)
        .assert()
        .success();
    let a = archsim()
        .arg("report")
        .arg(&part)
        .arg("-o")
        .arg(d.join("r.html"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("partial result of a sharded run (shard 0/2)"),
        "{err}"
    );
    assert!(err.contains("archsim merge"), "{err}");
}
