//! Organizations: Conway metrics computed by hand, the delivery simulation against queueing
//! closed forms, the decomposition suggester on a planted partition, the evolution key, and
//! located errors for the new keys.

use crate::common::{assert_close, assert_within_ci, scenario};
use archsim::org::conway;
use archsim::org::decompose::{self, Options};
use archsim::org::delivery;
use archsim::scenario::{self as sc, ScenarioError};

/// Teams A, B; modules a1, a2 (A), b1, b2 (B). Entry e1 (rate 3) → a1.x, which calls a2.z
/// twice and b1.y with p = 0.5; entry e2 (rate 1) → b1.y, which calls b2.w.
const SMALL: &str = r#"
name = "conway by hand"
[workload]
duration = "10s"
[[workload.entries]]
name = "e1"
op = "a1.x"
arrival = { rate = 3 }
[[workload.entries]]
name = "e2"
op = "b1.y"
arrival = { rate = 1 }
[teams.A]
[teams.B]
[modules.a1]
team = "A"
ops.x = { cpu = "1ms", calls = [ { op = "a2.z", count = 2 }, { op = "b1.y", p = 0.5 } ] }
[modules.a2]
team = "A"
ops.z = { cpu = "1ms" }
[modules.b1]
team = "B"
ops.y = { cpu = "1ms", calls = [ { op = "b2.w" } ] }
[modules.b2]
team = "B"
ops.w = { cpu = "1ms" }
[[variants]]
name = "split"
units = [ { name = "u1", modules = ["a1", "b1"] }, { name = "u2", modules = ["a2", "b2"] } ]
[[variants]]
name = "aligned"
units = [ { name = "ua", modules = ["a1", "a2"] }, { name = "ub", modules = ["b1", "b2"] } ]
[[variants]]
name = "mono"
owners = { b2 = "A" }
units = [ { name = "all", modules = ["a1", "a2", "b1", "b2"] } ]
"#;

/// A mirroring score that must be present (the scenario declares teams).
fn score(x: Option<f64>) -> f64 {
    x.expect("teams declared")
}

#[test]
fn mirroring_by_hand_counts_units_inside_one_team_as_mirrored() {
    // Teams A = {a1, a2, a3}, B = {b1, b2, b3}; units u1 = {a1, a2, a3, b1}, u2 = {b2, b3}.
    // Pairs sharing a unit: C(4,2) + C(2,2) = 7, of which 3 + 1 = 4 share a team: W = 4/7.
    // Pairs sharing a team: 3 + 3 = 6 of C(6,2) = 15: E = 2/5.
    // Mirroring = (4/7 − 2/5)/(1 − 2/5) = 2/7; Rand = (15 + 2·4 − 7 − 6)/15 = 2/3.
    let items = [(0, 0), (0, 0), (0, 0), (0, 1), (1, 1), (1, 1)];
    let (m, rand) = conway::partition_agreement(&items);
    assert_close(m, 2.0 / 7.0, 1e-12, "mirroring");
    assert_close(rand, 2.0 / 3.0, 1e-12, "Rand");
    // One module per unit, two teams: no unit holds two teams' modules (the adjusted Rand
    // index read 0 here, as for any all-singletons partition).
    assert_eq!(
        conway::partition_agreement(&[(0, 0), (1, 0), (2, 1), (3, 1)]).0,
        1.0
    );
    // Two units per team: the units refine the teams.
    assert_eq!(
        conway::partition_agreement(&[(0, 0), (0, 0), (1, 0), (2, 1), (2, 1), (3, 1)]).0,
        1.0
    );
    // One unit, two teams of two: 2 of its 6 pairs share a team, as 2 of all 6 pairs do: 0.
    let (mono, _) = conway::partition_agreement(&[(0, 0), (0, 0), (0, 1), (0, 1)]);
    assert_close(mono, 0.0, 1e-12, "mirroring of a monolith");
    // One team owning everything, in any units: 1.
    assert_eq!(
        conway::partition_agreement(&[(0, 0), (0, 0), (1, 0)]).0,
        1.0
    );
}

