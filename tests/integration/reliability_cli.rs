//! Reliability of the command line: no panic on a closed pipe, distinct exit codes, runaway
//! guards (zero-time loops, messages that multiply, planning points), outputs checked before
//! simulating and written atomically, values that round to zero refused, suspicious settings
//! warned about.

use crate::common::root;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_archsim"))
}

fn archsim(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(root())
        .output()
        .expect("archsim runs")
}

/// Writes `text` as `name` in a fresh temporary directory.
fn file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join(name);
    std::fs::write(&p, text).expect("write");
    (dir, p)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Asserts the exit status and that nothing panicked; returns stderr.
fn status(o: &Output, code: i32, what: &str) -> String {
    let err = stderr(o);
    assert_eq!(
        o.status.code(),
        Some(code),
        "{what}: exit status; stderr:\n{err}"
    );
    assert!(!err.contains("panicked"), "{what}: panicked:\n{err}");
    err
}

/// An M/M/1-like scenario: one station (`cpu`), Poisson arrivals at `rate`, `extra` TOML
/// appended (after the variant's unit).
fn mm1(rate: &str, cpu: &str, duration: &str, extra: &str) -> String {
    format!(
        r#"name = "mm1"
seed = 3
replications = 2
[network]
latency = "0s"
[workload]
duration = "{duration}"
warmup = "1s"
[[workload.entries]]
name = "req"
op = "station.work"
arrival = {{ process = "poisson", rate = {rate} }}
[modules.station]
ops.work = {{ cpu = {cpu} }}
[[variants]]
name = "single"
[[variants.units]]
name = "station"
modules = ["station"]
{extra}
"#
    )
}

/// Runs `args` with a standard output whose reader is already gone (the shell waits before
/// starting archsim, so the pipe is closed before the first write).
fn closed_pipe(args: &[&str]) -> Output {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("sleep 0.3; exec \"$0\" \"$@\"")
        .arg(bin())
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait")
}

#[test]
fn every_command_ends_quietly_on_a_closed_pipe() {
    let shop = "scenarios/online-shop.toml";
    let org = "scenarios/lessons/conway-two-orgs.toml";
    let cases: Vec<Vec<&str>> = vec![
        vec!["validate", shop],
        vec!["schema"],
        vec!["schema", "--results"],
        vec!["run", shop, "--replications", "2"],
        vec!["run", shop, "--replications", "2", "--json", "-"],
        vec!["bench", "--model", "mm1", "--customers", "2000"],
        vec!["bench", "--model", "mm1", "--customers", "2000", "--json"],
        vec!["decompose", shop, "--units", "2"],
        vec!["delivery", org, "--replications", "2"],
        vec![
            "sweep",
            shop,
            "--set",
            "workload.duration=10s,20s",
            "--replications",
            "2",
        ],
    ];
    for args in cases {
        let o = closed_pipe(&args);
        let err = status(&o, 0, &args.join(" "));
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
    }
}

#[test]
fn exit_codes_are_distinct_0_2_3() {
    status(
        &archsim(&["validate", "scenarios/online-shop.toml"]),
        0,
        "valid",
    );
    let (_d, bad) = file("bad.toml", "name = ");
    status(
        &archsim(&["validate", bad.to_str().expect("utf-8")]),
        2,
        "invalid",
    );
    // A path that names no file is bad input (2), its OS error said once; a file that
    // cannot be written is an I/O error (3).
    let o = archsim(&["validate", "no/such/scenario.toml"]);
    let err = status(&o, 2, "missing file");
    assert!(err.contains("no/such/scenario.toml"), "{err}");
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
    let o = archsim(&["report", "no/such/results.json", "-o", "/tmp/x.html"]);
    status(&o, 2, "report of a missing file");
    let o = archsim(&[
        "run",
        "scenarios/queueing/mm1.toml",
        "--json",
        "/proc/no-such-dir/out.json",
    ]);
    status(&o, 3, "an output that cannot be written");
}

