//! The remaining requests of the CLI: engine benchmarks, the HTML report of a results
//! document, the merge of sharded partial results.

use crate::plan::merge::Merged;
use crate::runner::{self, RunOptions};

use super::error::{AppError, AppResult};

/// The built-in benchmark models asked for: `all` or one of [`crate::runner::bench::MODELS`].
///
/// # Errors
/// [`AppError::InvalidParameter`] for another name or zero customers.
pub fn bench_models(model: &str, customers: u64) -> AppResult<Vec<&'static str>> {
    let models: Vec<&'static str> = if model == "all" {
        crate::runner::bench::MODELS.to_vec()
    } else if let Some(m) = crate::runner::bench::MODELS.iter().find(|m| **m == model) {
        vec![*m]
    } else {
        return Err(AppError::invalid(format!(
            "unknown bench model `{model}`; expected one of: all, {}",
            crate::runner::bench::MODELS.join(", ")
        )));
    };
    if customers == 0 {
        return Err(AppError::invalid("--customers must be at least 1"));
    }
    Ok(models)
}

/// One benchmark measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchRow {
    /// The model.
    pub model: &'static str,
    /// Customers served (completed + failed).
    pub customers: f64,
    /// Events processed.
    pub events: u64,
    /// Wall-clock time \[s\].
    pub wall_s: f64,
    /// Mean response time \[s\].
    pub mean_response_s: f64,
}

impl BenchRow {
    /// One JSON line (`bench --json`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "simulator": "archsim",
            "model": self.model,
            "customers": self.customers as u64,
            "events": self.events,
            "wall_s": self.wall_s,
            "customers_per_s": self.customers / self.wall_s,
            "events_per_s": self.events as f64 / self.wall_s,
            "mean_response_s": self.mean_response_s,
        })
    }
}

/// Runs the built-in model `model` with `customers` arrivals on one thread.
///
/// # Errors
/// [`AppError::Internal`] if the built-in model does not parse; [`AppError::Run`].
pub fn bench(model: &'static str, customers: u64) -> AppResult<BenchRow> {
    let s = crate::runner::bench::model(model, customers)
        .ok_or_else(|| AppError::Internal(format!("built-in model `{model}` is missing")))?
        .map_err(|e| AppError::Internal(format!("built-in model `{model}` does not parse: {e}")))?;
    let opts = RunOptions {
        threads: Some(1),
        ..Default::default()
    };
    let r = runner::run(&s, &opts)?;
    let v = &r.variants[0];
    let e = v.entries.get("req").ok_or_else(|| {
        AppError::Internal(format!("built-in model `{model}` has no entry `req`"))
    })?;
    Ok(BenchRow {
        model,
        customers: e.completed.mean + e.failed.mean,
        events: v.engine.events,
        wall_s: v.engine.wall_s,
        mean_response_s: e.latency_s.mean.mean,
    })
}

/// The self-contained HTML report of a results document (`run --json`, `sweep --json` or
/// `capacity --json`) whose text is `text`, read from `file` (named in messages).
///
/// # Errors
/// [`AppError::InvalidParameter`] when the text is none of these documents, with the line and
/// column where it stops matching.
pub fn report_html(file: &str, text: &str) -> AppResult<String> {
    if let Some((kind, shard)) = crate::plan::part::part_marker(text) {
        let what = match kind {
            Some(crate::plan::part::PartKind::Run) => "run",
            Some(crate::plan::part::PartKind::Sweep) => "sweep",
            None => "run or sweep",
        };
        let which = shard.map_or(String::new(), |s| {
            format!(" (shard {}/{})", s.index, s.count)
        });
        return Err(AppError::invalid(format!(
            "{file}: a partial result of a sharded {what}{which}, not a results document: combine every shard's part with `archsim merge PART... -o OUT` first, then report OUT"
        )));
    }
    let located = |e: serde_json::Error, what: &str| {
        AppError::invalid(format!(
            "{file}:{}:{}: not {what}: {e}",
            e.line(),
            e.column()
        ))
    };
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        located(
            e,
            "a results document (`archsim run --json`, `sweep --json` or `capacity --json`)",
        )
    })?;
    if let Some(kind) = doc.get("partial").and_then(|p| p.as_str()) {
        return Err(AppError::invalid(format!(
            "{file}: this is one part of a sharded {kind} (`--shard`), not a results document; \
             combine all the parts first with `archsim merge PART... -o OUT.json`, then report on OUT.json"
        )));
    }
    if doc.get("knee_rule").is_some() {
        let s: crate::plan::sweep::SweepResults = serde_json::from_str(text)
            .map_err(|e| located(e, "a sweep document (`archsim sweep --json`)"))?;
        return Ok(crate::report::render_plan_html(&s.scenario, &doc));
    }
    if doc.get("base_rate").is_some() {
        // A capacity document (its open brackets are JSON nulls, so it is checked by shape).
        let ok = doc["variants"].as_array().is_some_and(|vs| {
            vs.iter()
                .all(|v| v["name"].is_string() && v["max_rate"].is_number())
        }) && doc["slo"].is_string();
        if !ok {
            return Err(AppError::invalid(format!(
                "{file}: not a capacity document (`archsim capacity --json`): expected `slo` and `variants` with `name` and `max_rate`"
            )));
        }
        return Ok(crate::report::render_plan_html(
            doc["scenario"].as_str().unwrap_or(""),
            &doc,
        ));
    }
    let results: crate::results::Results = serde_json::from_str(text)
        .map_err(|e| located(e, "a results document (`archsim run --json`)"))?;
    Ok(crate::report::render_html(&results))
}

/// Merges the partial results of a sharded run or sweep, given as `(file, text)` pairs; with
/// `no_timings` the wall-clock figures are written as 0; with `allow_partial` missing shards,
/// replications or points are allowed and listed in the document's `partial` field. Returns
/// the merged document.
///
/// # Errors
/// [`AppError::Shard`] when a part does not parse or was altered, the parts do not belong
/// together, overlap, or (without `allow_partial`) miss a shard, replication or point.
pub fn merge(
    parts: &[(String, String)],
    no_timings: bool,
    allow_partial: bool,
) -> AppResult<String> {
    let parts = parts
        .iter()
        .map(|(file, text)| crate::plan::merge::parse_partial(file, text))
        .collect::<Result<Vec<_>, _>>()?;
    let mut merged = crate::plan::merge::merge(parts, allow_partial)?;
    if no_timings {
        match &mut merged {
            Merged::Run(r) => crate::runner::shard::strip_timings(r),
            Merged::Sweep(r) => r.strip_timings(),
        }
    }
    Ok(merged.to_json())
}
