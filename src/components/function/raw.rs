//! The raw serverless keys. A function's keys (`runtime`, `memory`, `reserved_concurrency`,
//! `provisioned`, `keep_alive`, `cold_start`, `max_duration`, `burst_limit`, `burst_interval`)
//! are keys of the scenario's unit table, handed to the resolver as
//! `resolve::FunctionKeys`; the runtime is the one type of its own (its doc comments
//! are the JSON Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

/// Serverless runtimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawRuntime {
    /// Node.js.
    Node,
    /// Python.
    Python,
    /// Go.
    Go,
    /// Rust.
    Rust,
    /// Java.
    Java,
    /// .NET.
    Dotnet,
}
