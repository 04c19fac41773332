//! The resolved deployment of every variant, for a front end to draw: which nodes there are,
//! of which kind, with which components and settings once defaults and resolution rules are
//! applied, and the way each entry's requests take through the front door.
//!
//! Built from the validated [`Scenario`] and the model compiled from it ([`Model::compile`]),
//! so it follows the engine's rules — when the gateway is a node, a function's default memory,
//! which reads a cache node answers, which front nodes an entry passes — instead of a copy of
//! them in the UI.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::components::cache::CacheSpec;
use crate::components::function::NO_FUNCTION;
use crate::flow::balance::LbAlgorithm;
use crate::flow::topology::NodeKind as ModelKind;
use crate::model::Model;
use crate::scenario::{Platform, Scenario, Variant, ON_GATEWAY};

/// The kind of a node of a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TopologyKind {
    /// A deployable unit (serverless when it has a `function`).
    Unit,
    /// A database server.
    Database,
    /// The API gateway.
    Gateway,
    /// An explicit load balancer.
    LoadBalancer,
    /// A cache node in front of data-store reads.
    Cache,
    /// The CDN.
    Cdn,
    /// A message queue.
    Queue,
    /// A host (machine) units are placed on.
    Host,
    /// A service outside the system (`[externals.NAME]`): no cores, no connections.
    External,
}

/// A node named by kind and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NodeRef {
    /// Its kind.
    pub kind: TopologyKind,
    /// Its name (`gateway` and `cdn` for the gateway and the CDN).
    pub name: String,
}

/// The resolved deployment of one variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VariantTopology {
    /// The variant's name.
    pub variant: String,
    /// Units, databases, external services, the gateway, load balancers, cache nodes, the
    /// CDN, queues and hosts, in that order (each kind in the variant's or the file's order).
    pub nodes: Vec<TopologyNode>,
    /// Per entry (in the workload's order), the way its requests take.
    pub entries: Vec<EntryRoute>,
}

/// The way an entry's requests take through the front door.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EntryRoute {
    /// The entry's name.
    pub entry: String,
    /// The operation it calls (`module.op`).
    pub operation: String,
    /// The front nodes passed, outermost first (CDN, gateway, load balancer).
    pub via: Vec<NodeRef>,
}

/// A serverless function (a unit on the `serverless` platform).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunctionInfo {
    /// Language runtime (`node`, `python`, `go`, `rust`, `java`, `dotnet`).
    pub runtime: String,
    /// Configured memory \[bytes\] (1,769 MB, one vCPU, when the file gives none).
    pub memory_bytes: u64,
    /// Reserved concurrency, if any.
    pub reserved_concurrency: Option<u32>,
    /// Provisioned (always warm) instances.
    pub provisioned: u32,
}

/// An autoscaler's range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AutoscaleInfo {
    /// Fewest instances.
    pub min: u32,
    /// Most instances.
    pub max: u32,
}

/// A connection pool per instance and database.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PoolInfo {
    /// Connections.
    pub size: u32,
    /// Longest wait for a connection \[s\].
    pub acquire_timeout_s: f64,
}

/// A token bucket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RateLimitInfo {
    /// Tokens per second \[1/s\].
    pub rate: f64,
    /// Bucket size.
    pub burst: f64,
}

/// How a cache decides hits: a fixed ratio, or a TTL per key.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CacheInfo {
    /// Each lookup hits with this probability (a ratio cache).
    pub hit_ratio: Option<f64>,
    /// Time to live \[s\] (a TTL cache).
    pub ttl_s: Option<f64>,
    /// Distinct keys (a TTL cache).
    pub keys: Option<u32>,
    /// Zipf exponent of key popularity (a TTL cache; none: uniform).
    pub zipf: Option<f64>,
}

/// Authentication at the gateway: CPU per request, or a call to an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AuthInfo {
    /// Mean CPU per request \[s\].
    pub cpu_s: Option<f64>,
    /// The operation called (`module.op`).
    pub operation: Option<String>,
}

