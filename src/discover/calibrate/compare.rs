//! Simulated against observed: per entry (the simulation's end-to-end latencies) and per
//! parameter (an operation's own time, a database operation's call time, the network's
//! one-way latency), with mean, p50, p90, p99 and the Kolmogorov–Smirnov distance.

use crate::kernel::dist::Dist;
use crate::kernel::StreamSeeder;
use crate::results::VariantResult;
use crate::scenario::{OpOwner, Scenario};
use crate::stats::{ks, ks2};
use serde::Serialize;

/// Draws per parameter for its simulated distribution.
pub const DRAWS: usize = 4000;
/// Utilization above which the processor-sharing slowdown `1/(1 − U)` is capped (a saturated
/// node: calibration warns).
pub const MAX_UTILIZATION: f64 = 0.95;
/// Purpose of the random streams of the draws (any constant distinct from the engine's).
const PURPOSE: u64 = 0xCA11_B4A7;

/// Mean and percentiles of a sample (s).
#[derive(Debug, Clone, Default, Serialize, PartialEq, schemars::JsonSchema)]
#[schemars(rename = "CalibrationSummary")]
pub struct Summary {
    /// Values summarized (for a simulated entry: successful requests over all replications).
    pub n: usize,
    /// Mean, s.
    pub mean_s: f64,
    /// Median, s.
    pub p50_s: f64,
    /// 90th percentile, s.
    pub p90_s: f64,
    /// 99th percentile, s.
    pub p99_s: f64,
}

impl Summary {
    /// Of ascending `sorted` values (percentiles by linear interpolation between order
    /// statistics, Hyndman–Fan type 7).
    pub fn of(sorted: &[f64]) -> Summary {
        if sorted.is_empty() {
            return Summary::default();
        }
        Summary {
            n: sorted.len(),
            mean_s: sorted.iter().sum::<f64>() / sorted.len() as f64,
            p50_s: quantile(sorted, 0.5),
            p90_s: quantile(sorted, 0.9),
            p99_s: quantile(sorted, 0.99),
        }
    }
}

/// Quantile `q` of ascending values, type 7.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// What a compared item is.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// An entry of the workload (its name): compared, not a parameter.
    Entry(String),
    /// The CPU demand of a module operation (its index in the scenario's operations).
    Cpu(usize),
    /// The query time of a data-store operation.
    Db(usize),
    /// The one-way network latency.
    Network,
}

/// One compared item: what the traces show, what the model gives.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CalibrationRow")]
pub struct Row {
    /// `entry`, `operation` (own time), `database` (call time) or `network` (one way).
    pub kind: String,
    /// The entry, `module.op`, `store.op`, or `latency`.
    pub name: String,
    /// Observed.
    pub observed: Summary,
    /// Simulated.
    pub simulated: Summary,
    /// Kolmogorov–Smirnov distance between the observed and simulated distributions.
    pub ks: f64,
    /// (simulated − observed) / observed mean.
    pub mean_error: f64,
}

/// What one simulation gives each item: its row, and for parameters the processor-sharing
/// slowdown of the node it runs on.
#[derive(Clone)]
pub struct Compared {
    /// Rows, in the order of the items.
    pub rows: Vec<Row>,
    /// Per item: `1/(1 − U)` of its unit or database (1 for entries and the network).
    pub slowdown: Vec<f64>,
    /// Nodes above [`MAX_UTILIZATION`].
    pub saturated: Vec<String>,
    /// Per entry compared (in the items' order): its name and the simulated latency CDF.
    pub cdfs: Vec<(String, Vec<[f64; 2]>)>,
}

/// The fractions an observed CDF is given at: those of the results' `latency_cdf`.
fn cdf_fractions() -> Vec<f64> {
    let mut qs: Vec<f64> = (1..100).map(|i| f64::from(i) / 100.0).collect();
    qs.extend([0.995, 0.999, 0.9995, 0.9999, 1.0]);
    qs
}

/// The empirical CDF of ascending `sorted` values at the results' fractions: per fraction q
/// the smallest value x with at least q of the values ≤ x (equal values merged, keeping the
/// largest fraction), as `[x, q]` pairs.
pub fn observed_cdf(sorted: &[f64]) -> Vec<[f64; 2]> {
    let n = sorted.len();
    let mut out: Vec<[f64; 2]> = Vec::new();
    if n == 0 {
        return out;
    }
    for q in cdf_fractions() {
        // the smallest k with k/n ≥ q (a tolerance for q·n computed in floating point)
        let k = ((q * n as f64) - 1e-9).ceil().max(1.0) as usize;
        let x = sorted[k.min(n) - 1];
        match out.last_mut() {
            Some(last) if last[0] == x => last[1] = q,
            _ => out.push([x, q]),
        }
    }
    out
}

/// The objective: the mean over the items with an observed mean > 0 of
/// |simulated mean − observed mean| / observed mean.
pub fn objective(rows: &[Row]) -> f64 {
    let errs: Vec<f64> = rows
        .iter()
        .filter(|r| r.observed.mean_s > 0.0)
        .map(|r| r.mean_error.abs())
        .collect();
    if errs.is_empty() {
        0.0
    } else {
        errs.iter().sum::<f64>() / errs.len() as f64
    }
}

fn draws(d: &Dist, seed: u64, index: u64) -> Vec<f64> {
    let mut rng = StreamSeeder::new(seed, 0).stream(PURPOSE, index);
    (0..DRAWS).map(|_| d.sample(&mut rng) * 1e-9).collect()
}

