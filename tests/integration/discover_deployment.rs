//! `archsim discover --deployment`: replicas, CPU and memory limits of the "as observed"
//! variant from a hand-written Kubernetes manifest and docker-compose file
//! (tests/fixtures/traces/shop-k8s.yaml, shop-compose.yaml); bad manifests fail with their
//! position and field, exit 2.

use crate::common::root;
use archsim::discover::manifest;
use archsim::discover::Deployed;
use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/traces").join(name)
}

fn parse(name: &str) -> manifest::Manifest {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture");
    manifest::parse(&text, name).expect("parses")
}

const MI: u64 = 1024 * 1024;

fn dep(file: &str, replicas: Option<u64>, cores: Option<f64>, mem: Option<u64>) -> Deployed {
    Deployed {
        file: file.into(),
        replicas,
        cores,
        memory_bytes: mem,
    }
}

#[test]
fn kubernetes_manifest_sums_containers_and_skips_other_kinds() {
    let m = parse("shop-k8s.yaml");
    let f = "shop-k8s.yaml";
    let got: Vec<(&str, &Deployed)> = m.entries.iter().map(|(k, d)| (k.as_str(), d)).collect();
    assert_eq!(
        got,
        vec![
            // 500m + 250m; 512Mi + 64Mi.
            ("frontend", &dep(f, Some(3), Some(0.75), Some(576 * MI))),
            ("orders", &dep(f, Some(2), Some(2.0), Some(1024 * MI))),
            // cpu: 1 (a YAML number); 2G = 2·10⁹ bytes.
            ("payments", &dep(f, Some(5), Some(1.0), Some(2_000_000_000))),
        ]
    );
    assert_eq!(
        m.skipped,
        vec!["shop-k8s.yaml: document 2: Service `frontend` (not a workload)"]
    );
    assert!(m.notes.is_empty(), "{:?}", m.notes);
}

#[test]
fn compose_file_reads_deploy_and_legacy_limits() {
    let m = parse("shop-compose.yaml");
    let f = "shop-compose.yaml";
    let got: Vec<(&str, &Deployed)> = m.entries.iter().map(|(k, d)| (k.as_str(), d)).collect();
    assert_eq!(
        got,
        vec![
            // Compose byte units are powers of 1024: 256M = 256 MiB.
            ("inventory", &dep(f, Some(4), Some(1.5), Some(256 * MI))),
            ("pricing", &dep(f, None, Some(0.5), Some(1024 * MI))),
            ("redis", &dep(f, None, None, None)),
        ]
    );
}

#[test]
fn a_container_without_a_limit_leaves_the_pod_limit_unknown() {
    let y = "kind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      \
             containers:\n        - name: x\n          resources: {limits: {cpu: 1}}\n        \
             - name: y\n";
    let m = manifest::parse(y, "a.yaml").expect("parses");
    assert_eq!(m.entries["a"], dep("a.yaml", None, None, None));
    assert_eq!(m.notes.len(), 1);
    assert!(
        m.notes[0].contains("container(s) y have no cpu limit"),
        "{:?}",
        m.notes
    );
}

fn cli() -> Command {
    Command::cargo_bin("archsim").expect("binary")
}

fn discover(dir: &Path, manifests: &[&Path]) -> std::process::Output {
    let mut c = cli();
    c.arg("discover").arg(fixture("shop-zipkin.json"));
    for m in manifests {
        c.arg("--deployment").arg(m);
    }
    c.arg("-o")
        .arg(dir.join("m.toml"))
        .arg("--report-json")
        .arg(dir.join("r.json"));
    c.output().expect("runs")
}

