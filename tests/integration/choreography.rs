//! Choreographed sagas: steps linked by events on message queues. With deterministic times the
//! entry's latency is its CPU plus the first publish, the saga's completion time is
//! Σ (publish latency + hop + step time + hop) exactly, and the messages per saga are the
//! steps plus the compensations run; a step failing with probability p compensates a share p
//! of the sagas (binomial interval); a consumer unit down for a window fails no caller: its
//! messages wait and are delivered once it is back (the completion time grows by exactly the
//! remaining downtime), or are dead-lettered after `max_receives` and compensated.

use crate::common::{run, scenario};

/// `o.place` (1 ms) runs a choreographed saga: `p.pay` (3 ms, undone by `p.refund`, 3 ms)
/// consumed from `pay_q` (publish 10 ms), then `s.ship` (5 ms, failing with probability
/// `p_fail`) from `ship_q` (publish 20 ms, visibility timeout `vt`, `max_receives` from
/// `ship_max`). One-way hops of 1 ms, no marshalling, constant arrivals at 1/s, wide units;
/// `extra` is appended (faults).
fn choreo(p_fail: f64, vt: &str, ship_max: &str, reps: u32, extra: &str) -> String {
    format!(
        r#"name = "choreography"
seed = 11
replications = {reps}
[network]
latency = "1ms"
marshal_per_kb = "0us"
[workload]
duration = "100s"
warmup = "10s"
[[workload.entries]]
name = "place"
op = "o.place"
arrival = {{ process = "constant", rate = 1 }}
[modules.o]
ops.place = {{ cpu = "1ms", calls = [ {{ saga = [ {{ op = "p.pay", publish = "pay_q", compensate = "p.refund" }}, {{ op = "s.ship", publish = "ship_q" }} ] }} ] }}
[modules.p]
ops.pay = {{ cpu = "3ms" }}
ops.refund = {{ cpu = "3ms" }}
[modules.s]
ops.ship = {{ cpu = "5ms", errors = {p_fail} }}
[[variants]]
name = "v"
[[variants.units]]
name = "o"
modules = ["o"]
cores = 64
workers = 64
[[variants.units]]
name = "p"
modules = ["p"]
cores = 64
workers = 64
[[variants.units]]
name = "s"
modules = ["s"]
cores = 64
workers = 64
[[variants.queues]]
name = "pay_q"
publish_latency = "10ms"
visibility_timeout = "1s"
consumers = 100
[[variants.queues]]
name = "ship_q"
publish_latency = "20ms"
visibility_timeout = "{vt}"
{ship_max}
consumers = 100
{extra}"#
    )
}

/// Completion of a committed saga: (10 + 1 + 3 + 1) + (20 + 1 + 5 + 1) ms.
const COMMITTED_S: f64 = 0.042;

#[test]
fn deterministic_times_give_the_latency_completion_and_messages_in_closed_form() {
    let r = run(&scenario(&choreo(0.0, "1s", "", 2, "")));
    let v = &r.variants[0];
    let e = &v.entries["place"];
    // The caller waits for its CPU and the first publish only: 1 + 10 ms.
    assert!(
        (e.latency_s.mean.mean - 0.011).abs() < 1e-9,
        "{}",
        e.latency_s.mean.mean
    );
    assert_eq!(e.failed.max, 0.0);
    let s = &v.sagas["o.place"];
    assert_eq!(s.style, "choreography");
    assert!(s.committed.mean > 80.0, "{}", s.committed.mean);
    assert_eq!(s.compensated.max, 0.0);
    assert!(
        (s.completion_s.mean - COMMITTED_S).abs() < 1e-9,
        "{}",
        s.completion_s.mean
    );
    // Two events per saga, one on each queue; every one delivered once.
    assert!((s.messages_per_saga.mean - 2.0).abs() < 1e-12);
    for q in ["pay_q", "ship_q"] {
        let x = &v.queues[q];
        assert_eq!(x.published.mean, s.committed.mean, "{q}");
        assert_eq!(x.delivered.mean, s.committed.mean, "{q}");
        assert_eq!(x.redelivered.max, 0.0, "{q}");
    }
}

#[test]
fn a_step_failing_with_probability_p_compensates_a_share_p() {
    // `s.ship` fails with p = 0.3; with `max_receives = 1` its message is dead-lettered when
    // its visibility timeout (1 s) expires, and `p.refund` runs from `pay_q`.
    let p = 0.3;
    let text = choreo(p, "1s", "max_receives = 1", 10, "");
    let text = text.replace("rate = 1 }", "rate = 50 }");
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    assert_eq!(
        v.entries["place"].failed.max, 0.0,
        "no caller sees the failures"
    );
    let s = &v.sagas["o.place"];
    let reps = 10.0;
    let (c, k) = (s.committed.mean * reps, s.compensated.mean * reps);
    assert_eq!(s.inconsistent.max, 0.0);
    let n = c + k;
    assert!(n > 30_000.0, "{n}");
    let f = k / n;
    let se = (p * (1.0 - p) / n).sqrt();
    assert!(
        (f - p).abs() <= 1.96 * se,
        "compensated share {f:.5} vs p = {p} (95%: ±{:.5})",
        1.96 * se
    );
    // Messages: two per committed saga, three per compensated one (the refund's event).
    let msgs = s.messages_per_saga.mean;
    let want = (2.0 * c + 3.0 * k) / n;
    assert!((msgs - want).abs() < 0.01, "{msgs} vs {want}");
    // Dead-lettered messages are the compensated sagas, up to the few that straddle the
    // warm-up's end (a message counts if published after it, a saga if started after it).
    let dl = v.queues["ship_q"].dead_lettered.mean * reps;
    assert!(
        (dl - k).abs() <= reps,
        "{dl} dead-lettered vs {k} compensated"
    );
    // A compensated saga: pay (15 ms), ship's publish (20 ms), its receive's visibility
    // timeout (1 s), the refund (10 + 1 + 3 + 1 ms): 1.050 s. The mean is the mix.
    let want = (c * COMMITTED_S + k * 1.050) / n;
    assert!(
        (s.completion_s.mean - want).abs() < 2e-3,
        "{} vs {want}",
        s.completion_s.mean
    );
    // The refund undoes `p.pay` from its commit (15 ms) to its own end (1.050 s).
    assert!(
        (s.inconsistency_window_s.mean - 1.035).abs() < 1e-9,
        "{}",
        s.inconsistency_window_s.mean
    );
}

