//! Ownership and Conway metrics of a variant.
//!
//! Conway's law says a system's structure copies the communication structure of the
//! organization that builds it; MacCormack, Rusnak & Baldwin (Research Policy 2012) measured
//! this "mirroring": loosely coupled organizations build measurably more modular products.
//! These metrics put numbers on how a variant's deployable units line up with its teams.
//!
//! # Definitions
//!
//! Let `calls(a, b)` be the mean module-to-module calls per entry request ([`Traffic`], from the
//! analytic expected visits weighted by the entries' arrival rates), `unit(m)` the unit holding
//! module `m` and `team(m)` its owner in this variant (the module's `team`, unless the variant's
//! `owners` overrides it). Data-store queries are not module calls and are not counted.
//!
//! - **calls per request**: `Σ_{a,b} calls(a, b)`;
//! - **cross-unit calls per request**: the part with `unit(a) ≠ unit(b)` (each pays the network);
//! - **cross-team calls per request**: the part with `team(a) ≠ team(b)`, both owned;
//! - **units per team**: for each team owning at least one module, the number of distinct units
//!   holding its modules; reported per team and as the mean over those teams;
//! - **teams per unit**: for each unit holding at least one owned module, the number of distinct
//!   teams among its modules; per unit and the mean over those units;
//! - **mirroring score**: whether every unit belongs to one team — the adjusted Wallace index
//!   of the partition of the owned modules into units with respect to their partition into
//!   teams (Wallace 1983; adjusted for chance as Severiano et al. 2011 do). With `W` the
//!   fraction of the module pairs sharing a unit that also share a team, and `E` the fraction
//!   of all module pairs that share a team (what `W` is when units ignore teams), the score is
//!   `(W − E) / (1 − E)`: 1 when no unit holds two teams' modules (a team may own several
//!   units: units that refine the teams mirror them); 0 when units mix teams as chance would
//!   (one monolith holding several teams' modules); negative when they mix them more (a split
//!   by technical layer under teams by business capability). 1 by convention when no two
//!   owned modules share a unit, when one team owns them all, or with fewer than two owned
//!   modules; absent (`None`) when no module has a team. The adjusted Rand index is not
//!   used: it is 0 whenever one partition is all singletons or all one block, whatever the
//!   teams — a one-module-per-service split owned by two teams read 0, as if it mixed them;
//! - **pair agreement**: the plain Rand index, the fraction of pairs of owned modules for which
//!   "same unit" ⇔ "same team" (symmetric: it also counts a team spread over several units
//!   against the score); absent when no module has a team;
//! - **coordinating teams**: the teams at either end of a call with positive traffic that
//!   crosses both a unit boundary and a team boundary — those teams must agree on an interface
//!   across deployables; **communication channels** = n(n−1)/2 for n such teams (Brooks, The
//!   Mythical Man-Month).

use serde::{Deserialize, Serialize};

use super::Traffic;
use crate::scenario::Scenario;

/// Conway metrics of one variant (`conway` in the results document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConwayMetrics {
    /// Module-to-module calls per entry request (in-process or not).
    pub calls_per_request: f64,
    /// Calls per request between modules in different units.
    pub cross_unit_calls_per_request: f64,
    /// Calls per request between modules of different teams.
    pub cross_team_calls_per_request: f64,
    /// Mean over teams owning modules of the number of units holding their modules.
    pub units_per_team: f64,
    /// Mean over units holding owned modules of the number of teams owning their modules.
    pub teams_per_unit: f64,
    /// Adjusted Wallace index of the unit partition of the owned modules with respect to their
    /// team partition: 1 = no unit holds two teams' modules, 0 = units mix teams as chance
    /// would, < 0 = more than chance; `null` when no module has a team.
    pub mirroring: Option<f64>,
    /// Fraction of pairs of owned modules for which "same unit" ⇔ "same team" (Rand index);
    /// `null` when no module has a team.
    pub pair_agreement: Option<f64>,
    /// Teams at either end of a cross-unit, cross-team call, in team order.
    pub coordinating_teams: Vec<String>,
    /// n(n−1)/2 for n coordinating teams.
    pub communication_channels: u64,
    /// Per team owning modules, in team order.
    pub teams: Vec<TeamOwnership>,
    /// Per unit, in unit order.
    pub units: Vec<UnitOwnership>,
}

/// What one team owns in a variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TeamOwnership {
    /// Team name.
    pub name: String,
    /// Modules it owns, in module order.
    pub modules: Vec<String>,
    /// Units holding them, in unit order.
    pub units: Vec<String>,
}

/// Who owns a unit's modules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnitOwnership {
    /// Unit name.
    pub name: String,
    /// Teams owning its modules, in team order.
    pub teams: Vec<String>,
}

