//! Statistics of simulation output: the summary of a scalar over replications with its Student
//! t interval ([`Stat`]), bootstrap intervals for tail percentiles, MSER-5 warm-up truncation,
//! the mergeable latency histogram and the per-window latency sample. Pure functions and data:
//! nothing here knows about services or the engine.

pub mod bootstrap;
mod histogram;
pub mod mser;
pub mod stat;
mod window;

pub use histogram::LogHistogram;
pub use stat::Stat;
pub use window::WindowSample;
