//! Demands from measured CPU utilization: the service demand law.
//!
//! A span's own time includes waiting for a core, for locks and for garbage collection, so it
//! overestimates the CPU demand under load. With the CPU a service used over the traces'
//! window, `B` core-seconds per second (the rate of a cgroup's `cpu.usage`, Prometheus'
//! `rate(container_cpu_usage_seconds_total[…])` summed over the service's instances), the
//! service demand law gives the demand per request `D = U / X`. Split across the service's
//! operations in proportion to the CPU their own times account for, operation `o` with
//! throughput `X_o` and mean own time `S_o` gets
//!
//! `D_o = B · S_o / Σ_k (S_k · X_k)`
//!
//! so that `Σ_o D_o · X_o = B` (the demands account for exactly the CPU measured) and the
//! ratios between a service's operations are those of their own times.

use super::error::DiscoverError;
use super::graph::{Observed, OpKey};
use super::report::Report;
use std::collections::BTreeMap;

/// Reads a utilization file, by its content: OpenTelemetry metrics JSON (a document with
/// `resourceMetrics`, see [`super::otel_metrics`]) or the CSV of [`parse_csv`].
///
/// # Errors
/// As [`parse_csv`] and [`super::otel_metrics::parse_otel_json`].
pub fn parse(text: &str, file: &str) -> Result<BTreeMap<String, f64>, DiscoverError> {
    if super::otel_metrics::is_otel_json(text) {
        super::otel_metrics::parse_otel_json(text, file)
    } else {
        parse_csv(text, file)
    }
}

/// Reads a utilization CSV: a header `service,cpu_seconds_per_second`, then one line per
/// service (`#` comments and blank lines skipped).
///
/// # Errors
/// [`DiscoverError::At`] naming the line of a bad header, a missing field, a value that is not
/// a finite number ≥ 0, or a service given twice.
pub fn parse_csv(text: &str, file: &str) -> Result<BTreeMap<String, f64>, DiscoverError> {
    let at = |line: usize, msg: String| DiscoverError::At {
        file: file.into(),
        line,
        column: 0,
        msg,
    };
    let mut out = BTreeMap::new();
    let mut header = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if !header {
            if cells != ["service", "cpu_seconds_per_second"] {
                return Err(at(
                    i + 1,
                    format!("expected the header `service,cpu_seconds_per_second`, found `{line}`"),
                ));
            }
            header = true;
            continue;
        }
        if cells.len() != 2 || cells[0].is_empty() {
            return Err(at(
                i + 1,
                format!("expected `SERVICE,CORE_SECONDS_PER_SECOND`, found `{line}`"),
            ));
        }
        let v: f64 = cells[1].parse().map_err(|_| {
            at(
                i + 1,
                format!(
                    "field `cpu_seconds_per_second`: expected a number ≥ 0, found `{}`",
                    cells[1]
                ),
            )
        })?;
        if !v.is_finite() || v < 0.0 {
            return Err(at(
                i + 1,
                format!("field `cpu_seconds_per_second`: expected a number ≥ 0, found {v}"),
            ));
        }
        if out.insert(cells[0].to_string(), v).is_some() {
            return Err(at(i + 1, format!("service `{}` given twice", cells[0])));
        }
    }
    if !header {
        return Err(DiscoverError::Format {
            file: file.into(),
            msg: "empty: expected the header `service,cpu_seconds_per_second` and one line per \
                  service"
                .into(),
        });
    }
    Ok(out)
}

/// The demand law's demand per operation of every service with a measured utilization.
///
/// # Errors
/// None today; typed for the utilization checks to come.
pub fn demands(
    o: &Observed,
    util: &BTreeMap<String, f64>,
    r: &mut Report,
) -> Result<BTreeMap<OpKey, f64>, DiscoverError> {
    let mut out = BTreeMap::new();
    if util.is_empty() {
        return Ok(out);
    }
    let window = ((o.window.1 - o.window.0).max(0) as f64) * 1e-9;
    for (svc, &busy) in util {
        let ops: Vec<(&OpKey, f64, f64)> = o
            .ops
            .iter()
            .filter(|(k, _)| &k.service == svc)
            .map(|(k, ob)| {
                let mean = ob.self_times.iter().sum::<f64>() / ob.self_times.len().max(1) as f64;
                (
                    k,
                    mean,
                    ob.invocations as f64 / window.max(f64::MIN_POSITIVE),
                )
            })
            .collect();
        if ops.is_empty() {
            r.warnings.push(format!(
                "utilization of `{svc}` ignored: no operation of that service in the traces"
            ));
            continue;
        }
        let cpu: f64 = ops.iter().map(|(_, s, x)| s * x).sum();
        if cpu.is_nan() || cpu <= 0.0 || window <= 0.0 {
            r.warnings.push(format!(
                "utilization of `{svc}` ignored: its operations have no own time or the window \
                 is empty, so the demand cannot be split"
            ));
            continue;
        }
        for (k, s, _) in ops {
            out.insert(k.clone(), busy * s / cpu);
        }
    }
    let missing: Vec<&String> = o
        .ops
        .keys()
        .map(|k| &k.service)
        .filter(|s| !util.contains_key(*s))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for s in missing {
        r.assumptions.push(format!(
            "service `{s}`: no utilization given, its demands are its own times"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::graph::OpObs;

    #[test]
    fn the_measured_cpu_splits_in_proportion_to_own_times() {
        // One service, two operations, 10 invocations each over 10 s (X = 1/s each), own times
        // 2 ms and 6 ms (8 ms of CPU per second by the traces). Measured: 4 ms per second.
        // D_a = 0.004 · 0.002 / 0.008 = 1 ms, D_b = 3 ms; and D_a·X_a + D_b·X_b = 0.004.
        let mut o = Observed {
            window: (0, 10_000_000_000),
            ..Default::default()
        };
        for (name, t) in [("a", 0.002), ("b", 0.006)] {
            o.ops.insert(
                OpKey {
                    service: "s".into(),
                    name: name.into(),
                },
                OpObs {
                    invocations: 10,
                    self_times: vec![t; 10],
                    ..Default::default()
                },
            );
        }
        let util = BTreeMap::from([("s".to_string(), 0.004)]);
        let mut r = Report::default();
        let d = demands(&o, &util, &mut r).expect("demands");
        let got: Vec<f64> = d.values().copied().collect();
        assert!(
            (got[0] - 0.001).abs() < 1e-15 && (got[1] - 0.003).abs() < 1e-15,
            "{got:?}"
        );
        assert!(r.warnings.is_empty() && r.assumptions.is_empty());
    }
}
