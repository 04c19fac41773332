//! Compiling a serverless unit's function: its plan, and the speed its memory gives one
//! invocation — the one place the rule is written.

use super::spec::FunctionSpec;
use super::{FunctionPlan, Plan};

/// Bytes of memory that give one full vCPU (docs/sources.md, serverless "memory / CPU":
/// 1,769 MB = 1 vCPU).
pub const FULL_CORE_MEMORY: u64 = 1_769_000_000;

/// Memory of a function whose unit gives none: one full vCPU (speed 1), billed as 1,769 MB.
pub const DEFAULT_MEMORY: u64 = FULL_CORE_MEMORY;

/// Speed of one invocation of a function with `memory` bytes, relative to one core: its vCPU
/// share, capped at one core (one invocation is one thread) and floored at 1% (the smallest
/// configurable memory still computes); 1 when the unit gives no memory.
pub fn speed(memory: Option<u64>) -> f64 {
    match memory {
        Some(m) => (m as f64 / FULL_CORE_MEMORY as f64).clamp(0.01, 1.0),
        None => 1.0,
    }
}

/// Compiles the function of the serverless unit at `node` (unit memory `memory`, function
/// settings `spec`) into `plan`; returns its index and the memory of its provisioned instances
/// \[bytes\].
pub fn compile(node: u32, memory: Option<u64>, spec: &FunctionSpec, plan: &mut Plan) -> (u32, u64) {
    let memory = memory.unwrap_or(DEFAULT_MEMORY);
    plan.functions.push(FunctionPlan {
        node,
        memory,
        cold_start: spec.cold_start.clone(),
        keep_alive: spec.keep_alive,
        max_duration: spec.max_duration,
        reserved: spec.reserved,
        provisioned: spec.provisioned,
        burst_limit: spec.burst_limit,
        burst_interval: spec.burst_interval,
    });
    (
        (plan.functions.len() - 1) as u32,
        memory * spec.provisioned as u64,
    )
}
