//! Components of the deployed system, one folder each.

pub mod autoscaler;
pub mod breaker;
pub mod bulkhead;
pub mod cache;
pub mod faults;
pub mod function;
pub mod lb;
pub mod policy;
pub mod pool;
pub mod queue;
pub mod rate_limit;
pub mod retry;
pub mod saga;
pub mod shed;
