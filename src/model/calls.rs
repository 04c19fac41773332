//! Operations and their call plans: every call classified as in-process, remote, database or
//! taken over by a component (a publish, a saga), with its timeout and the call-policy edge it
//! belongs to.

use crate::components::saga::SagaPlan;
use crate::components::tx::{TxKind, TxMode, TxPlan};
use crate::components::{bit, Plans};
use crate::flow::topology::{
    CallKind, CallPlan, NodeKind, OpPlan, StepPlan, Topology, NO_CACHE, NO_POLICY,
};
use crate::kernel::dist::Dist;
use crate::scenario::{Call, OpOwner, Scenario, Step, Variant, ON_GATEWAY};

/// How many sagas of the operation named `op` come before (for unique result names).
fn op_sagas_before(sagas: &[SagaPlan], op: &str) -> usize {
    sagas
        .iter()
        .filter(|g| g.name == op || g.name.starts_with(&format!("{op}#")))
        .count()
}

/// How many transactions of the operation named `op` come before (for unique result names).
fn op_txs_before(txs: &[TxPlan], op: &str) -> usize {
    txs.iter()
        .filter(|g| g.kind != TxKind::Section)
        .filter(|g| g.name == op || g.name.starts_with(&format!("{op}#")))
        .count()
}

/// Compiles every operation of `s` for `var` into `topo` (their node, demand, steps and calls)
/// and the plans of the call policies and sagas; then decides which unit stations are
/// dedicated.
pub(super) fn compile(s: &Scenario, var: &Variant, topo: &mut Topology, plans: &mut Plans) {
    // The gateway node, when the gateway is one, comes after the cache nodes and load
    // balancers (`front::compile`); the operations of the modules it hosts run on it.
    let gateway_ix = (topo.nodes.len() + var.caches.len() + var.load_balancers.len()) as u32;
    let db_base = topo.db_base as usize;
    let plans_ext: Vec<u32> = plans.external.externals.iter().map(|x| x.node).collect();
    let node_of_op = |op: usize| -> u32 {
        match s.ops[op].owner {
            OpOwner::Module(m) if var.module_unit[m] == ON_GATEWAY => gateway_ix,
            OpOwner::Module(m) => var.module_unit[m] as u32,
            OpOwner::Store(st) => match var.store_db[st] {
                Some(d) => (db_base + d) as u32,
                None => u32::MAX,
            },
            OpOwner::External(e) => plans_ext[e],
        }
    };
    plans.tx.locks = s.locks.clone();
    plans.workflow.workflows = s.workflows.clone();
    let mut cx = Calls {
        s,
        var,
        plans,
        node_of_op: &node_of_op,
    };
    for (i, op) in s.ops.iter().enumerate() {
        let node = node_of_op(i);
        let first_step = topo.steps.len() as u32;
        for step in &op.steps {
            let first = topo.calls.len() as u32;
            let len = match step {
                Step::Call(c) => {
                    let p = cx.plan(c, node, i);
                    topo.calls.push(p);
                    1
                }
                Step::Parallel(cs) => {
                    for c in cs {
                        let p = cx.plan(c, node, i);
                        topo.calls.push(p);
                    }
                    cs.len() as u32
                }
                Step::Saga(saga) => {
                    cx.saga(&mut topo.calls, op, i, node, saga);
                    1
                }
                Step::Transaction(tx) => {
                    cx.transaction(&mut topo.calls, op, i, node, tx, topo.db_base);
                    1
                }
                Step::Workflow(w) => {
                    cx.workflow(&mut topo.calls, i, node, w);
                    1
                }
            };
            topo.steps.push(StepPlan { first, len });
        }
        topo.ops.push(OpPlan {
            name: op.name.clone(),
            node,
            demand: op.demand.clone(),
            // An external's latency is all its response time: no marshalling of ours.
            marshal_ns: if matches!(op.owner, OpOwner::External(_)) {
                0.0
            } else {
                s.network.marshal_per_kb_ns * op.payload as f64 / 1000.0
            },
            first_step,
            steps: op.steps.len() as u32,
            write: op.write,
            errors: op.errors,
            payload: op.payload as f64,
        });
    }
    dedicated(s, topo, plans);
}

/// What compiling the calls needs.
struct Calls<'a> {
    s: &'a Scenario,
    var: &'a Variant,
    plans: &'a mut Plans,
    node_of_op: &'a dyn Fn(usize) -> u32,
}

