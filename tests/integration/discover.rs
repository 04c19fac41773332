//! `archsim discover`: the same four traces written as Jaeger JSON, Zipkin v2 JSON and OTLP JSON
//! (tests/fixtures/traces/make_fixtures.py gives their spans) yield the graph computed by hand
//! from the fixtures' table; bad files fail with their position; utilization gives demands by
//! the service demand law.

use crate::common::{root, run, scenario};
use archsim::discover::{discover, Options, Report, TraceFile};
use assert_cmd::Command;

/// A discovered call: caller, callee, probability, mean count, count, parallel group.
type CallRow<'a> = (&'a str, &'a str, f64, f64, u64, Option<usize>);

fn fixture(name: &str) -> TraceFile {
    let path = root().join("tests/fixtures/traces").join(name);
    TraceFile {
        name: name.into(),
        text: std::fs::read_to_string(&path).expect("fixture exists"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-6)
}

/// The graph of the fixtures, computed by hand from the table in make_fixtures.py.
fn assert_shop(r: &Report, skew_fixes: usize) {
    assert_eq!(r.spans_read, 26);
    assert_eq!(
        (r.traces, r.traces_complete, r.traces_incomplete),
        (4, 4, 0)
    );
    assert_eq!(r.clock_skew_fixes, skew_fixes);
    // Window: first start (trace 0 at 0) to last end (trace 3 at 3 s + 10 ms).
    assert!(close(r.window_s, 3.01), "window {}", r.window_s);
    let calls: Vec<CallRow<'_>> = r
        .calls
        .iter()
        .map(|c| {
            (
                c.from.as_str(),
                c.to.as_str(),
                c.p,
                c.mean_count,
                c.count,
                c.parallel_group,
            )
        })
        .collect();
    assert_eq!(
        calls,
        vec![
            (
                "frontend.get_orders_id",
                "orders.load_order",
                1.0,
                1.0,
                1,
                None
            ),
            // 5 SELECTs in 4 invocations: p 1, mean 1.25, written as count 1.
            ("orders.load_order", "shop.select", 1.0, 1.25, 1, None),
            // check and quote overlap in both invocations that make them: one parallel group.
            (
                "orders.load_order",
                "inventory.check_stock",
                0.5,
                1.0,
                1,
                Some(1)
            ),
            ("orders.load_order", "pricing.quote", 0.5, 1.0, 1, Some(1)),
            ("orders.load_order", "shop.insert", 0.25, 1.0, 1, None),
        ]
    );
    let own: Vec<(&str, u64, f64, f64)> = r
        .operations
        .iter()
        .map(|o| (o.op.as_str(), o.invocations, o.own_time.mean, o.error_ratio))
        .collect();
    let want = [
        ("frontend.get_orders_id", 4, 2.0e-3, 0.0),
        ("inventory.check_stock", 2, 1.5e-3, 0.0),
        // (3300 + 4300 + 6500 + 5500) / 4 µs: 7500 µs minus the union of the calls.
        ("orders.load_order", 4, 4.9e-3, 0.0),
        ("pricing.quote", 2, 1.5e-3, 0.5),
    ];
    assert_eq!(own.len(), want.len());
    for (g, w) in own.iter().zip(want) {
        assert_eq!((g.0, g.1), (w.0, w.1));
        assert!(close(g.2, w.2), "{}: own time {} ≠ {}", g.0, g.2, w.2);
        assert!(close(g.3, w.3), "{}: errors {} ≠ {}", g.0, g.3, w.3);
    }
    let fe = &r.operations[0];
    assert_eq!(
        fe.merged_from,
        vec![
            "GET /orders/1000",
            "GET /orders/1001",
            "GET /orders/1002",
            "GET /orders/1003"
        ]
    );
    // Queries: 1000 µs calls less a 2 × 250 µs round trip.
    let db: Vec<(&str, &str, usize, f64)> = r
        .databases
        .iter()
        .map(|d| (d.op.as_str(), d.kind.as_str(), d.calls, d.time.mean))
        .collect();
    assert_eq!(db.len(), 2);
    assert_eq!((db[0].0, db[0].1, db[0].2), ("shop.insert", "write", 1));
    assert_eq!((db[1].0, db[1].1, db[1].2), ("shop.select", "read", 5));
    assert!(close(db[0].3, 500e-6) && close(db[1].3, 500e-6));
    let net = r.network.as_ref().expect("client/server pairs");
    assert_eq!(net.n, 8);
    assert!(close(net.mean, 250e-6));
    assert_eq!(r.entries.len(), 1);
    assert_eq!(r.entries[0].requests, 4);
    assert!(close(r.entries[0].rate_per_s, 4.0 / 3.01));
    let reps: Vec<(&str, usize)> = r.replicas.iter().map(|(m, n)| (m.as_str(), *n)).collect();
    assert_eq!(
        reps,
        vec![
            ("frontend", 2),
            ("inventory", 1),
            ("orders", 1),
            ("pricing", 1)
        ]
    );
}

#[test]
fn jaeger_zipkin_and_otlp_give_the_hand_computed_graph() {
    let mut models = Vec::new();
    for (file, fixes) in [
        ("shop-jaeger.json", 0),
        ("shop-zipkin.json", 0),
        // Trace 2's orders spans are 5 ms late: one subtree moved back into its client span.
        ("shop-otlp.jsonl", 1),
    ] {
        let d = discover(&[fixture(file)], &Options::default()).expect(file);
        assert_shop(&d.report, fixes);
        assert!(
            d.report.warnings.is_empty(),
            "{file}: {:?}",
            d.report.warnings
        );
        models.push(d.toml);
    }
    // Every format yields the same scenario text.
    assert_eq!(models[0], models[1]);
    assert_eq!(models[0], models[2]);
    let t = &models[0];
    assert!(t.contains(
        "calls = [\n  { op = \"shop.select\" },\n  { parallel = [ { op = \"inventory.check_stock\", \
         p = 0.5 }, { op = \"pricing.quote\", p = 0.5 } ] },\n  { op = \"shop.insert\", p = 0.25 },\n]"
    ));
    assert!(t.contains("arrival = { process = \"poisson\", rate = 1.328904 }"));
    assert!(t.contains("[modules.pricing.ops.quote]"));
    assert!(t.contains("errors = 0.5"));
}

#[test]
fn the_discovered_model_validates_and_runs() {
    let d = discover(&[fixture("shop-jaeger.json")], &Options::default()).expect("discovers");
    // Four root spans: the rate is flagged as indicative, with 1/√4 = 50% relative error.
    assert!(
        d.report.assumptions.iter().any(|a| a.starts_with(
            "entry `get_orders_id`: its rate rests on 4 request(s) (relative standard error 50%)"
        )),
        "{:?}",
        d.report.assumptions
    );
    let mut s = scenario(&d.toml);
    s.replications = 2;
    let r = run(&s);
    let e = &r.variants[0].entries["get_orders_id"];
    // 60 s at 4/3.01 per s: about 80 requests per replication; half the quotes fail, so the
    // entry fails in a quarter of the requests (the quote is made with p = 0.5).
    assert!(e.completed.mean > 40.0, "completed {}", e.completed.mean);
    assert!(e.failed.mean > 0.0);
}

#[test]
fn a_truncated_otlp_lines_file_keeps_its_complete_documents() {
    let d = discover(&[fixture("shop-otlp-truncated.jsonl")], &Options::default())
        .expect("partial model");
    assert_eq!(d.report.traces, 3);
    assert_eq!(d.report.warnings.len(), 1);
    assert!(
        d.report.warnings[0].contains("line 4 column")
            && d.report.warnings[0].contains("truncated"),
        "{:?}",
        d.report.warnings
    );
    scenario(&d.toml);
}

#[test]
fn an_incomplete_trace_is_counted_and_its_orphans_are_not_entries() {
    // Trace 1 without its frontend spans: its orders span is an orphan.
    let mut f = fixture("shop-jaeger.json");
    let mut v: serde_json::Value = serde_json::from_str(&f.text).expect("json");
    let spans = v["data"][1]["spans"].as_array_mut().expect("spans");
    spans.retain(|s| !s["operationName"].as_str().unwrap_or("").starts_with("GET"));
    f.text = v.to_string();
    let d = discover(&[f], &Options::default()).expect("partial model");
    let r = &d.report;
    assert_eq!((r.traces_complete, r.traces_incomplete), (3, 1));
    assert_eq!(r.entries[0].requests, 3);
    // The orphan's own time still counts; the graph counts complete traces only.
    let orders = r
        .operations
        .iter()
        .find(|o| o.op == "orders.load_order")
        .expect("op");
    assert_eq!(orders.invocations, 4);
    let check = r
        .calls
        .iter()
        .find(|c| c.to == "inventory.check_stock")
        .expect("call");
    assert!(close(check.p, 1.0 / 3.0));
}

fn cli() -> Command {
    Command::cargo_bin("archsim").expect("binary")
}

#[test]
fn malformed_files_fail_with_their_position_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"data\": [ {\"traceID\": \"1\",\n \"spans\": [ {\"spanID\": 7 } ] } ] }",
    )
    .expect("write");
    let out = dir.path().join("m.toml");
    let o = cli()
        .args([
            "discover",
            bad.to_str().expect("utf8"),
            "-o",
            out.to_str().expect("utf8"),
        ])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.json:2:"), "{err}");
    assert!(err.contains("expected a string"), "{err}");
    assert!(!out.exists());

    // A Zipkin array cut short: a syntax error at the end, exit 2.
    let full = std::fs::read_to_string(root().join("tests/fixtures/traces/shop-zipkin.json"))
        .expect("fixture");
    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &full[..full.len() / 2]).expect("write");
    let o = cli()
        .args([
            "discover",
            cut.to_str().expect("utf8"),
            "-o",
            out.to_str().expect("utf8"),
        ])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cut.json:") && err.contains("EOF"), "{err}");

    // Not a trace file at all.
    let csv = dir.path().join("x.csv");
    std::fs::write(&csv, "a,b\n1,2\n").expect("write");
    let o = cli()
        .args([
            "discover",
            csv.to_str().expect("utf8"),
            "-o",
            out.to_str().expect("utf8"),
        ])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a trace file"));
}

