//! The instance catalogue: the real machine sizes a unit is fitted to, with their list prices
//! (`src/spec/instances.toml`, included at build time; its source and date are in the file,
//! in `docs/sources.md` and in `docs/cost.md`, "Instance catalogue").
//!
//! A unit (or a host) asks for cores and memory; [`fit`] picks the cheapest offering of its
//! platform that has at least those vCPUs and that memory: an EC2 instance type (M7i, C7i,
//! R7i) for `vm` units and hosts, a valid Fargate task size for `container` units. Ties in
//! price go to fewer vCPUs, then to less memory, then to the catalogue's order. With strict
//! sizes ([`exact`]) the cores must be an offering's vCPUs exactly (memory is a need and is
//! rounded up to the offering's); [`nearest`] names the valid sizes around a request.
//!
//! # Complexity
//! [`fit`] and [`exact`] scan the catalogue: O(offerings) (13 EC2 types, 74 Fargate sizes).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::prices::Prices;

/// Bytes in a GiB (the catalogue states memory in GiB, as AWS does).
pub const GIB: f64 = 1_073_741_824.0;

/// The catalogue's text.
const TEXT: &str = include_str!("instances.toml");

/// The family of offerings a platform is sized from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// EC2 instance types (`vm` units, hosts).
    Ec2,
    /// Fargate task sizes (`container` units).
    Fargate,
}

impl Family {
    /// How the family is named in messages.
    pub fn label(self) -> &'static str {
        match self {
            Family::Ec2 => "EC2 instance type",
            Family::Fargate => "Fargate task size",
        }
    }
}

/// An EC2 instance type of the catalogue.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2Type {
    /// API name, e.g. `m7i.large`.
    pub name: String,
    /// vCPUs.
    pub vcpus: f64,
    /// Memory \[GiB\].
    pub memory_gib: f64,
    /// On-demand price per instance-hour \[$\].
    pub usd_per_hour: f64,
}

/// One valid Fargate task size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FargateSize {
    /// vCPUs.
    pub vcpus: f64,
    /// Memory \[GiB\].
    pub memory_gib: f64,
}

/// The catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// Region of the prices.
    pub region: String,
    /// Date the prices were read (ISO 8601).
    pub date: String,
    /// Where the EC2 figures come from.
    pub ec2_source: String,
    /// EC2 instance types, in the file's order.
    pub ec2: Vec<Ec2Type>,
    /// Where the Fargate figures come from.
    pub fargate_source: String,
    /// Fargate per vCPU-hour \[$\].
    pub fargate_vcpu_hour: f64,
    /// Fargate per GB-hour \[$\] (GB = GiB of task memory).
    pub fargate_gb_hour: f64,
    /// Valid Fargate sizes, by vCPUs then memory.
    pub fargate: Vec<FargateSize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    region: String,
    date: String,
    vm: RawVm,
    fargate: RawFargate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVm {
    source: String,
    instances: Vec<Ec2Type>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFargate {
    source: String,
    usd_per_vcpu_hour: f64,
    usd_per_gb_hour: f64,
    sizes: Vec<RawFargateCpu>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFargateCpu {
    vcpus: f64,
    /// Memory values allowed \[GiB\].
    memory_gib: Option<Vec<f64>>,
    /// Or a range: from, to (inclusive), step \[GiB\].
    memory_gib_range: Option<[f64; 3]>,
}

/// Parses a catalogue text (the format of `src/spec/instances.toml`).
///
/// # Errors
/// The TOML error, or a message naming a Fargate row with neither or both memory forms.
pub fn parse(text: &str) -> Result<Catalogue, String> {
    let raw: RawCatalogue = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut fargate = Vec::new();
    for c in &raw.fargate.sizes {
        match (&c.memory_gib, c.memory_gib_range) {
            (Some(list), None) => fargate.extend(list.iter().map(|&m| FargateSize {
                vcpus: c.vcpus,
                memory_gib: m,
            })),
            (None, Some([from, to, step])) if step > 0.0 && to >= from => {
                let n = ((to - from) / step).round() as usize;
                fargate.extend((0..=n).map(|i| FargateSize {
                    vcpus: c.vcpus,
                    memory_gib: from + step * i as f64,
                }));
            }
            _ => {
                return Err(format!(
                    "Fargate row with {} vCPUs: give `memory_gib` (a list) or `memory_gib_range` ([from, to, step > 0])",
                    c.vcpus
                ))
            }
        }
    }
    Ok(Catalogue {
        region: raw.region,
        date: raw.date,
        ec2_source: raw.vm.source,
        ec2: raw.vm.instances,
        fargate_source: raw.fargate.source,
        fargate_vcpu_hour: raw.fargate.usd_per_vcpu_hour,
        fargate_gb_hour: raw.fargate.usd_per_gb_hour,
        fargate,
    })
}

/// The catalogue of this build.
pub fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    // The text is part of the build; `tests::the_catalogue_parses` checks it.
    C.get_or_init(|| parse(TEXT).expect("src/spec/instances.toml is a valid catalogue"))
}

/// What is billed for a chosen size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Offering {
    /// An EC2 instance type at its hourly price \[$\].
    Ec2 {
        /// Price per instance-hour \[$\].
        usd_per_hour: f64,
    },
    /// A Fargate task size, billed per vCPU-hour and per GB-hour (`[prices]`
    /// `container_vcpu_hour`, `container_gb_hour`).
    Fargate,
}

/// The size a unit or host runs on: the cheapest offering that fits what it asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// Name, e.g. `c7i.xlarge` or `fargate 0.5 vCPU 1 GiB`.
    pub name: String,
    /// vCPUs of the offering.
    pub vcpus: f64,
    /// Memory of the offering \[GiB\].
    pub memory_gib: f64,
    /// How it is priced.
    pub offering: Offering,
}

