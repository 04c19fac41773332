//! The delivery-process simulation: a second discrete-event model on the engine's kernel
//! ([`crate::kernel`]: integer [`SimTime`], the `(time, sequence)` event queue, named random
//! streams per replication).
//!
//! # Model (docs/delivery.md has the long form)
//!
//! - **Change requests** arrive per team as a Poisson process with mean interval
//!   `change_interval` (per-team overrides allowed). Only teams owning at least one module in
//!   the variant produce changes.
//! - **Scope**: a change starts at a *home* module drawn uniformly from its team's modules and
//!   spreads as an independent cascade: every touched module `a` touches each not yet touched
//!   neighbour `b` once with probability
//!   `p(a,b) = 1 − (1 − call_coupling)^[a calls b or b calls a] · (1 − store_coupling)^(stores both query)`.
//!   The touched modules give the units (deployables) and teams of the change.
//! - **Coordination**: a change touching several units *and* several teams waits first for a
//!   coordination delay, exponential with mean `coordination × n(n−1)/2` for n teams involved
//!   (one per communication channel, Brooks); every team involved spends that time.
//!   A change inside one unit needs none (one atomic commit).
//! - **Pipelines**: every unit has one build pipeline, a single server. When free it takes
//!   every queued change (at most `max_batch`, FIFO) into one build, as CI builds the commits
//!   merged since the last build. Building and testing a unit takes
//!   `build_base + build_per_kloc × kLOC(unit)` (the sum of its modules' `loc`), constant. A
//!   build of n changes breaks with probability `1 − (1 − build_failure)^n`; the pipeline is
//!   then blocked for `fix_time` (every queued change waits: one broken build blocks everyone)
//!   and the batch is rebuilt.
//! - **Deploys**: without a release train, a built batch is deployed at once (`deploy_time`,
//!   the pipeline stays busy). With `release_train = P`, built changes wait for the next
//!   departure at a multiple of P and leave together as one deployment per unit (the pipeline
//!   builds on meanwhile). A deployment of n changes fails with probability
//!   `1 − (1 − change_failure)^n` (bigger batches are riskier); restoring takes `restore_time`
//!   (the unit deploys nothing else meanwhile) and then its changes count as deployed (fixed
//!   forward).
//! - **Ordered deploys**: a change touching several units passes their pipelines one after the
//!   other, callee units first (a topological order of the unit call graph, reversed; file
//!   order when units call each other in a cycle). Its lead time ends when the last unit has
//!   deployed it.
//!
//! # Metrics (per replication, then [`Stat`] over replications)
//!
//! Measured over `[warmup, warmup + duration)`: deployments per day; lead time (arrival to
//! deployed, changes that arrived and finished in the window) mean, p50, p90; change failure
//! rate (failed deployments / deployments); time to restore (mean of the restore durations of
//! the window's failures, over the replications that had one); per team the hours its changes
//! spent waiting (queued for a pipeline, behind a broken build, for a train) and the hours it
//! spent coordinating, per day. Waits are counted when they end.

use std::collections::VecDeque;

use petgraph::algo::toposort;
use petgraph::graph::DiGraph;
use rand::Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{static_calls, static_stores};
use crate::kernel::dist::Dist;
use crate::kernel::{DefaultQueue, EventQueue, Rng64, SimTime, StreamSeeder};
use crate::scenario::{Delivery, ModuleId, Scenario, TeamId, UnitId, ON_GATEWAY};
use crate::stats::stat::Stat;

/// Stream purposes of the delivery simulation (distinct from the engine's, see
/// `crate::engine`): arrivals and scopes are keyed by team so two variants see the same change
/// requests (common random numbers); pipelines by unit index.
mod purpose {
    pub const ARRIVAL: u64 = 1001;
    pub const SCOPE: u64 = 1002;
    pub const PIPELINE: u64 = 1003;
    pub const COORDINATION: u64 = 1004;
}

const NS_PER_H: f64 = 3.6e12;
const NS_PER_DAY: f64 = 8.64e13;

