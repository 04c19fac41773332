//! The raw `[[variants.hosts]]` table, as the file says it (its doc comments are the JSON
//! Schema's descriptions). A unit's `host`, `hosts`, `cpu_limit` and `zones` and a database's
//! `zone` and `read_replicas` are keys of the scenario's unit and database tables, handed to
//! the resolver as `resolve::UnitKeys` and `resolve::DbKeys`.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::raw::{Num, Size, Sp};

/// `[[variants.hosts]]`: a machine whose cores the instances placed on it share.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHost {
    /// Unique name within the variant.
    pub name: Sp<String>,
    /// Cores (> 0, ≤ 4096, required).
    pub cores: Num,
    /// Memory (a size; default: not checked). The instances placed on it must fit.
    pub memory: Option<Size>,
    /// Zone (availability zone) of the host (a name; default none).
    pub zone: Option<Sp<String>>,
}
