//! `shed = { max_wait }` of a unit → [`ShedPolicy`].

use super::raw::RawShed;
use super::ShedPolicy;
use crate::spec::check::dur_positive;
use crate::spec::error::Sink;

/// The shedding policy of a unit (field path `f`); `async_io` = the unit has `io = "async"`,
/// where shedding is not supported yet.
pub(crate) fn shed(s: &mut Sink<'_>, r: &RawShed, f: &str, async_io: bool) -> Option<ShedPolicy> {
    if async_io {
        s.error(
            r.max_wait.span(),
            f,
            "load shedding is not supported yet on `io = \"async\"` units (their admission happens at the first CPU phase)",
            Some("use io = \"blocking\", or bound the queue with `queue`".into()),
        );
        return None;
    }
    dur_positive(
        s,
        &r.max_wait,
        &format!("{f}.max_wait"),
        "the bound on the queue wait",
    )
    .map(|max_wait| ShedPolicy { max_wait })
}