#[test]
fn the_as_observed_variant_takes_the_manifests_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = discover(
        dir.path(),
        &[&fixture("shop-k8s.yaml"), &fixture("shop-compose.yaml")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let toml = std::fs::read_to_string(dir.path().join("m.toml")).expect("model");
    for unit in [
        "name = \"frontend\"\nmodules = [\"frontend\"]\nreplicas = 3\ncores = 0.75\nbase_memory = \"603979776B\"\n",
        "name = \"inventory\"\nmodules = [\"inventory\"]\nreplicas = 4\ncores = 1.5\nbase_memory = \"268435456B\"\n",
        "name = \"orders\"\nmodules = [\"orders\"]\nreplicas = 2\ncores = 2\nbase_memory = \"1073741824B\"\n",
        // No replicas in the compose file: the one instance seen in the traces.
        "name = \"pricing\"\nmodules = [\"pricing\"]\nreplicas = 1\ncores = 0.5\nbase_memory = \"1073741824B\"\n",
    ] {
        assert!(toml.contains(unit), "{unit} not in\n{toml}");
    }
    archsim::scenario::load(&dir.path().join("m.toml")).expect("the model validates");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).expect("json"))
            .expect("json");
    let k8s = format!("manifest {}", fixture("shop-k8s.yaml").display());
    let compose = format!("manifest {}", fixture("shop-compose.yaml").display());
    assert_eq!(r["units"][0]["unit"], "frontend");
    assert_eq!(r["units"][0]["replicas_from"], k8s.as_str());
    assert_eq!(r["units"][0]["cores_from"], k8s.as_str());
    assert_eq!(r["units"][3]["unit"], "pricing");
    assert_eq!(r["units"][3]["replicas_from"], "instances seen (1)");
    assert_eq!(r["units"][3]["memory_from"], compose.as_str());
    let unmatched: Vec<String> = r["manifest_unmatched"]
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v.as_str().expect("str").to_string())
        .collect();
    assert_eq!(
        unmatched,
        vec![
            format!("{}: payments", fixture("shop-k8s.yaml").display()),
            format!("{}: redis", fixture("shop-compose.yaml").display()),
        ]
    );
    assert_eq!(r["services_without_manifest"], serde_json::json!([]));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("manifest entries matching no service:"),
        "{text}"
    );
    assert!(
        text.contains("Service `frontend` (not a workload)"),
        "{text}"
    );
}

#[test]
fn services_without_a_manifest_entry_keep_the_observed_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = discover(dir.path(), &[&fixture("shop-k8s.yaml")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).expect("json"))
            .expect("json");
    assert_eq!(
        r["services_without_manifest"],
        serde_json::json!(["inventory", "pricing"])
    );
    assert_eq!(r["units"][1]["unit"], "inventory");
    assert_eq!(r["units"][1]["replicas"], 1);
    assert_eq!(r["units"][1]["cores_from"], "default");
    assert_eq!(r["units"][1]["memory_from"], "default");
}

fn fails(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    let o = discover(dir, &[&p]);
    assert_eq!(o.status.code(), Some(2), "{name}");
    assert!(!dir.join("m.toml").exists());
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn bad_manifests_fail_with_file_position_and_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let err = fails(d, "syntax.yaml", "kind: Deployment\nmetadata: [name: a\n");
    assert!(err.contains("syntax.yaml:"), "{err}");
    let err = fails(
        d,
        "cpu.yaml",
        "kind: Deployment\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      \
         containers:\n        - resources:\n            limits:\n              cpu: lots\n",
    );
    assert!(err.contains("cpu.yaml:10:"), "{err}");
    assert!(
        err.contains("spec.template.spec.containers[0].resources.limits.cpu"),
        "{err}"
    );
    assert!(err.contains("expected a CPU quantity"), "{err}");
    let err = fails(
        d,
        "mem.yaml",
        "services:\n  a:\n    deploy:\n      resources:\n        limits:\n          memory: 12XB\n",
    );
    assert!(err.contains("mem.yaml:6:"), "{err}");
    assert!(
        err.contains("services.a.deploy.resources.limits.memory"),
        "{err}"
    );
    let err = fails(
        d,
        "rep.yaml",
        "kind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: two}\n",
    );
    assert!(
        err.contains("rep.yaml:3:") && err.contains("spec.replicas"),
        "{err}"
    );
    let err = fails(
        d,
        "zero.yaml",
        "services:\n  a:\n    deploy: {replicas: 0}\n",
    );
    assert!(
        err.contains("field `deploy.replicas`: expected 1 to 100000"),
        "{err}"
    );
    let err = fails(d, "what.yaml", "foo: 1\n");
    assert!(err.contains("neither a Kubernetes object"), "{err}");
    let err = fails(
        d,
        "twice.yaml",
        "kind: Deployment\nmetadata: {name: a}\n---\nkind: Deployment\nmetadata: {name: a}\n",
    );
    assert!(err.contains("`a` declared twice"), "{err}");
}

/// A path that names no file is bad input (exit 2), as for every command; the message names
/// the path.
#[test]
fn a_missing_manifest_or_trace_file_is_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nowhere.yaml");
    let o = discover(dir.path(), &[&missing]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nowhere.yaml"));
    let o = cli()
        .arg("discover")
        .arg(dir.path().join("no-traces.json"))
        .arg("-o")
        .arg(dir.path().join("m.toml"))
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-traces.json"));
    assert!(!dir.path().join("m.toml").exists());
}