/// The Conway metrics of variant `v` of `s`, with the traffic computed once by the caller.
///
/// # Complexity
/// O(modules² + teams × units).
pub fn metrics_with(s: &Scenario, v: usize, traffic: &Traffic) -> ConwayMetrics {
    let var = &s.variants[v];
    let nm = s.modules.len();
    let unit = &var.module_unit;
    let team = &var.module_team;
    let (mut all, mut cross_unit, mut cross_team) = (0.0, 0.0, 0.0);
    let mut coordinating = vec![false; s.teams.len()];
    for a in 0..nm {
        for b in 0..nm {
            let x = traffic.calls[a][b];
            if x <= 0.0 {
                continue;
            }
            all += x;
            let unit_cut = unit[a] != unit[b];
            if unit_cut {
                cross_unit += x;
            }
            if let (Some(ta), Some(tb)) = (team[a], team[b]) {
                if ta != tb {
                    cross_team += x;
                    if unit_cut {
                        coordinating[ta] = true;
                        coordinating[tb] = true;
                    }
                }
            }
        }
    }
    let teams: Vec<TeamOwnership> = (0..s.teams.len())
        .filter_map(|t| {
            let modules: Vec<usize> = (0..nm).filter(|&m| team[m] == Some(t)).collect();
            if modules.is_empty() {
                return None;
            }
            let units: Vec<String> = (0..var.units.len())
                .filter(|&u| modules.iter().any(|&m| unit[m] == u))
                .map(|u| var.units[u].name.clone())
                .collect();
            Some(TeamOwnership {
                name: s.teams[t].name.clone(),
                modules: modules.iter().map(|&m| s.modules[m].name.clone()).collect(),
                units,
            })
        })
        .collect();
    let units: Vec<UnitOwnership> = var
        .units
        .iter()
        .enumerate()
        .map(|(u, un)| UnitOwnership {
            name: un.name.clone(),
            teams: (0..s.teams.len())
                .filter(|&t| (0..nm).any(|m| unit[m] == u && team[m] == Some(t)))
                .map(|t| s.teams[t].name.clone())
                .collect(),
        })
        .collect();
    let mean = |xs: Vec<usize>| {
        if xs.is_empty() {
            0.0
        } else {
            xs.iter().sum::<usize>() as f64 / xs.len() as f64
        }
    };
    let units_per_team = mean(teams.iter().map(|t| t.units.len()).collect());
    let teams_per_unit = mean(
        units
            .iter()
            .filter(|u| !u.teams.is_empty())
            .map(|u| u.teams.len())
            .collect(),
    );
    let owned: Vec<(usize, usize)> = (0..nm)
        .filter_map(|m| team[m].map(|t| (unit[m], t)))
        .collect();
    let (mirroring, pair_agreement) = if owned.is_empty() {
        (None, None)
    } else {
        let (m, p) = partition_agreement(&owned);
        (Some(m), Some(p))
    };
    let coordinating_teams: Vec<String> = (0..s.teams.len())
        .filter(|&t| coordinating[t])
        .map(|t| s.teams[t].name.clone())
        .collect();
    let n = coordinating_teams.len() as u64;
    ConwayMetrics {
        calls_per_request: all,
        cross_unit_calls_per_request: cross_unit,
        cross_team_calls_per_request: cross_team,
        units_per_team,
        teams_per_unit,
        mirroring,
        pair_agreement,
        communication_channels: n * n.saturating_sub(1) / 2,
        coordinating_teams,
        teams,
        units,
    }
}

/// The Conway metrics of variant `v` of `s`.
pub fn metrics(s: &Scenario, v: usize) -> ConwayMetrics {
    metrics_with(s, v, &Traffic::analytic(s))
}

fn pairs(n: usize) -> f64 {
    let n = n as f64;
    n * (n - 1.0) / 2.0
}

/// `(mirroring, Rand index)` of two labelings of the same items, given as `(unit, team)` per
/// item: the mirroring score is the adjusted Wallace index of the first partition with respect
/// to the second (module docs), 1 by convention when it is undefined (no two items share a
/// unit, one team holds every item, fewer than two items).
///
/// # Complexity
/// O(n log n).
pub fn partition_agreement(items: &[(usize, usize)]) -> (f64, f64) {
    use std::collections::BTreeMap;
    let n = items.len();
    if n < 2 {
        return (1.0, 1.0);
    }
    let mut cells: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut rows: BTreeMap<usize, usize> = BTreeMap::new();
    let mut cols: BTreeMap<usize, usize> = BTreeMap::new();
    for &(a, b) in items {
        *cells.entry((a, b)).or_default() += 1;
        *rows.entry(a).or_default() += 1;
        *cols.entry(b).or_default() += 1;
    }
    // Pairs sharing a unit and a team, sharing a unit, sharing a team, and all pairs.
    let index: f64 = cells.values().map(|&x| pairs(x)).sum();
    let sa: f64 = rows.values().map(|&x| pairs(x)).sum();
    let sb: f64 = cols.values().map(|&x| pairs(x)).sum();
    let total = pairs(n);
    // Rand index: pairs together in both + pairs apart in both, over all pairs.
    let rand = (total + 2.0 * index - sa - sb) / total;
    // Wallace: of the pairs sharing a unit, those sharing a team; by chance, `sb / total`.
    let expected = sb / total;
    let mirroring = if sa == 0.0 || expected >= 1.0 {
        1.0
    } else {
        (index / sa - expected) / (1.0 - expected)
    };
    (mirroring, rand)
}