#[test]
fn the_cli_writes_the_model_and_both_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("m.toml");
    let json = dir.path().join("r.json");
    let o = cli()
        .args(["discover"])
        .arg(root().join("tests/fixtures/traces/shop-zipkin.json"))
        .args([
            "-o",
            out.to_str().expect("utf8"),
            "--report-json",
            json.to_str().expect("utf8"),
        ])
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("read 26 spans from 1 file(s): 4 traces, 4 complete"),
        "{text}"
    );
    assert!(
        text.contains("merged: GET /orders/1000, GET /orders/1001"),
        "{text}"
    );
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report")).expect("json");
    assert_eq!(r["files"][0]["format"], "zipkin");
    assert_eq!(r["calls"][2]["p"], 0.5);
    let s = archsim::scenario::load(&out).expect("the model validates");
    assert_eq!(s.variants[0].name, "as-observed");
}

#[test]
fn utilization_gives_demands_by_the_service_demand_law() {
    // orders used 0.01 core-seconds per second over the 3.01 s window with 4 invocations of its
    // one operation: D = U / X = 0.01 / (4 / 3.01) = 7.525 ms, against a 4.9 ms own time.
    let opts = Options {
        utilization: archsim::discover::utilization::parse_csv(
            "service,cpu_seconds_per_second\norders,0.01\n",
            "u.csv",
        )
        .expect("csv"),
        ..Options::default()
    };
    let d = discover(&[fixture("shop-jaeger.json")], &opts).expect("discovers");
    let o = d
        .report
        .operations
        .iter()
        .find(|o| o.op == "orders.load_order")
        .expect("op");
    assert!(close(
        o.demand_from_utilization_s.expect("demand"),
        0.01 * 3.01 / 4.0
    ));
    assert!(close(o.demand_s, 0.01 * 3.01 / 4.0));
    assert!(close(o.own_time.mean, 4.9e-3));
    assert!(
        d.toml
            .contains("cpu = { dist = \"gamma\", mean = \"7525us\""),
        "{}",
        d.toml
    );
    // Services without a utilization keep their own times, and say so.
    let fe = d
        .report
        .operations
        .iter()
        .find(|o| o.service == "frontend")
        .expect("op");
    assert!(fe.demand_from_utilization_s.is_none() && close(fe.demand_s, 2e-3));
    assert!(d
        .report
        .assumptions
        .iter()
        .any(|a| a.contains("`frontend`: no utilization")));
}