impl Instance {
    /// Price of one instance per hour under `p` \[$\].
    pub fn usd_per_hour(&self, p: &Prices) -> f64 {
        match self.offering {
            Offering::Ec2 { usd_per_hour } => usd_per_hour,
            Offering::Fargate => {
                self.vcpus * p.container_vcpu_hour + self.memory_gib * p.container_gb_hour
            }
        }
    }
}

impl Catalogue {
    /// Every offering of `family` as an [`Instance`] with its hourly price at the catalogue's
    /// own prices (for the ordering), in the catalogue's order.
    fn offerings(&self, family: Family) -> Vec<(Instance, f64)> {
        match family {
            Family::Ec2 => self
                .ec2
                .iter()
                .map(|t| {
                    (
                        Instance {
                            name: t.name.clone(),
                            vcpus: t.vcpus,
                            memory_gib: t.memory_gib,
                            offering: Offering::Ec2 {
                                usd_per_hour: t.usd_per_hour,
                            },
                        },
                        t.usd_per_hour,
                    )
                })
                .collect(),
            Family::Fargate => self
                .fargate
                .iter()
                .map(|s| {
                    (
                        Instance {
                            name: format!("fargate {} vCPU {} GiB", s.vcpus, s.memory_gib),
                            vcpus: s.vcpus,
                            memory_gib: s.memory_gib,
                            offering: Offering::Fargate,
                        },
                        s.vcpus * self.fargate_vcpu_hour + s.memory_gib * self.fargate_gb_hour,
                    )
                })
                .collect(),
        }
    }

    /// The cheapest offering of `family` with at least `cores` vCPUs and `memory` bytes
    /// (ties: fewer vCPUs, less memory, catalogue order); `None` when none is that large.
    pub fn fit(&self, family: Family, cores: f64, memory: u64) -> Option<Instance> {
        self.cheapest(family, |i| i.vcpus >= cores - 1e-9 && holds(i, memory))
    }

    /// The cheapest offering of `family` with exactly `cores` vCPUs that holds `memory` bytes
    /// (strict sizes); `None` when there is none.
    pub fn exact(&self, family: Family, cores: f64, memory: u64) -> Option<Instance> {
        self.cheapest(family, |i| {
            (i.vcpus - cores).abs() < 1e-9 && holds(i, memory)
        })
    }

    fn cheapest(&self, family: Family, ok: impl Fn(&Instance) -> bool) -> Option<Instance> {
        let mut best: Option<(Instance, f64)> = None;
        for (i, usd) in self.offerings(family) {
            if !ok(&i) {
                continue;
            }
            let better = match &best {
                None => true,
                Some((b, bu)) => (usd, i.vcpus, i.memory_gib) < (*bu, b.vcpus, b.memory_gib),
            };
            if better {
                best = Some((i, usd));
            }
        }
        best.map(|(i, _)| i)
    }

    /// The distinct vCPU counts of `family`'s offerings, ascending.
    pub fn vcpu_counts(&self, family: Family) -> Vec<f64> {
        let mut counts: Vec<f64> = self
            .offerings(family)
            .iter()
            .map(|(i, _)| i.vcpus)
            .collect();
        counts.sort_by(f64::total_cmp);
        counts.dedup();
        counts
    }

    /// The valid sizes nearest a request of `cores` and `memory` bytes, for an error message:
    /// the cheapest size holding `memory` (else the cheapest) at the largest vCPU count below
    /// `cores` and at the smallest at or above it (one or two names).
    pub fn nearest(&self, family: Family, cores: f64, memory: u64) -> Vec<String> {
        let counts = self.vcpu_counts(family);
        let below = counts.iter().rev().find(|&&c| c < cores - 1e-9).copied();
        let above = counts.iter().find(|&&c| c >= cores - 1e-9).copied();
        [below, above]
            .into_iter()
            .flatten()
            .filter_map(|c| {
                self.exact(family, c, memory)
                    .or_else(|| self.exact(family, c, 0))
                    .map(|i| i.name)
            })
            .collect()
    }
}

/// Whether an offering holds `memory` bytes.
fn holds(i: &Instance, memory: u64) -> bool {
    i.memory_gib * GIB >= memory as f64
}

/// [`Catalogue::fit`] in this build's catalogue.
pub fn fit(family: Family, cores: f64, memory: u64) -> Option<Instance> {
    catalogue().fit(family, cores, memory)
}

/// [`Catalogue::exact`] in this build's catalogue.
pub fn exact(family: Family, cores: f64, memory: u64) -> Option<Instance> {
    catalogue().exact(family, cores, memory)
}

/// [`Catalogue::vcpu_counts`] in this build's catalogue.
pub fn vcpu_counts(family: Family) -> Vec<f64> {
    catalogue().vcpu_counts(family)
}

/// [`Catalogue::nearest`] in this build's catalogue.
pub fn nearest(family: Family, cores: f64, memory: u64) -> Vec<String> {
    catalogue().nearest(family, cores, memory)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_parses() {
        let c = parse(TEXT).expect("valid");
        assert_eq!(c.ec2.len(), 13);
        // 3 + 4 + 7 + 13 + 23 + 12 + 12 Fargate sizes.
        assert_eq!(c.fargate.len(), 74);
        assert!(c.ec2.iter().all(|t| t.usd_per_hour > 0.0 && t.vcpus > 0.0));
    }

    #[test]
    fn a_fargate_row_needs_one_memory_form() {
        let bad = TEXT.replace("memory_gib = [0.5, 1, 2]", "memory_gib_range = [2, 1, 1]");
        assert!(parse(&bad).is_err());
    }
}
