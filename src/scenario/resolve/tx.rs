//! Transactions in the scenario: what each transaction's steps reach (checked once the call
//! graph is known: no nested transaction, at least one data store), and, per variant, whether
//! each is local or needs the variant's `transactions` mode.

use std::collections::BTreeSet;

use crate::components::tx::raw::RawTxMode;
use crate::components::tx::TxMode;
use crate::scenario::raw::Sp;
use crate::scenario::types::{OpOwner, Operation, Step, Transaction, TxReach};
use crate::spec::error::Sink;

/// Fills the reach of every transaction of `ops` and reports the nested ones and those that
/// reach no data store.
pub(super) fn reach(s: &mut Sink<'_>, ops: &mut [Operation]) {
    for i in 0..ops.len() {
        for k in 0..ops[i].steps.len() {
            let Step::Transaction(t) = &ops[i].steps[k] else {
                continue;
            };
            let (r, nested) = walk(ops, t);
            if let Some(n) = nested {
                s.error(
                    t.span.clone(),
                    &t.field,
                    format!(
                        "the steps of this transaction reach `{}`, which holds a transaction of its own: transactions cannot be nested",
                        ops[n].name
                    ),
                    Some("make the inner operation's calls plain steps of the outer transaction".into()),
                );
            }
            if r.stores.is_empty() {
                s.error(
                    t.span.clone(),
                    &t.field,
                    "a transaction needs a data-store operation among what its steps call: it runs on that store's database",
                    Some("add the query to a step, e.g. `{ op = \"orders_db.write\" }`".into()),
                );
            }
            if let Step::Transaction(t) = &mut ops[i].steps[k] {
                t.reach = r;
            }
        }
    }
}

/// The modules and stores transaction `t` reaches through synchronous calls (forward steps,
/// and the steps and compensations of sagas they run), and an operation reached that holds a
/// transaction, if any.
fn walk(ops: &[Operation], t: &Transaction) -> (TxReach, Option<usize>) {
    let mut seen = vec![false; ops.len()];
    let mut stack: Vec<usize> = t.steps.iter().map(|x| x.call.op).collect();
    let (mut modules, mut stores) = (BTreeSet::new(), BTreeSet::new());
    let mut nested = None;
    while let Some(o) = stack.pop() {
        if std::mem::replace(&mut seen[o], true) {
            continue;
        }
        match ops[o].owner {
            OpOwner::Module(m) => {
                modules.insert(m);
            }
            OpOwner::Store(st) => {
                stores.insert(st);
            }
            OpOwner::External(_) => {}
        }
        for st in &ops[o].steps {
            match st {
                Step::Call(c) if c.publish.is_none() => stack.push(c.op),
                Step::Call(_) => {}
                Step::Parallel(cs) => {
                    stack.extend(cs.iter().filter(|c| c.publish.is_none()).map(|c| c.op))
                }
                // A choreographed saga's steps are publishes: not synchronous.
                Step::Saga(xs) => {
                    for x in xs.iter().filter(|x| x.call.publish.is_none()) {
                        stack.push(x.call.op);
                        stack.extend(x.compensate.as_ref().map(|c| c.op));
                    }
                }
                Step::Transaction(_) => nested = nested.or(Some(o)),
                Step::Workflow(w) => stack.extend(w.tasks.iter().map(|c| c.op)),
            }
        }
    }
    (
        TxReach {
            modules: modules.into_iter().collect(),
            stores: stores.into_iter().collect(),
        },
        nested,
    )
}

/// The variant's `transactions` mode, after checking that every reachable transaction spanning
/// units or databases has one (`vf`: the variant's field path, `vname` its name).
#[allow(clippy::too_many_arguments)]
pub(super) fn mode(
    s: &mut Sink<'_>,
    raw: Option<&Sp<RawTxMode>>,
    name_span: std::ops::Range<usize>,
    vf: &str,
    vname: &str,
    ops: &[Operation],
    reachable: &[bool],
    module_unit: &[usize],
    store_db: &[Option<usize>],
    unit_name: &dyn Fn(usize) -> String,
    db_name: &dyn Fn(usize) -> String,
) -> Option<TxMode> {
    let mode = raw.map(|m| match m.get() {
        RawTxMode::Saga => TxMode::Saga,
        RawTxMode::TwoPc => TxMode::TwoPc,
    });
    if mode.is_some() {
        return mode;
    }
    for (i, op) in ops.iter().enumerate() {
        let OpOwner::Module(holder) = op.owner else {
            continue;
        };
        if !reachable[i] {
            continue;
        }
        for st in &op.steps {
            let Step::Transaction(t) = st else {
                continue;
            };
            let (units, dbs) = t.spread(holder, module_unit, store_db);
            if units.len() > 1 || dbs.len() > 1 {
                let us: Vec<String> = units.iter().map(|&u| unit_name(u)).collect();
                let ds: Vec<String> = dbs.iter().map(|&d| db_name(d)).collect();
                s.error(
                    name_span.clone(),
                    format!("{vf}.transactions"),
                    format!(
                        "in variant `{vname}`, the transaction of `{}` ({}) spans units [{}] and databases [{}]: a local transaction runs in one unit on one database",
                        op.name,
                        t.field,
                        us.join(", "),
                        ds.join(", ")
                    ),
                    Some("set `transactions = \"saga\"` (steps commit one by one, compensations undo them) or `transactions = \"2pc\"` (two-phase commit) on this variant".into()),
                );
                return None;
            }
        }
    }
    None
}
