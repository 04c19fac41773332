//! archsim — an architecture simulator and capacity planner.
//!
//! Describe a system once (modules, operations, calls, data stores, teams) and several ways to
//! deploy it; archsim simulates every variant under the same workload, as Monte Carlo
//! replications in parallel, and compares them.
//!
//! ```
//! let text = r#"
//! name = "M/M/1"
//! replications = 2
//! [network]
//! latency = "0s"
//! marshal_per_kb = "0us"
//! [workload]
//! duration = "1000s"
//! warmup = "100s"
//! [[workload.entries]]
//! name = "req"
//! op = "station.work"
//! arrival = { process = "poisson", rate = 0.5 }
//! [modules.station]
//! ops.work = { cpu = { dist = "exp", mean = "1s" } }
//! [[variants]]
//! name = "single"
//! [[variants.units]]
//! name = "station"
//! modules = ["station"]
//! workers = 1
//! "#;
//! let scenario = archsim::scenario::parse(text, "mm1.toml").expect("valid scenario");
//! let results = archsim::runner::run(&scenario, &Default::default()).expect("run");
//! assert!(results.self_check.ok);
//! let w = results.variants[0].entries["req"].latency_s.mean.mean;
//! assert!(w > 1.0 && w < 4.0); // theory: 1 / (1 − 0.5) = 2 s
//! ```
#![warn(missing_docs)]

pub mod analytic;
pub mod app;
pub mod components;
pub mod cost;
pub mod discover;
pub mod engine;
pub mod estimate;
pub mod flow;
pub mod kernel;
pub mod model;
pub mod org;
pub mod plan;
pub mod report;
pub mod results;
pub mod runner;
pub mod scenario;
pub mod spec;
pub mod stats;
pub mod workload;
