//! archsim — an architecture simulator and capacity planner.
#![warn(missing_docs)]

pub mod dist;
pub mod scenario;