#[test]
fn invalid_utf8_is_located_once() {
    let (_d, p) = file("latin1.toml", "name = \"x\"\ndescription = \"caf\u{e9}\"\n");
    // Replace the UTF-8 é (2 bytes) by Latin-1's single byte 0xe9.
    let mut bytes = std::fs::read(&p).expect("read");
    let at = bytes.windows(2).position(|w| w == [0xc3, 0xa9]).expect("é");
    bytes.splice(at..at + 2, [0xe9]);
    std::fs::write(&p, bytes).expect("write");
    for cmd in ["validate", "run"] {
        let o = archsim(&[cmd, p.to_str().expect("utf-8")]);
        let err = status(&o, 2, cmd);
        assert!(err.contains("latin1.toml:2:19:"), "{cmd}: {err}");
        assert_eq!(err.matches("not UTF-8").count(), 1, "{cmd}: {err}");
    }
}

#[test]
fn report_on_a_shard_part_points_to_merge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let part = dir.path().join("part.json");
    let part_s = part.to_str().expect("utf-8");
    let o = archsim(&[
        "run",
        "scenarios/online-shop.toml",
        "--replications",
        "2",
        "--shard",
        "0/2",
        "--json",
        part_s,
        "--quiet",
    ]);
    status(&o, 0, "shard");
    let html = dir.path().join("r.html");
    let o = archsim(&["report", part_s, "-o", html.to_str().expect("utf-8")]);
    let err = status(&o, 2, "report on a part");
    assert!(err.contains("archsim merge"), "{err}");
    assert!(!err.contains("schema_version"), "{err}");
    assert!(!html.exists());
}

#[test]
fn an_unwritable_output_is_refused_before_simulating() {
    // A run of about 10⁹ events: it would take minutes, so an answer at all shows the check
    // came first.
    let (_d, p) = file("long.toml", &mm1("2000", "\"100us\"", "100000s", ""));
    let p = p.to_str().expect("utf-8");
    for (flag, target) in [
        ("--json", "/nonexistent-archsim-dir/out.json"),
        ("--csv", "/proc/archsim-cannot-create"),
    ] {
        let o = archsim(&["run", p, "--replications", "1", flag, target]);
        let err = status(&o, 3, flag);
        assert!(err.contains("cannot write"), "{err}");
        assert!(stdout(&o).is_empty());
    }
    let o = archsim(&[
        "sweep",
        p,
        "--set",
        "workload.duration=99999s,100000s",
        "--json",
        "/nonexistent-archsim-dir/s.json",
    ]);
    status(&o, 3, "sweep --json");
    // An existing results file is replaced whole (atomic rename), never cut.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("r.json");
    std::fs::write(&out, "old").expect("write");
    let (_d2, small) = file("small.toml", &mm1("5", "\"10ms\"", "20s", ""));
    let o = archsim(&[
        "run",
        small.to_str().expect("utf-8"),
        "--json",
        out.to_str().expect("utf-8"),
        "--quiet",
    ]);
    status(&o, 0, "run --json");
    let text = std::fs::read_to_string(&out).expect("read");
    serde_json::from_str::<serde_json::Value>(&text).expect("a whole JSON document");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "r.json")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Starts a run of one replication that takes minutes, sends `signal` once it has started,
/// and returns its output.
fn interrupted_run(signal: &str, json: &Path) -> Output {
    let (_d, p) = file("long.toml", &mm1("2000", "\"100us\"", "100000s", ""));
    let child = Command::new(bin())
        .args([
            "run",
            p.to_str().expect("utf-8"),
            "--replications",
            "1",
            "--json",
        ])
        .arg(json)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    child.wait_with_output().expect("wait")
}

