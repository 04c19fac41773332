//! The API gateway's bill: a price per million requests, by product.

use super::spec::GatewayApi;
use crate::spec::prices::{CostLine, Prices};

/// The line `gateway`: `requests` entry requests at the price per million of product `api`
/// (`gateway_http_per_million` or `gateway_rest_per_million`).
pub fn line(api: GatewayApi, requests: u64, p: &Prices) -> CostLine {
    let per_million = match api {
        GatewayApi::Http => p.gateway_http_per_million,
        GatewayApi::Rest => p.gateway_rest_per_million,
    };
    CostLine {
        name: "gateway".into(),
        window_usd: requests as f64 * per_million / 1e6,
    }
}
