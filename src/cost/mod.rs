//! The cost of a run: the price tables (`crate::spec::prices`) applied to the usage a
//! replication reports ([`Usage`]): the bill per node ([`platforms`] for compute,
//! [`services`] for the rest). Each component prices its own usage (its `cost.rs`: serverless
//! functions, hosts and cross-zone bytes, the gateway, load balancers, caches, queues); this
//! module prices plain units and databases, packs Kubernetes pods onto nodes, and lays the
//! lines out into the [`Bill`].
//!
//! The bill covers the measured interval (after warm-up) at the simulated load; the monthly
//! figure re-evaluates it over the declared month ([`month`]). See `docs/cost.md`.

pub mod estimate;
pub mod month;
pub mod platforms;
pub mod services;

use crate::components::external::ExternalsRep;
use crate::components::lb::LbUsage;
use crate::components::queue::QueueUsage;
use crate::engine::record::RepResult;
use crate::flow::record::NodeUsage;
use crate::model::Model;

pub use crate::spec::prices::{CostLine, HOURS_PER_MONTH};

/// What one replication consumed that has a price: a view of its record.
#[derive(Debug, Clone, Copy)]
pub struct Usage<'a> {
    /// Per node.
    pub nodes: &'a [NodeUsage],
    /// Entry requests that went through the variant's API gateway.
    pub gateway_requests: u64,
    /// Explicit load balancers.
    pub load_balancers: &'a [LbUsage],
    /// Message queues.
    pub queues: &'a [QueueUsage],
    /// Bytes that crossed zones (each direction counts) \[bytes\].
    pub cross_zone_bytes: f64,
    /// Bytes of the responses that left the system to the internet: each entry request
    /// answered successfully carries its operation's `payload` out \[bytes\].
    pub internet_bytes: f64,
    /// Calls admitted by the external services.
    pub externals: &'a ExternalsRep,
    /// Workflow executions, transitions and billed durations.
    pub workflows: &'a crate::components::workflow::WorkflowsRep,
}

impl<'a> Usage<'a> {
    /// The usage recorded by replication `r` of `m`.
    pub fn of(m: &Model, r: &'a RepResult) -> Usage<'a> {
        Usage {
            nodes: &r.usage,
            gateway_requests: if m.gateway_product.is_some() {
                r.entries.iter().map(|e| e.arrived).sum()
            } else {
                0
            },
            load_balancers: &r.components.lb,
            queues: &r.components.queue.usage,
            cross_zone_bytes: r.components.placement.cross_zone_bytes,
            internet_bytes: internet_bytes(m, r),
            externals: &r.components.external,
            workflows: &r.components.workflow,
        }
    }
}

/// Bytes of the successful responses of replication `r`'s entry requests: each carries its
/// entry operation's `payload` to the client.
pub fn internet_bytes(m: &Model, r: &RepResult) -> f64 {
    r.entries
        .iter()
        .zip(&m.response_bytes)
        .map(|(e, bytes)| e.completed as f64 * bytes)
        .sum()
}

/// The bill of one replication over its measured window.
#[derive(Debug, Clone, PartialEq)]
pub struct Bill {
    /// Lines, in a fixed order: units, databases, then the variant-wide lines.
    pub lines: Vec<CostLine>,
    /// Length of the measured window \[s\].
    pub window_s: f64,
    /// Entry requests that arrived in the window (the denominator of the per-million figure).
    pub requests: u64,
}

impl Bill {
    /// Total over the window \[$\].
    pub fn window_usd(&self) -> f64 {
        self.lines.iter().map(|l| l.window_usd).sum()
    }

    /// `x` dollars over the window, extrapolated to a month at the same load \[$\].
    pub fn per_month(&self, x: f64) -> f64 {
        if self.window_s > 0.0 {
            x * HOURS_PER_MONTH * 3600.0 / self.window_s
        } else {
            0.0
        }
    }

    /// `x` dollars over the window per million entry requests \[$\] (0 without requests).
    pub fn per_million(&self, x: f64) -> f64 {
        if self.requests > 0 {
            x * 1e6 / self.requests as f64
        } else {
            0.0
        }
    }
}

/// The bill of a replication of `m` that used `usage` over a measured window of `window_s`
/// seconds, with `requests` entry requests arriving in it.
pub fn bill(m: &Model, usage: &Usage<'_>, window_s: f64, requests: u64) -> Bill {
    let p = &m.prices;
    let mut lines = platforms::compute_lines(m, usage, window_s);
    lines.extend(services::service_lines(m, p, usage, window_s));
    Bill {
        lines,
        window_s,
        requests,
    }
}
