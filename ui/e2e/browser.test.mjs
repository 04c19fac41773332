// Browser tests: the built UI (ui/dist) served by `vite preview`, in headless Debian Chromium
// driven by playwright-core, with the mock backend (a plain browser has no Tauri shell).
// Screenshots of the main views go to docs/screenshots/ (the README shows them).
// Usage: npm run build && node --test e2e/browser.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ui = fileURLToPath(new URL("..", import.meta.url));
const shots = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const PORT = 4179;
const URL_ = `http://127.0.0.1:${PORT}/`;
let server;
let browser;
let page;

async function waitFor(url, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = spawn("npx", ["vite", "preview", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort"], {
    cwd: ui,
    stdio: "ignore",
    detached: true,
  });
  await waitFor(URL_);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.setDefaultTimeout(60000);
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(URL_);
});

after(async () => {
  await browser?.close();
  if (server) process.kill(-server.pid);
});

const id = (t) => `[data-testid="${t}"]`;

async function box(testId) {
  const b = await page.locator(id(testId)).boundingBox();
  assert.ok(b, `${testId} is visible`);
  return b;
}

/** The graph once ELK's layout for what it shows has arrived (and the view is fitted to it). */
async function laidOut() {
  await page.locator('[data-testid="graph"][data-layout="done"]').waitFor();
  await page.waitForTimeout(300);
}

/** Zooms in until the graph shows its details (badges, operations, call labels). */
async function zoomToDetail() {
  await laidOut();
  for (let i = 0; i < 10 && Number(await page.locator(id("graph")).getAttribute("data-zoom")) < 0.85; i++) {
    await page.click(".react-flow__controls-zoomin");
    await page.waitForTimeout(300);
  }
}

/**
 * Edges drawn through boxes, from the DOM: each edge's SVG path sampled every 2 px on screen
 * against the rectangle of every node box that is neither one of its ends nor holds one (a
 * unit, database or host around it), shrunk by 2 px; and each visible edge label against the
 * leaf boxes. Returns the violations in words.
 */
async function edgesThroughBoxes() {
  return page.evaluate(() => {
    const boxes = new Map(
      [...document.querySelectorAll('.react-flow__node [data-testid^="node-"]')].map((e) => [
        e.getAttribute("data-testid").slice(5),
        { r: e.getBoundingClientRect(), parent: e.getAttribute("data-parent") || "", group: /\b(unit|function|database|host)\b/.test(e.className) },
      ]),
    );
    const up = (id) => {
      const out = [];
      for (let p = boxes.get(id)?.parent; p; p = boxes.get(p)?.parent) out.push(p);
      return out;
    };
    const inside = (p, r, k) => p.x > r.left + k && p.x < r.right - k && p.y > r.top + k && p.y < r.bottom - k;
    const bad = [];
    for (const g of document.querySelectorAll(".react-flow__edge")) {
      const id = g.getAttribute("data-id");
      const [source, target] = id.split("->");
      const mine = new Set([source, target, ...up(source), ...up(target)]);
      const path = g.querySelector("path.react-flow__edge-path");
      const m = path.getScreenCTM();
      const len = path.getTotalLength();
      const step = 2 / Math.max(0.05, m.a);
      for (const [other, b] of boxes) {
        if (mine.has(other)) continue;
        for (let t = 0; t <= len; t += step) {
          const q = path.getPointAtLength(t);
          if (inside({ x: m.a * q.x + m.c * q.y + m.e, y: m.b * q.x + m.d * q.y + m.f }, b.r, 2)) {
            bad.push(`${id} crosses ${other}`);
            break;
          }
        }
      }
      const label = g.querySelector(".react-flow__edge-textwrapper");
      if (label && getComputedStyle(label).display !== "none") {
        const lr = label.getBoundingClientRect();
        for (const [other, b] of boxes)
          if (!b.group && Math.min(lr.right, b.r.right) - Math.max(lr.left, b.r.left) > 1 && Math.min(lr.bottom, b.r.bottom) - Math.max(lr.top, b.r.top) > 1) bad.push(`the label of ${id} covers ${other}`);
      }
    }
    return bad;
  });
}

/** Screen size [px] of every node's name in the graph. */
async function nameSizes() {
  return page.evaluate(() => {
    const zoom = Number(document.querySelector('[data-testid="graph"]').getAttribute("data-zoom"));
    return [...document.querySelectorAll(".gnode-head strong")].map((e) => parseFloat(getComputedStyle(e).fontSize) * zoom);
  });
}

/** Non-white pixels drawn on the chart's canvas. */
async function drawnPixels(testId) {
  return page.locator(`${id(testId)} canvas`).first().evaluate((c) => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
    return n;
  });
}

test("the start page lists the lessons and opening one shows its graph and what to look at", async () => {
  await page.locator(id("lesson-online-shop.toml")).waitFor();
  await page.screenshot({ path: `${shots}start.png` });
  await page.click(id("open-online-shop.toml"));
  await page.locator(id("lesson-banner")).waitFor();
  assert.match(await page.locator(id("lesson-banner")).innerText(), /Look at: the latency difference/);
  await page.locator(id("node-unit:shop")).waitFor();
  assert.equal(await page.locator(id("node-module:orders")).count(), 1);
  assert.match(await page.locator(id("estimate-unit:shop")).innerText(), /ρ 0\.\d\d/);
  await page.screenshot({ path: `${shots}editor.png` });
});

