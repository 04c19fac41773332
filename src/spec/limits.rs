//! Limits of the file format shared by the scenario's resolver and the components': a value
//! beyond them is taken for a typo and reported.

/// Most replicas of a unit (also of a gateway, and the most instances a fault or an autoscaler
/// names).
pub const MAX_REPLICAS: i64 = 100_000;
/// Most workers per instance.
pub const MAX_WORKERS: i64 = 1_000_000;
/// Longest queue per instance (also the most requests in flight through a load balancer
/// instance).
pub const MAX_QUEUE: i64 = 100_000_000;
/// Most cores of an instance, a host, a database or a gateway instance.
pub const MAX_CORES: f64 = 4096.0;
/// Highest arrival rate of an entry, and of a gateway's rate limit \[1/s\].
pub const MAX_RATE: f64 = 1e8;
