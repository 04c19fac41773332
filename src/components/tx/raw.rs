//! The raw keys of transactions that are not call keys: a variant's `transactions` (its doc
//! comments are the JSON Schema's descriptions). The call-group keys (`transaction`, `locks`,
//! `lock_timeout`, `commit_latency`) are on `crate::scenario::raw::RawCall`.

use schemars::JsonSchema;
use serde::Deserialize;

/// How a variant runs a transaction that spans units or databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum RawTxMode {
    /// As a saga: each step commits on its own; a failure runs the compensations.
    #[serde(rename = "saga")]
    Saga,
    /// As a two-phase commit coordinated by the calling instance.
    #[serde(rename = "2pc")]
    TwoPc,
}