test("the online shop's graph is laid out in layers: no edge through a box, names readable, fitted at 1400×900 and 1100×700", async () => {
  for (const [w, h] of [
    [1400, 900],
    [1100, 700],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    for (const v of ["monolith", "microservices"]) {
      await page.click(id(`variant-tab-${v}`));
      await page.locator(id("node-module:orders")).waitFor();
      await laidOut();
      await page.click(id("fit-view"));
      await page.waitForTimeout(300);
      assert.deepEqual(await edgesThroughBoxes(), [], `${v} at ${w}×${h}`);
      const sizes = await nameSizes();
      assert.ok(sizes.length >= 8 && Math.min(...sizes) >= 9.4, `${v} at ${w}×${h}: names on screen ${sizes.map((x) => x.toFixed(1)).join(", ")} px`);
      // callers left of callees: the entries, then the front door, the units, the databases
      const entry = await box("node-entry:checkout");
      const orders = await box("node-module:orders");
      const payments = await box("node-module:payments");
      const db = await box("node-datastore:orders_db");
      assert.ok(entry.x + entry.width < orders.x && orders.x + orders.width < payments.x && orders.x + orders.width < db.x, `${v}: left to right`);
      // fitted: the whole graph inside the pane
      const pane = await box("graph");
      for (const b of [entry, db]) assert.ok(b.x >= pane.x && b.x + b.width <= pane.x + pane.width && b.y >= pane.y && b.y + b.height <= pane.y + pane.height, `${v} at ${w}×${h} is fitted`);
      await page.screenshot({ path: `${shots}graph-${v}-${w}.png` });
    }
    // zoomed in, the details and the call labels come back, each label clear of every box
    for (let i = 0; i < 10 && Number(await page.locator(id("graph")).getAttribute("data-zoom")) < 0.85; i++) {
      await page.click(".react-flow__controls-zoomin");
      await page.waitForTimeout(300);
    }
    assert.ok((await page.locator(".react-flow__edge-textwrapper:visible").count()) >= 3);
    assert.deepEqual(await edgesThroughBoxes(), []);
    if (w === 1400) await page.screenshot({ path: `${shots}graph-microservices-zoomed.png` });
  }
  await page.setViewportSize({ width: 1500, height: 950 });
  await page.click(id("variant-tab-monolith"));
  await laidOut();
});

test("editing a parameter in the property panel changes the scenario and can be undone", async () => {
  await page.click(id("variant-tab-monolith"));
  await page.locator(`${id("node-unit:shop")} .gnode-head`).click();
  const replicas = page.locator(id("field-variants[0].units[0].replicas"));
  await replicas.waitFor();
  assert.equal(await replicas.inputValue(), "3");
  await replicas.fill("2.5");
  await replicas.press("Enter");
  await page.locator(id("field-variants[0].units[0].replicas-error")).waitFor();
  await replicas.fill("5");
  await replicas.press("Enter");
  await page.waitForFunction(() => document.querySelector('[data-testid="node-unit:shop"]')?.textContent?.includes("5×"));
  assert.match(await page.locator(id("save")).innerText(), /\*/);
  await page.click(id("undo"));
  await page.waitForFunction(() => document.querySelector('[data-testid="node-unit:shop"]')?.textContent?.includes("3×"));
  await page.click(id("redo"));
  await page.waitForFunction(() => document.querySelector('[data-testid="node-unit:shop"]')?.textContent?.includes("5×"));
});

test("typed forms: an entry's arrival profile with its rate plot, a unit's fields by relevance", async () => {
  await page.locator(`${id("node-entry:browse")} .gnode-head`).click();
  const base = "field-workload.entries[0].arrival";
  await page.locator(id(`${base}.profile-plot`)).waitFor();
  assert.match(await page.locator(id(`${base}.profile-plot`)).innerText(), /peak 800\/s/);
  await page.selectOption(id(`${base}.profile-shape`), "spike");
  const peak = page.locator(id(`${base}.profile.spike.peak`));
  await peak.waitFor();
  await peak.fill("2400");
  await peak.press("Enter");
  await page.waitForFunction(() => /peak 2400\/s/.test(document.querySelector('[data-testid="field-workload.entries[0].arrival.profile-plot"]')?.textContent ?? ""));
  await page.waitForFunction(() => document.querySelector('[data-testid="node-entry:browse"]')?.textContent?.includes("spike profile"));
  await page.locator(id(`${base}.profile-plot`)).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}typed-forms.png` });
  await page.click(id("undo"));
  await page.click(id("undo"));
  await page.waitForFunction(() => document.querySelector('[data-testid="node-entry:browse"]')?.textContent?.includes("800/s"));
  // a unit: required and common fields first; serverless-only ones folded away with why
  await page.locator(`${id("node-unit:shop")} .gnode-head`).click();
  await page.locator(id("unused-variants[0].units[0]")).waitFor();
  assert.match(await page.locator(id("unused-variants[0].units[0]")).innerText(), /fields? not used here/);
  assert.equal(await page.locator(id("field-variants[0].units[0].cold_start-dist")).count(), 0);
});

test("the variant diff: what moved between the monolith and the microservices", async () => {
  await page.click(id("variant-tab-microservices"));
  await page.selectOption(id("diff-with"), { label: "monolith" });
  await page.locator(id("diff-line")).waitFor();
  assert.match(await page.locator(id("diff-line")).innerText(), /microservices vs monolith: 4 modules in another unit \(catalog ← shop, orders ← shop, payments ← shop, inventory ← shop\) · units added: catalog, orders, payments, inventory · removed: shop/);
  // (the graph draws the badges a render after the line; they show zoomed in)
  await zoomToDetail();
  await page.waitForFunction(() => /⇄ was in shop \(monolith\)/.test(document.querySelector('[data-testid="badges-module:payments"]')?.innerText ?? ""));
  await page.screenshot({ path: `${shots}variant-diff.png` });
  // the variant compared with opened: the two swap
  await page.click(id("variant-tab-monolith"));
  assert.match(await page.locator(id("diff-line")).innerText(), /^monolith vs microservices/);
  await page.selectOption(id("diff-with"), { label: "(none)" });
  assert.equal(await page.locator(id("diff-line")).count(), 0);
});

test("dragging a module onto another unit moves it there", async () => {
  await page.click(id("variant-tab-microservices"));
  await page.locator(id("node-unit:orders")).waitFor();
  await laidOut();
  const from = await box("node-module:payments");
  const to = await box("node-unit:orders");
  await page.mouse.move(from.x + 40, from.y + 12);
  await page.mouse.down();
  const tx = to.x + to.width / 2;
  const ty = to.y + to.height / 2;
  for (let i = 1; i <= 12; i++) await page.mouse.move(from.x + 40 + ((tx - from.x - 40) * i) / 12, from.y + 12 + ((ty - from.y - 12) * i) / 12);
  await page.mouse.up();
  await page.waitForFunction(() => {
    const m = document.querySelector('[data-testid="node-module:payments"]')?.getBoundingClientRect();
    const u = document.querySelector('[data-testid="node-unit:orders"]')?.getBoundingClientRect();
    return m && u && m.top >= u.top && m.bottom <= u.bottom + 1 && m.left >= u.left;
  });
  // payments was the last module of its unit: the app offers to remove the emptied unit
  await page.locator(id("question")).waitFor();
  assert.match(await page.locator(id("question")).innerText(), /The unit payments runs no module now/);
  await page.click(id("answer-keep"));
  await page.screenshot({ path: `${shots}deployment-drag.png` });
  await page.click(id("undo"));
});

test("a run streams progress and draws the results charts", async () => {
  await page.click(id("nav-run"));
  await page.click(id("run-start"));
  await page.locator(id("chart-replications")).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === "done", null, { timeout: 60000 });
  for (const c of ["chart-comparison", "chart-cdf", "chart-percentiles", "chart-p99-time", "chart-utilization", "chart-memory"]) {
    await page.locator(`${id(c)} [data-rendered="true"]`).waitFor();
    assert.ok((await drawnPixels(c)) > 2000, `${c} has pixels drawn`);
  }
  assert.match(await page.locator(".chart.highlight h3").innerText(), /Paired differences/);
  await page.screenshot({ path: `${shots}results.png`, fullPage: false });
  await page.locator(id("chart-utilization")).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}results-utilization.png` });
});

