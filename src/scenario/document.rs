//! Structural edits of a scenario file that keep the TOML text the source of truth: set a value
//! at a path, insert or remove an item, move a module from one unit to another. Comments,
//! key order and formatting of everything not edited are preserved (the text is edited as a
//! `toml_edit` document, never re-serialized from the parsed scenario).
//!
//! An edit never validates the scenario: it returns the new text, and the caller runs
//! [`crate::scenario::parse`] on it to show the diagnostics. An edit that cannot be applied
//! (path not found, wrong type) returns a [`DocumentError`] and no text, so nothing is lost.
//!
//! ```
//! use archsim::scenario::document::{set_value, PathSeg};
//! let text = "# the station\n[modules.station]\nmemory = \"256MB\" # per replica\n";
//! let path = [PathSeg::from("modules"), "station".into(), "memory".into()];
//! let out = set_value(text, &path, &serde_json::json!("512MB")).unwrap();
//! assert_eq!(out, "# the station\n[modules.station]\nmemory = \"512MB\" # per replica\n");
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

/// One step of a path into the document: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PathSeg {
    /// A key of a table.
    Key(String),
    /// An index into an array (or array of tables).
    Index(usize),
}

impl From<&str> for PathSeg {
    fn from(s: &str) -> Self {
        PathSeg::Key(s.to_string())
    }
}

impl From<usize> for PathSeg {
    fn from(i: usize) -> Self {
        PathSeg::Index(i)
    }
}

impl fmt::Display for PathSeg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathSeg::Key(k) => write!(f, "{k}"),
            PathSeg::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// Renders a path the way diagnostics name fields: `variants[0].units[1].modules`.
pub fn path_string(path: &[PathSeg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            PathSeg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Why an edit could not be applied. The document is left unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The text is not valid TOML; fix the syntax first.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the TOML parser expected.
        message: String,
    },
    /// The path does not lead to an item that the edit can change.
    #[error("{field}: {message}")]
    Path {
        /// Dotted path of the field.
        field: String,
        /// What is wrong and what is expected.
        message: String,
    },
}

