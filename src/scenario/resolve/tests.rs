//! Located diagnostics of the resolver, one per class of error.

use crate::scenario::{parse, Diagnostic};

const BASE: &str = r#"name = "t"
[workload]
duration = "10s"
[[workload.entries]]
name = "e"
op = "a.x"
arrival = { rate = 5 }
[modules.a]
ops.x = { cpu = "1ms", calls = [ { op = "b.y" } ] }
[modules.b]
ops.y = { cpu = "1ms", calls = [ { op = "db.q" } ] }
[datastores.db]
ops.q = { time = "1ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "u"
modules = ["a", "b"]
[[variants.databases]]
name = "d"
stores = ["db"]
"#;

fn diags(from: &str, to: &str) -> Vec<Diagnostic> {
    assert!(BASE.contains(from), "{from}");
    match parse(&BASE.replacen(from, to, 1), "t.toml") {
        Ok(_) => panic!("expected an error for {to}"),
        Err(e) => e.diagnostics().map(|d| d.0.clone()).unwrap_or_default(),
    }
}

fn has(d: &[Diagnostic], field: &str, line: usize, text: &str) -> bool {
    d.iter()
        .any(|x| x.field == field && x.line == line && x.to_string().contains(text))
}

#[test]
fn base_is_valid() {
    let s = parse(BASE, "t.toml").expect("valid");
    assert_eq!(s.ops.len(), 3);
    assert_eq!(s.variants[0].store_db, vec![Some(0)]);
}

#[test]
fn error_classes_have_field_and_line() {
    let d = diags("{ op = \"b.y\" }", "{ op = \"a.x\" }");
    assert!(
        has(&d, "modules.a.ops.x.calls[0].op", 9, "a.x -> a.x"),
        "{d:?}"
    );
    let d = diags("{ op = \"db.q\" }", "{ op = \"a.x\" }");
    assert!(
        has(&d, "modules.b.ops.y.calls[0].op", 11, "b.y -> a.x -> b.y")
            || has(&d, "modules.a.ops.x.calls[0].op", 9, "a.x -> b.y -> a.x"),
        "{d:?}"
    );
    let d = diags("op = \"a.x\"", "op = \"x\"");
    assert!(
        has(&d, "workload.entries[0].op", 6, "did you mean `a.x`?"),
        "{d:?}"
    );
    let d = diags("rate = 5", "rate = 0");
    assert!(
        has(&d, "workload.entries[0].arrival.rate", 7, "> 0"),
        "{d:?}"
    );
    let d = diags("stores = [\"db\"]", "stores = [\"dx\"]");
    assert!(
        has(
            &d,
            "variants[0].databases[0].stores[0]",
            21,
            "did you mean `db`?"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &d,
            "variants[0].databases",
            15,
            "data store `db` is called by `b.y`"
        ),
        "{d:?}"
    );
    let d = diags("modules = [\"a\", \"b\"]", "modules = [\"a\"]");
    assert!(
        has(&d, "variants[0].units", 15, "module `b` is in no unit"),
        "{d:?}"
    );
    let d = diags("duration = \"10s\"", "duration = 10");
    assert!(
        has(&d, "workload.duration", 3, "found the number 10"),
        "{d:?}"
    );
}
