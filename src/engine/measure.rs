//! Measurement: the end of the warm-up, the time-series windows, and the end of the
//! replication with its self-check (Little's law and conservation per instance, conservation
//! per entry).

use super::record::RepResult;
use super::{Ev, Sim};
use crate::components::contract::{FinishCx, Frame, Kind, NO_ENTRY};
use crate::components::{self, Ride};
use crate::flow::measure::{self, StationEnd};
use crate::flow::record::{self, NodeRep};
use crate::kernel::{EventQueue, SimTime};

impl<Q: EventQueue<Ev> + Default, const C: bool> Sim<'_, Q, C> {
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
        let mut violations = Vec::new();
        let es = &self.t.entries;
        let single = |e: usize| es[e].timeout == 0 && es[e].hooks == 0;
        self.out
            .close(single, |e| es[e].name.as_str(), &mut violations);
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
        for (rep, &refused) in nodes.iter_mut().zip(&self.refused) {
            rep.refused = refused;
        }
        let ops = &self.t.ops;
        let mut usage = record::usage(
            &nodes,
            &self.op_count,
            |op| ops[op].node as usize,
            |op| ops[op].write,
        );
        let mut fin = FinishCx {
            measured_ns: t,
            nodes: &mut nodes,
            usage: &mut usage,
            violations: &mut violations,
        };
        let components = components::finish(&mut self, &mut fin);
        if self.anatomy.mismatches > 0 {
            violations.push(format!(
                "latency anatomy: {} successful requests whose parts do not add up to their latency",
                self.anatomy.mismatches
            ));
        }
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
            anatomy: self.anatomy.finish(),
            failure_chains: self
                .chain_counts
                .into_iter()
                .map(|m| m.into_iter().collect())
                .collect(),
        }
    }
}
