//! Price tables: one number per priced quantity, with defaults from `docs/sources.md` (each default
//! names its row; `docs/cost.md` lists them). Every price can be overridden in a scenario's
//! `[prices]` section.
//!
//! Also what applying a price gives: a line of a bill ([`CostLine`]), which the components
//! price their usage into and the bill (`crate::cost`) is made of, and the billing month
//! ([`HOURS_PER_MONTH`]).

/// Every price archsim uses, in US dollars.
#[derive(Debug, Clone, PartialEq)]
pub struct Prices {
    /// `vm_vcpu_hour`: VM price per vCPU-hour \[$\]. Default 0.02834: the EC2 m7g.large row
    /// ($0.0816/h for 2 vCPU + 8 GB) split in the ratio of the Fargate Arm row
    /// (vCPU $0.03238 : GB $0.00356), i.e. ×0.8752 of the Fargate Arm prices.
    pub vm_vcpu_hour: f64,
    /// `vm_gb_hour`: VM price per GB of instance memory per hour \[$\]. Default 0.003116 (same
    /// derivation; 2 × 0.02834 + 8 × 0.003116 = 0.0816).
    pub vm_gb_hour: f64,
    /// `container_vcpu_hour`: Fargate x86 per vCPU-hour \[$\] (docs/sources.md "Fargate": 0.04048).
    pub container_vcpu_hour: f64,
    /// `container_gb_hour`: Fargate x86 per GB-hour \[$\] (docs/sources.md "Fargate": 0.004445).
    pub container_gb_hour: f64,
    /// `container_minimum_s`: shortest billed task lifetime \[s\] (docs/sources.md "Fargate": 1-min
    /// minimum).
    pub container_minimum_s: f64,
    /// `kubernetes_node_hour`: price of one worker node per hour \[$\] (docs/sources.md "EC2 m7g.large":
    /// 0.0816).
    pub kubernetes_node_hour: f64,
    /// `kubernetes_node_vcpus`: vCPUs of one worker node (m7g.large: 2).
    pub kubernetes_node_vcpus: f64,
    /// `kubernetes_node_memory_gb`: memory of one worker node \[GB\] (m7g.large: 8).
    pub kubernetes_node_memory_gb: f64,
    /// `kubernetes_cluster_hour`: control-plane fee per cluster-hour \[$\] (docs/sources.md "EKS control
    /// plane": 0.10).
    pub kubernetes_cluster_hour: f64,
    /// `serverless_per_million_requests` \[$\] (docs/sources.md serverless "request price": 0.20).
    pub serverless_per_million_requests: f64,
    /// `serverless_gb_second`: on-demand compute per GB-s \[$\] (docs/sources.md "compute price", x86:
    /// 0.0000166667).
    pub serverless_gb_second: f64,
    /// `serverless_provisioned_gb_second`: provisioned concurrency per GB-s provisioned \[$\]
    /// (docs/sources.md "provisioned concurrency": 0.0000041667).
    pub serverless_provisioned_gb_second: f64,
    /// `serverless_provisioned_executed_gb_second`: compute per GB-s of invocations served by
    /// provisioned instances \[$\] (same row: 0.0000097222).
    pub serverless_provisioned_executed_gb_second: f64,
    /// `serverless_free_tier`: subtract the monthly free tier (docs/sources.md "free tier": 1M requests
    /// + 400,000 GB-s per month), prorated to the measured window. Default off.
    pub serverless_free_tier: bool,
    /// `serverless_unbilled_init`: the rule before 1 August 2025, when the INIT phase (the cold
    /// start) of on-demand functions was not billed. Default off: INIT is billed like the
    /// invocation (docs/sources.md "INIT billing").
    pub serverless_unbilled_init: bool,
    /// `gateway_http_per_million` \[$\] (docs/sources.md "HTTP API price": 1.00).
    pub gateway_http_per_million: f64,
    /// `gateway_rest_per_million` \[$\] (docs/sources.md "REST API price": 3.50).
    pub gateway_rest_per_million: f64,
    /// `lb_hour`: load balancer per hour \[$\] (docs/sources.md "ALB price": 0.0225).
    pub lb_hour: f64,
    /// `lb_lcu_hour`: per LCU-hour \[$\] (same row: 0.008).
    pub lb_lcu_hour: f64,
    /// `nlb_hour`: network load balancer per hour \[$\] (docs/sources.md "NLB price": 0.0225).
    pub nlb_hour: f64,
    /// `nlb_nlcu_hour`: per NLCU-hour \[$\] (same row: 0.006).
    pub nlb_nlcu_hour: f64,
    /// `cache_hour`: a cache per hour \[$\] (docs/sources.md "REST cache": 0.5 GB $0.020/h), for the
    /// gateway's response cache and for each cache node.
    pub cache_hour: f64,
    /// `database_vcpu_hour`: hourly-priced database per server vCPU-hour \[$\]. Default 0.125:
    /// docs/sources.md "RDS db.r6g.large PostgreSQL" (~$0.25/h, 2 vCPU) per vCPU.
    pub database_vcpu_hour: f64,
    /// `database_per_million_writes` \[$\] (docs/sources.md "DynamoDB on-demand": 0.625).
    pub database_per_million_writes: f64,
    /// `database_per_million_reads` \[$\] (same row: 0.125).
    pub database_per_million_reads: f64,
    /// `queue_per_million` \[$\] (docs/sources.md "SQS", standard: 0.40).
    pub queue_per_million: f64,
    /// `cross_zone_per_gb` \[$\] per GB crossing zones, each direction (docs/sources.md "cross-AZ
    /// transfer": 0.01).
    pub cross_zone_per_gb: f64,
    /// `internet_egress_per_gb` \[$\] per GB of responses leaving the system to the internet
    /// (docs/sources.md "internet egress": 0.09).
    pub internet_egress_per_gb: f64,
}

