//! The instance catalogue: the cheapest fitting size, ties, strict sizes, and bills priced from
//! the catalogue's rows (docs/cost.md, "Instance catalogue").

use crate::common::{root, run, scenario};
use archsim::spec::instances::{catalogue, parse, Family, Offering};
use archsim::spec::prices::Prices;
use assert_cmd::Command;

const GB: u64 = 1_000_000_000;

/// The hourly price of catalogue EC2 type `name`.
fn ec2(name: &str) -> f64 {
    catalogue()
        .ec2
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.usd_per_hour)
        .expect("in the catalogue")
}

#[test]
fn the_cheapest_fitting_ec2_type_is_chosen() {
    let c = catalogue();
    // 4 vCPU, 1.75 GB: c7i.xlarge (8 GiB, $0.1785) is cheaper than m7i.xlarge ($0.2016).
    let i = c.fit(Family::Ec2, 4.0, 1_750_000_000).expect("fits");
    assert_eq!(i.name, "c7i.xlarge");
    assert_eq!(
        i.offering,
        Offering::Ec2 {
            usd_per_hour: 0.1785
        }
    );
    // 2 vCPU, 5 GiB: c7i.large holds 4 GiB only; m7i.large ($0.1008) beats r7i.large.
    let five_gib = 5 * 1_073_741_824;
    assert_eq!(
        c.fit(Family::Ec2, 2.0, five_gib).expect("fits").name,
        "m7i.large"
    );
    // 2 vCPU, 20 GB (18.6 GiB): the 32-GiB types are r7i.xlarge ($0.2646), m7i.2xlarge
    // ($0.4032) and c7i.4xlarge ($0.714); every smaller type holds 16 GiB at most.
    assert_eq!(
        c.fit(Family::Ec2, 2.0, 20 * GB).expect("fits").name,
        "r7i.xlarge"
    );
    // 1 core on a VM: no 1-vCPU type; the cheapest 2-vCPU one.
    assert_eq!(c.fit(Family::Ec2, 1.0, 0).expect("fits").name, "c7i.large");
    // Larger than every type: none (priced pro rata).
    assert!(c.fit(Family::Ec2, 64.0, 0).is_none());
    assert!(c.fit(Family::Ec2, 2.0, 200 * GB).is_none());
}

#[test]
fn the_cheapest_fitting_fargate_size_is_chosen() {
    let c = catalogue();
    // The issue's 0.3 vCPU with 250 MB: 0.5 vCPU with its smallest memory, 1 GiB.
    let i = c.fit(Family::Fargate, 0.3, 250_000_000).expect("fits");
    assert_eq!(i.name, "fargate 0.5 vCPU 1 GiB");
    let p = Prices::default();
    assert!((i.usd_per_hour(&p) - (0.5 * 0.04048 + 1.0 * 0.004445)).abs() < 1e-15);
    // 0.25 vCPU with 1.5 GB (1.4 GiB): the 2 GiB size of 0.25 vCPU.
    assert_eq!(
        c.fit(Family::Fargate, 0.25, 1_500_000_000)
            .expect("fits")
            .name,
        "fargate 0.25 vCPU 2 GiB"
    );
    // 2 vCPU with 9.5 GB (8.85 GiB): 9 GiB, in the 1-GiB steps of 2 vCPU.
    assert_eq!(
        c.fit(Family::Fargate, 2.0, 9_500_000_000)
            .expect("fits")
            .name,
        "fargate 2 vCPU 9 GiB"
    );
    // 17 vCPU: none.
    assert!(c.fit(Family::Fargate, 17.0, 0).is_none());
}

#[test]
fn ties_go_to_fewer_vcpus_then_less_memory_then_file_order() {
    // A catalogue with three types at one price.
    let text = r#"region = "test"
date = "2026-01-01"
[vm]
source = "test"
instances = [
  { name = "big", vcpus = 4, memory_gib = 8, usd_per_hour = 0.1 },
  { name = "roomy", vcpus = 2, memory_gib = 16, usd_per_hour = 0.1 },
  { name = "first", vcpus = 2, memory_gib = 8, usd_per_hour = 0.1 },
  { name = "second", vcpus = 2, memory_gib = 8, usd_per_hour = 0.1 },
]
[fargate]
source = "test"
usd_per_vcpu_hour = 1
usd_per_gb_hour = 1
sizes = [ { vcpus = 1, memory_gib = [2] } ]
"#;
    let c = parse(text).expect("valid");
    assert_eq!(c.fit(Family::Ec2, 1.0, 0).expect("fits").name, "first");
    assert_eq!(c.fit(Family::Ec2, 3.0, 0).expect("fits").name, "big");
}

