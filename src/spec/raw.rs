//! The raw vocabulary of the file format: spanned values ([`Sp`]), named tables ([`Table`]) and
//! the wrappers of values that need units or limits ([`Duration`], [`Size`], [`DistSpec`],
//! [`Int`], [`Num`]), kept as spanned TOML values and checked by the resolvers
//! ([`crate::spec::check`]) so that many errors can be reported at once.
//!
//! The doc comments on these types are the descriptions of the JSON Schema.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::units::{DIST_NAMES, DURATION_PATTERN, SIZE_PATTERN};

/// A value with its byte span in the file.
///
/// Only for values that always have a span in the `toml` crate: scalars, arrays, inline tables
/// and elements of arrays of tables — never for a table that may be created implicitly by a
/// dotted header.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct Sp<T>(pub Spanned<T>);

impl<T> Sp<T> {
    /// Byte range of the value in the file.
    pub fn span(&self) -> Range<usize> {
        self.0.span()
    }

    /// The value.
    pub fn get(&self) -> &T {
        self.0.get_ref()
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A TOML table whose keys are names, in file order, each key with its span.
///
/// Values carry no span: a table created implicitly by a header such as
/// `[modules.orders.ops.checkout]` (here `modules.orders`) has none in the `toml` crate.
#[derive(Debug, Clone)]
pub struct Table<V>(pub Vec<(Sp<String>, V)>);

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Table<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Table<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of named entries")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Sp<String>>()? {
                    let v = map.next_value::<V>()?;
                    out.push((k, v));
                }
                Ok(Table(out))
            }
        }
        d.deserialize_map(V2(PhantomData))
    }
}

impl<V: JsonSchema> JsonSchema for Table<V> {
    fn schema_name() -> Cow<'static, str> {
        format!("Table_of_{}", V::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let v = generator.subschema_for::<V>();
        json_schema!({ "type": "object", "additionalProperties": v })
    }
}

/// Declares a wrapper of a spanned TOML value with its JSON Schema.
macro_rules! value_wrapper {
    ($(#[$doc:meta])* $name:ident, $schema_name:literal, |$g:ident| $schema:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Sp<toml::Value>);

        impl $name {
            /// Byte range of the value in the file.
            pub fn span(&self) -> Range<usize> {
                self.0.span()
            }
            /// The TOML value.
            pub fn value(&self) -> &toml::Value {
                self.0.get()
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                $schema_name.into()
            }
            fn json_schema($g: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}
pub(crate) use value_wrapper;

value_wrapper!(
    /// A duration: a string with a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`), e.g. `"250us"`.
    Duration, "Duration", |_g| json_schema!({
        "type": "string",
        "pattern": DURATION_PATTERN,
        "description": "A duration with a unit: ns, us (or µs), ms, s, m (minutes), h. Examples: \"250us\", \"4ms\", \"1.5s\", \"10m\". A bare number is an error. Limit: 10 years.",
        "examples": ["250us", "4ms", "1.5s"]
    })
);

value_wrapper!(
    /// A size: a string with a unit (`B`, `KB`, `MB`, `GB`, `TB` powers of 1000; `KiB`, `MiB`,
    /// `GiB`, `TiB` powers of 1024), e.g. `"2KB"`.
    Size, "Size", |_g| json_schema!({
        "type": "string",
        "pattern": SIZE_PATTERN,
        "description": "A size with a unit: B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024). Examples: \"512B\", \"2KB\", \"1.5MB\". Limit: 64TB.",
        "examples": ["512B", "2KB", "1GiB"]
    })
);

value_wrapper!(
    /// A distribution of durations: a duration string (a constant) or a `dist` table.
    DistSpec, "Distribution", |g| {
        let d = g.subschema_for::<Duration>();
        let dists: Vec<String> = DIST_NAMES.iter().map(|s| s.to_string()).collect();
        json_schema!({
            "description": "A distribution of durations: a plain duration is a constant; or a table with `dist` = one of const, exp, lognormal, gamma, uniform, pareto, empirical. Means and bounds are durations; `cv` (coefficient of variation, σ/mean) and `alpha` are numbers.",
            "oneOf": [
                d,
                {
                    "type": "object",
                    "description": "A distribution table.",
                    "required": ["dist"],
                    "properties": { "dist": { "type": "string", "enum": dists } }
                },
                { "type": "object", "additionalProperties": false, "required": ["dist", "value"],
                  "description": "Always `value`.",
                  "properties": { "dist": { "const": "const" }, "value": d } },
                { "type": "object", "additionalProperties": false, "required": ["dist", "mean"],
                  "description": "Exponential with the given mean.",
                  "properties": { "dist": { "const": "exp" }, "mean": d } },
                { "type": "object", "additionalProperties": false, "required": ["dist", "mean", "cv"],
                  "description": "Log-normal or gamma with the given mean and coefficient of variation (cv > 0).",
                  "properties": { "dist": { "enum": ["lognormal", "gamma"] }, "mean": d,
                                  "cv": { "type": "number", "exclusiveMinimum": 0, "maximum": 100 } } },
                { "type": "object", "additionalProperties": false, "required": ["dist", "min", "max"],
                  "description": "Uniform on [min, max], min ≤ max.",
                  "properties": { "dist": { "const": "uniform" }, "min": d, "max": d } },
                { "type": "object", "additionalProperties": false, "required": ["dist", "alpha"],
                  "description": "Pareto with `scale` (its minimum) and shape `alpha` > 0, or with `mean` and `alpha` > 1.",
                  "properties": { "dist": { "const": "pareto" }, "scale": d, "mean": d,
                                  "alpha": { "type": "number", "exclusiveMinimum": 0 } } },
                { "type": "object", "additionalProperties": false, "required": ["dist", "samples"],
                  "description": "Uniform choice among the given samples (at least one).",
                  "properties": { "dist": { "const": "empirical" },
                                  "samples": { "type": "array", "items": d, "minItems": 1 } } }
            ]
        })
    }
);

value_wrapper!(
    /// An integer, checked against its limits by the resolver.
    Int, "Integer", |_g| json_schema!({ "type": "integer" })
);

value_wrapper!(
    /// A number (integer or float), checked against its limits by the resolver.
    Num, "Number", |_g| json_schema!({ "type": "number" })
);

value_wrapper!(
    /// A table accepted as is and not interpreted yet (reserved for resilience settings).
    Opaque, "ReservedTable", |_g| json_schema!({
        "type": "object",
        "description": "Reserved: accepted but not yet interpreted."
    })
);
