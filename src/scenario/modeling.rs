//! Model edits of a scenario file, built on the structural edits of [`super::document`]: add a
//! call between two operations, list what depends on a module or data store and delete it with
//! its dependents, delete a unit left empty, duplicate, rename and add variants, and make a
//! microservices variant (one unit per module) from another. Like the structural edits they
//! keep comments and formatting of everything not edited, never validate (the caller parses
//! the new text) and change nothing when they cannot be applied.

use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

use super::document::{parse_doc, path_err, DocumentError, PathSeg};

fn err(field: &str, message: impl Into<String>) -> DocumentError {
    path_err(&[PathSeg::from(field)], message)
}

/// `module.op` split in two, or an error naming the field.
fn split_op<'a>(field: &str, op: &'a str) -> Result<(&'a str, &'a str), DocumentError> {
    op.split_once('.')
        .filter(|(m, o)| !m.is_empty() && !o.is_empty())
        .ok_or_else(|| err(field, format!("`{op}` is not `module.operation`")))
}

/// Whether `[modules|datastores].<m>.ops.<o>` exists.
fn has_op(doc: &DocumentMut, table: &str, m: &str, o: &str) -> bool {
    doc.get(table)
        .and_then(|t| t.get(m))
        .and_then(|t| t.get("ops"))
        .and_then(|t| t.get(o))
        .is_some()
}

/// Appends the call `{ op = "<to>" }` to the operation `from` (`module.op`); `to` is an
/// operation of a module or a data store.
///
/// # Errors
/// [`DocumentError::Path`] when either operation does not exist or `from` is `to`.
pub fn add_call(text: &str, from: &str, to: &str) -> Result<String, DocumentError> {
    let mut doc = parse_doc(text)?;
    let (fm, fo) = split_op("from", from)?;
    let (tm, to_op) = split_op("to", to)?;
    if !has_op(&doc, "modules", fm, fo) {
        return Err(err("from", format!("no operation `{from}` in [modules]")));
    }
    if !has_op(&doc, "modules", tm, to_op) && !has_op(&doc, "datastores", tm, to_op) {
        return Err(err(
            "to",
            format!("no operation `{to}` in [modules] or [datastores]"),
        ));
    }
    if from == to {
        return Err(err("to", format!("`{from}` cannot call itself")));
    }
    let op = doc["modules"][fm]["ops"][fo]
        .as_table_like_mut()
        .ok_or_else(|| err("from", format!("`{from}` is not a table")))?;
    let mut call = InlineTable::new();
    call.insert("op", Value::from(to));
    match op.get_mut("calls") {
        Some(Item::Value(Value::Array(a))) => {
            // The new call takes the space the last one kept before `]`.
            let prefix = if a.is_empty() { "" } else { " " };
            let mut suffix = " ".to_string();
            if let Some(last) = a.len().checked_sub(1).and_then(|i| a.get_mut(i)) {
                if let Some(s) = last.decor().suffix().and_then(|s| s.as_str()) {
                    suffix = s.to_string();
                }
                last.decor_mut().set_suffix("");
            }
            a.push_formatted(Value::InlineTable(call).decorated(prefix, suffix));
        }
        Some(Item::ArrayOfTables(a)) => a.push(call.into_table()),
        Some(_) => return Err(err("from", format!("`{from}`: calls is not an array"))),
        None => {
            // In an inline table the last value keeps the space before `}`: the new key
            // takes it.
            if let Some((_, last)) = op.iter_mut().last() {
                if let Some(v) = last.as_value_mut() {
                    v.decor_mut().set_suffix("");
                }
            }
            let mut a = toml_edit::Array::new();
            a.push_formatted(Value::InlineTable(call).decorated(" ", " "));
            op.insert("calls", Item::Value(Value::Array(a)));
        }
    }
    Ok(doc.to_string())
}

/// The items of a calls array that call `prefix*` (recursively through `parallel` groups).
fn calls_into(v: &Value, prefix: &str) -> usize {
    let Some(t) = v.as_inline_table() else {
        return 0;
    };
    let own = usize::from(
        t.get("op")
            .and_then(Value::as_str)
            .is_some_and(|o| o.starts_with(prefix)),
    );
    let nested = t
        .get("parallel")
        .and_then(Value::as_array)
        .map_or(0, |a| a.iter().map(|x| calls_into(x, prefix)).sum());
    own + nested
}

/// Every `(module, op, calls item)` of the document.
fn for_each_op(doc: &DocumentMut, mut f: impl FnMut(&str, &str, &Item)) {
    let Some(mods) = doc.get("modules").and_then(Item::as_table_like) else {
        return;
    };
    for (m, mi) in mods.iter() {
        let Some(ops) = mi.get("ops").and_then(Item::as_table_like) else {
            continue;
        };
        for (o, oi) in ops.iter() {
            if let Some(c) = oi.get("calls") {
                f(m, o, c);
            }
        }
    }
}

