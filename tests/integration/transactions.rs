//! Transactions and locks: a lock is an M/M/1 queue (closed forms of the wait, the waiters and
//! the share of time held), a lock timeout rolls back and fails the request, a failed step
//! rolls back (never inconsistent), the round trips and the duration of a local transaction and
//! of a two-phase commit by hand, the saga mode, and the located validation errors.

use crate::common::{assert_close, assert_within_ci, run, scenario};
use archsim::results::VariantResult;

/// One unit calling a transaction of one query holding lock `row`; the query's time is
/// exponential with mean `1/mu`, the transactions arrive as a Poisson process of rate `lambda`;
/// no network, no commit latency: the lock's hold time is the query's time.
fn lock_scenario(lambda: f64, mu: f64, extra: &str) -> String {
    format!(
        r#"name = "lock"
seed = 11
replications = 8
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "1000s"
warmup = "50s"
[[workload.entries]]
name = "w"
op = "a.work"
arrival = {{ process = "poisson", rate = {lambda} }}
[modules.a]
ops.work = {{ cpu = "0s", calls = [ {{ transaction = [ {{ op = "db.upd", locks = ["row"] }} ], commit_latency = "0s"{extra} }} ] }}
[datastores.db]
ops.upd = {{ time = {{ dist = "exp", mean = "{mean}ms" }} }}
[[variants]]
name = "v"
[[variants.units]]
name = "a"
modules = ["a"]
cores = 64
workers = 100000
[[variants.databases]]
name = "db"
stores = ["db"]
cores = 4096
max_connections = 1000000
"#,
        mean = 1000.0 / mu
    )
}

fn only(r: &archsim::results::Results) -> &VariantResult {
    &r.variants[0]
}

#[test]
fn a_lock_is_an_mm1_queue() {
    // μ = 100/s; ρ = λ/μ. Wait Wq = ρ/(μ − λ); waiters Lq = ρ²/(1 − ρ); held ρ of the time.
    let mu = 100.0;
    for rho in [0.3, 0.5, 0.8] {
        let lambda = rho * mu;
        let r = run(&scenario(&lock_scenario(lambda, mu, "")));
        let v = only(&r);
        let lock = &v.locks["row"];
        assert_within_ci(
            &lock.wait_mean_s,
            rho / (mu - lambda),
            &format!("Wq at ρ={rho}"),
        );
        assert_within_ci(
            &lock.waiting,
            rho * rho / (1.0 - rho),
            &format!("Lq at ρ={rho}"),
        );
        assert_within_ci(&lock.held, rho, &format!("held at ρ={rho}"));
        // The transaction's own lock wait is the lock's (one lock per transaction).
        let tx = &v.transactions["a.work"];
        assert_within_ci(
            &tx.lock_wait_s,
            rho / (mu - lambda),
            &format!("tx wait ρ={rho}"),
        );
        // Its duration: the wait and the hold, W = 1/(μ − λ).
        assert_within_ci(
            &tx.duration_s,
            1.0 / (mu - lambda),
            &format!("W at ρ={rho}"),
        );
        assert_eq!(tx.mode, "local");
        assert_eq!(tx.round_trips.mean, 2.0, "begin and commit");
        assert_eq!(tx.rolled_back.max, 0.0);
        // The anatomy shows the lock wait as its own part.
        let anatomy = &v.anatomy["w"];
        let part = anatomy
            .parts
            .iter()
            .find(|p| p.part == "transaction lock wait")
            .expect("a lock-wait part");
        assert_within_ci(
            &part.mean_s,
            rho / (mu - lambda),
            &format!("anatomy at ρ={rho}"),
        );
    }
}

#[test]
fn little_law_on_the_lock_queue() {
    // Lq = λ·Wq on every replication's figures (the acquisitions per second as λ).
    let r = run(&scenario(&lock_scenario(60.0, 100.0, "")));
    let v = only(&r);
    let lock = &v.locks["row"];
    let lambda = lock.acquires.mean / 1000.0;
    let little = lambda * lock.wait_mean_s.mean;
    assert_close(lock.waiting.mean, little, 0.01, "Lq = λ Wq");
}