#[test]
fn online_shop_services_mirror_their_teams() {
    // catalog-team owns catalog and inventory, checkout-team orders and payments.
    let s = crate::common::load("scenarios/online-shop.toml");
    assert_eq!(s.variants[0].name, "monolith");
    assert_eq!(s.variants[1].name, "microservices");
    let (mono, micro) = (conway::metrics(&s, 0), conway::metrics(&s, 1));
    // One service per module: every service belongs to one team, each team owns two.
    assert_eq!(micro.mirroring, Some(1.0));
    assert_eq!(micro.teams_per_unit, 1.0);
    assert_eq!(micro.units_per_team, 2.0);
    // Rand: the 2 pairs sharing a team are apart in units; the other 4 apart in both.
    assert_close(score(micro.pair_agreement), 4.0 / 6.0, 1e-12, "Rand");
    // The monolith holds both teams: 2 of its 6 pairs share a team, as 2 of 6 pairs do.
    assert_close(score(mono.mirroring), 0.0, 1e-12, "mirroring mono");
    assert_close(score(mono.pair_agreement), 2.0 / 6.0, 1e-12, "Rand mono");
    assert_eq!(mono.teams_per_unit, 2.0);
}

#[test]
fn conway_without_teams_says_no_teams() {
    let s = crate::common::load("scenarios/lessons/retry-storm.toml");
    let c = conway::metrics(&s, 0);
    assert!(c.teams.is_empty());
    assert_eq!((c.mirroring, c.pair_agreement), (None, None));
    let text = archsim::report::conway_table(&[("naive", &c)]);
    let row = |label: &str| {
        text.lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("no {label} row in\n{text}"))
            .to_string()
    };
    assert!(row("mirroring").contains("no teams"), "{text}");
    assert!(row("units per team").contains("no teams"), "{text}");
    assert!(row("cross-unit calls").contains("2.000"), "{text}");
    // No footnote about a score that is not there.
    assert!(!text.contains("adjusted Wallace"), "{text}");
}

#[test]
fn conway_metrics_by_hand() {
    let s = scenario(SMALL);
    // Per request (weights 3/4 and 1/4): a1→a2 = 0.75·2 = 1.5; a1→b1 = 0.75·0.5 = 0.375;
    // b1→b2 = 0.75·0.5 + 0.25·1 = 0.625; total 2.5.
    let split = conway::metrics(&s, 0);
    assert_close(split.calls_per_request, 2.5, 1e-12, "calls");
    assert_close(
        split.cross_unit_calls_per_request,
        2.125,
        1e-12,
        "cross-unit",
    );
    assert_close(
        split.cross_team_calls_per_request,
        0.375,
        1e-12,
        "cross-team",
    );
    assert_eq!(split.units_per_team, 2.0);
    assert_eq!(split.teams_per_unit, 2.0);
    // Contingency all ones: no pair sharing a unit shares a team (W = 0 of Σ C(a_i,2) = 2
    // pairs), pairs sharing a team Σ C(b_j,2) = 2 of C(4,2) = 6 (E = 1/3):
    // mirroring = (0 − 1/3)/(1 − 1/3) = −0.5; Rand = (6 − 2 − 2)/6 = 1/3.
    assert_close(score(split.mirroring), -0.5, 1e-12, "mirroring split");
    assert_close(score(split.pair_agreement), 1.0 / 3.0, 1e-12, "Rand split");
    // The only cross-team call (a1→b1) stays inside u1: nobody must coordinate.
    assert!(split.coordinating_teams.is_empty());
    assert_eq!(split.communication_channels, 0);

    let aligned = conway::metrics(&s, 1);
    assert_close(
        aligned.cross_unit_calls_per_request,
        0.375,
        1e-12,
        "cross-unit",
    );
    assert_close(
        aligned.cross_team_calls_per_request,
        0.375,
        1e-12,
        "cross-team",
    );
    assert_eq!(aligned.units_per_team, 1.0);
    assert_eq!(aligned.teams_per_unit, 1.0);
    assert_eq!(aligned.mirroring, Some(1.0));
    assert_eq!(aligned.pair_agreement, Some(1.0));
    assert_eq!(aligned.coordinating_teams, ["A", "B"]);
    assert_eq!(aligned.communication_channels, 1);

    // owners moves b2 to team A: b1→b2 is now cross-team (0.375 + 0.625 = 1.0); one unit:
    // of its 6 pairs 3 share a team (W = 1/2), and so do 3 of all 6 pairs (E = 1/2) ⇒
    // mirroring 0; Rand = (6 + 6 − 6 − 3)/6 = 0.5.
    let mono = conway::metrics(&s, 2);
    assert_eq!(mono.cross_unit_calls_per_request, 0.0);
    assert_close(mono.cross_team_calls_per_request, 1.0, 1e-12, "cross-team");
    assert_close(score(mono.mirroring), 0.0, 1e-12, "mirroring mono");
    assert_close(score(mono.pair_agreement), 0.5, 1e-12, "Rand mono");
    assert_eq!(mono.teams[0].modules, ["a1", "a2", "b2"]);
    assert_eq!(mono.units[0].teams, ["A", "B"]);

    // The run attaches the same numbers to every variant.
    let r = archsim::runner::run(
        &s,
        &archsim::runner::RunOptions {
            replications: Some(1),
            ..Default::default()
        },
    )
    .expect("run");
    assert_eq!(r.variants[0].conway.as_ref(), Some(&split));
    let json = r.to_json();
    assert!(json.contains("\"cross_unit_calls_per_request\": 2.125"));
}