#[test]
fn the_first_sigint_or_sigterm_stops_with_130() {
    for signal in ["-INT", "-TERM"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let json = dir.path().join("out.json");
        let o = interrupted_run(signal, &json);
        let err = status(&o, 130, signal);
        assert!(err.contains("interrupted"), "{signal}: {err}");
        assert!(err.contains("before any replication finished"), "{err}");
        // Nothing finished: no document, and no temporary file left behind.
        assert!(!json.exists());
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
    }
}

/// SIGTERM in the middle of a run: the replications that finished are combined and written
/// (a whole document saying how many), the rest dropped, and the exit status is 130.
#[test]
fn sigterm_mid_run_writes_what_finished_and_exits_130() {
    // 4,000 short replications (about 40,000 requests each, a minute or more of work) on one
    // thread: the signal, sent after some have finished, stops the others.
    let (dir, p) = file("many.toml", &mm1("200", "\"1ms\"", "200s", ""));
    let json = dir.path().join("out.json");
    let child = Command::new(bin())
        .args([
            "run",
            p.to_str().expect("utf-8"),
            "--replications",
            "4000",
            "--threads",
            "1",
            "--quiet",
            "--json",
        ])
        .arg(&json)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(3000));
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let o = child.wait_with_output().expect("wait");
    let err = status(&o, 130, "SIGTERM mid-run");
    assert!(err.contains("interrupted"), "{err}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("a document was written"))
            .expect("a whole JSON document");
    let n = doc["replications"].as_u64().expect("replications");
    assert!((1..4000).contains(&n), "{n} replications reported");
    // About 200/s × 200 s = 40,000 requests per replication (a Poisson count: ±3σ = ±600).
    let completed = doc["variants"][0]["entries"]["req"]["completed"]["mean"]
        .as_f64()
        .expect("the entry's figures");
    assert!((completed - 40_000.0).abs() < 1_000.0, "{completed}");
}

#[test]
fn sub_nanosecond_values_and_vanishing_rates_are_refused() {
    for (what, text, expected) in [
        ("cpu 0.4ns", mm1("5", "\"0.4ns\"", "20s", ""), "round to 0"),
        (
            "cpu 1e-20s",
            mm1("5", "\"1e-20s\"", "20s", ""),
            "round to 0",
        ),
        (
            "rate 1e-300",
            mm1("1e-300", "\"10ms\"", "20s", ""),
            "rounds to no arrivals",
        ),
        (
            "entry timeout 0.4ns",
            mm1("5", "\"10ms\"", "20s", "")
                .replace("arrival = {", "timeout = \"0.4ns\"\narrival = {"),
            "round to 0",
        ),
    ] {
        check_refused(what, &text, expected, None);
    }
}

/// `validate` and `run` of `text` (beside a file `extra` = (name, contents)) exit 2 with an
/// error that contains `expected` and names the file.
fn check_refused(what: &str, text: &str, expected: &str, extra: Option<(&str, &str)>) {
    {
        let (d, p) = file("tiny.toml", text);
        let named = if let Some((name, contents)) = extra {
            std::fs::write(d.path().join(name), contents).expect("write");
            name
        } else {
            "tiny.toml"
        };
        for cmd in ["validate", "run"] {
            let o = archsim(&[cmd, p.to_str().expect("utf-8")]);
            let err = status(&o, 2, what);
            assert!(err.contains(expected), "{what}: {err}");
            assert!(err.contains(&format!("{named}:")), "{what}: {err}");
        }
    }
}