/// A variant compiled for the delivery simulation.
#[derive(Debug, Clone)]
pub struct DeliveryModel {
    /// Variant name.
    pub variant: String,
    params: Delivery,
    team_names: Vec<String>,
    /// Modules owned by each team in this variant.
    team_modules: Vec<Vec<ModuleId>>,
    /// Coupling neighbours of each module with the spreading probability.
    neighbours: Vec<Vec<(ModuleId, f64)>>,
    module_unit: Vec<UnitId>,
    module_team: Vec<Option<TeamId>>,
    /// Build-and-test time of each unit \[ns\].
    build_ns: Vec<u64>,
    /// Position of each unit in the deploy order (callees first).
    rank: Vec<usize>,
}

impl DeliveryModel {
    /// Compiles variant `v` of `s`; `None` if the scenario has no `[delivery]` section.
    pub fn compile(s: &Scenario, v: usize) -> Option<DeliveryModel> {
        let params = s.delivery.clone()?;
        let var = &s.variants[v];
        let nm = s.modules.len();
        let calls = static_calls(s);
        let stores = static_stores(s);
        let mut neighbours = vec![Vec::new(); nm];
        for a in 0..nm {
            for b in 0..nm {
                if a == b {
                    continue;
                }
                let call = calls[a][b] || calls[b][a];
                let shared = stores[a].iter().filter(|d| stores[b].contains(d)).count();
                let stay = (1.0 - params.call_coupling).powi(i32::from(call))
                    * (1.0 - params.store_coupling).powi(shared as i32);
                let p = 1.0 - stay;
                if p > 0.0 {
                    neighbours[a].push((b, p));
                }
            }
        }
        let team_modules = (0..s.teams.len())
            .map(|t| (0..nm).filter(|&m| var.module_team[m] == Some(t)).collect())
            .collect();
        let build_ns = var
            .units
            .iter()
            .map(|u| {
                let loc: u64 = u.modules.iter().map(|&m| s.modules[m].loc).sum();
                params.build_base + (params.build_per_kloc * loc as f64 / 1000.0).round() as u64
            })
            .collect();
        // Unit call graph; toposort puts callers before callees, deploy callees first.
        let nu = var.units.len();
        let mut g: DiGraph<UnitId, ()> = DiGraph::new();
        let nodes: Vec<_> = (0..nu).map(|u| g.add_node(u)).collect();
        for a in 0..nm {
            for b in 0..nm {
                let (ua, ub) = (var.module_unit[a], var.module_unit[b]);
                // The gateway's modules ship with the gateway, not as a unit.
                if ua == ON_GATEWAY || ub == ON_GATEWAY {
                    continue;
                }
                if calls[a][b] && ua != ub && g.find_edge(nodes[ua], nodes[ub]).is_none() {
                    g.add_edge(nodes[ua], nodes[ub], ());
                }
            }
        }
        let mut rank: Vec<usize> = (0..nu).collect();
        if let Ok(order) = toposort(&g, None) {
            for (i, n) in order.iter().rev().enumerate() {
                rank[g[*n]] = i;
            }
        }
        Some(DeliveryModel {
            variant: var.name.clone(),
            params,
            team_names: s.teams.iter().map(|t| t.name.clone()).collect(),
            team_modules,
            neighbours,
            module_unit: var.module_unit.clone(),
            module_team: var.module_team.clone(),
            build_ns,
            rank,
        })
    }

    /// Build-and-test time of each unit \[ns\] (`build_base + build_per_kloc × kLOC`).
    pub fn build_ns(&self) -> &[u64] {
        &self.build_ns
    }
}

#[derive(Clone, Copy, Debug)]
enum Ev {
    Arrive(u32),
    Coordinated(u32),
    Built(u32),
    Fixed(u32),
    Deployed(u32),
    Restored(u32),
    Train,
    ReleaseDeployed(u32),
    ReleaseRestored(u32),
}

struct Change {
    team: TeamId,
    arrived: SimTime,
    /// Units still to pass, in deploy order; `next` indexes it.
    units: Vec<UnitId>,
    next: usize,
    /// Since when it waits (queued, or built and waiting for a train).
    waiting_since: SimTime,
}

#[derive(Default)]
struct Pipe {
    queue: VecDeque<u32>,
    /// The batch being built and deployed (empty = the pipeline is free).
    current: Vec<u32>,
    /// Built changes waiting for the next train.
    boarding: Vec<u32>,
    /// Changes of the train deployment in progress.
    releasing: Vec<u32>,
}

/// Probability that at least one of `n` independent trials with probability `p` succeeds.
fn any_of(p: f64, n: usize) -> f64 {
    1.0 - (1.0 - p).powi(n as i32)
}

