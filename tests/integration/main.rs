//! The integration tests of archsim, as one binary (one link, shared helpers).

mod analytic;
mod cli;
mod common;
mod determinism;
mod engine_semantics;
mod queueing_theory;
mod report_cli;
mod scenario_parse;
mod scenarios;
mod workload_flows;
