use super::*;

const ALL: &str = r#"
name = "every component"
[workload]
duration = "100s"
[[workload.entries]]
name = "home"
op = "web.home"
arrival = { process = "poisson", rate = 50 }
[[workload.entries]]
name = "buy"
op = "shop.buy"
arrival = { process = "poisson", rate = 10 }
[modules.web]
ops.home = { cpu = "1ms" }
[modules.shop]
ops.buy = { cpu = "1ms", calls = [{ op = "db.read" }, { op = "db.write" }, { publish = "orders", op = "mail.send" }] }
[modules.mail]
ops.send = { cpu = "1ms" }
[datastores.db]
ops.read = { time = "1ms", kind = "read" }
ops.write = { time = "2ms", kind = "write" }
ops.scan = { time = "5ms", kind = "read" }

[[variants]]
name = "all"
cdn = { entries = ["home"], hit_ratio = 0.9 }
[variants.gateway]
replicas = 2
cores = 1
auth = { cpu = "30us" }
rate_limit = { rate = 400, burst = 50 }
[[variants.load_balancers]]
name = "alb"
units = ["shop"]
replicas = 2
capacity = 1000
[[variants.caches]]
name = "redis"
stores = ["db"]
hit_ratio = 0.8
[[variants.queues]]
name = "orders"
publish_latency = "1ms"
visibility_timeout = "30s"
consumers = 20
[[variants.hosts]]
name = "h1"
cores = 8
zone = "eu-west-1a"
[[variants.units]]
name = "web"
modules = ["web"]
host = "h1"
cpu_limit = 2
[[variants.units]]
name = "shop"
modules = ["shop"]
replicas = 3
zones = ["a", "b"]
pool = { size = 10 }
[[variants.units]]
name = "mail"
modules = ["mail"]
platform = "serverless"
reserved_concurrency = 40
[[variants.databases]]
name = "main"
stores = ["db"]
zone = "a"
read_replicas = 2

[[variants]]
name = "plain"
cdn = { entries = ["home"], hit_ratio = 0.5 }
[variants.gateway]
overhead = "1ms"
[[variants.units]]
name = "all"
modules = ["web", "shop", "mail"]
platform = "serverless"
memory = "512MB"
[[variants.databases]]
name = "main"
stores = ["db"]
[[variants.queues]]
name = "orders"
publish_latency = "1ms"
visibility_timeout = "30s"
consumers = 2
"#;

fn node<'a>(t: &'a VariantTopology, kind: TopologyKind, name: &str) -> &'a TopologyNode {
    t.nodes
        .iter()
        .find(|n| n.kind == kind && n.name == name)
        .unwrap_or_else(|| panic!("no {kind:?} {name} in {:?}", t.nodes))
}