/// The figures of one replication.
#[derive(Debug, Clone, Default)]
pub struct RepDelivery {
    deployments: u64,
    failures: u64,
    restore_ns: Vec<f64>,
    lead_h: Vec<f64>,
    arrived: u64,
    unfinished: u64,
    multi_team: u64,
    multi_unit: u64,
    teams_touched: u64,
    team_changes: Vec<u64>,
    team_blocked_ns: Vec<f64>,
    team_coord_ns: Vec<f64>,
}

struct Sim<'m> {
    m: &'m DeliveryModel,
    q: DefaultQueue<Ev>,
    now: SimTime,
    changes: Vec<Change>,
    pipes: Vec<Pipe>,
    pipe_rng: Vec<Rng64>,
    coord_rng: Rng64,
    warmup: SimTime,
    out: RepDelivery,
}

fn exp_ns(rng: &mut Rng64, mean: f64) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    Dist::Exp { mean }.sample_ns(rng)
}

impl Sim<'_> {
    fn measured(&self) -> bool {
        self.now >= self.warmup
    }

    fn enqueue(&mut self, c: u32) {
        let ch = &mut self.changes[c as usize];
        let u = ch.units[ch.next];
        ch.waiting_since = self.now;
        self.pipes[u].queue.push_back(c);
        self.start(u);
    }

    fn blocked(&mut self, c: u32) {
        let ch = &self.changes[c as usize];
        let waited = self.now.since(ch.waiting_since) as f64;
        let team = ch.team;
        if self.measured() {
            self.out.team_blocked_ns[team] += waited;
        }
    }

    fn start(&mut self, u: UnitId) {
        let max = self.m.params.max_batch as usize;
        let p = &mut self.pipes[u];
        if !p.current.is_empty() || p.queue.is_empty() {
            return;
        }
        let n = p.queue.len().min(max);
        p.current.extend(p.queue.drain(..n));
        for i in 0..n {
            let c = self.pipes[u].current[i];
            self.blocked(c);
        }
        self.q
            .push(self.now.after(self.m.build_ns[u]), Ev::Built(u as u32));
    }

    /// Change `c` has been deployed on its current unit: on to the next, or done.
    fn advance(&mut self, c: u32) {
        let ch = &mut self.changes[c as usize];
        ch.next += 1;
        if ch.next < ch.units.len() {
            self.enqueue(c);
        } else if ch.arrived >= self.warmup {
            self.out
                .lead_h
                .push(self.now.since(ch.arrived) as f64 / NS_PER_H);
        }
    }

    /// A deployment of `n` changes on unit `u` has finished: it failed with probability
    /// `1 − (1 − change_failure)^n` (then `restored` comes after the restore time), else
    /// `done` runs now.
    fn deployment(&mut self, u: UnitId, n: usize, restored: Ev, done: impl FnOnce(&mut Self)) {
        let m = self.m;
        let p = &m.params;
        let rng = &mut self.pipe_rng[u];
        let fail = p.change_failure > 0.0 && rng.random::<f64>() < any_of(p.change_failure, n);
        let measured = self.now >= self.warmup;
        if measured {
            self.out.deployments += 1;
        }
        if fail {
            let d = p.restore_time.sample_ns(rng);
            if measured {
                self.out.failures += 1;
                self.out.restore_ns.push(d as f64);
            }
            self.q.push(self.now.after(d), restored);
        } else {
            done(self);
        }
    }

    fn handle(&mut self, ev: Ev, arrival_rng: &mut [Rng64], scope_rng: &mut [Rng64]) {
        match ev {
            Ev::Arrive(t) => {
                let t = t as usize;
                let mean = self.m.params.change_interval[t] as f64;
                let next = exp_ns(&mut arrival_rng[t], mean).max(1);
                self.q.push(self.now.after(next), Ev::Arrive(t as u32));
                self.arrive(t, &mut scope_rng[t]);
            }
            Ev::Coordinated(c) => self.enqueue(c),
            Ev::Built(u) => {
                let u = u as usize;
                let m = self.m;
                let p = &m.params;
                let n = self.pipes[u].current.len();
                let rng = &mut self.pipe_rng[u];
                if p.build_failure > 0.0 && rng.random::<f64>() < any_of(p.build_failure, n) {
                    let d = p.fix_time.sample_ns(rng);
                    self.q.push(self.now.after(d), Ev::Fixed(u as u32));
                    return;
                }
                if self.m.params.release_train.is_some() {
                    let batch = std::mem::take(&mut self.pipes[u].current);
                    for &c in &batch {
                        self.changes[c as usize].waiting_since = self.now;
                    }
                    self.pipes[u].boarding.extend(batch);
                    self.start(u);
                } else {
                    let d = self.m.params.deploy_time.sample_ns(&mut self.pipe_rng[u]);
                    self.q.push(self.now.after(d), Ev::Deployed(u as u32));
                }
            }
            Ev::Fixed(u) => {
                self.q
                    .push(self.now.after(self.m.build_ns[u as usize]), Ev::Built(u));
            }
            Ev::Deployed(u) => {
                let ui = u as usize;
                let n = self.pipes[ui].current.len();
                self.deployment(ui, n, Ev::Restored(u), |sim| sim.finish_current(ui));
            }
            Ev::Restored(u) => self.finish_current(u as usize),
            Ev::Train => {
                if let Some(period) = self.m.params.release_train {
                    self.q.push(self.now.after(period), Ev::Train);
                }
                for u in 0..self.pipes.len() {
                    let p = &mut self.pipes[u];
                    if !p.releasing.is_empty() || p.boarding.is_empty() {
                        continue;
                    }
                    p.releasing = std::mem::take(&mut p.boarding);
                    let boarded = p.releasing.clone();
                    for c in boarded {
                        self.blocked(c);
                    }
                    let d = self.m.params.deploy_time.sample_ns(&mut self.pipe_rng[u]);
                    self.q
                        .push(self.now.after(d), Ev::ReleaseDeployed(u as u32));
                }
            }
            Ev::ReleaseDeployed(u) => {
                let ui = u as usize;
                let n = self.pipes[ui].releasing.len();
                self.deployment(ui, n, Ev::ReleaseRestored(u), |sim| sim.finish_release(ui));
            }
            Ev::ReleaseRestored(u) => self.finish_release(u as usize),
        }
    }

    fn finish_current(&mut self, u: UnitId) {
        let done = std::mem::take(&mut self.pipes[u].current);
        for c in done {
            self.advance(c);
        }
        self.start(u);
    }

    fn finish_release(&mut self, u: UnitId) {
        let done = std::mem::take(&mut self.pipes[u].releasing);
        for c in done {
            self.advance(c);
        }
    }

    fn arrive(&mut self, t: TeamId, rng: &mut Rng64) {
        let m = self.m;
        let own = &m.team_modules[t];
        let home = own[rng.random_range(0..own.len())];
        // Independent cascade over the coupling graph, in a fixed order.
        let mut touched = vec![false; m.neighbours.len()];
        touched[home] = true;
        let mut frontier = vec![home];
        let mut i = 0;
        while i < frontier.len() {
            let a = frontier[i];
            i += 1;
            for &(b, p) in &m.neighbours[a] {
                if !touched[b] && rng.random::<f64>() < p {
                    touched[b] = true;
                    frontier.push(b);
                }
            }
        }
        let mut units: Vec<UnitId> = frontier
            .iter()
            .map(|&x| m.module_unit[x])
            .filter(|&u| u != ON_GATEWAY)
            .collect();
        if units.is_empty() {
            // Only modules hosted on the gateway: no unit pipeline ships it (not modelled).
            return;
        }
        units.sort_unstable_by_key(|&u| (m.rank[u], u));
        units.dedup();
        let mut teams: Vec<TeamId> = frontier.iter().filter_map(|&x| m.module_team[x]).collect();
        teams.sort_unstable();
        teams.dedup();
        let measured = self.measured();
        if measured {
            self.out.arrived += 1;
            self.out.team_changes[t] += 1;
            self.out.teams_touched += teams.len() as u64;
            if teams.len() > 1 {
                self.out.multi_team += 1;
            }
            if units.len() > 1 {
                self.out.multi_unit += 1;
            }
        }
        let c = self.changes.len() as u32;
        let coordinate = units.len() > 1 && teams.len() > 1;
        self.changes.push(Change {
            team: t,
            arrived: self.now,
            units,
            next: 0,
            waiting_since: self.now,
        });
        if coordinate {
            let n = teams.len() as f64;
            let mean = m.params.coordination * n * (n - 1.0) / 2.0;
            let d = exp_ns(&mut self.coord_rng, mean);
            if measured {
                for &x in &teams {
                    self.out.team_coord_ns[x] += d as f64;
                }
            }
            self.q.push(self.now.after(d), Ev::Coordinated(c));
        } else {
            self.enqueue(c);
        }
    }
}

