//! The keys of a `transaction` group: `lock_timeout` and `commit_latency`, over their
//! defaults.

use super::spec::{DEFAULT_COMMIT_LATENCY, DEFAULT_LOCK_TIMEOUT};
use crate::kernel::dist::Dist;
use crate::spec::check::{dist, dur_positive};
use crate::spec::error::Sink;
use crate::spec::raw::{DistSpec, Duration};

/// The lock timeout \[ns\] and commit latency of the transaction group at field path `f`.
pub(crate) fn group_keys(
    s: &mut Sink<'_>,
    lock_timeout: Option<&Duration>,
    commit_latency: Option<&DistSpec>,
    f: &str,
) -> (u64, Dist) {
    let timeout = lock_timeout
        .and_then(|v| dur_positive(s, v, &format!("{f}.lock_timeout"), "the lock timeout"))
        .unwrap_or(DEFAULT_LOCK_TIMEOUT);
    let commit = commit_latency
        .and_then(|v| dist(s, v, &format!("{f}.commit_latency")))
        .unwrap_or(Dist::Const(DEFAULT_COMMIT_LATENCY));
    (timeout, commit)
}