/// Unit `s` is down from 30 s to 50 s.
const OUTAGE: &str = r#"[[faults]]
kind = "crash"
target = "s"
at = "30s"
duration = "20s"
"#;

#[test]
fn a_consumer_down_delays_the_sagas_by_the_remaining_downtime_and_fails_no_caller() {
    // Sagas start at whole seconds t; `ship_q`'s message for the saga of t is received at
    // t + 15 ms + 20 ms and reaches `s` 1 ms later. For t = 30 … 49 `s` is down: the receive
    // fails, the message comes back every 100 ms (its visibility timeout) and is delivered by
    // the first receive reaching `s` at or after 50 s — exactly 50 − t seconds late (t is
    // whole, the offset 36 ms is below 100 ms). Extra completion time Σ (50 − t) = 210 s over
    // the N sagas.
    let base = run(&scenario(&choreo(0.0, "100ms", "", 1, "")));
    let down = run(&scenario(&choreo(0.0, "100ms", "", 1, OUTAGE)));
    let (b, d) = (&base.variants[0], &down.variants[0]);
    assert_eq!(
        d.entries["place"].failed.max, 0.0,
        "the caller never sees the outage"
    );
    let s = &d.sagas["o.place"];
    let n = s.committed.mean;
    assert_eq!(n, b.sagas["o.place"].committed.mean);
    assert_eq!(s.compensated.max, 0.0);
    assert_eq!(s.in_progress_end.max, 0.0);
    let want = COMMITTED_S + 210.0 / n;
    assert!(
        (s.completion_s.mean - want).abs() < 1e-6,
        "completion {} vs {want} (N = {n})",
        s.completion_s.mean
    );
    // Redeliveries: the saga of t is received 10·(50 − t) times in vain.
    let q = &d.queues["ship_q"];
    assert_eq!(q.redelivered.mean, 2100.0);
    assert_eq!(q.dead_lettered.max, 0.0);
}

#[test]
fn a_consumer_down_longer_than_its_receives_dead_letters_and_compensates() {
    // As above with `max_receives = 5`: each message of t = 30 … 49 fails five receives
    // (100 ms apart, all before 50 s) and is dead-lettered; its saga compensates (the refund
    // on `p`, which is up). Exactly 20 sagas compensated, no caller error.
    let down = run(&scenario(&choreo(
        0.0,
        "100ms",
        "max_receives = 5",
        1,
        OUTAGE,
    )));
    let v = &down.variants[0];
    assert_eq!(v.entries["place"].failed.max, 0.0);
    let s = &v.sagas["o.place"];
    assert_eq!(s.compensated.mean, 20.0);
    assert_eq!(v.queues["ship_q"].dead_lettered.mean, 20.0);
    // A compensated saga: 15 ms + 20 ms + 5 receives × 100 ms + the refund's 15 ms.
    let n = s.committed.mean + 20.0;
    let want = ((n - 20.0) * COMMITTED_S + 20.0 * 0.550) / n;
    assert!(
        (s.completion_s.mean - want).abs() < 1e-6,
        "{} vs {want}",
        s.completion_s.mean
    );
    assert!((s.messages_per_saga.mean - (2.0 * n + 20.0) / n).abs() < 1e-9);
}

#[test]
fn a_saga_is_either_orchestrated_or_choreographed() {
    let err = |text: &str| match archsim::scenario::parse(text, "t.toml") {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    };
    let good = choreo(0.0, "1s", "", 1, "");
    // One step without its queue.
    let e = err(&good.replace(
        r#"{ op = "s.ship", publish = "ship_q" }"#,
        r#"{ op = "s.ship" }"#,
    ));
    assert!(
        e.contains("modules.o.ops.place.calls[0].saga[1].publish"),
        "{e}"
    );
    assert!(e.contains("choreographed"), "{e}");
    // A compensation with its own retry policy.
    let e = err(&good.replace(
        r#"compensate = "p.refund""#,
        r#"compensate = { op = "p.refund", retry = { attempts = 3 } }"#,
    ));
    assert!(e.contains("saga[0].compensate.retry"), "{e}");
    assert!(e.contains("max_receives"), "{e}");
    // A timeout on a choreographed step: the step is a publish.
    let e = err(&good.replace(
        r#"publish = "pay_q","#,
        r#"publish = "pay_q", timeout = "1s","#,
    ));
    assert!(e.contains("saga[0].timeout"), "{e}");
}
