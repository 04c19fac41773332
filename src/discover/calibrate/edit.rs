//! Edits of the model's text for calibration, with `toml_edit` so that comments and layout
//! stay: scaling a duration distribution, setting an entry's arrival, annotating a value.

use crate::discover::fit::dur;
use crate::spec::units::parse_duration_ns;
use toml_edit::{DocumentMut, InlineTable, Item, Value};

/// The keys of a distribution table that are durations (scaled together: the shape keys
/// `cv` and `alpha` stay, so every quantile scales by the same factor).
const DURATION_KEYS: &[&str] = &["mean", "value", "min", "max", "scale"];

/// The first line of every comment calibration writes at the top of the model (so that
/// calibrating a calibrated model replaces them).
pub(crate) const HEADER: &str = "# calibrated:";

/// Parses the model's text.
pub(crate) fn doc(text: &str) -> Result<DocumentMut, String> {
    text.parse::<DocumentMut>().map_err(|e| e.to_string())
}

fn item_mut<'a>(doc: &'a mut DocumentMut, keys: &[String]) -> Option<&'a mut Item> {
    let mut it = doc.as_item_mut();
    for k in keys {
        it = it.get_mut(k.as_str())?;
    }
    Some(it)
}

fn scale_str(s: &str, k: f64) -> Result<String, String> {
    let ns = parse_duration_ns(s).map_err(|e| e.message)?;
    Ok(dur(ns * 1e-9 * k))
}

fn scale_value(v: &mut Value, k: f64) -> Result<(), String> {
    match v {
        Value::String(s) => {
            let decor = s.decor().clone();
            let mut n = toml_edit::Formatted::new(scale_str(s.value(), k)?);
            *n.decor_mut() = decor;
            *s = n;
            Ok(())
        }
        Value::InlineTable(t) => scale_table(t, k),
        other => Err(format!(
            "expected a duration or a distribution table, found `{}`",
            other.to_string().trim()
        )),
    }
}

fn scale_table(t: &mut InlineTable, k: f64) -> Result<(), String> {
    for key in DURATION_KEYS {
        if let Some(v) = t.get_mut(key) {
            scale_value(v, k)?;
        }
    }
    if let Some(Value::Array(a)) = t.get_mut("samples") {
        for v in a.iter_mut() {
            scale_value(v, k)?;
        }
    }
    Ok(())
}

/// Multiplies the duration distribution at `keys` by `k` (every duration of it: a constant, a
/// mean, uniform bounds, a Pareto scale, empirical samples).
pub(crate) fn scale(doc: &mut DocumentMut, keys: &[String], k: f64) -> Result<(), String> {
    let it = item_mut(doc, keys).ok_or_else(|| format!("`{}` not found", keys.join(".")))?;
    match it {
        Item::Value(v) => scale_value(v, k),
        Item::Table(t) => {
            for key in DURATION_KEYS.iter().chain(&["samples"]) {
                if let Some(v) = t.get_mut(key).and_then(Item::as_value_mut) {
                    match v {
                        Value::Array(a) => {
                            for x in a.iter_mut() {
                                scale_value(x, k)?;
                            }
                        }
                        _ => scale_value(v, k)?,
                    }
                }
            }
            Ok(())
        }
        _ => Err(format!("`{}` is not a distribution", keys.join("."))),
    }
}

/// Sets the value at `keys` to the constant duration `secs` (the last key is created when
/// absent; the table holding it must exist).
pub(crate) fn set_const(doc: &mut DocumentMut, keys: &[String], secs: f64) -> Result<(), String> {
    let (last, parent) = keys
        .split_last()
        .ok_or_else(|| "empty parameter path".to_string())?;
    let p = item_mut(doc, parent).ok_or_else(|| format!("`{}` not found", parent.join(".")))?;
    let v = Value::from(dur(secs));
    match p {
        Item::Table(t) => {
            t.insert(last, Item::Value(v));
            Ok(())
        }
        Item::Value(Value::InlineTable(t)) => {
            t.insert(last, v);
            Ok(())
        }
        _ => Err(format!("`{}` is not a table", parent.join("."))),
    }
}

