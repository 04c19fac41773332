//! Built-in benchmark models, shared by `archsim bench` and `cargo bench`.
//!
//! The first two match the peer models in `benches/peers/` (SimPy): an M/M/1 queue (λ = 0.9,
//! μ = 1) and a tandem of five M/M/2 stations (λ = 1.5, μ = 1 each). Time series use a single
//! window so that, like the peers, the runs measure the queueing engine and the headline
//! statistics only.

use crate::scenario::{self, Scenario, ScenarioError};

/// Names of the built-in models.
pub const MODELS: [&str; 4] = ["mm1", "tandem", "forkjoin", "graph10"];

/// Arrival rate of each built-in model \[1/s\].
pub fn rate(model: &str) -> Option<f64> {
    match model {
        "mm1" => Some(0.9),
        "tandem" => Some(1.5),
        "forkjoin" => Some(0.6),
        "graph10" => Some(400.0),
        _ => None,
    }
}

fn header(name: &str, rate: f64, customers: u64) -> String {
    let duration_s = (customers as f64 / rate).ceil().max(1.0);
    format!(
        r#"name = "bench-{name}"
seed = 1
replications = 1
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{duration_s}s"
window = "{duration_s}s"
[[workload.entries]]
name = "req"
op = "s1.work"
arrival = {{ process = "poisson", rate = {rate} }}
"#
    )
}

/// The TOML text of built-in model `model` sized for about `customers` arrivals.
pub fn model_toml(model: &str, customers: u64) -> Option<String> {
    let r = rate(model)?;
    let mut t = header(model, r, customers);
    match model {
        "mm1" => {
            t.push_str(
                r#"[modules.s1]
ops.work = { cpu = { dist = "exp", mean = "1s" } }
[[variants]]
name = "mm1"
[[variants.units]]
name = "s1"
modules = ["s1"]
cores = 1
workers = 1
"#,
            );
        }
        "tandem" => {
            for i in 1..=5 {
                let call = if i < 5 {
                    format!(", calls = [ {{ op = \"s{}.work\" }} ]", i + 1)
                } else {
                    String::new()
                };
                t.push_str(&format!(
                    "[modules.s{i}]\nops.work = {{ cpu = {{ dist = \"exp\", mean = \"1s\" }}{call} }}\n"
                ));
            }
            t.push_str("[[variants]]\nname = \"tandem\"\n");
            for i in 1..=5 {
                t.push_str(&format!(
                    "[[variants.units]]\nname = \"s{i}\"\nmodules = [\"s{i}\"]\ncores = 2\nworkers = 2\nio = \"async\"\n"
                ));
            }
        }
        "forkjoin" => {
            t.push_str(
                r#"[modules.s1]
ops.work = { cpu = { dist = "exp", mean = "100ms" }, calls = [ { parallel = [ { op = "a.work" }, { op = "b.work" }, { op = "c.work" } ] } ] }
[modules.a]
ops.work = { cpu = { dist = "exp", mean = "1s" } }
[modules.b]
ops.work = { cpu = { dist = "exp", mean = "1s" } }
[modules.c]
ops.work = { cpu = { dist = "exp", mean = "1s" } }
[[variants]]
name = "forkjoin"
[[variants.units]]
name = "s1"
modules = ["s1"]
cores = 1
workers = 1
io = "async"
[[variants.units]]
name = "a"
modules = ["a"]
[[variants.units]]
name = "b"
modules = ["b"]
[[variants.units]]
name = "c"
modules = ["c"]
"#,
            );
        }
        "graph10" => {
            // A 10-service call graph shaped like DeathStarBench's social network (docs/sources.md,
            // "DeathStarBench social network"): a front end fanning out, about four hops deep.
            t.push_str(
                r#"[modules.s1]
ops.work = { cpu = { dist = "exp", mean = "2ms" }, calls = [ { parallel = [ { op = "user.get" }, { op = "timeline.read" } ] }, { op = "ads.pick", p = 0.5 } ] }
[modules.user]
ops.get = { cpu = { dist = "exp", mean = "1ms" }, calls = [ { op = "social.follows" } ] }
[modules.timeline]
ops.read = { cpu = { dist = "exp", mean = "2ms" }, calls = [ { op = "post.fetch", count = 2 }, { op = "media.thumb", p = 0.3 } ] }
[modules.social]
ops.follows = { cpu = { dist = "exp", mean = "1ms" } }
[modules.post]
ops.fetch = { cpu = { dist = "exp", mean = "1ms" }, calls = [ { op = "text.render" }, { op = "urls.expand", p = 0.2 } ] }
[modules.text]
ops.render = { cpu = { dist = "exp", mean = "500us" } }
[modules.urls]
ops.expand = { cpu = { dist = "exp", mean = "500us" } }
[modules.media]
ops.thumb = { cpu = { dist = "exp", mean = "3ms" } }
[modules.ads]
ops.pick = { cpu = { dist = "exp", mean = "1ms" } }
[[variants]]
name = "graph10"
"#,
            );
            for m in [
                "s1", "user", "timeline", "social", "post", "text", "urls", "media", "ads",
            ] {
                t.push_str(&format!(
                    "[[variants.units]]\nname = \"{m}\"\nmodules = [\"{m}\"]\nreplicas = 2\ncores = 2\nworkers = 64\nio = \"async\"\n"
                ));
            }
            // The tenth service: a shared cache tier in front of `social`, called by `user`.
            t = t.replace(
                "[modules.social]\nops.follows = { cpu = { dist = \"exp\", mean = \"1ms\" } }",
                "[modules.social]\nops.follows = { cpu = { dist = \"exp\", mean = \"1ms\" }, calls = [ { op = \"cache.get\" } ] }\n[modules.cache]\nops.get = { cpu = { dist = \"exp\", mean = \"200us\" } }",
            );
            t.push_str("[[variants.units]]\nname = \"cache\"\nmodules = [\"cache\"]\nreplicas = 2\ncores = 2\nworkers = 64\nio = \"async\"\n");
        }
        _ => return None,
    }
    Some(t)
}

/// The parsed built-in model.
pub fn model(model: &str, customers: u64) -> Option<Result<Scenario, ScenarioError>> {
    model_toml(model, customers).map(|t| scenario::parse(&t, &format!("<bench {model}>")))
}