/// One team, one module, one unit; constant build time D, no failures, instant deploys.
fn one_pipeline(extra: &str) -> String {
    format!(
        r#"
name = "one pipeline"
replications = 10
[workload]
duration = "1s"
[[workload.entries]]
name = "e"
op = "m.x"
arrival = {{ rate = 1 }}
[teams.t]
[modules.m]
team = "t"
loc = 50000
ops.x = {{ cpu = "1ms" }}
[[variants]]
name = "v"
units = [ {{ name = "u", modules = ["m"] }} ]
[delivery]
duration = "20000h"
warmup = "200h"
change_interval = "2h"
build_base = "30m"
build_per_kloc = "36s"
build_failure = 0
change_failure = 0
deploy_time = "0s"
max_batch = 1
{extra}
"#
    )
}

#[test]
fn one_team_pipeline_is_md1() {
    let s = scenario(&one_pipeline(""));
    let m = delivery::DeliveryModel::compile(&s, 0).expect("delivery");
    // D = 30 min + 36 s × 50 kLOC = 60 min.
    assert_eq!(m.build_ns(), [3_600_000_000_000]);
    let r = &delivery::run(&s, &[0], s.seed, s.replications)[0];
    // M/D/1 (Pollaczek–Khinchine): W = λD²/(2(1 − ρ)) + D with λ = 0.5/h, D = 1 h, ρ = 0.5.
    let (lambda, d) = (0.5, 1.0);
    let rho: f64 = lambda * d;
    let w = lambda * d * d / (2.0 * (1.0 - rho)) + d;
    assert_within_ci(&r.lead_time_h.mean, w, "M/D/1 lead time [h]");
    // Every change is one deployment: throughput = arrival rate = 12 per day.
    assert_within_ci(&r.deployments_per_day, 12.0, "deployments per day");
    assert_eq!(r.change_failure_rate.max, 0.0);
    assert_eq!(r.multi_team_fraction.max, 0.0);
    // A single team's waiting time per day is λ·W_q = 0.5/h × 0.5 h × 24 h = 6 h per day.
    assert_within_ci(
        &r.teams[0].time_blocked_h_per_day,
        lambda * (w - d) * 24.0,
        "blocked hours per day",
    );
}

#[test]
fn release_train_waits_half_a_period() {
    // Instant builds and deploys: a change waits for the next departure of a train every P;
    // Poisson arrivals see time averages (PASTA), so the mean wait is P/2.
    let s = scenario(&one_pipeline("release_train = \"24h\"").replace(
        "build_base = \"30m\"\nbuild_per_kloc = \"36s\"",
        "build_base = \"0s\"\nbuild_per_kloc = \"0s\"",
    ));
    let r = &delivery::run(&s, &[0], s.seed, s.replications)[0];
    assert_within_ci(&r.lead_time_h.mean, 12.0, "train wait [h]");
    // One deployment per departure (a change arrives in almost every 24 h window).
    assert!(r.deployments_per_day.mean <= 1.0 && r.deployments_per_day.mean > 0.99);
}

