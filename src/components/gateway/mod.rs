//! The API gateway: a plain gateway is a per-request overhead and a network hop in front of
//! every entry request; the gateway as a node (replicas, cores, auth, route caches, rate limit,
//! hosted modules) is compiled into an ordinary node of the model with the cache and rate-limit
//! components on it. It says what it is (`product`): a self-hosted fleet billed as its
//! instances, or a managed product priced per request, an HTTP or a REST API (see
//! `docs/cost.md` and `docs/semantics.md`, "The front door").
//!
//! # Configuration
//!
//! `gateway = { ... }` on a variant:
//! - `overhead` (default a log-normal of mean 730 µs, cv 0.3: docs/sources.md row
//!   *self-hosted gateway overhead*) and `product` (`"self_hosted"`, default, `"aws_http_api"`
//!   or `"aws_rest_api"`: rows *HTTP API price*, *REST API price*; the older `api = "http"` or
//!   `"rest"` names the managed ones);
//! - node keys (docs/sources.md row *gateway node*): `replicas` (default 1), `cores` (default
//!   unlimited: the overhead a pure delay), `workers` (default 1024: row *Envoy circuit-breaker
//!   limits*), `queue` (default unbounded), `memory` (per instance, billed when self-hosted),
//!   `auth = { cpu }` or `auth = { op }`, `rate_limit`
//!   (the rate limit component's), `routes = [{ entry, cache }]` (a route's cache resolved by
//!   the cache component), `modules` (modules hosted on the gateway, placed by the scenario
//!   with the units' modules).
//!
//! # Files
//!
//! - `raw.rs`: the TOML keys ([`raw::RawGateway`], [`raw::RawGatewayProduct`], [`raw::RawAuth`],
//!   [`raw::RawRoute`], [`raw::RawRouteCache`]).
//! - `spec.rs`: the validated [`spec::Gateway`], [`spec::GatewayProduct`] and
//!   [`spec::GatewayNode`].
//! - `resolve.rs`: raw → validated, with located diagnostics.
//! - `sim.rs`: the plain gateway in a replication ([`Gateway`]).
//! - `cost.rs`: a managed gateway's bill per request.
//! - `compile.rs`: a plain gateway as a delay and a hop, or a gateway node with its operations.
//! - `estimate.rs`: a plain gateway's delay on every entry request.

mod compile;
pub mod cost;
pub mod estimate;
pub mod raw;
pub(crate) mod resolve;
mod sim;
pub mod spec;

pub use compile::*;
pub use sim::*;
