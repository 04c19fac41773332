// The real app: the release binary in a window under Xvfb, driven over WebDriver by
// tauri-driver (which starts Debian's WebKitWebDriver). Plain fetch, no WebDriver client.
// Env: APP (the binary), SHOTS (CI log folder), DOCS_SHOTS (docs/screenshots).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";

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
      if (Date.now() > end) throw e;
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

async function shot(name) {
  const png = Buffer.from(await wd("GET", s("/screenshot")), "base64");
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(`${SHOTS}/${name}`, png);
  if (process.env.DOCS_SHOTS) {
    mkdirSync(process.env.DOCS_SHOTS, { recursive: true });
    writeFileSync(`${process.env.DOCS_SHOTS}/${name}`, png);
  }
  return png;
}

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
  const drawn = await script(`
    const c = document.querySelector('[data-testid="chart-comparison"] canvas');
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
    return n;`);
  await shot("app-results.png");
  assert.ok(drawn > 2000, `comparison chart has ${drawn} drawn pixels`);
});