#[test]
fn delivery_is_deterministic_for_any_thread_count() {
    let text = std::fs::read_to_string(
        crate::common::root().join("scenarios/lessons/layers-vs-capabilities.toml"),
    )
    .expect("lesson");
    let s = scenario(&text);
    let run = |threads| {
        archsim::runner::run(
            &s,
            &archsim::runner::RunOptions {
                replications: Some(3),
                threads: Some(threads),
                ..Default::default()
            },
        )
        .expect("run")
    };
    let (a, b) = (run(1), run(2));
    let strip = |r: &archsim::results::Results| {
        let mut v: serde_json::Value = serde_json::from_str(&r.to_json()).expect("json");
        for x in v["variants"].as_array_mut().expect("variants") {
            x.as_object_mut().expect("variant").remove("engine");
        }
        v
    };
    assert_eq!(strip(&a), strip(&b));
}

/// K clusters of `size` modules; inside a cluster module i calls every later module j (dense);
/// the last module of cluster c calls the head of cluster c + 1 with probability 0.05 (sparse).
fn planted(k: usize, size: usize) -> String {
    let mut t =
        String::from("# planted partition\nname = \"planted\"\n[workload]\nduration = \"1s\"\n");
    for c in 0..k {
        t += &format!(
            "[[workload.entries]]\nname = \"e{c}\"\nop = \"m{c}_0.x\"\narrival = {{ rate = 1 }}\n"
        );
    }
    for c in 0..k {
        for i in 0..size {
            let mut calls: Vec<String> = ((i + 1)..size)
                .map(|j| format!("{{ op = \"m{c}_{j}.x\" }}"))
                .collect();
            if i == size - 1 && c + 1 < k {
                calls.push(format!("{{ op = \"m{}_0.x\", p = 0.05 }}", c + 1));
            }
            t += &format!(
                "[modules.m{c}_{i}]\nops.x = {{ cpu = \"1ms\", calls = [ {} ] }}\n",
                calls.join(", ")
            );
        }
    }
    let all: Vec<String> = (0..k)
        .flat_map(|c| (0..size).map(move |i| format!("\"m{c}_{i}\"")))
        .collect();
    t += &format!(
        "[[variants]]\nname = \"monolith\"\n# the one unit\n[[variants.units]]\nname = \"app\"\nmodules = [{}]\nreplicas = 2\n",
        all.join(", ")
    );
    t
}

#[test]
fn decomposition_recovers_a_planted_partition() {
    let (k, size) = (3, 5);
    let text = planted(k, size);
    let s = scenario(&text);
    for weights in [
        decompose::Weights::Analytic,
        decompose::Weights::Simulated {
            requests: 2000,
            seed: 7,
        },
    ] {
        let mut opts = Options::new(k);
        opts.weights = weights;
        let d = decompose::decompose(&s, &opts).expect("decompose");
        assert_eq!(d.units.len(), k);
        for (c, u) in d.units.iter().enumerate() {
            let want: Vec<String> = (0..size).map(|i| format!("m{c}_{i}")).collect();
            assert_eq!(u.modules, want, "{weights:?}");
        }
        // The cut is exactly the sparse links: cluster c's head is reached once per request of
        // entry c and, through the links, by earlier clusters; per request (rates equal):
        // link c→c+1 carries 0.05 × (visits of m{c}_{size-1}) / k.
        if weights == decompose::Weights::Analytic {
            let traffic = archsim::org::Traffic::analytic(&s);
            let mut cut = 0.0;
            for c in 0..k - 1 {
                let a = s
                    .modules
                    .iter()
                    .position(|m| m.name == format!("m{c}_{}", size - 1));
                let b = s
                    .modules
                    .iter()
                    .position(|m| m.name == format!("m{}_0", c + 1));
                cut += traffic.calls[a.expect("a")][b.expect("b")];
            }
            assert_close(d.cross_unit_calls_per_request, cut, 1e-12, "cut");
            assert!(cut > 0.0);
        }
    }
    // The suggested variant is written into a copy that validates and keeps comments.
    let d = decompose::decompose(&s, &Options::new(k)).expect("decompose");
    let name = decompose::fresh_variant_name(&s, k);
    let out = decompose::write_variant(&text, &s, &d, 0, &name).expect("write");
    assert!(out.contains("# planted partition") && out.contains("# the one unit"));
    let s2 = scenario(&out);
    assert_eq!(s2.variants.len(), 2);
    let v = &s2.variants[1];
    assert_eq!(v.name, "decomposed-3");
    assert_eq!(v.units.len(), k);
    assert_eq!(
        v.units[0].replicas, 2,
        "unit settings copied from the base unit"
    );
    assert_close(
        conway::metrics(&s2, 1).cross_unit_calls_per_request,
        d.cross_unit_calls_per_request,
        1e-12,
        "cut of the written variant",
    );
}

