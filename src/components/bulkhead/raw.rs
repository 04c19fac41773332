//! The raw `bulkhead` value of a call or of a unit's `resilience`, as the file says it (its
//! JSON Schema is declared here).

use std::borrow::Cow;
use std::ops::Range;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;

use crate::spec::raw::{value_wrapper, Sp};

value_wrapper!(
    /// A bulkhead size: an integer ≥ 1, or `true` for the default (10, Hystrix).
    Bulkhead, "Bulkhead", |_g| json_schema!({
        "description": "Most attempts in flight at once on the call edge: an integer from 1 to 1000000, or true for 10 (Hystrix's pool).",
        "oneOf": [ { "type": "integer", "minimum": 1 }, { "type": "boolean" } ]
    })
);