/// A positive rate that rounds to no arrivals is refused inside profiles and rate traces too
/// (0 stays the way to say "none").
#[test]
fn vanishing_rates_in_profiles_and_traces_are_refused() {
    let base = mm1("5", "\"10ms\"", "20s", "");
    let with = |arrival: &str| {
        base.replace(
            "arrival = { process = \"poisson\", rate = 5 }",
            &format!("arrival = {arrival}"),
        )
    };
    for (what, arrival) in [
        (
            "steps",
            r#"{ profile = { steps = [["0s", 5], ["10s", 1e-300]] } }"#,
        ),
        (
            "ramp",
            r#"{ profile = { ramp = { from = 1e-12, to = 5, end = "10s" } } }"#,
        ),
        (
            "spike",
            r#"{ profile = { spike = { base = 5, peak = 1e-20, at = "5s", duration = "1s" } } }"#,
        ),
    ] {
        let text = with(arrival);
        assert!(text.contains("profile"), "{what}");
        check_refused(what, &text, "rounds to no arrivals", None);
    }
    // 0 in a profile is still "no arrivals in that step".
    let (_d, p) = file(
        "zero.toml",
        &with(r#"{ profile = { steps = [["0s", 5], ["10s", 0]] } }"#),
    );
    status(
        &archsim(&["validate", p.to_str().expect("utf-8")]),
        0,
        "a 0 step",
    );
    // A rate trace: the error names the trace file and its line.
    check_refused(
        "trace",
        &with(r#"{ trace = "rates.csv" }"#),
        "rounds to no arrivals",
        Some(("rates.csv", "interval,rate\n0,5\n10,1e-300\n")),
    );
}

#[test]
fn a_call_timeout_below_a_nanosecond_is_refused_like_zero() {
    let text = r#"name = "t"
[network]
latency = "1ms"
[workload]
duration = "20s"
warmup = "1s"
[[workload.entries]]
name = "req"
op = "a.x"
arrival = { process = "poisson", rate = 5 }
[modules.a]
ops.x = { cpu = "1ms", calls = [ { op = "b.y", timeout = "TIMEOUT" } ] }
[modules.b]
ops.y = { cpu = "1ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "a"
modules = ["a"]
[[variants.units]]
name = "b"
modules = ["b"]
"#;
    for t in ["0s", "0.4ns"] {
        let (_d, p) = file("timeout.toml", &text.replace("TIMEOUT", t));
        let o = archsim(&["validate", p.to_str().expect("utf-8")]);
        let err = status(&o, 2, t);
        assert!(err.contains("timeout"), "{t}: {err}");
    }
}

/// A queue whose consumer publishes back to it: `count` messages per message, `cpu` per
/// consumption, the network and the publish free.
fn publish_loop(count: usize, cpu: &str) -> String {
    let publishes = vec!["{ publish = \"q\", op = \"w.handle\" }"; count].join(", ");
    format!(
        r#"name = "loop"
replications = 1
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "10s"
warmup = "1s"
[[workload.entries]]
name = "order"
op = "shop.order"
arrival = {{ process = "poisson", rate = 2 }}
[modules.shop]
ops.order = {{ cpu = "1ms", calls = [ {{ publish = "q", op = "w.handle" }} ] }}
[modules.w]
ops.handle = {{ cpu = "{cpu}", calls = [ {publishes} ] }}
[[variants]]
name = "v"
[[variants.units]]
name = "shop"
modules = ["shop"]
[[variants.units]]
name = "w"
modules = ["w"]
[[variants.queues]]
name = "q"
publish_latency = "0s"
visibility_timeout = "30s"
consumers = 4
"#
    )
}

#[test]
fn a_zero_time_publish_cycle_is_refused_naming_the_loop() {
    let (_d, p) = file("loop.toml", &publish_loop(1, "0s"));
    for cmd in ["validate", "run"] {
        let o = archsim(&[cmd, p.to_str().expect("utf-8")]);
        let err = status(&o, 2, "zero-time loop");
        assert!(
            err.contains("loop.toml:")
                && err.contains("takes no time")
                && err.contains("w.handle -> w.handle")
                && err.contains("queue `q`"),
            "{err}"
        );
    }
    // With some time around the cycle it is a legal (if endless) design.
    let (_d, p) = file("loop.toml", &publish_loop(1, "1ms"));
    status(
        &archsim(&["validate", p.to_str().expect("utf-8")]),
        0,
        "1ms loop",
    );
}

/// The runtime guard itself: a replication stops when it exceeds its event bound or its
/// bound of events at one instant, naming where.
#[test]
fn the_runtime_guard_stops_a_replication_naming_the_place() {
    use archsim::engine::{simulate_limited, Limits, Runaway};
    // About 5·10⁴ events: the bound is checked every 4,096 events.
    let s = crate::common::scenario(&mm1("50", "\"10ms\"", "400s", ""));
    let m = archsim::model::Model::compile(&s, 0);
    let none = simulate_limited(&m, 1, 0, None, Limits::NONE).expect("no bound");
    assert!(none.is_some());
    let stop = simulate_limited(
        &m,
        1,
        0,
        None,
        Limits {
            max_events: 10_000,
            max_same_instant: u64::MAX,
            max_live: u64::MAX,
        },
    )
    .expect_err("too many events");
    match &stop {
        Runaway::TooManyEvents {
            events,
            limit,
            node,
            ..
        } => {
            assert!(events > limit && *events < 2 * limit, "{stop}");
            assert!(
                node.contains("station") || node.contains("req") || node.contains("clock"),
                "{stop}"
            );
        }
        other => panic!("{other:?}"),
    }
    // Two entries with the same constant rate arrive at the same instants: a bound of one
    // event per instant stops at the first pair, naming the place.
    let two = mm1("50", "\"10ms\"", "20s", "").replace(
        "arrival = { process = \"poisson\", rate = 50 }",
        "arrival = { process = \"constant\", rate = 10 }\n[[workload.entries]]\nname = \"req2\"\nop = \"station.work\"\narrival = { process = \"constant\", rate = 10 }",
    );
    let m2 = archsim::model::Model::compile(&crate::common::scenario(&two), 0);
    let stop = simulate_limited(
        &m2,
        1,
        0,
        None,
        Limits {
            max_events: u64::MAX,
            max_same_instant: 1,
            max_live: u64::MAX,
        },
    )
    .expect_err("two events at one instant");
    let msg = stop.to_string();
    assert!(matches!(stop, Runaway::ZeroTimeLoop { .. }), "{msg}");
    assert!(
        msg.contains("entry `req") || msg.contains("node `station`"),
        "{msg}"
    );
    // The runner's bound: far above the estimate of this model.
    let l = archsim::runner::limits_of(&m);
    assert!(l.max_events as f64 >= archsim::runner::RUNAWAY_MIN_EVENTS);
    assert!(l.max_events as f64 >= m.estimated_events() * archsim::runner::RUNAWAY_FACTOR);
}

/// The live-state guard: an overloaded station's backlog grows without bound; a replication
/// whose requests in progress pass its bound stops, naming the node where they wait. The
/// runner's bound is the guard factor times Little's law of the estimate.
#[test]
fn the_live_state_guard_names_the_queue_that_grows() {
    use archsim::engine::{simulate_limited, Limits, Runaway};
    // λ = 200/s at a 10 ms server: ρ = 2, about 100 more requests waiting each second.
    let over = archsim::model::Model::compile(
        &crate::common::scenario(&mm1("200", "\"10ms\"", "400s", "")),
        0,
    );
    let stop = simulate_limited(
        &over,
        1,
        0,
        None,
        Limits {
            max_events: u64::MAX,
            max_same_instant: u64::MAX,
            max_live: 5_000,
        },
    )
    .expect_err("the backlog passes 5,000");
    let msg = stop.to_string();
    match &stop {
        Runaway::TooMuchLiveState {
            live, limit, at_s, ..
        } => {
            assert!(*live > *limit && *live < *limit + 4_096 * 2, "{msg}");
            // The backlog grows by (λ − μ) = 100 requests/s: 5,000 live at about 50 s.
            assert!(*at_s > 30.0 && *at_s < 80.0, "{msg}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        msg.contains("node `station`") && msg.contains("waiting"),
        "{msg}"
    );
    // A stable station (λ = 50/s, 10 ms: ρ = 0.5) is estimated at λ·W·(events per request)
    // in progress, W its estimated latency, and runs to its end under the runner's bound.
    let stable = archsim::model::Model::compile(
        &crate::common::scenario(&mm1("50", "\"10ms\"", "400s", "")),
        0,
    );
    let live = archsim::runner::estimated_live(&stable);
    let w = archsim::estimate::estimate_model(&stable).entries[0]
        .mean_latency_s
        .expect("stable");
    assert!(w > 0.010 && w <= 0.020, "{w}");
    let expected = 50.0 * w * stable.events_per_request(0);
    assert!(
        (live - expected).abs() < 1e-9 * expected,
        "{live} vs {expected}"
    );
    let l = archsim::runner::limits_of(&stable);
    assert_eq!(l.max_live as f64, archsim::runner::RUNAWAY_MIN_LIVE);
    assert!(simulate_limited(&stable, 1, 0, None, l).is_ok());
    // An overloaded entry counts its whole run: 200/s × (1 s warm-up + 400 s) × events per
    // request.
    let bound = archsim::runner::estimated_live(&over);
    assert!(
        (bound - 200.0 * 401.0 * over.events_per_request(0)).abs() < 1e-6 * bound,
        "{bound}"
    );
}

#[test]
fn messages_that_multiply_are_refused_before_running() {
    let (_d, p) = file("twice.toml", &publish_loop(2, "1ms"));
    let p = p.to_str().expect("utf-8");
    let o = archsim(&["run", p, "--quiet"]);
    let err = status(&o, 2, "publishes twice");
    assert!(
        err.contains("no bound") && err.contains("publishes back"),
        "{err}"
    );
    let o = archsim(&["validate", p]);
    let out = stdout(&o);
    assert!(out.contains("multiply"), "{out}");
}

#[test]
fn planning_commands_guard_every_point_and_name_it() {
    let (_d, p) = file(
        "mm1.toml",
        &mm1("5", "{ dist = \"exp\", mean = \"10ms\" }", "60s", ""),
    );
    let p = p.to_str().expect("utf-8");
    // The search doubles the rate from 5/s: a limit that admits the first rates only.
    let o = archsim(&[
        "capacity",
        p,
        "--slo",
        "p99<10s",
        "--replications",
        "2",
        "--max-events",
        "20000",
    ]);
    let err = status(&o, 2, "capacity");
    assert!(
        err.contains("variant `single` at ") && err.contains("requests/s") && err.contains("limit"),
        "{err}"
    );
    let o = archsim(&[
        "rightsize",
        p,
        "--slo",
        "p99<1s",
        "--rate",
        "1e7",
        "--replications",
        "2",
    ]);
    let err = status(&o, 2, "rightsize --rate 1e7");
    assert!(
        err.contains("variant `single` with ") && err.contains("limit"),
        "{err}"
    );
    // A delivery simulation of one change per nanosecond, under every planning command.
    let org = std::fs::read_to_string(root().join("scenarios/lessons/conway-two-orgs.toml"))
        .expect("lesson")
        .replace("change_interval = \"6h\"", "change_interval = \"1ns\"");
    let (_d2, o_path) = file("org.toml", &org);
    let o_path = o_path.to_str().expect("utf-8");
    for args in [
        vec!["sweep", o_path, "--set", "workload.duration=10s,20s"],
        vec!["capacity", o_path, "--slo", "p99<1s"],
        vec!["rightsize", o_path, "--slo", "p99<1s", "--rate", "10"],
    ] {
        let o = archsim(&args);
        let err = status(&o, 2, args[0]);
        assert!(
            err.contains("events") && err.contains("limit"),
            "{}: {err}",
            args[0]
        );
    }
}

#[test]
fn suspicious_settings_are_warned_about() {
    let base = mm1("5", "\"10ms\"", "20s", "");
    let cases = [
        (
            format!("{base}\n[[faults]]\nkind = \"slow\"\ntarget = \"station\"\nfactor = 2\nat = \"1h\"\n"),
            "never happens",
        ),
        (base.replace("warmup = \"1s\"", "warmup = \"1s\"\nwindow = \"1h\""), "longer than the run"),
        (
            base.replace("slo_placeholder", "")
                .replacen("seed = 3", "seed = 3\nslo = \"p99<1s,p99>2s\"", 1),
            "cannot both hold",
        ),
        (
            base.replace(
                "modules = [\"station\"]",
                "modules = [\"station\"]\n[[variants.units]]\nname = \"idle\"\nmodules = [\"spare\"]",
            )
            .replace("[[variants]]", "[modules.spare]\nops.x = { cpu = \"1ms\" }\n[[variants]]"),
            "no entry calls",
        ),
        (
            base.replace(
                "modules = [\"station\"]",
                "modules = [\"station\"]\nplatform = \"serverless\"\nreserved_concurrency = 0",
            ),
            "reserved_concurrency = 0",
        ),
    ];
    for (text, expected) in cases {
        let (_d, p) = file("warn.toml", &text);
        let p = p.to_str().expect("utf-8");
        let o = archsim(&["validate", p]);
        status(&o, 0, expected);
        assert!(
            stdout(&o).contains(expected),
            "validate: {expected}:\n{}",
            stdout(&o)
        );
        let o = archsim(&["run", p, "--quiet"]);
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains(expected), "run: {expected}:\n{err}");
    }
}

#[test]
fn capacity_with_an_invalid_draw_exits_2_like_run() {
    let text = mm1(
        "5",
        "{ dist = \"exp\", mean = { normal = { mean = \"10ms\", sd = \"50ms\" } } }",
        "20s",
        "",
    );
    let (_d, p) = file("draw.toml", &text);
    let p = p.to_str().expect("utf-8");
    let o = archsim(&["run", p, "--replications", "20", "--quiet"]);
    let run_err = status(&o, 2, "run");
    let o = archsim(&["capacity", p, "--slo", "p99<1s", "--replications", "20"]);
    let err = status(&o, 2, "capacity");
    assert!(err.contains("mean"), "{err}\nrun said: {run_err}");
}

/// The event estimate of a publish cycle: a geometric sum when a message publishes back with
/// probability p < 1 (closed form), without bound when it publishes back twice.
#[test]
fn publish_cycles_are_estimated_as_their_trips() {
    let half = publish_loop(1, "1ms").replace(
        "{ publish = \"q\", op = \"w.handle\" } ] }\n[[variants]]",
        "{ publish = \"q\", op = \"w.handle\", p = 0.5 } ] }\n[[variants]]",
    );
    assert!(half.contains("p = 0.5"));
    let m = archsim::model::Model::compile(&crate::common::scenario(&half), 0);
    // A consumption: 1 event, plus with p = 0.5 a publish (5 events) and another consumption:
    // e = 1 + p(5 + e) = 7. The order: 1 + (5 + e) = 13; the request's arrival: 1.
    let e = m.events_per_request(0);
    assert!((e - 14.0).abs() < 1e-9, "{e}");
    let twice =
        archsim::model::Model::compile(&crate::common::scenario(&publish_loop(2, "1ms")), 0);
    assert!(twice.estimated_events().is_infinite());
    // Once per message: finite, CYCLE_ROUNDS trips.
    let once = archsim::model::Model::compile(&crate::common::scenario(&publish_loop(1, "1ms")), 0);
    let e = once.events_per_request(0);
    let trips = archsim::model::CYCLE_ROUNDS as f64;
    assert!(
        e.is_finite() && e > 6.0 * (trips - 10.0) && e < 6.0 * (trips + 10.0),
        "{e}"
    );
}
