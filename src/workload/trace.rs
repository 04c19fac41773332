//! Trace files: recorded arrivals replayed as an entry's arrival process.
//!
//! A trace is a CSV file whose first line (after blank lines and `#` comments) is a header
//! that says which of two forms it has:
//!
//! - `timestamp`: one column, each row an arrival instant in seconds from the start of the run
//!   (warm-up included), non-decreasing. Replayed exactly (rounded to the nanosecond).
//! - `interval,rate`: each row the start of an interval in seconds from the start of the run
//!   (strictly increasing) and the arrival rate during it \[1/s\] (≥ 0); an interval lasts
//!   until the next row's start, the last one until the end of the run; the rate is 0 before
//!   the first row. This becomes a step profile (Poisson or constant arrivals).

use super::RateProfile;

/// A parsed trace.
#[derive(Debug, Clone, PartialEq)]
pub enum Trace {
    /// Arrival instants \[ns\], non-decreasing.
    Timestamps(Vec<u64>),
    /// A step profile from `interval,rate` rows.
    Rates(RateProfile),
}

/// A problem in a trace file, at a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong and what is expected.
    pub message: String,
}

/// Longest trace accepted (rows), a guard against reading a huge file by mistake.
pub const MAX_ROWS: usize = 50_000_000;

fn err(line: usize, message: impl Into<String>) -> TraceError {
    TraceError {
        line,
        message: message.into(),
    }
}

fn seconds(field: &str, line: usize, what: &str) -> Result<f64, TraceError> {
    let x: f64 = field.trim().parse().map_err(|_| {
        err(
            line,
            format!(
                "{what}: expected a number of seconds, found `{}`",
                field.trim()
            ),
        )
    })?;
    if !x.is_finite() || x < 0.0 {
        return Err(err(
            line,
            format!("{what} must be a finite number ≥ 0, found {x}"),
        ));
    }
    if x * 1e9 > crate::kernel::MAX_SPAN_NS {
        return Err(err(
            line,
            format!("{what} {x} s is beyond the 10-year limit"),
        ));
    }
    Ok(x)
}

/// Parses the text of a trace file; errors name the line.
pub fn parse(text: &str) -> Result<Trace, Vec<TraceError>> {
    let mut rows = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let Some((hline, header)) = rows.next() else {
        return Err(vec![err(
            1,
            "empty trace: expected a header line `timestamp` or `interval,rate`",
        )]);
    };
    let cols: Vec<String> = header
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    let mut errors = Vec::new();
    match cols.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["timestamp"] => {
            let mut out = Vec::new();
            let mut last = 0u64;
            for (line, row) in rows {
                if out.len() >= MAX_ROWS {
                    errors.push(err(line, format!("more than {MAX_ROWS} rows")));
                    break;
                }
                if row.contains(',') {
                    errors.push(err(line, "expected one column (a timestamp in seconds)"));
                    continue;
                }
                match seconds(row, line, "timestamp") {
                    Ok(x) => {
                        let ns = (x * 1e9).round() as u64;
                        if ns < last {
                            errors.push(err(
                                line,
                                format!(
                                    "timestamps must be non-decreasing: {x} s comes after {} s",
                                    last as f64 / 1e9
                                ),
                            ));
                        } else {
                            last = ns;
                            out.push(ns);
                        }
                    }
                    Err(e) => errors.push(e),
                }
                if errors.len() >= 20 {
                    break;
                }
            }
            if errors.is_empty() && out.is_empty() {
                errors.push(err(hline, "the trace has a header but no timestamps"));
            }
            if errors.is_empty() {
                Ok(Trace::Timestamps(out))
            } else {
                Err(errors)
            }
        }
        ["interval", "rate"] => {
            let mut points: Vec<(f64, f64)> = Vec::new();
            for (line, row) in rows {
                if points.len() >= MAX_ROWS {
                    errors.push(err(line, format!("more than {MAX_ROWS} rows")));
                    break;
                }
                let f: Vec<&str> = row.split(',').collect();
                if f.len() != 2 {
                    errors.push(err(
                        line,
                        format!(
                            "expected two columns `interval,rate`, found {} column(s)",
                            f.len()
                        ),
                    ));
                    continue;
                }
                let start = seconds(f[0], line, "interval start");
                let rate = f[1].trim().parse::<f64>().map_err(|_| {
                    err(
                        line,
                        format!("rate: expected a number of arrivals per second, found `{}`", f[1].trim()),
                    )
                });
                match (start, rate) {
                    (Ok(t), Ok(r)) => {
                        if !r.is_finite() || !(0.0..=1e8).contains(&r) {
                            errors.push(err(line, format!("rate must be from 0 to 100000000 per second, found {r}")));
                        } else if let Some(m) = crate::kernel::rate_rounding(r) {
                            errors.push(err(line, format!("rate: {m}; write 0 for no arrivals")));
                        } else if points.last().is_some_and(|p| p.0 >= t) {
                            errors.push(err(
                                line,
                                format!(
                                    "interval starts must be strictly increasing: {t} s after {} s",
                                    points.last().map_or(0.0, |p| p.0)
                                ),
                            ));
                        } else {
                            points.push((t, r));
                        }
                    }
                    (a, b) => {
                        errors.extend(a.err());
                        errors.extend(b.err());
                    }
                }
                if errors.len() >= 20 {
                    break;
                }
            }
            if errors.is_empty() && points.is_empty() {
                errors.push(err(hline, "the trace has a header but no rows"));
            }
            if errors.is_empty() {
                Ok(Trace::Rates(RateProfile::steps(&points)))
            } else {
                Err(errors)
            }
        }
        _ => Err(vec![err(
            hline,
            format!(
                "unknown trace header `{header}`: expected `timestamp` (one arrival instant per row, in seconds) or `interval,rate` (interval start in seconds, arrivals per second)"
            ),
        )]),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn both_forms() {
        assert_eq!(
            parse("# recorded\ntimestamp\n0.5\n0.5\n1.25\n").unwrap(),
            Trace::Timestamps(vec![500_000_000, 500_000_000, 1_250_000_000])
        );
        let Trace::Rates(p) = parse("interval,rate\n0,10\n60,20\n").unwrap() else {
            panic!("rates expected")
        };
        assert!((p.cumulative(120.0) - 1800.0).abs() < 1e-9);
    }

    #[test]
    fn bad_rows_name_their_line() {
        let e = parse("timestamp\n1\nx\n0.5\n").unwrap_err();
        assert_eq!(e[0].line, 3);
        assert!(e[0].message.contains("`x`"));
        assert_eq!(e[1].line, 4);
        assert!(e[1].message.contains("non-decreasing"));
        let e = parse("interval,rate\n0,1\n0,2\n5\n").unwrap_err();
        assert_eq!((e[0].line, e[1].line), (3, 4));
        let e = parse("when,what\n").unwrap_err();
        assert!(e[0].message.contains("unknown trace header"));
    }
}
