//! The work guard: a request whose estimated number of events is above the limit is refused
//! before it starts, with a message saying how large it is and what to change.
//!
//! The estimate is the compiled model's ([`Model::estimated_events`]): arrivals times the
//! events per request of every entry, for every selected variant and replication. The default
//! limit, [`DEFAULT_MAX_EVENTS`], is a few minutes of work per core at the engine's 8–18 M
//! events/s; the CLI raises it with `--max-events`, the desktop app passes the default.

use crate::model::Model;
use crate::scenario::Scenario;

use super::error::{AppError, AppResult};

/// Default limit on the estimated events of a request \[events\] (2·10⁹).
pub const DEFAULT_MAX_EVENTS: f64 = 2e9;

/// Events per second and core assumed when the message says how long a refused request would
/// take \[1/s\].
const EVENTS_PER_S: f64 = 8e6;

/// Checks a limit given by the user: a positive, finite number of events.
///
/// # Errors
/// [`AppError::InvalidParameter`] naming `--max-events`.
pub fn check_limit(max_events: f64) -> AppResult<f64> {
    if max_events > 0.0 && max_events.is_finite() {
        Ok(max_events)
    } else {
        Err(AppError::invalid(format!(
            "--max-events must be a positive number of events, found {max_events}"
        )))
    }
}

/// Estimated events of one replication of every variant in `variants`, the delivery
/// simulation included when `delivery` is set (a run simulates it with every variant).
///
/// # Complexity
/// Compiles every selected variant.
pub fn events_per_replication(s: &Scenario, variants: &[usize], delivery: bool) -> f64 {
    let org = if delivery {
        crate::org::delivery::estimated_events(s)
    } else {
        0.0
    };
    variants
        .iter()
        .map(|&v| Model::compile(s, v).estimated_events() + org)
        .sum()
}

/// Refuses a run of `replications` replications of `variants` above `max_events`.
///
/// # Errors
/// [`AppError::TooMuchWork`], naming `file`, the estimate, roughly how long it would take and
/// a limit that would admit it.
pub fn check_run(
    file: &str,
    s: &Scenario,
    variants: &[usize],
    replications: u32,
    max_events: f64,
) -> AppResult<()> {
    let events = events_per_replication(s, variants, true) * f64::from(replications.max(1));
    if events <= max_events {
        return Ok(());
    }
    unbounded(file, events, max_events)?;
    Err(AppError::TooMuchWork {
        events,
        limit: max_events,
        message: format!(
            "{file}: this run would process about {events:.2e} events (limit {max_events:.2e}), roughly {} at 8 M events/s per core; \
             shorten workload.duration, lower the rates or replications, or raise the limit with --max-events {:.1e}",
            human_duration(events / EVENTS_PER_S / cores()),
            round_up_2_digits(events * 1.1)
        ),
    })
}

/// Refuses a sweep, capacity search or right-sizing whose simulated settings (`settings` of
/// them, each `replications` replications of `variants` of `s`) exceed `max_events` each.
///
/// # Errors
/// [`AppError::TooMuchWork`].
pub fn check_settings(
    file: &str,
    s: &Scenario,
    variants: &[usize],
    replications: u32,
    settings: usize,
    max_events: f64,
) -> AppResult<()> {
    // Every setting runs the delivery simulation too, when there is one.
    let per = events_per_replication(s, variants, true) * f64::from(replications.max(1));
    let events = per * settings as f64;
    if events <= max_events * settings as f64 && per <= max_events {
        return Ok(());
    }
    unbounded(file, events, max_events)?;
    Err(AppError::TooMuchWork {
        events,
        limit: max_events,
        message: format!(
            "{file}: one setting would process about {per:.2e} events (limit {max_events:.2e}), {settings} settings about {events:.2e}, roughly {} at 8 M events/s per core; \
             shorten workload.duration, lower the rates or replications, or raise the limit with --max-events",
            human_duration(events / EVENTS_PER_S / cores()),
        ),
    })
}

