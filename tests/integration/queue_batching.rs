//! Event-source batching of a queue's consumer (`batch_size`, `batching_window`;
//! docs/semantics.md "Message queues", docs/cost.md): the poller gathers a batch, the consumer
//! runs once per batch with the work of every message, and the queue service bills sends,
//! receives (calls of 10 messages, per 64 KB) and deletes (calls of 10). Oracles: hand-computed
//! bills and counts on deterministic arrivals, and the closed form of the wait for a batch.

use crate::common::{run, scenario};

/// Messages published by `producer.send` at a constant `rate` over `duration` (no warm-up),
/// each for `worker.handle` (`cpu` per message, `payload`), on a function of 1769 MB (one
/// vCPU) without cold starts; `queue` holds the queue's batching keys.
fn pipeline(rate: f64, duration: &str, payload: &str, queue: &str) -> String {
    format!(
        r#"name = "batching"
seed = 3
replications = 2
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{duration}"
warmup = "0s"
[[workload.entries]]
name = "req"
op = "producer.send"
arrival = {{ process = "constant", rate = {rate} }}
[modules.producer]
ops.send = {{ cpu = "0s", calls = [ {{ publish = "jobs", op = "worker.handle" }} ] }}
[modules.worker]
ops.handle = {{ cpu = "2ms", payload = "{payload}" }}
[[variants]]
name = "v"
account_concurrency = 100000
[[variants.units]]
name = "producer"
modules = ["producer"]
[[variants.units]]
name = "worker"
modules = ["worker"]
platform = "serverless"
memory = "1769MB"
cold_start = "0s"
burst_limit = 100000
[[variants.queues]]
name = "jobs"
publish_latency = "0s"
visibility_timeout = "60s"
consumers = 100
{queue}
"#
    )
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs().max(1e-12),
        "{what}: {a} vs hand-computed {b}"
    );
}

