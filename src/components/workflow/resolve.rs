//! `[workflows.NAME]` → [`WorkflowSpec`]: the mode and its limit, the memory billed, the states
//! and their links (each a state of the workflow; the state graph has no cycle), with located
//! diagnostics. A task's operation is resolved with the call graph (`crate::scenario`).

use std::collections::BTreeMap;

use super::raw::{ItemCount, RawMode, RawState, RawStateType, RawWorkflow};
use super::{Mode, StateKind, StateSpec, WorkflowSpec, END, MEMORY_CHUNK};
use crate::kernel::dist::Dist;
use crate::spec::check::{check_name, dist, int, join, num, size};
use crate::spec::error::Sink;
use crate::spec::locate::key_segment;
use crate::spec::raw::Sp;
use crate::spec::units::{did_you_mean, dist_from_value, fmt_secs};

/// Default map concurrency: 40, the inline Map state's documented limit
/// (docs/sources.md row *Step Functions map concurrency*).
pub const DEFAULT_CONCURRENCY: i64 = 40;
/// Most map iterations at once accepted.
const MAX_CONCURRENCY: i64 = 10_000;
/// Largest mean number of map items accepted.
const MAX_ITEMS: f64 = 100_000.0;
/// Largest express memory accepted \[bytes\].
const MAX_MEMORY: u64 = 64_000_000_000;

/// The keys each state type allows besides `type`, `next` and `catch`.
fn allowed(t: RawStateType) -> &'static [&'static str] {
    match t {
        RawStateType::Task => &["op", "timeout", "retry"],
        RawStateType::Choice => &["choices", "default"],
        RawStateType::Parallel => &["branches"],
        RawStateType::Map => &["items", "concurrency", "iterator"],
        RawStateType::Wait => &["duration"],
    }
}

/// The state-specific keys written on `st`.
fn present(st: &RawState) -> [(&'static str, bool); 10] {
    [
        ("op", st.op.is_some()),
        ("timeout", st.timeout.is_some()),
        ("retry", st.retry.is_some()),
        ("choices", st.choices.is_some()),
        ("default", st.default.is_some()),
        ("branches", st.branches.is_some()),
        ("items", st.items.is_some()),
        ("concurrency", st.concurrency.is_some()),
        ("iterator", st.iterator.is_some()),
        ("duration", st.duration.is_some()),
    ]
}

/// The word of a state type in messages.
fn type_name(t: RawStateType) -> &'static str {
    match t {
        RawStateType::Task => "task",
        RawStateType::Choice => "choice",
        RawStateType::Parallel => "parallel",
        RawStateType::Map => "map",
        RawStateType::Wait => "wait",
    }
}

/// Resolves state names to indices, with "did you mean".
struct Names<'a> {
    index: BTreeMap<&'a str, u32>,
    wf: &'a str,
}

impl Names<'_> {
    fn get(&self, s: &mut Sink<'_>, r: &Sp<String>, field: &str) -> Option<u32> {
        if let Some(&i) = self.index.get(r.get().as_str()) {
            return Some(i);
        }
        let help = did_you_mean(r.get(), self.index.keys().copied())
            .map(|m| format!("did you mean `{m}`?"));
        s.error(
            r.span(),
            field,
            format!("workflow `{}` has no state `{}`", self.wf, r.get()),
            help,
        );
        None
    }
}