fn variant_tables(doc: &DocumentMut) -> Vec<&Table> {
    doc.get("variants")
        .and_then(Item::as_array_of_tables)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn name_of(t: &Table) -> &str {
    t.get("name").and_then(Item::as_str).unwrap_or("?")
}

fn lists(t: &Table, key: &str, name: &str) -> bool {
    t.get(key)
        .and_then(Item::as_array)
        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(name)))
}

/// What a module or data store (`datastore = true`) has depending on it, in sentences: the
/// operations calling it, the entries arriving at it, the units (databases) holding it.
pub fn dependents(text: &str, name: &str, datastore: bool) -> Result<Vec<String>, DocumentError> {
    let doc = parse_doc(text)?;
    let prefix = format!("{name}.");
    let mut out = Vec::new();
    for_each_op(&doc, |m, o, calls| {
        let n: usize = match calls {
            Item::Value(Value::Array(a)) => a.iter().map(|x| calls_into(x, &prefix)).sum(),
            Item::ArrayOfTables(a) => a
                .iter()
                .map(|t| calls_into(&Value::InlineTable(t.clone().into_inline_table()), &prefix))
                .sum(),
            _ => 0,
        };
        if n > 0 && m != name {
            out.push(format!(
                "the call{} from {m}.{o}",
                if n == 1 { "" } else { "s" }
            ));
        }
    });
    if let Some(es) = doc
        .get("workload")
        .and_then(|w| w.get("entries"))
        .and_then(Item::as_array_of_tables)
    {
        for e in es.iter() {
            if e.get("op")
                .and_then(Item::as_str)
                .is_some_and(|o| o.starts_with(&prefix))
            {
                out.push(format!("the entry {}", name_of(e)));
            }
        }
    }
    let (group, key) = if datastore {
        ("databases", "stores")
    } else {
        ("units", "modules")
    };
    for v in variant_tables(&doc) {
        if let Some(us) = v.get(group).and_then(Item::as_array_of_tables) {
            for u in us.iter().filter(|u| lists(u, key, name)) {
                let only = u
                    .get(key)
                    .and_then(Item::as_array)
                    .is_some_and(|a| a.len() == 1);
                let what = if datastore { "database" } else { "unit" };
                out.push(if only {
                    format!(
                        "the {what} {} of {} (removed: it holds nothing else)",
                        name_of(u),
                        name_of(v)
                    )
                } else {
                    format!("its place in the {what} {} of {}", name_of(u), name_of(v))
                });
            }
        }
    }
    Ok(out)
}

/// Removes the calls into `prefix*` from a calls array (and `parallel` groups left empty).
fn drop_calls(a: &mut toml_edit::Array, prefix: &str) {
    let keep: Vec<Value> = a
        .iter()
        .filter_map(|v| {
            let mut v = v.clone();
            if let Some(t) = v.as_inline_table_mut() {
                if t.get("op")
                    .and_then(Value::as_str)
                    .is_some_and(|o| o.starts_with(prefix))
                {
                    return None;
                }
                if let Some(p) = t.get_mut("parallel").and_then(Value::as_array_mut) {
                    drop_calls(p, prefix);
                    if p.is_empty() {
                        return None;
                    }
                }
            }
            Some(v)
        })
        .collect();
    a.clear();
    for (i, v) in keep.into_iter().enumerate() {
        let prefix = if i == 0 { "" } else { " " };
        let mut v = v;
        v.decor_mut().set_prefix(prefix);
        v.decor_mut().set_suffix("");
        a.push_formatted(v);
    }
}

