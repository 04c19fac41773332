//! What a component's combination across replications reads: one [`Replication`] per
//! replication, in replication order, holding the component's own record and the core figures
//! of that replication it may relate its record to. Each component's `report.rs` turns a slice
//! of them into its part of the results document.

use crate::flow::record::EntryRep;

/// One replication as a component's combination sees it.
#[derive(Debug)]
pub struct Replication<'a, R> {
    /// The component's record of the replication.
    pub rep: &'a R,
    /// Length of the measured interval \[s\].
    pub measured_s: f64,
    /// Per entry, the core figures of the replication.
    pub entries: &'a [EntryRep],
}

impl<R> Clone for Replication<'_, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Replication<'_, R> {}

impl<'a, R> Replication<'a, R> {
    /// The same replication seen through a part `f` of the record.
    pub fn map<S>(self, f: impl Fn(&'a R) -> &'a S) -> Replication<'a, S> {
        Replication {
            rep: f(self.rep),
            measured_s: self.measured_s,
            entries: self.entries,
        }
    }
}
