//! The commands the front end invokes. Each one delegates to the `archsim` library.

pub mod export;
pub mod plan;
pub mod run;
pub mod scenario;
