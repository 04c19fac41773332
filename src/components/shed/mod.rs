//! Load shedding on a unit.
//!
//! # Configuration
//!
//! `shed = { max_wait }` on a unit (none by default: docs/sources.md row *call defaults*);
//! `max_wait` > 0 is required; not supported on `io = "async"` units.
//!
//! # Files
//!
//! - `mod.rs`: the validated [`ShedPolicy`].
//! - `raw.rs`: the TOML keys ([`raw::RawShed`]).
//! - `resolve.rs`: raw → [`ShedPolicy`], with located diagnostics.

pub mod raw;
pub(crate) mod resolve;

/// Load shedding on a unit: an arriving request that would have to queue is rejected with
/// reason `shed` when the expected wait exceeds `max_wait`. The expected wait is estimated by
/// the wait so far of the oldest request in the queue (a lower bound of what a newcomer faces
/// under FIFO when service is steady; the signal CoDel uses).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShedPolicy {
    /// Bound on the queue wait \[ns\].
    pub max_wait: u64,
}