test("the results read at a glance: summary table, verdict, exports through a dialog", async () => {
  const summary = await page.locator(id("summary")).innerText();
  assert.match(summary, /browse: throughput \/s/);
  assert.match(summary, /latency mean/);
  assert.match(summary, /\d ms ± \d/);
  assert.ok(!/\d\.\d{8,}/.test(summary), "no raw floats in the summary");
  await page.locator(id("verdict")).waitFor();
  // the HTML report, through the Save dialog (the mock's answer), and the notice naming it
  await page.click(`${id("exporter-results")} ${id("export-html")}`);
  await page.locator(id("notice")).waitFor();
  assert.match(await page.locator(id("notice")).innerText(), /HTML report written to \/home\/user\/online-shop-results\.html/);
  assert.equal(await page.evaluate(() => window.__mockWrites.has("/home/user/online-shop-results.html")), true);
  await page.click(`${id("chart-cdf")} ${id("export-png")}`);
  await page.waitForFunction(() => /online-shop-cdf\.png/.test(document.querySelector('[data-testid="notice"]')?.textContent ?? ""));
  assert.equal(await page.evaluate(() => window.__mockWrites.get("/home/user/online-shop-cdf.png")?.startsWith("iVBOR")), true);
});

test("cancelling a run stops it with the replications that finished", async () => {
  await page.click(id("run-start"));
  await page.waitForFunction(() => /^[1-9]\d* \//.test(document.querySelector('[data-testid="run-progress"]')?.textContent ?? ""));
  await page.click(id("run-cancel"));
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === "cancelled", null, { timeout: 30000 });
  const text = await page.locator(id("run-progress")).innerText();
  const [done, total] = text.match(/(\d+) \/ (\d+)/).slice(1).map(Number);
  assert.ok(done < total, `stopped early: ${text}`);
});

test("the run history: an earlier run's results, and two runs compared with the interval of their difference", async () => {
  await page.locator(id("history-shown")).waitFor();
  const options = await page.locator(`${id("history-shown")} option`).allInnerTexts();
  assert.ok(options.length >= 2, options.join(" | "));
  assert.match(options[0], /^#\d+ \d\d:\d\d:\d\d online-shop\.toml · \d+ replications, seed \d+ · cancelled$/);
  // show the complete run, compare it with the cancelled one
  const done = options.find((o) => !o.endsWith("cancelled"));
  await page.selectOption(id("history-shown"), { label: done });
  await page.selectOption(id("history-compare"), { index: 1 });
  await page.locator(id("compare-table")).waitFor();
  const rows = await page.locator(`${id("compare-table")} tbody tr`).allInnerTexts();
  assert.ok(rows.some((r) => /browse: p99/.test(r)), rows.join("\n"));
  assert.match(await page.locator(id("run-compare")).innerText(), /the same model/);
  await page.locator(id("run-history")).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}compare-runs.png` });
});

test("the HTML report of `archsim report` draws its charts without the network", async () => {
  const { execFileSync } = await import("node:child_process");
  const { readFileSync, writeFileSync, mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(`${tmpdir()}/archsim-report-`);
  const mock = JSON.parse(readFileSync(new URL("../src/api/mock-data.json", import.meta.url), "utf8"));
  writeFileSync(`${dir}/r.json`, JSON.stringify(mock.runs["scenarios/online-shop.toml"].outcome.results));
  const bin = fileURLToPath(new URL("../../target/release/archsim", import.meta.url));
  execFileSync(bin, ["report", `${dir}/r.json`, "-o", `${dir}/r.html`]);
  const p = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  const errors = [];
  const requests = [];
  p.on("pageerror", (e) => errors.push(e.message));
  p.on("request", (r) => requests.push(r.url()));
  await p.goto(`file://${dir}/r.html`);
  await p.locator('[data-testid="chart-comparison"] svg').waitFor();
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((u) => !u.startsWith("file:") && !u.startsWith("data:")), []);
  // one chart per view: comparison, 5 per entry (browse, checkout: 4 and the latency
  // anatomy), utilization, queue, memory, cost by node, cost per million requests, instances,
  // worker saturation, and the components' throughput and rejections (the monolith's ALB)
  assert.equal(await p.locator(".chart svg").count(), 1 + 5 * 2 + 3 + 3 + 1 + 2);
  assert.equal(await p.locator('[data-testid^="chart-anatomy-"] svg').count(), 2);
  assert.ok((await p.locator('[data-testid="chart-comparison"] svg path').count()) > 10);
  await p.screenshot({ path: `${shots}report.png` });
  await p.close();

  // a run with faults: the heat map and the replay; a sweep document: its curves
  const report = async (doc, name, wait) => {
    writeFileSync(`${dir}/${name}.json`, JSON.stringify(doc));
    execFileSync(bin, ["report", `${dir}/${name}.json`, "-o", `${dir}/${name}.html`]);
    const q = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const errs = [];
    q.on("pageerror", (e) => errs.push(e.message));
    await q.goto(`file://${dir}/${name}.html`);
    await q.locator(`[data-testid="${wait}"] svg`).waitFor();
    assert.deepEqual(errs, []);
    return q;
  };
  const q1 = await report(mock.runs["scenarios/lessons/cascading-failure.toml"].outcome.results, "faults", "chart-failure-matrix-unprotected");
  assert.equal(await q1.locator('[data-testid="blast-radius-unprotected"] tr').count(), 1 + 2);
  await q1.locator('[data-testid="chart-failure-matrix-unprotected"]').scrollIntoViewIfNeeded();
  await q1.screenshot({ path: `${shots}report-failures.png` });
  await q1.close();
  // workflows, transactions and locks: the tables of the app's run view, one row each (the
  // report's tables have their header row first)
  const count = (doc, k) => doc.variants.reduce((n, v) => n + Object.keys(v[k] ?? {}).length, 0);
  const saga = mock.runs["scenarios/lessons/monolith-transaction-vs-saga.toml"].outcome.results;
  const q3 = await report(saga, "saga", "chart-utilization");
  const rows = async (q, t) => (await q.locator(`[data-testid="${t}"] tr`).count()) - 1;
  assert.ok(count(saga, "transactions") > 0 && count(saga, "locks") > 0);
  assert.equal(await rows(q3, "transactions-table"), count(saga, "transactions"));
  assert.equal(await rows(q3, "locks-table"), count(saga, "locks"));
  await q3.close();
  const flow = mock.runs["scenarios/lessons/workflow-vs-long-function.toml"].outcome.results;
  const q4 = await report(flow, "workflow", "chart-utilization");
  assert.ok(count(flow, "workflows") > 0);
  assert.equal(await rows(q4, "workflows-table"), count(flow, "workflows"));
  assert.match(await q4.locator('[data-testid="workflows-table"]').innerText(), /transitions \/ execution/);
  await q4.close();
  const q2 = await report(mock.sweeps["scenarios/lessons/black-friday.toml"].outcome.results, "sweep", "chart-sweep-p99-browse");
  assert.ok((await q2.locator('[data-testid="chart-sweep-p99-browse"] svg path').count()) > 5);
  await q2.close();
});