/// The number of map items as a distribution: an integer, or a distribution table whose
/// values are plain numbers (read as the format's distributions of durations, in units of one
/// item).
pub(crate) fn items(s: &mut Sink<'_>, v: &ItemCount, field: &str) -> Option<Dist> {
    fn as_items(v: &toml::Value) -> toml::Value {
        match v {
            toml::Value::Integer(x) => toml::Value::String(format!("{x}ns")),
            toml::Value::Float(x) => toml::Value::String(format!("{x}ns")),
            toml::Value::Array(a) => toml::Value::Array(a.iter().map(as_items).collect()),
            other => other.clone(),
        }
    }
    let converted = match v.value() {
        toml::Value::Table(t) => toml::Value::Table(
            t.iter()
                .map(|(k, x)| {
                    let keep = matches!(k.as_str(), "dist" | "cv" | "alpha");
                    (k.clone(), if keep { x.clone() } else { as_items(x) })
                })
                .collect(),
        ),
        toml::Value::Integer(x) if *x >= 0 => as_items(v.value()),
        _ => {
            s.error(
                v.span(),
                field,
                "expected a number of items: an integer ≥ 0 or a distribution table such as { dist = \"uniform\", min = 1, max = 20 }",
                None,
            );
            return None;
        }
    };
    match dist_from_value(&converted) {
        Ok(d) if d.mean() <= MAX_ITEMS => Some(d),
        Ok(d) => {
            s.error(
                v.span(),
                field,
                format!(
                    "a mean of {} items is more than {MAX_ITEMS}: the limit guards against typos",
                    d.mean()
                ),
                None,
            );
            None
        }
        Err(e) => {
            let msg = e.message.replace("duration", "number");
            s.error(v.span(), field, msg, e.help);
            None
        }
    }
}

/// The largest value `d` can take when it is bounded (a constant, uniform, empirical), its
/// mean otherwise.
pub fn bound(d: &Dist) -> f64 {
    match d {
        Dist::Const(x) => *x,
        Dist::Uniform { max, .. } => *max,
        Dist::Empirical(v) => v.iter().copied().fold(0.0, f64::max),
        other => other.mean(),
    }
}

/// Workflow `k` (`raw`): its mode, memory and states, or `None` if something essential is
/// wrong. Every problem is reported to `s`.
pub(crate) fn workflow(
    s: &mut Sink<'_>,
    k: &Sp<String>,
    raw: &RawWorkflow,
) -> Option<WorkflowSpec> {
    let f = join("workflows", k.get());
    check_name(s, k, &f, "workflow");
    let mode = match &raw.mode {
        Some(m) => match m.get() {
            RawMode::Standard => Mode::Standard,
            RawMode::Express => Mode::Express,
        },
        None => {
            s.error(
                k.span(),
                format!("{f}.mode"),
                format!("workflow `{}` needs a `mode`", k.get()),
                Some("`mode = \"standard\"` (up to a year, priced per state transition) or `mode = \"express\"` (up to 5 minutes, priced per request and GB-second)".into()),
            );
            Mode::Standard
        }
    };
    let billed_memory = memory(s, raw, mode, &f);
    let mut index = BTreeMap::new();
    for (i, (n, _)) in raw.states.0.iter().enumerate() {
        check_name(s, n, &format!("{f}.states"), "state");
        index.insert(n.get().as_str(), i as u32);
    }
    let names = Names { index, wf: k.get() };
    if raw.states.0.is_empty() {
        s.error(
            k.span(),
            format!("{f}.states"),
            format!("workflow `{}` has no states", k.get()),
            Some(format!(
                "add one, e.g. `[workflows.{}.states.charge]` with `type = \"task\"` and `op`",
                k.get()
            )),
        );
        return None;
    }
    let start = match &raw.start {
        Some(st) => names.get(s, st, &format!("{f}.start")),
        None => {
            s.error(
                k.span(),
                format!("{f}.start"),
                format!(
                    "workflow `{}` needs `start`, the name of its first state",
                    k.get()
                ),
                None,
            );
            None
        }
    };
    let mut states = Vec::new();
    let mut tasks = 0;
    for (n, st) in &raw.states.0 {
        let sf = format!("{f}.states.{}", key_segment(n.get()));
        states.push(state(s, &names, n, st, &sf, &mut tasks)?);
    }
    let spec = WorkflowSpec {
        name: k.get().clone(),
        mode,
        billed_memory,
        start: start?,
        states,
        tasks,
    };
    if let Some((a, b)) = cycle(&spec) {
        s.error(
            raw.states.0[a as usize].0.span(),
            format!("{f}.states.{}", key_segment(&spec.states[a as usize].name)),
            format!(
                "the states of workflow `{}` form a cycle through `{}` -> `{}`: a workflow here is acyclic",
                k.get(),
                spec.states[a as usize].name,
                spec.states[b as usize].name
            ),
            Some("model a polling loop as one `wait` state whose duration is a distribution".into()),
        );
        return None;
    }
    let longest = longest_waits(&spec, spec.start);
    if longest > mode.limit_ns() as f64 {
        let span = raw.mode.as_ref().map_or(k.span(), |m| m.span());
        s.error(
            span,
            format!("{f}.mode"),
            format!(
                "{} workflow `{}` can run longer than its limit of {}: its wait states alone add up to {} along the longest path",
                mode.as_str(),
                k.get(),
                fmt_secs(mode.limit_ns() as f64 / 1e9),
                fmt_secs(longest / 1e9)
            ),
            Some(match mode {
                Mode::Express => "use mode = \"standard\" (up to a year), or shorten the waits".into(),
                Mode::Standard => "shorten the waits: a standard execution lasts at most a year".into(),
            }),
        );
    }
    Some(spec)
}

