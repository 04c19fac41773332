//! `[workload]` and its entries: the horizon, the window, and each entry's operation, arrival
//! process, timeout and client retries.

use super::arrival;
use super::refs::Refs;
use crate::components::retry::resolve::retry;
use crate::scenario::raw::RawScenario;
use crate::scenario::types::{Entry, OpOwner, Operation, Workload};
use crate::spec::check::{check_name, duplicates, dur, dur_positive, size};
use crate::spec::error::Sink;

/// The workload, and whether it is there at all (without it the scenario cannot be built).
pub(super) fn workload(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    refs: &Refs<'_>,
    ops: &[Operation],
) -> (Workload, bool) {
    let mut w = Workload {
        duration: 0,
        warmup: 0,
        window: 1_000_000_000,
        series_budget: crate::scenario::DEFAULT_SERIES_BUDGET,
        entries: Vec::new(),
    };
    let Some(rw) = &raw.workload else {
        s.error(
            0..0,
            "workload",
            "missing `[workload]`: a scenario needs a workload with a `duration` and at least one `[[workload.entries]]`",
            Some("add e.g.\n[workload]\nduration = \"10m\"\nwarmup = \"1m\"\n[[workload.entries]]\nname = \"browse\"\nop = \"catalog.browse\"\narrival = { process = \"poisson\", rate = 100 }".into()),
        );
        return (w, false);
    };
    // Tables have no span of their own (see `Table`); point at the first key found.
    let span = [
        rw.duration.as_ref().map(|d| d.span()),
        rw.warmup.as_ref().map(|d| d.span()),
        rw.window.as_ref().map(|d| d.span()),
        rw.series_budget.as_ref().map(|d| d.span()),
        rw.entries.first().map(|e| e.span()),
    ]
    .into_iter()
    .flatten()
    .min_by_key(|r| r.start)
    .unwrap_or(0..0);
    match &rw.duration {
        Some(d) => {
            if let Some(x) = dur_positive(s, d, "workload.duration", "the measured duration") {
                w.duration = x;
            }
        }
        None => s.error(
            span.clone(),
            "workload.duration",
            "missing `duration`: the measured simulated time after warm-up, e.g. duration = \"10m\"",
            None,
        ),
    }
    if let Some(d) = &rw.warmup {
        if let Some(x) = dur(s, d, "workload.warmup") {
            w.warmup = x.round() as u64;
        }
    }
    if let Some(d) = &rw.window {
        if let Some(x) = dur_positive(s, d, "workload.window", "the time-series window") {
            w.window = x;
        }
    }
    if let Some(b) = &rw.series_budget {
        match size(s, b, "workload.series_budget") {
            Some(0) => s.error(
                b.span(),
                "workload.series_budget",
                "the time-series budget must be > 0 bytes",
                Some("e.g. series_budget = \"32MiB\" (the default)".into()),
            ),
            Some(x) => w.series_budget = x,
            None => {}
        }
    }
    if rw.entries.is_empty() {
        s.error(
            span.clone(),
            "workload.entries",
            "no entries: the workload needs at least one `[[workload.entries]]` naming the module operation clients call",
            Some("add e.g.\n[[workload.entries]]\nname = \"browse\"\nop = \"catalog.browse\"\narrival = { process = \"poisson\", rate = 100 }".into()),
        );
    }
    duplicates(
        s,
        rw.entries
            .iter()
            .enumerate()
            .map(|(i, e)| (&e.get().name, format!("workload.entries[{i}].name"))),
        "entry",
    );
    for (i, e) in rw.entries.iter().enumerate() {
        let f = format!("workload.entries[{i}]");
        let e = e.get();
        check_name(s, &e.name, &format!("{f}.name"), "entry");
        let op = refs.op_ref(s, &e.op, &format!("{f}.op"));
        let op = op.filter(|&o| match ops[o].owner {
            OpOwner::Module(_) => true,
            OpOwner::Store(_) => {
                s.error(
                    e.op.span(),
                    format!("{f}.op"),
                    format!(
                        "entry `{}` calls the data-store operation `{}`; an entry must call a module operation",
                        e.name.get(),
                        ops[o].name
                    ),
                    Some("add a module operation that calls the data store, and use it as the entry".into()),
                );
                false
            }
            OpOwner::External(_) => {
                s.error(
                    e.op.span(),
                    format!("{f}.op"),
                    format!(
                        "entry `{}` calls the external service operation `{}`; an entry must call a module operation",
                        e.name.get(),
                        ops[o].name
                    ),
                    Some("add a module operation that calls the external service, and use it as the entry".into()),
                );
                false
            }
        });
        let horizon = w.warmup.saturating_add(w.duration);
        let arrival = arrival::arrival(s, &e.arrival, &f, e.name.span(), horizon);
        let timeout = e
            .timeout
            .as_ref()
            .and_then(|t| dur_positive(s, t, &format!("{f}.timeout"), "a timeout"));
        let retry = e
            .retry
            .as_ref()
            .and_then(|r| retry(s, r, &format!("{f}.retry")));
        if let (Some(op), Some(arrival)) = (op, arrival) {
            w.entries.push(Entry {
                name: e.name.get().clone(),
                op,
                steady_rate: super::month::steady_rate(&e.arrival, &arrival),
                arrival,
                timeout,
                retry,
            });
        }
    }
    (w, true)
}
