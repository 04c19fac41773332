//! The cost estimate: the monthly bill of a variant from the instant analytic estimate's mean
//! rates (`crate::estimate`) instead of a run — what the desktop app shows beside the latency
//! estimate while the user edits.
//!
//! The estimate does not price anything itself: it builds the [`Usage`] a run would record if
//! every counter were exactly its mean rate × the month's seconds, and hands it to the run's
//! own bill ([`super::bill`]), so the lines carry the same `kind/name` keys and the same prices
//! as the run's `cost.by_resource`. The month's parts (`[month]`) are billed as the run bills
//! them: each part's hours at its load × the estimate's rates; `repeat = "window"` is billed as
//! the steady month.
//!
//! What the estimate cannot know, it approximates (docs/cost.md, "The cost estimate"):
//!
//! - **Autoscaled units**: the steady instance count for the target, `⌈CPU demand / (cores ×
//!   target utilization)⌉` within `[min, max]` (an in-flight target: `⌈mean requests in
//!   flight / target⌉`); no scaling lag, no over-provisioning.
//! - **Functions**: requests at the estimate's rate; GB-s from the mean duration of one job
//!   (not cut at `max_duration`) × the rate (each invocation's rounding up to 1 ms is not
//!   modelled); **no cold starts** (the
//!   estimate has none: INIT GB-s are 0); invocations run on provisioned concurrency in the
//!   share `min(1, provisioned / concurrency)`, concurrency = rate × mean duration.
//! - **Queues**: every message sent once, received and deleted in full batches of
//!   `batch_size` (no redeliveries, no partial batches).
//! - **Workflows**: executions started at the rate of the calls that start them; transitions
//!   per execution the expected states entered from the start state (a choice's branches by
//!   their probabilities, a map's iterations by the mean item count, no retries or catches);
//!   an express workflow's duration is not estimated (its GB-s line part is 0).
//! - **Transfer**: cross-zone bytes are not estimated (0); bytes to the internet are every
//!   entry request answered with its operation's `payload`.
//!
//! Everything billed by the hour (fixed instances, hosts, hourly databases, balancer-hours,
//! caches, the cluster fee, self-hosted front doors) is exactly the run's figure.

use super::{bill, Usage};
use crate::components::bit;
use crate::components::external::ExternalsRep;
use crate::components::function::NO_FUNCTION;
use crate::components::lb::spec::LbProduct;
use crate::components::lb::LbUsage;
use crate::components::queue::{self, QueueUsage};
use crate::components::workflow::{StateKind, WorkflowRep, WorkflowSpec, WorkflowsRep, END};
use crate::estimate::{estimate_rates, Rates, VariantEstimate};
use crate::flow::record::NodeUsage;
use crate::flow::topology::{CallKind, NodeKind};
use crate::model::Model;
use crate::scenario::Scenario;
use crate::spec::prices::HOURS_PER_MONTH;
use crate::workload::Arrival;
use serde::Serialize;

/// New connections per second in one ALB LCU (the balancer's own counter, lb/sim.rs).
const PER_LCU: f64 = 25.0;
/// New connections per second in one NLB NLCU.
const PER_NLCU: f64 = 800.0;

/// One line of the estimated monthly bill.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CostEstimateLine {
    /// `kind/name`, as the run's `cost.by_resource` keys its lines.
    pub key: String,
    /// The kind of resource (`unit`, `function`, `database`, `gateway`, `balancer`, …).
    pub kind: String,
    /// The resource's name (a node's name, or a fee's: `kubernetes`, `internet`, …).
    pub name: String,
    /// Estimated monthly cost \[$\].
    pub per_month_usd: f64,
}

/// The estimated monthly bill of one variant.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CostEstimate {
    /// Lines in the run's bill order (units and databases, hosts, front door, services).
    pub lines: Vec<CostEstimateLine>,
    /// Their sum \[$\].
    pub per_month_usd: f64,
}

/// The estimated monthly bill of variant `variant` of `s`, with the latency estimate it comes
/// from. An out-of-range variant gives an empty bill.
pub fn cost_estimate(s: &Scenario, variant: usize) -> (VariantEstimate, CostEstimate) {
    if variant >= s.variants.len() {
        let empty = CostEstimate {
            lines: Vec::new(),
            per_month_usd: 0.0,
        };
        return (crate::estimate::estimate(s, variant), empty);
    }
    let m = Model::compile(s, variant);
    let (e, rates) = estimate_rates(&m);
    // The month bills every entry at its steady rate (a spike's base, a profile's mean, …),
    // which is not always the rate the latency estimate is for (the mean over the run).
    let c = match at_steady_rates(&m) {
        Some(steady) => monthly(&steady, &estimate_rates(&steady).1),
        None => monthly(&m, &rates),
    };
    (e, c)
}

