//! The names of the logical model (modules, data stores, their operations, the queues published
//! to) and the resolution of a qualified operation reference, with its "did you mean" help.

use std::collections::BTreeMap;

use super::super::raw::{RawCall, RawScenario, Sp};
use super::super::types::{ExtId, ModuleId, OpId, StoreId};
use crate::spec::check::{check_name, join, list};
use crate::spec::error::Sink;
use crate::spec::units::did_you_mean;

/// Who a name in the shared module/data-store namespace refers to.
#[derive(Clone, Copy)]
pub(super) enum Owner {
    Module(ModuleId),
    Store(StoreId),
    External(ExtId),
}

/// The names of the logical model, as the file gives them.
pub(super) struct Refs<'r> {
    /// Module and data-store names → owner.
    pub(super) owners: BTreeMap<&'r str, Owner>,
    /// `(owner name, op names)` per module.
    pub(super) module_ops: Vec<(&'r str, Vec<&'r str>)>,
    /// `(owner name, op names)` per data store.
    pub(super) store_ops: Vec<(&'r str, Vec<&'r str>)>,
    /// `(owner name, op names)` per external service.
    pub(super) external_ops: Vec<(&'r str, Vec<&'r str>)>,
    /// Qualified op name → id.
    pub(super) ops: BTreeMap<String, OpId>,
    /// Queue names published to, in order of first use (index = `QueueId`).
    pub(super) queues: Vec<&'r str>,
    /// Lock names taken by transaction steps, ascending (index = `LockId`).
    pub(super) locks: Vec<&'r str>,
}

