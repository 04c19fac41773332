//! The latency anatomy of the results: per entry, the mean time a successful request spends in
//! each part (network, marshalling, each node's queueing and service, each component…) with
//! its interval across replications, the same for the requests above the p99, and the paired
//! difference of each part between two variants. See `crate::flow::anatomy` for how the
//! engine keeps it and `docs/results.md` for the fields.

use crate::components::{NAMES, PART_LABELS};
use crate::engine::record::RepResult;
use crate::flow::anatomy::{bin_low, EntryAnatomy, Layout, CLIENT, MARSHAL, NETWORK, OTHER, RETRY};
use crate::flow::topology::NodeKind;
use crate::model::Model;
use crate::stats::{quantile_s, Stat};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The quantile whose tail [`EntryAnatomyResult::tail`] describes.
pub const TAIL_QUANTILE: f64 = 0.99;

/// One part of the time of a request.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AnatomyPart {
    /// What it is, for a reader: `network hops`, `catalog: queueing`, `API gateway …`.
    pub part: String,
    /// Its kind: `queueing`, `service` (of `node`), `network`, `marshalling`, `client`,
    /// `retries`, `component` (of `component`), `other`.
    pub kind: String,
    /// The node, for `queueing` and `service`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// The component, for `component`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Mean time per request in this part \[s\], across replications.
    pub mean_s: Stat,
    /// Its share of the mean latency (0–1).
    pub share: f64,
}

/// The anatomy of the slowest requests of an entry.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TailAnatomy {
    /// The quantile above which requests are described (0.99).
    pub quantile: f64,
    /// Mean latency of those requests \[s\].
    pub mean_s: Stat,
    /// Their parts, largest first.
    pub parts: Vec<AnatomyPart>,
}

/// The latency anatomy of one entry of one variant.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EntryAnatomyResult {
    /// Replications with at least one successful request (the others give no sample).
    pub replications: u32,
    /// Mean latency of the successful requests \[s\]: the parts add up to it.
    pub mean_s: Stat,
    /// The parts, largest first (parts that are zero in every replication are left out).
    pub parts: Vec<AnatomyPart>,
    /// The requests above the p99.
    pub tail: TailAnatomy,
}

/// The paired difference of one part between two variants.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AnatomyDiff {
    /// The part, matched between variants by name; the service of every node is grouped as
    /// `service (CPU demand)` and their queueing as `queueing` (the nodes differ between
    /// variants).
    pub part: String,
    /// Its kind (see [`AnatomyPart::kind`]).
    pub kind: String,
    /// Variant − baseline, mean time per request in this part \[s\].
    pub mean_s: Stat,
}

/// What a part is: its name, kind, node and component.
struct PartName {
    part: String,
    kind: &'static str,
    node: Option<String>,
    component: Option<String>,
}

fn layout(m: &Model) -> Layout {
    Layout {
        components: NAMES.len() as u32,
        nodes: m.topo.nodes.len() as u32,
    }
}

fn name(m: &Model, l: &Layout, p: u32) -> PartName {
    let fixed = |part: &str, kind| PartName {
        part: part.to_string(),
        kind,
        node: None,
        component: None,
    };
    if let Some((n, service)) = l.node_of(p) {
        let nd = &m.topo.nodes[n as usize];
        let node = nd.name.clone();
        let kind = if service { "service" } else { "queueing" };
        let shown = match nd.kind {
            NodeKind::Database => format!("db {node}"),
            NodeKind::External => format!("external {node}"),
            _ => node.clone(),
        };
        return PartName {
            part: format!("{shown}: {kind}"),
            kind,
            node: Some(node),
            component: None,
        };
    }
    if let Some(k) = l.component_of(p) {
        let k = k as usize;
        return PartName {
            part: PART_LABELS[k].to_string(),
            kind: "component",
            node: None,
            component: Some(NAMES[k].to_string()),
        };
    }
    match p {
        NETWORK => fixed("network hops", "network"),
        MARSHAL => fixed("marshalling", "marshalling"),
        CLIENT => fixed("client distance", "client"),
        RETRY => fixed("failed attempts and backoff", "retries"),
        OTHER => fixed("other", "other"),
        _ => fixed("other", "other"),
    }
}

/// Per replication with successes: the mean time per request in each part \[s\].
fn part_means(reps: &[RepResult], e: usize) -> Vec<Option<Vec<f64>>> {
    reps.iter()
        .map(|r| {
            let a = r.anatomy.entries.get(e)?;
            (a.count > 0).then(|| {
                a.sums
                    .iter()
                    .map(|&s| s as f64 / a.count as f64 / 1e9)
                    .collect()
            })
        })
        .collect()
}

/// The mean time per request in each part over the requests of `a` at or above `q_ns` \[s\],
/// with their mean latency: whole bins above it, and the share of the bin holding it that
/// lies above it (latencies spread evenly over the bin).
fn tail_means(a: &EntryAnatomy, q_ns: f64) -> Option<(Vec<f64>, f64)> {
    let mut weight = 0.0;
    let mut sums = vec![0.0; a.sums.len()];
    let mut latency = 0.0;
    for b in &a.bins {
        let (lo, hi) = (bin_low(b.bin as usize), bin_low(b.bin as usize + 1));
        let w = if lo >= q_ns {
            1.0
        } else if hi > q_ns {
            (hi - q_ns) / (hi - lo)
        } else {
            0.0
        };
        if w == 0.0 {
            continue;
        }
        weight += w * b.count as f64;
        for (s, &x) in sums.iter_mut().zip(&b.sums) {
            *s += w * x as f64;
            latency += w * x as f64;
        }
    }
    (weight > 0.0).then(|| {
        (
            sums.iter().map(|s| s / weight / 1e9).collect(),
            latency / weight / 1e9,
        )
    })
}

