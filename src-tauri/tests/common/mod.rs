//! Helpers of the shell's tests: an M/M/1 scenario, the app on tauri's mock runtime, and a
//! command invoked through the IPC layer.

use serde_json::Value;
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;

/// An M/M/1 station (μ = 1/s, λ = 0.5/s) and two spare modules, in one variant.
pub const MM1: &str = r#"# an M/M/1 station
name = "M/M/1"
description = "one station"
seed = 7
replications = 3
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "2000s"
warmup = "100s"
[[workload.entries]]
name = "req"
op = "station.work"
arrival = { process = "poisson", rate = 0.5 }
[modules.station]
ops.work = { cpu = { dist = "exp", mean = "1s" } } # mean service 1 s
[modules.spare]
ops.idle = { cpu = "1ms" }
[modules.extra]
ops.idle = { cpu = "1ms" }
[[variants]]
name = "single"
[[variants.units]]
name = "station"
modules = ["station", "spare"]
workers = 1
[[variants.units]]
name = "other"
modules = ["extra"]
workers = 1
"#;

/// The app with its commands, and its main window.
pub fn app() -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
) {
    let app = archsim_app::app_builder(mock_builder())
        .build(tauri::generate_context!())
        .expect("app builds");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("window");
    (app, webview)
}

/// Invokes `cmd` with `args` through the IPC layer: the command's answer, or its error.
pub fn invoke(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            // the app's own origin on Linux (custom protocol); anything else is a remote origin
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().expect("json"))
}
