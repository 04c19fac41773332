//! `bulkhead = N | true` → the most attempts in flight on a call edge.

use super::raw::Bulkhead;
use super::DEFAULT_BULKHEAD;
use crate::spec::error::Sink;
use crate::spec::units::describe;

/// The size of bulkhead `b` (field path `f`); `None` if invalid.
pub(crate) fn bulkhead(s: &mut Sink<'_>, b: &Bulkhead, f: &str) -> Option<u32> {
    match b.value() {
        toml::Value::Boolean(true) => Some(DEFAULT_BULKHEAD),
        toml::Value::Integer(n) if (1..=1_000_000).contains(n) => Some(*n as u32),
        other => {
            s.error(
                b.span(),
                f,
                format!("expected the most attempts in flight on this call edge, an integer from 1 to 1000000 (or true for 10, Hystrix's pool), found {}", describe(other)),
                None,
            );
            None
        }
    }
}