test("a lesson with faults: the failure heat map, and the replay follows the slider", async () => {
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/cascading-failure.toml"));
  // the online shop was edited (replicas = 5) and not saved: the app asks first
  await page.locator(id("question")).waitFor();
  assert.match(await page.locator(id("question")).innerText(), /online-shop\.toml has unsaved changes/);
  assert.match(await page.title(), /^• online-shop\.toml — archsim$/);
  await page.click(id("answer-discard"));
  // the fault and the guards are drawn on the graph: the slowed leaf, the protected front
  await page.locator(id("badges-unit:leaf")).waitFor();
  assert.match(await page.locator(id("badges-unit:leaf")).innerText(), /⚠ slow ×20 30 s–50 s/);
  await page.click(id("variant-tab-protected"));
  // (the tab's graph is drawn anew: wait for its badges' text rather than read it at once)
  await page.waitForFunction(() => /defaults: timeout 100ms, breaker, bulkhead 10/.test(document.querySelector('[data-testid="badges-unit:front"]')?.textContent ?? ""));
  await page.screenshot({ path: `${shots}faults-on-graph.png` });
  await page.click(id("nav-run"));
  await page.click(id("mode-run"));
  await page.click(id("run-start"));
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === "done", null, { timeout: 60000 });
  for (const c of ["chart-failure-matrix", "chart-failure-replay", "chart-cost", "chart-instances"]) {
    await page.locator(`${id(c)} [data-rendered="true"]`).waitFor();
    assert.ok((await drawnPixels(c)) > 2000, `${c} has pixels drawn`);
  }
  assert.ok((await page.locator(`${id("blast-radius")} tr`).count()) >= 3);
  // the replay opens at the window with the most failures; the first window has none
  const peak = await page.locator(id("replay-time")).innerText();
  const atPeak = await drawnPixels("chart-failure-replay");
  await page.locator(id("replay-slider")).fill("0");
  await page.waitForFunction((p) => document.querySelector('[data-testid="replay-time"]')?.textContent !== p, peak);
  assert.match(await page.locator(id("replay-time")).innerText(), /\(1\/\d+\)/);
  await page.waitForTimeout(300);
  const quiet = await drawnPixels("chart-failure-replay");
  assert.notEqual(quiet, atPeak, "the colours change with the window");
  await page.locator(id("replay-slider")).fill(String(Number(peak.match(/\((\d+)\//)[1]) - 1));
  await page.locator(id("failure-views")).scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${shots}failures.png` });
  await page.locator(id("chart-cost")).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}cost-instances.png` });
  // the breaker table of the protected variant
  await page.click(id("failure-variant-1"));
  await page.locator(id("breaker-changes")).waitFor();
  assert.match(await page.locator(id("breaker-changes")).innerText(), /open/);
});

test("serverless functions: instances over time, cold starts and the functions table", async () => {
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/cold-start-chain.toml"));
  await page.click(id("nav-run"));
  await page.click(id("run-start"));
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === "done", null, { timeout: 60000 });
  for (const c of ["chart-functions", "chart-instances"]) {
    await page.locator(`${id(c)} [data-rendered="true"]`).waitFor();
    assert.ok((await drawnPixels(c)) > 2000, `${c} has pixels drawn`);
  }
  const rows = await page.locator(`${id("functions-table")} tbody tr`).allInnerTexts();
  assert.deepEqual(rows.map((r) => r.split("\t")[0]), ["functions · api", "functions · enrich", "functions · store"]);
  await page.locator(id("chart-functions")).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}functions.png` });
});

test("Black Friday: a sweep draws its curves with the knee, a capacity search answers per variant", async () => {
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/black-friday.toml"));
  await page.click(id("nav-run"));
  await page.click(id("mode-sweep"));
  assert.equal(await page.locator(id("sweep-path")).inputValue(), "workload.entries.browse.arrival.rate");
  assert.equal(await page.locator(id("sweep-range")).inputValue(), "800..4000:800");
  await page.click(id("sweep-start"));
  await page.waitForFunction(() => document.querySelector('[data-testid="plan-status"]')?.textContent === "done", null, { timeout: 60000 });
  for (const c of ["chart-sweep-p99", "chart-sweep-cost"]) {
    await page.locator(`${id(c)} [data-rendered="true"]`).waitFor();
    assert.ok((await drawnPixels(c)) > 2000, `${c} has pixels drawn`);
  }
  assert.match(await page.locator(id("sweep-knees")).innerText(), /browse/);
  await page.screenshot({ path: `${shots}sweep.png` });
  await page.click(id("mode-capacity"));
  assert.equal(await page.locator(id("capacity-slo")).inputValue(), "p99<300ms,errors<0.1%");
  await page.click(id("capacity-start"));
  await page.waitForFunction(() => / · \w+: [\d.]+\/s (met|violated|uncertain)/.test(document.querySelector('[data-testid="plan-progress"]')?.textContent ?? ""), null, { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="plan-status"]')?.textContent === "done", null, { timeout: 60000 });
  await page.locator(`${id("chart-capacity")} [data-rendered="true"]`).waitFor();
  assert.ok((await drawnPixels("chart-capacity")) > 2000);
  const rows = await page.locator(`${id("capacity-table")} tbody tr`).allInnerTexts();
  assert.deepEqual(rows.map((r) => r.split("\t")[0]), ["monolith", "microservices"]);
  for (const r of rows) assert.match(r, /\d+\.\d\/s/);
  await page.screenshot({ path: `${shots}capacity.png` });
  // the cheapest plan meeting the same SLO at 5× today's 850/s
  await page.click(id("mode-rightsize"));
  assert.equal(await page.locator(id("capacity-slo")).inputValue(), "p99<300ms,errors<0.1%");
  assert.ok(await page.locator(id("rightsize-start")).isDisabled(), "no rate yet");
  await page.locator(id("rightsize-rate")).fill("4250");
  await page.click(id("rightsize-start"));
  await page.waitForFunction(() => document.querySelector('[data-testid="plan-status"]')?.textContent === "done", null, { timeout: 60000 });
  const plans = await page.locator(`${id("rightsize-table")} tbody tr`).allInnerTexts();
  assert.deepEqual(plans.map((r) => r.split("\t")[0]), ["monolith", "microservices"]);
  assert.match(plans[0], /meets the SLO/);
  assert.match(plans[1], /unit catalog replicas 3 → \d+/);
  assert.match(plans[1], /\$[\d,]+ \(as written \$[\d,]+\)/);
  await page.screenshot({ path: `${shots}rightsize.png` });
  await page.click(`${id("exporter-rightsize")} ${id("export-json")}`);
  await page.waitForFunction(() => /black-friday-rightsize\.json/.test(document.querySelector('[data-testid="notice"]')?.textContent ?? ""));
  await page.click(id("mode-run"));
});

test("a run with a precision target shows the replications so far and the precision reached", async () => {
  await page.locator(id("run-precision")).fill("2%");
  await page.locator(id("run-max-replications")).fill("20");
  await page.click(id("run-start"));
  await page.waitForFunction(() => /replications so far \(cap \d+\) · precision ±[\d.]+%/.test(document.querySelector('[data-testid="run-progress"]')?.textContent ?? ""), null, { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === "done", null, { timeout: 60000 });
  assert.match(await page.locator(id("precision-result")).innerText(), /precision target ±2% (met|not met) with \d+ replications/);
  await page.locator(id("run-panel")).screenshot({ path: `${shots}precision.png` });
  // a bad target is refused by the backend when the run starts (the mock replays the shell's
  // recorded refusal), and the panel shows its message
  await page.locator(id("run-precision")).fill("200%");
  await page.click(id("run-start"));
  await page.waitForFunction(() => /--precision 200%: expected a percentage between 0% and 100%/.test(document.querySelector('[data-testid="run-error"]')?.textContent ?? ""));
  assert.equal(await page.locator(id("run-status")).innerText(), "failed");
  await page.locator(id("run-precision")).fill("");
});

test("autoscaling: the instances chart (ready and starting) and the autoscaling table", async () => {
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/autoscaling-lag.toml"));
  await page.locator(id("node-unit:api")).waitFor();
  assert.match(await page.locator(id("node-unit:api")).innerText(), /2–10× autoscaled/);
  await page.click(id("nav-run"));
  await page.click(id("run-start"));
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === "done", null, { timeout: 60000 });
  for (const c of ["chart-autoscaling", "chart-worker-saturation"]) {
    await page.locator(`${id(c)} [data-rendered="true"]`).waitFor();
    assert.ok((await drawnPixels(c)) > 2000, `${c} has pixels drawn`);
  }
  const rows = await page.locator(`${id("autoscaling-table")} tbody tr`).allInnerTexts();
  assert.deepEqual(rows.map((r) => r.split("\t")[0]), ["lagging · api", "fast-start · api", "higher-min · api"]);
  await page.locator(id("chart-autoscaling")).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}autoscaling.png` });
});

