//! Validation shared by every request: replication and thread counts, a precision, the
//! variants selected by name. Messages name the option as the CLI spells it (`--replications`);
//! the desktop app's fields say which option they set.

use crate::runner::precision;
use crate::scenario::Scenario;

use super::error::{AppError, AppResult};

/// A replication count, when given, is at least 1.
///
/// # Errors
/// [`AppError::InvalidParameter`].
pub fn replications(r: Option<u32>) -> AppResult<()> {
    if r == Some(0) {
        return Err(AppError::invalid("--replications must be at least 1"));
    }
    Ok(())
}

/// A thread count, when given, is at least 1.
///
/// # Errors
/// [`AppError::InvalidParameter`].
pub fn threads(t: Option<usize>) -> AppResult<()> {
    if t == Some(0) {
        return Err(AppError::invalid("--threads must be at least 1"));
    }
    Ok(())
}

/// Parses a precision target (`2%` or `0.02`, strictly between 0 and 1).
///
/// # Errors
/// [`AppError::InvalidParameter`] saying what is expected.
pub fn precision(text: &str) -> AppResult<f64> {
    precision::parse_fraction(text, "--precision").map_err(AppError::InvalidParameter)
}

/// The options every simulating request shares: replications, threads and the work limit
/// (default [`super::guard::DEFAULT_MAX_EVENTS`]), checked in that order. Returns the limit.
///
/// # Errors
/// [`AppError::InvalidParameter`].
pub fn common(
    replications: Option<u32>,
    threads: Option<usize>,
    max_events: Option<f64>,
) -> AppResult<f64> {
    self::replications(replications)?;
    self::threads(threads)?;
    super::guard::check_limit(max_events.unwrap_or(super::guard::DEFAULT_MAX_EVENTS))
}

/// The scenario's indices of the variants named (every variant when none is), in the order
/// named.
///
/// # Errors
/// [`AppError::InvalidParameter`] for a name that is no variant, listing the variants.
pub fn select_variants(s: &Scenario, names: &[String]) -> AppResult<Vec<usize>> {
    if names.is_empty() {
        return Ok((0..s.variants.len()).collect());
    }
    names
        .iter()
        .map(|name| {
            s.variants
                .iter()
                .position(|v| &v.name == name)
                .ok_or_else(|| {
                    AppError::invalid(format!(
                        "no variant named `{name}`; the scenario has: {}",
                        s.variants
                            .iter()
                            .map(|v| v.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })
        })
        .collect()
}

/// The names of the variants at `indices`.
pub fn variant_names(s: &Scenario, indices: &[usize]) -> Vec<String> {
    indices
        .iter()
        .map(|&v| s.variants[v].name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::error::ErrorCode;

    const TWO: &str = r#"
name = "two"
[workload]
duration = "10s"
[[workload.entries]]
name = "req"
op = "a.x"
arrival = { process = "poisson", rate = 1 }
[modules.a]
ops.x = { cpu = "1ms" }
[[variants]]
name = "mono"
[[variants.units]]
name = "u"
modules = ["a"]
[[variants]]
name = "micro"
[[variants.units]]
name = "u"
modules = ["a"]
"#;

    #[test]
    fn variants_are_selected_by_name_in_the_order_named() {
        let s = crate::scenario::parse(TWO, "two.toml").expect("valid");
        assert_eq!(select_variants(&s, &[]).expect("all"), vec![0, 1]);
        let named = ["micro".to_string(), "mono".to_string()];
        assert_eq!(select_variants(&s, &named).expect("named"), vec![1, 0]);
        assert_eq!(variant_names(&s, &[1]), vec!["micro".to_string()]);
        let e = select_variants(&s, &["macro".into()]).expect_err("unknown");
        assert_eq!(e.code(), ErrorCode::InvalidParameter);
        assert_eq!(
            e.to_string(),
            "no variant named `macro`; the scenario has: mono, micro"
        );
    }

    #[test]
    fn counts_and_precisions_are_checked_with_the_option_named() {
        assert!(common(None, None, None).is_ok());
        assert_eq!(common(Some(3), Some(2), Some(1e6)).expect("ok"), 1e6);
        for (r, t, m, needle) in [
            (Some(0), None, None, "--replications must be at least 1"),
            (None, Some(0), None, "--threads must be at least 1"),
            (
                None,
                None,
                Some(0.0),
                "--max-events must be a positive number",
            ),
        ] {
            let e = common(r, t, m).expect_err(needle);
            assert_eq!(e.code(), ErrorCode::InvalidParameter);
            assert!(e.to_string().starts_with(needle), "{e}");
        }
        assert_eq!(precision("2%").expect("2%"), 0.02);
        for bad in ["200%", "2", "", "x"] {
            let e = precision(bad).expect_err(bad);
            assert_eq!(e.code(), ErrorCode::InvalidParameter);
            assert!(
                e.to_string()
                    .contains("expected a percentage between 0% and 100%"),
                "{e}"
            );
        }
    }
}
