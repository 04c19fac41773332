//! The raw cache tables: `[[variants.caches]]`, the variant's `cdn` and the key popularity of a
//! TTL cache, as the file says them (their doc comments are the JSON Schema's descriptions).
//! A gateway route's `cache` is the gateway's (`crate::components::gateway::raw`).

use std::borrow::Cow;
use std::ops::Range;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;

use crate::spec::raw::{value_wrapper, DistSpec, Duration, Int, Num, Size, Sp};

value_wrapper!(
    /// Key popularity of a TTL cache: `"uniform"` or `{ zipf = s }`.
    Popularity, "Popularity", |_g| json_schema!({
        "anyOf": [
            { "const": "uniform" },
            {
                "type": "object",
                "properties": { "zipf": { "type": "number", "exclusiveMinimum": 0, "maximum": 10 } },
                "required": ["zipf"],
                "additionalProperties": false
            }
        ],
        "description": "Key popularity: \"uniform\" or { zipf = s } (Zipf exponent s in (0, 10])."
    })
);

/// `[[variants.caches]]`: a cache node (Redis-like) in front of data-store reads.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCache {
    /// Unique name among the variant's nodes.
    pub name: Sp<String>,
    /// Data stores whose `kind = "read"` operations it caches (at least one).
    pub stores: Sp<Vec<Sp<String>>>,
    /// Fraction of reads answered by the cache (0 to 1, required unless `ttl` is given).
    pub hit_ratio: Option<Num>,
    /// Time-to-live cache simulated per key instead of a fixed hit ratio.
    pub ttl: Option<Duration>,
    /// TTL cache: number of distinct keys (1 to 1000000, default 1000).
    pub keys: Option<Int>,
    /// TTL cache: key popularity, `"uniform"` (default) or `{ zipf = s }`.
    pub popularity: Option<Popularity>,
    /// Time of a cache lookup (a distribution of durations, default `"200us"`).
    pub latency: Option<DistSpec>,
    /// The `[[variants.hosts]]` the cache server runs on (a self-hosted Redis or Memcached,
    /// billed as part of the host; default none: a managed cache node of its own).
    pub host: Option<Sp<String>>,
    /// Memory of the cache server on its host (a size, required with `host`).
    pub memory: Option<Size>,
}

/// `cdn = { entries = [...], hit_ratio, latency }` on a variant.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCdn {
    /// Entries served through the CDN (at least one).
    pub entries: Sp<Vec<Sp<String>>>,
    /// Fraction of requests answered at the edge (0 to 1, required).
    pub hit_ratio: Num,
    /// Edge latency of a request (a distribution of durations, default `"5ms"`).
    pub latency: Option<DistSpec>,
}
