import { describe, expect, it } from "vitest";
import type { Results } from "../../api/types";
import { logicTables } from "./logic";

const st = (mean: number, half = 0) => ({ mean, ci95_low: mean - half, ci95_high: mean + half, min: mean, max: mean });

const RESULTS = {
  replications: 5,
  variants: [
    {
      name: "monolith",
      transactions: { "orders.place": { mode: "local", committed: st(8700, 30), rolled_back: st(180), lock_timeouts: st(0), committed_ratio: st(0.98), lock_wait_s: st(0.012), round_trips: st(0), duration_s: st(0.03), in_doubt: st(0), in_doubt_s: st(0) } },
      locks: { stock_row: { acquires: st(8880), wait_mean_s: st(0.012), held: st(0.35), waiting: st(0.1), timeouts: st(0) } },
    },
    {
      name: "in_workflow",
      workflows: { fulfil: { mode: "standard", started: st(3600), executions: st(3590), succeeded: st(3590), failed: { max_duration: st(0), task: st(2) }, caught: st(0), transitions_per_execution: st(3), transitions: st(10770), duration_s: st(1200) } },
    },
    { name: "plain" },
  ],
} as unknown as Results;

describe("workflows, transactions and locks of a run", () => {
  it("makes a table of each that some variant has, variants apart", () => {
    const t = logicTables(RESULTS);
    expect(t.map((x) => x.testId)).toEqual(["workflows-table", "transactions-table", "locks-table"]);
    const [wf, tx, locks] = t;
    expect(wf.rows).toEqual([["in_workflow", "fulfil", "standard", "3,600", "3,590", "task 2", "3", "1,200,000 ms"]]);
    expect(tx.rows[0].slice(0, 5)).toEqual(["monolith", "orders.place", "local", "8,700 ± 30", "180"]);
    expect(tx.rows[0][5]).toBe("98%");
    expect(locks.rows).toEqual([["monolith", "stock_row", "8,880", "12 ms", "35%", "0.1", "0"]]);
    expect(wf.head.length).toBe(wf.rows[0].length);
    expect(tx.head.length).toBe(tx.rows[0].length);
    expect(locks.head.length).toBe(locks.rows[0].length);
  });

  it("has no table when no variant has them", () => {
    expect(logicTables({ replications: 2, variants: [{ name: "v" }] } as unknown as Results)).toEqual([]);
  });
});