/// The express memory billed (rounded up to 64 MB; 64 MB when not given).
fn memory(s: &mut Sink<'_>, raw: &RawWorkflow, mode: Mode, f: &str) -> u64 {
    let Some(m) = &raw.memory else {
        return MEMORY_CHUNK;
    };
    let mf = format!("{f}.memory");
    if mode == Mode::Standard {
        s.error(
            m.span(),
            &mf,
            "`memory` prices an express workflow's GB-seconds; a standard workflow is priced per state transition",
            Some("remove `memory`, or use mode = \"express\"".into()),
        );
        return MEMORY_CHUNK;
    }
    match size(s, m, &mf) {
        Some(b) if b > 0 && b <= MAX_MEMORY => b.div_ceil(MEMORY_CHUNK) * MEMORY_CHUNK,
        Some(b) => {
            s.error(
                m.span(),
                &mf,
                format!("must be from 1B to 64GB, found {b} bytes"),
                None,
            );
            MEMORY_CHUNK
        }
        None => MEMORY_CHUNK,
    }
}

/// One state (`tasks`: task states so far, numbering this one's task).
fn state(
    s: &mut Sink<'_>,
    names: &Names<'_>,
    n: &Sp<String>,
    st: &RawState,
    sf: &str,
    tasks: &mut u32,
) -> Option<StateSpec> {
    let t = *st.kind.get();
    let ok = allowed(t);
    for (key, is) in present(st) {
        if is && !ok.contains(&key) {
            s.error(
                n.span(),
                format!("{sf}.{key}"),
                format!("`{key}` is not allowed on a `{}` state", type_name(t)),
                Some(format!(
                    "a `{}` state takes {}",
                    type_name(t),
                    ok.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    let link = |s: &mut Sink<'_>, r: &Option<Sp<String>>, key: &str| -> u32 {
        r.as_ref()
            .and_then(|r| names.get(s, r, &format!("{sf}.{key}")))
            .unwrap_or(END)
    };
    let next = link(s, &st.next, "next");
    let catch = link(s, &st.catch, "catch");
    let missing = |s: &mut Sink<'_>, key: &str, what: &str| {
        s.error(
            n.span(),
            format!("{sf}.{key}"),
            format!("a `{}` state needs `{key}` ({what})", type_name(t)),
            None,
        );
    };
    let kind = match t {
        RawStateType::Task => {
            if st.op.is_none() {
                missing(s, "op", "the operation it calls, e.g. `payments.charge`");
            }
            *tasks += 1;
            StateKind::Task { task: *tasks - 1 }
        }
        RawStateType::Choice => choice(s, names, n, st, sf),
        RawStateType::Parallel => {
            let mut branches = Vec::new();
            match &st.branches {
                Some(b) if !b.get().is_empty() => {
                    for (j, x) in b.get().iter().enumerate() {
                        if let Some(i) = names.get(s, x, &format!("{sf}.branches[{j}]")) {
                            branches.push(i);
                        }
                    }
                }
                _ => missing(
                    s,
                    "branches",
                    "the first state of each branch, at least one",
                ),
            }
            StateKind::Parallel { branches }
        }
        RawStateType::Map => {
            let items = match &st.items {
                Some(v) => items(s, v, &format!("{sf}.items")).unwrap_or_default(),
                None => {
                    missing(
                        s,
                        "items",
                        "the number of items, an integer or a distribution",
                    );
                    Dist::Const(0.0)
                }
            };
            let concurrency = st
                .concurrency
                .as_ref()
                .map_or(Some(DEFAULT_CONCURRENCY), |c| {
                    int(
                        s,
                        c,
                        &format!("{sf}.concurrency"),
                        1,
                        MAX_CONCURRENCY,
                        "iterations at once",
                    )
                });
            let iterator = match &st.iterator {
                Some(i) => names.get(s, i, &format!("{sf}.iterator")).unwrap_or(END),
                None => {
                    missing(s, "iterator", "the first state of an iteration");
                    END
                }
            };
            StateKind::Map {
                items,
                concurrency: concurrency.unwrap_or(1) as u32,
                iterator,
            }
        }
        RawStateType::Wait => {
            let duration = match &st.duration {
                Some(d) => dist(s, d, &format!("{sf}.duration")).unwrap_or_default(),
                None => {
                    missing(
                        s,
                        "duration",
                        "a duration, or a distribution for \"until an event\"",
                    );
                    Dist::Const(0.0)
                }
            };
            if let Some(c) = &st.catch {
                s.error(
                    c.span(),
                    format!("{sf}.catch"),
                    "a `wait` state cannot fail: `catch` is not allowed on it",
                    None,
                );
            }
            StateKind::Wait { duration }
        }
    };
    Some(StateSpec {
        name: n.get().clone(),
        kind,
        next,
        catch,
    })
}

/// The states state `i` leads to: its `next`, `catch`, choices, branches and iterator.
pub fn successors(st: &StateSpec) -> Vec<u32> {
    let mut out = vec![st.next, st.catch];
    match &st.kind {
        StateKind::Choice { branches, default } => {
            out.extend(branches.iter().map(|b| b.1));
            out.push(*default);
        }
        StateKind::Parallel { branches } => out.extend(branches),
        StateKind::Map { iterator, .. } => out.push(*iterator),
        StateKind::Task { .. } | StateKind::Wait { .. } => {}
    }
    out.retain(|&x| x != END);
    out
}

/// An edge `(a, b)` closing a cycle of the state graph, if any (iterative DFS).
fn cycle(w: &WorkflowSpec) -> Option<(u32, u32)> {
    let n = w.states.len();
    // 0 unseen, 1 on the stack, 2 done.
    let mut mark = vec![0u8; n];
    for root in 0..n {
        if mark[root] != 0 {
            continue;
        }
        let mut stack = vec![(root as u32, successors(&w.states[root]), 0usize)];
        mark[root] = 1;
        while let Some((a, succ, k)) = stack.last_mut() {
            if let Some(&b) = succ.get(*k) {
                *k += 1;
                let a = *a;
                match mark[b as usize] {
                    1 => return Some((a, b)),
                    0 => {
                        mark[b as usize] = 1;
                        stack.push((b, successors(&w.states[b as usize]), 0));
                    }
                    _ => {}
                }
            } else {
                mark[*a as usize] = 2;
                stack.pop();
            }
        }
    }
    None
}

/// The longest sum of wait durations from state `i` to the end of its branch \[ns\] (the
/// state graph is acyclic): a wait counts its [`bound`]; a parallel state its longest branch;
/// a map its iteration's longest times the rounds of its largest item count
/// (⌈bound(items) / concurrency⌉).
pub fn longest_waits(w: &WorkflowSpec, i: u32) -> f64 {
    fn go(w: &WorkflowSpec, i: u32, memo: &mut Vec<Option<f64>>) -> f64 {
        if i == END {
            return 0.0;
        }
        if let Some(x) = memo[i as usize] {
            return x;
        }
        let st = &w.states[i as usize];
        let own = match &st.kind {
            StateKind::Wait { duration } => bound(duration),
            StateKind::Parallel { branches } => {
                branches.iter().map(|&b| go(w, b, memo)).fold(0.0, f64::max)
            }
            StateKind::Map {
                items,
                concurrency,
                iterator,
            } => {
                let rounds = (bound(items).round() / f64::from(*concurrency)).ceil();
                rounds * go(w, *iterator, memo)
            }
            StateKind::Task { .. } | StateKind::Choice { .. } => 0.0,
        };
        let after = match &st.kind {
            StateKind::Choice { branches, default } => branches
                .iter()
                .map(|b| b.1)
                .chain(std::iter::once(*default))
                .map(|b| go(w, b, memo))
                .fold(0.0, f64::max),
            _ => go(w, st.next, memo).max(go(w, st.catch, memo)),
        };
        let x = own + after;
        memo[i as usize] = Some(x);
        x
    }
    let mut memo = vec![None; w.states.len()];
    go(w, i, &mut memo)
}

/// A `choice` state's branches and default (its `next` is refused).
fn choice(
    s: &mut Sink<'_>,
    names: &Names<'_>,
    n: &Sp<String>,
    st: &RawState,
    sf: &str,
) -> StateKind {
    let t = RawStateType::Choice;
    let missing = |s: &mut Sink<'_>, key: &str, what: &str| {
        s.error(
            n.span(),
            format!("{sf}.{key}"),
            format!("a `{}` state needs `{key}` ({what})", type_name(t)),
            None,
        );
    };
    let link = |s: &mut Sink<'_>, r: &Option<Sp<String>>, key: &str| -> u32 {
        r.as_ref()
            .and_then(|r| names.get(s, r, &format!("{sf}.{key}")))
            .unwrap_or(END)
    };
    if let Some(x) = &st.next {
        s.error(
            x.span(),
            format!("{sf}.next"),
            "a `choice` state goes to one of its `choices` or its `default`, not `next`",
            None,
        );
    }
    let mut branches = Vec::new();
    let mut sum = 0.0;
    for (j, c) in st.choices.iter().flatten().enumerate() {
        let cf = format!("{sf}.choices[{j}]");
        let p = num(
            s,
            &c.get().p,
            &format!("{cf}.p"),
            (0.0, true),
            1.0,
            "a probability from 0 to 1",
        );
        let to = names.get(s, &c.get().next, &format!("{cf}.next"));
        if let (Some(p), Some(to)) = (p, to) {
            sum += p;
            branches.push((p, to));
        }
    }
    if st.choices.as_ref().map_or(true, |c| c.is_empty()) {
        missing(s, "choices", "at least one `{ p, next }`");
    }
    if sum > 1.0 + 1e-9 {
        s.error(
            n.span(),
            format!("{sf}.choices"),
            format!("the probabilities of the choices add up to {sum}, more than 1"),
            None,
        );
    }
    let default = link(s, &st.default, "default");
    if st.default.is_none() && sum < 1.0 - 1e-9 && !branches.is_empty() {
        s.error(
            n.span(),
            format!("{sf}.default"),
            format!("the choices add up to {sum}: `default` must say where the rest goes"),
            Some("add `default = \"STATE\"`".into()),
        );
    }
    StateKind::Choice { branches, default }
}
