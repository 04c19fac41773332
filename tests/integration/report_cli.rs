//! `archsim report` (HTML report of a results document) and `archsim schema --results`.

use crate::common::root;
use assert_cmd::Command;

fn archsim() -> Command {
    let mut c = Command::cargo_bin("archsim").expect("binary");
    c.current_dir(root());
    c
}

#[test]
fn report_writes_a_self_contained_page_with_the_results() {
    let dir = tempfile::tempdir().expect("tmp");
    let json = dir.path().join("r.json");
    let html = dir.path().join("r.html");
    archsim()
        .args([
            "run",
            "scenarios/queueing/mm1.toml",
            "--replications",
            "2",
            "--quiet",
            "--json",
        ])
        .arg(&json)
        .assert()
        .success();
    archsim()
        .arg("report")
        .arg(&json)
        .arg("-o")
        .arg(&html)
        .assert()
        .success();
    let page = std::fs::read_to_string(&html).expect("html");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("json");
    // the embedded document is the results document, unchanged
    let start = page.find("id=\"results-data\">").expect("data") + "id=\"results-data\">".len();
    let end = start + page[start..].find("</script>").expect("end");
    let embedded: serde_json::Value =
        serde_json::from_str(&page[start..end].replace("\\u003c", "<")).expect("embedded json");
    assert_eq!(embedded, results);
    assert!(page.contains(archsim::report::REPORT_JS.get(..200).expect("script")));
    assert!(!page.contains("<script src="), "no external script");
}

#[test]
fn report_of_a_non_results_file_is_bad_input() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"scenario\": 3}").expect("write");
    archsim()
        .arg("report")
        .arg(&bad)
        .args(["-o", "/dev/null"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a results document"));
}

#[test]
fn schema_of_the_results_document_names_its_fields() {
    let out = archsim()
        .args(["schema", "--results"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let props = v["properties"].as_object().expect("properties");
    for k in ["variants", "comparisons", "self_check", "seed"] {
        assert!(props.contains_key(k), "{k}");
    }
    assert!(v["$defs"]["Stat"]["properties"]["ci95_low"].is_object());
}

fn embedded(page: &str) -> serde_json::Value {
    let start = page.find("id=\"results-data\">").expect("data") + "id=\"results-data\">".len();
    let end = start + page[start..].find("</script>").expect("end");
    serde_json::from_str(&page[start..end].replace("\\u003c", "<")).expect("embedded json")
}

#[test]
fn report_of_a_sweep_or_capacity_document_embeds_it_unchanged() {
    let dir = tempfile::tempdir().expect("tmp");
    for (cmd, args) in [
        (
            "sweep",
            vec!["--set", "workload.entries.req.arrival.rate=0.2,0.4"],
        ),
        ("capacity", vec!["--slo", "mean<3s", "--precision", "10%"]),
    ] {
        let json = dir.path().join(format!("{cmd}.json"));
        let html = dir.path().join(format!("{cmd}.html"));
        archsim()
            .args([
                cmd,
                "scenarios/queueing/mm1.toml",
                "--replications",
                "2",
                "--quiet",
            ])
            .args(&args)
            .arg("--json")
            .arg(&json)
            .assert()
            .success();
        archsim()
            .arg("report")
            .arg(&json)
            .arg("-o")
            .arg(&html)
            .assert()
            .success();
        let page = std::fs::read_to_string(&html).expect("html");
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("json");
        assert_eq!(embedded(&page), doc, "{cmd}");
    }
    // a capacity-shaped file without variants is refused, saying what it expected
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"base_rate\": 3}").expect("write");
    archsim()
        .arg("report")
        .arg(&bad)
        .args(["-o", "/dev/null"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a capacity document"));
}