/// `m` with every entry arriving at its steady rate, when some entry's differs from the rate
/// the estimate uses (its mean over the run); `None` when none does.
fn at_steady_rates(m: &Model) -> Option<Model> {
    let differs = |e: usize, a: &Arrival| {
        m.steady_rates
            .get(e)
            .copied()
            .flatten()
            .is_some_and(|s| (s - a.rate()).abs() > 1e-12 * s.max(1.0))
    };
    let any = (m.topo.entries.iter().enumerate()).any(|(e, x)| differs(e, &x.arrival));
    if !any {
        return None;
    }
    let mut steady = m.clone();
    for (e, x) in steady.topo.entries.iter_mut().enumerate() {
        if let Some(rate) = m.steady_rates.get(e).copied().flatten() {
            x.arrival = Arrival::Poisson { rate };
        }
    }
    Some(steady)
}

/// The estimated monthly bill of compiled variant `m` at the mean `rates` of its estimate.
pub fn monthly(m: &Model, rates: &Rates) -> CostEstimate {
    let parts = super::month::parts(&m.month).unwrap_or_else(|| vec![(HOURS_PER_MONTH, 1.0)]);
    let mut lines: Vec<CostEstimateLine> = Vec::new();
    for (hours, x) in parts {
        if hours <= 0.0 {
            continue;
        }
        let window_s = hours * 3600.0;
        let b = bill_at(m, rates, x, window_s);
        for l in &b.lines {
            let key = l.key();
            match lines.iter_mut().find(|x| x.key == key) {
                Some(line) => line.per_month_usd += l.window_usd,
                None => lines.push(CostEstimateLine {
                    key,
                    kind: l.kind.as_str().to_string(),
                    name: l.name.clone(),
                    per_month_usd: l.window_usd,
                }),
            }
        }
    }
    let per_month_usd = lines.iter().map(|l| l.per_month_usd).sum();
    CostEstimate {
        lines,
        per_month_usd,
    }
}

/// Whole count of a rate `r` \[1/s\] over `t` seconds.
fn count(r: f64, t: f64) -> u64 {
    (r * t).round().max(0.0) as u64
}

/// The bill of `window_s` seconds at load `x` (× every rate).
fn bill_at(m: &Model, rates: &Rates, x: f64, window_s: f64) -> super::Bill {
    let t = &m.topo;
    let nodes = node_usage(m, rates, x, window_s);
    let entry_rate: f64 = t.entries.iter().map(|e| e.arrival.rate() * x).sum();
    let requests = count(entry_rate, window_s);
    let load_balancers: Vec<LbUsage> = m
        .plans
        .lb
        .nodes
        .iter()
        .zip(&m.plans.lb.products)
        .map(|(&n, product)| {
            let per_unit = match product {
                LbProduct::AwsAlb => PER_LCU,
                LbProduct::AwsNlb => PER_NLCU,
                LbProduct::SelfHosted { .. } => f64::INFINITY,
            };
            let arrivals = count(rates.node_jobs[n as usize] * x, window_s);
            LbUsage {
                name: t.nodes[n as usize].name.clone(),
                hours: window_s / 3600.0,
                lcu_hours: arrivals as f64 / per_unit / 3600.0,
            }
        })
        .collect();
    let queues = queue_usage(m, rates, x, window_s);
    let externals = ExternalsRep {
        calls: (0..m.plans.external.slot_ext.len())
            .map(|slot| {
                let r: f64 = (0..t.ops.len())
                    .filter(|&op| m.plans.external.slot_of_op[op] as usize == slot)
                    .map(|op| rates.op_jobs[op])
                    .sum();
                count(r * x, window_s)
            })
            .collect(),
        refused: vec![0; m.plans.external.slot_ext.len()],
    };
    let workflows = workflow_usage(m, rates, x, window_s);
    let internet_bytes: f64 = t
        .entries
        .iter()
        .zip(&m.response_bytes)
        .map(|(e, bytes)| count(e.arrival.rate() * x, window_s) as f64 * bytes)
        .sum();
    let usage = Usage {
        nodes: &nodes,
        gateway_requests: if m.gateway_product.is_some() {
            requests
        } else {
            0
        },
        load_balancers: &load_balancers,
        queues: &queues,
        cross_zone_bytes: 0.0,
        internet_bytes,
        externals: &externals,
        workflows: &workflows,
    };
    bill(m, &usage, window_s, requests)
}