/// Rough number of events of one replication of one variant (about six per change: arrival,
/// coordination, build, deploy and their failures), for work guards; 0 without `[delivery]`.
pub fn estimated_events(s: &Scenario) -> f64 {
    let Some(d) = &s.delivery else {
        return 0.0;
    };
    let horizon = d.warmup.saturating_add(d.duration) as f64;
    d.change_interval
        .iter()
        .map(|&i| 6.0 * horizon / i.max(1) as f64)
        .sum()
}

/// Simulates replication `rep` of a compiled variant with master seed `seed`.
///
/// # Complexity
/// O(E log E) for E events (about 4 per change and unit it touches).
pub fn simulate(m: &DeliveryModel, seed: u64, rep: u64) -> RepDelivery {
    let seeder = StreamSeeder::new(seed, rep);
    let nt = m.team_names.len();
    let nu = m.build_ns.len();
    let mut arrival_rng: Vec<Rng64> = (0..nt)
        .map(|t| seeder.stream(purpose::ARRIVAL, t as u64))
        .collect();
    let mut scope_rng: Vec<Rng64> = (0..nt)
        .map(|t| seeder.stream(purpose::SCOPE, t as u64))
        .collect();
    let p = &m.params;
    let end = SimTime(p.warmup.saturating_add(p.duration));
    let mut sim = Sim {
        m,
        q: DefaultQueue::default(),
        now: SimTime::ZERO,
        changes: Vec::new(),
        pipes: (0..nu).map(|_| Pipe::default()).collect(),
        pipe_rng: (0..nu)
            .map(|u| seeder.stream(purpose::PIPELINE, u as u64))
            .collect(),
        coord_rng: seeder.stream(purpose::COORDINATION, 0),
        warmup: SimTime(p.warmup),
        out: RepDelivery {
            team_changes: vec![0; nt],
            team_blocked_ns: vec![0.0; nt],
            team_coord_ns: vec![0.0; nt],
            ..Default::default()
        },
    };
    for t in 0..nt {
        if !m.team_modules[t].is_empty() {
            let first = exp_ns(&mut arrival_rng[t], p.change_interval[t] as f64).max(1);
            sim.q.push(SimTime(first), Ev::Arrive(t as u32));
        }
    }
    if let Some(period) = p.release_train {
        sim.q.push(SimTime(period), Ev::Train);
    }
    while let Some((t, ev)) = sim.q.pop() {
        if t >= end {
            break;
        }
        sim.now = t;
        sim.handle(ev, &mut arrival_rng, &mut scope_rng);
    }
    let finished = sim.out.lead_h.len() as u64;
    let arrived_in_window = sim
        .changes
        .iter()
        .filter(|c| c.arrived >= sim.warmup)
        .count() as u64;
    sim.out.unfinished = arrived_in_window.saturating_sub(finished);
    sim.out
}

