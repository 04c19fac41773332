//! Organization commands: the decomposition suggester (`archsim decompose`),
//! `archsim::app::org::decompose` on a blocking thread.

use archsim::app::org::{self, DecomposeOutcome, DecomposeRequest};

use super::blocking;
use crate::error::AppResult;

/// Suggests a decomposition of the modules into `request.units` units; with
/// `request.out_file_name`, also the scenario text with it as a new variant (the preview the
/// editor draws before the `decomposed_variant` edit applies it).
#[tauri::command]
pub async fn decompose_scenario(request: DecomposeRequest) -> AppResult<DecomposeOutcome> {
    blocking("decomposition", move || org::decompose(&request)).await
}