#[test]
fn strict_sizes_and_the_nearest_valid_ones() {
    let c = catalogue();
    assert!(c.exact(Family::Fargate, 0.3, 250_000_000).is_none());
    assert_eq!(
        c.nearest(Family::Fargate, 0.3, 250_000_000),
        ["fargate 0.25 vCPU 0.5 GiB", "fargate 0.5 vCPU 1 GiB"]
    );
    // 4 vCPU is an EC2 size; 3 is not: nearest 2 and 4.
    assert_eq!(
        c.exact(Family::Ec2, 4.0, 1_750_000_000)
            .expect("exists")
            .name,
        "c7i.xlarge"
    );
    assert_eq!(
        c.nearest(Family::Ec2, 3.0, 1_750_000_000),
        ["c7i.large", "c7i.xlarge"]
    );
    // Below the smallest size: only the one above.
    assert_eq!(c.nearest(Family::Ec2, 1.0, 0), ["c7i.large"]);
}

/// One entry calling `f.work` (1 ms CPU) at 10/s for an hour; `units` and `extra` appended.
fn one_unit(extra: &str, variants: &str) -> String {
    format!(
        r#"name = "sizes"
seed = 1
replications = 2
{extra}
[network]
latency = "0s"
[workload]
duration = "3600s"
[[workload.entries]]
name = "req"
op = "f.work"
arrival = {{ process = "constant", rate = 10 }}
[modules.f]
ops.work = {{ cpu = "1ms" }}
{variants}
"#
    )
}

const REPRODUCERS: &str = r#"[[variants]]
name = "vm"
[[variants.units]]
name = "f"
modules = ["f"]
replicas = 3
cores = 4
base_memory = "1750MB"

[[variants]]
name = "fargate"
[[variants.units]]
name = "f"
modules = ["f"]
platform = "container"
cores = 0.3
base_memory = "250MB"

[[variants]]
name = "huge"
[[variants.units]]
name = "f"
modules = ["f"]
cores = 64
base_memory = "8GB"
"#;

#[test]
fn bills_are_priced_from_the_catalogue() {
    let r = run(&scenario(&one_unit("", REPRODUCERS)));
    let p = Prices::default();
    // 3 × c7i.xlarge for one hour: $0.5355 ($390.92 a month, not $260 pro rata).
    let vm = &r.variants[0].cost.by_resource["unit/f"];
    assert!((vm.window_usd.mean - 3.0 * ec2("c7i.xlarge")).abs() < 1e-12);
    assert!((vm.per_month_usd.mean - 3.0 * 0.1785 * 730.0).abs() < 1e-9);
    assert_eq!(vm.instance.as_deref(), Some("c7i.xlarge"));
    // Fargate 0.5 vCPU / 1 GiB for one hour.
    let fg = &r.variants[1].cost.by_resource["unit/f"];
    let hourly = 0.5 * p.container_vcpu_hour + 1.0 * p.container_gb_hour;
    assert!((fg.window_usd.mean - hourly).abs() < 1e-12);
    assert_eq!(fg.instance.as_deref(), Some("fargate 0.5 vCPU 1 GiB"));
    // Larger than the catalogue: pro rata, no instance named.
    let huge = &r.variants[2].cost.by_resource["unit/f"];
    assert!((huge.window_usd.mean - (64.0 * p.vm_vcpu_hour + 8.0 * p.vm_gb_hour)).abs() < 1e-12);
    assert!(huge.instance.is_none());
    // The JSON says which.
    let json = r.to_json();
    assert!(json.contains(r#""instance": "c7i.xlarge""#), "{json}");
}

#[test]
fn a_host_is_billed_as_its_ec2_type() {
    let text = one_unit(
        "",
        r#"[[variants]]
name = "box"
[[variants.hosts]]
name = "box"
cores = 8
memory = "30GB"
[[variants.units]]
name = "f"
modules = ["f"]
host = "box"
"#,
    );
    let r = run(&scenario(&text));
    // 8 vCPU and 30 GB (27.9 GiB): c7i.2xlarge holds 16 GiB; m7i.2xlarge (32 GiB) is cheaper
    // than r7i.2xlarge.
    let h = &r.variants[0].cost.by_resource["host/box"];
    assert!((h.window_usd.mean - ec2("m7i.2xlarge")).abs() < 1e-12);
    assert_eq!(h.instance.as_deref(), Some("m7i.2xlarge"));
    assert_eq!(
        r.variants[0].cost.by_resource["unit/f"].window_usd.mean,
        0.0
    );
}

#[test]
fn strict_sizes_in_the_scenario_name_the_nearest_sizes() {
    let text = one_unit("strict_sizes = true", REPRODUCERS);
    let err = archsim::scenario::parse(&text, "s.toml")
        .expect_err("0.3 vCPU is no Fargate size")
        .to_string();
    assert!(err.contains("variants[1].units[0].cores"), "{err}");
    assert!(
        err.contains("fargate 0.25 vCPU 0.5 GiB, fargate 0.5 vCPU 1 GiB"),
        "{err}"
    );
    // 4 vCPU exists; 64 does not (nearest: the largest, 32).
    assert!(!err.contains("variants[0].units[0]"), "{err}");
    assert!(err.contains("variants[2].units[0].cores"), "{err}");
    assert!(err.contains("m7i.8xlarge"), "{err}");
}

#[test]
fn strict_sizes_flag_exits_2_and_run_names_the_instance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("sizes.toml");
    let text = one_unit("", REPRODUCERS)
        .replace("duration = \"3600s\"", "duration = \"60s\"")
        .replace("replications = 2", "replications = 1");
    std::fs::write(&file, text).expect("write");
    let out = Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(root())
        .args(["run", "--strict-sizes", "--quiet"])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sizes.toml"), "{err}");
    assert!(err.contains("fargate 0.25 vCPU 0.5 GiB"), "{err}");
    // Without the flag the run goes and prints each line's instance.
    let out = Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(root())
        .arg("run")
        .arg(&file)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains("f (c7i.xlarge)"), "{printed}");
    assert!(printed.contains("f (fargate 0.5 vCPU 1 GiB)"), "{printed}");
}

