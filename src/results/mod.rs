//! The results document (`run --json`, schema versioned; see `docs/results.md`) and how the
//! replications of a run are combined into it: every scalar over replications as a [`crate::stats::Stat`]
//! with its 95% interval, percentiles with bootstrap intervals where replications are few,
//! series averaged window by window, paired differences between variants, the bill, the
//! failure-propagation views and the SLO checks.

pub mod anatomy;
pub mod combine;
pub mod cost;
pub mod resilience;
pub mod slo;
pub mod slo_prob;
mod types;
pub mod verdict;
pub mod warmup;

pub use combine::{compare, entry_values, has_latency};
pub use resilience::{
    BlastRadius, BreakerChangeResult, EdgeResult, EntryBlast, EpisodeEntry, RandomBlastRadius,
    ResilienceResult,
};
pub use types::*;
