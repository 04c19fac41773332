//! Two-phase commit blocks while its coordinator is down: a crash of the coordinating unit
//! after PREPARE leaves the participants in doubt, holding the transaction's locks until the
//! unit is back; a crash before PREPARE rolls back at once. Checked by hand on a deterministic
//! timeline.

use crate::common::{assert_close, run, scenario};

/// `x` (unit `a`, once, at 10 s) runs a two-phase commit over `db1` and `db2` holding lock
/// `row`: BEGIN (no network: 0 s), the lock, two 10 ms queries, PREPARE (1 s durable), COMMIT
/// (1 s durable): it would hold `row` from 10 s to 12.02 s. `y` (unit `b`, every 4 s: 4, 8, 12,
/// 16 s) runs a local transaction on `db1` taking `row` for a 10 ms query. Unit `a` crashes at
/// `crash_at` for 5 s. `y_timeout` is `y`'s lock timeout.
fn blocking(crash_at: &str, y_timeout: &str) -> String {
    format!(
        r#"name = "2pc blocking"
seed = 3
replications = 2
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "19s"
warmup = "0s"
[[workload.entries]]
name = "x"
op = "a.work"
arrival = {{ process = "constant", rate = 0.1 }}
[[workload.entries]]
name = "y"
op = "b.touch"
arrival = {{ process = "constant", rate = 0.25 }}
[modules.a]
ops.work = {{ cpu = "0s", calls = [ {{ transaction = [ {{ op = "d1.upd", locks = ["row"] }}, {{ op = "d2.upd" }} ], commit_latency = "1s" }} ] }}
[modules.b]
ops.touch = {{ cpu = "0s", calls = [ {{ transaction = [ {{ op = "d1.upd", locks = ["row"] }} ], commit_latency = "0s", lock_timeout = "{y_timeout}" }} ] }}
[datastores.d1]
ops.upd = {{ time = "10ms" }}
[datastores.d2]
ops.upd = {{ time = "10ms" }}
[[faults]]
kind = "crash"
target = "a"
at = "{crash_at}"
duration = "5s"
[[variants]]
name = "xa"
transactions = "2pc"
[[variants.units]]
name = "a"
modules = ["a"]
cores = 4
workers = 100
[[variants.units]]
name = "b"
modules = ["b"]
cores = 4
workers = 100
[[variants.databases]]
name = "db1"
stores = ["d1"]
cores = 64
[[variants.databases]]
name = "db2"
stores = ["d2"]
cores = 64
"#
    )
}

#[test]
fn a_coordinator_crash_after_prepare_holds_the_locks_until_it_is_back() {
    // The crash at 10.5 s falls in the PREPARE round (10.02 s to 11.02 s): `row` stays held,
    // in doubt, until unit `a` is back at 15.5 s. `y` at 12 s waits the rest of the outage,
    // 3.5 s; `y` at 4, 8 and 16 s find the lock free. `x` fails `crashed`.
    let r = run(&scenario(&blocking("10.5s", "50s")));
    let v = &r.variants[0];
    let x = &v.transactions["a.work"];
    assert_eq!(x.mode, "2pc");
    assert_close(x.in_doubt.mean, 1.0, 1e-12, "one transaction in doubt");
    assert_close(x.in_doubt_s.mean, 5.0, 1e-9, "in doubt for the outage");
    assert_eq!(
        x.committed.max, 0.0,
        "the crashed transaction is not counted"
    );
    let y = &v.transactions["b.touch"];
    assert_close(y.committed.mean, 4.0, 1e-12, "y at 4, 8, 12, 16 s");
    assert_close(
        y.lock_wait_s.mean,
        3.5 / 4.0,
        1e-9,
        "the rest of the outage",
    );
    let lock = &v.locks["row"];
    // Held by `x` from 10 s to 15.5 s and by each `y` for its 10 ms query.
    assert_close(lock.held.mean, (5.5 + 4.0 * 0.010) / 19.0, 1e-9, "held");
    assert_close(lock.acquires.mean, 5.0, 1e-12, "acquisitions");
    assert_close(lock.wait_mean_s.mean, 3.5 / 5.0, 1e-9, "mean wait");
}

#[test]
fn a_waiter_on_an_in_doubt_lock_times_out() {
    // As above with `y`'s lock timeout 1 s: `y` at 12 s gives up at 13 s.
    let r = run(&scenario(&blocking("10.5s", "1s")));
    let v = &r.variants[0];
    let y = &v.transactions["b.touch"];
    assert_close(y.committed.mean, 3.0, 1e-12, "y at 4, 8, 16 s");
    assert_close(y.lock_timeouts.mean, 1.0, 1e-12, "y at 12 s");
    assert_close(y.lock_wait_s.mean, 1.0 / 4.0, 1e-9, "its 1 s wait");
    assert_close(v.locks["row"].timeouts.mean, 1.0, 1e-12, "lock timeouts");
}

#[test]
fn a_coordinator_crash_before_prepare_rolls_back_at_once() {
    // The crash at 10.005 s falls in the first query: the databases roll `x` back when its
    // connections go, `row` is free from 10.005 s and no `y` waits; nothing is in doubt.
    let r = run(&scenario(&blocking("10.005s", "50s")));
    let v = &r.variants[0];
    let x = &v.transactions["a.work"];
    assert_eq!(x.in_doubt.max, 0.0);
    let y = &v.transactions["b.touch"];
    assert_close(y.committed.mean, 4.0, 1e-12, "every y commits");
    assert_eq!(y.lock_wait_s.max, 0.0);
    assert_close(
        v.locks["row"].held.mean,
        (0.005 + 4.0 * 0.010) / 19.0,
        1e-9,
        "held",
    );
}
