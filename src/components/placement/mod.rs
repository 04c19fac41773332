//! Host and zone placement: units placed on named hosts share the host's cores unless they
//! have a `cpu_limit`; instances in different zones pay the cross-zone latency and transfer; a
//! host or zone outage takes down every instance on it (a fault kind).

mod sim;
pub use sim::*;
