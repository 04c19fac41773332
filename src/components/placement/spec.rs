//! The validated hosts of a variant and the placement of a unit's instances.

/// A host (machine) of a variant: the instances placed on it share its cores.
#[derive(Debug, Clone, PartialEq)]
pub struct Host {
    /// Unique name within the variant.
    pub name: String,
    /// Cores (> 0).
    pub cores: f64,
    /// Memory \[bytes\], if given (the instances on it must fit).
    pub memory: Option<u64>,
    /// Zone (index in `Variant::zones`), if any.
    pub zone: Option<usize>,
    /// The EC2 instance type it is: the cheapest of the catalogue with its cores and memory
    /// (`None` when none is that large: priced pro rata).
    pub instance: Option<crate::spec::instances::Instance>,
    /// Memory of the cache and broker servers placed on it \[bytes\] (they have no instances
    /// of the model; databases' servers are instances of their node).
    pub extra_memory: u64,
}

/// Where the instances of a unit run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placement {
    /// Host of instance `i`: `hosts[i % len]` (index in `Variant::hosts`); empty = no host.
    pub hosts: Vec<usize>,
    /// Container limit \[cores\] of an instance on a host; `None` = it shares the host's
    /// cores left after the limited instances.
    pub cpu_limit: Option<f64>,
    /// Without hosts: zone of instance `i`, `zones[i % len]` (index in `Variant::zones`);
    /// empty = no zone.
    pub zones: Vec<usize>,
}
