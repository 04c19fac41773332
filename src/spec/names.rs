//! Names and ids: what a component's configuration refers to by name (operations, entries,
//! modules, data stores, queues; a variant's units, databases, load balancers, caches, hosts
//! and zones) and the ids the scenario resolved them to.
//!
//! The scenario resolver builds these tables once the names are known and hands them to each
//! component's resolver, so that a component resolves its references, and says what it expected,
//! without knowing the scenario: [`Names`] for the names of the whole file, [`VariantNames`]
//! for the nodes of one resolved variant. Ids are indices into the scenario's vectors (see
//! `crate::scenario::Scenario`).

use std::collections::BTreeMap;

use super::units::suggest;

/// Index of a module in `Scenario::modules`.
pub type ModuleId = usize;
/// Index of a data store in `Scenario::datastores`.
pub type StoreId = usize;
/// Index of an operation in `Scenario::ops` (module operations and data-store operations share
/// one table).
pub type OpId = usize;
/// Index of a unit in `Variant::units`.
pub type UnitId = usize;
/// `Variant::module_unit` of a module hosted on the gateway (`modules` of the gateway): it is
/// in no unit.
pub const ON_GATEWAY: UnitId = UnitId::MAX;
/// Index of a database in `Variant::databases`.
pub type DbId = usize;
/// Index of a queue name in `Scenario::queues`.
pub type QueueId = usize;

/// Names in id order: the id of a name is its index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameList<'a>(pub Vec<&'a str>);

impl<'a> NameList<'a> {
    /// The id of `name`: the index of its first occurrence.
    ///
    /// # Complexity
    /// O(n) in the number of names.
    pub fn id(&self, name: &str) -> Option<usize> {
        self.0.iter().position(|n| *n == name)
    }

    /// The names, in id order.
    pub fn names(&self) -> &[&'a str] {
        &self.0
    }

    /// Whether there are no names.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The help for an unknown `name`: "did you mean …?", or the list of the `what`.
    pub fn suggest(&self, name: &str, what: &str) -> String {
        suggest(name, self.0.iter().copied(), what)
    }
}

impl<'a> FromIterator<&'a str> for NameList<'a> {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        NameList(iter.into_iter().collect())
    }
}

/// An operation as a component's configuration may name it (a gateway's `auth.op`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpInfo {
    /// Its id.
    pub id: OpId,
    /// A data-store query or an external service's operation rather than a module operation.
    pub store: bool,
    /// Reached from an entry through calls.
    pub reachable: bool,
    /// It makes calls.
    pub calls: bool,
}

/// The names of the whole file, as the scenario resolved them.
#[derive(Debug, Clone, Default)]
pub struct Names<'a> {
    /// Operations by qualified name (`owner.op`).
    pub ops: BTreeMap<&'a str, OpInfo>,
    /// Workload entries, by entry index.
    pub entries: NameList<'a>,
    /// Modules, by [`ModuleId`].
    pub modules: NameList<'a>,
    /// Data stores, by [`StoreId`].
    pub stores: NameList<'a>,
    /// External services, by index in the scenario's externals.
    pub externals: NameList<'a>,
    /// Queues published to, by [`QueueId`].
    pub queues: NameList<'a>,
}

/// The nodes of one resolved variant by name, for the components that refer to them.
#[derive(Debug, Clone, Default)]
pub struct VariantNames<'a> {
    /// The variant's name.
    pub name: &'a str,
    /// Units, by [`UnitId`].
    pub units: NameList<'a>,
    /// For each module (by [`ModuleId`]), its unit, or [`ON_GATEWAY`].
    pub module_unit: &'a [UnitId],
    /// Databases, by [`DbId`].
    pub databases: NameList<'a>,
    /// For each data store (by [`StoreId`]), its database, if deployed.
    pub store_db: &'a [Option<DbId>],
    /// Whether the variant has a gateway.
    pub gateway: bool,
    /// Load balancers, by index.
    pub load_balancers: NameList<'a>,
    /// Cache nodes, by index.
    pub caches: NameList<'a>,
    /// Hosts, by index.
    pub hosts: NameList<'a>,
    /// Zones, by index.
    pub zones: NameList<'a>,
}
