//! The logical model: teams, modules with their operations, data stores with their queries,
//! and the operations' calls.

use std::collections::BTreeMap;

use super::calls::{cycles, steps, Edge};
use super::org;
use super::refs::Refs;
use crate::kernel::dist::Dist;
use crate::scenario::raw::{Num, RawQueryKind, RawScenario};
use crate::scenario::types::{DataStore, ExternalSpec, Module, OpOwner, Operation, Team, TeamId};
use crate::spec::check::{check_name, dist, int, join, num, size};
use crate::spec::error::Sink;
use crate::spec::locate::key_segment;
use crate::spec::units::did_you_mean;

/// The teams, in file order, and their ids by name.
pub(super) fn teams<'r>(
    s: &mut Sink<'_>,
    raw: &'r RawScenario,
) -> (Vec<Team>, BTreeMap<&'r str, TeamId>) {
    let mut team_ids: BTreeMap<&str, TeamId> = BTreeMap::new();
    let mut teams = Vec::new();
    for (k, t) in &raw.teams.0 {
        let f = join("teams", k.get());
        check_name(s, k, &f, "team");
        if let Some(size) = &t.size {
            int(
                s,
                size,
                &format!("{f}.size"),
                1,
                1_000_000,
                "people in the team",
            );
        }
        team_ids.insert(k.get().as_str(), teams.len());
        teams.push(Team {
            name: k.get().clone(),
        });
    }
    (teams, team_ids)
}

/// The modules with their operations (added to `ops` and to `refs`), in file order.
pub(super) fn modules(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    teams: &[Team],
    team_ids: &BTreeMap<&str, TeamId>,
    refs: &mut Refs<'_>,
    ops: &mut Vec<Operation>,
) -> Vec<Module> {
    let mut modules = Vec::new();
    for (mi, (k, m)) in raw.modules.0.iter().enumerate() {
        let f = join("modules", k.get());
        let team = m
            .team
            .as_ref()
            .and_then(|t| match team_ids.get(t.get().as_str()) {
                Some(&id) => Some(id),
                None => {
                    let help = match did_you_mean(t.get(), team_ids.keys().copied()) {
                        Some(x) => format!("did you mean `{x}`?"),
                        None if teams.is_empty() => {
                            format!("declare it with a `[teams.{}]` table", key_segment(t.get()))
                        }
                        None => format!(
                            "teams: {}; or declare it with a `[teams.{}]` table",
                            teams
                                .iter()
                                .map(|t| t.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                            key_segment(t.get())
                        ),
                    };
                    s.error(
                        t.span(),
                        format!("{f}.team"),
                        format!("unknown team `{}`", t.get()),
                        Some(help),
                    );
                    None
                }
            });
        let memory = m
            .memory
            .as_ref()
            .and_then(|v| size(s, v, &format!("{f}.memory")))
            .unwrap_or(0);
        let mut op_ids = Vec::new();
        for (ok, o) in &m.ops.0 {
            let of = format!("{f}.ops.{}", key_segment(ok.get()));
            check_name(s, ok, &of, "operation");
            let demand = dist(s, &o.cpu, &format!("{of}.cpu")).unwrap_or(Dist::Const(0.0));
            let payload = o
                .payload
                .as_ref()
                .and_then(|v| size(s, v, &format!("{of}.payload")))
                .unwrap_or(0);
            let errors = op_errors(s, &o.errors, &of);
            let qname = format!("{}.{}", k.get(), ok.get());
            refs.ops.insert(qname.clone(), ops.len());
            op_ids.push(ops.len());
            ops.push(Operation {
                name: qname,
                owner: OpOwner::Module(mi),
                demand,
                payload,
                steps: Vec::new(),
                write: false,
                errors,
            });
        }
        let loc = org::loc(s, m, &f);
        modules.push(Module {
            name: k.get().clone(),
            team,
            memory,
            loc,
            ops: op_ids,
        });
    }
    modules
}

/// The data stores with their queries (added to `ops` and to `refs`), in file order.
pub(super) fn datastores(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    refs: &mut Refs<'_>,
    ops: &mut Vec<Operation>,
) -> Vec<DataStore> {
    let mut datastores = Vec::new();
    for (di, (k, d)) in raw.datastores.0.iter().enumerate() {
        let f = join("datastores", k.get());
        let mut op_ids = Vec::new();
        for (ok, o) in &d.ops.0 {
            let of = format!("{f}.ops.{}", key_segment(ok.get()));
            check_name(s, ok, &of, "operation");
            let demand = dist(s, &o.time, &format!("{of}.time")).unwrap_or(Dist::Const(0.0));
            let payload = o
                .payload
                .as_ref()
                .and_then(|v| size(s, v, &format!("{of}.payload")))
                .unwrap_or(0);
            let errors = op_errors(s, &o.errors, &of);
            let qname = format!("{}.{}", k.get(), ok.get());
            refs.ops.insert(qname.clone(), ops.len());
            op_ids.push(ops.len());
            ops.push(Operation {
                name: qname,
                owner: OpOwner::Store(di),
                demand,
                payload,
                steps: Vec::new(),
                write: matches!(o.kind.as_ref().map(|k| *k.get()), Some(RawQueryKind::Write)),
                errors,
            });
        }
        datastores.push(DataStore {
            name: k.get().clone(),
            ops: op_ids,
        });
    }
    datastores
}

/// The external services with their operations (added to `ops` and to `refs`), in file order.
pub(super) fn externals(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    refs: &mut Refs<'_>,
    ops: &mut Vec<Operation>,
) -> Vec<ExternalSpec> {
    let mut out = Vec::new();
    for (ei, (k, x)) in raw.externals.0.iter().enumerate() {
        let (mut spec, xops) = crate::components::external::resolve::external(s, k, x);
        for o in xops {
            let qname = format!("{}.{}", k.get(), o.name);
            refs.ops.insert(qname.clone(), ops.len());
            spec.ops.push(ops.len());
            ops.push(Operation {
                name: qname,
                owner: OpOwner::External(ei),
                demand: o.latency,
                payload: 0,
                steps: Vec::new(),
                write: false,
                errors: o.error_rate,
            });
        }
        out.push(spec);
    }
    out
}

/// The `errors` probability of an operation (default 0).
fn op_errors(s: &mut Sink<'_>, v: &Option<Num>, of: &str) -> f64 {
    v.as_ref()
        .and_then(|v| {
            num(
                s,
                v,
                &format!("{of}.errors"),
                (0.0, true),
                1.0,
                "the probability an invocation fails with `error`",
            )
        })
        .unwrap_or(0.0)
}

/// Resolves the calls of every module operation into its steps, checks that the synchronous
/// calls form no cycle, and returns the call edges.
pub(super) fn calls(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    refs: &Refs<'_>,
    wfs: &super::workflows::Workflows,
    modules: &[Module],
    ops: &mut [Operation],
) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (mi, (k, m)) in raw.modules.0.iter().enumerate() {
        for (oi, (ok, o)) in m.ops.0.iter().enumerate() {
            let of = format!(
                "modules.{}.ops.{}",
                key_segment(k.get()),
                key_segment(ok.get())
            );
            let id = modules[mi].ops[oi];
            ops[id].steps = steps(s, refs, wfs, &o.calls, &of, id, &mut edges);
        }
    }
    cycles(s, ops, &edges);
    super::tx::reach(s, ops);
    edges
}
