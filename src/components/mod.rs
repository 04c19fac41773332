//! Components of the deployed system, one per file. Each owns its state and statistics; the
//! engine wires them to the kernel.

pub mod autoscaler;
pub mod front;
pub mod function;
pub mod lb;
pub mod pool;
pub mod queue;
pub mod station;
