//! The scenario file format: raw serde types, units, validation with located errors, and the
//! JSON Schema export.

mod types;
pub use types::*;