#[test]
fn a_bad_utilization_file_names_its_line() {
    let e = archsim::discover::utilization::parse_csv(
        "service,cpu_seconds_per_second\norders,lots\n",
        "u.csv",
    )
    .expect_err("bad number");
    assert_eq!(
        e.to_string(),
        "u.csv:2:0: field `cpu_seconds_per_second`: expected a number ≥ 0, found `lots`"
    );
    let e = archsim::discover::utilization::parse_csv("svc,cpu\n", "u.csv").expect_err("header");
    assert!(e.to_string().starts_with("u.csv:1:0: expected the header"));
}

/// The real testbed's traces (tests/fixtures/traces/testbed-otlp.jsonl: the first 10 s of a
/// capture at about 10 requests/s, 99 traces of `GET /checkout/{id}`, see testbed/README.md)
/// give the application's call graph exactly, and own times no shorter than the busy work each
/// operation does on its thread's CPU clock (2, 5, 8 and 4 ms: a wall time cannot be less).
#[test]
fn the_testbeds_own_traces_give_its_call_graph() {
    let d = discover(&[fixture("testbed-otlp.jsonl")], &Options::default()).expect("discovers");
    let r = &d.report;
    assert_eq!(
        (r.traces, r.traces_complete, r.traces_incomplete),
        (99, 99, 0)
    );
    // per trace: the front's server span, its 3 client spans, 3 server spans, 2 query spans
    assert_eq!(r.spans_read, 99 * 9);
    let calls: Vec<(&str, &str, f64, Option<usize>)> = r
        .calls
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str(), c.p, c.parallel_group))
        .collect();
    assert_eq!(
        calls,
        vec![
            (
                "front.get_checkout_id",
                "inventory.post_reserve_id",
                1.0,
                Some(0)
            ),
            (
                "front.get_checkout_id",
                "pricing.post_quote_id",
                1.0,
                Some(0)
            ),
            ("front.get_checkout_id", "orders.post_orders", 1.0, None),
            ("inventory.post_reserve_id", "testbed.select", 1.0, None),
            ("orders.post_orders", "testbed.insert", 1.0, None),
        ]
    );
    let kinds: Vec<(&str, &str, usize)> = r
        .databases
        .iter()
        .map(|d| (d.op.as_str(), d.kind.as_str(), d.calls))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("testbed.insert", "write", 99),
            ("testbed.select", "read", 99)
        ]
    );
    let busy = [
        ("front.get_checkout_id", 0.002),
        ("inventory.post_reserve_id", 0.005),
        ("orders.post_orders", 0.004),
        ("pricing.post_quote_id", 0.008),
    ];
    for (op, cpu) in busy {
        let o = r.operations.iter().find(|o| o.op == op).expect("operation");
        assert_eq!(o.invocations, 99, "{op}");
        assert!(
            o.own_time.mean >= cpu,
            "{op}: own time {} < busy work {cpu}",
            o.own_time.mean
        );
        assert_eq!(o.error_ratio, 0.0, "{op}");
    }
    assert_eq!(r.entries.len(), 1);
    assert_eq!(r.entries[0].requests, 99);
    // the model validates and runs
    let mut s = scenario(&d.toml);
    s.replications = 2;
    let res = run(&s);
    assert!(res.variants[0].entries["get_checkout_id"].completed.mean > 0.0);
}
