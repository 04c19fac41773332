//! Autoscaling and Kubernetes restarts in the event loop (the decisions are in
//! [`crate::components::autoscaler`]): periodic syncs that measure the metric of an autoscaled
//! unit's ready instances and start or remove instances; start-up delays; the restart of a
//! crashed Kubernetes instance after its delay. See `docs/semantics.md`, "Autoscaling".

use super::{Ev, Sim};
use crate::components::autoscaler::{Metric, Phase, Scaler};
use crate::flow::purpose;
use crate::kernel::{EventQueue, SimTime, StreamSeeder};
use crate::model::Model;

/// The autoscaling state of every autoscaled unit of `m`, and their start-up streams.
pub(super) fn scalers(
    m: &Model,
    seeder: &StreamSeeder,
) -> (Vec<Scaler>, Vec<crate::kernel::Rng64>) {
    let states = m
        .autoscalers
        .iter()
        .map(|p| Scaler::new(m.nodes[p.node as usize].instances, p.initial))
        .collect();
    let rngs = (0..m.autoscalers.len())
        .map(|i| seeder.stream(purpose::AUTOSCALE, i as u64))
        .collect();
    (states, rngs)
}

impl<Q: EventQueue<Ev> + Default> Sim<'_, Q> {
    /// Start of the run: the instances beyond each unit's initial count are down (not
    /// provisioned); the first syncs are scheduled.
    #[cold]
    #[inline(never)]
    pub(super) fn start_autoscalers(&mut self) {
        let m = self.m;
        for (a, p) in m.autoscalers.iter().enumerate() {
            let node = &m.nodes[p.node as usize];
            for i in p.initial..node.instances {
                self.fx.down(node.first_station + i, p.node, SimTime::ZERO);
            }
            if p.spec.period < m.end {
                self.at_cold(p.spec.period, Ev::Scale(a as u32));
            }
        }
    }

    /// Sync of autoscaler `a`: measure, decide, start or remove instances, schedule the next.
    #[cold]
    #[inline(never)]
    pub(super) fn on_scale(&mut self, a: u32) {
        let m = self.m;
        let p = &m.autoscalers[a as usize];
        let node = &m.nodes[p.node as usize];
        let (first, n) = (node.first_station, node.instances);
        let now = self.now;
        let period = p.spec.period as f64;
        let sc = &mut self.scalers[a as usize];
        let mut usage = 0.0;
        let mut ready = 0u32;
        for i in 0..n {
            let s = first + i;
            let (busy, system) = self.stations[s as usize].integrals(now);
            let v = match p.spec.metric {
                Metric::Utilization(_) => busy / node.cores,
                Metric::InFlight(_) => system,
            };
            let prev = std::mem::replace(&mut sc.last_integral[i as usize], v);
            if sc.phase[i as usize] == Phase::Ready && !self.fx.is_down(s) {
                usage += (v - prev) / period;
                ready += 1;
            }
        }
        let current = sc.provisioned;
        let desired = sc.recommend(&p.spec, now.ns(), (ready > 0).then_some(usage), current);
        if desired > current {
            let mut more = desired - current;
            for i in 0..n {
                if more == 0 {
                    break;
                }
                let ix = i as usize;
                let sc = &mut self.scalers[a as usize];
                if sc.phase[ix] != Phase::Off {
                    continue;
                }
                more -= 1;
                sc.phase[ix] = Phase::Starting;
                sc.generation[ix] = sc.generation[ix].wrapping_add(1);
                let generation = sc.generation[ix];
                let d = p.spec.startup.sample_ns(&mut self.scale_rng[a as usize]);
                if d == 0 {
                    self.on_ready(first + i, generation);
                } else if now.ns().saturating_add(d) < m.end {
                    self.at_cold(
                        d,
                        Ev::Ready {
                            station: first + i,
                            generation,
                        },
                    );
                }
            }
        } else if desired < current {
            // Starting instances go first (highest index first), then ready ones.
            let mut fewer = current - desired;
            for want in [Phase::Starting, Phase::Ready] {
                for i in (0..n).rev() {
                    let sc = &mut self.scalers[a as usize];
                    if fewer == 0 {
                        break;
                    }
                    let ix = i as usize;
                    if sc.phase[ix] != want {
                        continue;
                    }
                    fewer -= 1;
                    sc.phase[ix] = Phase::Off;
                    sc.generation[ix] = sc.generation[ix].wrapping_add(1);
                    if want == Phase::Ready {
                        // No new requests; the ones it holds finish (it drains).
                        self.fx.down(first + i, p.node, now);
                    }
                }
            }
        }
        let measuring = self.measuring;
        self.scalers[a as usize].set_provisioned(now.ns(), desired, measuring);
        if now.ns().saturating_add(p.spec.period) < m.end {
            self.at_cold(p.spec.period, Ev::Scale(a));
        }
    }

    /// The start-up of instance `s` (started as `generation`) is over: it serves from now.
    #[cold]
    #[inline(never)]
    pub(super) fn on_ready(&mut self, s: u32, generation: u32) {
        let node = self.m.stations[s as usize].node;
        let nd = &self.m.nodes[node as usize];
        let sc = &mut self.scalers[nd.autoscale as usize];
        let ix = (s - nd.first_station) as usize;
        if sc.phase[ix] != Phase::Starting || sc.generation[ix] != generation {
            return; // removed while starting
        }
        sc.phase[ix] = Phase::Ready;
        self.fx.up(s, node, self.now);
    }

    /// Kubernetes: instance `s`, whose crash (fault `f`) ended `restart_delay` ago, restarts;
    /// a random failure draws its next time to failure from now.
    #[cold]
    #[inline(never)]
    pub(super) fn on_restart(&mut self, f: u32, s: u32) {
        let node = self.m.stations[s as usize].node;
        let random = self.m.faults[f as usize].random;
        if random.is_some() {
            self.episode_step(f, false);
        }
        self.fx.up(s, node, self.now);
        if let Some(r) = random {
            let next = self.fx.exp_draw(f, r.mtbf);
            if self.now.ns().saturating_add(next) < self.m.end {
                self.at_cold(
                    next,
                    Ev::Flip {
                        f,
                        station: s,
                        down: true,
                    },
                );
            }
        }
    }

    /// Instances of autoscaled unit `a` ready and starting now.
    pub(super) fn scaler_counts(&self, a: u32) -> (u32, u32) {
        let sc = &self.scalers[a as usize];
        let ready = sc.phase.iter().filter(|&&p| p == Phase::Ready).count() as u32;
        let starting = sc.phase.iter().filter(|&&p| p == Phase::Starting).count() as u32;
        (ready, starting)
    }

    /// Random fault `f`: one more instance down (`down`) or one fewer; an episode starts when
    /// the first goes down and ends when the last is back.
    #[cold]
    #[inline(never)]
    pub(super) fn episode_step(&mut self, f: u32, down: bool) {
        let fi = f as usize;
        let now = self.now.ns();
        if down {
            if self.rf_down[fi] == 0 {
                self.rf_since[fi] = now;
                self.rf_active += 1;
                if self.measuring {
                    self.episodes[fi].episodes += 1;
                }
            }
            self.rf_down[fi] += 1;
            if self.measuring {
                self.episodes[fi].failures += 1;
            }
        } else if self.rf_down[fi] > 0 {
            self.rf_down[fi] -= 1;
            if self.rf_down[fi] == 0 {
                self.rf_active -= 1;
                if self.measuring {
                    let from = self.rf_since[fi].max(self.m.warmup);
                    self.episodes[fi].degraded_ns += now.saturating_sub(from) as f64;
                }
            }
        }
    }

    /// A failed request of entry `e` was answered: count it in every episode in progress.
    #[cold]
    #[inline(never)]
    pub(super) fn count_in_episodes(&mut self, e: usize) {
        for f in 0..self.rf_down.len() {
            if self.rf_down[f] > 0 {
                self.episodes[f].failed_during[e] += 1;
            }
        }
    }
}
