//! The raw `compensate` value of a saga or transaction step, as the file says it: an operation
//! name, or a table with the operation and the retry policy of the compensation call (its
//! JSON Schema is declared here).

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::components::retry::raw::RawRetry;
use crate::spec::raw::Sp;

/// `compensate = "module.op"` or `compensate = { op = "module.op", retry = { ... } }`.
#[derive(Debug, Clone)]
pub enum RawCompensate {
    /// The operation that undoes the step (qualified `module.op`).
    Op(String),
    /// The operation and the call's policy.
    Call(Box<RawCompensateCall>),
}

/// `compensate = { op = "...", retry = { ... } }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCompensateCall {
    /// The operation that undoes the step (qualified `module.op`, required).
    pub op: Sp<String>,
    /// Retry policy of the compensation call, the keys of a call's `retry` (`{}` = the
    /// defaults).
    pub retry: Option<RawRetry>,
}

impl<'de> Deserialize<'de> for RawCompensate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCompensate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "an operation name (`module.op`) or a table `{ op = \"module.op\", retry = { ... } }`",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawCompensate::Op(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawCompensateCall::deserialize(MapAccessDeserializer::new(map))
                    .map(|c| RawCompensate::Call(Box::new(c)))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for RawCompensate {
    fn schema_name() -> Cow<'static, str> {
        "Compensate".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let call = g.subschema_for::<RawCompensateCall>();
        json_schema!({
            "description": "The operation that undoes the step: a qualified name `module.op`, or a table `{ op = \"module.op\", retry = { ... } }` giving the compensation call a retry policy.",
            "oneOf": [ { "type": "string" }, call ]
        })
    }
}
