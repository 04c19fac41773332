//! Planning over many runs: parameter sweeps (latency vs load, the knee), the capacity search
//! (the highest rate meeting an SLO), right-sizing (the cheapest setting meeting it), and the
//! merge of sharded runs and sweeps.

pub mod capacity;
pub mod merge;
pub mod part;
mod reach;
pub mod rightsize;
pub mod sweep;
pub mod zero_load;
