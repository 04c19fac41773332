// The lessons as a path: groups in the order a newcomer should take them, each lesson's
// place in its group, and descriptions reflowed (the TOML's hard line breaks removed).
import type { Lesson } from "../../api";

/** The groups, in order, with the lessons (paths under `scenarios/`) in their order. A lesson
 * in no group is listed under "More lessons" (a new file shows up without a code change). */
export const GROUPS: { title: string; lessons: string[] }[] = [
  { title: "Start here", lessons: ["online-shop.toml"] },
  {
    title: "Monolith vs microservices",
    lessons: [
      "lessons/independent-scaling.toml",
      "lessons/network-tax.toml",
      "lessons/memory-duplication.toml",
      "lessons/layers-vs-capabilities.toml",
      "lessons/shared-db-hot-table.toml",
      "lessons/one-host-vs-many.toml",
      "lessons/five-deployment-options.toml",
      "lessons/five-deployment-options-spike.toml",
      "lessons/gateway-composition.toml",
      "lessons/strangler-evolution.toml",
    ],
  },
  {
    title: "Serverless",
    lessons: [
      "lessons/cold-start-chain.toml",
      "lessons/function-memory.toml",
      "lessons/fifteen-minute-limit.toml",
      "lessons/serverless-db-connections.toml",
      "lessons/account-throttling.toml",
    ],
  },
  {
    title: "Resilience",
    lessons: [
      "lessons/cascading-failure.toml",
      "lessons/retry-storm.toml",
      "lessons/host-outage.toml",
      "lessons/lb-single-point-of-failure.toml",
      "lessons/async-order-pipeline.toml",
      "lessons/saga-compensation.toml",
      "lessons/monolith-transaction-vs-saga.toml",
      "lessons/orchestration-vs-choreography.toml",
      "lessons/external-api-quota.toml",
      "lessons/workflow-vs-long-function.toml",
    ],
  },
  {
    title: "Capacity",
    lessons: [
      "lessons/black-friday.toml",
      "lessons/diurnal-day.toml",
      "lessons/autoscaling-lag.toml",
      "lessons/uncertain-demand.toml",
      "lessons/cache-and-cdn.toml",
      "lessons/gateway-cache-rate-limit.toml",
    ],
  },
  { title: "Organizations", lessons: ["lessons/conway-two-orgs.toml"] },
  { title: "Queueing basics", lessons: [
      "queueing/mm1.toml",
      "queueing/mm3.toml",
      "queueing/mm2k.toml",
      "queueing/md1-vs-mg1.toml",
      "queueing/processor-sharing.toml",
      "queueing/jackson.toml",
    ] },
];

/** Paragraphs of a description: blank lines separate them, single line breaks are spaces. */
export function reflow(description: string): string[] {
  return description
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, " ").trim())
    .filter((p) => p.length > 0);
}

/** The lessons in groups, in the path's order; the ones in no group last, by path. */
export function grouped(lessons: Lesson[]): { title: string; lessons: Lesson[] }[] {
  const byRel = new Map(lessons.map((l) => [l.rel.replace(/\\/g, "/"), l]));
  const used = new Set<string>();
  const out = GROUPS.map((g) => ({
    title: g.title,
    lessons: g.lessons.flatMap((rel) => {
      const l = byRel.get(rel);
      if (!l) return [];
      used.add(rel);
      return [l];
    }),
  })).filter((g) => g.lessons.length > 0);
  const rest = [...byRel.entries()].filter(([rel]) => !used.has(rel)).sort(([a], [b]) => a.localeCompare(b));
  if (rest.length) out.push({ title: "More lessons", lessons: rest.map(([, l]) => l) });
  return out;
}
