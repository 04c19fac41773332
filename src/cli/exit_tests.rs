//! Exit statuses of the command line (README, "Exit codes"): each failure kind maps to its
//! status, and a run whose self-check found a violation ends with 1.

use super::*;

const MM1: &str = r#"name = "mm1"
replications = 2
[workload]
duration = "20s"
[[workload.entries]]
name = "req"
op = "station.work"
arrival = { process = "poisson", rate = 50 }
[modules.station]
ops.work = { cpu = "10ms" }
[[variants]]
name = "single"
[[variants.units]]
name = "station"
modules = ["station"]
"#;

#[test]
fn each_failure_kind_has_its_status() {
    assert_eq!(exit_status(&SelfCheckFailed.into()), exit::SELF_CHECK);
    assert_eq!(exit_status(&Interrupted.into()), exit::INTERRUPTED);
    assert_eq!(
        exit_status(&AppError::invalid("a typo").into()),
        exit::BAD_INPUT
    );
    assert_eq!(
        exit_status(&AppError::Io("disk full".into()).into()),
        exit::IO
    );
    let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
    assert_eq!(
        exit_status(&io_error("read", Path::new("nope.toml"), missing)),
        exit::BAD_INPUT
    );
    let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    assert_eq!(
        exit_status(&io_error("read", Path::new("secret.toml"), denied)),
        exit::IO
    );
    assert_eq!(
        [
            exit::SELF_CHECK,
            exit::BAD_INPUT,
            exit::IO,
            exit::INTERRUPTED
        ],
        [1, 2, 3, 130]
    );
}

/// A real run passes its self-check (exit 0); the same results with one violation end the
/// command with status 1 and the violation's text.
#[test]
fn a_violated_self_check_exits_1() {
    let s = scenario::parse(MM1, "mm1.toml").expect("valid");
    let results = runner::run(&s, &runner::RunOptions::default()).expect("runs");
    assert!(results.self_check.ok, "{:?}", results.self_check.violations);
    assert!(self_check_verdict(&results.self_check, true).is_ok());
    let mut broken = results.self_check.clone();
    broken.ok = false;
    broken
        .violations
        .push("single rep 0: Little's law off by 12%".into());
    for printed in [true, false] {
        let e = self_check_verdict(&broken, printed).expect_err("a violation fails the run");
        assert_eq!(exit_status(&e), 1);
        assert!(e.to_string().contains("self-check failed"), "{e}");
    }
}
