//! `pool = { size, acquire_timeout }` of a unit → [`DbPool`].

use super::raw::RawPool;
use super::spec::{DbPool, DEFAULT_ACQUIRE_TIMEOUT, DEFAULT_SIZE};
use crate::spec::check::{dur_positive, int};
use crate::spec::error::Sink;
use crate::spec::raw::Sp;

/// The pool of a unit at field path `uf`; `serverless` = the unit is a function, which has no
/// pool per instance yet (reported, the pool still resolved).
pub(crate) fn pool(s: &mut Sink<'_>, p: &Sp<RawPool>, uf: &str, serverless: bool) -> DbPool {
    let pf = format!("{uf}.pool");
    if serverless {
        s.error(
            p.span(),
            &pf,
            "a connection pool per instance is not modelled for serverless functions yet",
            Some("remove `pool`, or run the unit on `vm`/`container`".into()),
        );
    }
    let p = p.get();
    DbPool {
        size: p
            .size
            .as_ref()
            .and_then(|x| int(s, x, &format!("{pf}.size"), 1, 100_000, "connections"))
            .map_or(DEFAULT_SIZE, |x| x as u32),
        acquire_timeout: p
            .acquire_timeout
            .as_ref()
            .and_then(|x| {
                dur_positive(
                    s,
                    x,
                    &format!("{pf}.acquire_timeout"),
                    "the acquire timeout",
                )
            })
            .unwrap_or(DEFAULT_ACQUIRE_TIMEOUT),
    }
}
