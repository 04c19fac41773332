//! Resolution of the organization keys: module size (`loc`), per-variant ownership
//! (`owners`), the `evolution` steps and the `[delivery]` section. A child of `resolve`, so it
//! shares its located-diagnostic helpers.

use super::*;
use crate::spec::locate::key_segment;

/// Default lines of code of a module (a mid-sized business module; an assumption, see
/// docs/delivery.md).
pub const DEFAULT_LOC: u64 = 10_000;
/// Most lines of code of one module.
const MAX_LOC: i64 = 100_000_000;

/// `modules.M.loc`, checked; the default when absent or invalid (the error is recorded).
pub(super) fn loc(s: &mut Sink<'_>, m: &RawModule, field: &str) -> u64 {
    m.loc
        .as_ref()
        .and_then(|v| int(s, v, &format!("{field}.loc"), 1, MAX_LOC, "lines of code"))
        .map_or(DEFAULT_LOC, |x| x as u64)
}

/// Applies every variant's `owners = { module = "team" }` to its `module_team`.
pub(super) fn owners(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    team_ids: &BTreeMap<&str, TeamId>,
    modules: &[Module],
    variants: &mut [Variant],
) {
    for (vi, (rv, v)) in raw.variants.iter().zip(variants.iter_mut()).enumerate() {
        let Some(table) = &rv.get().owners else {
            continue;
        };
        let f = format!("variants[{vi}].owners");
        let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
        for (k, team) in &table.0 {
            let kf = join(&f, k.get());
            let Some(mi) = modules.iter().position(|m| &m.name == k.get()) else {
                s.error(
                    k.span(),
                    &kf,
                    format!("unknown module `{}`", k.get()),
                    Some(suggest(
                        k.get(),
                        modules.iter().map(|m| m.name.as_str()),
                        "modules",
                    )),
                );
                continue;
            };
            if seen.insert(k.get().as_str(), ()).is_some() {
                s.error(
                    k.span(),
                    &kf,
                    format!("module `{}` is given an owner twice", k.get()),
                    None,
                );
                continue;
            }
            match team_ids.get(team.get().as_str()) {
                Some(&t) => {
                    if let Some(slot) = v.module_team.get_mut(mi) {
                        *slot = Some(t);
                    }
                }
                None => s.error(
                    team.span(),
                    &kf,
                    format!("unknown team `{}`", team.get()),
                    Some(if team_ids.is_empty() {
                        format!(
                            "declare it with a `[teams.{}]` table",
                            key_segment(team.get())
                        )
                    } else {
                        suggest(team.get(), team_ids.keys().copied(), "teams")
                    }),
                ),
            }
        }
    }
}

/// `evolution = [ variant names ]`: ids of existing variants, each once.
pub(super) fn evolution(s: &mut Sink<'_>, raw: &RawScenario, variants: &[Variant]) -> Vec<usize> {
    let Some(list) = &raw.evolution else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if list.get().is_empty() {
        s.error(
            list.span(),
            "evolution",
            "`evolution` is empty: list at least one variant name, in order",
            None,
        );
    }
    for (i, name) in list.get().iter().enumerate() {
        let f = format!("evolution[{i}]");
        match variants.iter().position(|v| &v.name == name.get()) {
            Some(vi) if out.contains(&vi) => s.error(
                name.span(),
                f,
                format!(
                    "variant `{}` appears twice in `evolution`; each step is a different variant",
                    name.get()
                ),
                None,
            ),
            Some(vi) => out.push(vi),
            None => s.error(
                name.span(),
                f,
                format!("unknown variant `{}`", name.get()),
                Some(suggest(
                    name.get(),
                    variants.iter().map(|v| v.name.as_str()),
                    "variants",
                )),
            ),
        }
    }
    out
}

fn probability(s: &mut Sink<'_>, v: &Option<Num>, field: &str, default: f64, what: &str) -> f64 {
    v.as_ref()
        .and_then(|x| num(s, x, field, (0.0, true), 1.0, what))
        .unwrap_or(default)
}

