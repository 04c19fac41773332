//! The API gateway: a plain gateway is a per-request overhead and a network hop in front of
//! every entry request; the gateway as a node (replicas, cores, auth, route caches, rate limit,
//! hosted modules) is compiled into an ordinary node of the model with the cache and rate-limit
//! components on it.

mod sim;
pub use sim::*;
