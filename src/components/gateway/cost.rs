//! The API gateway's bill: a price per million requests.

use crate::spec::prices::CostLine;

/// The line `gateway`: `requests` entry requests at `per_million` dollars per million (the
/// price of the gateway's product, `gateway_http_per_million` or `gateway_rest_per_million`).
pub fn line(requests: u64, per_million: f64) -> CostLine {
    CostLine {
        name: "gateway".into(),
        window_usd: requests as f64 * per_million / 1e6,
    }
}