/// Parts with their intervals from per-replication means (`None`: no sample), largest first,
/// leaving out parts that are zero everywhere.
fn parts_of(m: &Model, l: &Layout, means: &[Vec<f64>], total: f64) -> Vec<AnatomyPart> {
    let mut parts: Vec<AnatomyPart> = (0..l.len())
        .filter(|&p| means.iter().any(|v| v[p] > 0.0))
        .map(|p| {
            let samples: Vec<f64> = means.iter().map(|v| v[p]).collect();
            let n = name(m, l, p as u32);
            let mean_s = Stat::from_samples(&samples);
            AnatomyPart {
                part: n.part,
                kind: n.kind.to_string(),
                node: n.node,
                component: n.component,
                share: if total > 0.0 {
                    mean_s.mean / total
                } else {
                    0.0
                },
                mean_s,
            }
        })
        .collect();
    parts.sort_by(|a, b| b.mean_s.mean.total_cmp(&a.mean_s.mean));
    parts
}

/// The latency anatomy of every entry of variant `m` from its replications.
pub fn combine(m: &Model, reps: &[RepResult]) -> IndexMap<String, EntryAnatomyResult> {
    let l = layout(m);
    let mut out = IndexMap::new();
    for (e, plan) in m.topo.entries.iter().enumerate() {
        let means: Vec<Vec<f64>> = part_means(reps, e).into_iter().flatten().collect();
        let totals: Vec<f64> = means.iter().map(|v| v.iter().sum()).collect();
        let mean_s = Stat::from_samples(&totals);
        let tails: Vec<(Vec<f64>, f64)> = reps
            .iter()
            .filter_map(|r| {
                let a = r.anatomy.entries.get(e)?;
                if a.count == 0 {
                    return None;
                }
                let q = quantile_s(&r.entries[e].latency, TAIL_QUANTILE) * 1e9;
                tail_means(a, q)
            })
            .collect();
        let tail_means: Vec<Vec<f64>> = tails.iter().map(|t| t.0.clone()).collect();
        let tail_lat: Vec<f64> = tails.iter().map(|t| t.1).collect();
        let tail_mean = Stat::from_samples(&tail_lat);
        out.insert(
            plan.name.clone(),
            EntryAnatomyResult {
                replications: means.len() as u32,
                parts: parts_of(m, &l, &means, mean_s.mean),
                mean_s,
                tail: TailAnatomy {
                    quantile: TAIL_QUANTILE,
                    parts: parts_of(m, &l, &tail_means, tail_mean.mean),
                    mean_s: tail_mean,
                },
            },
        );
    }
    out
}

/// What a part counts as when two variants are compared: the nodes differ between variants,
/// so every node's service is "service (CPU demand)" and every node's queueing "queueing";
/// the other parts keep their names.
fn group(n: &PartName) -> String {
    match n.kind {
        "service" => "service (CPU demand)".to_string(),
        "queueing" => "queueing".to_string(),
        _ => n.part.clone(),
    }
}

/// Mean time per request by part group \[s\].
type Grouped = IndexMap<String, f64>;

/// Per replication, each group's mean time (see [`group`]) \[s\] (`None`: no success).
fn grouped_means(m: &Model, reps: &[RepResult], e: usize) -> Vec<Option<Grouped>> {
    let l = layout(m);
    part_means(reps, e)
        .into_iter()
        .map(|v| {
            v.map(|v| {
                let mut by = IndexMap::new();
                for (p, &x) in v.iter().enumerate() {
                    if x > 0.0 {
                        *by.entry(group(&name(m, &l, p as u32))).or_insert(0.0) += x;
                    }
                }
                by
            })
        })
        .collect()
}

/// The paired difference of each part of entry `e`, variant `mv` (`var`) − baseline `mb`
/// (`base`), over the replications where both had successes; largest absolute first. Parts
/// are grouped as in [`AnatomyDiff::part`]: every node's service as one, its queueing as one.
pub fn compare(
    mb: &Model,
    base: &[RepResult],
    mv: &Model,
    var: &[RepResult],
    e: usize,
) -> Vec<AnatomyDiff> {
    let (a, b) = (grouped_means(mb, base, e), grouped_means(mv, var, e));
    let pairs: Vec<(&Grouped, &Grouped)> = a
        .iter()
        .zip(&b)
        .filter_map(|(x, y)| Some((x.as_ref()?, y.as_ref()?)))
        .collect();
    let mut kinds: IndexMap<String, String> = IndexMap::new();
    let (lb, lv) = (layout(mb), layout(mv));
    for (m, l) in [(mb, &lb), (mv, &lv)] {
        for p in 0..l.len() as u32 {
            let n = name(m, l, p);
            kinds.entry(group(&n)).or_insert_with(|| n.kind.to_string());
        }
    }
    let mut names: Vec<String> = Vec::new();
    for (x, y) in &pairs {
        for k in x.keys().chain(y.keys()) {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
    }
    let mut out: Vec<AnatomyDiff> = names
        .into_iter()
        .map(|n| {
            let base_s: Vec<f64> = pairs
                .iter()
                .map(|(x, _)| x.get(&n).copied().unwrap_or(0.0))
                .collect();
            let var_s: Vec<f64> = pairs
                .iter()
                .map(|(_, y)| y.get(&n).copied().unwrap_or(0.0))
                .collect();
            AnatomyDiff {
                kind: kinds.get(&n).cloned().unwrap_or_else(|| "other".into()),
                part: n,
                mean_s: Stat::paired_difference(&base_s, &var_s),
            }
        })
        .collect();
    out.sort_by(|a, b| b.mean_s.mean.abs().total_cmp(&a.mean_s.mean.abs()));
    out
}
