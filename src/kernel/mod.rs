//! The discrete-event core: simulated time, the event queue, the request arena and the random
//! streams. It knows nothing of services, units or requests' meaning.
//!
//! # Ordering contract
//!
//! Every event is scheduled at an integer nanosecond ([`SimTime`]) and stamped with a sequence
//! number drawn from one counter per simulation, incremented on every `push`. Events run in
//! increasing `(time, sequence)` order. Consequently:
//!
//! - two events at different instants run in time order;
//! - two events at the same instant run in the order they were *scheduled* (FIFO), whatever their
//!   kind — an arrival scheduled before a completion at the same nanosecond runs first;
//! - an event scheduled *for the current instant* while handling another runs after every event
//!   already queued for that instant.
//!
//! Because time is an integer and the tie-break is a counter, a run is a pure function of the
//! scenario and the seed: replays are bit-identical on any machine and any thread count.
//! Both queue implementations ([`BinaryHeapQueue`], [`RadixQueue`]) honour this contract exactly;
//! the engine uses [`DefaultQueue`], the faster of the two on our benchmarks
//! (`cargo bench --bench engine -- queue`).

mod arena;
pub mod dist;
mod queue;
mod rng;
mod time;

pub use arena::{Arena, Id};
pub use queue::{BinaryHeapQueue, DefaultQueue, EventQueue, RadixQueue};
pub use rng::{Rng64, StreamSeeder};
pub use time::{rate_rounding, SimTime, MAX_SPAN_NS, MIN_RATE};
