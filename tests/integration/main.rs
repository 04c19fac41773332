//! The integration tests of archsim, as one binary (one link, shared helpers).

mod analytic;
mod autoscaling;
mod capacity;
mod cli;
mod common;
mod cost;
mod data_placement;
mod determinism;
mod engine_semantics;
mod faults;
mod front_door;
mod golden;
mod layers;
mod lessons_cost_serverless;
mod org;
mod queueing_theory;
mod report_cli;
mod resilience;
mod rightsize;
mod scenario_parse;
mod scenarios;
mod serverless;
mod sources;
mod sweep;
mod uncertainty;
mod workload_flows;