/// One node of a deployment with its resolved settings. Fields that do not apply to its kind
/// are absent (null) or empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TopologyNode {
    /// Its kind.
    pub kind: TopologyKind,
    /// Its name (`gateway`, `cdn` for the gateway and the CDN).
    pub name: String,
    /// Instances: a unit's replicas (at the start, when autoscaled), a database's primary and
    /// read replicas, the gateway's, a balancer's; none for a serverless unit (one instance
    /// per request), a plain gateway (a delay, not a node with instances), a queue or a host.
    pub instances: Option<u32>,
    /// Cores per instance (a host's cores; none when unlimited, and for a unit on hosts, whose
    /// instances use their host's cores or their `cpu_limit`).
    pub cores: Option<f64>,
    /// A unit's platform (`vm`, `container`, `kubernetes`, `serverless`).
    pub platform: Option<String>,
    /// A unit's autoscaler.
    pub autoscale: Option<AutoscaleInfo>,
    /// A serverless unit's function.
    pub function: Option<FunctionInfo>,
    /// A unit's connection pool.
    pub pool: Option<PoolInfo>,
    /// A unit's container limit on its host \[cores\].
    pub cpu_limit: Option<f64>,
    /// The gateway's rate limit; an external service's quota.
    pub rate_limit: Option<RateLimitInfo>,
    /// The gateway's authentication.
    pub auth: Option<AuthInfo>,
    /// A cache node's or the CDN's hit decision.
    pub cache: Option<CacheInfo>,
    /// A load balancer's requests in flight per instance (none: unlimited); a queue's
    /// consumers.
    pub capacity: Option<u32>,
    /// A load balancer's algorithm across its units' replicas.
    pub algorithm: Option<String>,
    /// A host's memory \[bytes\].
    pub memory_bytes: Option<u64>,
    /// A queue's visibility timeout \[s\].
    pub visibility_timeout_s: Option<f64>,
    /// A database's read replicas.
    pub read_replicas: Option<u32>,
    /// Modules run here: a unit's, the gateway's composition modules.
    pub modules: Vec<String>,
    /// Data stores: a database's, those a cache node caches.
    pub stores: Vec<String>,
    /// Units: behind a load balancer; placed entirely on a host.
    pub units: Vec<String>,
    /// Entries: served by the CDN; with a route cache at the gateway.
    pub entries: Vec<String>,
    /// The data-store reads a cache node answers (`store.op`); an external service's
    /// operations (`external.op`).
    pub operations: Vec<String>,
    /// Hosts a unit's instances are placed on.
    pub hosts: Vec<String>,
    /// Zones: of a unit's instances, of a database, of a host.
    pub zones: Vec<String>,
}

impl TopologyNode {
    fn new(kind: TopologyKind, name: &str) -> TopologyNode {
        TopologyNode {
            kind,
            name: name.to_string(),
            instances: None,
            cores: None,
            platform: None,
            autoscale: None,
            function: None,
            pool: None,
            cpu_limit: None,
            rate_limit: None,
            auth: None,
            cache: None,
            capacity: None,
            algorithm: None,
            memory_bytes: None,
            visibility_timeout_s: None,
            read_replicas: None,
            modules: Vec::new(),
            stores: Vec::new(),
            units: Vec::new(),
            entries: Vec::new(),
            operations: Vec::new(),
            hosts: Vec::new(),
            zones: Vec::new(),
        }
    }
}

/// The resolved deployment of every variant of `s`.
///
/// # Complexity
/// Compiles every variant ([`Model::compile`]).
pub fn topology(s: &Scenario) -> Vec<VariantTopology> {
    (0..s.variants.len())
        .map(|v| variant_topology(s, v))
        .collect()
}

/// The resolved deployment of variant `v` of `s`.
pub fn variant_topology(s: &Scenario, v: usize) -> VariantTopology {
    let var = &s.variants[v];
    let m = Model::compile(s, v);
    let mut nodes = units(s, var, &m);
    nodes.extend(databases(s, var));
    nodes.extend(s.externals.iter().map(|x| TopologyNode {
        rate_limit: x.quota.map(|q| RateLimitInfo {
            rate: q.rate,
            burst: q.burst,
        }),
        operations: x.ops.iter().map(|&o| s.ops[o].name.clone()).collect(),
        ..TopologyNode::new(TopologyKind::External, &x.name)
    }));
    nodes.extend(front_door(s, var, &m));
    nodes.extend(var.queues.iter().map(|q| TopologyNode {
        capacity: Some(q.consumers),
        visibility_timeout_s: Some(q.visibility_timeout as f64 / 1e9),
        ..TopologyNode::new(TopologyKind::Queue, &q.name)
    }));
    nodes.extend(hosts(var));
    VariantTopology {
        variant: var.name.clone(),
        nodes,
        entries: routes(s, var, &m),
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn platform_name(p: Platform) -> &'static str {
    match p {
        Platform::Vm => "vm",
        Platform::Container => "container",
        Platform::Kubernetes => "kubernetes",
        Platform::Serverless => "serverless",
    }
}

fn algorithm_name(a: LbAlgorithm) -> &'static str {
    match a {
        LbAlgorithm::RoundRobin => "round_robin",
        LbAlgorithm::Random => "random",
        LbAlgorithm::LeastOutstanding => "least_outstanding",
        LbAlgorithm::PowerOfTwo => "power_of_two",
    }
}

