//! Measurement: the end of the warm-up, the time-series windows, and the end of the
//! replication with its self-check (Little's law and conservation per instance, conservation
//! per entry).

use super::record::RepResult;
use super::{Ev, Sim};
use crate::components::contract::{FinishCx, Frame, Kind, NO_ENTRY};
use crate::components::{self, Ride};
use crate::flow::record::{NodeRep, NodeUsage};
use crate::kernel::{EventQueue, SimTime};

impl<Q: EventQueue<Ev> + Default> Sim<'_, Q> {
    #[inline(never)]
    pub(super) fn on_warmup_end(&mut self) {
        self.measuring = true;
        let now = self.now;
        self.avail.reset(now.ns());
        for (i, st) in self.stations.iter_mut().enumerate() {
            st.reset_stats(now);
            self.in_system_at_warmup[i] = st.in_system;
        }
        components::on_warmup_end(self);
    }

    #[inline(never)]
    pub(super) fn on_tick(&mut self) {
        let w = self.t.window as f64;
        let ws = w / 1e9;
        for e in 0..self.t.entries.len() {
            self.series.throughput[e].push(self.win_ok[e] as f64 / ws);
            self.series.errors[e].push(self.win_fail[e] as f64 / ws);
            let [p50, p99] = self.win_sample[e].take_quantiles([0.5, 0.99]);
            self.series.p50[e].push(p50 as f64 / 1e9);
            self.series.p99[e].push(p99 as f64 / 1e9);
            self.win_ok[e] = 0;
            self.win_fail[e] = 0;
        }
        if self.track {
            for (k, c) in self.win_origin.iter_mut().enumerate() {
                self.series.failures[k].push(*c as f64 / ws);
                *c = 0;
            }
        }
        let now = self.now;
        let t = self.t;
        for (n, node) in t.nodes.iter().enumerate() {
            let (mut busy, mut sys, mut queued, mut held) = (0.0, 0.0, 0.0, 0.0);
            for s in node.stations() {
                let ws_ = self.stations[s as usize].take_window(now);
                busy += ws_.busy_area;
                sys += ws_.system_area;
                queued += ws_.queue_area;
                held += ws_.workers_area;
            }
            // Instance-time the window offered: every instance, or the ones up of an elastic
            // node.
            let offered = if node.elastic {
                let total = self.avail.up_integral(n, now.ns());
                total - std::mem::replace(&mut self.win_up_base[n], total)
            } else {
                node.instances as f64 * w
            };
            let util = if node.cores.is_finite() && offered > 0.0 {
                busy / (node.cores * offered)
            } else {
                0.0
            };
            let sr = &mut self.series;
            sr.utilization[n].push(util);
            sr.in_system[n].push(sys / w);
            sr.waiting[n].push(queued / w);
            let workers = t.stations[node.first_station as usize].workers;
            sr.worker_saturation[n].push(if workers != u32::MAX && offered > 0.0 {
                held / (workers as f64 * offered)
            } else {
                0.0
            });
            let (instances, starting) = match node.hooks {
                0 => (node.instances, 0),
                h => components::instances(self, h, n).unwrap_or((node.instances, 0)),
            };
            self.series.instances[n].push(instances as f64);
            self.series.instances_starting[n].push(starting as f64);
        }
        components::on_tick(self, w);
        if self.now.ns().saturating_add(t.window) <= t.end {
            self.at(t.window, Ev::Tick);
        }
    }

    /// Scans what is still in flight at the end: requests per entry, per station the part of
    /// the residence of present requests inside the measured interval (and their count), and
    /// the components' own frames.
    fn in_flight(&mut self) -> (Vec<f64>, Vec<u32>) {
        let (now, warmup) = (self.now, self.t.warmup);
        let mut area = vec![0.0f64; self.stations.len()];
        let mut count = vec![0u32; self.stations.len()];
        let mut owned = Vec::new();
        for (_, f) in self.frames.iter() {
            let measured = f.has(Frame::MEASURED);
            match f.kind {
                Kind::Root if measured => self.entries[f.idx as usize].in_flight += 1,
                Kind::Op => {
                    if f.entry != NO_ENTRY && measured {
                        self.entries[f.entry as usize].in_flight += 1;
                    }
                    if f.has(Frame::IN_SYSTEM) {
                        let s = f.station as usize;
                        count[s] += 1;
                        area[s] += now.since(SimTime(f.start.ns().max(warmup))) as f64;
                    }
                }
                Kind::Component if !matches!(f.ride, Ride::None) => owned.push(*f),
                _ => {}
            }
        }
        for f in &owned {
            components::at_end(self, f);
        }
        (area, count)
    }

    #[inline(never)]
    pub(super) fn finish(mut self) -> RepResult {
        let now = self.now;
        let t = (self.t.end - self.t.warmup) as f64;
        let (inflight_area, inflight_count) = self.in_flight();
        self.avail.close(now.ns());
        for (e, er) in self.entries.iter_mut().enumerate() {
            if self.t.entries[e].timeout == 0 && self.t.entries[e].hooks == 0 {
                er.attempts = er.arrived; // one attempt each, not counted one by one
            }
        }
        let mut violations = Vec::new();
        for (e, er) in self.entries.iter().enumerate() {
            let out = er.completed + er.failed_total() + er.in_flight;
            if out != er.arrived {
                violations.push(format!(
                    "conservation: entry `{}`: arrived {} ≠ completed {} + failed {} + in flight {}",
                    self.t.entries[e].name,
                    er.arrived,
                    er.completed,
                    er.failed_total(),
                    er.in_flight
                ));
            }
        }
        let mut nodes = self.node_reps(t, &inflight_area, &inflight_count, &mut violations);
        let mut usage: Vec<NodeUsage> = nodes
            .iter()
            .map(|n| NodeUsage {
                invocations: n.arrivals,
                ..Default::default()
            })
            .collect();
        for (op, &c) in self.op_count.iter().enumerate() {
            let node = self.t.ops[op].node as usize;
            if c > 0 && node < usage.len() {
                if self.t.ops[op].write {
                    usage[node].writes += c;
                } else {
                    usage[node].reads += c;
                }
            }
        }
        let mut fin = FinishCx {
            measured_ns: t,
            nodes: &mut nodes,
            usage: &mut usage,
            violations: &mut violations,
        };
        let components = components::finish(&mut self, &mut fin);
        RepResult {
            entries: self.entries,
            nodes,
            series: self.series,
            events: self.events,
            wall_s: 0.0,
            violations,
            measured_s: t / 1e9,
            origins: self.origins,
            usage,
            components,
        }
    }

    /// The figures of every node over the measured interval of length `t` \[ns\], and the
    /// self-check of every instance: Little's law on the sample path and conservation.
    fn node_reps(
        &mut self,
        t: f64,
        inflight_area: &[f64],
        inflight_count: &[u32],
        violations: &mut Vec<String>,
    ) -> Vec<NodeRep> {
        let now = self.now;
        let measured: Vec<_> = self
            .stations
            .iter_mut()
            .map(|st| st.measured(now))
            .collect();
        let mut nodes = Vec::with_capacity(self.t.nodes.len());
        for (n, node) in self.t.nodes.iter().enumerate() {
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
                // Little's law on the sample path: ∫N dt over the interval equals the time the
                // requests spent in it — completed ones (minus what lay before the interval)
                // plus those still present.
                let expect = stats.residence_sum - stats.residence_before + stats.crashed_residence
                    - stats.crashed_before
                    + inflight_area[si];
                let tol = 1e-6 * expect.abs().max(stats.system_area.abs()) + 1.0;
                if (stats.system_area - expect).abs() > tol {
                    violations.push(format!(
                        "Little's law: node `{}` instance {}: ∫N dt = {:.6e} ns but requests spent {:.6e} ns",
                        node.name,
                        s - node.first_station,
                        stats.system_area,
                        expect
                    ));
                }
                // Conservation of invocations at the station.
                let lhs = stats.arrivals + self.in_system_at_warmup[si] as u64;
                let rhs =
                    stats.completions + stats.rejected + stats.crashed + inflight_count[si] as u64;
                if lhs != rhs || self.stations[si].in_system != inflight_count[si] {
                    violations.push(format!(
                        "conservation: node `{}` instance {}: arrived {} + present at warm-up {} ≠ completed {} + rejected {} + crashed {} + present at end {}",
                        node.name,
                        s - node.first_station,
                        stats.arrivals,
                        self.in_system_at_warmup[si],
                        stats.completions,
                        stats.rejected,
                        stats.crashed,
                        inflight_count[si]
                    ));
                }
            }
            // Instance-time offered: every instance, or the ones up of an elastic node.
            let offered = if node.elastic {
                self.avail.up_area[n]
            } else {
                node.instances as f64 * t
            };
            agg.utilization = if node.cores.is_finite() && offered > 0.0 {
                busy / (node.cores * offered)
            } else {
                0.0
            };
            let workers = self.t.stations[node.first_station as usize].workers;
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
            agg.instances_up = self.avail.up_area[n] / t;
            agg.all_down_fraction = self.avail.none_up[n] / t;
            nodes.push(agg);
        }
        nodes
    }
}
