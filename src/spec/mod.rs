//! The vocabulary of the file format, shared by the scenario and by every component's own
//! configuration: units (durations, sizes, distributions), the raw spanned value types, the
//! located diagnostics and the checks that produce them, the limits of values, and the names
//! and ids a component's resolver looks its references up in.

pub mod check;
pub mod error;
pub mod instances;
pub mod limits;
pub(crate) mod locate;
pub mod names;
pub mod prices;
pub mod raw;
pub mod slo;
pub mod units;

pub use error::{Diagnostic, Diagnostics, ScenarioError};
