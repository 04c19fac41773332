//! Host and zone placement: units placed on named hosts share the host's cores unless they
//! have a `cpu_limit`; instances in different zones pay the cross-zone latency and transfer; a
//! host or zone outage takes down every instance on it (a fault kind). The instances on a host
//! must fit its memory (see `docs/semantics.md`, "Databases, hosts and zones").
//!
//! # Configuration
//!
//! - `[[variants.hosts]]`: `name`, `cores` (required), `memory` (default: not checked), `zone`.
//! - A unit's `host` or `hosts` (instance `i` on `hosts[i % len]`), `cpu_limit` (only on a
//!   host; default: the instance shares the host's cores left by the limited ones) and, without
//!   hosts, `zones` (instance `i` in `zones[i % len]`).
//! - A database's `zone` and `read_replicas` (0 to 15, default 0: docs/sources.md row *read
//!   replicas*).
//!
//! Defaults: docs/sources.md row *placement defaults* (no hosts, no zones). A zone exists by
//! being named; zone ids follow the order of first use (hosts, units, databases).
//!
//! # Files
//!
//! - `raw.rs`: the TOML keys of a host ([`raw::RawHost`]).
//! - `spec.rs`: the validated [`spec::Host`] and [`spec::Placement`].
//! - `resolve.rs`: the hosts, the zones and the placement of each unit and database, with
//!   located diagnostics.
//! - `sim.rs`: hosts and zones in a replication ([`Placement`]).
//! - `cost.rs`: the hosts' bill and the cross-zone transfer.
//! - `compile.rs`: where each instance runs (shared host cores, `cpu_limit`, zone).
//! - `estimate.rs`: a host's shared cores as one queued station.

mod compile;
pub mod cost;
pub mod estimate;
pub mod raw;
pub(crate) mod resolve;
mod sim;
pub mod spec;

pub use compile::*;
pub use sim::*;
