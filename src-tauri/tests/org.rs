//! The decomposition suggester through the IPC layer: the preview (`decompose_scenario`) and
//! the edit applying it as a new variant (`edit_scenario` with `decomposed_variant`).

mod common;

use std::path::Path;

use common::{app, invoke, MM1};
use serde_json::json;

fn online_shop() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/online-shop.toml");
    std::fs::read_to_string(p).expect("read the online shop")
}

#[test]
fn decompose_previews_a_variant_and_the_edit_writes_the_same_one() {
    let (_app, w) = app();
    let text = online_shop();
    let out = invoke(
        &w,
        "decompose_scenario",
        json!({"request": {"text": text, "file_name": "online-shop.toml", "units": 2,
            "base": "monolith", "out_file_name": "online-shop.toml"}}),
    )
    .expect("decomposition");
    let d = &out["decomposition"];
    let units = d["units"].as_array().expect("units");
    assert_eq!(units.len(), 2, "{d}");
    // every module in exactly one suggested unit
    let mut modules: Vec<&str> = units
        .iter()
        .flat_map(|u| u["modules"].as_array().expect("modules"))
        .map(|m| m.as_str().expect("name"))
        .collect();
    modules.sort_unstable();
    assert_eq!(modules, ["catalog", "inventory", "orders", "payments"]);
    assert!(d["cross_unit_calls_per_request"].as_f64().expect("cut") >= 0.0);
    let name = out["new_variant"]["name"].as_str().expect("new variant");
    assert_eq!(name, "decomposed-2");
    let preview = out["new_variant"]["text"].as_str().expect("text");
    assert!(preview.contains("name = \"decomposed-2\""));

    // applied through the edit path: the text previewed, analyzed
    let a = invoke(
        &w,
        "edit_scenario",
        json!({"text": text, "fileName": "online-shop.toml", "edit": {"kind": "decomposed_variant",
            "variant": "monolith", "name": name, "units": 2}}),
    )
    .expect("edit");
    assert_eq!(a["text"], preview);
    assert_eq!(a["diagnostics"], json!([]));
    let topo = a["topology"].as_array().expect("topology");
    assert_eq!(topo.last().expect("variant")["variant"], "decomposed-2");

    // K out of range and a taken name are refused with their reason, the text unchanged
    let err = invoke(
        &w,
        "decompose_scenario",
        json!({"request": {"text": text, "file_name": "online-shop.toml", "units": 9}}),
    )
    .expect_err("K > modules");
    assert_eq!(err["code"], "invalid_parameter");
    assert!(err["message"]
        .as_str()
        .expect("message")
        .contains("--units must be between 1 and the number of modules (4)"));
    let err = invoke(
        &w,
        "edit_scenario",
        json!({"text": text, "fileName": "online-shop.toml", "edit": {"kind": "decomposed_variant",
            "variant": "monolith", "name": "microservices", "units": 2}}),
    )
    .expect_err("taken name");
    assert_eq!(err["code"], "invalid_parameter");
}

#[test]
fn as_many_units_as_modules_puts_each_module_alone() {
    let (_app, w) = app();
    let out = invoke(
        &w,
        "decompose_scenario",
        json!({"request": {"text": MM1, "file_name": "mm1.toml", "units": 3}}),
    )
    .expect("decomposition");
    let units = out["decomposition"]["units"].as_array().expect("units");
    assert_eq!(units.len(), 3, "{out}");
    assert!(units
        .iter()
        .all(|u| u["modules"].as_array().map(Vec::len) == Some(1)));
    // no out_file_name: no variant written
    assert_eq!(out["new_variant"], json!(null));
}