fn names(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

#[test]
fn every_component_is_a_node_with_its_resolved_settings() {
    let s = crate::scenario::parse(ALL, "all.toml").expect("valid");
    let t = topology(&s);
    assert_eq!(t.len(), 2);
    let all = &t[0];
    assert_eq!(all.variant, "all");
    let gw = node(all, TopologyKind::Gateway, "gateway");
    assert_eq!(gw.instances, Some(2));
    assert_eq!(gw.cores, Some(1.0));
    assert_eq!(
        gw.rate_limit,
        Some(RateLimitInfo {
            rate: 400.0,
            burst: 50.0
        })
    );
    let auth = gw.auth.as_ref().expect("auth");
    assert!((auth.cpu_s.expect("cpu") - 30e-6).abs() < 1e-12);
    let shop = node(all, TopologyKind::Unit, "shop");
    assert_eq!(shop.instances, Some(3));
    assert_eq!(shop.platform.as_deref(), Some("vm"));
    assert_eq!(shop.pool.map(|p| p.size), Some(10));
    assert_eq!(shop.zones, names(&["a", "b"]));
    assert_eq!(shop.modules, names(&["shop"]));
    // a function without `memory` gets the engine's default: 1,769 MB, one vCPU
    let mail = node(all, TopologyKind::Unit, "mail");
    let f = mail.function.as_ref().expect("a function");
    assert_eq!(f.memory_bytes, 1_769_000_000);
    assert_eq!(f.runtime, "node");
    assert_eq!(f.reserved_concurrency, Some(40));
    assert_eq!(mail.instances, None);
    let web = node(all, TopologyKind::Unit, "web");
    assert_eq!(web.hosts, names(&["h1"]));
    assert_eq!(web.cpu_limit, Some(2.0));
    // on a host, an instance has no cores of its own: its host's, or its limit
    assert_eq!(web.cores, None);
    assert_eq!(shop.cores, Some(1.0));
    let host = node(all, TopologyKind::Host, "h1");
    assert_eq!(host.units, names(&["web"]));
    assert_eq!(host.cores, Some(8.0));
    assert_eq!(host.zones, names(&["eu-west-1a"]));
    let db = node(all, TopologyKind::Database, "main");
    assert_eq!(db.instances, Some(3));
    assert_eq!(db.stores, names(&["db"]));
    let lb = node(all, TopologyKind::LoadBalancer, "alb");
    assert_eq!(lb.units, names(&["shop"]));
    assert_eq!(lb.capacity, Some(1000));
    // the cache answers the reads that are called, never the writes
    let cache = node(all, TopologyKind::Cache, "redis");
    assert_eq!(cache.operations, names(&["db.read"]));
    assert_eq!(cache.cache.and_then(|c| c.hit_ratio), Some(0.8));
    let queue = node(all, TopologyKind::Queue, "orders");
    assert_eq!(queue.capacity, Some(20));
    assert_eq!(queue.visibility_timeout_s, Some(30.0));
    assert_eq!(
        node(all, TopologyKind::Cdn, "cdn").entries,
        names(&["home"])
    );
}

#[test]
fn routes_follow_the_compiled_front_door() {
    let s = crate::scenario::parse(ALL, "all.toml").expect("valid");
    let t = topology(&s);
    let via = |v: usize, e: usize| -> Vec<(TopologyKind, String)> {
        t[v].entries[e]
            .via
            .iter()
            .map(|n| (n.kind, n.name.clone()))
            .collect()
    };
    assert_eq!(t[0].entries[0].entry, "home");
    assert_eq!(t[0].entries[0].operation, "web.home");
    assert_eq!(
        via(0, 0),
        vec![
            (TopologyKind::Cdn, "cdn".to_string()),
            (TopologyKind::Gateway, "gateway".to_string())
        ]
    );
    assert_eq!(
        via(0, 1),
        vec![
            (TopologyKind::Gateway, "gateway".to_string()),
            (TopologyKind::LoadBalancer, "alb".to_string())
        ]
    );
    // a plain gateway (a delay, no instances) behind a CDN: still passed, not a node with
    // instances; its function has the memory the file gives
    let plain = &t[1];
    assert_eq!(
        node(plain, TopologyKind::Gateway, "gateway").instances,
        None
    );
    assert_eq!(
        via(1, 0),
        vec![
            (TopologyKind::Cdn, "cdn".to_string()),
            (TopologyKind::Gateway, "gateway".to_string())
        ]
    );
    assert_eq!(
        via(1, 1),
        vec![(TopologyKind::Gateway, "gateway".to_string())]
    );
    let f = node(plain, TopologyKind::Unit, "all").function.clone();
    assert_eq!(f.map(|f| f.memory_bytes), Some(512_000_000));
}

#[test]
fn a_plain_gateway_without_a_cdn_is_passed_by_every_entry() {
    // no node keys and no CDN: the gateway is the delay every entry request pays
    let text = ALL.replace("cdn = { entries = [\"home\"], hit_ratio = 0.5 }\n", "");
    let s = crate::scenario::parse(&text, "all.toml").expect("valid");
    let plain = variant_topology(&s, 1);
    assert_eq!(
        node(&plain, TopologyKind::Gateway, "gateway").instances,
        None
    );
    for e in &plain.entries {
        let via: Vec<_> = e.via.iter().map(|n| (n.kind, n.name.as_str())).collect();
        assert_eq!(via, vec![(TopologyKind::Gateway, "gateway")], "{}", e.entry);
    }
}

#[test]
fn modules_on_the_gateway_make_it_a_node_that_runs_them() {
    let text = r#"
name = "bff"
[workload]
duration = "10s"
[[workload.entries]]
name = "page"
op = "bff.page"
arrival = { process = "poisson", rate = 10 }
[modules.bff]
ops.page = { cpu = "1ms", calls = [{ op = "shop.item" }] }
[modules.shop]
ops.item = { cpu = "1ms" }
[[variants]]
name = "v"
gateway = { modules = ["bff"] }
[[variants.units]]
name = "shop"
modules = ["shop"]
"#;
    let s = crate::scenario::parse(text, "bff.toml").expect("valid");
    let t = variant_topology(&s, 0);
    let gw = node(&t, TopologyKind::Gateway, "gateway");
    assert_eq!(gw.instances, Some(1));
    assert_eq!(gw.modules, names(&["bff"]));
    assert_eq!(t.entries[0].via.len(), 1);
    assert_eq!(t.entries[0].via[0].kind, TopologyKind::Gateway);
}