#[test]
fn a_lock_timeout_rolls_back_and_fails_the_request() {
    // ρ = 0.95 and a 20 ms lock timeout: many waits time out. Every request either commits or
    // fails `lock_timeout`; the lock counts the same timeouts.
    let r = run(&scenario(&lock_scenario(
        95.0,
        100.0,
        r#", lock_timeout = "20ms""#,
    )));
    let v = only(&r);
    let tx = &v.transactions["a.work"];
    let e = &v.entries["w"];
    let failed = &e.failed_by_reason["lock_timeout"];
    assert!(tx.lock_timeouts.mean > 100.0, "{:?}", tx.lock_timeouts);
    // The same events, counted by the request (arrived in the measured interval), the
    // transaction (started in it) and the lock (timed out in it): they differ only by the few
    // at the edges of the interval.
    assert_close(
        failed.mean,
        tx.lock_timeouts.mean,
        1e-3,
        "failed lock_timeout",
    );
    assert_close(
        v.locks["row"].timeouts.mean,
        tx.lock_timeouts.mean,
        1e-3,
        "lock",
    );
    assert_eq!(tx.rolled_back.mean, 0.0);
    // No one waits past the timeout: the mean wait of an acquisition stays below it.
    assert!(v.locks["row"].wait_mean_s.max < 0.020);
}

/// Two data stores `d1`, `d2`; `a.work` runs `{ transaction = [d1.upd, d2.upd] }`; constant
/// one-way network latency 1 ms, queries of no time, commit latency 2 ms. `variant` is TOML for
/// the variants.
fn two_db(errors: f64, variants: &str) -> String {
    format!(
        r#"name = "2pc"
seed = 5
replications = 2
[network]
latency = "1ms"
marshal_per_kb = "0us"
[workload]
duration = "100s"
[[workload.entries]]
name = "w"
op = "a.work"
arrival = {{ process = "poisson", rate = 10 }}
[modules.a]
ops.work = {{ cpu = "0s", calls = [ {{ transaction = [ {{ op = "d1.upd", compensate = "d1.undo" }}, {{ op = "d2.upd" }} ], commit_latency = "2ms" }} ] }}
[datastores.d1]
ops.upd = {{ time = "0s" }}
ops.undo = {{ time = "0s" }}
[datastores.d2]
ops.upd = {{ time = "0s", errors = {errors} }}
{variants}
"#
    )
}

const UNIT: &str = r#"[[variants.units]]
name = "a"
modules = ["a"]
cores = 64
workers = 10000
"#;

#[test]
fn round_trips_and_duration_by_hand() {
    // Local (both stores on one database): BEGIN 2 ms, two queries 2 ms each, COMMIT 2 ms + 2 ms
    // durable = 10 ms; 2 round trips. Two-phase commit over two databases: BEGIN on both (one
    // round, 2 ms), the queries 4 ms, PREPARE on both (2 + 2 ms), COMMIT on both (2 + 2 ms) =
    // 14 ms; 3 round trips per database, 6.
    let text = two_db(
        0.0,
        &format!(
            r#"[[variants]]
name = "local"
{UNIT}[[variants.databases]]
name = "db"
stores = ["d1", "d2"]
[[variants]]
name = "xa"
transactions = "2pc"
{UNIT}[[variants.databases]]
name = "db1"
stores = ["d1"]
[[variants.databases]]
name = "db2"
stores = ["d2"]
"#
        ),
    );
    let r = run(&scenario(&text));
    let (local, xa) = (&r.variants[0], &r.variants[1]);
    let (tl, tx) = (&local.transactions["a.work"], &xa.transactions["a.work"]);
    assert_eq!((tl.mode.as_str(), tx.mode.as_str()), ("local", "2pc"));
    assert_close(tl.round_trips.mean, 2.0, 1e-12, "local round trips");
    assert_close(tx.round_trips.mean, 6.0, 1e-12, "2PC round trips");
    assert_close(tl.duration_s.mean, 0.010, 1e-9, "local duration");
    assert_close(tx.duration_s.mean, 0.014, 1e-9, "2PC duration");
    assert_close(
        local.entries["w"].latency_s.mean.mean,
        0.010,
        1e-9,
        "local latency",
    );
    assert_close(
        xa.entries["w"].latency_s.mean.mean,
        0.014,
        1e-9,
        "2PC latency",
    );
}

