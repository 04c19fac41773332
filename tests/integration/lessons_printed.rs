//! Every shipped scenario's lesson shows in what `archsim run` prints, not only in the JSON:
//! one row per scenario file, each running the file with its shipped settings and checking
//! the effect its header comment states on numbers parsed from the printed tables.

use crate::common::root;
use assert_cmd::Command;

/// The printed output of `archsim run FILE`.
struct Printed {
    file: &'static str,
    text: String,
}

/// The cells of a table row (`│ a ┆ b │`).
fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_start_matches('│')
        .trim_end_matches('│')
        .split('┆')
        .map(|c| c.trim().to_string())
        .collect()
}

/// The leading number of a printed value in base units: `12.5 ms` → 0.0125, `64.99%` →
/// 0.6499, `~1.2 s` → 1.2, `$82.75` → 82.75, `+2.15 ms` → 0.00215.
fn num(s: &str) -> f64 {
    let s = s.trim().trim_start_matches(['~', '$', '+']);
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '−'))
        .unwrap_or(s.len());
    let x: f64 = s[..end]
        .replace('−', "-")
        .parse()
        .unwrap_or_else(|_| panic!("no number at the start of {s:?}"));
    let rest = s[end..].trim_start();
    let unit = rest.split([' ', ',', ';', ')']).next().unwrap_or("");
    x * match unit {
        "%" => 0.01,
        "ms" => 1e-3,
        "µs" => 1e-6,
        "ns" => 1e-9,
        _ if rest.starts_with('%') => 0.01,
        _ => 1.0,
    }
}

/// The number printed right after `label` in `text` (`"published "` → the count after it).
fn after(text: &str, label: &str) -> f64 {
    let at = text
        .find(label)
        .unwrap_or_else(|| panic!("no {label:?} in {text:?}"));
    num(&text[at + label.len()..])
}

impl Printed {
    fn run(file: &'static str) -> Printed {
        let out = Command::cargo_bin("archsim")
            .expect("binary")
            .current_dir(root())
            .args(["run", file])
            .output()
            .expect("runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{file}: {text}");
        Printed { file, text }
    }

    /// The rows of the table printed after the line starting with `heading`.
    fn table(&self, heading: &str) -> Vec<Vec<String>> {
        let mut lines = self.text.lines().skip_while(|l| !l.starts_with(heading));
        assert!(lines.next().is_some(), "{}: no {heading:?}", self.file);
        lines
            .skip_while(|l| !l.starts_with('│'))
            .take_while(|l| !l.starts_with('└'))
            .filter(|l| l.starts_with('│'))
            .map(cells)
            .collect()
    }

    /// The cell of column `column` (by header) in the row whose first cell is `row`.
    fn cell(&self, heading: &str, row: &str, column: &str) -> String {
        let t = self.table(heading);
        let c = t[0].iter().position(|h| h == column);
        let c = c.unwrap_or_else(|| panic!("{}: no column {column} in {heading}", self.file));
        let r = t.iter().find(|r| r[0] == row);
        r.unwrap_or_else(|| panic!("{}: no row {row} in {heading}", self.file))[c].clone()
    }

    /// A cost line's cell (`column`) in the `Cost of` table of `variant`: the row of the
    /// resource `kind` named `name`.
    fn cost(&self, variant: &str, kind: &str, name: &str, column: &str) -> String {
        let heading = format!("Cost of `{variant}`");
        let t = self.table(&heading);
        let c = t[0].iter().position(|h| h == column);
        let c = c.unwrap_or_else(|| panic!("{}: no column {column} in {heading}", self.file));
        let r = t.iter().find(|r| r[0] == kind && r[1] == name);
        r.unwrap_or_else(|| panic!("{}: no line {kind} {name} in {heading}", self.file))[c].clone()
    }

    /// A node's figure in the `Nodes of` table of `variant`.
    fn node(&self, variant: &str, node: &str, column: &str) -> f64 {
        num(&self.cell(&format!("Nodes of `{variant}`"), node, column))
    }

    /// A function's figure in the `Serverless functions of` table of `variant`.
    fn function(&self, variant: &str, f: &str, column: &str) -> f64 {
        num(&self.cell(&format!("Serverless functions of `{variant}`"), f, column))
    }

    /// The Conway table's `label` row for `variant`.
    fn conway(&self, variant: &str, label: &str) -> String {
        self.cell_after("organization (Conway)", label, variant)
    }

