// The workflows, transactions and locks of a run (the results' `workflows`, `transactions` and
// `locks`, each present only when the scenario has them) as table rows, variants apart: each
// figure with its 95% interval, as the CLI's "Workflows of" and "Transactions and locks of"
// tables print them.
import type { Results } from "../../api/types";
import { fmtNum } from "./format";
import { withCi } from "./summary";

export interface LogicTable {
  title: string;
  testId: string;
  head: string[];
  rows: string[][];
}

const ms = (s: number) => `${fmtNum(s * 1e3)} ms`;
const n = (x: number) => fmtNum(x);
const pct = (x: number) => `${fmtNum(100 * x)}%`;

/** The tables of `r` that have rows (none when no variant has workflows or transactions). */
export function logicTables(r: Results): LogicTable[] {
  const reps = r.replications;
  const out: LogicTable[] = [];
  const wf: string[][] = [];
  const tx: string[][] = [];
  const locks: string[][] = [];
  for (const v of r.variants) {
    for (const [name, w] of Object.entries(v.workflows ?? {})) {
      const failed = Object.entries(w.failed ?? {})
        .filter(([, s]) => s.mean > 0)
        .map(([why, s]) => `${why} ${n(s.mean)}`)
        .join(", ");
      wf.push([v.name, name, w.mode, withCi(w.started, reps, n), withCi(w.succeeded, reps, n), failed || "—", withCi(w.transitions_per_execution, reps, n), withCi(w.duration_s, reps, ms)]);
    }
    for (const [op, t] of Object.entries(v.transactions ?? {}))
      tx.push([v.name, op, t.mode, withCi(t.committed, reps, n), withCi(t.rolled_back, reps, n), withCi(t.committed_ratio, reps, pct), withCi(t.lock_wait_s, reps, ms), withCi(t.round_trips, reps, n), withCi(t.duration_s, reps, ms)]);
    for (const [name, l] of Object.entries(v.locks ?? {}))
      locks.push([v.name, name, withCi(l.acquires, reps, n), withCi(l.wait_mean_s, reps, ms), withCi(l.held, reps, pct), withCi(l.waiting, reps, n), withCi(l.timeouts, reps, n)]);
  }
  if (wf.length) out.push({ title: "Workflows", testId: "workflows-table", head: ["variant", "workflow", "mode", "started", "succeeded", "failed", "transitions / execution", "duration"], rows: wf });
  if (tx.length) out.push({ title: "Transactions", testId: "transactions-table", head: ["variant", "held by", "mode", "committed", "rolled back", "committed share", "lock wait", "round trips", "duration"], rows: tx });
  if (locks.length) out.push({ title: "Locks", testId: "locks-table", head: ["variant", "lock", "acquires", "mean wait", "held (share of time)", "waiting", "timeouts"], rows: locks });
  return out;
}