/// Deletes a module (or a data store, `datastore = true`) and everything [`dependents`] lists:
/// the calls into it, the entries arriving at it, its place in every unit (database), and a
/// unit (database) left holding nothing.
///
/// # Errors
/// [`DocumentError::Path`] when there is no such module or data store.
pub fn delete_component(text: &str, name: &str, datastore: bool) -> Result<String, DocumentError> {
    let mut doc = parse_doc(text)?;
    let table = if datastore { "datastores" } else { "modules" };
    let removed = doc
        .get_mut(table)
        .and_then(Item::as_table_like_mut)
        .and_then(|t| t.remove(name));
    if removed.is_none() {
        return Err(path_err(&[table.into(), name.into()], "no such item"));
    }
    let prefix = format!("{name}.");
    if let Some(mods) = doc.get_mut("modules").and_then(Item::as_table_like_mut) {
        for (_, mi) in mods.iter_mut() {
            let Some(ops) = mi.get_mut("ops").and_then(Item::as_table_like_mut) else {
                continue;
            };
            for (_, oi) in ops.iter_mut() {
                match oi.get_mut("calls") {
                    Some(Item::Value(Value::Array(a))) => drop_calls(a, &prefix),
                    Some(Item::ArrayOfTables(a)) => a.retain(|t| {
                        !t.get("op")
                            .and_then(Item::as_str)
                            .is_some_and(|o| o.starts_with(&prefix))
                    }),
                    _ => {}
                }
            }
        }
    }
    if let Some(es) = doc
        .get_mut("workload")
        .and_then(|w| w.get_mut("entries"))
        .and_then(Item::as_array_of_tables_mut)
    {
        es.retain(|e| {
            !e.get("op")
                .and_then(Item::as_str)
                .is_some_and(|o| o.starts_with(&prefix))
        });
    }
    let (group, key) = if datastore {
        ("databases", "stores")
    } else {
        ("units", "modules")
    };
    if let Some(vs) = doc
        .get_mut("variants")
        .and_then(Item::as_array_of_tables_mut)
    {
        for v in vs.iter_mut() {
            let Some(us) = v.get_mut(group).and_then(Item::as_array_of_tables_mut) else {
                continue;
            };
            for u in us.iter_mut() {
                if let Some(a) = u.get_mut(key).and_then(Item::as_array_mut) {
                    a.retain(|x| x.as_str() != Some(name));
                    if let Some(first) = a.get_mut(0) {
                        first.decor_mut().set_prefix("");
                    }
                }
            }
            us.retain(|u| {
                !u.get(key)
                    .and_then(Item::as_array)
                    .is_some_and(|a| a.is_empty())
            });
        }
    }
    Ok(doc.to_string())
}

fn variant_index(doc: &DocumentMut, variant: &str) -> Result<usize, DocumentError> {
    variant_tables(doc)
        .iter()
        .position(|t| name_of(t) == variant)
        .ok_or_else(|| err("variants", format!("no variant named `{variant}`")))
}

fn check_new_variant_name(doc: &DocumentMut, name: &str) -> Result<(), DocumentError> {
    if name.trim().is_empty() {
        return Err(err("variants", "a variant needs a name"));
    }
    if variant_tables(doc).iter().any(|t| name_of(t) == name) {
        return Err(err(
            "variants",
            format!("a variant named `{name}` exists already"),
        ));
    }
    Ok(())
}

/// Deletes the unit `unit` of `variant`, which must hold no module (move them first).
///
/// # Errors
/// [`DocumentError::Path`] when the unit does not exist or still holds modules.
pub fn delete_unit(text: &str, variant: &str, unit: &str) -> Result<String, DocumentError> {
    let mut doc = parse_doc(text)?;
    let vi = variant_index(&doc, variant)?;
    let field = [PathSeg::from("variants"), variant.into(), "units".into()];
    let us = doc["variants"]
        .as_array_of_tables_mut()
        .and_then(|a| a.get_mut(vi))
        .and_then(|v| v.get_mut("units"))
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| path_err(&field, "the variant has no units"))?;
    let i = us
        .iter()
        .position(|u| name_of(u) == unit)
        .ok_or_else(|| path_err(&field, format!("no unit named `{unit}`")))?;
    let held: Vec<String> = us
        .get(i)
        .and_then(|u| u.get("modules"))
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if !held.is_empty() {
        return Err(path_err(
            &field,
            format!(
                "the unit `{unit}` still runs {}: move them to another unit first",
                held.join(", ")
            ),
        ));
    }
    us.remove(i);
    Ok(doc.to_string())
}

/// Appends a copy of `variant` named `name`.
///
/// # Errors
/// [`DocumentError::Path`] when `variant` does not exist or `name` is taken or empty.
pub fn duplicate_variant(text: &str, variant: &str, name: &str) -> Result<String, DocumentError> {
    let mut doc = parse_doc(text)?;
    let vi = variant_index(&doc, variant)?;
    check_new_variant_name(&doc, name)?;
    let vs = doc["variants"]
        .as_array_of_tables()
        .ok_or_else(|| err("variants", "the file has no [[variants]]"))?;
    let mut copy = vs.get(vi).cloned().unwrap_or_default();
    copy.decor_mut().set_prefix("\n");
    copy["name"] = toml_edit::value(name);
    // The copy's tables keep the original's places in the file unless renumbered after
    // every table: its `[[variants.units]]` would be written under the original variant.
    let mut next = last_position(doc.as_table()) + 1;
    renumber(&mut copy, &mut next);
    if let Some(vs) = doc["variants"].as_array_of_tables_mut() {
        vs.push(copy);
    }
    Ok(doc.to_string())
}

/// The highest place in the file of `t` and the tables under it.
fn last_position(t: &Table) -> usize {
    let mut last = t.position().unwrap_or(0);
    for (_, item) in t.iter() {
        match item {
            Item::Table(s) => last = last.max(last_position(s)),
            Item::ArrayOfTables(a) => {
                for s in a.iter() {
                    last = last.max(last_position(s));
                }
            }
            _ => {}
        }
    }
    last
}

