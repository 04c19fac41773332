//! The validated connection pool of a unit.

/// A connection pool (HikariCP-like) of a unit instance in front of one database.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DbPool {
    /// Connections (≥ 1).
    pub size: u32,
    /// Longest wait for a connection \[ns\] (> 0); then the query fails `pool_timeout`.
    pub acquire_timeout: u64,
}

/// Default pool size (docs/sources.md row "HikariCP pool": maximumPoolSize 10).
pub const DEFAULT_SIZE: u32 = 10;
/// Default acquire timeout \[ns\] (docs/sources.md row "HikariCP pool": connectionTimeout 30 s).
pub const DEFAULT_ACQUIRE_TIMEOUT: u64 = 30_000_000_000;