/// `names[i]` of every index, each name once, in first-seen order.
fn distinct(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

fn units(s: &Scenario, var: &Variant, m: &Model) -> Vec<TopologyNode> {
    var.units
        .iter()
        .enumerate()
        .map(|(ui, u)| {
            let serverless = u.platform == Platform::Serverless;
            let fi = m.plans.function.of_node[ui];
            let function = (fi != NO_FUNCTION).then(|| {
                let f = &m.plans.function.functions[fi as usize];
                FunctionInfo {
                    runtime: format!("{:?}", u.function.runtime).to_lowercase(),
                    memory_bytes: f.memory,
                    reserved_concurrency: f.reserved,
                    provisioned: f.provisioned,
                }
            });
            TopologyNode {
                instances: (!serverless).then_some(u.replicas),
                // on hosts, an instance runs on its host's cores (or its `cpu_limit`)
                cores: if serverless || !u.placement.hosts.is_empty() {
                    None
                } else {
                    finite(u.cores)
                },
                platform: Some(platform_name(u.platform).into()),
                autoscale: u.autoscale.as_ref().map(|a| AutoscaleInfo {
                    min: a.min,
                    max: a.max,
                }),
                function,
                pool: u.pool.map(|p| PoolInfo {
                    size: p.size,
                    acquire_timeout_s: p.acquire_timeout as f64 / 1e9,
                }),
                cpu_limit: u.placement.cpu_limit,
                modules: u
                    .modules
                    .iter()
                    .map(|&md| s.modules[md].name.clone())
                    .collect(),
                hosts: distinct(u.placement.hosts.iter().map(|&h| var.hosts[h].name.clone())),
                zones: distinct(u.placement.zones.iter().map(|&z| var.zones[z].clone())),
                ..TopologyNode::new(TopologyKind::Unit, &u.name)
            }
        })
        .collect()
}

fn databases<'a>(s: &'a Scenario, var: &'a Variant) -> impl Iterator<Item = TopologyNode> + 'a {
    var.databases.iter().map(move |d| TopologyNode {
        instances: Some(1 + d.read_replicas),
        cores: finite(d.cores),
        read_replicas: Some(d.read_replicas),
        stores: d
            .stores
            .iter()
            .map(|&st| s.datastores[st].name.clone())
            .collect(),
        zones: d.zone.iter().map(|&z| var.zones[z].clone()).collect(),
        ..TopologyNode::new(TopologyKind::Database, &d.name)
    })
}

fn cache_info(spec: &CacheSpec) -> CacheInfo {
    match *spec {
        CacheSpec::Ratio(r) => CacheInfo {
            hit_ratio: Some(r),
            ttl_s: None,
            keys: None,
            zipf: None,
        },
        CacheSpec::Ttl { ttl, keys, zipf } => CacheInfo {
            hit_ratio: None,
            ttl_s: Some(ttl as f64 / 1e9),
            keys: Some(keys),
            zipf,
        },
    }
}

/// The gateway, the load balancers, the cache nodes and the CDN.
fn front_door(s: &Scenario, var: &Variant, m: &Model) -> Vec<TopologyNode> {
    let mut out = Vec::new();
    let entry_name = |e: usize| s.workload.entries[e].name.clone();
    if let Some(g) = &var.gateway {
        let gn = g.node.as_ref();
        out.push(TopologyNode {
            instances: gn.map(|n| n.replicas),
            cores: gn.and_then(|n| finite(n.cores)),
            rate_limit: gn.and_then(|n| n.rate_limit).map(|r| RateLimitInfo {
                rate: r.rate,
                burst: r.burst,
            }),
            auth: gn.and_then(|n| {
                let cpu_s = n.auth_cpu.as_ref().map(|d| d.mean() / 1e9);
                let operation = n.auth_op.map(|op| s.ops[op].name.clone());
                (cpu_s.is_some() || operation.is_some()).then_some(AuthInfo { cpu_s, operation })
            }),
            entries: gn
                .map(|n| {
                    (0..n.route_cache.len())
                        .filter(|&e| n.route_cache[e].is_some())
                        .map(entry_name)
                        .collect()
                })
                .unwrap_or_default(),
            modules: (0..s.modules.len())
                .filter(|&md| var.module_unit[md] == ON_GATEWAY)
                .map(|md| s.modules[md].name.clone())
                .collect(),
            ..TopologyNode::new(TopologyKind::Gateway, "gateway")
        });
    }
    for lb in &var.load_balancers {
        out.push(TopologyNode {
            instances: Some(lb.replicas),
            capacity: (lb.capacity != u32::MAX).then_some(lb.capacity),
            algorithm: lb.algorithm.map(|a| algorithm_name(a).to_string()),
            units: lb
                .units
                .iter()
                .map(|&u| var.units[u].name.clone())
                .collect(),
            ..TopologyNode::new(TopologyKind::LoadBalancer, &lb.name)
        });
    }
    for (ci, c) in var.caches.iter().enumerate() {
        // The reads it answers: the targets of the lookups compiled onto its node.
        let node = m.plans.cache.nodes.get(ci).copied();
        let operations = distinct(
            m.topo
                .ops
                .iter()
                .filter(|o| Some(o.node) == node && o.steps > 0)
                .map(|o| {
                    m.topo.ops[m.topo.calls[m.topo.steps[o.first_step as usize].first as usize].op
                        as usize]
                        .name
                        .clone()
                }),
        );
        out.push(TopologyNode {
            instances: Some(1),
            cache: Some(cache_info(&c.spec)),
            stores: c
                .stores
                .iter()
                .map(|&st| s.datastores[st].name.clone())
                .collect(),
            operations,
            ..TopologyNode::new(TopologyKind::Cache, &c.name)
        });
    }
    if let Some(cdn) = &var.cdn {
        out.push(TopologyNode {
            instances: Some(1),
            cache: Some(cache_info(&CacheSpec::Ratio(cdn.hit_ratio))),
            entries: cdn.entries.iter().map(|&e| entry_name(e)).collect(),
            ..TopologyNode::new(TopologyKind::Cdn, "cdn")
        });
    }
    out
}

fn hosts(var: &Variant) -> impl Iterator<Item = TopologyNode> + '_ {
    var.hosts
        .iter()
        .enumerate()
        .map(move |(h, x)| TopologyNode {
            cores: finite(x.cores),
            memory_bytes: x.memory,
            zones: x.zone.iter().map(|&z| var.zones[z].clone()).collect(),
            // the units every instance of which runs on this host
            units: var
                .units
                .iter()
                .filter(|u| {
                    u.platform != Platform::Serverless
                        && !u.placement.hosts.is_empty()
                        && u.placement.hosts.iter().all(|&x| x == h)
                })
                .map(|u| u.name.clone())
                .collect(),
            ..TopologyNode::new(TopologyKind::Host, &x.name)
        })
}