/// Delivery results of one variant (`delivery` in the results document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeliveryResult {
    /// Production deployments per day, all units together (DORA deployment frequency).
    pub deployments_per_day: Stat,
    /// Lead time for changes, arrival to deployed everywhere \[h\] (DORA).
    pub lead_time_h: LeadTime,
    /// Failed deployments / deployments (DORA change failure rate).
    pub change_failure_rate: Stat,
    /// Mean time to restore after a failed deployment \[h\] (DORA), over the replications
    /// with at least one failure (all zeros if none had one).
    pub time_to_restore_h: Stat,
    /// Change requests per day, all teams.
    pub changes_per_day: Stat,
    /// Changes that arrived in the window and were not deployed by its end.
    pub unfinished: Stat,
    /// Fraction of changes touching modules of two or more teams.
    pub multi_team_fraction: Stat,
    /// Fraction of changes touching two or more units.
    pub multi_unit_fraction: Stat,
    /// Mean number of teams whose modules a change touches.
    pub teams_per_change: Stat,
    /// Per team owning modules, in team order.
    pub teams: Vec<TeamDelivery>,
}

/// Lead-time summary \[h\]; percentiles per replication, then combined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LeadTime {
    /// Mean.
    pub mean: Stat,
    /// Median.
    pub p50: Stat,
    /// 90th percentile.
    pub p90: Stat,
}

