//! The decomposition suggester: partitions the module graph into K units.
//!
//! # Edge weights
//!
//! Between modules `a ≠ b`:
//!
//! `w(a,b) = calls(a↔b) + store_weight · Σ_{d queried by both} min(q_a(d), q_b(d)) + team_bonus · w̄ · [team(a) = team(b)]`
//!
//! where `calls(a↔b)` is the mean calls per request between them in both directions and
//! `q_m(d)` the mean queries per request from `m` to data store `d` ([`Traffic`]: analytic
//! expected visits, or sampled call trees with [`Weights::Simulated`]), `w̄` the mean of the
//! positive call-and-store weights, and `team(m)` the owner in the base variant. Everything is
//! in calls per request, so the cut is the traffic that would cross the network.
//!
//! # Method
//!
//! 1. **Greedy agglomerative start** (average linkage): every module starts alone; repeatedly
//!    merge the two clusters with the largest weight between them divided by the product of
//!    their sizes, among pairs whose merged size stays within the balance cap
//!    `⌈(1 + balance)·n/K⌉` (ties: lowest cluster indices). When no connected pair fits, the
//!    two smallest clusters merge. Stops at K clusters.
//! 2. **Kernighan–Lin / Fiduccia–Mattheyses refinement**: passes over the modules in order,
//!    each applying the single-module move with the largest positive cut reduction that keeps
//!    every part within `[max(1, ⌊(1 − balance)·n/K⌋), cap]`, then every pairwise swap with a
//!    positive gain (swaps keep sizes, so they improve balanced cuts single moves cannot);
//!    until a pass improves nothing (at most 100 passes).
//!
//! The result is a local optimum of the weighted cut under the balance constraint,
//! deterministic for a given input.
//!
//! # Complexity
//! O(n³) for the start (n merges, O(n²) to find the best pair), O(n²·K) per refinement pass.

use petgraph::graph::UnGraph;
use petgraph::visit::EdgeRef;
use rand::Rng;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{step_calls, Traffic};
use crate::kernel::StreamSeeder;
use crate::scenario::{OpOwner, Scenario};

/// Where the call volumes come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weights {
    /// The analytic expected visits (exact means).
    Analytic,
    /// Sampled call trees: `requests` requests per entry, each call made with its probability
    /// (a short simulation of the call plans; converges to the analytic means).
    Simulated {
        /// Requests sampled per entry.
        requests: u32,
        /// Seed of the sampling.
        seed: u64,
    },
}

/// Options of [`decompose`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Number of units K (1 ≤ K ≤ modules).
    pub units: usize,
    /// Source of the call volumes.
    pub weights: Weights,
    /// Weight of a shared data store relative to calls (default 1).
    pub store_weight: f64,
    /// Same-team bonus as a multiple of the mean positive weight (default 0.5).
    pub team_bonus: f64,
    /// Allowed imbalance of part sizes around n/K (default 0.25).
    pub balance: f64,
    /// The variant whose team ownership is used and whose units and databases the suggested
    /// variant copies (default 0).
    pub base_variant: usize,
}

impl Options {
    /// K units with the documented defaults.
    pub fn new(units: usize) -> Options {
        Options {
            units,
            weights: Weights::Analytic,
            store_weight: 1.0,
            team_bonus: 0.5,
            balance: 0.25,
            base_variant: 0,
        }
    }
}

/// Errors of the suggester.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DecomposeError {
    /// K is 0 or more than the number of modules. Choose K between 1 and the module count.
    #[error("--units must be between 1 and the number of modules ({modules}), found {units}")]
    BadUnits {
        /// K asked for.
        units: usize,
        /// Modules in the scenario.
        modules: usize,
    },
    /// The scenario text could not be edited as TOML (it parsed before, so this is a bug).
    #[error("cannot edit the scenario text: {0}")]
    Edit(String),
}

/// One suggested unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SuggestedUnit {
    /// Name (that of its module with the most traffic).
    pub name: String,
    /// Modules, in module order.
    pub modules: Vec<String>,
}

/// A suggested decomposition (the `--json` document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Decomposition {
    /// The K units.
    pub units: Vec<SuggestedUnit>,
    /// Module calls per request between different units (the cut).
    pub cross_unit_calls_per_request: f64,
    /// Teams whose modules end up in more than one unit, in team order.
    pub teams_split: Vec<String>,
    /// Part of each module (by module id).
    #[serde(skip)]
    pub assignment: Vec<usize>,
}