/// A variant fronted by a self-hosted gateway of `gw_cores` vCPUs and a self-hosted balancer
/// of `lb_cores` vCPUs, each with 2 GB per instance.
fn front_door(gw_cores: &str, lb_cores: &str) -> String {
    format!(
        r#"[[variants]]
name = "proxies"
gateway = {{ overhead = "0s", product = "self_hosted", replicas = 2, cores = {gw_cores}, memory = "2GB" }}
[[variants.units]]
name = "f"
modules = ["f"]
cores = 2
base_memory = "1GB"
[[variants.load_balancers]]
name = "haproxy"
units = ["f"]
product = "self_hosted"
replicas = 2
cores = {lb_cores}
memory = "2GB"
"#
    )
}

#[test]
fn strict_sizes_check_the_self_hosted_gateway_and_balancers() {
    // 3 vCPU is no EC2 size (nearest 2 and 4); 4 is.
    let text = one_unit("strict_sizes = true", &front_door("3", "3"));
    let err = archsim::scenario::parse(&text, "proxies.toml")
        .expect_err("3 vCPU is no EC2 size")
        .to_string();
    for field in [
        "variants[0].gateway.cores",
        "variants[0].load_balancers[0].cores",
    ] {
        assert!(err.contains(field), "{field}: {err}");
    }
    assert!(err.contains("self-hosted gateway"), "{err}");
    assert!(err.contains("self-hosted load balancer `haproxy`"), "{err}");
    assert!(err.contains("c7i.large, c7i.xlarge"), "{err}");
    assert!(
        err.contains("proxies.toml:"),
        "names the file and line: {err}"
    );
    // One wrong, one right: only the wrong one is named.
    let err = archsim::scenario::parse(
        &one_unit("strict_sizes = true", &front_door("4", "6")),
        "p.toml",
    )
    .expect_err("6 vCPU is no EC2 size")
    .to_string();
    assert!(!err.contains("gateway.cores"), "{err}");
    assert!(err.contains("load_balancers[0].cores"), "{err}");
    assert!(err.contains("c7i.xlarge, c7i.2xlarge"), "{err}");
    // Without strict sizes the same file is valid (3 vCPU billed as the 4-vCPU type).
    assert!(archsim::scenario::parse(&one_unit("", &front_door("3", "3")), "p.toml").is_ok());
}

#[test]
fn strict_sizes_accept_a_valid_front_door_and_bill_its_types() {
    let text = one_unit("strict_sizes = true", &front_door("2", "4"));
    let s = archsim::scenario::parse(&text, "ok.toml").expect("2 and 4 vCPU are EC2 sizes");
    let r = run(&s);
    let v = &r.variants[0];
    // 2 × c7i.large and 2 × c7i.xlarge for one hour.
    let gw = &v.cost.by_resource["gateway/gateway"];
    assert!((gw.window_usd.mean - 2.0 * ec2("c7i.large")).abs() < 1e-12);
    assert_eq!(gw.instance.as_deref(), Some("c7i.large"));
    let lb = &v.cost.by_resource["balancer/haproxy"];
    assert!((lb.window_usd.mean - 2.0 * ec2("c7i.xlarge")).abs() < 1e-12);
    assert_eq!(lb.instance.as_deref(), Some("c7i.xlarge"));
}

#[test]
fn strict_sizes_flag_checks_the_front_door_and_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("front.toml");
    std::fs::write(&file, one_unit("", &front_door("2", "3"))).expect("write");
    let out = Command::cargo_bin("archsim")
        .expect("binary")
        .current_dir(root())
        .args(["run", "--strict-sizes", "--quiet"])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("front.toml"), "{err}");
    assert!(err.contains("variants[0].load_balancers[0].cores"), "{err}");
    assert!(err.contains("c7i.large, c7i.xlarge"), "{err}");
    assert!(!err.contains("gateway.cores"), "{err}");
}