/// Refuses a delivery simulation of `variants` variants and `replications` replications
/// above `max_events` (or with a limit that is not a positive number).
///
/// # Errors
/// [`AppError::TooMuchWork`].
pub fn check_delivery(
    file: &str,
    s: &Scenario,
    variants: usize,
    replications: u32,
    max_events: f64,
) -> AppResult<()> {
    let events =
        crate::org::delivery::estimated_events(s) * variants as f64 * f64::from(replications);
    if max_events > 0.0 && max_events.is_finite() && events <= max_events {
        return Ok(());
    }
    Err(AppError::TooMuchWork {
        events,
        limit: max_events,
        message: format!(
            "{file}: this delivery simulation would process about {events:.2e} events (limit {max_events:.2e}); \
             raise delivery.change_interval, shorten delivery.duration or lower the replications, \
             or raise the limit with --max-events"
        ),
    })
}

/// Refuses an estimate without bound: messages that multiply around a publish cycle.
fn unbounded(file: &str, events: f64, max_events: f64) -> AppResult<()> {
    if events.is_finite() {
        return Ok(());
    }
    Err(AppError::TooMuchWork {
        events,
        limit: max_events,
        message: format!(
            "{file}: the estimated work has no bound: a queue's consumer publishes back to it \
             (directly or through the operations it calls) more than once per message it consumes, \
             so the messages never drain and multiply; publish back with a probability `p` below 1 \
             per message, or break the cycle"
        ),
    })
}

fn cores() -> f64 {
    rayon::current_num_threads().max(1) as f64
}

/// `x` rounded up to two significant digits (a limit to suggest that is surely enough).
fn round_up_2_digits(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let mag = 10f64.powf(x.log10().floor() - 1.0);
    (x / mag).ceil() * mag
}

/// A duration in seconds, minutes or hours.
fn human_duration(s: f64) -> String {
    if s < 120.0 {
        format!("{s:.0} s")
    } else if s < 7200.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::error::ErrorCode;

    const MM1: &str = r#"
name = "M/M/1"
replications = 2
[workload]
duration = "1000s"
[[workload.entries]]
name = "req"
op = "station.work"
arrival = { process = "poisson", rate = 0.5 }
[modules.station]
ops.work = { cpu = { dist = "exp", mean = "1s" } }
[[variants]]
name = "single"
[[variants.units]]
name = "station"
modules = ["station"]
"#;

    #[test]
    fn a_run_above_the_limit_is_refused_with_a_limit_that_would_admit_it() {
        let s = crate::scenario::parse(MM1, "mm1.toml").expect("valid");
        let events = events_per_replication(&s, &[0], true) * 3.0;
        assert!(events > 0.0);
        let e = check_run("mm1.toml", &s, &[0], 3, events / 2.0).expect_err("too much");
        assert_eq!(e.code(), ErrorCode::TooMuchWork);
        assert!(e.is_bad_input());
        let m = e.to_string();
        assert!(
            m.starts_with("mm1.toml: this run would process about "),
            "{m}"
        );
        assert!(m.contains("raise the limit with --max-events "), "{m}");
        let suggested: f64 = m
            .rsplit("--max-events ")
            .next()
            .and_then(|x| x.parse().ok())
            .expect("a suggested limit");
        assert!(check_run("mm1.toml", &s, &[0], 3, suggested).is_ok());
        assert!(check_run("mm1.toml", &s, &[0], 3, DEFAULT_MAX_EVENTS).is_ok());
    }

    #[test]
    fn settings_and_limits() {
        let s = crate::scenario::parse(MM1, "mm1.toml").expect("valid");
        let per = events_per_replication(&s, &[0], true) * 2.0;
        assert!(check_settings("f", &s, &[0], 2, 5, per).is_ok());
        let e = check_settings("f", &s, &[0], 2, 5, per / 2.0).expect_err("too much");
        assert!(e.to_string().contains("5 settings"), "{e}");
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(
                check_limit(bad).expect_err("bad").code(),
                ErrorCode::InvalidParameter
            );
        }
        assert_eq!(round_up_2_digits(123_456.0), 130_000.0);
        assert_eq!(human_duration(90.0), "90 s");
        assert_eq!(human_duration(600.0), "10 min");
    }
}