/// Delivery figures of one team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TeamDelivery {
    /// Team name.
    pub name: String,
    /// Change requests of the team per day.
    pub changes_per_day: Stat,
    /// Hours per day the team's changes spent waiting (queued for a pipeline, behind a broken
    /// build or a restore, for a release train).
    pub time_blocked_h_per_day: Stat,
    /// Hours per day the team spent coordinating changes with other teams.
    pub time_coordinating_h_per_day: Stat,
}

/// The `q`-quantile of sorted values (nearest rank; 0 when empty).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// Combines replications of one variant.
pub fn combine(m: &DeliveryModel, reps: &[RepDelivery]) -> DeliveryResult {
    let days = m.params.duration as f64 / NS_PER_DAY;
    let stat = |f: &dyn Fn(&RepDelivery) -> f64| {
        Stat::from_samples(&reps.iter().map(f).collect::<Vec<_>>())
    };
    let frac = |x: u64, n: u64| if n == 0 { 0.0 } else { x as f64 / n as f64 };
    let sorted: Vec<Vec<f64>> = reps
        .iter()
        .map(|r| {
            let mut v = r.lead_h.clone();
            v.sort_by(f64::total_cmp);
            v
        })
        .collect();
    let per_rep = |f: &dyn Fn(&[f64]) -> f64| {
        Stat::from_samples(&sorted.iter().map(|v| f(v)).collect::<Vec<_>>())
    };
    let restore: Vec<f64> = reps
        .iter()
        .filter(|r| !r.restore_ns.is_empty())
        .map(|r| r.restore_ns.iter().sum::<f64>() / r.restore_ns.len() as f64 / NS_PER_H)
        .collect();
    DeliveryResult {
        deployments_per_day: stat(&|r| r.deployments as f64 / days),
        lead_time_h: LeadTime {
            mean: per_rep(&|v| {
                if v.is_empty() {
                    0.0
                } else {
                    v.iter().sum::<f64>() / v.len() as f64
                }
            }),
            p50: per_rep(&|v| quantile(v, 0.5)),
            p90: per_rep(&|v| quantile(v, 0.9)),
        },
        change_failure_rate: stat(&|r| frac(r.failures, r.deployments)),
        time_to_restore_h: Stat::from_samples(&restore),
        changes_per_day: stat(&|r| r.arrived as f64 / days),
        unfinished: stat(&|r| r.unfinished as f64),
        multi_team_fraction: stat(&|r| frac(r.multi_team, r.arrived)),
        multi_unit_fraction: stat(&|r| frac(r.multi_unit, r.arrived)),
        teams_per_change: stat(&|r| frac(r.teams_touched, r.arrived)),
        teams: (0..m.team_names.len())
            .filter(|&t| !m.team_modules[t].is_empty())
            .map(|t| TeamDelivery {
                name: m.team_names[t].clone(),
                changes_per_day: stat(&|r| r.team_changes[t] as f64 / days),
                time_blocked_h_per_day: stat(&|r| r.team_blocked_ns[t] / NS_PER_H / days),
                time_coordinating_h_per_day: stat(&|r| r.team_coord_ns[t] / NS_PER_H / days),
            })
            .collect(),
    }
}

/// Runs the delivery simulation of the given variants of `s` (`reps` replications each, in
/// parallel on the current rayon pool) and combines each; empty if `s` has no `[delivery]`.
/// The result is the same for any thread count.
pub fn run(s: &Scenario, variants: &[usize], seed: u64, reps: u32) -> Vec<DeliveryResult> {
    let models: Vec<DeliveryModel> = variants
        .iter()
        .filter_map(|&v| DeliveryModel::compile(s, v))
        .collect();
    let tasks: Vec<(usize, u32)> = (0..models.len())
        .flat_map(|v| (0..reps).map(move |k| (v, k)))
        .collect();
    let out: Vec<RepDelivery> = tasks
        .par_iter()
        .map(|&(v, k)| simulate(&models[v], seed, u64::from(k)))
        .collect();
    models
        .iter()
        .enumerate()
        .map(|(v, m)| {
            let r = reps as usize;
            combine(m, &out[v * r..(v + 1) * r])
        })
        .collect()
}
