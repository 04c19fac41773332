//! Components of the deployed system, one folder each, and their registry.
//!
//! [`contract`] states what a component is to the engine; the registry below lists every
//! component once. [`report`] is what a component's combination across replications reads of
//! each replication, [`knob`] how a component describes a right-sizing knob. Adding a component is one folder, one
//! line here, and its hook-up where the file format and the model hold it (see
//! `docs/architecture.md`, "Adding a component").

pub mod contract;
pub mod knob;
pub mod report;
#[macro_use]
mod registry;

pub mod autoscaler;
pub mod breaker;
pub mod bulkhead;
pub mod cache;
pub mod external;
pub mod faults;
pub mod function;
pub mod gateway;
pub mod lb;
pub mod placement;
pub mod policy;
pub mod pool;
pub mod queue;
pub mod rate_limit;
pub mod retry;
pub mod saga;
pub mod shed;
pub mod tx;
pub mod workflow;

use contract::{CallGate, Component, Estimate, FinishCx, Frame, FrameId, SimCx};

components! {
    /// Serverless functions (`platform = "serverless"` units).
    Function => function: function::Function,
    /// Response caches: gateway routes, the CDN, cache nodes.
    Cache => cache: cache::Cache,
    /// The gateway's rate limit.
    RateLimit => rate_limit: rate_limit::RateLimiter,
    /// The plain API gateway's overhead.
    Gateway => gateway: gateway::Gateway,
    /// Explicit load balancers (billing).
    Lb => lb: lb::LoadBalancers,
    /// Connection pools.
    Pool => pool: pool::Pools,
    /// Hosts and zones.
    Placement => placement: placement::Placement,
    /// Message queues.
    Queue => queue: queue::Queues,
    /// External services.
    External => external: external::Externals,
    /// Sagas.
    Saga => saga: saga::Sagas,
    /// Transactions and locks.
    Tx => tx: tx::Transactions,
    /// Client retries.
    Retry => retry: retry::ClientRetry,
    /// Call-edge policies (timeout, retries, breaker, bulkhead, fallback).
    Policy => policy: policy::Policies,
    /// Faults.
    Faults => faults: faults::Faults,
    /// Autoscalers.
    Autoscaler => autoscaler: autoscaler::Autoscaler,
    /// Workflows (Step Functions-like state machines).
    Workflow => workflow: workflow::Workflows,
}
