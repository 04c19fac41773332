//! The request flow as components see it: the compiled core of a variant ([`topology`]), which
//! instances are up ([`availability`]), the processor-sharing station every instance is, load
//! balancing across instances, the failure reasons, the core per-replication records, and the
//! stream purposes.

pub mod anatomy;
pub mod availability;
pub mod balance;
pub mod measure;
pub mod purpose;
mod reason;
pub mod record;
pub mod station;
pub mod topology;

pub use reason::Reason;