test("connection pools: the pool charts and table of the serverless-and-database lesson", async () => {
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/serverless-db-connections.toml"));
  await page.locator(id("node-unit:api")).waitFor();
  // the first variant's unit is a serverless function, drawn as one
  assert.match(await page.locator(id("node-unit:api")).getAttribute("class"), /\bfunction\b/);
  assert.match(await page.locator(id("node-unit:api")).innerText(), /function · go · 1769MB/);
  await page.click(id("nav-run"));
  await page.click(id("run-start"));
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === "done", null, { timeout: 60000 });
  for (const c of ["chart-pool-saturation", "chart-pool-wait"]) {
    await page.locator(`${id(c)} [data-rendered="true"]`).waitFor();
    assert.ok((await drawnPixels(c)) > 2000, `${c} has pixels drawn`);
  }
  const rows = await page.locator(`${id("pools-table")} tbody tr`).allInnerTexts();
  assert.equal(rows.length, 1);
  assert.match(rows[0], /^service-with-pool · api\t40\t/);
  await page.locator(id("pool-views")).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}pools.png` });
});

test("the gateway lesson: the gateway node with its fields, and the components view", async () => {
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/gateway-cache-rate-limit.toml"));
  await page.click(id("variant-tab-gateway-rate-limit"));
  await page.locator(id("node-gateway")).waitFor();
  assert.match(await page.locator(id("node-gateway")).innerText(), /rate limit 220\/s burst 100/);
  await page.locator(`${id("node-gateway")} .gnode-head`).click();
  const replicas = page.locator(id("field-variants[2].gateway.replicas"));
  await replicas.waitFor();
  assert.equal(await replicas.inputValue(), "2");
  await page.screenshot({ path: `${shots}gateway.png` });
  await page.click(id("nav-run"));
  await page.click(id("run-start"));
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === "done", null, { timeout: 60000 });
  for (const c of ["chart-components", "chart-components-rejected", "chart-cache-hits"]) {
    await page.locator(`${id(c)} [data-rendered="true"]`).waitFor();
    assert.ok((await drawnPixels(c)) > 2000, `${c} has pixels drawn`);
  }
  const rows = await page.locator(`${id("components-table")} tbody tr`).allInnerTexts();
  assert.deepEqual(rows.map((r) => r.split("\t").slice(0, 3).join(" ")), [
    "gateway gateway gateway",
    "gateway-cache gateway gateway",
    "gateway-cache gateway: browse cache",
    "gateway-rate-limit gateway gateway",
  ]);
  // the rate-limited variant's gateway rejects (429s), the others do not
  assert.match(rows[3].split("\t")[5], /^[1-9]\d* /);
  assert.match(rows[0].split("\t")[5], /^0 /);
  await page.locator(id("components-views")).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}components.png` });
});