#[test]
#[allow(clippy::needless_range_loop)] // a weight matrix, indexed
fn partition_separates_two_cliques() {
    // Two 4-cliques of weight 1 joined by one edge of weight 0.1: the cut is that edge.
    let n = 8;
    let mut w = vec![vec![0.0; n]; n];
    for a in 0..n {
        for b in 0..n {
            if a != b && (a < 4) == (b < 4) {
                w[a][b] = 1.0;
            }
        }
    }
    // Interleave the labels so that file order does not give the answer away.
    let perm = [0, 4, 1, 5, 2, 6, 3, 7];
    let mut pw = vec![vec![0.0; n]; n];
    for a in 0..n {
        for b in 0..n {
            pw[a][b] = w[perm[a]][perm[b]];
        }
    }
    pw[0][1] = 0.1;
    pw[1][0] = 0.1;
    let part = decompose::partition(&pw, 2, 0.0);
    for a in 0..n {
        for b in 0..n {
            assert_eq!(part[a] == part[b], (perm[a] < 4) == (perm[b] < 4));
        }
    }
}

fn errors(text: &str) -> Vec<(String, usize, String)> {
    match sc::parse(text, "t.toml") {
        Ok(_) => Vec::new(),
        Err(ScenarioError::Invalid(d)) => d
            .iter()
            .map(|x| (x.field.clone(), x.line, x.message.clone()))
            .collect(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn organization_keys_give_located_errors() {
    let base = SMALL.to_string();
    let e = errors(&format!(
        "evolution = [\"split\", \"aligne\", \"split\"]\n{base}"
    ));
    assert!(e
        .iter()
        .any(|(f, l, m)| f == "evolution[1]" && *l == 1 && m.contains("unknown variant")));
    assert!(e
        .iter()
        .any(|(f, _, m)| f == "evolution[2]" && m.contains("twice")));
    let e = errors(&base.replace(
        "owners = { b2 = \"A\" }",
        "owners = { b2 = \"C\", zz = \"A\" }",
    ));
    assert!(e
        .iter()
        .any(|(f, _, m)| f == "variants[2].owners.b2" && m.contains("unknown team")));
    assert!(e
        .iter()
        .any(|(f, _, m)| f == "variants[2].owners.zz" && m.contains("unknown module")));
    let e = errors(&format!(
        "{base}[delivery]\ncall_coupling = 1.5\nchange_interval = \"0s\"\nrelease_train = 3\nteam_change_interval = {{ C = \"1h\" }}\n"
    ));
    let line = base.lines().count() + 2;
    assert!(
        e.iter()
            .any(|(f, l, _)| f == "delivery.call_coupling" && *l == line),
        "{e:?}"
    );
    assert!(e.iter().any(|(f, _, _)| f == "delivery.change_interval"));
    assert!(e.iter().any(|(f, _, _)| f == "delivery.release_train"));
    assert!(e
        .iter()
        .any(|(f, _, m)| f == "delivery.team_change_interval.C" && m.contains("unknown team")));
    let e = errors(&base.replace("team = \"A\"\nops.z", "team = \"A\"\nloc = 0\nops.z"));
    assert!(e.iter().any(|(f, _, _)| f == "modules.a2.loc"));
    let e = errors(&format!("{base}[delivery]\nbogus = 1\n"));
    assert!(!e.is_empty(), "unknown keys stay errors");

    let s = scenario(&format!("evolution = [\"mono\", \"split\"]\n{base}"));
    assert_eq!(s.evolution, [2, 0]);
    let schema = sc::json_schema().to_string();
    assert!(
        schema.contains("release_train")
            && schema.contains("evolution")
            && schema.contains("owners")
    );
}

fn variant<'r>(
    r: &'r archsim::results::Results,
    name: &str,
) -> &'r archsim::results::VariantResult {
    r.variants
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no variant {name}"))
}

fn conway_of(v: &archsim::results::VariantResult) -> &conway::ConwayMetrics {
    v.conway.as_ref().expect("conway metrics")
}

fn delivery_of(v: &archsim::results::VariantResult) -> &delivery::DeliveryResult {
    v.delivery.as_ref().expect("delivery results")
}

/// `a` is larger than `b` beyond both 95% intervals.
#[track_caller]
fn clearly_above(a: &archsim::stats::stat::Stat, b: &archsim::stats::stat::Stat, what: &str) {
    assert!(
        a.ci95_low > b.ci95_high,
        "{what}: [{}, {}] is not above [{}, {}]",
        a.ci95_low,
        a.ci95_high,
        b.ci95_low,
        b.ci95_high
    );
}

#[test]
fn lesson_layers_vs_capabilities() {
    let s = crate::common::load("scenarios/lessons/layers-vs-capabilities.toml");
    let r = crate::common::run(&s);
    let (mono, layers, caps) = (
        variant(&r, "monolith"),
        variant(&r, "layers"),
        variant(&r, "capabilities"),
    );
    // Every request walks ui → logic → data across two unit boundaries in `layers`.
    assert_close(
        conway_of(layers).cross_unit_calls_per_request,
        2.0,
        1e-12,
        "layers cut",
    );
    assert_eq!(conway_of(caps).cross_unit_calls_per_request, 0.0);
    assert_eq!(conway_of(mono).mirroring, Some(0.0));
    // Higher latency for every entry (paired with the monolith).
    let cmp = r
        .comparisons
        .iter()
        .find(|c| c.variant == "layers")
        .expect("layers − monolith");
    for (entry, d) in &cmp.entries {
        assert!(
            d.latency_mean_s.ci95_low > 0.0,
            "{entry}: layers not slower"
        );
    }
    // Delivery: most layered changes need several teams; lead time worse than the monolith's.
    let (dm, dl, dc) = (delivery_of(mono), delivery_of(layers), delivery_of(caps));
    assert!(
        dl.multi_team_fraction.ci95_low > 0.5,
        "{:?}",
        dl.multi_team_fraction
    );
    assert!(dl.teams_per_change.ci95_low > 2.0);
    clearly_above(
        &dl.lead_time_h.mean,
        &dm.lead_time_h.mean,
        "layers vs monolith lead time",
    );
    // Capabilities: more deployments per day and a shorter lead time than the monolith.
    clearly_above(
        &dc.deployments_per_day,
        &dm.deployments_per_day,
        "deploys per day",
    );
    clearly_above(
        &dm.lead_time_h.mean,
        &dc.lead_time_h.mean,
        "monolith vs capabilities lead",
    );
    clearly_above(
        &dm.lead_time_h.p90,
        &dc.lead_time_h.p90,
        "monolith vs capabilities p90",
    );
}

#[test]
fn lesson_conway_two_orgs() {
    let s = crate::common::load("scenarios/lessons/conway-two-orgs.toml");
    let r = crate::common::run(&s);
    let (al, sc_) = (variant(&r, "aligned"), variant(&r, "scattered"));
    // The deployment is the same: identical simulation results (same random numbers).
    for (name, e) in &al.entries {
        assert_eq!(e.latency_s.mean, sc_.entries[name].latency_s.mean, "{name}");
    }
    let (ca, cs) = (conway_of(al), conway_of(sc_));
    assert_eq!(ca.mirroring, Some(1.0));
    assert!(
        score(cs.mirroring) < 0.0,
        "scattered mirroring {:?}",
        cs.mirroring
    );
    assert!(cs.cross_team_calls_per_request > ca.cross_team_calls_per_request);
    assert_eq!(
        ca.cross_unit_calls_per_request,
        cs.cross_unit_calls_per_request
    );
    assert!(cs.teams_per_unit > ca.teams_per_unit);
    let (da, ds) = (delivery_of(al), delivery_of(sc_));
    clearly_above(
        &ds.multi_team_fraction,
        &da.multi_team_fraction,
        "multi-team changes",
    );
    clearly_above(&ds.lead_time_h.mean, &da.lead_time_h.mean, "lead time");
    let coord = |d: &delivery::DeliveryResult| {
        d.teams
            .iter()
            .map(|t| t.time_coordinating_h_per_day.mean)
            .sum::<f64>()
    };
    assert!(
        coord(ds) > 1.5 * coord(da),
        "{} vs {}",
        coord(ds),
        coord(da)
    );
}

#[test]
fn lesson_strangler_evolution() {
    let s = crate::common::load("scenarios/lessons/strangler-evolution.toml");
    let r = crate::common::run(&s);
    let steps = [
        "monolith",
        "extract-payments",
        "extract-storefront",
        "services",
    ];
    assert_eq!(r.evolution, steps);
    let cut: Vec<f64> = steps
        .iter()
        .map(|n| conway_of(variant(&r, n)).cross_unit_calls_per_request)
        .collect();
    assert!(cut.windows(2).all(|w| w[0] <= w[1]), "{cut:?}");
    assert!(cut[0] == 0.0 && cut[3] > 0.0);
    assert_eq!(conway_of(variant(&r, "monolith")).mirroring, Some(0.0));
    assert_eq!(conway_of(variant(&r, "services")).mirroring, Some(1.0));
    clearly_above(
        &delivery_of(variant(&r, "services")).deployments_per_day,
        &delivery_of(variant(&r, "monolith")).deployments_per_day,
        "deploys per day",
    );
    // The JSON carries the order, the text a row per step, in order.
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).expect("json");
    assert_eq!(json["evolution"], serde_json::json!(steps));
    assert!(json["variants"][0]["conway"]["mirroring"].is_number());
    assert!(json["variants"][0]["delivery"]["lead_time_h"]["p90"]["ci95_low"].is_number());
    let text = archsim::report::render_text(&r);
    let at = text
        .find("Evolution, step by step")
        .expect("evolution table");
    let rows: Vec<usize> = steps
        .iter()
        .map(|n| at + text[at..].find(&format!(" {n} ")).expect("row"))
        .collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn cli_decompose_and_delivery() {
    use assert_cmd::Command;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("new.toml");
    let json = dir.path().join("d.json");
    Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(crate::common::root())
        .args([
            "decompose",
            "scenarios/lessons/strangler-evolution.toml",
            "--units",
            "3",
        ])
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .arg(&json)
        .assert()
        .success()
        .stdout(predicates::str::contains("cross-unit calls per request"));
    let new = std::fs::read_to_string(&out).expect("new scenario");
    assert!(
        new.contains("# Lesson: evolving a monolith"),
        "comments kept"
    );
    let s = scenario(&new);
    assert_eq!(
        s.variants.last().map(|v| v.name.as_str()),
        Some("decomposed-3")
    );
    let d: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("json");
    assert_eq!(d["units"].as_array().map(Vec::len), Some(3));
    assert!(d["cross_unit_calls_per_request"].is_number());
    assert!(d["units"][0]["modules"].is_array() && d["units"][0]["name"].is_string());

    Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(crate::common::root())
        .args([
            "decompose",
            "scenarios/lessons/strangler-evolution.toml",
            "--units",
            "9",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--units must be between 1"));
    Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(crate::common::root())
        .args([
            "delivery",
            "scenarios/lessons/conway-two-orgs.toml",
            "--replications",
            "2",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("deployments / day"));
    Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(crate::common::root())
        .args(["validate", "scenarios/lessons/conway-two-orgs.toml"])
        .assert()
        .success()
        .stdout(predicates::str::contains("mirroring"))
        .stdout(predicates::str::contains("-0.250"));
    Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(crate::common::root())
        .args([
            "decompose",
            "scenarios/lessons/conway-two-orgs.toml",
            "--units",
            "2",
        ])
        .arg("--balance=-1")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--balance must be"));
    // The work guard counts the delivery simulation: a change every millisecond for 90 days.
    let big = one_pipeline("").replace("change_interval = \"2h\"", "change_interval = \"1ms\"");
    let path = dir.path().join("big.toml");
    std::fs::write(&path, big).expect("write");
    for cmd in ["run", "delivery"] {
        Command::cargo_bin("archsim")
            .expect("binary")
            .arg(cmd)
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("events"));
    }
    Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(crate::common::root())
        .args(["delivery", "scenarios/queueing/mm1.toml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no `[delivery]` section"));
}
