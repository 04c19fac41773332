//! A serverless unit's keys → [`FunctionSpec`] and its configured memory. On a unit that is not
//! serverless, every one of them is reported.

use std::ops::Range;

use super::raw::RawRuntime;
use super::spec::{FunctionSpec, Runtime};
use crate::spec::check::{dist, dur, dur_positive, int, size};
use crate::spec::error::Sink;
use crate::spec::raw::{DistSpec, Duration, Int, Size, Sp};

/// The serverless keys of a unit.
#[derive(Clone, Copy)]
pub(crate) struct FunctionKeys<'a> {
    /// `runtime`.
    pub runtime: Option<&'a Sp<RawRuntime>>,
    /// `reserved_concurrency`.
    pub reserved_concurrency: Option<&'a Int>,
    /// `provisioned`.
    pub provisioned: Option<&'a Int>,
    /// `keep_alive`.
    pub keep_alive: Option<&'a Duration>,
    /// `max_duration`.
    pub max_duration: Option<&'a Duration>,
    /// `cold_start`.
    pub cold_start: Option<&'a DistSpec>,
    /// `burst_limit`.
    pub burst_limit: Option<&'a Int>,
    /// `burst_interval`.
    pub burst_interval: Option<&'a Duration>,
}

/// The configured memory of a unit's instances (`memory`, field path `uf`): serverless units
/// only, 128MB to 10240MB.
pub(crate) fn memory(s: &mut Sink<'_>, m: &Size, uf: &str, serverless: bool) -> Option<u64> {
    let f = format!("{uf}.memory");
    let bytes = size(s, m, &f)?;
    if !serverless {
        s.error(
            m.span(),
            &f,
            "`memory` is the configured memory of a serverless function; this unit is not serverless",
            Some("use `base_memory` for the runtime memory of a vm, container or kubernetes instance".into()),
        );
        return None;
    }
    // docs/sources.md, serverless "memory / CPU": 128–10,240 MB.
    if !(128_000_000..=10_240 * 1024 * 1024).contains(&bytes) {
        s.error(
            m.span(),
            &f,
            format!("serverless memory must be from 128MB to 10240MiB (the AWS Lambda range: 128·10⁶ to 10,240·2²⁰ bytes), found {bytes} bytes"),
            None,
        );
        return None;
    }
    Some(bytes)
}

/// The function settings of the unit at field path `uf` over the defaults.
pub(crate) fn function(
    s: &mut Sink<'_>,
    u: FunctionKeys<'_>,
    uf: &str,
    serverless: bool,
) -> FunctionSpec {
    // The keys apply to serverless units only.
    let sl = |k: &str, s: &mut Sink<'_>, span: Range<usize>| {
        if !serverless {
            s.error(
                span,
                format!("{uf}.{k}"),
                format!("`{k}` applies to serverless units only (platform = \"serverless\")"),
                None,
            );
        }
    };
    let mut function = FunctionSpec::default();
    if let Some(r) = u.runtime {
        sl("runtime", s, r.span());
        function.runtime = match *r.get() {
            RawRuntime::Node => Runtime::Node,
            RawRuntime::Python => Runtime::Python,
            RawRuntime::Go => Runtime::Go,
            RawRuntime::Rust => Runtime::Rust,
            RawRuntime::Java => Runtime::Java,
            RawRuntime::Dotnet => Runtime::Dotnet,
        };
        function.cold_start = function.runtime.cold_start();
    }
    if let Some(x) = u.reserved_concurrency {
        sl("reserved_concurrency", s, x.span());
        function.reserved = int(
            s,
            x,
            &format!("{uf}.reserved_concurrency"),
            0,
            1_000_000,
            "instances reserved",
        )
        .map(|x| x as u32);
    }
    if let Some(x) = u.provisioned {
        sl("provisioned", s, x.span());
        if let Some(p) = int(
            s,
            x,
            &format!("{uf}.provisioned"),
            0,
            1_000_000,
            "instances kept warm",
        ) {
            function.provisioned = p as u32;
        }
    }
    if let (Some(r), Some(x)) = (function.reserved, u.provisioned) {
        if function.provisioned > r {
            s.error(
                x.span(),
                format!("{uf}.provisioned"),
                format!("provisioned concurrency {} exceeds the function's reserved concurrency {r}", function.provisioned),
                Some("provisioned instances count against the function's concurrency limit: lower `provisioned` or raise `reserved_concurrency`".into()),
            );
        }
    }
    if let Some(x) = u.keep_alive {
        sl("keep_alive", s, x.span());
        if let Some(ns) = dur(s, x, &format!("{uf}.keep_alive")) {
            function.keep_alive = ns.round().max(0.0) as u64;
        }
    }
    if let Some(x) = u.max_duration {
        sl("max_duration", s, x.span());
        let f = format!("{uf}.max_duration");
        if let Some(ns) = dur_positive(s, x, &f, "the maximum duration") {
            // docs/sources.md serverless "timeout": max 900 s.
            if ns > 900_000_000_000 {
                s.error(
                    x.span(),
                    f,
                    "must be at most 900s (the AWS Lambda limit)",
                    Some(
                        "a longer job does not fit a function: run it on a container or vm unit"
                            .into(),
                    ),
                );
            } else {
                function.max_duration = ns;
            }
        }
    }
    if let Some(x) = u.cold_start {
        sl("cold_start", s, x.span());
        if let Some(d) = dist(s, x, &format!("{uf}.cold_start")) {
            function.cold_start = d;
        }
    }
    if let Some(x) = u.burst_limit {
        sl("burst_limit", s, x.span());
        if let Some(b) = int(
            s,
            x,
            &format!("{uf}.burst_limit"),
            1,
            1_000_000,
            "new instances in a burst",
        ) {
            function.burst_limit = b as u32;
        }
    }
    if let Some(x) = u.burst_interval {
        sl("burst_interval", s, x.span());
        if let Some(ns) = dur_positive(s, x, &format!("{uf}.burst_interval"), "the refill time") {
            function.burst_interval = ns;
        }
    }
    function
}
