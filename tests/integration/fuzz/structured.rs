//! Structure-aware mutations of `merge` and `report` inputs. Byte and token mutations
//! (`mutate`) mostly break the JSON or the parts' digests, so the merge refuses them at its
//! door. Here a mutation edits one value of the parsed document — a shard index, a replication
//! number, a series, a histogram, a count — and a part is then **resealed** (its `digest` and
//! `payload_sha256` recomputed), as a buggy or hostile writer would produce: the merge's
//! semantic checks and the combination behind them must refuse or combine, never panic.

use super::documents::{check_merge, check_report, docs};
use archsim::plan::part::{sha256_hex, PartIdentity};
use proptest::prelude::*;
use serde_json::{json, Value};

/// One edit: which value (an index into the document's values, depth first), what to do, and
/// a pick among replacement values.
#[derive(Debug, Clone)]
pub struct Edit {
    at: usize,
    op: u8,
    pick: usize,
}

fn edit() -> impl Strategy<Value = Edit> {
    (any::<usize>(), 0u8..9, any::<usize>()).prop_map(|(at, op, pick)| Edit { at, op, pick })
}

/// Values that break assumptions: zero, negatives, the integer limits, fractions, huge floats.
fn odd_number(pick: usize) -> Value {
    let xs = [
        json!(0),
        json!(-1),
        json!(1),
        json!(2),
        json!(u32::MAX),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(0.5),
        json!(1e308),
        json!(-1e-308),
    ];
    xs[pick % xs.len()].clone()
}

/// JSON pointers of every value of `v`, depth first (the root excluded).
fn pointers(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, &p, out);
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, &p, out);
            }
        }
        _ => {}
    }
}

/// Applies `e` to `doc`.
pub fn apply(doc: &mut Value, e: &Edit) {
    let mut ps = Vec::new();
    pointers(doc, "", &mut ps);
    if ps.is_empty() {
        return;
    }
    let p = ps[e.at % ps.len()].clone();
    let (parent, key) = p.rsplit_once('/').unwrap_or(("", &p));
    if e.op == 0 {
        // Delete the value (a key of an object, an element of an array).
        match doc.pointer_mut(parent) {
            Some(Value::Object(m)) => {
                m.remove(&key.replace("~1", "/").replace("~0", "~"));
            }
            Some(Value::Array(xs)) => {
                if let Ok(i) = key.parse::<usize>() {
                    if i < xs.len() {
                        xs.remove(i);
                    }
                }
            }
            _ => {}
        }
        return;
    }
    let Some(v) = doc.pointer_mut(&p) else { return };
    match e.op {
        1 => *v = odd_number(e.pick),
        2 => {
            // Nudge a number by one, or replace another value by a number.
            *v = match v.as_i64() {
                Some(n) => json!(n.saturating_add(if e.pick % 2 == 0 { 1 } else { -1 })),
                None => odd_number(e.pick),
            }
        }
        3 => *v = Value::Null,
        4 => *v = json!("x"),
        5 => *v = json!([]),
        6 => *v = json!({}),
        7 => {
            // An array grows by a copy of one of its elements, or loses its tail.
            if let Value::Array(xs) = v {
                if !xs.is_empty() {
                    if e.pick % 2 == 0 {
                        let x = xs[e.pick % xs.len()].clone();
                        xs.push(x);
                    } else {
                        xs.truncate(e.pick % xs.len());
                    }
                }
            } else {
                *v = json!([v.clone(), v.clone()]);
            }
        }
        _ => {
            // Swap with another value of the document: a plausible value in a wrong place.
            let other = ps[e.pick % ps.len()].clone();
            if !other.starts_with(&p) && !p.starts_with(&other) {
                let x = doc.pointer(&other).cloned();
                if let (Some(x), Some(v)) = (x, doc.pointer_mut(&p)) {
                    *v = x;
                }
            }
        }
    }
}

/// Reseals a part: `digest` and `payload_sha256` recomputed over the edited header and
/// payload, the payload written as the text its digest covers.
fn reseal(mut part: Value) -> String {
    if let Some(id) = part
        .get("identity")
        .and_then(|i| serde_json::from_value::<PartIdentity>(i.clone()).ok())
    {
        part["digest"] = json!(id.digest());
    }
    if let Some(payload) = part.get("payload") {
        let text = serde_json::to_string(payload).expect("serializes");
        part["payload_sha256"] = json!(sha256_hex(text.as_bytes()));
    }
    // Written compact, a nested value is exactly `to_string` of it: the digest holds (pretty
    // printing would indent the payload).
    serde_json::to_string(&part).expect("serializes")
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("the documents made by the command line are JSON")
}

#[test]
fn resealing_an_unedited_part_keeps_it_mergeable() {
    // Without this, every edited part would be refused for its digest and the properties
    // below would test nothing past the door.
    let d = docs();
    for parts in [&d.run_parts, &d.sweep_parts] {
        let named: Vec<(String, String)> = parts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("p{i}.json"), reseal(parse(t))))
            .collect();
        let merged = archsim::app::tools::merge(&named, false, false);
        assert!(merged.is_ok(), "{:?}", merged.err());
    }
}

#[test]
fn an_edited_and_resealed_part_is_refused_for_what_it_says_not_its_digest() {
    let d = docs();
    // Shard index beyond the count.
    let mut p = parse(&d.run_parts[1]);
    p["shard"]["index"] = json!(7);
    let named = vec![
        ("a.json".to_string(), d.run_parts[0].clone()),
        ("b.json".to_string(), reseal(p)),
    ];
    let e = archsim::app::tools::merge(&named, false, false).expect_err("index 7 of 2");
    assert!(!e.to_string().contains("altered"), "{e}");
    // A replication of the first part claimed again by the second.
    let first = parse(&d.run_parts[0]);
    let mut p = parse(&d.run_parts[1]);
    p["payload"]["ks"][0] = first["payload"]["ks"][0].clone();
    let named = vec![
        ("a.json".to_string(), d.run_parts[0].clone()),
        ("b.json".to_string(), reseal(p)),
    ];
    let e = archsim::app::tools::merge(&named, false, false).expect_err("overlap");
    assert!(!e.to_string().contains("altered"), "{e}");
}

proptest! {
    #![proptest_config(super::config(60))]

    #[test]
    fn edited_resealed_parts_merge_or_fail_without_panic(
        sweep in any::<bool>(),
        which in 0usize..3,
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let d = docs();
        let parts = if sweep { &d.sweep_parts } else { &d.run_parts };
        let mut out: Vec<String> = parts.clone();
        for (i, text) in parts.iter().enumerate() {
            if which == 2 || which == i {
                let mut v = parse(text);
                for e in &edits {
                    apply(&mut v, e);
                }
                out[i] = reseal(v);
            }
        }
        check_merge(&out);
    }

    #[test]
    fn edited_documents_report_or_fail_without_panic(
        which in 0usize..3,
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let d = docs();
        let mut v = parse([&d.run, &d.sweep, &d.run_parts[0]][which]);
        for e in &edits {
            apply(&mut v, e);
        }
        check_report(&serde_json::to_string(&v).expect("serializes"));
    }
}
