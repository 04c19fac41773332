//! Defaults of transactions.

/// Default lock-wait timeout \[ns\] (docs/sources.md row *lock wait timeout*: InnoDB's
/// `innodb_lock_wait_timeout` of 50 s).
pub const DEFAULT_LOCK_TIMEOUT: u64 = 50_000_000_000;

/// Default commit latency \[ns\] (docs/sources.md row *commit latency*, unverified).
pub const DEFAULT_COMMIT_LATENCY: f64 = 1e6;