/// Traffic from `requests` sampled call trees per entry.
pub fn sampled_traffic(s: &Scenario, requests: u32, seed: u64) -> Traffic {
    let nm = s.modules.len();
    let mut calls = vec![vec![0.0; nm]; nm];
    let mut queries = vec![vec![0.0; s.datastores.len()]; nm];
    let total: f64 = s.workload.entries.iter().map(|e| e.arrival.rate()).sum();
    if total <= 0.0 || requests == 0 {
        return Traffic { calls, queries };
    }
    let seeder = StreamSeeder::new(seed, 0);
    for (ei, e) in s.workload.entries.iter().enumerate() {
        let w = e.arrival.rate() / total / f64::from(requests);
        let mut rng = seeder.stream(2001, ei as u64);
        for _ in 0..requests {
            let mut stack = vec![e.op];
            while let Some(a) = stack.pop() {
                let OpOwner::Module(ma) = s.ops[a].owner else {
                    continue;
                };
                for c in step_calls(&s.ops[a].steps) {
                    for _ in 0..c.count {
                        if c.p < 1.0 && rng.random::<f64>() >= c.p {
                            continue;
                        }
                        match s.ops[c.op].owner {
                            OpOwner::Module(mb) => {
                                calls[ma][mb] += w;
                                stack.push(c.op);
                            }
                            OpOwner::Store(d) => queries[ma][d] += w,
                            // Outside the system: no coupling between teams.
                            OpOwner::External(_) => {}
                        }
                    }
                }
            }
        }
    }
    Traffic { calls, queries }
}

/// The symmetric weight matrix of the module graph (see the module docs).
pub fn weights(s: &Scenario, traffic: &Traffic, opts: &Options) -> Vec<Vec<f64>> {
    let nm = s.modules.len();
    let team = &s.variants[opts.base_variant.min(s.variants.len() - 1)].module_team;
    let mut w = vec![vec![0.0; nm]; nm];
    let (mut sum, mut count) = (0.0, 0usize);
    for a in 0..nm {
        for b in (a + 1)..nm {
            let stores: f64 = traffic
                .shared_stores(a, b)
                .iter()
                .map(|&d| traffic.queries[a][d].min(traffic.queries[b][d]))
                .sum();
            let x = traffic.between(a, b) + opts.store_weight * stores;
            w[a][b] = x;
            w[b][a] = x;
            if x > 0.0 {
                sum += x;
                count += 1;
            }
        }
    }
    let mean = if count == 0 { 1.0 } else { sum / count as f64 };
    for a in 0..nm {
        for b in (a + 1)..nm {
            if team[a].is_some() && team[a] == team[b] {
                w[a][b] += opts.team_bonus * mean;
                w[b][a] = w[a][b];
            }
        }
    }
    w
}