test("caches and the CDN: the instant estimate counts the misses only, the run measures the hits", async () => {
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/cache-and-cdn.toml"));
  await page.click(id("variant-tab-redis-cdn"));
  await page.locator(id("node-cache:redis")).waitFor();
  await page.locator(id("node-cdn")).waitFor();
  // behind the TTL cache the database sees about 17% of the reads: ρ 0.10 against 0.60 without it,
  // and the web unit renders only the CDN's misses
  assert.match(await page.locator(id("estimate-database:db")).innerText(), /^ρ 0\.10 /);
  assert.match(await page.locator(id("estimate-unit:web")).innerText(), /^ρ 0\.06 /);
  await page.click(id("variant-tab-origin"));
  await page.locator(id("estimate-database:db")).waitFor();
  assert.match(await page.locator(id("estimate-database:db")).innerText(), /^ρ 0\.60 /);
  await page.click(id("nav-run"));
  await page.click(id("run-start"));
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === "done", null, { timeout: 60000 });
  await page.locator(`${id("chart-cache-hits")} [data-rendered="true"]`).waitFor();
  assert.ok((await drawnPixels("chart-cache-hits")) > 2000, "chart-cache-hits has pixels drawn");
  const rows = (await page.locator(`${id("components-table")} tbody tr`).allInnerTexts()).map((r) => r.split("\t"));
  assert.deepEqual(rows.map((r) => r.slice(0, 3).join(" ")), [
    "redis redis cache",
    "redis-cdn cdn cdn",
    "redis-cdn redis cache",
    "redis-cdn cdn: home cache",
  ]);
  // the TTL cache hits about 83% of the reads, the CDN 95% of the home pages
  assert.match(rows[0][7], /^0\.83\d /);
  assert.match(rows[3][7], /^0\.9[45]\d /);
  await page.locator(id("components-views")).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}caches.png` });
});

test("the load balancer lesson: the balancer node in front of its unit, with its fields", async () => {
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/lb-single-point-of-failure.toml"));
  await page.click(id("variant-tab-two-lbs"));
  await page.locator(id("node-load_balancer:alb")).waitFor();
  await laidOut();
  assert.match(await page.locator(id("node-load_balancer:alb")).innerText(), /load balancer[\s\S]*2× least_outstanding/i);
  const lb = await box("node-load_balancer:alb");
  const unit = await box("node-unit:shop");
  assert.ok(lb.x + lb.width <= unit.x, "the balancer sits left of (in front of) its unit");
  await page.locator(`${id("node-load_balancer:alb")} .gnode-head`).click();
  const replicas = page.locator(id("field-variants[1].load_balancers[0].replicas"));
  await replicas.waitFor();
  assert.equal(await replicas.inputValue(), "2");
  await page.screenshot({ path: `${shots}load-balancer.png` });
});

test("hosts: a host is a group around the units placed on it", async () => {
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/one-host-vs-many.toml"));
  await page.click(id("variant-tab-one-host"));
  await page.locator(id("node-host:big")).waitFor();
  await laidOut();
  assert.match(await page.locator(id("node-host:big")).innerText(), /host[\s\S]*big[\s\S]*3 cores · 8GB/i);
  // the instant estimate counts the three units' demand together on the host's 3 cores
  assert.match(await page.locator(id("estimate-host:big")).innerText(), /^ρ 0\.83 /);
  const host = await box("node-host:big");
  const web = await box("node-unit:web");
  assert.ok(web.x >= host.x && web.y >= host.y && web.x + web.width <= host.x + host.width + 1 && web.y + web.height <= host.y + host.height + 1, "the unit lies inside its host");
  await page.screenshot({ path: `${shots}hosts.png` });
});

test("a model built from an empty canvas with the palette: saved, run, verdict, report", async () => {
  await page.setViewportSize({ width: 1500, height: 1000 });
  await page.click(id("file-new"));
  if (await page.locator(id("question")).count()) await page.click(id("answer-discard"));
  await page.locator(id("node-module:service")).waitFor();
  assert.equal(await page.title(), "untitled.toml — archsim");
  await page.click(id("palette-module"));
  await page.locator(id("node-module:module")).waitFor();
  await page.click(id("palette-module"));
  await page.locator(id("node-module:module2")).waitFor();
  // (the mock draws no deployment for a new file: the database's store is checked in the text)
  await page.click(id("palette-database"));
  await page.waitForFunction(() => document.title.startsWith("•"));
  await page.click(id("palette-gateway"));
  // draw a call: from service's right handle onto module
  const drag = async (fromId, toId) => {
    await laidOut();
    const h = await page.locator(`${id(fromId)} .react-flow__handle.source`).boundingBox();
    const t = await box(toId);
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(h.x + ((t.x + t.width / 2 - h.x) * i) / 10, h.y + ((t.y + t.height / 2 - h.y) * i) / 10);
    const th = await page.locator(`${id(toId)} .react-flow__handle.target`).boundingBox();
    await page.mouse.move(th.x + th.width / 2, th.y + th.height / 2);
    await page.mouse.up();
  };
  const edges = await page.locator(".react-flow__edge").count();
  await drag("node-module:service", "node-module:module");
  await page.waitForFunction((n) => document.querySelectorAll(".react-flow__edge").length > n, edges);
  await drag("node-module:module", "node-module:module2");
  await page.waitForFunction((n) => document.querySelectorAll(".react-flow__edge").length > n + 1, edges);
  assert.match(await page.title(), /^• untitled\.toml — archsim$/);
  await page.click(id("variant-microservices"));
  await page.locator(id("variant-tab-microservices")).waitFor();
  await page.click(id("variant-tab-microservices"));
  await page.screenshot({ path: `${shots}build-by-drawing.png` });
  await page.setViewportSize({ width: 1100, height: 700 });
  await laidOut();
  await page.click(id("fit-view"));
  // fitted into a small window, every name still reads at 9.5 px or more on screen
  await page.waitForTimeout(400);
  const sizes = await nameSizes();
  assert.ok(sizes.length >= 4 && Math.min(...sizes) >= 9.4, `names on screen: ${sizes.map((x) => x.toFixed(1)).join(", ")} px`);
  await page.screenshot({ path: `${shots}build-by-drawing-small.png` });
  await page.setViewportSize({ width: 1500, height: 1000 });
  // delete a module: the question names what depends on it; Cancel keeps it
  await page.locator(`${id("node-module:module2")} .gnode-head`).click();
  await page.keyboard.press("Delete");
  await page.locator(id("question")).waitFor();
  assert.match(await page.locator(id("question")).innerText(), /Delete the module module2\? This also removes the call from module\.handle; its place in the unit app of monolith/);
  await page.click(id("answer-no"));
  assert.equal(await page.locator(id("node-module:module2")).count(), 1);
  // save: no file yet, so the Save dialog (the mock answers /home/user/untitled.toml)
  await page.click(id("file-save"));
  await page.locator(id("notice")).waitFor();
  assert.match(await page.locator(id("notice")).innerText(), /Saved \/home\/user\/untitled\.toml/);
  assert.equal(await page.title(), "untitled.toml — archsim");
  await page.click(id("nav-run"));
  await page.click(id("run-start"));
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === "done", null, { timeout: 60000 });
  await page.locator(id("verdict")).waitFor();
  await page.locator(id("summary")).waitFor();
  await page.click(`${id("exporter-results")} ${id("export-html")}`);
  await page.waitForFunction(() => /HTML report written to \/home\/user\/untitled-results\.html/.test(document.querySelector('[data-testid="notice"]')?.textContent ?? ""));
});

test("the Conway lesson: the two organizations look different, with their Conway and delivery figures", async () => {
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/conway-two-orgs.toml"));
  if (await page.locator(id("question")).count()) await page.click(id("answer-discard"));
  await page.locator(id("node-module:search")).waitFor();
  await page.click(id("variant-tab-aligned"));
  assert.equal(await page.locator(id("team-module:search")).innerText(), "storefront-team");
  // a larger lesson, fitted at names only: still no edge through a box
  await laidOut();
  assert.deepEqual(await edgesThroughBoxes(), []);
  await page.screenshot({ path: `${shots}conway-aligned.png` });
  await page.click(id("variant-tab-scattered"));
  await page.waitForFunction(() => document.querySelector('[data-testid="team-module:search"]')?.textContent === "checkout-team");
  await page.screenshot({ path: `${shots}conway-scattered.png` });
  await page.click(id("go-to-chart"));
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === "done", null, { timeout: 60000 });
  await page.locator(id("conway-table")).waitFor();
  const aligned = await page.locator(id("conway-aligned")).innerText();
  const scattered = await page.locator(id("conway-scattered")).innerText();
  assert.notEqual(aligned, scattered);
  await page.locator(`${id("chart-delivery-lead-time")} [data-rendered="true"]`).waitFor();
  await page.locator(id("team-views")).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}conway-results.png` });
});