    /// [`Printed::cell`] of the table whose header row contains `header`.
    fn cell_after(&self, header: &str, row: &str, column: &str) -> String {
        let line = self.text.lines().position(|l| l.contains(header));
        let line = line.unwrap_or_else(|| panic!("{}: no {header:?}", self.file));
        let t: Vec<Vec<String>> = self
            .text
            .lines()
            .skip(line)
            .take_while(|l| !l.starts_with('└'))
            .filter(|l| l.starts_with('│'))
            .map(cells)
            .collect();
        let c = t[0].iter().position(|h| h == column).expect("column");
        let r = t.iter().find(|r| r[0] == row);
        r.unwrap_or_else(|| panic!("{}: no row {row}", self.file))[c].clone()
    }

    /// The cell of an entry's row `metric` (`throughput /s`, `success`, `latency mean`, `p50`,
    /// `p99`, `failed`) for `variant` in the Entries table.
    fn entry_cell(&self, variant: &str, entry: &str, metric: &str) -> String {
        let t = self.table("Entries");
        let c = t[0].iter().position(|h| h == variant).expect("variant");
        let first = format!("{entry}: throughput /s");
        let at = t.iter().position(|r| r[0] == first);
        let at = at.unwrap_or_else(|| panic!("{}: no entry {entry}", self.file));
        if metric == "throughput /s" {
            return t[at][c].clone();
        }
        let r = t[at + 1..].iter().find(|r| r[0] == metric);
        r.unwrap_or_else(|| panic!("{}: no {metric} of {entry}", self.file))[c].clone()
    }

    fn entry(&self, variant: &str, entry: &str, metric: &str) -> f64 {
        num(&self.entry_cell(variant, entry, metric))
    }

    /// A whole-variant row of the Entries table (`availability`, `memory provisioned`, …).
    fn variant(&self, variant: &str, row: &str) -> f64 {
        num(&self.cell("Entries", row, variant))
    }

    /// The requests of `entry` that failed with `reason` in `variant` (0 when none).
    fn failed(&self, variant: &str, entry: &str, reason: &str) -> f64 {
        let cell = self.entry_cell(variant, entry, "failed");
        cell.find(&format!("{reason} "))
            .map_or(0.0, |_| after(&cell, &format!("{reason} ")))
    }

    /// The first printed line containing every part of `parts`, after the line starting
    /// with `from`.
    fn line(&self, from: &str, parts: &[&str]) -> &str {
        let mut lines = self.text.lines().skip_while(|l| !l.starts_with(from));
        lines
            .find(|l| parts.iter().all(|p| l.contains(p)))
            .unwrap_or_else(|| panic!("{}: no line with {parts:?} after {from:?}", self.file))
    }
}

fn close(x: f64, want: f64, rel: f64, what: &str) {
    assert!(
        (x - want).abs() <= rel * want.abs(),
        "{what}: {x} is not within {}% of {want}",
        rel * 100.0
    );
}

type Check = fn(&Printed);

/// Every shipped scenario and the effect its header comment states.
const LESSONS: &[(&str, Check)] = &[
    (
        "scenarios/lessons/account-throttling.toml",
        account_throttling,
    ),
    (
        "scenarios/lessons/async-order-pipeline.toml",
        async_pipeline,
    ),
    ("scenarios/lessons/autoscaling-lag.toml", autoscaling_lag),
    ("scenarios/lessons/black-friday.toml", black_friday),
    ("scenarios/lessons/cache-and-cdn.toml", cache_and_cdn),
    (
        "scenarios/lessons/cascading-failure.toml",
        cascading_failure,
    ),
    ("scenarios/lessons/cold-start-chain.toml", cold_start_chain),
    ("scenarios/lessons/conway-two-orgs.toml", conway_two_orgs),
    ("scenarios/lessons/diurnal-day.toml", diurnal_day),
    ("scenarios/lessons/external-api-quota.toml", external_quota),
    (
        "scenarios/lessons/fifteen-minute-limit.toml",
        fifteen_minutes,
    ),
    (
        "scenarios/lessons/five-deployment-options-spike.toml",
        five_options_spike,
    ),
    (
        "scenarios/lessons/five-deployment-options.toml",
        five_options,
    ),
    ("scenarios/lessons/function-memory.toml", function_memory),
    (
        "scenarios/lessons/gateway-cache-rate-limit.toml",
        gateway_cache,
    ),
    (
        "scenarios/lessons/gateway-composition.toml",
        gateway_composition,
    ),
    ("scenarios/lessons/host-outage.toml", host_outage),
    (
        "scenarios/lessons/independent-scaling.toml",
        independent_scaling,
    ),
    ("scenarios/lessons/layers-vs-capabilities.toml", layers),
    ("scenarios/lessons/lb-single-point-of-failure.toml", lb_spof),
    (
        "scenarios/lessons/memory-duplication.toml",
        memory_duplication,
    ),
    (
        "scenarios/lessons/monolith-transaction-vs-saga.toml",
        monolith_tx_vs_saga,
    ),
    ("scenarios/lessons/network-tax.toml", network_tax),
    ("scenarios/lessons/one-host-vs-many.toml", one_host),
    (
        "scenarios/lessons/orchestration-vs-choreography.toml",
        orchestration_vs_choreography,
    ),
    ("scenarios/lessons/retry-storm.toml", retry_storm),
    ("scenarios/lessons/saga-compensation.toml", saga),
    (
        "scenarios/lessons/serverless-db-connections.toml",
        serverless_db,
    ),
    ("scenarios/lessons/shared-db-hot-table.toml", shared_db),
    ("scenarios/lessons/strangler-evolution.toml", strangler),
    ("scenarios/lessons/uncertain-demand.toml", uncertain_demand),
    (
        "scenarios/lessons/workflow-vs-long-function.toml",
        workflow_vs_function,
    ),
    ("scenarios/online-shop.toml", online_shop),
    ("scenarios/queueing/jackson.toml", jackson),
    ("scenarios/queueing/md1-vs-mg1.toml", md1_vs_mg1),
    ("scenarios/queueing/mm1.toml", mm1),
    ("scenarios/queueing/mm2k.toml", mm2k),
    ("scenarios/queueing/mm3.toml", mm3),
    (
        "scenarios/queueing/processor-sharing.toml",
        processor_sharing,
    ),
];