impl Default for Prices {
    fn default() -> Self {
        Prices {
            vm_vcpu_hour: 0.02834,
            vm_gb_hour: 0.003116,
            // The instance catalogue's Fargate prices (docs/sources.md "Fargate").
            container_vcpu_hour: super::instances::catalogue().fargate_vcpu_hour,
            container_gb_hour: super::instances::catalogue().fargate_gb_hour,
            container_minimum_s: 60.0,
            kubernetes_node_hour: 0.0816,
            kubernetes_node_vcpus: 2.0,
            kubernetes_node_memory_gb: 8.0,
            kubernetes_cluster_hour: 0.10,
            serverless_per_million_requests: 0.20,
            serverless_gb_second: 0.0000166667,
            serverless_provisioned_gb_second: 0.0000041667,
            serverless_provisioned_executed_gb_second: 0.0000097222,
            serverless_free_tier: false,
            serverless_unbilled_init: false,
            gateway_http_per_million: 1.00,
            gateway_rest_per_million: 3.50,
            lb_hour: 0.0225,
            lb_lcu_hour: 0.008,
            nlb_hour: 0.0225,
            nlb_nlcu_hour: 0.006,
            cache_hour: 0.020,
            database_vcpu_hour: 0.125,
            database_per_million_writes: 0.625,
            database_per_million_reads: 0.125,
            queue_per_million: 0.40,
            cross_zone_per_gb: 0.01,
            internet_egress_per_gb: 0.09,
        }
    }
}

/// Hours in a billing month (AWS's convention: 730 h).
pub const HOURS_PER_MONTH: f64 = 730.0;

/// What a line of a bill is for: the kind of billed resource. With the name it keys the line
/// (`"kind/name"`, see [`CostLine::key`]), so a unit and a database of the same name stay two
/// lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// A unit on `vm`, `container` or `kubernetes`.
    Unit,
    /// A serverless unit (function).
    Function,
    /// A database server or a request-priced table.
    Database,
    /// The API gateway (managed product or self-hosted fleet).
    Gateway,
    /// An explicit load balancer.
    Balancer,
    /// A cache node or the gateway's response cache.
    Cache,
    /// A message queue.
    Queue,
    /// A Kubernetes cluster's control plane.
    Cluster,
    /// A `[[variants.hosts]]` machine.
    Host,
    /// Data transfer (between zones).
    Transfer,
    /// A service outside the system, billed per call.
    External,
    /// A workflow (Step Functions-like), billed per transition or per request and GB-s.
    Workflow,
    /// A credit (the serverless free tier: a negative line).
    Credit,
}