/// Per entry, the front nodes its requests pass: the compiled model rewrites an entry's
/// operation into a chain of forwarding operations (CDN, gateway, balancer), followed here
/// to the first operation of the logical model. A plain gateway (no node of its own: a delay
/// every entry request pays, [`Model::gateway`]) is passed first.
fn routes(s: &Scenario, var: &Variant, m: &Model) -> Vec<EntryRoute> {
    let logical = s.ops.len();
    let plain_gateway = var.gateway.is_some() && m.plans.gateway.node.is_none();
    s.workload
        .entries
        .iter()
        .zip(&m.topo.entries)
        .map(|(e, plan)| {
            let mut via = Vec::new();
            if plain_gateway {
                via.push(NodeRef {
                    kind: TopologyKind::Gateway,
                    name: "gateway".into(),
                });
            }
            let mut op = plan.op as usize;
            // each hop moves to the op's last call; a chain is at most CDN, gateway, balancer
            while op >= logical && via.len() < 8 {
                let o = &m.topo.ops[op];
                let Some(node) = m.topo.nodes.get(o.node as usize) else {
                    break;
                };
                let kind = match node.kind {
                    ModelKind::Cdn => TopologyKind::Cdn,
                    ModelKind::Gateway => TopologyKind::Gateway,
                    ModelKind::LoadBalancer => TopologyKind::LoadBalancer,
                    _ => break,
                };
                via.push(NodeRef {
                    kind,
                    name: node.name.clone(),
                });
                if o.steps == 0 {
                    break;
                }
                let last = &m.topo.steps[(o.first_step + o.steps - 1) as usize];
                op = m.topo.calls[last.first as usize].op as usize;
            }
            EntryRoute {
                entry: e.name.clone(),
                operation: s.ops[e.op].name.clone(),
                via,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
