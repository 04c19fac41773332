//! Models from telemetry: discovery from trace files (`archsim discover`) and calibration
//! against them (`archsim calibrate`), `archsim::app::telemetry` on a blocking thread. The
//! shell reads the files the UI names (picked in its Open dialog); it writes none.

use archsim::app::telemetry::{
    self, CalibrateOutcome, CalibrateRequest, DiscoverOutcome, DiscoverRequest,
};

use super::blocking;
use crate::error::AppResult;

/// Discovers a model from trace files (with an optional utilization file and deployment
/// manifests); the UI opens it as a new, unsaved scenario and shows the report.
#[tauri::command]
pub async fn discover_model(request: DiscoverRequest) -> AppResult<DiscoverOutcome> {
    blocking("discovery", move || telemetry::discover(&request)).await
}

/// Calibrates the scenario being edited against trace files: the calibrated model (analyzed),
/// the before/after report and the entries' observed and simulated latency distributions.
#[tauri::command]
pub async fn calibrate_model(request: CalibrateRequest) -> AppResult<CalibrateOutcome> {
    blocking("calibration", move || telemetry::calibrate(&request)).await
}