/// Per node of the topology: its usage over `window_s` at load `x`.
fn node_usage(m: &Model, rates: &Rates, x: f64, window_s: f64) -> Vec<NodeUsage> {
    let t = &m.topo;
    let mut out = vec![NodeUsage::default(); t.nodes.len()];
    for (op, o) in t.ops.iter().enumerate() {
        let n = o.node as usize;
        let Some(u) = out.get_mut(n) else {
            continue;
        };
        let jobs = rates.op_jobs[op] * x;
        if t.nodes[n].kind == NodeKind::Database {
            if o.write {
                u.writes += count(jobs, window_s);
            } else {
                u.reads += count(jobs, window_s);
            }
        }
        let f = m.plans.function.of_node[n];
        if f != NO_FUNCTION {
            let plan = &m.plans.function.functions[f as usize];
            let dur = rates.job_time_s[op].unwrap_or(0.0);
            let concurrency = jobs * dur;
            let provisioned = if plan.provisioned == 0 {
                0.0
            } else if concurrency <= f64::from(plan.provisioned) {
                1.0
            } else {
                f64::from(plan.provisioned) / concurrency
            };
            let ms = jobs * dur * 1000.0 * window_s;
            u.invocations += count(jobs, window_s);
            u.billed_ms += (ms * (1.0 - provisioned)).round() as u64;
            u.billed_ms_provisioned += (ms * provisioned).round() as u64;
        }
    }
    for s in &m.plans.autoscaler.scalers {
        let n = s.node as usize;
        let node = &t.nodes[n];
        let demand = rates.node_demand[n] * x;
        let need = match s.spec.metric {
            crate::components::autoscaler::Metric::Utilization(target) => {
                demand / (node.cores * target)
            }
            // Mean requests in flight ≈ jobs × mean time of a job (Little's law).
            crate::components::autoscaler::Metric::InFlight(target) => {
                let time: f64 = (0..t.ops.len())
                    .filter(|&op| t.ops[op].node as usize == n)
                    .map(|op| rates.op_jobs[op] * x * rates.job_time_s[op].unwrap_or(0.0))
                    .sum();
                time / target
            }
        };
        let steady = if need.is_finite() { need.ceil() } else { 0.0 };
        let inst = steady.clamp(f64::from(s.spec.min.max(1)), f64::from(s.spec.max.max(1)));
        if let Some(u) = out.get_mut(n) {
            u.instances_mean = inst;
        }
    }
    out
}

/// Per queue: its billed requests over `window_s` at load `x` (queue/mod.rs's counting, every
/// message in full batches).
fn queue_usage(m: &Model, rates: &Rates, x: f64, window_s: f64) -> Vec<QueueUsage> {
    let t = &m.topo;
    let plans = &m.plans.queue.queues;
    let mut messages = vec![0.0; plans.len()];
    let mut bytes = vec![0.0; plans.len()];
    for (c, cp) in t.calls.iter().enumerate() {
        if cp.kind == CallKind::Component && cp.hooks & bit::queue != 0 {
            if let Some(q) = messages.get_mut(cp.aux as usize) {
                *q += rates.call_rate[c] * x;
                bytes[cp.aux as usize] = t.ops.get(cp.op as usize).map_or(0.0, |o| o.payload);
            }
        }
    }
    plans
        .iter()
        .enumerate()
        .map(|(q, p)| {
            let n = count(messages[q], window_s);
            let b = u64::from(p.batch_size.max(1));
            let per_batch = queue::receive_requests(b, bytes[q]) + queue::delete_requests(b);
            let batches = n.div_ceil(b);
            QueueUsage {
                name: p.name.clone(),
                requests: n * queue::chunks(bytes[q]) + batches * per_batch,
            }
        })
        .collect()
}

/// Per workflow: executions started and transitions over `window_s` at load `x`.
fn workflow_usage(m: &Model, rates: &Rates, x: f64, window_s: f64) -> WorkflowsRep {
    let plan = &m.plans.workflow;
    let mut started = vec![0.0; plan.workflows.len()];
    for (c, cp) in m.topo.calls.iter().enumerate() {
        if cp.kind == CallKind::Component && cp.hooks & bit::workflow != 0 {
            if let Some(site) = plan.sites.get(cp.aux as usize) {
                started[site.wf as usize] += rates.call_rate[c] * x;
            }
        }
    }
    WorkflowsRep {
        workflows: plan
            .workflows
            .iter()
            .zip(started)
            .map(|(w, r)| {
                let n = count(r, window_s);
                WorkflowRep {
                    started: n,
                    transitions: (n as f64 * transitions(w, w.start, 0)).round() as u64,
                    ..WorkflowRep::default()
                }
            })
            .collect(),
    }
}

/// Expected states entered from state `s` of `w` to the end of its branch (`depth` guards
/// against a loop).
fn transitions(w: &WorkflowSpec, s: u32, depth: u32) -> f64 {
    let Some(st) = w.states.get(s as usize).filter(|_| s != END && depth < 64) else {
        return 0.0;
    };
    let d = depth + 1;
    let rest = transitions(w, st.next, d);
    1.0 + match &st.kind {
        StateKind::Choice { branches, default } => {
            let p: f64 = branches.iter().map(|b| b.0).sum();
            branches
                .iter()
                .map(|&(q, b)| q * transitions(w, b, d))
                .sum::<f64>()
                + (1.0 - p).max(0.0) * transitions(w, *default, d)
        }
        StateKind::Parallel { branches } => {
            branches.iter().map(|&b| transitions(w, b, d)).sum::<f64>() + rest
        }
        StateKind::Map {
            items, iterator, ..
        } => items.mean().max(0.0) * transitions(w, *iterator, d) + rest,
        _ => rest,
    }
}
