//! Number formats shared by the text renderings.

pub use crate::spec::units::fmt_secs;
