//! The archsim desktop app: a Tauri shell whose commands delegate to the application layer
//! of the `archsim` library (`archsim::app`), which the CLI uses too.
//!
//! The builder is generic over the runtime so the commands are tested on
//! `tauri::test::mock_builder()` without a window system.

pub mod commands;
pub mod error;
pub mod events;
pub mod state;

use schemars::JsonSchema;
use tauri::{Builder, Runtime};

/// Registers the managed state and every command on `builder`.
pub fn app_builder<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(state::AppState::default())
        .manage(state::Picked::default())
        .invoke_handler(tauri::generate_handler![
            commands::scenario::list_lessons,
            commands::scenario::open_scenario,
            commands::scenario::analyze_scenario,
            commands::scenario::edit_scenario,
            commands::scenario::scenario_topology,
            commands::scenario::save_scenario,
            commands::scenario::scenario_schema,
            commands::scenario::component_dependents,
            commands::run::run_scenario,
            commands::run::cancel_run,
            commands::plan::run_sweep,
            commands::plan::run_capacity,
            commands::plan::run_rightsize,
            commands::org::decompose_scenario,
            commands::telemetry::discover_model,
            commands::telemetry::calibrate_model,
            commands::export::export_results,
            commands::files::pick_path,
            commands::files::new_scenario,
            commands::files::export_file,
            commands::files::export_report,
        ])
}

/// Starts the app (the binary's `main`).
pub fn run() {
    let result = app_builder(tauri::Builder::default()).run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("archsim: cannot start the app: {e}");
        std::process::exit(1);
    }
}

fn add<T: JsonSchema>(
    generator: &mut schemars::SchemaGenerator,
    props: &mut serde_json::Map<String, serde_json::Value>,
) {
    let schema = generator.subschema_for::<T>();
    props.insert(T::schema_name().into_owned(), schema.to_value());
}

/// The JSON Schema of every type that crosses the IPC boundary (the front end's
/// `ui/src/api/types.ts` is generated from it): one object whose properties name the types,
/// with their definitions under `$defs`.
pub fn api_schema() -> serde_json::Value {
    use archsim::app::{analysis, events, files, org, plan, run, telemetry, topology};
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut props = serde_json::Map::new();
    add::<archsim::results::Results>(&mut generator, &mut props);
    add::<analysis::Analysis>(&mut generator, &mut props);
    add::<topology::VariantTopology>(&mut generator, &mut props);
    add::<files::Lesson>(&mut generator, &mut props);
    add::<analysis::Edit>(&mut generator, &mut props);
    add::<run::RunRequest>(&mut generator, &mut props);
    add::<run::RunOutcome>(&mut generator, &mut props);
    add::<events::RunEvent>(&mut generator, &mut props);
    add::<plan::SweepRequest>(&mut generator, &mut props);
    add::<plan::SweepOutcome>(&mut generator, &mut props);
    add::<plan::CapacityRequest>(&mut generator, &mut props);
    add::<plan::CapacityOutcome>(&mut generator, &mut props);
    add::<plan::RightsizeRequest>(&mut generator, &mut props);
    add::<plan::RightsizeOutcome>(&mut generator, &mut props);
    add::<org::DecomposeRequest>(&mut generator, &mut props);
    add::<org::DecomposeOutcome>(&mut generator, &mut props);
    add::<telemetry::DiscoverRequest>(&mut generator, &mut props);
    add::<telemetry::DiscoverOutcome>(&mut generator, &mut props);
    add::<telemetry::CalibrateRequest>(&mut generator, &mut props);
    add::<telemetry::CalibrateOutcome>(&mut generator, &mut props);
    add::<files::ExportFormat>(&mut generator, &mut props);
    add::<commands::files::PickRequest>(&mut generator, &mut props);
    add::<error::ErrorCode>(&mut generator, &mut props);
    add::<error::AppError>(&mut generator, &mut props);
    let required: Vec<String> = props.keys().cloned().collect();
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ArchsimApi",
        "description": "Types exchanged between the archsim desktop app's shell and its UI.",
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
        "$defs": generator.definitions().clone(),
    })
}