#[test]
fn a_failed_step_rolls_back_a_local_transaction_and_compensates_a_saga() {
    // d2.upd always fails. Local: every transaction rolls back (BEGIN, the two queries,
    // ROLLBACK: 8 ms, 2 round trips), none is inconsistent. Saga: d1.upd is undone by
    // d1.undo; its inconsistency window runs from its answer to the undo's: d2.upd's round trip
    // (2 ms) and the undo's (2 ms).
    let text = two_db(
        1.0,
        &format!(
            r#"[[variants]]
name = "local"
{UNIT}[[variants.databases]]
name = "db"
stores = ["d1", "d2"]
[[variants]]
name = "saga"
transactions = "saga"
{UNIT}[[variants.databases]]
name = "db1"
stores = ["d1"]
[[variants.databases]]
name = "db2"
stores = ["d2"]
"#
        ),
    );
    let r = run(&scenario(&text));
    let (local, saga) = (&r.variants[0], &r.variants[1]);
    let t = &local.transactions["a.work"];
    assert_eq!(t.committed.max, 0.0);
    assert!(t.rolled_back.mean > 500.0);
    assert_close(t.round_trips.mean, 2.0, 1e-12, "begin and rollback");
    assert_close(t.duration_s.mean, 0.008, 1e-9, "rollback duration");
    assert!(local.sagas.is_empty());
    let s = &saga.sagas["a.work"];
    assert_eq!(s.committed.max, 0.0);
    assert_eq!(s.inconsistent.max, 0.0);
    assert_close(s.compensated.mean, t.rolled_back.mean, 0.1, "same failures");
    assert_close(s.inconsistency_window_s.mean, 0.004, 1e-9, "window");
    assert!(saga.transactions.is_empty());
}