test("the lessons are a path: the online shop first, groups in order", async () => {
  await page.click(id("nav-start"));
  const first = await page.locator(`${id("lesson-group-0")} h3`).first().innerText();
  assert.equal(first, "Start here");
  const titles = await page.locator(".group-title").allInnerTexts();
  assert.deepEqual(titles, ["Start here", "Monolith vs microservices", "Serverless", "Resilience", "Capacity", "Organizations", "Queueing basics"]);
  await page.screenshot({ path: `${shots}start.png` });
});

test("the strangler-fig lesson's evolution as a stepper, each step compared with the one before", async () => {
  await page.setViewportSize({ width: 1500, height: 950 });
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/strangler-evolution.toml"));
  if (await page.locator(id("question")).count()) await page.click(id("answer-discard"));
  await page.locator(id("evolution")).waitFor();
  await page.click(id("evolution-step-2"));
  assert.match(await page.locator(id("evolution")).innerText(), /step 2 of 4, compared with step 1/);
  assert.match(await page.locator(id("diff-line")).innerText(), /^extract-payments vs monolith: 1 module in another unit \(payments ← shop\)/);
  await page.click(id("evolution-next"));
  assert.match(await page.locator(id("diff-line")).innerText(), /^extract-storefront vs extract-payments/);
  await laidOut();
  assert.deepEqual(await edgesThroughBoxes(), []);
  await page.screenshot({ path: `${shots}evolution.png` });
});

test("the cost estimate: each node's monthly cost beside its latency estimate, and the variant's total", async () => {
  await page.setViewportSize({ width: 1500, height: 950 });
  await page.click(id("nav-start"));
  await page.click(id("open-online-shop.toml"));
  if (await page.locator(id("question")).count()) await page.click(id("answer-discard"));
  await page.locator(id("node-unit:shop")).waitFor();
  assert.match(await page.locator(id("cost-unit:shop")).innerText(), /^\$[\d,.]+(k)?\/mo$/);
  const costs = await page.locator('[data-testid^="cost-"]').count();
  assert.ok(costs >= 2, `${costs} nodes show a cost`);
  assert.match(await page.locator(id("cost-total")).innerText(), /^≈ \$[\d,.]+ \/ month \(estimate\)$/);
  // zoomed in, the groups show their cost beside their latency estimate
  for (let i = 0; i < 2; i++) await page.click(".react-flow__controls-zoomin");
  await page.locator(id("cost-unit:shop")).waitFor();
  await page.screenshot({ path: `${shots}cost-estimate.png` });
});

