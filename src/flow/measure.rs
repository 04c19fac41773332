//! Measuring the nodes of a replication from their instances' stations: the figures of a
//! node over the measured interval with the self-check of every instance (Little's law on the
//! sample path, conservation of invocations), and the series of a node over one window.

use super::availability::Availability;
use super::record::{NodeRep, Series};
use super::station::{Station, StationStats};
use super::topology::Node;
use crate::kernel::SimTime;

/// What the engine found at one station at the end of the run: the requests still present and
/// the part of their residence inside the measured interval, and those present at warm-up.
#[derive(Debug, Clone, Copy, Default)]
pub struct StationEnd {
    /// ∫ over the measured interval of the requests still present at the end \[ns\].
    pub inflight_area: f64,
    /// Requests still present at the end.
    pub inflight: u32,
    /// Requests present when the warm-up ended.
    pub at_warmup: u32,
}

/// Instance-time node `n` offered over `length` ns: every instance, or the instance-time up of
/// an elastic node (`up`).
fn offered(node: &Node, length: f64, up: f64) -> f64 {
    if node.elastic {
        up
    } else {
        node.instances as f64 * length
    }
}

/// The figures of node `n` over the measured interval of length `t` \[ns\] from its stations'
/// statistics (`measured`, by station), with a violation pushed for every instance whose
/// Little's law or conservation does not hold. `workers` is its instances' worker count.
#[allow(clippy::too_many_arguments)]
pub fn node_rep(
    node: &Node,
    n: usize,
    workers: u32,
    measured: &[StationStats],
    stations: &[Station],
    ends: &[StationEnd],
    avail: &Availability,
    t: f64,
    violations: &mut Vec<String>,
) -> NodeRep {
    let mut agg = NodeRep::default();
    let (mut held, mut busy, mut sys, mut q, mut res) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut completions = 0u64;
    for s in node.stations() {
        let si = s as usize;
        let stats = &measured[si];
        busy += stats.busy_area;
        held += stats.workers_area;
        sys += stats.system_area;
        q += stats.queue_area;
        completions += stats.completions;
        res += stats.residence_sum;
        agg.rejected += stats.rejected;
        agg.arrivals += stats.arrivals;
        agg.crashed += stats.crashed;
        check(
            node,
            s - node.first_station,
            stats,
            &stations[si],
            &ends[si],
            violations,
        );
    }
    let offered = offered(node, t, avail.up_area[n]);
    agg.utilization = if node.cores.is_finite() && offered > 0.0 {
        busy / (node.cores * offered)
    } else {
        0.0
    };
    agg.worker_saturation = if workers != u32::MAX && offered > 0.0 {
        held / (workers as f64 * offered)
    } else {
        0.0
    };
    agg.mean_in_system = sys / t;
    agg.mean_in_queue = q / t;
    agg.throughput = completions as f64 / (t / 1e9);
    agg.mean_residence_s = if completions > 0 {
        res / completions as f64 / 1e9
    } else {
        0.0
    };
    agg.instances_up = avail.up_area[n] / t;
    agg.all_down_fraction = avail.none_up[n] / t;
    agg
}

/// The self-check of instance `i` of `node`: Little's law on the sample path — ∫N dt over the
/// interval equals the time the requests spent in it (completed ones, minus what lay before the
/// interval, plus those still present) — and conservation of invocations.
fn check(
    node: &Node,
    i: u32,
    stats: &StationStats,
    st: &Station,
    end: &StationEnd,
    violations: &mut Vec<String>,
) {
    let expect = stats.residence_sum - stats.residence_before + stats.crashed_residence
        - stats.crashed_before
        + end.inflight_area;
    let tol = 1e-6 * expect.abs().max(stats.system_area.abs()) + 1.0;
    if (stats.system_area - expect).abs() > tol {
        violations.push(format!(
            "Little's law: node `{}` instance {i}: ∫N dt = {:.6e} ns but requests spent {:.6e} ns",
            node.name, stats.system_area, expect
        ));
    }
    let lhs = stats.arrivals + end.at_warmup as u64;
    let rhs = stats.completions + stats.rejected + stats.crashed + end.inflight as u64;
    if lhs != rhs || st.in_system != end.inflight {
        violations.push(format!(
            "conservation: node `{}` instance {i}: arrived {} + present at warm-up {} ≠ completed {} + rejected {} + crashed {} + present at end {}",
            node.name, stats.arrivals, end.at_warmup, stats.completions, stats.rejected, stats.crashed, end.inflight
        ));
    }
}

/// Ends a window of `w` ns at `now` for node `n`: pushes its utilization, requests present,
/// requests waiting and worker saturation to `series`. `win_up_base` is the node's ∫ instances
/// up dt at the start of the window (elastic nodes).
#[allow(clippy::too_many_arguments)]
pub fn node_window(
    node: &Node,
    n: usize,
    workers: u32,
    stations: &mut [Station],
    avail: &mut Availability,
    win_up_base: &mut f64,
    now: SimTime,
    w: f64,
    series: &mut Series,
) {
    let (mut busy, mut sys, mut queued, mut held) = (0.0, 0.0, 0.0, 0.0);
    for s in node.stations() {
        let ws = stations[s as usize].take_window(now);
        busy += ws.busy_area;
        sys += ws.system_area;
        queued += ws.queue_area;
        held += ws.workers_area;
    }
    let up = if node.elastic {
        let total = avail.up_integral(n, now.ns());
        total - std::mem::replace(win_up_base, total)
    } else {
        0.0
    };
    let offered = offered(node, w, up);
    let util = if node.cores.is_finite() && offered > 0.0 {
        busy / (node.cores * offered)
    } else {
        0.0
    };
    series.utilization[n].push(util);
    series.in_system[n].push(sys / w);
    series.waiting[n].push(queued / w);
    series.worker_saturation[n].push(if workers != u32::MAX && offered > 0.0 {
        held / (workers as f64 * offered)
    } else {
        0.0
    });
}