impl Calls<'_> {
    /// The plan of call `c` of operation `caller` running on `node`.
    fn plan(&mut self, c: &Call, node: u32, caller: usize) -> CallPlan {
        let (s, var) = (self.s, self.var);
        let target = (self.node_of_op)(c.op);
        let kind = match (s.ops[c.op].owner, c.publish) {
            (_, Some(_)) => CallKind::Component,
            (OpOwner::Store(_), None) => CallKind::Database,
            (OpOwner::External(_), None) => CallKind::External,
            (OpOwner::Module(_), None) if target == node => CallKind::Local,
            (OpOwner::Module(_), None) => CallKind::Remote,
        };
        let publish = c.publish.is_some();
        // The calling unit's `resilience` defaults apply to its calls over the network (not
        // to in-process calls, nor to publishes).
        let policy = match (kind, s.ops[caller].owner) {
            (CallKind::Remote | CallKind::Database | CallKind::External, OpOwner::Module(m))
                if var.module_unit[m] != ON_GATEWAY =>
            {
                c.policy.or(&var.units[var.module_unit[m]].resilience)
            }
            _ => c.policy,
        };
        let timeout = if publish {
            0
        } else {
            policy.timeout.or(c.timeout).unwrap_or(0)
        };
        let policy_ix = if !publish && policy.is_active() {
            self.plans
                .policy
                .add_edge(policy, &s.ops[caller].name, &s.ops[c.op].name)
        } else {
            NO_POLICY
        };
        let mut hooks = if policy_ix != NO_POLICY {
            bit::policy
        } else {
            0
        };
        if publish {
            hooks |= bit::queue;
        }
        CallPlan {
            op: c.op as u32,
            kind,
            p: c.p,
            count: c.count,
            timeout,
            policy: policy_ix,
            direct: c.count == 1 && timeout == 0 && policy_ix == NO_POLICY,
            aux: c.publish.map_or(0, |q| q as u32),
            cache: NO_CACHE,
            hooks,
        }
    }

    /// A saga step of operation `op` (index `i`, on `node`): one saga call in the step; its
    /// forward and compensation calls follow it in `calls`, outside every step's range.
    fn saga(
        &mut self,
        calls: &mut Vec<CallPlan>,
        op: &crate::scenario::Operation,
        i: usize,
        node: u32,
        saga: &[crate::scenario::SagaStep],
    ) {
        // A saga group's steps take no locks.
        self.saga_of(calls, op, i, node, saga, 0)
    }

    /// A transaction step of operation `op` (index `i`, on `node`; databases from node
    /// `db_base`): local in one unit on one database, else as the variant's `transactions`
    /// says — a two-phase commit, or a saga whose steps with locks hold them around their call.
    fn transaction(
        &mut self,
        calls: &mut Vec<CallPlan>,
        op: &crate::scenario::Operation,
        i: usize,
        node: u32,
        tx: &crate::scenario::Transaction,
        db_base: u32,
    ) {
        let holder = match op.owner {
            OpOwner::Module(m) => m,
            _ => return,
        };
        let (units, dbs) = tx.spread(holder, &self.var.module_unit, &self.var.store_db);
        let kind = if units.len() <= 1 && dbs.len() <= 1 {
            TxKind::Local
        } else if self.var.transactions == Some(TxMode::TwoPc) {
            TxKind::TwoPc
        } else {
            self.saga_of(calls, op, i, node, &tx.steps, tx.lock_timeout);
            return;
        };
        let k = op_txs_before(&self.plans.tx.txs, &op.name);
        let mut call = CallPlan::direct(i as u32, CallKind::Component);
        call.aux = self.plans.tx.txs.len() as u32;
        call.hooks = bit::tx;
        calls.push(call);
        let first = calls.len() as u32;
        for x in &tx.steps {
            let p = self.plan(&x.call, node, i);
            calls.push(p);
        }
        self.plans.tx.txs.push(TxPlan {
            name: if k == 0 {
                op.name.clone()
            } else {
                format!("{}#{}", op.name, k + 1)
            },
            kind,
            first,
            len: tx.steps.len() as u32,
            locks: tx.locks.clone(),
            lock_timeout: tx.lock_timeout,
            commit: tx.commit_latency.clone(),
            participants: dbs.len().max(1) as u32,
            origin: dbs.first().map_or(node, |&d| db_base + d as u32),
        });
    }

    /// A workflow call of operation `i` (on `node`): one workflow call in the step (its `aux`
    /// the site); the calls of its task states follow it in `calls`, outside every step's
    /// range.
    fn workflow(
        &mut self,
        calls: &mut Vec<CallPlan>,
        i: usize,
        node: u32,
        w: &crate::scenario::WorkflowCall,
    ) {
        let mut call = CallPlan::direct(i as u32, CallKind::Component);
        call.aux = self.plans.workflow.sites.len() as u32;
        call.hooks = bit::workflow;
        calls.push(call);
        let first_task = calls.len() as u32;
        for t in &w.tasks {
            let mut p = self.plan(t, node, i);
            if !p.direct {
                // A task's retries are state transitions: the workflow sees its attempts.
                p.hooks |= bit::workflow;
            }
            calls.push(p);
        }
        self.plans
            .workflow
            .sites
            .push(crate::components::workflow::Site {
                wf: w.wf as u32,
                wait: w.wait,
                first_task,
            });
    }

    /// The saga of operation `op` (see [`Calls::saga`]).
    fn saga_of(
        &mut self,
        calls: &mut Vec<CallPlan>,
        op: &crate::scenario::Operation,
        i: usize,
        node: u32,
        saga: &[crate::scenario::SagaStep],
        lock_timeout: u64,
    ) {
        let k = op_sagas_before(&self.plans.saga.sagas, &op.name);
        let mut call = CallPlan::direct(i as u32, CallKind::Component);
        call.aux = self.plans.saga.sagas.len() as u32;
        call.hooks = bit::saga;
        calls.push(call);
        let fwd = calls.len() as u32;
        let mut sections = Vec::new();
        for x in saga {
            let p = self.plan(&x.call, node, i);
            if x.locks.is_empty() {
                calls.push(p);
            } else {
                // A step with locks: a lock section around its call (placed after the
                // compensations).
                let mut w = CallPlan::direct(i as u32, CallKind::Component);
                w.aux = self.plans.tx.txs.len() as u32;
                w.hooks = bit::tx;
                calls.push(w);
                sections.push(p);
                self.plans.tx.txs.push(TxPlan {
                    name: op.name.clone(),
                    kind: TxKind::Section,
                    first: 0,
                    len: 1,
                    locks: x.locks.clone(),
                    lock_timeout,
                    commit: Dist::Const(0.0),
                    participants: 0,
                    origin: node,
                });
            }
        }
        let comp_first = calls.len() as u32;
        for x in saga {
            calls.push(match &x.compensate {
                Some(c) => self.plan(c, node, i),
                None => CallPlan::direct(u32::MAX, CallKind::Local),
            });
        }
        let n_sections = sections.len();
        let first_section = self.plans.tx.txs.len() - n_sections;
        for (k, p) in sections.into_iter().enumerate() {
            self.plans.tx.txs[first_section + k].first = calls.len() as u32;
            calls.push(p);
        }
        self.plans.saga.sagas.push(SagaPlan {
            name: if k == 0 {
                op.name.clone()
            } else {
                format!("{}#{}", op.name, k + 1)
            },
            first: fwd,
            len: saga.len() as u32,
            comp_first,
            choreo: saga.first().is_some_and(|x| x.call.publish.is_some()),
        });
    }
}