impl<'r> Refs<'r> {
    /// The module and data-store names of `raw` (checked), the queues it publishes to; the
    /// operations are added as they are resolved.
    pub(super) fn new(s: &mut Sink<'_>, raw: &'r RawScenario) -> Refs<'r> {
        let mut refs = Refs {
            owners: BTreeMap::new(),
            module_ops: Vec::new(),
            store_ops: Vec::new(),
            external_ops: Vec::new(),
            ops: BTreeMap::new(),
            queues: publish_names(raw),
            locks: lock_names(raw),
        };
        for (i, (k, m)) in raw.modules.0.iter().enumerate() {
            check_name(s, k, &join("modules", k.get()), "module");
            refs.owners.insert(k.get().as_str(), Owner::Module(i));
            let ops = m.ops.0.iter().map(|(o, _)| o.get().as_str()).collect();
            refs.module_ops.push((k.get().as_str(), ops));
        }
        for (i, (k, d)) in raw.datastores.0.iter().enumerate() {
            let f = join("datastores", k.get());
            check_name(s, k, &f, "data store");
            if refs.owners.contains_key(k.get().as_str()) {
                s.error(
                    k.span(),
                    &f,
                    format!(
                        "`{}` is both a module and a data store; they share one namespace",
                        k.get()
                    ),
                    Some("rename the data store, e.g. with a `_db` suffix".into()),
                );
            } else {
                refs.owners.insert(k.get().as_str(), Owner::Store(i));
            }
            let ops = d.ops.0.iter().map(|(o, _)| o.get().as_str()).collect();
            refs.store_ops.push((k.get().as_str(), ops));
        }
        for (i, (k, x)) in raw.externals.0.iter().enumerate() {
            let f = join("externals", k.get());
            if refs.owners.contains_key(k.get().as_str()) {
                s.error(
                    k.span(),
                    &f,
                    format!(
                        "`{}` is already a module or a data store; externals share their namespace",
                        k.get()
                    ),
                    Some("rename the external, e.g. with an `_api` suffix".into()),
                );
            } else {
                refs.owners.insert(k.get().as_str(), Owner::External(i));
            }
            let ops = x.ops.0.iter().map(|(o, _)| o.get().as_str()).collect();
            refs.external_ops.push((k.get().as_str(), ops));
        }
        refs
    }

    fn owner_ops(&self, o: Owner) -> &(&'r str, Vec<&'r str>) {
        match o {
            Owner::Module(m) => &self.module_ops[m],
            Owner::Store(d) => &self.store_ops[d],
            Owner::External(e) => &self.external_ops[e],
        }
    }

    /// Resolves a qualified operation reference, reporting what is wrong with it.
    pub(super) fn op_ref(&self, s: &mut Sink<'_>, r: &Sp<String>, field: &str) -> Option<OpId> {
        let text = r.get().as_str();
        if let Some(&id) = self.ops.get(text) {
            return Some(id);
        }
        let Some((owner, op)) = text.split_once('.') else {
            self.unqualified(s, r, field);
            return None;
        };
        match self.owners.get(owner) {
            None => {
                let help = did_you_mean(owner, self.owners.keys().copied())
                    .map(|m| format!("did you mean `{m}.{op}`?"));
                s.error(
                    r.span(),
                    field,
                    format!("unknown module, data store or external service `{owner}` in `{text}`"),
                    help,
                );
            }
            Some(&o) => {
                let (name, ops) = self.owner_ops(o);
                let kind = match o {
                    Owner::Module(_) => "module",
                    Owner::Store(_) => "data store",
                    Owner::External(_) => "external service",
                };
                let valid = if ops.is_empty() {
                    format!("`{name}` has no operations")
                } else {
                    format!("operations of `{name}`: {}", list(ops))
                };
                let help = match did_you_mean(op, ops.iter().copied()) {
                    Some(m) => format!("did you mean `{name}.{m}`? {valid}"),
                    None => valid,
                };
                s.error(
                    r.span(),
                    field,
                    format!("{kind} `{name}` has no operation `{op}`"),
                    Some(help),
                );
            }
        }
        None
    }

    /// Reports an operation reference without its owner.
    fn unqualified(&self, s: &mut Sink<'_>, r: &Sp<String>, field: &str) {
        let text = r.get().as_str();
        let mut candidates: Vec<String> = Vec::new();
        for (o, ops) in self
            .module_ops
            .iter()
            .chain(self.store_ops.iter())
            .chain(self.external_ops.iter())
        {
            if ops.contains(&text) {
                candidates.push(format!("`{o}.{text}`"));
            }
        }
        let help = if !candidates.is_empty() {
            Some(format!("did you mean {}?", candidates.join(" or ")))
        } else if let Some(&o) = self.owners.get(text) {
            let (name, ops) = self.owner_ops(o);
            Some(format!(
                "`{name}` is not an operation; name one of its operations: {}",
                ops.iter()
                    .map(|x| format!("{name}.{x}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        } else {
            None
        };
        s.error(
            r.span(),
            field,
            format!(
                "operation reference `{text}` is not qualified: write `module.op` or `datastore.op`, e.g. `orders.checkout`"
            ),
            help,
        );
    }
}

/// Queue names used by `publish` anywhere in the module operations, in file order.
fn publish_names(raw: &RawScenario) -> Vec<&str> {
    fn walk<'r>(calls: &'r [Sp<RawCall>], out: &mut Vec<&'r str>) {
        for c in calls {
            let c = c.get();
            if let Some(q) = &c.publish {
                if !out.contains(&q.get().as_str()) {
                    out.push(q.get().as_str());
                }
            }
            if let Some(b) = &c.parallel {
                walk(b, out);
            }
            if let Some(b) = &c.saga {
                walk(b, out);
            }
            if let Some(b) = &c.transaction {
                walk(b, out);
            }
        }
    }
    let mut out = Vec::new();
    for (_, m) in &raw.modules.0 {
        for (_, o) in &m.ops.0 {
            walk(&o.calls, &mut out);
        }
    }
    out
}

/// Lock names given by `locks` anywhere in the module operations, ascending, each once.
fn lock_names(raw: &RawScenario) -> Vec<&str> {
    fn walk<'r>(calls: &'r [Sp<RawCall>], out: &mut Vec<&'r str>) {
        for c in calls {
            let c = c.get();
            if let Some(l) = &c.locks {
                out.extend(l.get().iter().map(|x| x.get().as_str()));
            }
            for b in [&c.parallel, &c.saga, &c.transaction].into_iter().flatten() {
                walk(b, out);
            }
        }
    }
    let mut out = Vec::new();
    for (_, m) in &raw.modules.0 {
        for (_, o) in &m.ops.0 {
            walk(&o.calls, &mut out);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
