//! `[[variants.caches]]`, the variant's `cdn` and the keys of any cache (a cache node's or a
//! gateway route's) → [`CacheNode`], [`Cdn`] and [`CacheSpec`].

use std::ops::Range;

use super::raw::{Popularity, RawCache, RawCdn};
use super::spec::{CacheNode, Cdn};
use super::CacheSpec;
use crate::spec::check::{check_name, dur_positive, int, latency, num};
use crate::spec::error::Sink;
use crate::spec::names::{DbId, NameList};
use crate::spec::raw::{Duration, Int, Num, Sp};
use crate::spec::units::{describe, number_from_value};

/// Most keys of a TTL cache.
const MAX_KEYS: i64 = 1_000_000;
/// Default number of keys of a TTL cache.
const DEFAULT_KEYS: i64 = 1000;

/// The keys of a cache spec (shared by cache nodes and gateway routes).
#[derive(Clone, Copy)]
pub(crate) struct CacheKeys<'a> {
    /// `hit_ratio`.
    pub hit_ratio: Option<&'a Num>,
    /// `ttl`.
    pub ttl: Option<&'a Duration>,
    /// `keys`.
    pub keys: Option<&'a Int>,
    /// `popularity`.
    pub popularity: Option<&'a Popularity>,
}

/// The hit decision of a cache at field path `f` (`span`: the cache's table): a fixed
/// `hit_ratio` or a `ttl` cache simulated per key, exactly one of them.
pub(crate) fn cache_spec(
    s: &mut Sink<'_>,
    f: &str,
    span: Range<usize>,
    k: CacheKeys<'_>,
) -> Option<CacheSpec> {
    match (k.hit_ratio, k.ttl) {
        (Some(_), Some(t)) => {
            s.error(
                t.span(),
                format!("{f}.ttl"),
                "give either `hit_ratio` or `ttl`, not both",
                Some(
                    "`hit_ratio` fixes the fraction of hits; `ttl` simulates the cache per key"
                        .into(),
                ),
            );
            None
        }
        (Some(h), None) => {
            for (key, present) in [
                ("keys", k.keys.is_some()),
                ("popularity", k.popularity.is_some()),
            ] {
                if present {
                    s.error(
                        h.span(),
                        format!("{f}.{key}"),
                        format!("`{key}` applies to a `ttl` cache, not to a `hit_ratio` one"),
                        None,
                    );
                }
            }
            num(
                s,
                h,
                &format!("{f}.hit_ratio"),
                (0.0, true),
                1.0,
                "fraction of lookups answered by the cache",
            )
            .map(CacheSpec::Ratio)
        }
        (None, Some(t)) => {
            let ttl = dur_positive(s, t, &format!("{f}.ttl"), "the time to live")?;
            let keys = k
                .keys
                .map(|x| int(s, x, &format!("{f}.keys"), 1, MAX_KEYS, "distinct keys"))
                .unwrap_or(Some(DEFAULT_KEYS))? as u32;
            let zipf = match k.popularity {
                None => None,
                Some(p) => popularity(s, p, &format!("{f}.popularity"))?,
            };
            Some(CacheSpec::Ttl { ttl, keys, zipf })
        }
        (None, None) => {
            s.error(
                span,
                f,
                "a cache needs `hit_ratio` (a fixed fraction of hits) or `ttl` (simulated per key)",
                Some("e.g. hit_ratio = 0.8, or ttl = \"30s\", keys = 1000".into()),
            );
            None
        }
    }
}

/// `"uniform"` → `Some(None)`, `{ zipf = s }` → `Some(Some(s))`.
fn popularity(s: &mut Sink<'_>, p: &Popularity, f: &str) -> Option<Option<f64>> {
    let help = Some("popularity = \"uniform\" or popularity = { zipf = 1.1 }".to_string());
    match p.value() {
        toml::Value::String(x) if x == "uniform" => Some(None),
        toml::Value::Table(t) if t.len() == 1 && t.contains_key("zipf") => {
            match number_from_value(&t["zipf"]).filter(|x| x.is_finite()) {
                Some(z) if z > 0.0 && z <= 10.0 => Some(Some(z)),
                _ => {
                    s.error(
                        p.span(),
                        format!("{f}.zipf"),
                        format!(
                            "the Zipf exponent must be a number in (0, 10], found {}",
                            describe(&t["zipf"])
                        ),
                        None,
                    );
                    None
                }
            }
        }
        other => {
            s.error(
                p.span(),
                f,
                format!("unknown key popularity: {}", describe(other)),
                help,
            );
            None
        }
    }
}

/// What the cache nodes of a variant refer to.
pub(crate) struct CacheScope<'a> {
    /// The variant's field path, e.g. `variants[0]`.
    pub vf: &'a str,
    /// The variant's name.
    pub variant: &'a str,
    /// Data stores, by id.
    pub stores: &'a NameList<'a>,
    /// The database of each data store in the variant, if deployed.
    pub store_db: &'a [Option<DbId>],
}