impl ResourceKind {
    /// The word used in keys, tables and the results document.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Unit => "unit",
            ResourceKind::Function => "function",
            ResourceKind::Database => "database",
            ResourceKind::Gateway => "gateway",
            ResourceKind::Balancer => "balancer",
            ResourceKind::Cache => "cache",
            ResourceKind::Queue => "queue",
            ResourceKind::Cluster => "cluster",
            ResourceKind::Host => "host",
            ResourceKind::Transfer => "transfer",
            ResourceKind::External => "external",
            ResourceKind::Workflow => "workflow",
            ResourceKind::Credit => "credit",
        }
    }
}

/// One line of a bill.
#[derive(Debug, Clone, PartialEq)]
pub struct CostLine {
    /// The kind of resource billed.
    pub kind: ResourceKind,
    /// The resource's name (the node's name, or the fee's: `kubernetes`, `cross_zone`, …).
    pub name: String,
    /// Cost over the measured window \[$\].
    pub window_usd: f64,
}

impl CostLine {
    /// The line's key, unique within a bill: `"kind/name"` (e.g. `unit/catalog`,
    /// `database/catalog`).
    pub fn key(&self) -> String {
        format!("{}/{}", self.kind.as_str(), self.name)
    }
}

/// Monthly free tier of serverless functions: requests (docs/sources.md "free tier").
pub const FREE_TIER_REQUESTS: f64 = 1e6;
/// Monthly free tier of serverless functions: GB-s (docs/sources.md "free tier").
pub const FREE_TIER_GB_S: f64 = 400_000.0;

impl Prices {
    /// The numeric prices by their `[prices]` key, for the resolver (every key but
    /// `serverless_free_tier`).
    pub fn numeric_mut(&mut self) -> [(&'static str, &mut f64); 26] {
        [
            ("vm_vcpu_hour", &mut self.vm_vcpu_hour),
            ("vm_gb_hour", &mut self.vm_gb_hour),
            ("container_vcpu_hour", &mut self.container_vcpu_hour),
            ("container_gb_hour", &mut self.container_gb_hour),
            ("container_minimum_s", &mut self.container_minimum_s),
            ("kubernetes_node_hour", &mut self.kubernetes_node_hour),
            ("kubernetes_node_vcpus", &mut self.kubernetes_node_vcpus),
            (
                "kubernetes_node_memory_gb",
                &mut self.kubernetes_node_memory_gb,
            ),
            ("kubernetes_cluster_hour", &mut self.kubernetes_cluster_hour),
            (
                "serverless_per_million_requests",
                &mut self.serverless_per_million_requests,
            ),
            ("serverless_gb_second", &mut self.serverless_gb_second),
            (
                "serverless_provisioned_gb_second",
                &mut self.serverless_provisioned_gb_second,
            ),
            (
                "serverless_provisioned_executed_gb_second",
                &mut self.serverless_provisioned_executed_gb_second,
            ),
            (
                "gateway_http_per_million",
                &mut self.gateway_http_per_million,
            ),
            (
                "gateway_rest_per_million",
                &mut self.gateway_rest_per_million,
            ),
            ("lb_hour", &mut self.lb_hour),
            ("lb_lcu_hour", &mut self.lb_lcu_hour),
            ("nlb_hour", &mut self.nlb_hour),
            ("nlb_nlcu_hour", &mut self.nlb_nlcu_hour),
            ("cache_hour", &mut self.cache_hour),
            ("database_vcpu_hour", &mut self.database_vcpu_hour),
            (
                "database_per_million_writes",
                &mut self.database_per_million_writes,
            ),
            (
                "database_per_million_reads",
                &mut self.database_per_million_reads,
            ),
            ("queue_per_million", &mut self.queue_per_million),
            ("cross_zone_per_gb", &mut self.cross_zone_per_gb),
            ("internet_egress_per_gb", &mut self.internet_egress_per_gb),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_default_reproduces_the_m7g_large_row() {
        let p = Prices::default();
        let m7g_large = 2.0 * p.vm_vcpu_hour + 8.0 * p.vm_gb_hour;
        assert!((m7g_large - 0.0816).abs() < 1e-5, "{m7g_large}");
        // Same vCPU : GB ratio as Fargate Arm.
        let ratio = p.vm_vcpu_hour / p.vm_gb_hour;
        assert!((ratio - 0.03238 / 0.00356).abs() / ratio < 2e-3, "{ratio}");
    }

    #[test]
    fn every_numeric_key_is_distinct() {
        let mut p = Prices::default();
        let mut keys: Vec<&str> = p.numeric_mut().iter().map(|(k, _)| *k).collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "a `[prices]` key is listed twice");
    }
}
