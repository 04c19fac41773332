//! `[[variants.queues]]` → the [`Queue`]s of a variant, indexed like the queue names the
//! operations publish to.

use super::raw::RawQueue;
use super::spec::Queue;
use crate::spec::check::{check_name, dist, duplicates, dur_positive, int};
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
    Some(Queue {
        name: q.name.get().clone(),
        publish_latency: publish_latency?,
        visibility_timeout: visibility_timeout?,
        max_receives,
        consumers: consumers? as u32,
    })
}
