//! The calibration report: the load, the before/after comparison, the parameters moved.

use super::compare::Row;
use serde::Serialize;
use std::fmt::Write as _;

/// The method, as the report states it.
pub const METHOD: &str = "moment matching by fixed-point iteration with common random numbers: \
each parameter is set so that its simulated mean (demand mean × processor-sharing slowdown \
1/(1 − U) of its node, plus two network hops for a database call) equals the observed mean, \
the model is simulated again with the same seed, until no parameter moves by more than the \
tolerance or the rounds run out; the round with the lowest objective J (mean over compared \
items of |simulated mean − observed mean| / observed mean) is kept";

/// An entry's observed load.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CalibrationLoad")]
pub struct LoadReport {
    /// The model's entry.
    pub entry: String,
    /// Its operation.
    pub op: String,
    /// Requests (root spans) in the traces.
    pub requests: usize,
    /// Their mean rate over the traces' window, 1/s (the Poisson rate simulated).
    pub rate_per_s: f64,
}

/// An entry's latency distribution as `[latency_s, fraction ≤]` points: observed (the root
/// spans), simulated with the model as given and with the calibrated one (the results'
/// `latency_cdf` of the simulated variant).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EntryCdf {
    /// The model's entry.
    pub entry: String,
    /// Observed, at the fractions of the results' CDFs (0.01 … 0.99, 0.995, 0.999, 0.9995,
    /// 0.9999, 1): the smallest observed latency with at least that fraction at or below it.
    pub observed: Vec<[f64; 2]>,
    /// Simulated, the model as given.
    pub before: Vec<[f64; 2]>,
    /// Simulated, the calibrated model.
    pub after: Vec<[f64; 2]>,
}

/// The objective after one round.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CalibrationRound")]
pub struct RoundReport {
    /// 0: the model as given (at the observed load).
    pub round: usize,
    /// J of the model simulated in this round.
    pub objective: f64,
    /// The largest relative step a parameter would take after it.
    pub largest_step: f64,
}

/// A parameter and how calibration moved it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CalibrationChange")]
pub struct Change {
    /// Its path in the model (`modules.orders.ops.checkout.cpu`).
    pub parameter: String,
    /// Mean before, s.
    pub before_mean_s: f64,
    /// Mean after, s.
    pub after_mean_s: f64,
    /// after / before (NaN, written `null`, when it was 0 before and was set).
    #[schemars(with = "Option<f64>")]
    pub factor: f64,
}

impl Change {
    /// Moved by more than 0.1%.
    pub fn moved(&self) -> bool {
        !(self.factor - 1.0).abs().le(&0.001)
    }

    /// "calibrated ×0.502 (2.013ms → 1.010ms)".
    pub fn note(&self) -> String {
        let k = if self.factor.is_nan() {
            "set".to_string()
        } else {
            format!("×{:.3}", self.factor)
        };
        format!(
            "calibrated {k} ({} → {})",
            ms(self.before_mean_s),
            ms(self.after_mean_s)
        )
    }
}

/// The calibration report (the `--json` document).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CalibrationReport {
    /// The model file.
    pub model: String,
    /// The variant simulated.
    pub variant: String,
    /// Seed of every round.
    pub seed: u64,
    /// Replications per round.
    pub replications: u32,
    /// Spans read from the traces.
    pub spans_read: usize,
    /// Traces.
    pub traces: usize,
    /// How parameters are adjusted.
    pub method: String,
    /// J of the model as given.
    pub objective_before: f64,
    /// J of the calibrated model.
    pub objective_after: f64,
    /// The round kept.
    pub best_round: usize,
    /// Every round.
    pub rounds: Vec<RoundReport>,
    /// The load simulated.
    pub load: Vec<LoadReport>,
    /// Compared items, the model as given.
    pub before: Vec<Row>,
    /// Compared items, the calibrated model.
    pub after: Vec<Row>,
    /// Every calibrated parameter.
    pub changes: Vec<Change>,
    /// Per entry compared, its latency distribution: observed, simulated before and after.
    pub cdfs: Vec<EntryCdf>,
    /// Entries or requests not compared, saturated nodes, skipped spans.
    pub warnings: Vec<String>,
}

