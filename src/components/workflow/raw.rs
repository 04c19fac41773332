//! The raw `[workflows.NAME]` tables, as the file says them (their doc comments are the JSON
//! Schema's descriptions).

use std::borrow::Cow;
use std::ops::Range;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;

use crate::components::retry::raw::RawRetry;
use crate::spec::raw::{value_wrapper, DistSpec, Duration, Int, Num, Size, Sp, Table};

/// `standard` or `express`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawMode {
    /// Up to one year per execution; priced per state transition.
    Standard,
    /// Up to 5 minutes per execution; priced per request and per GB-second.
    Express,
}

/// The kinds of state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawStateType {
    /// Calls an operation (`op`) and waits for its answer.
    Task,
    /// Goes to one of `choices` with its probability, else to `default`.
    Choice,
    /// Runs every branch of `branches` at once and joins them.
    Parallel,
    /// Runs the branch `iterator` once per item (`items`), `concurrency` at a time.
    Map,
    /// Waits for `duration`.
    Wait,
}

/// `[workflows.NAME]`: a workflow (Step Functions-like state machine) started by the call
/// `{ workflow = "NAME" }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWorkflow {
    /// `standard` (up to a year, priced per state transition) or `express` (up to 5 minutes,
    /// priced per request and GB-second); required.
    pub mode: Option<Sp<RawMode>>,
    /// Memory an express execution uses, billed in 64 MB increments (a size, default "64MB");
    /// not allowed on a standard workflow.
    pub memory: Option<Size>,
    /// The first state (a name of `states`); required.
    pub start: Option<Sp<String>>,
    /// The states, by name.
    #[serde(default)]
    pub states: Table<RawState>,
}

/// `[workflows.W.states.NAME]`: one state.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawState {
    /// `task`, `choice`, `parallel`, `map` or `wait`.
    #[serde(rename = "type")]
    pub kind: Sp<RawStateType>,
    /// The state after this one (default: the branch ends here); not on a `choice`.
    pub next: Option<Sp<String>>,
    /// On failure (after the task's retries), go to this state instead of failing.
    pub catch: Option<Sp<String>>,
    /// Task: the operation called (`module.op`, `datastore.op` or `external.op`).
    pub op: Option<Sp<String>>,
    /// Task: caller-side timeout of each attempt.
    pub timeout: Option<Duration>,
    /// Task: the call's retry policy (`{}` = the defaults).
    pub retry: Option<RawRetry>,
    /// Choice: `[ { p, next }, ... ]`, probabilities summing to at most 1.
    pub choices: Option<Vec<Sp<RawChoice>>>,
    /// Choice: where the remaining probability goes (required when the `p` sum to less than
    /// 1).
    pub default: Option<Sp<String>>,
    /// Parallel: the first state of each branch.
    pub branches: Option<Sp<Vec<Sp<String>>>>,
    /// Map: the number of items, an integer or a distribution table whose values are plain
    /// numbers (e.g. `{ dist = "uniform", min = 1, max = 20 }`); each draw is rounded.
    pub items: Option<ItemCount>,
    /// Map: most iterations at once (1 to 10,000; default 40, the Step Functions inline map's
    /// documented concurrency limit).
    pub concurrency: Option<Int>,
    /// Map: the first state of an iteration.
    pub iterator: Option<Sp<String>>,
    /// Wait: its duration (a duration, or a distribution of durations for "until an event").
    pub duration: Option<DistSpec>,
}

/// One branch of a choice.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    /// Probability this branch is taken (0 to 1).
    pub p: Num,
    /// The state it goes to.
    pub next: Sp<String>,
}

value_wrapper!(
    /// A number of items: an integer ≥ 0, or a distribution table whose values are plain
    /// numbers (e.g. `{ dist = "uniform", min = 1, max = 20 }`).
    ItemCount, "ItemCount", |_g| json_schema!({
        "anyOf": [
            { "type": "integer", "minimum": 0 },
            { "type": "object", "required": ["dist"] }
        ]
    })
);