test("workflows and transactions on the graph: a workflow node with its calls, a lock as a badge", async () => {
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/workflow-vs-long-function.toml"));
  if (await page.locator(id("question")).count()) await page.click(id("answer-discard"));
  await page.locator(id("node-workflow:fulfil")).waitFor();
  // its estimated bill: 0.05 starts/s × 730 h × 3 transitions × $0.025 per 1,000 = $9.86
  assert.match(await page.locator(id("node-workflow:fulfil")).innerText(), /\$9\.86\/mo/);
  // the call that starts it and its task states' operations
  assert.equal(await page.locator(id("rf__edge-module:front->workflow:fulfil")).count(), 1);
  assert.equal(await page.locator(id("rf__edge-workflow:fulfil->module:payments")).count(), 1);
  await page.screenshot({ path: `${shots}workflow-on-graph.png` });
  await page.click(id("nav-start"));
  await page.click(id("open-lessons/monolith-transaction-vs-saga.toml"));
  if (await page.locator(id("question")).count()) await page.click(id("answer-discard"));
  await zoomToDetail();
  await page.locator(id("badges-module:inventory")).waitFor();
  assert.match(await page.locator(id("badges-module:inventory")).innerText(), /lock stock_row/);
  assert.match(await page.locator(id("badges-module:orders")).innerText(), /transaction/);
  await page.screenshot({ path: `${shots}transaction-on-graph.png` });
});

test("decompose: the suggestion previewed on the graph, then applied as a new variant (undoable)", async () => {
  await page.setViewportSize({ width: 1500, height: 1000 });
  await page.click(id("nav-start"));
  await page.click(id("open-online-shop.toml"));
  if (await page.locator(id("question")).count()) await page.click(id("answer-discard"));
  await page.locator(id("node-unit:shop")).waitFor();
  await page.click(id("variant-tab-monolith"));
  await page.click(id("variant-decompose"));
  // K out of range is refused in words, nothing asked of the shell
  await page.fill(id("decompose-units"), "9");
  await page.click(id("decompose-preview"));
  assert.match(await page.locator(id("decompose-error")).innerText(), /whole number from 1 to 4/);
  await page.fill(id("decompose-units"), "2");
  await page.click(id("decompose-preview"));
  await page.locator(id("decompose-figures")).waitFor();
  assert.match(await page.locator(id("decompose-figures")).innerText(), /decomposed-2\): 2 units · [\d.]+ cross-unit calls? per request · teams split across units: /);
  // the graph draws the suggested units, modules and units tinted by suggested unit
  await laidOut();
  const tints = await page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll('[data-testid^="node-module:"]')].map((e) => [e.getAttribute("data-testid").slice(12), [e.getAttribute("data-tint"), e.getAttribute("data-parent")]])),
  );
  assert.deepEqual(Object.keys(tints).sort(), ["catalog", "inventory", "orders", "payments"]);
  assert.equal(new Set(Object.values(tints).map(([t]) => t)).size, 2, JSON.stringify(tints));
  // modules of one tint share their unit
  for (const [m, [t, parent]] of Object.entries(tints)) for (const [, [t2, p2]] of Object.entries(tints)) assert.equal(t === t2, parent === p2, `${m}: ${JSON.stringify(tints)}`);
  assert.equal(await page.locator(id("node-unit:shop")).count(), 0);
  assert.match(await page.locator(id("decompose-estimate")).innerText(), /Instant estimate, monolith → decomposed-2: browse/);
  await page.screenshot({ path: `${shots}decompose-preview.png` });
  // applied: a new variant, shown, one step of the history
  await page.click(id("decompose-apply"));
  await page.locator(id("variant-tab-decomposed-2")).waitFor();
  assert.equal(await page.locator(id("variant-tab-decomposed-2")).getAttribute("aria-selected"), "true");
  assert.equal(await page.locator(id("decompose-panel")).count(), 0);
  await page.click(id("undo"));
  await page.locator(id("variant-tab-decomposed-2")).waitFor({ state: "detached" });
  // the variant selected is gone: the last one left is selected, its tab highlighted
  assert.equal(await page.locator(id("variant-tab-microservices")).getAttribute("aria-selected"), "true");
});

test("a model from traces: discovered, its graph shown, calibrated with measured against simulated CDFs, used (undoable)", async () => {
  await page.setViewportSize({ width: 1500, height: 1000 });
  await page.click(id("nav-traces"));
  await page.locator(id("telemetry-page")).waitFor();
  assert.equal(await page.locator(id("discover-model")).isDisabled(), true);
  await page.click(id("add-trace-file"));
  assert.match(await page.locator(id("trace-files")).innerText(), /traces\.jsonl/);
  await page.click(id("discover-model"));
  if (await page.locator(id("question")).count()) await page.click(id("answer-discard"));
  await page.locator(id("discovery-report")).waitFor();
  assert.match(await page.locator(id("discovery-facts")).innerText(), /spans read\s+\d+/);
  assert.ok((await page.locator(`${id("discovered-operations")} tbody tr`).count()) >= 2);
  await page.screenshot({ path: `${shots}traces-discovered.png` });
  // the report as `discover --report-json` writes it, through the Save dialog
  await page.click(id("export-discovery-json"));
  await page.waitForFunction(() => /discovery report \(JSON\) written to \/home\/user\/discovery\.json/.test(document.querySelector('[data-testid="notice"]')?.textContent ?? ""));
  const written = JSON.parse(await page.evaluate(() => window.__mockWrites.get("/home/user/discovery.json")));
  assert.equal(written.spans_read, Number((await page.locator(id("discovery-facts")).innerText()).match(/spans read\s+(\d+)/)[1]));
  // the discovered graph
  await page.click(id("show-discovered-graph"));
  await laidOut();
  assert.ok((await page.locator('[data-testid^="node-module:"]').count()) >= 2);
  assert.match(await page.title(), /^• discovered\.toml/);
  // calibrated against the same traces: the CDF overlay and the tables
  await page.click(id("nav-traces"));
  await page.click(id("calibrate-model"));
  await page.locator(id("calibration-result")).waitFor();
  const chart = page.locator('[data-testid^="chart-calibration-cdf-"] [data-rendered="true"]').first();
  await chart.waitFor();
  assert.ok((await drawnPixels(await chart.locator("..").getAttribute("data-testid"))) > 500);
  assert.match(await page.locator(id("calibration-objective")).innerText(), /Mean relative error of the means J: [\d.]+ as given → [\d.]+ calibrated/);
  assert.ok((await page.locator(`${id("calibration-rows")} tbody tr`).count()) >= 3);
  await page.locator(id("calibration-result")).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}traces-calibrated.png` });
  // used: the model edited is the calibrated one; undo brings the discovered one back
  await page.click(id("apply-calibration"));
  await page.locator(id("calibration-applied")).waitFor();
  await page.click(id("nav-model"));
  await page.click(id("undo"));
  await page.click(id("nav-traces"));
  await page.locator(id("apply-calibration")).waitFor();
});