fn row(kind: &str, name: &str, obs: &[f64], sim: Summary, ks: f64) -> Row {
    let observed = Summary::of(obs);
    let mean_error = if observed.mean_s > 0.0 {
        (sim.mean_s - observed.mean_s) / observed.mean_s
    } else {
        0.0
    };
    Row {
        kind: kind.into(),
        name: name.into(),
        observed,
        simulated: sim,
        ks,
        mean_error,
    }
}

/// The slowdown `1/(1 − U)` of a node of the results; records a saturated one.
fn slowdown(
    nodes: &indexmap::IndexMap<String, crate::results::NodeResult>,
    name: &str,
    sat: &mut Vec<String>,
) -> f64 {
    let u = nodes.get(name).map_or(0.0, |n| n.utilization.mean);
    if u > MAX_UTILIZATION && !sat.contains(&name.to_string()) {
        sat.push(name.to_string());
    }
    1.0 / (1.0 - u.clamp(0.0, MAX_UTILIZATION))
}

/// Compares the items with the simulation `vr` of variant `vi` of `s`. `observed[i]` are the
/// ascending observed values of `items[i]`; draws use `seed` (the same every round: common
/// random numbers).
pub fn compare(
    s: &Scenario,
    vi: usize,
    vr: &VariantResult,
    items: &[(Item, String)],
    observed: &[Vec<f64>],
    seed: u64,
) -> Compared {
    let v = &s.variants[vi];
    let mut out = Compared {
        rows: Vec::new(),
        slowdown: Vec::new(),
        saturated: Vec::new(),
        cdfs: Vec::new(),
    };
    let net = draws(&s.network.latency, seed, 0);
    let net_back = draws(&s.network.latency, seed, 1);
    for (i, ((item, name), obs)) in items.iter().zip(observed).enumerate() {
        let index = 2 + i as u64;
        let (kind, f, mut sim) = match item {
            Item::Entry(e) => {
                let Some(r) = vr.entries.get(e) else {
                    out.rows
                        .push(row("entry", name, obs, Summary::default(), 1.0));
                    out.slowdown.push(1.0);
                    out.cdfs.push((name.clone(), Vec::new()));
                    continue;
                };
                let l = &r.latency_s;
                let n = (r.completed.mean * f64::from(s.replications))
                    .round()
                    .max(0.0) as usize;
                let sim = Summary {
                    n,
                    mean_s: l.mean.mean,
                    p50_s: l.p50.mean,
                    p90_s: l.p90.mean,
                    p99_s: l.p99.mean,
                };
                let cdf = &r.latency_cdf;
                let d = ks(obs, |x| {
                    cdf.iter()
                        .take_while(|p| p[0] <= x)
                        .last()
                        .map_or(0.0, |p| p[1])
                });
                out.rows.push(row("entry", name, obs, sim, d));
                out.slowdown.push(1.0);
                out.cdfs.push((name.clone(), cdf.clone()));
                continue;
            }
            Item::Cpu(op) => {
                let f = match s.ops[*op].owner {
                    OpOwner::Module(m) => slowdown(
                        &vr.units,
                        &v.units[v.module_unit[m]].name,
                        &mut out.saturated,
                    ),
                    _ => 1.0,
                };
                let xs: Vec<f64> = draws(&s.ops[*op].demand, seed, index)
                    .into_iter()
                    .map(|x| x * f)
                    .collect();
                ("operation", f, xs)
            }
            Item::Db(op) => {
                let f = match s.ops[*op].owner {
                    OpOwner::Store(st) => v.store_db.get(st).copied().flatten().map_or(1.0, |db| {
                        slowdown(&vr.databases, &v.databases[db].name, &mut out.saturated)
                    }),
                    _ => 1.0,
                };
                let xs: Vec<f64> = draws(&s.ops[*op].demand, seed, index)
                    .into_iter()
                    .zip(net.iter().zip(&net_back))
                    .map(|(x, (a, b))| x * f + a + b)
                    .collect();
                ("database", f, xs)
            }
            Item::Network => ("network", 1.0, net.clone()),
        };
        sim.sort_by(f64::total_cmp);
        let d = ks2(obs, &sim);
        out.rows.push(row(kind, name, obs, Summary::of(&sim), d));
        out.slowdown.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_between_order_statistics() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        let s = Summary::of(&xs);
        assert_eq!(s.n, 5);
        assert!((s.mean_s - 3.0).abs() < 1e-12);
        assert!((s.p50_s - 3.0).abs() < 1e-12);
        // h = 4 · 0.9 = 3.6: 4 + 0.6 · (5 − 4).
        assert!((s.p90_s - 4.6).abs() < 1e-12);
        assert!((s.p99_s - 4.96).abs() < 1e-12);
    }

    #[test]
    fn the_observed_cdf_is_the_empirical_one_at_the_results_fractions() {
        // 1..=200 ms: at q the value is the ⌈200q⌉-th, so 0.01 → 2 ms, 0.5 → 100 ms, and the
        // fractions above 0.995 all land on 200 ms (merged into one point at 1.0)
        let xs: Vec<f64> = (1..=200).map(|i| f64::from(i) * 1e-3).collect();
        let c = observed_cdf(&xs);
        assert_eq!(c[0], [0.002, 0.01]);
        let mid = c.iter().find(|p| p[1] == 0.5).expect("median");
        assert!((mid[0] - 0.100).abs() < 1e-12);
        assert_eq!(c.last().copied(), Some([0.200, 1.0]));
        assert!(c.windows(2).all(|w| w[0][0] < w[1][0] && w[0][1] < w[1][1]));
        // one value: one point
        assert_eq!(observed_cdf(&[0.5]), vec![[0.5, 1.0]]);
        assert!(observed_cdf(&[]).is_empty());
    }
}
