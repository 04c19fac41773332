import { beforeEach, describe, expect, it } from "vitest";
import { createMockBackend } from "../api/mock";
import { setBackend, type Backend } from "../api";
import { scenarioStore } from "./scenario";
import { runStore, onEvent, startRun } from "./run";
import { answer, confirmDiscard, exportTo, filesStore, isDirty, newFile, openPath, saveFile, saveFileAs, titleOf } from "./files";


function withPicks(b: Backend, picks: (string | null)[]): Backend & { asked: string[] } {
  const asked: string[] = [];
  return {
    ...b,
    asked,
    pickPath: async (r) => {
      asked.push(`${r.mode} ${r.default_name}`);
      return picks.shift() ?? null;
    },
  };
}

/** Answers the next question with `value` as soon as it is asked. */
function answerNext(value: string): Promise<string> {
  return new Promise((resolve) => {
    const off = filesStore.subscribe(() => {
      const q = filesStore.get().question;
      if (q) {
        off();
        resolve(q.message);
        answer(value);
      }
    });
  });
}

describe("files", () => {
  let mock: Backend;
  beforeEach(async () => {
    mock = createMockBackend({ stepMs: 0 });
    setBackend(mock);
    filesStore.set({ question: null, notice: null, picked: [] });
    const lessons = await mock.listLessons();
    const shop = lessons.find((l) => l.rel === "online-shop.toml")!;
    scenarioStore.set({ analysis: null, savedText: null });
    await openPath(shop.path, shop);
  });

  it("titles the window with the file and its unsaved state", () => {
    expect(titleOf(null, false)).toBe("archsim");
    expect(titleOf("shop.toml", false)).toBe("shop.toml — archsim");
    expect(titleOf("shop.toml", true)).toBe("• shop.toml — archsim");
  });

  it("starts a new model: valid, unsaved, saved only through Save as", async () => {
    expect(await newFile()).toBe(true);
    const a = scenarioStore.get().analysis!;
    expect(a.path).toBeNull();
    expect(a.file_name).toBe("untitled.toml");
    expect(a.text).toMatch(/\[modules\.service\]/);
    const b = withPicks(mock, ["/home/user/mine.toml"]);
    setBackend(b);
    expect(await saveFile()).toBe(true);
    expect(b.asked).toEqual(["save untitled.toml"]);
    expect(scenarioStore.get().analysis!.path).toBe("/home/user/mine.toml");
    expect(filesStore.get().notice?.text).toBe("Saved /home/user/mine.toml");
    expect(filesStore.get().recent[0]).toBe("/home/user/mine.toml");
    // picked this session: Save writes in place, no dialog
    scenarioStore.set((s) => ({ analysis: { ...s.analysis!, text: s.analysis!.text + "\n# more\n" } }));
    expect(isDirty()).toBe(true);
    expect(await saveFile()).toBe(true);
    expect(b.asked.length).toBe(1);
    expect(isDirty()).toBe(false);
  });

  it("asks before dropping unsaved edits, and Cancel keeps them", async () => {
    const before = scenarioStore.get().analysis!;
    scenarioStore.set({ analysis: { ...before, text: before.text + "\n# edited\n" } });
    const asked = answerNext("cancel");
    expect(await newFile()).toBe(false);
    expect(await asked).toMatch(/online-shop\.toml has unsaved changes/);
    expect(scenarioStore.get().analysis!.text).toMatch(/# edited/);
    // Discard goes on
    const again = answerNext("discard");
    expect(await confirmDiscard("opening another file")).toBe(true);
    await again;
  });

  it("saves a lesson through Save as (the shell writes only picked paths), Cancel writes nothing", async () => {
    const b = withPicks(mock, [null]);
    setBackend(b);
    expect(await saveFile()).toBe(false);
    expect(b.asked).toEqual(["save online-shop.toml"]);
    expect(filesStore.get().notice).toBeNull();
    expect(await saveFileAs()).toBe(false);
  });

  it("names the path an export was written to, and says why one was not", async () => {
    await exportTo("HTML report", { title: "t", default_name: "r.html", filters: [] }, (p) => mock.exportReport(p, "{}"));
    expect(filesStore.get().notice).toEqual({ text: "HTML report written to /home/user/r.html", kind: "ok" });
    await exportTo("PNG image", { title: "t", default_name: "c.png", filters: [] }, async () => {
      throw new Error("disk full");
    });
    expect(filesStore.get().notice).toEqual({ text: "PNG image not written: disk full", kind: "error" });
    // a new file clears the notice: no stale message
    await newFile();
    expect(filesStore.get().notice).toBeNull();
  });
});

describe("run settings per scenario", () => {
  it("keeps each file's settings and does not carry them to another", async () => {
    const mock = createMockBackend({ stepMs: 0 });
    setBackend(mock);
    const lessons = await mock.listLessons();
    const shop = lessons.find((l) => l.rel === "online-shop.toml")!;
    const cascade = lessons.find((l) => l.rel.endsWith("cascading-failure.toml"))!;
    await openPath(shop.path, shop);
    runStore.set({ replications: 30, precision: "2%" });
    await openPath(cascade.path, cascade);
    expect(runStore.get().replications).toBeNull();
    expect(runStore.get().precision).toBe("");
    runStore.set({ seed: 9 });
    await openPath(shop.path, shop);
    expect(runStore.get()).toMatchObject({ replications: 30, precision: "2%", seed: null });
    await openPath(cascade.path, cascade);
    expect(runStore.get()).toMatchObject({ replications: null, precision: "", seed: 9 });
  });
});

describe("progress after Cancel", () => {
  it("counts the replications that finished, not the tasks skipped", async () => {
    const mock = createMockBackend({ stepMs: 0 });
    const lessons = await mock.listLessons();
    const shop = lessons.find((l) => l.rel === "online-shop.toml")!;
    setBackend({
      ...mock,
      runScenario: async (_req, ev) => {
        ev({ kind: "started", total: 60, variants: ["monolith", "microservices"] });
        for (const replication of [0, 1])
          ev({ kind: "replication", data: { variant: "monolith", replication, done: replication + 1, total: 60, entries: [] } });
        ev({ kind: "progress", done: 3, total: 60, elapsed_s: 1 });
        runStore.set({ status: "cancelling" });
        // the skipped tasks counted off after the cancel
        ev({ kind: "progress", done: 60, total: 60, elapsed_s: 1.1 });
        const out = await mock.runScenario({ text: "", file_name: "online-shop.toml", replications: null, seed: null, threads: null, variants: [], precision: null, max_replications: null }, () => {});
        return { ...out, cancelled: true };
      },
    });
    await openPath(shop.path, shop);
    await startRun();
    const s = runStore.get();
    expect(s.status).toBe("cancelled");
    expect(s.done).toBe(2);
    expect(s.total).toBe(60);
    onEvent({ kind: "started", total: 4, variants: ["a"] });
  });
});
