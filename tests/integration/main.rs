//! The integration tests of archsim, as one binary (one link, shared helpers).

mod analytic;
mod cli;
mod common;
mod determinism;
mod engine_semantics;
mod faults;
mod queueing_theory;
mod resilience;
mod scenario_parse;
mod scenarios;