#[test]
fn batches_of_ten_bill_one_invocation_and_chunked_requests_per_batch() {
    // 100 messages/s from t = 10 ms to 100.05 s (the run ends at 100.055 s): 10,005 published. A batch of 10 fills every
    // 100 ms (the 1 s window never expires), so 1,000 batches are received, each running
    // 10 × 2 ms = 20 ms on one vCPU and deleted at once; 5 messages are still gathering at the
    // end.
    let text = pipeline(
        100.0,
        "100.055s",
        "100KB",
        "batch_size = 10\nbatching_window = \"1s\"",
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let q = &v.queues["jobs"];
    assert_eq!(q.published.mean, 10_005.0);
    assert_eq!(q.delivered.mean, 10_000.0);
    assert_eq!(q.backlog_end.mean, 5.0);
    assert_eq!(q.receives.mean, 10_000.0, "receives count messages");
    let f = v.units["worker"].function.as_ref().expect("function");
    assert_eq!(f.invocations.mean, 1_000.0, "one invocation per batch");
    // GB-s: 1,000 invocations × 20 ms × 1.769 GB.
    close(f.gb_s_billed.mean, 1_000.0 * 0.020 * 1.769, "GB-s");
    // SQS: a 100 KB message is 2 chunks of 64 KB per send; a receive of 10 messages returns
    // 1,000,000 bytes = ⌈15.26⌉ = 16 chunks; a delete of 10 is one request.
    let requests = 2.0 * 10_005.0 + 16.0 * 1_000.0 + 1_000.0;
    close(
        v.cost.by_resource["queue/jobs"].window_usd.mean,
        requests * 0.40 / 1e6,
        "queue bill",
    );
    // The function's request price: $0.20 per million invocations, plus its GB-s.
    close(
        v.cost.by_resource["function/worker"].window_usd.mean,
        1_000.0 * 0.20 / 1e6 + 1_000.0 * 0.020 * 1.769 * 0.0000166667,
        "function bill",
    );
}

#[test]
fn without_batching_a_message_costs_three_requests() {
    // The same pipeline with the defaults (batch of 1, no window): every message is its own
    // invocation and costs a send, a receive and a delete (1 KB: one chunk each).
    let text = pipeline(100.0, "100.055s", "1KB", "");
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let q = &v.queues["jobs"];
    let n = q.published.mean;
    assert_eq!(n, 10_005.0);
    // Each 2 ms invocation ends before the next message (the last at 100.05 s, done 3 ms
    // before the end): every message is deleted.
    let delivered = q.delivered.mean;
    assert_eq!(delivered, n);
    let f = v.units["worker"].function.as_ref().expect("function");
    assert_eq!(f.invocations.mean, n);
    close(
        v.cost.by_resource["queue/jobs"].window_usd.mean,
        (n + n + delivered) * 0.40 / 1e6,
        "queue bill",
    );
}

#[test]
fn the_wait_for_a_batch_follows_the_window() {
    // 10 messages/s, window W = 2.05 s, a batch that never fills: the poller starts gathering
    // at a message's arrival and invokes W later with the n = ⌊λW⌋ + 1 = 21 messages that
    // arrived; the k-th waited W − k/λ, so the mean wait is W − (n − 1)/(2λ) = 1.05 s (≈ W/2).
    // The next message comes 0.05 s after the flush and starts the next batch.
    let text = pipeline(
        10.0,
        "2100s",
        "1KB",
        "batch_size = 10000\nbatching_window = \"2.05s\"",
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let q = &v.queues["jobs"];
    let (w, lambda, n) = (2.05, 10.0, 21.0);
    let theory = w - (n - 1.0) / (2.0 * lambda);
    assert!(
        (q.wait_mean_s.mean - theory).abs() < 1e-6,
        "mean wait {} vs {theory}",
        q.wait_mean_s.mean
    );
    // Every invocation holds 21 messages: 2100 s × 10/s / 21 = 1,000 batches (the last one
    // gathering at the end).
    let f = v.units["worker"].function.as_ref().expect("function");
    assert_eq!(f.invocations.mean, 999.0);
    // Requests per batch: 21 sends, 3 receive calls (10 + 10 + 1), 3 delete calls.
    let published = q.published.mean;
    let requests = published + 999.0 * (3.0 + 3.0);
    close(
        v.cost.by_resource["queue/jobs"].window_usd.mean,
        requests * 0.40 / 1e6,
        "queue bill",
    );
}

/// The diagnostics of `text` as `(line, field, message)`.
fn diags(text: &str) -> Vec<(usize, String, String)> {
    let e = archsim::scenario::parse(text, "bad.toml").expect_err("must be rejected");
    e.diagnostics()
        .expect("diagnostics")
        .iter()
        .map(|d| (d.line, d.field.clone(), d.message.clone()))
        .collect()
}

#[track_caller]
fn expect_diag(text: &str, needle: &str, field: &str, words: &str) {
    let line = text
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1;
    let d = diags(text);
    assert!(
        d.iter()
            .any(|(l, f, m)| *l == line && f == field && m.contains(words)),
        "expected line {line}, field {field}, `{words}` in {d:#?}"
    );
}

#[test]
fn a_batch_out_of_range_is_located() {
    let field = "variants[0].queues[0].batch_size";
    expect_diag(
        &pipeline(1.0, "10s", "1KB", "batch_size = 11"),
        "batch_size = 11",
        field,
        "needs a batching window",
    );
    expect_diag(
        &pipeline(
            1.0,
            "10s",
            "1KB",
            "batch_size = 10001\nbatching_window = \"1s\"",
        ),
        "batch_size = 10001",
        field,
        "at most 10000",
    );
    expect_diag(
        &pipeline(1.0, "10s", "1KB", "batch_size = 0"),
        "batch_size = 0",
        field,
        "≥ 1",
    );
    expect_diag(
        &pipeline(1.0, "10s", "1KB", "batching_window = \"301s\""),
        "batching_window",
        "variants[0].queues[0].batching_window",
        "from 0s to 300s",
    );
    // In range: a batch of 10 without a window, of 10,000 with one.
    scenario(&pipeline(1.0, "10s", "1KB", "batch_size = 10"));
    scenario(&pipeline(
        1.0,
        "10s",
        "1KB",
        "batch_size = 10000\nbatching_window = \"300s\"",
    ));
}