#[test]
fn every_shipped_lesson_prints_its_effect() {
    let mut files = Vec::new();
    crate::scenarios::scenario_files(&root().join("scenarios"), &mut files);
    let listed: Vec<_> = LESSONS.iter().map(|(f, _)| root().join(f)).collect();
    assert_eq!(
        files, listed,
        "every scenario file has a row here, in order"
    );
    let mut failed = Vec::new();
    for (file, check) in LESSONS {
        let text = std::fs::read_to_string(root().join(file)).expect("read");
        let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
        if header.len() < 3 || !header.iter().any(|l| l.to_lowercase().contains("look at")) {
            failed.push(format!("{file}: no header comment saying what to look at"));
            continue;
        }
        let printed = Printed::run(file);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&printed)));
        if outcome.is_err() {
            failed.push(format!("{file}: its effect is not in the printed output"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

fn account_throttling(p: &Printed) {
    // Sharing the account, about a third of checkout is throttled; reserving protects it.
    let shared = p.entry("shared", "checkout", "success");
    assert!((0.5..0.8).contains(&shared), "checkout success {shared}");
    assert!(p.failed("shared", "checkout", "throttled") > 0.0);
    assert_eq!(p.entry("reserved", "checkout", "success"), 1.0);
    assert_eq!(p.function("reserved", "checkout", "throttles"), 0.0);
    assert!(
        p.function("reserved", "reports", "throttles")
            > p.function("shared", "reports", "throttles")
    );
}

fn async_pipeline(p: &Printed) {
    // The client only waits for the publish; the spike shows as fulfilment delay: a backlog
    // of (160 − 80)/s × 60 s = 4,800 messages drained at 80/s is a minute of waiting.
    let q = |v: &str| {
        p.line(&format!("Queues and sagas of `{v}`"), &["queue fulfilment"])
            .to_string()
    };
    let (four, more) = (q("four_consumers"), q("more_consumers"));
    let e2e = after(&four, "end-to-end p99 ");
    assert!((40.0..80.0).contains(&e2e), "end-to-end p99 {e2e} s");
    assert!(after(&more, "end-to-end p99 ") < 1.0, "{more}");
    assert!(after(&four, "wait mean ") > 100.0 * after(&more, "wait mean "));
    assert_eq!(
        p.entry("four_consumers", "order", "p99"),
        p.entry("more_consumers", "order", "p99")
    );
}

fn autoscaling_lag(p: &Printed) {
    let s = |v| p.entry(v, "req", "success");
    assert!(s("lagging") < s("fast-start") && s("fast-start") < s("higher-min"));
    assert_eq!(s("higher-min"), 1.0);
    assert!(p.failed("lagging", "req", "rejected") > 0.0);
    let line = p.line("autoscaled `api`", &["autoscaled `api`"]);
    assert!(after(line, "max ") > 2.0, "{line}");
}

fn black_friday(p: &Printed) {
    // Today both meet the SLO (p99 < 300 ms); catalog, at its own utilization, has the least
    // headroom: 5× today's load would need more than its cores.
    for v in ["monolith", "microservices"] {
        assert!(p.entry(v, "browse", "p99") < 0.3);
        assert_eq!(p.variant(v, "availability"), 1.0);
    }
    let (shop, catalog) = (
        p.node("monolith", "shop", "utilization"),
        p.node("microservices", "catalog", "utilization"),
    );
    assert!(catalog > shop && 5.0 * catalog > 1.0, "{shop} {catalog}");
}

fn cache_and_cdn(p: &Printed) {
    // The database sees only the misses: its attempts are the reads × (1 − hit ratio).
    let hit = num(&p.cell("Caches of `redis`", "redis", "hit ratio"));
    assert!((0.80..0.86).contains(&hit), "hit ratio {hit}");
    let reads = p.node("origin", "db db", "attempts /s");
    close(
        p.node("redis", "db db", "attempts /s"),
        reads * (1.0 - hit),
        0.03,
        "misses",
    );
    assert!(
        p.node("redis", "db db", "utilization") < p.node("origin", "db db", "utilization") / 5.0
    );
    close(
        p.entry("redis-cdn", "home", "p50"),
        0.005,
        0.01,
        "home p50 at the edge",
    );
}

fn cascading_failure(p: &Printed) {
    let br = |v: &str| {
        p.line(&format!("Failures of `{v}`"), &["    home:"])
            .to_string()
    };
    assert!(
        br("unprotected").contains("DEGRADED"),
        "{}",
        br("unprotected")
    );
    assert!(
        br("protected").contains("not degraded"),
        "{}",
        br("protected")
    );
    assert!(p
        .line("Failures of `unprotected`", &["began at front"])
        .contains("home"));
    // The front's thread pool drains: it turns away what arrives; protected, nothing.
    assert!(p.node("unprotected", "front", "rejected") > 0.0);
    assert_eq!(p.node("protected", "front", "rejected"), 0.0);
    let edge = p.line("Failures of `protected`", &["edge front.report"]);
    assert!(after(edge, "breaker opened ") > 0.0, "{edge}");
}

fn cold_start_chain(p: &Printed) {
    // Three cold starts of 800 ms in a row plus 30 ms of work.
    close(p.entry("functions", "request", "p50"), 2.43, 0.02, "p50");
    assert!(p.function("functions", "api", "cold fraction") > 0.5);
}

fn conway_two_orgs(p: &Printed) {
    assert_eq!(p.conway("aligned", "mirroring"), "1.000");
    // Scattered: the 4 module pairs sharing a service never share a team (W = 0), while 3 of
    // all 15 pairs do (E = 0.2): (0 − 0.2)/(1 − 0.2) = −0.25.
    assert_eq!(p.conway("scattered", "mirroring"), "-0.250");
    let cross = |v| num(&p.conway(v, "cross-team calls / request"));
    assert!(cross("scattered") > cross("aligned") + 0.5);
}

fn diurnal_day(p: &Printed) {
    // 150/s × 6 ms over 2 cores of one instance, or of three.
    close(
        p.node("one_instance", "catalog", "utilization"),
        0.45,
        0.03,
        "one instance",
    );
    close(
        p.node("three_instances", "catalog", "utilization"),
        0.15,
        0.03,
        "three",
    );
    assert!(
        p.entry("one_instance", "browse", "p99")
            > 2.0 * p.entry("three_instances", "browse", "p99")
    );
}

fn fifteen_minutes(p: &Printed) {
    let killed = p.failed("function", "transcode", "max_duration");
    assert!(killed > 0.0 && p.function("function", "transcoder", "max_duration") > 0.0);
    let ok = p.entry("function", "transcode", "success");
    assert!((0.9..0.98).contains(&ok), "success {ok}");
    assert_eq!(p.entry("container", "transcode", "success"), 1.0);
}

fn function_memory(p: &Printed) {
    close(p.entry("small", "upload", "p50"), 5.6, 0.02, "128 MB");
    close(p.entry("one-vcpu", "upload", "p50"), 0.47, 0.02, "1,769 MB");
    let cost = |v| p.variant(v, "cost / month");
    assert!(cost("one-vcpu") < cost("large") && cost("large") < cost("small"));
}

fn gateway_cache(p: &Printed) {
    // Hits never reach the backend: catalog's attempts are the misses.
    let hit = num(&p.cell("Caches of `gateway-cache`", "gateway: browse", "hit ratio"));
    let arrivals = p.node("gateway-cache", "gateway", "attempts /s");
    close(
        p.node("gateway-cache", "catalog", "attempts /s"),
        arrivals * (1.0 - hit),
        0.03,
        "misses",
    );
    // The token bucket turns the spike's excess away at the gateway (429).
    assert!(p.failed("gateway-rate-limit", "browse", "rate_limited") > 0.0);
    let gw = |c| p.node("gateway-rate-limit", "gateway", c);
    assert!(gw("attempts /s") > gw("throughput /s") && gw("rejected") > 0.0);
    let mean = |v| p.entry(v, "browse", "latency mean");
    assert!(mean("gateway") > 10.0 * mean("gateway-rate-limit"));
}

fn gateway_composition(p: &Printed) {
    let d = p.entry("page-unit", "page", "p50") - p.entry("bff", "page", "p50");
    assert!((0.0003..0.0012).contains(&d), "bff is faster by {d} s");
    let util = |v| p.node(v, "gateway", "utilization");
    assert!(util("bff") > 2.0 * util("page-unit"));
    assert!(p.variant("bff", "cost / month") < p.variant("page-unit", "cost / month"));
}

fn host_outage(p: &Printed) {
    // Everything on h1: every request fails for 20 of the 90 measured seconds.
    close(
        p.variant("single-host", "availability"),
        1.0 - 20.0 / 90.0,
        0.01,
        "single host",
    );
    assert!(p.failed("single-host", "shop", "crashed") > 0.0);
    assert!(p.variant("spread", "availability") > 0.999);
}

fn independent_scaling(p: &Printed) {
    let (mono, hot) = ("monolith-scaled", "hot-service-scaled");
    for v in [mono, hot] {
        assert!(p.entry(v, "search", "p99") < 0.15);
    }
    let gb = |v| p.variant(v, "memory provisioned");
    assert!(gb(mono) > 2.0 * gb(hot));
    assert!(p.variant(hot, "cost / month") < p.variant(mono, "cost / month"));
}

fn layers(p: &Printed) {
    let c = |v, l| p.conway(v, l);
    assert_eq!(c("layers", "cross-unit calls / request"), "2.000");
    assert_eq!(c("capabilities", "cross-unit calls / request"), "0.000");
    assert_eq!(c("monolith", "mirroring"), "0.000");
    assert_eq!(c("layers", "mirroring"), "1.000");
    assert_eq!(c("capabilities", "mirroring"), "1.000");
    assert!(
        p.entry("layers", "browse", "latency mean") > p.entry("monolith", "browse", "latency mean")
    );
}

fn lb_spof(p: &Printed) {
    // One balancer down for 20 of 60 measured seconds.
    close(
        p.variant("single-lb", "availability"),
        1.0 - 20.0 / 60.0,
        0.02,
        "single lb",
    );
    assert_eq!(p.variant("two-lbs", "availability"), 1.0);
    assert!(p
        .line("Failures of `single-lb`", &["began at"])
        .contains("alb"));
    let up = p.cell("Nodes of `single-lb`", "lb alb", "inst");
    assert!(up.contains("0.67 up"), "{up}");
}

fn memory_duplication(p: &Printed) {
    // 2 × (1 + 0.8) GB against 8 × 1 GB + 2 × 0.8 GB.
    assert_eq!(p.variant("monolith", "memory provisioned"), 3.6);
    assert_eq!(p.variant("services", "memory provisioned"), 9.6);
    assert!(p.variant("services", "cost / month") > p.variant("monolith", "cost / month"));
}

fn network_tax(p: &Printed) {
    // 6 hops × 0.2 ms + 6 × 8 KB × 20 µs ≈ 2.2 ms, the interval above zero.
    let line = p.line("Paired differences", &["microservices − monolith, page"]);
    let d = after(line, "p50 ");
    assert!((0.0015..0.003).contains(&d), "{line}");
    let half = after(&line[line.find("p50 ").expect("p50")..], "± ");
    assert!(d - half > 0.0, "{line}");
}

fn one_host(p: &Printed) {
    let p99 = |v| p.entry(v, "web", "p99");
    assert!(p99("one-host") > 1.5 * p99("host-per-service"));
    assert!(p.variant("one-host", "cost / month") < p.variant("host-per-service", "cost / month"));
}

/// The five deployments of `five-deployment-options*.toml`.
const FIVE: [&str; 5] = [
    "one-box",
    "several-hosts",
    "containers",
    "kubernetes-autoscaled",
    "serverless",
];

fn five_options(p: &Printed) {
    // An ordinary day: every option answers everything; the one box's processes queue behind
    // each other a little; the bills differ by 5×.
    for v in FIVE {
        for e in ["page", "order"] {
            assert_eq!(p.entry(v, e, "success"), 1.0, "{v} {e}");
        }
    }
    assert!(p.entry("one-box", "page", "p99") > 1.05 * p.entry("several-hosts", "page", "p99"));
    let cost = |v: &str| p.variant(v, "cost / month");
    assert!(cost("one-box") < 80.0, "one box {}", cost("one-box"));
    assert!(cost("one-box") < cost("serverless"));
    assert!(cost("serverless") < cost("containers"));
    assert!(cost("containers") < cost("kubernetes-autoscaled"));
    assert!(cost("containers") < cost("several-hosts"));
    // The database on the box is billed with it.
    assert_eq!(
        num(&p.cost("one-box", "database", "postgres", "per month")),
        0.0
    );
}

fn five_options_spike(p: &Printed) {
    // 5× for 90 s: the fixed small deployments reject about 1 in 5, the autoscaled pods a few
    // percent while they start; one host per service and the functions absorb it.
    for v in ["one-box", "containers"] {
        let ok = p.entry(v, "page", "success");
        assert!((0.6..0.9).contains(&ok), "{v}: success {ok}");
        assert!(p.failed(v, "page", "rejected") > 0.0, "{v}");
        assert!(p.entry(v, "page", "p99") > 1.0, "{v}: p99 in seconds");
    }
    let k8s = p.entry("kubernetes-autoscaled", "page", "success");
    assert!(
        k8s > p.entry("containers", "page", "success") + 0.05 && k8s < 1.0,
        "autoscaled success {k8s}"
    );
    for v in ["several-hosts", "serverless"] {
        assert_eq!(p.entry(v, "page", "success"), 1.0, "{v}");
        assert!(p.entry(v, "page", "p99") < 0.1, "{v}");
    }
    assert!(p
        .line("Failures of `one-box`", &["began at web"])
        .contains("page"));
}

fn external_quota(p: &Printed) {
    // 80 checkouts/s against a quota of 50/s: the external admits 50/s in both variants, and
    // 30/s of 80 fail `rate_limited` with or without retries (retries cannot buy quota).
    for v in ["no-retry", "retry-after"] {
        close(
            p.node(v, "external card_api", "throughput /s"),
            50.0,
            0.02,
            "admitted calls /s",
        );
        close(
            1.0 - p.entry(v, "checkout", "success"),
            30.0 / 80.0,
            0.08,
            "share failing rate_limited",
        );
        assert!(p.failed(v, "checkout", "rate_limited") > 0.0);
    }
    // The retries multiply the calls reaching the provider.
    let calls = |v| p.node(v, "external card_api", "attempts /s");
    close(calls("no-retry"), 80.0, 0.05, "calls /s without retries");
    assert!(
        calls("retry-after") > 2.5 * calls("no-retry"),
        "{} vs {}",
        calls("retry-after"),
        calls("no-retry")
    );
    // Only admitted calls are billed: the same line in both, $0.001 × 50/s × 60 s = $3.00.
    for v in ["no-retry", "retry-after"] {
        let window = num(&p.cost(v, "external", "card_api", "this window"));
        close(window, 3.0, 0.02, "external card_api window cost");
    }
    // The failing checkouts fail later with retries: the mean latency grows.
    assert!(
        p.entry("retry-after", "checkout", "latency mean")
            > p.entry("no-retry", "checkout", "latency mean") + 0.03
    );
}

fn retry_storm(p: &Printed) {
    // `stock` fails from 20 s on; measured 10 s → 50 s: one attempt per request for 10 s, then
    // 3 × 3 = 9 for 30 s — (10 × 1 + 30 × 9)/40 = 7 attempts per client request.
    let node = |v, n, c| p.node(v, n, c);
    let per_request = node("naive", "stock", "attempts /s") / node("naive", "api", "attempts /s");
    close(
        per_request,
        7.0,
        0.05,
        "naive attempts at stock per request",
    );
    // The failed attempts never complete: the storm is in the attempts, not the throughput.
    assert!(node("naive", "stock", "attempts /s") > 20.0 * node("naive", "stock", "throughput /s"));
    // Attempts at stock = orders' invocations × the edge's amplification.
    for v in ["naive", "budgeted"] {
        let edge = p.line(
            &format!("Failures of `{v}`"),
            &["edge orders.reserve -> stock.take"],
        );
        let want = node(v, "orders", "throughput /s") * after(edge, "amplification ");
        close(
            node(v, "stock", "attempts /s"),
            want,
            0.03,
            "stock attempts",
        );
    }
    let budgeted =
        node("budgeted", "stock", "attempts /s") / node("budgeted", "api", "attempts /s");
    assert!(budgeted < 1.5, "budgeted attempts per request {budgeted}");
}

fn saga(p: &Printed) {
    let line = p.line(
        "Queues and sagas of `microservices`",
        &["saga orders.place"],
    );
    // (1 − 0.03)(1 − 0.05)(1 − 0.08) ≈ 0.848 commit.
    let committed = after(&line[line.find("committed ").expect("committed")..], "(");
    close(committed, 0.848, 0.02, "committed ratio");
    let (comp, inc) = (after(line, "compensated "), after(line, "inconsistent "));
    assert!(comp > 0.0 && inc > 0.0 && comp > 10.0 * inc, "{line}");
    assert!(after(line, "compensation adds ") > 0.0, "{line}");
}

fn orchestration_vs_choreography(p: &Printed) {
    let (orch, chor) = ("order-orchestrated", "order-choreographed");
    let saga = |v: &str, name: &str| {
        p.line(
            &format!("Queues and sagas of `{v}`"),
            &[&format!("saga {name} (")],
        )
        .to_string()
    };
    for v in ["retry-until-back", "dead-letter"] {
        // The choreographed caller waits for one publish (2 + 8 ms); the orchestrated one for
        // the three steps.
        close(
            p.entry(v, chor, "latency mean"),
            0.010,
            0.01,
            "choreographed latency",
        );
        assert!(p.entry(v, orch, "latency mean") > 0.020, "{v}");
        // Shipping down 30 s at 20 orders/s: ≈ 600 orchestrated orders fail and compensate;
        // no choreographed order fails.
        close(
            p.failed(v, orch, "crashed"),
            600.0,
            0.15,
            "orchestrated failures",
        );
        assert_eq!(p.entry(v, chor, "failed"), 0.0, "{v}");
        let o = saga(v, "orders.place_orch");
        close(
            after(&o, "compensated "),
            600.0,
            0.15,
            "orchestrated compensations",
        );
        let c = saga(v, "orders.place_choreo");
        // Completion: tens of ms orchestrated; seconds choreographed (the outage's orders wait).
        assert!(after(&o, "completion ") < 0.05, "{o}");
        assert!(after(&c, "completion ") > 1.0, "{c}");
        assert!(after(&c, "messages ") >= 3.0, "{c}");
    }
    // Redelivered until shipping is back: every choreographed saga commits, 3 events each.
    let c = saga("retry-until-back", "orders.place_choreo");
    assert_eq!(after(&c, "compensated "), 0.0, "{c}");
    close(after(&c, "messages "), 3.0, 1e-9, "messages per saga");
    close(
        after(&c, "completion "),
        3.0,
        0.25,
        "choreographed completion",
    );
    // Dead-lettered after 3 receives 5 s apart: the outage's first 20 s compensate (≈ 400).
    let c = saga("dead-letter", "orders.place_choreo");
    close(after(&c, "compensated "), 400.0, 0.2, "dead-lettered sagas");
    close(
        after(&c, "inconsistency window "),
        15.0,
        0.05,
        "inconsistency window",
    );
}

fn monolith_tx_vs_saga(p: &Printed) {
    let tx = |v: &str| {
        p.line(
            &format!("Transactions and locks of `{v}`"),
            &["transaction orders.place"],
        )
        .to_string()
    };
    let lock = |v: &str| {
        p.line(
            &format!("Transactions and locks of `{v}`"),
            &["lock stock_row"],
        )
        .to_string()
    };
    // The monolith's one transaction: (1 − 0.05)(1 − 0.02) ≈ 0.931 commit, the rest rolls back
    // atomically — no saga, nothing inconsistent — but the hot row is held for the whole order.
    let mono = tx("monolith");
    assert!(mono.contains("(local)"), "{mono}");
    let committed = after(&mono[mono.find("committed ").expect("committed")..], "(");
    close(committed, 0.931, 0.02, "committed ratio");
    assert!(after(&mono, "rolled back ") > 0.0, "{mono}");
    assert!(!p.text.contains("Queues and sagas of `monolith`"));
    // The saga holds the row only for its step: far less waiting; but it compensates, leaves
    // some orders inconsistent, and shows half-done orders for a while.
    let (wm, ws) = (
        after(&lock("monolith"), "wait mean "),
        after(&lock("microservices"), "wait mean "),
    );
    assert!(wm > 5.0 * ws, "monolith {wm} s vs saga {ws} s");
    let saga = p.line(
        "Queues and sagas of `microservices`",
        &["saga orders.place"],
    );
    assert!(after(saga, "compensated ") > 0.0, "{saga}");
    assert!(after(saga, "inconsistent ") > 0.0, "{saga}");
    assert!(after(saga, "inconsistency window ") > 0.0, "{saga}");
    // Two-phase commit: atomic again, more round trips, the row held longer than by the saga.
    let two = tx("two-phase");
    assert!(two.contains("(2pc)"), "{two}");
    let trips = |s: &str| {
        let at = s.find(" round trips").expect("round trips");
        let start = s[..at].rfind(' ').expect("number") + 1;
        s[start..at].parse::<f64>().expect("a number")
    };
    assert_eq!(trips(&mono), 2.0);
    assert!(trips(&two) > 6.0, "{two}");
    assert!(
        after(&lock("two-phase"), "held ") > after(&lock("microservices"), "held "),
        "{}",
        lock("two-phase")
    );
}

fn serverless_db(p: &Printed) {
    let ok = |v| p.entry(v, "api", "throughput /s");
    assert!(ok("functions") < 0.5 * ok("functions-reserved"));
    assert!(ok("functions") < 0.5 * ok("service-with-pool"));
    assert!(p.failed("functions", "api", "timeout") > 0.0);
    assert!(p.failed("functions-reserved", "api", "throttled") > 0.0);
    assert!(p.failed("service-with-pool", "api", "pool_timeout") > 0.0);
    // Unlimited functions offer the database more than it finishes in time.
    let api = |c| p.node("functions", "api", c);
    assert!(api("attempts /s") > 1.3 * api("throughput /s"));
}

fn shared_db(p: &Printed) {
    // (430 × 4 ms + 20 × 2 ms) / 2 cores.
    close(
        p.node("shared-db", "db main", "utilization"),
        0.88,
        0.04,
        "shared database",
    );
    let mean = |v| p.entry(v, "billing", "latency mean");
    assert!(mean("shared-db") > 2.0 * mean("db-per-service"));
}

fn strangler(p: &Printed) {
    let rows = p.table("Evolution, step by step");
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect("column");
    let (cut, mirror) = (col("cross-unit calls/req"), col("mirroring"));
    let cuts: Vec<f64> = rows[1..].iter().map(|r| num(&r[cut])).collect();
    assert!(cuts.windows(2).all(|w| w[0] <= w[1]), "{cuts:?}");
    assert_eq!(rows[1][mirror], "0.000");
    assert_eq!(rows[rows.len() - 1][mirror], "1.000");
}

fn workflow_vs_function(p: &Printed) {
    // As one Lambda, most orders are killed at 15 minutes (the process takes about 20).
    let killed = p.failed("serverless", "in_function", "max_duration");
    assert!(killed > 0.0);
    let ok = p.entry("serverless", "in_function", "success");
    assert!(ok < 0.25, "in_function success {ok}");
    // As a workflow, every order completes, in 3 transitions at $0.025 per 1,000.
    assert_eq!(p.entry("serverless", "in_workflow", "success"), 1.0);
    let line = p.line("Workflows of `serverless`", &["workflow fulfil (standard)"]);
    assert!(line.contains("failed: none"), "{line}");
    let execs = after(line, "executions ");
    assert!(
        execs > 100.0 && (after(line, "succeeded ") - execs).abs() < 1e-9,
        "{line}"
    );
    close(
        after(line, "duration mean "),
        1200.0,
        0.05,
        "about 20 minutes",
    );
    assert!(line.contains("3.0 transitions per execution"), "{line}");
    let per = after(line, "cost per execution $");
    assert!((per - 0.000075).abs() < 1e-9, "{line}");
}

fn uncertain_demand(p: &Printed) {
    let met = |v: &str| after(p.line("SLO met", &[&format!("`{v}`")]), ": ");
    assert!(met("two-replicas") < met("three-replicas"));
    assert!(met("three-replicas") >= 0.9);
}

fn online_shop(p: &Printed) {
    assert_eq!(p.conway("monolith", "mirroring"), "0.000");
    assert_eq!(p.conway("microservices", "mirroring"), "1.000");
    let mean = |v| p.entry(v, "browse", "latency mean");
    assert!(mean("microservices") > mean("monolith"));
    let gb = |v| p.variant(v, "memory provisioned");
    assert!(gb("microservices") > gb("monolith"));
}

fn jackson(p: &Printed) {
    close(
        p.entry("services", "req", "latency mean"),
        2.1429,
        0.05,
        "Jackson W",
    );
}

fn md1_vs_mg1(p: &Printed) {
    for (entry, w) in [
        ("constant", 0.2167),
        ("exponential", 0.3333),
        ("lognormal", 0.6833),
    ] {
        close(
            p.entry("three-stations", entry, "latency mean"),
            w,
            0.08,
            entry,
        );
    }
}

fn mm1(p: &Printed) {
    close(p.entry("single", "req", "latency mean"), 5.0, 0.08, "W");
    close(p.node("single", "station", "in system"), 4.0, 0.08, "L");
    close(p.node("single", "station", "utilization"), 0.8, 0.02, "ρ");
}

fn mm2k(p: &Printed) {
    // Offered 3/s; a fraction P5 = 0.3744 finds the system full.
    let n = |c| p.node("single", "station", c);
    close(n("attempts /s"), 3.0, 0.02, "offered");
    close(
        n("throughput /s") / n("attempts /s"),
        1.0 - 0.3744,
        0.02,
        "accepted share",
    );
    assert!(p.failed("single", "req", "rejected") > 0.0);
}

fn mm3(p: &Printed) {
    close(
        p.entry("single", "req", "latency mean"),
        2.0787,
        0.05,
        "Erlang C W",
    );
    close(p.node("single", "station", "in system"), 4.9888, 0.05, "L");
}

fn processor_sharing(p: &Printed) {
    for entry in ["constant", "exponential", "lognormal"] {
        close(
            p.entry("web-servers", entry, "latency mean"),
            0.125,
            0.04,
            entry,
        );
    }
}