/// Partitions the graph with symmetric weights `w` into `k` balanced parts (see the module
/// docs); returns the part of each vertex, parts numbered by their smallest vertex.
pub fn partition(w: &[Vec<f64>], k: usize, balance: f64) -> Vec<usize> {
    let n = w.len();
    if n == 0 || k == 0 {
        return vec![0; n];
    }
    let k = k.min(n);
    let mut g: UnGraph<usize, f64> = UnGraph::new_undirected();
    let nodes: Vec<_> = (0..n).map(|i| g.add_node(i)).collect();
    for a in 0..n {
        for b in (a + 1)..n {
            if w[a][b] > 0.0 {
                g.add_edge(nodes[a], nodes[b], w[a][b]);
            }
        }
    }
    let ideal = n as f64 / k as f64;
    let cap = ((1.0 + balance) * ideal).ceil().max(1.0) as usize;
    let min = (((1.0 - balance) * ideal).floor() as usize).max(1);

    // 1. Average-linkage agglomeration under the cap.
    let mut clusters: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut cw: Vec<Vec<f64>> = w.to_vec();
    for (i, row) in cw.iter_mut().enumerate() {
        row[i] = 0.0;
    }
    let mut alive: Vec<bool> = vec![true; n];
    let mut live = n;
    while live > k {
        let mut best: Option<(f64, usize, usize)> = None;
        for a in 0..n {
            if !alive[a] {
                continue;
            }
            for b in (a + 1)..n {
                if !alive[b] || clusters[a].len() + clusters[b].len() > cap || cw[a][b] <= 0.0 {
                    continue;
                }
                let score = cw[a][b] / (clusters[a].len() * clusters[b].len()) as f64;
                if best.map_or(true, |(s, _, _)| score > s) {
                    best = Some((score, a, b));
                }
            }
        }
        let (a, b) = match best {
            Some((_, a, b)) => (a, b),
            None => {
                let mut by_size: Vec<usize> = (0..n).filter(|&i| alive[i]).collect();
                by_size.sort_by_key(|&i| (clusters[i].len(), i));
                let (x, y) = (by_size[0], by_size[1]);
                (x.min(y), x.max(y))
            }
        };
        let moved = std::mem::take(&mut clusters[b]);
        clusters[a].extend(moved);
        alive[b] = false;
        live -= 1;
        for c in 0..n {
            cw[a][c] += cw[b][c];
            cw[c][a] = cw[a][c];
        }
        cw[a][a] = 0.0;
    }
    let mut part = vec![0usize; n];
    for (p, c) in (0..n).filter(|&i| alive[i]).enumerate() {
        for &v in &clusters[c] {
            part[v] = p;
        }
    }

    // 2. FM moves and KL swaps.
    let conn = |part: &[usize], v: usize| -> Vec<f64> {
        let mut c = vec![0.0; k];
        for e in g.edges(nodes[v]) {
            let u = if e.source() == nodes[v] {
                g[e.target()]
            } else {
                g[e.source()]
            };
            c[part[u]] += *e.weight();
        }
        c
    };
    let mut sizes = vec![0usize; k];
    for &p in &part {
        sizes[p] += 1;
    }
    const EPS: f64 = 1e-12;
    for _ in 0..100 {
        let mut improved = false;
        for v in 0..n {
            let p = part[v];
            if sizes[p] <= min {
                continue;
            }
            let c = conn(&part, v);
            let mut best: Option<(f64, usize)> = None;
            for q in 0..k {
                if q == p || sizes[q] + 1 > cap {
                    continue;
                }
                let gain = c[q] - c[p];
                if gain > EPS && best.map_or(true, |(g0, _)| gain > g0) {
                    best = Some((gain, q));
                }
            }
            if let Some((_, q)) = best {
                part[v] = q;
                sizes[p] -= 1;
                sizes[q] += 1;
                improved = true;
            }
        }
        for u in 0..n {
            for v in (u + 1)..n {
                let (p, q) = (part[u], part[v]);
                if p == q {
                    continue;
                }
                let cu = conn(&part, u);
                let cv = conn(&part, v);
                let gain = cu[q] - cu[p] + cv[p] - cv[q] - 2.0 * w[u][v];
                if gain > EPS {
                    part[u] = q;
                    part[v] = p;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
    // Number parts by their smallest vertex.
    let mut relabel = vec![usize::MAX; k];
    let mut next = 0;
    for p in part.iter_mut() {
        if relabel[*p] == usize::MAX {
            relabel[*p] = next;
            next += 1;
        }
        *p = relabel[*p];
    }
    part
}

/// Suggests a decomposition of `s` into `opts.units` units.
///
/// # Errors
/// [`DecomposeError::BadUnits`] when K is 0 or exceeds the number of modules.
pub fn decompose(s: &Scenario, opts: &Options) -> Result<Decomposition, DecomposeError> {
    let nm = s.modules.len();
    if opts.units == 0 || opts.units > nm {
        return Err(DecomposeError::BadUnits {
            units: opts.units,
            modules: nm,
        });
    }
    let traffic = match opts.weights {
        Weights::Analytic => Traffic::analytic(s),
        Weights::Simulated { requests, seed } => sampled_traffic(s, requests, seed),
    };
    let w = weights(s, &traffic, opts);
    let part = partition(&w, opts.units, opts.balance);
    let k = part.iter().max().map_or(0, |x| x + 1);
    let volume: Vec<f64> = (0..nm)
        .map(|m| (0..nm).map(|x| traffic.between(m, x)).sum())
        .collect();
    let units = (0..k)
        .map(|p| {
            let members: Vec<usize> = (0..nm).filter(|&m| part[m] == p).collect();
            let head =
                members
                    .iter()
                    .copied()
                    .fold(members[0], |b, m| if volume[m] > volume[b] { m } else { b });
            SuggestedUnit {
                name: s.modules[head].name.clone(),
                modules: members.iter().map(|&m| s.modules[m].name.clone()).collect(),
            }
        })
        .collect();
    let mut cut = 0.0;
    for a in 0..nm {
        for b in 0..nm {
            if part[a] != part[b] {
                cut += traffic.calls[a][b];
            }
        }
    }
    let team = &s.variants[opts.base_variant.min(s.variants.len() - 1)].module_team;
    let teams_split = (0..s.teams.len())
        .filter(|&t| {
            let mut ps: Vec<usize> = (0..nm)
                .filter(|&m| team[m] == Some(t))
                .map(|m| part[m])
                .collect();
            ps.sort_unstable();
            ps.dedup();
            ps.len() > 1
        })
        .map(|t| s.teams[t].name.clone())
        .collect();
    Ok(Decomposition {
        units,
        cross_unit_calls_per_request: cut,
        teams_split,
        assignment: part,
    })
}

/// A variant name not used in `s`: `decomposed-K`, then `decomposed-K-2`, …
pub fn fresh_variant_name(s: &Scenario, k: usize) -> String {
    let base = format!("decomposed-{k}");
    let mut name = base.clone();
    let mut i = 2;
    while s.variants.iter().any(|v| v.name == name) {
        name = format!("{base}-{i}");
        i += 1;
    }
    name
}

/// The scenario text with one more `[[variants]]`: a copy of the base variant (gateway,
/// databases, owners, comments) named `name` whose units are those of `d`, each with the
/// settings of the base unit that held its first module. Edited with `toml_edit`, so the rest of
/// the file, comments included, is unchanged.
///
/// # Errors
/// [`DecomposeError::Edit`] if the text is not an editable scenario with `[[variants]]`.
pub fn write_variant(
    text: &str,
    s: &Scenario,
    d: &Decomposition,
    base_variant: usize,
    name: &str,
) -> Result<String, DecomposeError> {
    use toml_edit::{value, Array, ArrayOfTables, DocumentMut, Item, Table};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| DecomposeError::Edit(e.to_string()))?;
    let variants = doc
        .get_mut("variants")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| DecomposeError::Edit("no [[variants]] array of tables".into()))?;
    let base = variants
        .get(base_variant)
        .cloned()
        .ok_or_else(|| DecomposeError::Edit(format!("no variant {base_variant}")))?;
    let base_units: Vec<Table> = match base.get("units") {
        Some(Item::ArrayOfTables(a)) => a.iter().cloned().collect(),
        Some(Item::Value(toml_edit::Value::Array(a))) => a
            .iter()
            .filter_map(|x| x.as_inline_table().map(|t| t.clone().into_table()))
            .collect(),
        _ => Vec::new(),
    };
    let bv = &s.variants[base_variant];
    let mut units = ArrayOfTables::new();
    for u in &d.units {
        let first = s
            .modules
            .iter()
            .position(|m| Some(&m.name) == u.modules.first());
        let from = first.map(|m| bv.module_unit[m]);
        let mut t = from
            .and_then(|x| base_units.get(x).cloned())
            .unwrap_or_default();
        t.decor_mut().clear();
        t.insert("name", value(u.name.clone()));
        let mut mods = Array::new();
        for m in &u.modules {
            mods.push(m.as_str());
        }
        t.insert("modules", value(mods));
        units.push(t);
    }
    let mut v = base.clone();
    v.decor_mut().set_prefix(format!(
        "\n# Suggested by `archsim decompose --units {}`: {:.3} cross-unit calls per request.\n",
        d.units.len(),
        d.cross_unit_calls_per_request
    ));
    v.insert("name", value(name));
    remap_balanced_units(&mut v, &base_units, &d.units);
    v.insert("units", Item::ArrayOfTables(units));
    let mut next = 1 << 40;
    renumber(&mut v, &mut next);
    variants.push(v);
    Ok(doc.to_string())
}

/// A copied variant's load balancers front the new units that hold the modules of the units
/// they fronted in the base variant (those units are gone from the copy).
fn remap_balanced_units(
    v: &mut toml_edit::Table,
    base_units: &[toml_edit::Table],
    new: &[SuggestedUnit],
) {
    use toml_edit::{Array, Item, Value};
    let modules_of = |unit: &str| -> Vec<String> {
        base_units
            .iter()
            .find(|t| t.get("name").and_then(Item::as_str) == Some(unit))
            .and_then(|t| t.get("modules").and_then(Item::as_array))
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let remap = |units: &Array| -> Array {
        let mut out: Vec<String> = Vec::new();
        for old in units.iter().filter_map(Value::as_str) {
            let held = modules_of(old);
            for u in new
                .iter()
                .filter(|u| u.modules.iter().any(|m| held.contains(m)))
            {
                if !out.contains(&u.name) {
                    out.push(u.name.clone());
                }
            }
        }
        out.iter().map(String::as_str).collect()
    };
    let Some(lbs) = v.get_mut("load_balancers") else {
        return;
    };
    match lbs {
        Item::ArrayOfTables(a) => {
            for t in a.iter_mut() {
                if let Some(units) = t.get("units").and_then(Item::as_array).map(remap) {
                    t.insert("units", toml_edit::value(units));
                }
            }
        }
        Item::Value(Value::Array(a)) => {
            for x in a.iter_mut() {
                if let Some(t) = x.as_inline_table_mut() {
                    if let Some(units) = t.get("units").and_then(Value::as_array).map(remap) {
                        t.insert("units", Value::Array(units));
                    }
                }
            }
        }
        _ => {}
    }
}

/// Gives a copied table and its sub-tables document positions after every existing table
/// (parent before children), so that they are written at the end of the file, in order.
fn renumber(t: &mut toml_edit::Table, next: &mut usize) {
    t.set_position(*next);
    *next += 1;
    for (_, item) in t.iter_mut() {
        match item {
            toml_edit::Item::Table(x) => renumber(x, next),
            toml_edit::Item::ArrayOfTables(a) => a.iter_mut().for_each(|x| renumber(x, next)),
            _ => {}
        }
    }
}
