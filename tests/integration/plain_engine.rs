//! The engine's two forms — specialized for plain models (no component acts) and general —
//! give byte-identical replication records on every plain model: the bundled scenarios'
//! plain variants and the reference models of the benchmarks.

use crate::common::root;
use crate::scenarios::scenario_files;
use archsim::engine;
use archsim::model::Model;
use archsim::scenario;

/// The record of a replication as JSON, without its wall-clock time.
fn record(mut r: engine::record::RepResult) -> String {
    r.wall_s = 0.0;
    serde_json::to_string(&r).expect("a record serializes")
}

#[test]
fn plain_and_general_engines_give_identical_records() {
    let mut files = Vec::new();
    scenario_files(&root().join("scenarios"), &mut files);
    scenario_files(&root().join("benches/models"), &mut files);
    let (mut plain, mut general) = (Vec::new(), 0);
    for path in &files {
        let s = match scenario::load(path) {
            Ok(s) => s,
            Err(e) => panic!("{} does not load:\n{e}", path.display()),
        };
        for v in 0..s.variants.len() {
            let m = Model::compile(&s, v);
            let what = format!("{} variant `{}`", path.display(), s.variants[v].name);
            if m.has_components() {
                general += 1;
                continue;
            }
            for replication in 0..2 {
                let a = engine::simulate(&m, s.seed, replication, None).expect("not cancelled");
                let b = engine::simulate_general(&m, s.seed, replication).expect("not cancelled");
                assert!(a.events > 0, "{what}: no events");
                assert_eq!(
                    record(a),
                    record(b),
                    "{what}, replication {replication}: the plain and general forms differ"
                );
            }
            plain.push(what);
        }
    }
    // Both forms must be exercised: the reference models (mm1, tandem, graph10, forkjoin) are
    // plain, and most lessons use some component.
    assert!(
        plain.len() >= 30,
        "too few plain models compared: {plain:?}"
    );
    assert!(general >= 10, "too few models with components: {general}");
}