/// The cache nodes of a variant; each name is added to `taken`, the names of the variant's
/// nodes, which it must not repeat.
pub(crate) fn caches(
    s: &mut Sink<'_>,
    raw: &[Sp<RawCache>],
    cx: &CacheScope<'_>,
    taken: &mut Vec<String>,
) -> Vec<CacheNode> {
    let mut out = Vec::new();
    let mut cached: Vec<bool> = vec![false; cx.stores.names().len()];
    for (ci, rc) in raw.iter().enumerate() {
        let cf = format!("{}.caches[{ci}]", cx.vf);
        let c = rc.get();
        check_name(s, &c.name, &format!("{cf}.name"), "cache");
        let name = c.name.get().clone();
        if taken.contains(&name) {
            s.error(
                c.name.span(),
                format!("{cf}.name"),
                format!(
                    "`{name}` is already the name of a node of variant `{}`",
                    cx.variant
                ),
                Some("give every unit, database, load balancer and cache its own name".into()),
            );
        }
        let stores = cached_stores(s, c, &cf, cx, &mut cached);
        let spec = cache_spec(
            s,
            &cf,
            rc.span(),
            CacheKeys {
                hit_ratio: c.hit_ratio.as_ref(),
                ttl: c.ttl.as_ref(),
                keys: c.keys.as_ref(),
                popularity: c.popularity.as_ref(),
            },
        );
        // A Redis/ElastiCache GET inside a zone: sub-millisecond.
        let latency = latency(s, c.latency.as_ref(), &cf, 200e3);
        taken.push(name.clone());
        if let Some(spec) = spec {
            out.push(CacheNode {
                name,
                stores,
                spec,
                latency,
                host: None,
            });
        }
    }
    out
}

/// The `stores` of cache `c` (field path `cf`): known, deployed, and behind no other cache
/// (`cached`, by store).
fn cached_stores(
    s: &mut Sink<'_>,
    c: &RawCache,
    cf: &str,
    cx: &CacheScope<'_>,
    cached: &mut [bool],
) -> Vec<usize> {
    let mut stores = Vec::new();
    for (k, st) in c.stores.get().iter().enumerate() {
        let f = format!("{cf}.stores[{k}]");
        match cx.stores.id(st.get()) {
            Some(i) if cached[i] => s.error(
                st.span(),
                f,
                format!("data store `{}` is already behind another cache", st.get()),
                None,
            ),
            Some(i) if cx.store_db[i].is_none() => s.error(
                st.span(),
                f,
                format!(
                    "data store `{}` is on no database of variant `{}`",
                    st.get(),
                    cx.variant
                ),
                Some("a cache fronts the reads of a deployed data store".into()),
            ),
            Some(i) => {
                cached[i] = true;
                stores.push(i);
            }
            None => s.error(
                st.span(),
                f,
                format!("unknown data store `{}`", st.get()),
                Some(cx.stores.suggest(st.get(), "data stores")),
            ),
        }
    }
    if c.stores.get().is_empty() {
        s.error(
            c.stores.span(),
            format!("{cf}.stores"),
            "a cache needs at least one data store",
            None,
        );
    }
    stores
}

/// The CDN of a variant (field path `vf`) in front of some of the workload's `entries`.
pub(crate) fn cdn(
    s: &mut Sink<'_>,
    rc: &Sp<RawCdn>,
    vf: &str,
    entry_names: &NameList<'_>,
) -> Option<Cdn> {
    let cf = format!("{vf}.cdn");
    let c = rc.get();
    let mut entries = Vec::new();
    for (k, e) in c.entries.get().iter().enumerate() {
        match entry_names.id(e.get()) {
            Some(i) if !entries.contains(&i) => entries.push(i),
            Some(_) => s.error(
                e.span(),
                format!("{cf}.entries[{k}]"),
                format!("entry `{}` is listed twice", e.get()),
                None,
            ),
            None => s.error(
                e.span(),
                format!("{cf}.entries[{k}]"),
                format!("unknown entry `{}`", e.get()),
                Some(entry_names.suggest(e.get(), "entries")),
            ),
        }
    }
    if c.entries.get().is_empty() {
        s.error(
            c.entries.span(),
            format!("{cf}.entries"),
            "a CDN needs at least one entry",
            None,
        );
    }
    let hit = num(
        s,
        &c.hit_ratio,
        &format!("{cf}.hit_ratio"),
        (0.0, true),
        1.0,
        "fraction of requests answered at the edge",
    );
    // An edge location near the client: a few milliseconds.
    let latency = latency(s, c.latency.as_ref(), &cf, 5e6);
    hit.map(|hit_ratio| Cdn {
        entries,
        hit_ratio,
        latency,
    })
}