/// A unit's stations are dedicated when jobs cannot outnumber cores: with async io every CPU
/// phase holds a worker; with blocking io a request holds one worker and runs one CPU phase at
/// a time unless one of the unit's operations forks — a parallel step, or an in-process call
/// that may time out (its orphaned callee keeps computing beside the caller).
fn dedicated(s: &Scenario, topo: &mut Topology, plans: &Plans) {
    let local_timeout = |c: &CallPlan| c.kind == CallKind::Local && c.timeout > 0;
    for n in 0..topo.nodes.len() {
        let node = &topo.nodes[n];
        if node.kind != NodeKind::Unit || node.serverless {
            continue;
        }
        let forks = topo.ops.iter().enumerate().any(|(i, op)| {
            op.node == n as u32
                && matches!(s.ops[i].owner, OpOwner::Module(_))
                && topo.op_steps(i).iter().any(|st| {
                    st.len > 1
                        || topo.calls[st.first as usize..(st.first + st.len) as usize]
                            .iter()
                            .any(|c| {
                                local_timeout(c)
                                    || c.hooks & bit::saga != 0 && {
                                        let g = &plans.saga.sagas[c.aux as usize];
                                        topo.calls[g.first as usize..(g.first + g.len) as usize]
                                            .iter()
                                            .any(local_timeout)
                                    }
                                    || c.hooks & bit::tx != 0 && {
                                        let g = &plans.tx.txs[c.aux as usize];
                                        topo.calls[g.first as usize..(g.first + g.len) as usize]
                                            .iter()
                                            .any(local_timeout)
                                    }
                            })
                })
        });
        let range = node.stations();
        for st in &mut topo.stations[range.start as usize..range.end as usize] {
            st.dedicated = (st.workers as f64) <= st.cores
                && (st.async_io || !forks)
                && st.host == crate::flow::topology::NO_HOST;
        }
    }
}
