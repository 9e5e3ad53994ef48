// The playground in a real browser (Debian's chromium, driven by playwright-core): served on
// 127.0.0.1 from wasm/, it loads, builds the default preset in its worker, rebuilds as a file
// is edited, shows an error at its file and line, and restores its state from a shared link.
//
//   node --test tests/browser/
//   CHROMIUM=/path/to/chrome SCREENSHOTS=/tmp/shots node --test tests/browser/
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

const wasmDir = fileURLToPath(new URL("../../", import.meta.url));
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = process.env.SCREENSHOTS;
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

/** A static file server for wasm/ (the playground and pkg/), on 127.0.0.1 only. */
function serve() {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(wasmDir, path));
    if (!file.startsWith(wasmDir) || file.split(sep).includes("node_modules") || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const skip = !existsSync(chromiumPath)
  ? `no chromium at ${chromiumPath} (apt-get install chromium)`
  : !existsSync(join(wasmDir, "pkg/index.js"))
    ? "wasm/pkg is missing: run wasm/build.sh"
    : false;

let server;
let context;
let base;
let profile;
const problems = [];

before(async () => {
  if (skip) return;
  const { chromium } = await import("playwright-core");
  server = await serve();
  base = `http://127.0.0.1:${server.address().port}/playground/`;
  profile = mkdtempSync(join(tmpdir(), "rustomize-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1400, height: 860 },
  });
  context.on("page", (page) => {
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
  });
  if (shots) mkdirSync(shots, { recursive: true });
});

after(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function shot(page, name) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`) });
}

const prodKustomization = "overlays/production/kustomization.yaml";

test("the playground builds, rebuilds as a file is edited, shows errors, and shares its state", { skip, timeout: 120_000 }, async () => {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  await page.goto(base);

  // The default preset: the production overlay, built in the worker.
  await page.waitForFunction(() => document.getElementById("output").textContent.includes("name: prod-web\n"));
  assert.match(await page.textContent("#status"), /^built in /);
  assert.equal(await page.isHidden("#error"), true);
  assert.equal(page.workers().length, 1, "builds run in a Web Worker");
  await page.waitForFunction(() => document.body.dataset.ready === "true");
  assert.match(await page.textContent("#versions"), /kustomize v5\.5\.0/);
  await shot(page, "1-loaded");

  // Edit the overlay's kustomization: the output follows.
  await page.click(`#tree button.file[data-path="${prodKustomization}"]`);
  const editor = page.locator(`.editor[data-path="${prodKustomization}"] textarea`);
  assert.equal(await editor.isVisible(), true);
  const original = await editor.inputValue();
  assert.match(original, /namePrefix: prod-/);
  const edited = original.replace("namePrefix: prod-", "namePrefix: live-").replace("count: 5", "count: 7");
  await editor.fill(edited);
  await page.waitForFunction(() => document.getElementById("output").textContent.includes("name: live-web\n"));
  const output = await page.textContent("#output");
  assert.match(output, /replicas: 7\n/);
  assert.doesNotMatch(output, /prod-web/);
  await shot(page, "2-edited");

  // A YAML error on line 5 of that file: shown with its file and line, marked in the tree and
  // in the editor's gutter; "Go to" puts the caret there.
  const lines = edited.split("\n");
  assert.equal(lines[4], "namespace: web-production");
  lines[4] = "namespace: [web-production";
  const broken = lines.join("\n");
  await editor.fill(broken);
  await page.waitForSelector("#error:not([hidden])");
  const message = await page.textContent("#error-message");
  assert.match(message, new RegExp(`^/${prodKustomization}:\\d+:\\d+: `));
  const [, line, column] = message.match(/:(\d+):(\d+): /).map(Number);
  assert.ok(line >= 5, `error line ${line}`);
  assert.equal(await page.textContent("#error-kind"), "yaml");
  assert.match(await page.textContent("#status"), /^error \(yaml\)/);
  assert.equal(await page.getAttribute(`#tree button.file[data-path="${prodKustomization}"]`, "class"), "file selected error");
  const marked = await page.$$eval(`.editor[data-path="${prodKustomization}"] .gutter span.error`, (s) => s.map((x) => x.textContent));
  assert.deepEqual(marked, [String(line)]);
  assert.equal(await page.textContent("#error-goto"), `Go to ${prodKustomization}:${line}:${column}`);
  assert.match(await page.getAttribute("#output", "class"), /stale/);
  await page.click(`#tree button.file[data-path="base/service.yaml"]`);
  assert.equal(await editor.isVisible(), false);
  await page.click("#error-goto");
  assert.equal(await editor.isVisible(), true);
  const caret = await editor.evaluate((t) => t.value.slice(0, t.selectionStart).split("\n").length);
  assert.equal(caret, line);
  await shot(page, "3-error");

  // The whole state is in the link: a new tab opened on it shows the same files and error.
  await page.waitForFunction(() => location.hash.startsWith("#z=") || location.hash.startsWith("#j="));
  await page.waitForTimeout(400); // the hash is written 300 ms after the last edit
  const url = page.url();
  assert.match(url, /#z=/, "compressed with CompressionStream");
  const second = await context.newPage();
  await second.goto(url);
  await second.waitForSelector("#error:not([hidden])");
  assert.equal(await second.locator(`.editor[data-path="${prodKustomization}"] textarea`).inputValue(), broken);
  assert.equal(await second.textContent("#error-message"), message);
  assert.equal(await second.inputValue("#root"), "overlays/production");
  await second.close();

  // Fixing the error brings the output back; another root, option and preset.
  await editor.fill(edited);
  await page.waitForSelector("#error", { state: "hidden" });
  await page.waitForFunction(() => !document.getElementById("output").classList.contains("stale"));
  await page.selectOption("#root", "overlays/staging");
  await page.waitForFunction(() => document.getElementById("output").textContent.includes("name: staging-web\n"));
  await page.check("#managedby");
  await page.waitForFunction(() => document.getElementById("output").textContent.includes("app.kubernetes.io/managed-by: kustomize-"));
  await page.selectOption("#preset", "generators");
  await page.waitForFunction(() => /name: app-config-[a-z0-9]{10}\n/.test(document.getElementById("output").textContent));
  await page.selectOption("#preset", "error");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await page.textContent("#error-message"), /^\/base\/service\.yaml:8:\d+: /);
  await shot(page, "4-error-preset");

  assert.deepEqual(problems, []);
});