/// Sets the arrival of the entry named `entry` to Poisson at `rate` per second.
pub(crate) fn set_arrival(doc: &mut DocumentMut, entry: &str, rate: f64) -> Result<(), String> {
    let mut arrival = InlineTable::new();
    arrival.insert("process", Value::from("poisson"));
    arrival.insert("rate", Value::from((rate * 1e6).round() / 1e6));
    let entries = doc
        .get_mut("workload")
        .and_then(|w| w.get_mut("entries"))
        .ok_or_else(|| "no `workload.entries`".to_string())?;
    let named = |v: Option<&Item>| v.and_then(Item::as_str) == Some(entry);
    match entries {
        Item::ArrayOfTables(a) => {
            for t in a.iter_mut() {
                if named(t.get("name")) {
                    t.insert("arrival", Item::Value(Value::InlineTable(arrival)));
                    return Ok(());
                }
            }
        }
        Item::Value(Value::Array(a)) => {
            for v in a.iter_mut() {
                if let Value::InlineTable(t) = v {
                    if t.get("name").and_then(Value::as_str) == Some(entry) {
                        t.insert("arrival", Value::InlineTable(arrival));
                        return Ok(());
                    }
                }
            }
        }
        _ => {}
    }
    Err(format!("no entry named `{entry}` in `workload.entries`"))
}

/// Writes `note` as a comment at the end of the line holding the value at `keys` (the
/// outermost value on that line: for `ops.q = { time = … }` the whole inline table).
pub(crate) fn annotate(doc: &mut DocumentMut, keys: &[String], note: &str) {
    // The first prefix whose item is a value sits on its own line in a standard table.
    let Some(depth) = (1..=keys.len()).find(|&i| {
        let mut it = doc.as_item();
        for k in &keys[..i] {
            match it.get(k.as_str()) {
                Some(x) => it = x,
                None => return false,
            }
        }
        it.is_value()
    }) else {
        return;
    };
    if let Some(Item::Value(v)) = item_mut(doc, &keys[..depth]) {
        v.decor_mut().set_suffix(format!("  # {note}"));
    }
}

/// The text with `lines` as the header comment (replacing a previous calibration's).
pub(crate) fn with_header(text: &str, lines: &[String]) -> String {
    let body: Vec<&str> = text.lines().skip_while(|l| l.starts_with(HEADER)).collect();
    let mut out = String::new();
    for l in lines {
        out.push_str(HEADER);
        out.push(' ');
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&body.join("\n"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(p: &str) -> Vec<String> {
        p.split('.').map(str::to_string).collect()
    }

    #[test]
    fn scales_every_form_of_a_distribution_and_keeps_comments() {
        let text = "[network]\nlatency = \"200us\"  # hop\n[modules.a.ops.x]\ncpu = { dist = \"lognormal\", mean = \"2ms\", cv = 0.5 }\n[modules.a.ops.y]\ncpu = { dist = \"uniform\", min = \"1ms\", max = \"3ms\" }\n[datastores.db]\nops.q = { time = { dist = \"empirical\", samples = [\"1ms\", \"4ms\"] }, kind = \"read\" }\n";
        let mut d = doc(text).expect("toml");
        scale(&mut d, &keys("network.latency"), 0.5).expect("network");
        scale(&mut d, &keys("modules.a.ops.x.cpu"), 0.5).expect("x");
        scale(&mut d, &keys("modules.a.ops.y.cpu"), 2.0).expect("y");
        scale(&mut d, &keys("datastores.db.ops.q.time"), 0.25).expect("q");
        annotate(&mut d, &keys("datastores.db.ops.q.time"), "×0.25");
        let t = d.to_string();
        assert!(t.contains("latency = \"100us\"  # hop"), "{t}");
        assert!(t.contains("mean = \"1ms\", cv = 0.5"), "{t}");
        assert!(t.contains("min = \"2ms\", max = \"6ms\""), "{t}");
        assert!(
            t.contains("samples = [\"250us\", \"1ms\"] }, kind = \"read\" }  # ×0.25"),
            "{t}"
        );
    }

    #[test]
    fn sets_an_entry_arrival_and_replaces_the_header() {
        let text = "# calibrated: old\n# kept\n[workload]\nduration = \"10s\"\n[[workload.entries]]\nname = \"a\"\nop = \"m.a\"\narrival = { profile = { steps = [[\"0s\", 1]] } }\n";
        let mut d = doc(text).expect("toml");
        set_arrival(&mut d, "a", 12.5).expect("arrival");
        assert!(set_arrival(&mut d, "b", 1.0).is_err());
        let t = with_header(&d.to_string(), &["new".into()]);
        assert!(t.starts_with("# calibrated: new\n# kept\n"), "{t}");
        assert!(
            t.contains("arrival = { process = \"poisson\", rate = 12.5 }"),
            "{t}"
        );
    }
}