/// Places `t` and the tables under it in the file from `next` on, in order.
fn renumber(t: &mut Table, next: &mut usize) {
    t.set_position(*next);
    *next += 1;
    for (_, item) in t.iter_mut() {
        match item {
            Item::Table(s) => renumber(s, next),
            Item::ArrayOfTables(a) => {
                for s in a.iter_mut() {
                    renumber(s, next);
                }
            }
            _ => {}
        }
    }
}

/// Renames `variant` to `name`.
///
/// # Errors
/// [`DocumentError::Path`] when `variant` does not exist or `name` is taken or empty.
pub fn rename_variant(text: &str, variant: &str, name: &str) -> Result<String, DocumentError> {
    let mut doc = parse_doc(text)?;
    let vi = variant_index(&doc, variant)?;
    check_new_variant_name(&doc, name)?;
    if let Some(v) = doc["variants"]
        .as_array_of_tables_mut()
        .and_then(|a| a.get_mut(vi))
    {
        let decor = v
            .get("name")
            .and_then(Item::as_value)
            .map(|x| x.decor().clone());
        v["name"] = toml_edit::value(name);
        if let (Some(d), Some(x)) = (decor, v.get_mut("name").and_then(Item::as_value_mut)) {
            *x.decor_mut() = d;
        }
    }
    Ok(doc.to_string())
}

/// Appends a variant `name` made from `variant` with one unit per module: each unit named
/// after its module and configured as the unit that ran the module in `variant` (platform,
/// replicas, cores…); everything else of the variant (databases, gateway, owners…) is copied,
/// and a load balancer in front of a split unit fronts the units its modules went to.
///
/// # Errors
/// [`DocumentError::Path`] when `variant` does not exist, has no units, or `name` is taken.
pub fn microservices_variant(
    text: &str,
    variant: &str,
    name: &str,
) -> Result<String, DocumentError> {
    let mut doc = parse_doc(text)?;
    let vi = variant_index(&doc, variant)?;
    check_new_variant_name(&doc, name)?;
    let vs = doc["variants"]
        .as_array_of_tables()
        .ok_or_else(|| err("variants", "the file has no [[variants]]"))?;
    let mut copy = vs.get(vi).cloned().unwrap_or_default();
    let field = [PathSeg::from("variants"), variant.into(), "units".into()];
    let units = copy
        .get("units")
        .and_then(Item::as_array_of_tables)
        .ok_or_else(|| path_err(&field, "the variant has no units to split"))?;
    let taken: Vec<String> = units.iter().map(|u| name_of(u).to_string()).collect();
    let mut split = toml_edit::ArrayOfTables::new();
    let mut used: Vec<String> = Vec::new();
    // each unit of `variant` → the units its modules now run in
    let mut became: Vec<(String, Vec<String>)> = Vec::new();
    for u in units.iter() {
        became.push((name_of(u).to_string(), Vec::new()));
        let mods: Vec<String> = u
            .get("modules")
            .and_then(Item::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        for m in &mods {
            let mut t = u.clone();
            t.decor_mut().clear();
            // a module named like a unit it did not run in keeps a distinct unit name
            let mut n = m.clone();
            if used.contains(&n)
                || (taken.contains(&n) && mods.len() > 1 && name_of(u) != n.as_str())
            {
                n = format!("{m}-svc");
            }
            used.push(n.clone());
            if let Some((_, to)) = became.last_mut() {
                to.push(n.clone());
            }
            t["name"] = toml_edit::value(n);
            let mut a = toml_edit::Array::new();
            a.push(m.as_str());
            t["modules"] = toml_edit::value(a);
            split.push(t);
        }
    }
    copy.insert("units", Item::ArrayOfTables(split));
    // a load balancer in front of a split unit fronts the units its modules went to
    if let Some(lbs) = copy
        .get_mut("load_balancers")
        .and_then(Item::as_array_of_tables_mut)
    {
        for lb in lbs.iter_mut() {
            let Some(old) = lb.get("units").and_then(Item::as_array) else {
                continue;
            };
            let mut a = toml_edit::Array::new();
            for x in old.iter().filter_map(|x| x.as_str()) {
                match became.iter().find(|(u, _)| u == x) {
                    Some((_, to)) => to.iter().for_each(|n| a.push(n.as_str())),
                    None => a.push(x),
                }
            }
            lb["units"] = toml_edit::value(a);
        }
    }
    copy.decor_mut().set_prefix("\n");
    copy["name"] = toml_edit::value(name);
    let mut next = last_position(doc.as_table()) + 1;
    renumber(&mut copy, &mut next);
    if let Some(vs) = doc["variants"].as_array_of_tables_mut() {
        vs.push(copy);
    }
    Ok(doc.to_string())
}
