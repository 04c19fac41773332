//! `[[variants.queues]]` → the [`Queue`]s of a variant, indexed like the queue names the
//! operations publish to.

use super::raw::RawQueue;
use super::spec::Queue;
use crate::spec::check::{check_name, dist, duplicates, dur, dur_positive, int};
use crate::spec::error::Sink;
use crate::spec::names::NameList;
use crate::spec::raw::Sp;

/// The queues of variant `variant` (field path `vf`), indexed like `published` (the queue names
/// the operations publish to, by `QueueId`): each queue published to must be configured
/// exactly once, and each configured queue must be published to. Empty when one is missing.
pub(crate) fn queues(
    s: &mut Sink<'_>,
    raw: &[Sp<RawQueue>],
    variant: &Sp<String>,
    vf: &str,
    published: &NameList<'_>,
) -> Vec<Queue> {
    duplicates(
        s,
        raw.iter()
            .enumerate()
            .map(|(i, q)| (&q.get().name, format!("{vf}.queues[{i}].name"))),
        "queue",
    );
    let mut out: Vec<Option<Queue>> = vec![None; published.names().len()];
    for (qi, rq) in raw.iter().enumerate() {
        let qf = format!("{vf}.queues[{qi}]");
        let q = rq.get();
        check_name(s, &q.name, &format!("{qf}.name"), "queue");
        let Some(id) = published.id(q.name.get()) else {
            let help = if published.is_empty() {
                "no operation publishes to a queue: add a call `{ publish = \"NAME\", op = \"module.op\" }`".to_string()
            } else {
                published.suggest(q.name.get(), "queues published to")
            };
            s.error(
                q.name.span(),
                format!("{qf}.name"),
                format!("no operation publishes to queue `{}`", q.name.get()),
                Some(help),
            );
            continue;
        };
        if let Some(queue) = queue(s, q, &qf) {
            if out[id].is_none() {
                out[id] = Some(queue);
            }
        }
    }
    let vname = variant.get();
    let mut missing = false;
    for (id, q) in out.iter().enumerate() {
        let name = published.names()[id];
        if q.is_none() && !raw.iter().any(|r| r.get().name.get() == name) {
            missing = true;
            s.error(
                variant.span(),
                format!("{vf}.queues"),
                format!("queue `{name}` is published to but not configured in variant `{vname}`"),
                Some(format!(
                    "add\n[[variants.queues]]\nname = \"{name}\"\npublish_latency = \"10ms\"\nvisibility_timeout = \"30s\"\nconsumers = 10"
                )),
            );
        }
    }
    if missing || out.iter().any(Option::is_none) {
        return Vec::new();
    }
    out.into_iter().flatten().collect()
}

/// The keys of one queue (field path `qf`); `None` if any is invalid.
fn queue(s: &mut Sink<'_>, q: &RawQueue, qf: &str) -> Option<Queue> {
    let publish_latency = dist(s, &q.publish_latency, &format!("{qf}.publish_latency"));
    let visibility_timeout = dur_positive(
        s,
        &q.visibility_timeout,
        &format!("{qf}.visibility_timeout"),
        "the visibility timeout",
    );
    let max_receives = q.max_receives.as_ref().map(|m| {
        int(
            s,
            m,
            &format!("{qf}.max_receives"),
            1,
            1000,
            "receives before dead-lettering",
        )
    });
    let consumers = int(
        s,
        &q.consumers,
        &format!("{qf}.consumers"),
        1,
        100_000,
        "consumer invocations in flight at once",
    );
    let max_receives = match max_receives {
        Some(Some(m)) => Some(m as u32),
        Some(None) => return None,
        None => None,
    };
    let (batch_size, batching_window) = batching(s, q, qf)?;
    Some(Queue {
        name: q.name.get().clone(),
        publish_latency: publish_latency?,
        visibility_timeout: visibility_timeout?,
        max_receives,
        consumers: consumers? as u32,
        batch_size,
        batching_window,
        host: None,
    })
}

/// Most messages in a batch without a batching window, and with one (AWS Lambda's SQS event
/// source mapping: docs/sources.md row *SQS event source batching*).
pub const MAX_BATCH: (i64, i64) = (10, 10_000);
/// Longest batching window \[s\] (same row).
pub const MAX_BATCHING_WINDOW_S: f64 = 300.0;

/// `batch_size` and `batching_window` of queue `q` (field path `qf`): the window 0 to 300 s;
/// the batch 1 to 10 without a window, 1 to 10,000 with one.
fn batching(s: &mut Sink<'_>, q: &RawQueue, qf: &str) -> Option<(u32, u64)> {
    let window = match &q.batching_window {
        None => 0,
        Some(w) => {
            let field = format!("{qf}.batching_window");
            let ns = dur(s, w, &field)?;
            if !(0.0..=MAX_BATCHING_WINDOW_S * 1e9).contains(&ns) {
                s.error(
                    w.span(),
                    field,
                    format!(
                        "the batching window must be from 0s to {MAX_BATCHING_WINDOW_S}s, found {}s",
                        ns / 1e9
                    ),
                    None,
                );
                return None;
            }
            ns.round() as u64
        }
    };
    let Some(b) = &q.batch_size else {
        return Some((1, window));
    };
    let field = format!("{qf}.batch_size");
    let size = int(
        s,
        b,
        &field,
        1,
        MAX_BATCH.1,
        "messages per consumer invocation",
    )?;
    if window == 0 && size > MAX_BATCH.0 {
        s.error(
            b.span(),
            field,
            format!(
                "a batch of more than {} messages needs a batching window, found {size} without one",
                MAX_BATCH.0
            ),
            Some(format!(
                "set `batching_window` (at least \"1s\", as a Lambda event source requires) or a `batch_size` of at most {}",
                MAX_BATCH.0
            )),
        );
        return None;
    }
    Some((size as u32, window))
}
