// The real app: the release binary in a window under Xvfb, driven over WebDriver by
// tauri-driver (which starts Debian's WebKitWebDriver). Plain fetch, no WebDriver client.
// Env: APP (the binary), SHOTS (CI log folder), DOCS_SHOTS (docs/screenshots); the app's
// Save dialogs answer in ARCHSIM_PICK_DIR (a temporary folder unless set: no one can click in
// a native dialog here).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const APP = process.env.APP;
const SHOTS = process.env.SHOTS ?? ".";
const DRIVER = "http://127.0.0.1:4444";
let driver;
let session;

async function wd(method, path, body) {
  const r = await fetch(`${DRIVER}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const j = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${JSON.stringify(j.value ?? j)}`);
  return j.value;
}

const s = (p) => `/session/${session}${p}`;
const ELEMENT = "element-6066-11e4-a07c-4a9e0e4db5be";

async function find(testId, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await wd("POST", s("/element"), { using: "css selector", value: `[data-testid="${testId}"]` });
      const el = v[ELEMENT] ?? v.ELEMENT ?? Object.values(v)[0];
      if (!el) throw new Error(`no element id in ${JSON.stringify(v)}`);
      return el;
    } catch (e) {
      if (Date.now() > end) {
        // what the window showed instead, for the CI log
        await shot(`failed-${testId.replace(/[^\w.-]/g, "_")}.png`, false).catch(() => {});
        throw e;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function script(src, args = []) {
  return wd("POST", s("/execute/sync"), { script: src, args });
}

async function until(src, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (!(await script(src))) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${src}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function shot(name, docs = true) {
  const png = Buffer.from(await wd("GET", s("/screenshot")), "base64");
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(`${SHOTS}/${name}`, png);
  if (docs && process.env.DOCS_SHOTS) {
    mkdirSync(process.env.DOCS_SHOTS, { recursive: true });
    writeFileSync(`${process.env.DOCS_SHOTS}/${name}`, png);
  }
  return png;
}

/** The pixels of the first canvas matching `selector` that are drawn (not blank or white). */
async function drawnPixels(selector) {
  return script(
    `const c = document.querySelector(arguments[0]);
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
    return n;`,
    [selector],
  );
}

const PICK_DIR = (process.env.ARCHSIM_PICK_DIR ??= mkdtempSync(join(tmpdir(), "archsim-app-test-")));

before(async () => {
  assert.ok(APP, "APP names the app binary");
  driver = spawn("tauri-driver", ["--port", "4444"], { stdio: ["ignore", "inherit", "inherit"] });
  const end = Date.now() + 30000;
  for (;;) {
    try {
      await fetch(`${DRIVER}/status`);
      break;
    } catch {
      if (Date.now() > end) throw new Error("tauri-driver did not start");
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const v = await wd("POST", "/session", {
    capabilities: { alwaysMatch: { browserName: "wry", "tauri:options": { application: APP } } },
  });
  session = v.sessionId;
});

after(async () => {
  if (session) await wd("DELETE", s("")).catch(() => {});
  driver?.kill();
  // an app window that did not close with its session (e.g. one asking about unsaved changes)
  // would keep the test's output open and the run waiting: end every process running APP
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
      if (cmd === APP) process.kill(Number(pid));
    } catch {
      // the process ended meanwhile
    }
  }
});

test("the app opens the online shop, runs it and draws the comparison chart", async () => {
  const open = await find("open-online-shop.toml");
  await wd("POST", s(`/element/${open}/click`), {});
  await find("node-unit:shop");
  await shot("app-editor.png");
  await wd("POST", s(`/element/${await find("nav-run")}/click`), {});
  const reps = await find("run-replications");
  await wd("POST", s(`/element/${reps}/value`), { text: "3" });
  await wd("POST", s(`/element/${await find("run-start")}/click`), {});
  await until(`return document.querySelector('[data-testid="run-status"]')?.textContent === "done"`, 300000);
  await until(`return !!document.querySelector('[data-testid="chart-comparison"] [data-rendered="true"]')`, 30000);
  const drawn = await drawnPixels('[data-testid="chart-comparison"] canvas');
  await shot("app-results.png");
  assert.ok(drawn > 2000, `comparison chart has ${drawn} drawn pixels`);
});

/** Clicks the element with this test id. */
async function click(testId) {
  await wd("POST", s(`/element/${await find(testId)}/click`), {});
}

/** The text of the element with this test id. */
async function text(testId) {
  return wd("GET", s(`/element/${await find(testId)}/text`));
}

/** The graph once ELK's layout for what it shows has arrived and the view is fitted. */
async function laidOut() {
  await until(`return document.querySelector('[data-testid="graph"]')?.getAttribute("data-layout") === "done"`, 30000);
  await new Promise((r) => setTimeout(r, 500));
}

/** The centre of an element on screen (CSS selector), in viewport pixels. */
async function centre(selector) {
  const r = await script(`const r = document.querySelector(arguments[0])?.getBoundingClientRect(); return r ? [r.x + r.width / 2, r.y + r.height / 2] : null;`, [selector]);
  assert.ok(r, `${selector} is on screen`);
  return r.map(Math.round);
}

/** Draws a call with the pointer: from a node's right handle to another node's left one. */
async function drawCall(fromId, toId) {
  await laidOut();
  const [x0, y0] = await centre(`[data-testid="${fromId}"] .react-flow__handle.source`);
  const [x1, y1] = await centre(`[data-testid="${toId}"] .react-flow__handle.target`);
  const moves = [];
  for (let i = 1; i <= 8; i++) moves.push({ type: "pointerMove", duration: 30, origin: "viewport", x: Math.round(x0 + ((x1 - x0) * i) / 8), y: Math.round(y0 + ((y1 - y0) * i) / 8) });
  await wd("POST", s("/actions"), {
    actions: [
      {
        type: "pointer",
        id: "mouse",
        parameters: { pointerType: "mouse" },
        actions: [{ type: "pointerMove", duration: 0, origin: "viewport", x: x0, y: y0 }, { type: "pointerDown", button: 0 }, ...moves, { type: "pause", duration: 100 }, { type: "pointerUp", button: 0 }],
      },
    ],
  });
  await wd("DELETE", s("/actions"));
}

const edgeCount = () => script(`return document.querySelectorAll(".react-flow__edge").length`);
const title = () => script(`return document.title`);

async function windowSize(width, height) {
  await wd("POST", s("/window/rect"), { width, height });
  await new Promise((r) => setTimeout(r, 800));
}

test("a new user builds three services, a gateway and a database from nothing, runs it, exports the report, and reads the Conway lesson", async () => {
  await windowSize(1500, 1000);
  // New: the smallest model (one entry, one module, one unit), unsaved
  await click("file-new");
  await find("node-module:service");
  assert.equal(await title(), "untitled.toml — archsim");
  // the palette: an entry, two more modules (one operation each), a database with its store,
  // a gateway
  await click("palette-entry");
  await find("node-entry:entry");
  await click("palette-module");
  await find("node-module:module");
  await click("palette-module");
  await find("node-module:module2");
  await click("palette-database");
  await find("node-datastore:store");
  await find("node-database:db");
  await click("palette-gateway");
  await find("node-gateway");
  // calls drawn by dragging from a handle to a node: service → module → module2 → store
  let edges = await edgeCount();
  await drawCall("node-module:service", "node-module:module");
  await until(`return document.querySelectorAll(".react-flow__edge").length > ${edges}`, 20000).catch(async (e) => {
    await shot("failed-call.png", false);
    throw e;
  });
  edges = await edgeCount();
  await drawCall("node-module:module", "node-module:module2");
  await until(`return document.querySelectorAll(".react-flow__edge").length > ${edges}`, 20000).catch(async (e) => {
    await shot("failed-call.png", false);
    throw e;
  });
  edges = await edgeCount();
  await drawCall("node-module:module2", "node-datastore:store");
  // the store has two operations: the question asks which one is called
  await click("answer-0");
  await until(`return document.querySelectorAll(".react-flow__edge").length > ${edges}`, 20000).catch(async (e) => {
    await shot("failed-call.png", false);
    throw e;
  });
  // one unit per module
  await click("variant-microservices");
  await click("variant-tab-microservices");
  await find("node-unit:module2");
  await laidOut();
  assert.equal(await script(`return document.querySelectorAll('[data-testid="diagnostics"]').length`), 0, "the model built is valid");
  await shot("app-build-by-drawing.png");
  await windowSize(1100, 700);
  await click("fit-view");
  await new Promise((r) => setTimeout(r, 800));
  await shot("app-build-by-drawing-small.png");
  await windowSize(1500, 1000);
  // saved through the Save dialog (answered in ARCHSIM_PICK_DIR)
  await click("file-save");
  await until(`return /Saved /.test(document.querySelector('[data-testid="notice"]')?.textContent ?? "")`, 20000);
  const saved = join(PICK_DIR, "untitled.toml");
  assert.ok(existsSync(saved), `${saved} written`);
  const toml = readFileSync(saved, "utf8");
  assert.match(toml, /name = "microservices"/);
  assert.match(toml, /op = "module2\.handle"/);
  assert.equal(await title(), "untitled.toml — archsim");
  // run it and read the verdict
  await click("nav-run");
  await click("run-start");
  await until(`return document.querySelector('[data-testid="run-status"]')?.textContent === "done"`, 600000);
  const verdict = await text("verdict");
  assert.match(verdict, /microservices/, verdict);
  await shot("app-new-model-results.png");
  // the HTML report, exported through the Save dialog
  await wd("POST", s(`/element/${await wd("POST", s("/element"), { using: "css selector", value: '[data-testid="exporter-results"] [data-testid="export-html"]' }).then((v) => Object.values(v)[0])}/click`), {});
  await until(`return /HTML report written to/.test(document.querySelector('[data-testid="notice"]')?.textContent ?? "")`, 60000);
  const report = join(PICK_DIR, "untitled-results.html");
  assert.ok(existsSync(report), `${report} written`);
  const html = readFileSync(report, "utf8");
  // the report embeds the results document: the verdict's sentences as the window shows them
  const said = await script(
    `return [...document.querySelectorAll('[data-testid="verdict"] p')].map((p) => p.textContent.replace(/^[^:]+:\\s*/, "")).find((t) => t.length > 20) ?? ""`,
  );
  assert.ok(said.length > 20, `a verdict paragraph: ${verdict}`);
  const fragment = JSON.stringify(said.slice(0, 40)).slice(1, -1).replace(/</g, "\\u003c");
  assert.ok(html.includes(fragment), `the report holds the verdict: ${fragment}`);
  // the Conway lesson: the two organizations, side by side in the Conway figures
  await click("nav-start");
  await click("open-lessons/conway-two-orgs.toml");
  await find("node-module:search");
  await click("variant-tab-aligned");
  // (at the fitted zoom the chips are folded away: their text is in the page, not drawn)
  await until(`return document.querySelector('[data-testid="team-module:search"]')?.textContent === "storefront-team"`, 20000);
  await click("variant-tab-scattered");
  await until(`return document.querySelector('[data-testid="team-module:search"]')?.textContent === "checkout-team"`, 20000);
  await click("go-to-chart");
  await until(`return document.querySelector('[data-testid="run-status"]')?.textContent === "done"`, 600000);
  await find("conway-table");
  // mirroring, pair agreement, cross-team and cross-unit calls per request, as shown
  const figures = (v) => script(`return [...document.querySelectorAll('[data-testid="conway-${v}"] td')].slice(0, 4).map((td) => Number(td.textContent))`);
  const aligned = await figures("aligned");
  const scattered = await figures("scattered");
  assert.ok(aligned.every(Number.isFinite) && scattered.every(Number.isFinite), `${aligned} / ${scattered}`);
  assert.notDeepEqual(aligned, scattered);
  // scattered ownership mirrors the deployment less and makes more calls cross teams
  assert.ok(aligned[0] > scattered[0], `mirroring ${aligned[0]} > ${scattered[0]}`);
  assert.ok(aligned[2] < scattered[2], `cross-team calls ${aligned[2]} < ${scattered[2]}`);
  await script(`document.querySelector('[data-testid="conway-table"]').scrollIntoView({ block: "center" })`);
  await shot("app-conway-results.png");
});

test("a model from a real trace file: discovered by the shell, its graph drawn, calibrated with the CDF overlay, used", async () => {
  // the Open dialog answers `traces.jsonl` in ARCHSIM_PICK_DIR: the OTLP fixture
  copyFileSync(fileURLToPath(new URL("../../tests/fixtures/traces/shop-otlp.jsonl", import.meta.url)), join(PICK_DIR, "traces.jsonl"));
  await click("nav-traces");
  await click("add-trace-file");
  await until(`return document.querySelector('[data-testid="trace-files"]')?.textContent.includes("traces.jsonl")`, 20000);
  await click("discover-model");
  // the Conway lesson opened before has no unsaved changes: no question; if one is asked, discard
  await until(
    `return !!document.querySelector('[data-testid="discovery-report"]') || !!document.querySelector('[data-testid="question"]')`,
    60000,
  );
  if (await script(`return !!document.querySelector('[data-testid="question"]')`)) await click("answer-discard");
  await find("discovery-report");
  const spans = await script(`return [...document.querySelectorAll('[data-testid="discovery-facts"] tr')].find((r) => r.textContent.startsWith("spans read"))?.textContent ?? ""`);
  assert.match(spans, /spans read\s*\d+/);
  await click("show-discovered-graph");
  await laidOut();
  const modules = await script(`return document.querySelectorAll('[data-testid^="node-module:"]').length`);
  assert.ok(modules >= 2, `${modules} modules drawn`);
  await click("nav-traces");
  await click("calibrate-model");
  await find("calibration-result", 300000);
  await until(`return !!document.querySelector('[data-testid^="chart-calibration-cdf-"] [data-rendered="true"]')`, 30000);
  const drawn = await drawnPixels('[data-testid^="chart-calibration-cdf-"] canvas');
  assert.ok(drawn > 1000, `the CDF chart has ${drawn} drawn pixels`);
  await click("apply-calibration");
  await find("calibration-applied");
  await script(`document.querySelector('[data-testid^="chart-calibration-cdf-"]').scrollIntoView({ block: "center" })`);
  await shot("app-traces-calibrated.png");
});