pub(crate) fn parse_doc(text: &str) -> Result<DocumentMut, DocumentError> {
    text.parse::<DocumentMut>().map_err(|e| {
        let (line, column) = e
            .span()
            .map(|sp| line_col(text, sp.start))
            .unwrap_or((1, 1));
        DocumentError::Syntax {
            line,
            column,
            message: e.message().to_string(),
        }
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

pub(crate) fn path_err(path: &[PathSeg], message: impl Into<String>) -> DocumentError {
    DocumentError::Path {
        field: path_string(path),
        message: message.into(),
    }
}

/// Converts a JSON value to a TOML value: integers stay integers, other numbers become floats,
/// objects become inline tables. `null` has no TOML form.
pub(crate) fn to_toml(v: &serde_json::Value, path: &[PathSeg]) -> Result<Value, DocumentError> {
    use serde_json::Value as J;
    Ok(match v {
        J::Null => return Err(path_err(path, "TOML has no null; remove the key instead")),
        J::Bool(b) => Value::from(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::from(i),
            None => Value::from(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Value::from(s.as_str()),
        J::Array(items) => {
            let mut a = Array::new();
            for x in items {
                a.push(to_toml(x, path)?);
            }
            Value::Array(a)
        }
        J::Object(map) => {
            let mut t = InlineTable::new();
            for (k, x) in map {
                t.insert(k, to_toml(x, path)?);
            }
            Value::InlineTable(t)
        }
    })
}

/// Follows `path` from `item` without creating anything.
fn get_mut<'a>(mut item: &'a mut Item, path: &[PathSeg]) -> Option<&'a mut Item> {
    for seg in path {
        let exists = match seg {
            PathSeg::Key(k) => item.get(k.as_str()).is_some_and(|i| !i.is_none()),
            PathSeg::Index(i) => item.get(*i).is_some(),
        };
        if !exists {
            return None;
        }
        item = match seg {
            PathSeg::Key(k) => item.get_mut(k.as_str())?,
            PathSeg::Index(i) => item.get_mut(*i)?,
        };
    }
    Some(item)
}

/// Sets the value at `path` (creating missing tables on the way as inline tables), keeping the
/// comments around the old value. Returns the new text.
///
/// # Errors
/// [`DocumentError::Syntax`] if `text` is not TOML; [`DocumentError::Path`] if a step of the
/// path is an index out of range or goes through a value that is not a table or array.
pub fn set_value(
    text: &str,
    path: &[PathSeg],
    value: &serde_json::Value,
) -> Result<String, DocumentError> {
    let mut doc = parse_doc(text)?;
    let Some((last, parents)) = path.split_last() else {
        return Err(path_err(path, "cannot replace the whole document"));
    };
    let new = to_toml(value, path)?;
    let mut item = doc.as_item_mut();
    for (i, seg) in parents.iter().enumerate() {
        let here = &path[..=i];
        item = match seg {
            PathSeg::Key(k) => {
                if !(item.is_table_like()) {
                    return Err(path_err(here, "is not inside a table"));
                }
                if item.get(k.as_str()).map_or(true, |x| x.is_none()) {
                    let t = item
                        .as_table_like_mut()
                        .ok_or_else(|| path_err(here, "is not inside a table"))?;
                    t.insert(k, Item::Value(Value::InlineTable(InlineTable::new())));
                }
                item.get_mut(k.as_str())
                    .ok_or_else(|| path_err(here, "cannot be created"))?
            }
            PathSeg::Index(n) => item
                .get_mut(*n)
                .ok_or_else(|| path_err(here, "index out of range"))?,
        };
    }
    match last {
        PathSeg::Key(k) => {
            let t = item
                .as_table_like_mut()
                .ok_or_else(|| path_err(parents, "is not a table"))?;
            match t.get_mut(k) {
                Some(Item::Value(old)) => {
                    let decor = old.decor().clone();
                    *old = new;
                    *old.decor_mut() = decor;
                }
                _ => {
                    t.insert(k, Item::Value(new));
                }
            }
        }
        PathSeg::Index(n) => {
            let a = item
                .as_array_mut()
                .ok_or_else(|| path_err(parents, "is not an array of values"))?;
            let old = a
                .get_mut(*n)
                .ok_or_else(|| path_err(path, "index out of range"))?;
            let decor = old.decor().clone();
            *old = new;
            *old.decor_mut() = decor;
        }
    }
    Ok(doc.to_string())
}

/// Removes the item at `path` (a key of a table, an element of an array or an array of tables).
///
/// # Errors
/// [`DocumentError::Path`] if there is no item at `path`.
pub fn remove_item(text: &str, path: &[PathSeg]) -> Result<String, DocumentError> {
    let mut doc = parse_doc(text)?;
    let Some((last, parents)) = path.split_last() else {
        return Err(path_err(path, "cannot remove the whole document"));
    };
    let parent =
        get_mut(doc.as_item_mut(), parents).ok_or_else(|| path_err(parents, "no such item"))?;
    let removed = match (last, parent) {
        (PathSeg::Key(k), p) => p.as_table_like_mut().and_then(|t| t.remove(k)).is_some(),
        (PathSeg::Index(n), Item::ArrayOfTables(a)) if *n < a.len() => {
            a.remove(*n);
            true
        }
        (PathSeg::Index(n), Item::Value(Value::Array(a))) if *n < a.len() => {
            a.remove(*n);
            true
        }
        _ => false,
    };
    if removed {
        Ok(doc.to_string())
    } else {
        Err(path_err(path, "no such item"))
    }
}

/// Inserts `value` at `path`: a new key of a table (an error if it exists), or a new element at
/// the end of an array or array of tables (the last step is then the array's length). An
/// object appended to an array of tables (`[[variants]]`) becomes a new `[[...]]` table.
///
/// # Errors
/// [`DocumentError::Path`] if the parent is missing, the key exists, or the index is not the
/// array's length.
pub fn insert_item(
    text: &str,
    path: &[PathSeg],
    value: &serde_json::Value,
) -> Result<String, DocumentError> {
    let mut doc = parse_doc(text)?;
    let Some((last, parents)) = path.split_last() else {
        return Err(path_err(path, "cannot insert the whole document"));
    };
    let new = to_toml(value, path)?;
    let parent =
        get_mut(doc.as_item_mut(), parents).ok_or_else(|| path_err(parents, "no such item"))?;
    match (last, parent) {
        (PathSeg::Key(k), p) => {
            let t = p
                .as_table_like_mut()
                .ok_or_else(|| path_err(parents, "is not a table"))?;
            if t.contains_key(k) {
                return Err(path_err(path, "already exists; set its value instead"));
            }
            t.insert(k, Item::Value(new));
        }
        (PathSeg::Index(n), Item::ArrayOfTables(a)) if *n == a.len() => {
            let Value::InlineTable(t) = new else {
                return Err(path_err(path, "an array of tables takes a table"));
            };
            a.push(t.into_table());
        }
        (PathSeg::Index(n), Item::Value(Value::Array(a))) if *n == a.len() => {
            a.push_formatted(new.decorated(if a.is_empty() { "" } else { " " }, ""));
        }
        _ => {
            return Err(path_err(
                path,
                "insert appends at the end of an array (index = its length) or adds a new key",
            ))
        }
    }
    Ok(doc.to_string())
}

/// Moves `module` to the unit `to_unit` in the variant `variant` (the decomposition edit of the
/// deployment view): removes it from the `modules` list of the unit that holds it and appends
/// it to `to_unit`'s. A unit left without modules stays in the file (validation reports it).
///
/// # Errors
/// [`DocumentError::Path`] if the variant or unit is not found, or no unit of the variant
/// holds the module.
pub fn move_module(
    text: &str,
    variant: &str,
    module: &str,
    to_unit: &str,
) -> Result<String, DocumentError> {
    let mut doc = parse_doc(text)?;
    let vpath = [PathSeg::from("variants")];
    let variants = doc
        .get_mut("variants")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| path_err(&vpath, "the file has no [[variants]]"))?;
    let v = variants
        .iter_mut()
        .find(|t| t.get("name").and_then(Item::as_str) == Some(variant))
        .ok_or_else(|| path_err(&vpath, format!("no variant named `{variant}`")))?;
    let upath = [PathSeg::from("variants"), variant.into(), "units".into()];
    let units = v
        .get_mut("units")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| path_err(&upath, "the variant has no [[variants.units]]"))?;
    let unit_name = |t: &Table| t.get("name").and_then(Item::as_str).map(str::to_string);
    let names: Vec<Option<String>> = units.iter().map(unit_name).collect();
    let to = names
        .iter()
        .position(|n| n.as_deref() == Some(to_unit))
        .ok_or_else(|| path_err(&upath, format!("no unit named `{to_unit}`")))?;
    let holds = |t: &Table| {
        t.get("modules")
            .and_then(Item::as_array)
            .is_some_and(|a| a.iter().any(|m| m.as_str() == Some(module)))
    };
    let from = units
        .iter()
        .position(holds)
        .ok_or_else(|| path_err(&upath, format!("no unit holds module `{module}`")))?;
    if from == to {
        return Ok(doc.to_string());
    }
    for (i, t) in units.iter_mut().enumerate() {
        let Some(a) = t.get_mut("modules").and_then(Item::as_array_mut) else {
            continue;
        };
        if i == from {
            a.retain(|m| m.as_str() != Some(module));
            if let Some(first) = a.get_mut(0) {
                first.decor_mut().set_prefix("");
            }
        } else if i == to {
            let prefix = if a.is_empty() { "" } else { " " };
            a.push_formatted(Value::from(module).decorated(prefix, ""));
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SHOP: &str = r#"# A shop
name = "shop" # the name

[modules.a]
ops.x = { cpu = "1ms" } # fast
[modules.b]
ops.y = { cpu = "2ms" }

[[variants]]
name = "split"
# two units
[[variants.units]]
name = "ua"
modules = ["a", "b"] # both
[[variants.units]]
name = "ub"
modules = []
"#;

    fn p(segs: &[&str]) -> Vec<PathSeg> {
        segs.iter()
            .map(|s| match s.parse::<usize>() {
                Ok(i) => PathSeg::Index(i),
                Err(_) => PathSeg::from(*s),
            })
            .collect()
    }

    #[test]
    fn set_keeps_comments_and_other_text() {
        let out = set_value(
            SHOP,
            &p(&["modules", "a", "ops", "x", "cpu"]),
            &json!("3ms"),
        )
        .expect("set");
        assert_eq!(
            out,
            SHOP.replace(r#"ops.x = { cpu = "1ms" }"#, r#"ops.x = { cpu = "3ms" }"#)
        );
        let out = set_value(
            SHOP,
            &p(&["variants", "0", "units", "1", "replicas"]),
            &json!(3),
        )
        .expect("set");
        assert!(out.contains("modules = []\nreplicas = 3\n"), "{out}");
        assert!(out.starts_with("# A shop\nname = \"shop\" # the name\n"));
    }

    #[test]
    fn set_creates_missing_tables_and_rejects_bad_paths() {
        let out = set_value(SHOP, &p(&["network", "latency"]), &json!("1ms")).expect("set");
        let v: toml::Table = toml::from_str(&out).expect("toml");
        assert_eq!(v["network"]["latency"].as_str(), Some("1ms"));
        let e =
            set_value(SHOP, &p(&["variants", "3", "name"]), &json!("x")).expect_err("out of range");
        assert_eq!(
            e,
            DocumentError::Path {
                field: "variants[3]".into(),
                message: "index out of range".into()
            }
        );
        assert!(set_value(SHOP, &p(&["name"]), &json!(null)).is_err());
        let e = set_value("a = [", &p(&["a"]), &json!(1)).expect_err("syntax");
        assert!(matches!(e, DocumentError::Syntax { line: 1, .. }), "{e:?}");
    }

    #[test]
    fn move_module_between_units() {
        let out = move_module(SHOP, "split", "b", "ub").expect("move");
        assert!(out.contains("modules = [\"a\"] # both\n"), "{out}");
        assert!(out.contains("modules = [\"b\"]\n"), "{out}");
        assert!(out.contains("# two units\n"));
        // and back: the text holds the same data as before
        let back = move_module(&out, "split", "b", "ua").expect("move back");
        let a: toml::Table = toml::from_str(SHOP).expect("toml");
        let b: toml::Table = toml::from_str(&back).expect("toml");
        assert_eq!(a, b);
        assert!(move_module(SHOP, "split", "zz", "ub").is_err());
        assert!(move_module(SHOP, "split", "a", "nowhere").is_err());
        assert!(move_module(SHOP, "nope", "a", "ub").is_err());
    }

    #[test]
    fn insert_and_remove_are_inverse() {
        let out = insert_item(
            SHOP,
            &p(&["variants", "0", "units", "2"]),
            &json!({"name": "uc", "modules": []}),
        )
        .expect("insert");
        let v: toml::Table = toml::from_str(&out).expect("toml");
        assert_eq!(v["variants"][0]["units"][2]["name"].as_str(), Some("uc"));
        assert!(out.starts_with(SHOP), "{out}");
        let back = remove_item(&out, &p(&["variants", "0", "units", "2"])).expect("remove");
        assert_eq!(back, SHOP);
        let out = insert_item(SHOP, &p(&["modules", "c"]), &json!({"ops": {}})).expect("ins");
        let v: toml::Table = toml::from_str(&out).expect("toml");
        assert!(v["modules"]["c"]["ops"].as_table().is_some());
        assert!(insert_item(SHOP, &p(&["modules", "a"]), &json!({})).is_err());
        assert!(remove_item(SHOP, &p(&["modules", "zz"])).is_err());
    }
}
