//! The request flow as components see it: the failure reasons, the core per-replication
//! records, the processor-sharing station every instance is, and the stream purposes.

pub mod purpose;
mod reason;
pub mod record;
pub mod station;

pub use reason::Reason;
