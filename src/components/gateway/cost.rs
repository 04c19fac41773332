//! The API gateway's bill when it is a managed product: a price per million requests. A
//! self-hosted gateway is billed as its instances, with the units (`crate::cost::platforms`).

use super::spec::GatewayProduct;
use crate::spec::prices::{CostLine, Prices, ResourceKind};

/// The line `gateway/gateway` of a managed product: `requests` entry requests at its price per
/// million (`gateway_http_per_million` or `gateway_rest_per_million`); `None` for a
/// self-hosted gateway.
pub fn line(product: GatewayProduct, requests: u64, p: &Prices) -> Option<CostLine> {
    let per_million = match product {
        GatewayProduct::SelfHosted => return None,
        GatewayProduct::AwsHttpApi => p.gateway_http_per_million,
        GatewayProduct::AwsRestApi => p.gateway_rest_per_million,
    };
    Some(CostLine {
        kind: ResourceKind::Gateway,
        name: "gateway".into(),
        window_usd: requests as f64 * per_million / 1e6,
    })
}