#[test]
fn invalid_transactions_are_located() {
    let err = |text: &str| match archsim::scenario::parse(text, "t.toml") {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    };
    // Spanning two databases without `transactions`.
    let e = err(&two_db(
        0.0,
        &format!(
            "[[variants]]\nname = \"split\"\n{UNIT}[[variants.databases]]\nname = \"db1\"\nstores = [\"d1\"]\n[[variants.databases]]\nname = \"db2\"\nstores = [\"d2\"]\n"
        ),
    ));
    assert!(e.contains("t.toml:"), "{e}");
    assert!(e.contains("variants[0].transactions"), "{e}");
    assert!(e.contains("databases [db1, db2]"), "{e}");
    assert!(
        e.contains("transactions = \\\"2pc\\\"") || e.contains("\"2pc\""),
        "{e}"
    );
    // A bad mode.
    let e = err(&two_db(
        0.0,
        &format!("[[variants]]\nname = \"x\"\ntransactions = \"xa\"\n{UNIT}[[variants.databases]]\nname = \"db\"\nstores = [\"d1\", \"d2\"]\n"),
    ));
    assert!(e.contains("transactions"), "{e}");
    // `locks` outside a transaction, `lock_timeout` on a call, no data store, bad timeout.
    let base = lock_scenario(10.0, 100.0, "");
    for (from, to, field, what) in [
        (
            r#"calls = [ { transaction = [ { op = "db.upd", locks = ["row"] } ], commit_latency = "0s" } ]"#,
            r#"calls = [ { op = "db.upd", locks = ["row"] } ]"#,
            "modules.a.ops.work.calls[0].locks",
            "only allowed on the steps of a `transaction`",
        ),
        (
            r#"calls = [ { transaction = [ { op = "db.upd", locks = ["row"] } ], commit_latency = "0s" } ]"#,
            r#"calls = [ { op = "db.upd", lock_timeout = "1s" } ]"#,
            "modules.a.ops.work.calls[0].lock_timeout",
            "only allowed on a `transaction` group",
        ),
        (
            r#"commit_latency = "0s" }"#,
            r#"commit_latency = "0s", lock_timeout = "0s" }"#,
            "modules.a.ops.work.calls[0].lock_timeout",
            "must be > 0",
        ),
        (
            r#"locks = ["row"] }"#,
            r#"locks = [] }"#,
            "modules.a.ops.work.calls[0].transaction[0].locks",
            "at least one lock name",
        ),
    ] {
        assert!(base.contains(from), "{from}");
        let e = err(&base.replace(from, to));
        assert!(e.contains(&format!("error: {field}:")), "{field}: {e}");
        assert!(e.contains(what), "{what}: {e}");
    }
    // A transaction whose steps reach no data store.
    let text = base
        .replace(r#"op = "db.upd", locks"#, r#"op = "a.inner", locks"#)
        .replace(
            "[datastores.db]",
            "ops.inner = { cpu = \"1ms\" }\n[datastores.db]",
        );
    let e = err(&text);
    assert!(e.contains("needs a data-store operation"), "{e}");
}

/// The analytic estimate's mean latency of the only entry of `text`.
fn estimated_latency(text: &str) -> Option<f64> {
    archsim::estimate::estimate(&scenario(text), 0).entries[0].mean_latency_s
}

#[test]
fn the_estimate_waits_for_a_lock_as_an_mg1_queue() {
    // λ = 50/s, E[H] = 10 ms: ρ = 0.5. The lock's wait is the estimate's latency less that of
    // the same transaction without the lock. M/M/1 (exponential hold):
    // Wq = λ E[H²] / (2(1 − ρ)) = 50 × 2 × 0.01² / (2 × 0.5) = 10 ms = ρ/(μ − λ).
    let text = lock_scenario(50.0, 100.0, "");
    let unlocked = text.replace(r#", locks = ["row"]"#, "");
    let base = estimated_latency(&unlocked).expect("stable");
    let wait = estimated_latency(&text).expect("stable") - base;
    assert!((wait - 0.010).abs() < 1e-12, "M/M/1 wait {wait}");
    // M/D/1 (a deterministic 10 ms hold): E[H²] = E[H]², half the wait.
    let fixed = text.replace(r#"{ dist = "exp", mean = "10ms" }"#, r#""10ms""#);
    assert_ne!(fixed, text);
    let wait_d = estimated_latency(&fixed).expect("stable")
        - estimated_latency(&fixed.replace(r#", locks = ["row"]"#, "")).expect("stable");
    assert!((wait_d - 0.005).abs() < 1e-12, "M/D/1 wait {wait_d}");
    // The simulation agrees within its interval (about 9.94 ± 0.15 ms).
    let r = run(&scenario(&text));
    assert_within_ci(&only(&r).locks["row"].wait_mean_s, wait, "simulated Wq");
    // ρ ≥ 1 (λ = 120/s): no mean, and a warning naming the lock.
    let e = archsim::estimate::estimate(&scenario(&lock_scenario(120.0, 100.0, "")), 0);
    assert_eq!(e.entries[0].mean_latency_s, None);
    assert!(
        e.warnings.iter().any(|w| w.contains("lock `row`")),
        "{:?}",
        e.warnings
    );
    // Two transactions sharing the lock add their rates: two entries at 25/s each wait as one
    // at 50/s.
    let shared = text
        .replace("rate = 50", "rate = 25")
        .replace(
            "[modules.a]",
            "[[workload.entries]]\nname = \"w2\"\nop = \"a.other\"\narrival = { process = \"poisson\", rate = 25 }\n[modules.a]\nops.other = { cpu = \"0s\", calls = [ { transaction = [ { op = \"db.upd\", locks = [\"row\"] } ], commit_latency = \"0s\" } ] }",
        );
    let e = archsim::estimate::estimate(&scenario(&shared), 0);
    let lat = e.entries[1].mean_latency_s.expect("stable");
    assert!((lat - (base + 0.010)).abs() < 1e-12, "shared lock {lat}");
}
