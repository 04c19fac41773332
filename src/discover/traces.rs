//! Spans grouped into traces: parent links, completeness, clock-skew correction.

use super::span::Span;
use std::collections::{BTreeMap, HashMap};

/// One trace: its spans and their tree.
#[derive(Debug)]
pub struct Trace {
    /// The spans.
    pub spans: Vec<Span>,
    /// Children of each span (indices), by start time.
    pub children: Vec<Vec<usize>>,
    /// Spans without a parent (true roots).
    pub roots: Vec<usize>,
    /// Spans whose parent is not in the trace.
    pub orphans: Vec<usize>,
}

impl Trace {
    /// One root and every parent present.
    pub fn complete(&self) -> bool {
        self.roots.len() == 1 && self.orphans.is_empty()
    }
}

/// Every trace of the input, with what assembling them found.
#[derive(Debug, Default)]
pub struct TraceSet {
    /// Traces by id order.
    pub traces: Vec<Trace>,
    /// Spans moved to fit inside their parent (clock skew between hosts).
    pub skew_fixes: usize,
    /// Duplicate span ids dropped, missing parents, …
    pub warnings: Vec<String>,
}

/// Groups spans into traces, links parents, and corrects clock skew: a span of another service
/// than its parent's that starts before its parent or ends after it (impossible for a
/// synchronous call, so the hosts' clocks differ) is moved with its whole subtree to the middle
/// of its parent, when it is not longer than the parent (the correction Jaeger's UI applies:
/// the network time splits evenly on both sides).
pub fn assemble(spans: Vec<Span>) -> TraceSet {
    let mut by_trace: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    for s in spans {
        by_trace.entry(s.trace.clone()).or_default().push(s);
    }
    let mut set = TraceSet::default();
    for (tid, mut spans) in by_trace {
        spans.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut kept = Vec::with_capacity(spans.len());
        for s in spans {
            if seen.contains_key(&s.id) {
                set.warnings.push(format!(
                    "trace {tid}: span id {} appears twice; the second (`{}`) is dropped",
                    s.id, s.name
                ));
                continue;
            }
            seen.insert(s.id.clone(), kept.len());
            kept.push(s);
        }
        let mut children = vec![Vec::new(); kept.len()];
        let mut roots = Vec::new();
        let mut orphans = Vec::new();
        for (i, s) in kept.iter().enumerate() {
            match &s.parent {
                None => roots.push(i),
                Some(p) => match seen.get(p) {
                    Some(&pi) if pi != i => children[pi].push(i),
                    _ => orphans.push(i),
                },
            }
        }
        let mut t = Trace {
            spans: kept,
            children,
            roots,
            orphans,
        };
        let starts: Vec<usize> = t.roots.iter().chain(&t.orphans).copied().collect();
        for r in starts {
            set.skew_fixes += fix_skew(&mut t, r);
        }
        set.traces.push(t);
    }
    set
}

/// Corrects the subtree under `i` top-down; returns the number of spans moved.
fn fix_skew(t: &mut Trace, i: usize) -> usize {
    let mut fixes = 0;
    let mut stack = vec![i];
    while let Some(p) = stack.pop() {
        let (ps, pe, psvc) = (t.spans[p].start, t.spans[p].end, t.spans[p].service.clone());
        for k in 0..t.children[p].len() {
            let c = t.children[p][k];
            let (cs, ce) = (t.spans[c].start, t.spans[c].end);
            let outside = cs < ps || ce > pe;
            if outside && t.spans[c].service != psvc && ce - cs <= pe - ps {
                let target = ps + ((pe - ps) - (ce - cs)) / 2;
                shift(t, c, target - cs);
                fixes += 1;
            }
            stack.push(c);
        }
    }
    fixes
}

fn shift(t: &mut Trace, i: usize, delta: i64) {
    let mut stack = vec![i];
    while let Some(s) = stack.pop() {
        t.spans[s].start += delta;
        t.spans[s].end += delta;
        stack.extend(t.children[s].iter().copied());
    }
}