fn duration_or(s: &mut Sink<'_>, v: &Option<Duration>, field: &str, default: u64) -> u64 {
    match v {
        None => default,
        Some(d) => match dur(s, d, field) {
            Some(ns) if ns < 0.0 => {
                s.error(d.span(), field, "must be ≥ 0", None);
                default
            }
            Some(ns) => ns.round() as u64,
            None => default,
        },
    }
}

fn dist_or(s: &mut Sink<'_>, v: &Option<DistSpec>, field: &str, default: Dist) -> Dist {
    v.as_ref()
        .and_then(|d| dist(s, d, field))
        .unwrap_or(default)
}

const HOUR: u64 = 3_600_000_000_000;
const MINUTE: u64 = 60_000_000_000;

/// The `[delivery]` section, with its defaults (docs/delivery.md lists them with their sources).
pub(super) fn delivery(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    teams: &[Team],
    team_ids: &BTreeMap<&str, TeamId>,
) -> Option<Delivery> {
    let d = raw.delivery.as_ref()?;
    let duration = match &d.duration {
        None => 2160 * HOUR,
        Some(v) => dur_positive(s, v, "delivery.duration", "the delivery horizon").unwrap_or(1),
    };
    let warmup = duration_or(s, &d.warmup, "delivery.warmup", 0);
    let interval = match &d.change_interval {
        None => 8 * HOUR,
        Some(v) => dur_positive(
            s,
            v,
            "delivery.change_interval",
            "the mean time between change requests",
        )
        .unwrap_or(8 * HOUR),
    };
    let mut change_interval = vec![interval; teams.len()];
    if let Some(t) = &d.team_change_interval {
        for (k, v) in &t.0 {
            let f = join("delivery.team_change_interval", k.get());
            let Some(&ti) = team_ids.get(k.get().as_str()) else {
                s.error(
                    k.span(),
                    &f,
                    format!("unknown team `{}`", k.get()),
                    Some(suggest(k.get(), team_ids.keys().copied(), "teams")),
                );
                continue;
            };
            if let Some(ns) = dur_positive(s, v, &f, "the mean time between change requests") {
                change_interval[ti] = ns;
            }
        }
    }
    let release_train = d
        .release_train
        .as_ref()
        .and_then(|v| dur_positive(s, v, "delivery.release_train", "the release-train period"));
    let build_per_kloc = match &d.build_per_kloc {
        None => 6e9,
        Some(v) => match dur(s, v, "delivery.build_per_kloc") {
            Some(ns) if ns < 0.0 => {
                s.error(v.span(), "delivery.build_per_kloc", "must be ≥ 0", None);
                6e9
            }
            Some(ns) => ns,
            None => 6e9,
        },
    };
    let coordination = duration_or(s, &d.coordination, "delivery.coordination", 4 * HOUR) as f64;
    Some(Delivery {
        duration,
        warmup,
        change_interval,
        call_coupling: probability(
            s,
            &d.call_coupling,
            "delivery.call_coupling",
            0.3,
            "a probability",
        ),
        store_coupling: probability(
            s,
            &d.store_coupling,
            "delivery.store_coupling",
            0.5,
            "a probability",
        ),
        build_base: duration_or(s, &d.build_base, "delivery.build_base", 5 * MINUTE),
        build_per_kloc,
        build_failure: probability(
            s,
            &d.build_failure,
            "delivery.build_failure",
            0.1,
            "a probability",
        ),
        fix_time: dist_or(
            s,
            &d.fix_time,
            "delivery.fix_time",
            Dist::Exp {
                mean: 30.0 * MINUTE as f64,
            },
        ),
        deploy_time: dist_or(
            s,
            &d.deploy_time,
            "delivery.deploy_time",
            Dist::Const(10.0 * MINUTE as f64),
        ),
        change_failure: probability(
            s,
            &d.change_failure,
            "delivery.change_failure",
            0.15,
            "a probability",
        ),
        restore_time: dist_or(
            s,
            &d.restore_time,
            "delivery.restore_time",
            Dist::Exp { mean: HOUR as f64 },
        ),
        coordination,
        release_train,
        max_batch: d
            .max_batch
            .as_ref()
            .and_then(|v| int(s, v, "delivery.max_batch", 1, 100_000, "changes per build"))
            .map_or(100, |x| x as u32),
    })
}
