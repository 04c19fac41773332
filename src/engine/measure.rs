//! Measurement: the end of the warm-up, the time-series windows, and the end of the
//! replication with its self-check (Little's law and conservation per instance, conservation
//! per entry).

use super::record::RepResult;
use super::{Ev, Sim};
use crate::components::contract::{FinishCx, Frame, Kind, NO_ENTRY};
use crate::components::{self, Ride};
use crate::flow::measure::{self, StationEnd};
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
        self.out.window(ws);
        let now = self.now;
        let t = self.t;
        for (n, node) in t.nodes.iter().enumerate() {
            let workers = t.stations[node.first_station as usize].workers;
            measure::node_window(
                node,
                n,
                workers,
                &mut self.stations,
                &mut self.avail,
                &mut self.win_up_base[n],
                now,
                w,
                &mut self.out.series,
            );
            let (instances, starting) = match node.hooks {
                0 => (node.instances, 0),
                h => components::instances(self, h, n).unwrap_or((node.instances, 0)),
            };
            self.out.series.instances[n].push(instances as f64);
            self.out.series.instances_starting[n].push(starting as f64);
        }
        components::on_tick(self, w);
        if self.now.ns().saturating_add(t.window) <= t.end {
            self.at(t.window, Ev::Tick);
        }
    }

    /// Scans what is still in flight at the end: requests per entry, per station the part of
    /// the residence of present requests inside the measured interval (and their count), and
    /// the components' own frames.
    fn in_flight(&mut self) -> Vec<StationEnd> {
        let (now, warmup) = (self.now, self.t.warmup);
        let mut ends: Vec<StationEnd> = self
            .in_system_at_warmup
            .iter()
            .map(|&at_warmup| StationEnd {
                at_warmup,
                ..StationEnd::default()
            })
            .collect();
        let mut owned = Vec::new();
        for (_, f) in self.frames.iter() {
            let measured = f.has(Frame::MEASURED);
            match f.kind {
                Kind::Root if measured => self.out.entries[f.idx as usize].in_flight += 1,
                Kind::Op => {
                    if f.entry != NO_ENTRY && measured {
                        self.out.entries[f.entry as usize].in_flight += 1;
                    }
                    if f.has(Frame::IN_SYSTEM) {
                        let end = &mut ends[f.station as usize];
                        end.inflight += 1;
                        end.inflight_area += now.since(SimTime(f.start.ns().max(warmup))) as f64;
                    }
                }
                Kind::Component if !matches!(f.ride, Ride::None) => owned.push(*f),
                _ => {}
            }
        }
        for f in &owned {
            components::at_end(self, f);
        }
        ends
    }

    #[inline(never)]
    pub(super) fn finish(mut self) -> RepResult {
        let now = self.now;
        let t = (self.t.end - self.t.warmup) as f64;
        let ends = self.in_flight();
        self.avail.close(now.ns());
        for (e, er) in self.out.entries.iter_mut().enumerate() {
            if self.t.entries[e].timeout == 0 && self.t.entries[e].hooks == 0 {
                er.attempts = er.arrived; // one attempt each, not counted one by one
            }
        }
        let mut violations = Vec::new();
        for (e, er) in self.out.entries.iter().enumerate() {
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
        let measured: Vec<_> = self
            .stations
            .iter_mut()
            .map(|st| st.measured(now))
            .collect();
        let mut nodes: Vec<NodeRep> = (self.t.nodes.iter().enumerate())
            .map(|(n, node)| {
                let workers = self.t.stations[node.first_station as usize].workers;
                measure::node_rep(
                    node,
                    n,
                    workers,
                    &measured,
                    &self.stations,
                    &ends,
                    &self.avail,
                    t,
                    &mut violations,
                )
            })
            .collect();
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
            entries: self.out.entries,
            nodes,
            series: self.out.series,
            events: self.events,
            wall_s: 0.0,
            violations,
            measured_s: t / 1e9,
            origins: self.out.origins,
            usage,
            components,
        }
    }
}
