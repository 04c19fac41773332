//! Warnings about a valid scenario: things that are allowed but probably not what the user
//! wants. Printed by `archsim validate` and `archsim run`, never silent.

use crate::scenario::Scenario;

/// Warnings about `s` (no warm-up, a single replication, overloaded nodes by the analytic
/// estimate, and suspicious but legal settings: a fault after the run, a window longer than
/// the run, `reserved_concurrency = 0`, contradictory SLO clauses, a unit nothing calls).
pub fn warnings(s: &Scenario) -> Vec<String> {
    let mut out = suspicious(s);
    if s.workload.warmup == 0 {
        out.push(
            "workload.warmup is 0: measurement starts with an empty system, which biases latency low; \
             set a warm-up of a few times the longest expected response (e.g. warmup = \"1m\")"
                .to_string(),
        );
    }
    if s.replications < 2 {
        out.push(
            "replications = 1: no confidence interval can be computed; use 5 or more".to_string(),
        );
    }
    for v in 0..s.variants.len() {
        if !crate::model::Model::compile(s, v)
            .estimated_events()
            .is_finite()
        {
            out.push(format!(
                "variant `{}`: messages multiply around a publish cycle (a queue's consumer publishes back to it more than once per message): the work has no bound and a run will be refused",
                s.variants[v].name
            ));
        }
        let est = super::estimate(s, v);
        for w in est.warnings {
            out.push(format!("variant `{}`: {w}", s.variants[v].name));
        }
    }
    out
}

/// Legal settings that are probably mistakes: a fault that starts after the run ends, a series
/// window longer than the run, a serverless unit with `reserved_concurrency = 0` (it can never
/// run), an SLO whose clauses cannot all hold, and a unit none of whose operations is called
/// (from an entry, directly or through other operations).
pub fn suspicious(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let end = s.workload.warmup.saturating_add(s.workload.duration);
    let secs = |ns: u64| crate::spec::units::fmt_secs(ns as f64 / 1e9);
    for f in &s.faults {
        if f.random.is_none() && f.at >= end {
            out.push(format!(
                "fault `{}` starts at {}, when the run (warm-up {} + duration {}) is over: it never happens",
                f.name,
                secs(f.at),
                secs(s.workload.warmup),
                secs(s.workload.duration)
            ));
        }
    }
    if s.workload.window > end {
        out.push(format!(
            "workload.window ({}) is longer than the run ({}): the time series have no complete window; \
             use a window of at most a tenth of the run",
            secs(s.workload.window),
            secs(end)
        ));
    }
    let called = called_ops(s);
    for v in &s.variants {
        for u in &v.units {
            if u.platform == crate::flow::topology::Platform::Serverless
                && u.function.reserved == Some(0)
            {
                out.push(format!(
                    "variant `{}`, unit `{}`: reserved_concurrency = 0 lets no instance run: every request to it is throttled",
                    v.name, u.name
                ));
            }
            let ops = u
                .modules
                .iter()
                .filter_map(|&m| s.modules.get(m))
                .flat_map(|m| m.ops.iter());
            if !u.modules.is_empty()
                && ops.clone().next().is_some()
                && !ops
                    .clone()
                    .any(|&o| called.get(o).copied().unwrap_or(false))
            {
                out.push(format!(
                    "variant `{}`, unit `{}`: no entry calls any operation of its modules ({}), directly or through other operations: it only costs money",
                    v.name,
                    u.name,
                    u.modules
                        .iter()
                        .filter_map(|&m| s.modules.get(m))
                        .map(|m| format!("`{}`", m.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    for slo in &s.slos {
        for c in slo.contradictions() {
            out.push(format!("SLO `{slo}`: {c}"));
        }
    }
    out
}

/// Which operations the entries reach, through calls, publishes, saga steps and
/// compensations.
fn called_ops(s: &Scenario) -> Vec<bool> {
    use crate::scenario::Step;
    let mut seen = vec![false; s.ops.len()];
    let mut stack: Vec<usize> = s.workload.entries.iter().map(|e| e.op).collect();
    while let Some(o) = stack.pop() {
        match seen.get_mut(o) {
            Some(x) if !*x => *x = true,
            _ => continue,
        }
        for st in s.ops.get(o).map_or(&[][..], |op| &op.steps[..]) {
            match st {
                Step::Call(c) => stack.push(c.op),
                Step::Parallel(cs) => stack.extend(cs.iter().map(|c| c.op)),
                Step::Workflow(w) => stack.extend(w.tasks.iter().map(|c| c.op)),
                Step::Saga(steps)
                | Step::Transaction(crate::scenario::Transaction { steps, .. }) => {
                    for x in steps {
                        stack.push(x.call.op);
                        stack.extend(x.compensate.as_ref().map(|c| c.op));
                    }
                }
            }
        }
    }
    seen
}
