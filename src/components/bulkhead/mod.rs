//! Bulkheads on call edges: at most `max` attempts in flight at once on the edge; an attempt
//! over the limit fails at once with `rejected`, attributed to the protected dependency.
//! Given as `true`, the size follows Hystrix (docs/sources.md row *Hystrix*: pool 10).

/// Default bulkhead size when given as `true` (docs/sources.md row *Hystrix*: pool 10).
pub const DEFAULT_BULKHEAD: u32 = 10;
