//! The scenario parser and resolver under mutated scenarios: every shipped scenario (and the
//! benchmark models), mutated, must give either located errors or a valid scenario that the
//! editor's analysis and `validate` (estimates, warnings, Conway metrics, event estimate)
//! handle — never a panic.

use super::mutate::{apply, mutations};
use crate::common::root;
use proptest::prelude::*;
use std::sync::OnceLock;

/// Name and text of every shipped scenario and benchmark model.
fn seeds() -> &'static [(String, String)] {
    static SEEDS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut files = super::toml_files(&root().join("scenarios"));
        files.extend(super::toml_files(&root().join("benches/models")));
        let seeds: Vec<(String, String)> = files
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("read a shipped scenario");
                (p.display().to_string(), text)
            })
            .collect();
        assert!(seeds.len() > 20, "{} seed scenarios", seeds.len());
        seeds
    })
}

/// What the parser must do with any text: located errors (file, a line within the text, a
/// column, a message) or a valid scenario; a valid one then goes through the editor's analysis
/// and `validate`. Panics (failing the test) otherwise.
pub fn check_scenario_bytes(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let lines = text.lines().count().max(1);
    match archsim::scenario::parse(&text, "fuzz.toml") {
        Err(e) => {
            let Some(ds) = e.diagnostics() else {
                panic!("an error without diagnostics: {e}");
            };
            assert!(!ds.0.is_empty(), "no diagnostic in {e}");
            for d in ds.iter() {
                assert_eq!(d.file, "fuzz.toml", "{d}");
                assert!(
                    d.line >= 1 && d.line <= lines + 1,
                    "line {} of {lines}: {d}",
                    d.line
                );
                assert!(d.column >= 1, "{d}");
                assert!(!d.message.trim().is_empty(), "{d}");
            }
            let a = archsim::app::analysis::analyze(text, "fuzz.toml".into(), None);
            assert!(!a.diagnostics.is_empty());
        }
        Ok(s) => {
            let v = archsim::app::analysis::validate(&text, "fuzz.toml").expect("valid twice");
            assert_eq!(v.estimates.len(), s.variants.len());
            for e in &v.events {
                assert!(!e.is_nan() && *e >= 0.0, "estimated events {e}");
            }
            let a = archsim::app::analysis::analyze(text, "fuzz.toml".into(), None);
            assert!(a.diagnostics.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(super::config(300))]

    #[test]
    fn mutated_scenarios_give_located_errors_or_valid_scenarios(
        which in any::<usize>(),
        ms in mutations(),
    ) {
        let seeds = seeds();
        let (_, text) = &seeds[which % seeds.len()];
        check_scenario_bytes(&apply(text.as_bytes(), &ms));
    }
}

#[test]
fn every_seed_scenario_is_valid() {
    for (name, text) in seeds() {
        assert!(
            archsim::scenario::parse(text, name).is_ok(),
            "{name} is not a valid seed"
        );
    }
}