fn ms(s: f64) -> String {
    format!("{:.3}ms", s * 1e3)
}

fn pct(x: f64) -> String {
    format!("{:+.1}%", x * 100.0)
}

impl CalibrationReport {
    /// The comment lines at the top of the calibrated model.
    pub fn header(&self) -> Vec<String> {
        let mut h = vec![
            format!(
                "against {} spans in {} traces; variant `{}`, seed {}, {} replications per round",
                self.spans_read, self.traces, self.variant, self.seed, self.replications
            ),
            format!(
                "objective J (mean |relative error| of the means): {:.4} before, {:.4} after \
                 (round {} of {})",
                self.objective_before,
                self.objective_after,
                self.best_round,
                self.rounds.len().saturating_sub(1)
            ),
        ];
        for l in &self.load {
            h.push(format!(
                "entry `{}`: Poisson {:.4}/s observed ({} requests)",
                l.entry, l.rate_per_s, l.requests
            ));
        }
        let moved: Vec<&Change> = self.changes.iter().filter(|c| c.moved()).collect();
        if moved.is_empty() {
            h.push("no parameter moved".into());
        }
        for c in moved {
            h.push(format!("{} {}", c.parameter, c.note()));
        }
        h
    }

    /// The before/after table and the parameters moved, as printed.
    pub fn text(&self) -> String {
        let mut t = String::new();
        let _ = writeln!(
            t,
            "calibrated {} (variant `{}`) against {} spans in {} traces",
            self.model, self.variant, self.spans_read, self.traces
        );
        for l in &self.load {
            let _ = writeln!(
                t,
                "  load: entry `{}` at {:.4}/s ({} requests)",
                l.entry, l.rate_per_s, l.requests
            );
        }
        let _ = writeln!(
            t,
            "\n{:<9} {:<28} {:>6} {:>10} {:>19} {:>19} {:>10} {:>10} {:>10} {:>6} {:>6}",
            "kind",
            "name",
            "n",
            "obs mean",
            "before (err)",
            "after (err)",
            "obs p99",
            "before",
            "after",
            "KS bef",
            "KS aft"
        );
        for (b, a) in self.before.iter().zip(&self.after) {
            let _ = writeln!(
                t,
                "{:<9} {:<28} {:>6} {:>10} {:>19} {:>19} {:>10} {:>10} {:>10} {:>6.3} {:>6.3}",
                b.kind,
                b.name,
                b.observed.n,
                ms(b.observed.mean_s),
                format!("{} ({})", ms(b.simulated.mean_s), pct(b.mean_error)),
                format!("{} ({})", ms(a.simulated.mean_s), pct(a.mean_error)),
                ms(b.observed.p99_s),
                ms(b.simulated.p99_s),
                ms(a.simulated.p99_s),
                b.ks,
                a.ks
            );
        }
        let _ = writeln!(
            t,
            "\nobjective J = mean |relative error| of the means: {:.4} before, {:.4} after \
             (round {} kept of {})",
            self.objective_before,
            self.objective_after,
            self.best_round,
            self.rounds.len().saturating_sub(1)
        );
        let moved: Vec<&Change> = self.changes.iter().filter(|c| c.moved()).collect();
        if moved.is_empty() {
            let _ = writeln!(t, "no parameter moved");
        } else {
            let _ = writeln!(t, "parameters moved:");
            for c in moved {
                let _ = writeln!(t, "  {:<44} {}", c.parameter, c.note());
            }
        }
        for w in &self.warnings {
            let _ = writeln!(t, "warning: {w}");
        }
        t
    }
}
