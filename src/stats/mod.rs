//! Statistics of simulation output: the summary of a scalar over replications with its Student
//! t interval ([`Stat`]), the latency summary ([`LatencyResult`]), series averaged over
//! replications, bootstrap intervals for tail percentiles, MSER-5 warm-up truncation, the
//! mergeable latency histogram and the per-window latency sample. Pure functions and data:
//! nothing here knows about services or the engine.

pub mod bootstrap;
mod histogram;
pub mod ks;
mod latency;
pub mod mser;
mod over;
pub mod stat;
mod window;

pub use histogram::LogHistogram;
pub use ks::{ks, ks2};
pub use latency::{quantile_s, LatencyResult};
pub use over::{mean_present_series, mean_series, ratio};
pub use stat::Stat;
pub use window::WindowSample;
