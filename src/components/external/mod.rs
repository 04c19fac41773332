//! External services: dependencies outside the system (a card processor, an e-mail API, a
//! geocoder). An external is called like a data store (`NAME.op`), over one network hop each
//! way, but it runs on no cores of ours and holds no connections: every call is answered after
//! its operation's `latency` (an infinite-server delay), fails `error` with its `error_rate`,
//! and may be refused by the provider's **quota** — a token bucket over all callers — with a
//! 429 (`rate_limited`) whose `Retry-After` the call-edge retries honour. Each admitted call
//! costs its `price`. Outages are faults on the external's name.
//!
//! # Configuration
//!
//! `[externals.NAME]`: `latency` (dist), `error_rate` (0–1, default 0), `quota = { rate,
//! burst }` (default none; `burst` defaults to `rate`, at least 1, as the gateway's rate
//! limit), `price` (US dollars per admitted call, default 0), `ops.OP = { latency,
//! error_rate, price }` (each overriding the service's value). See docs/format.md, "External
//! services", and docs/semantics.md §23.
//!
//! # Files
//!
//! - `mod.rs`: the validated [`ExternalSpec`].
//! - `raw.rs`: the TOML keys ([`raw::RawExternal`]).
//! - `resolve.rs`: raw → validated, with located diagnostics.
//! - `compile.rs`: one node per external (a single infinite-server station) and the plan.
//! - `sim.rs`: the quota and the call counts in a replication ([`Externals`]).
//! - `cost.rs`: the bill, one line `external NAME` per external.
//! - `estimate.rs`: the quota's admitted share in the analytic estimate.

mod compile;
pub mod cost;
pub mod estimate;
pub mod raw;
pub(crate) mod resolve;
mod sim;

pub use compile::*;
pub use sim::*;

use crate::components::rate_limit::RateLimit;
use crate::spec::names::OpId;

/// Index of an external in [`crate::scenario::Scenario::externals`].
pub type ExtId = usize;

/// One validated `[externals.NAME]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalSpec {
    /// Its name (shared namespace with modules and data stores).
    pub name: String,
    /// The provider's quota over all callers, if any.
    pub quota: Option<RateLimit>,
    /// Its operations (ids in the scenario's operations), in file order.
    pub ops: Vec<OpId>,
    /// Price of one admitted call of each operation (same order as `ops`) \[$\].
    pub prices: Vec<f64>,
}
