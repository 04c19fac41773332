//! The validated settings of a serverless unit.

use crate::kernel::dist::Dist;

/// Language runtime of a serverless function: selects the default cold-start distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// Node.js (default).
    Node,
    /// Python.
    Python,
    /// Go.
    Go,
    /// Rust.
    Rust,
    /// Java (without SnapStart).
    Java,
    /// .NET.
    Dotnet,
}

impl Runtime {
    /// Default cold-start distribution \[ns\]: a log-normal with the median of the docs/sources.md row
    /// "cold start by runtime (p50)" (middle of the range) and p99 = 2.5 × p50 (the row's
    /// "p99 ≈ 2–3× p50"): σ = ln 2.5 / 2.326 = 0.394, cv = √(e^σ² − 1) = 0.41,
    /// mean = median · e^(σ²/2) = 1.081 × median.
    pub fn cold_start(self) -> crate::kernel::dist::Dist {
        let median_ms = match self {
            Runtime::Node | Runtime::Python => 250.0, // 150–400 ms
            Runtime::Go | Runtime::Rust => 100.0,     // 50–200 ms
            Runtime::Java => 2000.0,                  // 1–5 s
            Runtime::Dotnet => 600.0,                 // 0.3–1.2 s
        };
        crate::kernel::dist::Dist::lognormal(median_ms * 1.081 * 1e6, 0.41)
    }
}

/// Settings of a serverless unit (see `docs/semantics.md`, serverless functions).
#[derive(Debug, Clone)]
pub struct FunctionSpec {
    /// Language runtime (default Node.js).
    pub runtime: Runtime,
    /// Cold-start delay \[ns\] (default from the runtime).
    pub cold_start: Dist,
    /// Idle time after which a warm instance is reclaimed \[ns\] (default 10 min).
    pub keep_alive: u64,
    /// Longest invocation \[ns\] (default 900 s); longer ones fail with `max_duration`.
    pub max_duration: u64,
    /// Reserved concurrency: the function's own limit, carved out of the account's.
    pub reserved: Option<u32>,
    /// Instances kept initialized at all times (provisioned concurrency).
    pub provisioned: u32,
    /// New instances the function may start in a burst (token-bucket capacity, default 1,000).
    pub burst_limit: u32,
    /// Time for the bucket to refill completely \[ns\] (default 10 s), continuously.
    pub burst_interval: u64,
}

impl Default for FunctionSpec {
    fn default() -> Self {
        FunctionSpec {
            runtime: Runtime::Node,
            cold_start: Runtime::Node.cold_start(),
            keep_alive: 600_000_000_000,
            max_duration: 900_000_000_000,
            reserved: None,
            provisioned: 0,
            burst_limit: 1000,
            burst_interval: 10_000_000_000,
        }
    }
}
