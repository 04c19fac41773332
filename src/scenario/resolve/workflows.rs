//! `[workflows.NAME]` (their shape by `crate::components::workflow::resolve`) with the calls
//! of their task states, and the `{ workflow = "NAME", wait }` call that starts one.

use super::calls::Edge;
use super::refs::Refs;
use crate::components::policy::resolve::{call_policy, CallKeys};
use crate::components::workflow::raw::RawStateType;
use crate::components::workflow::{Mode, WorkflowSpec};
use crate::scenario::raw::{RawCall, RawScenario, Sp};
use crate::scenario::types::{Call, OpId, Step, WorkflowCall};
use crate::spec::check::{dur_positive, join};
use crate::spec::error::Sink;
use crate::spec::locate::key_segment;
use crate::spec::units::did_you_mean;

/// The workflows of a scenario, resolved.
#[derive(Default)]
pub(super) struct Workflows {
    /// Per workflow (file order); `None` when it had errors.
    pub(super) specs: Vec<Option<WorkflowSpec>>,
    /// Names, in file order.
    pub(super) names: Vec<String>,
    /// Per workflow, the call of each task state (file order of the task states).
    pub(super) tasks: Vec<Vec<Call>>,
}

/// Resolves every `[workflows.NAME]` of `raw` (operations must be known to `refs`).
pub(super) fn workflows(s: &mut Sink<'_>, raw: &RawScenario, refs: &Refs<'_>) -> Workflows {
    let mut out = Workflows::default();
    for (k, w) in &raw.workflows.0 {
        let f = join("workflows", k.get());
        if out.names.iter().any(|n| n == k.get()) {
            s.error(
                k.span(),
                &f,
                format!("duplicate workflow name `{}`", k.get()),
                None,
            );
        }
        let spec = crate::components::workflow::resolve::workflow(s, k, w);
        let mut tasks = Vec::new();
        for (n, st) in &w.states.0 {
            if *st.kind.get() != RawStateType::Task {
                continue;
            }
            let sf = format!("{f}.states.{}", key_segment(n.get()));
            let Some(op) = st
                .op
                .as_ref()
                .and_then(|o| refs.op_ref(s, o, &format!("{sf}.op")))
            else {
                continue;
            };
            let timeout = st
                .timeout
                .as_ref()
                .and_then(|v| dur_positive(s, v, &format!("{sf}.timeout"), "a timeout"));
            let keys = CallKeys {
                retry: st.retry.as_ref(),
                breaker: None,
                bulkhead: None,
                fallback: None,
            };
            let policy = call_policy(s, keys, &sf, timeout);
            tasks.push(Call {
                op,
                p: 1.0,
                count: 1,
                timeout,
                policy,
                publish: None,
            });
        }
        let complete = spec
            .as_ref()
            .is_some_and(|x| x.tasks as usize == tasks.len());
        out.specs.push(if complete { spec } else { None });
        out.names.push(k.get().clone());
        out.tasks.push(tasks);
    }
    out
}

/// A `{ workflow = "NAME", wait }` call (at field path `f`) of operation `from`: its step, and
/// one synchronous edge from `from` to each task's operation (the cycle check and
/// reachability see through the workflow).
pub(super) fn call(
    s: &mut Sink<'_>,
    wfs: &Workflows,
    raw: &Sp<RawCall>,
    name: &Sp<String>,
    f: &str,
    from: OpId,
    edges: &mut Vec<Edge>,
) -> Option<Step> {
    let c = raw.get();
    let extra = [
        ("op", c.op.is_some()),
        ("parallel", c.parallel.is_some()),
        ("p", c.p.is_some()),
        ("count", c.count.is_some()),
        ("timeout", c.timeout.is_some()),
        ("retry", c.retry.is_some()),
        ("breaker", c.breaker.is_some()),
        ("bulkhead", c.bulkhead.is_some()),
        ("fallback", c.fallback.is_some()),
        ("publish", c.publish.is_some()),
        ("saga", c.saga.is_some()),
        ("compensate", c.compensate.is_some()),
        ("transaction", c.transaction.is_some()),
        ("locks", c.locks.is_some()),
        ("lock_timeout", c.lock_timeout.is_some()),
        ("commit_latency", c.commit_latency.is_some()),
    ];
    for (k, present) in extra {
        if present {
            s.error(
                raw.span(),
                format!("{f}.{k}"),
                format!("`{k}` is not allowed on a `workflow` call"),
                Some("a workflow call holds only `workflow = \"NAME\"` and `wait`; put retries and timeouts on its task states".into()),
            );
        }
    }
    let wf_field = format!("{f}.workflow");
    let Some(wf) = wfs.names.iter().position(|n| n == name.get()) else {
        let help = did_you_mean(name.get(), wfs.names.iter().map(String::as_str))
            .map(|m| format!("did you mean `{m}`?"))
            .or_else(|| Some(format!("declare it as `[workflows.{}]`", name.get())));
        s.error(
            name.span(),
            &wf_field,
            format!("no workflow named `{}`", name.get()),
            help,
        );
        return None;
    };
    let spec = wfs.specs[wf].as_ref()?;
    let wait = c.wait.as_ref().is_some_and(|w| *w.get());
    if let (Some(w), Mode::Standard) = (&c.wait, spec.mode) {
        if *w.get() {
            s.error(
                w.span(),
                format!("{f}.wait"),
                format!(
                    "`wait = true` needs an express workflow: a standard workflow (`{}`) is started asynchronously",
                    name.get()
                ),
                Some("remove `wait`, or make the workflow `mode = \"express\"`".into()),
            );
        }
    }
    let tasks = wfs.tasks[wf].clone();
    for t in &tasks {
        edges.push(Edge {
            from,
            to: t.op,
            span: name.span(),
            field: wf_field.clone(),
            sync: true,
            queue: None,
        });
    }
    Some(Step::Workflow(WorkflowCall { wf, wait, tasks }))
}
