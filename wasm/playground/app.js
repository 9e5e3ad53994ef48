// The playground: a file tree with an editor (a textarea) per file, built live by
// `rustomize` in a Web Worker (worker.js), errors marked at their file and line, and the whole
// state in the URL's hash (share.js).
import { defaultPreset, presets } from "./presets.js";
import { decodeState, encodeState } from "./share.js";

const $ = (id) => document.getElementById(id);
const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/** { files: {path: text}, root, options: {reorder, loadRestrictor, enableManagedbyLabel}, selected } */
let state;
const editors = new Map(); // path -> { box, gutter, textarea }
let lastError = null;

// ---------------------------------------------------------------------------------------
// The worker

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
let requested = 0;
let shown = 0;
worker.onmessage = ({ data }) => {
  if (data.type === "ready") {
    $("versions").textContent = `rustomize ${data.version} (kustomize ${data.kustomizeVersion} output)`;
    document.body.dataset.ready = "true";
  } else if (data.type === "fatal") {
    setStatus(data.message, true);
  } else if (data.type === "result" && data.id > shown) {
    shown = data.id;
    showResult(data);
  }
};
worker.onerror = (e) => setStatus(`the worker failed: ${e.message}`, true);

function buildOptions() {
  const o = {};
  if (state.options.reorder) o.reorder = state.options.reorder;
  if (state.options.loadRestrictor) o.loadRestrictor = state.options.loadRestrictor;
  if (state.options.enableManagedbyLabel) o.enableManagedbyLabel = true;
  return o;
}

function requestBuild() {
  requested += 1;
  worker.postMessage({ id: requested, files: state.files, root: state.root, options: buildOptions() });
}

let buildTimer = 0;
function scheduleBuild() {
  clearTimeout(buildTimer);
  buildTimer = setTimeout(requestBuild, 60);
}

// ---------------------------------------------------------------------------------------
// Results

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

function showResult(r) {
  const warnings = $("warnings");
  warnings.replaceChildren(...r.warnings.map((w) => Object.assign(document.createElement("li"), { textContent: w })));
  warnings.hidden = r.warnings.length === 0;
  const ms = r.ms < 10 ? r.ms.toFixed(1) : Math.round(r.ms);
  if (r.ok) {
    lastError = null;
    $("error").hidden = true;
    $("output").textContent = r.yaml;
    $("output").classList.remove("stale");
    const docs = r.yaml === "" ? 0 : r.yaml.split(/^---$/m).length;
    $("output-info").textContent = `· ${docs} resource${docs === 1 ? "" : "s"}`;
    setStatus(`built in ${ms} ms`);
  } else {
    lastError = r.error;
    $("error").hidden = false;
    $("error-kind").textContent = r.error.kind ?? r.error.name;
    $("error-message").textContent = r.error.message;
    $("output").classList.add("stale");
    $("output-info").textContent = "· last good output";
    setStatus(`error (${r.error.kind ?? r.error.name})`, true);
    const file = errorFile();
    const goto = $("error-goto");
    goto.hidden = !file;
    if (file) {
      goto.textContent = `Go to ${file}${r.error.line ? `:${r.error.line}${r.error.column ? `:${r.error.column}` : ""}` : ""}`;
    }
  }
  markErrors();
}

/** The file (a key of state.files) the last error is about, if it is one. */
function errorFile() {
  if (!lastError?.path) return null;
  const key = lastError.path.replace(/^\/+/, "");
  return Object.hasOwn(state.files, key) ? key : null;
}

function markErrors() {
  const file = errorFile();
  for (const b of document.querySelectorAll("#tree button.file")) {
    const on = b.dataset.path === file;
    b.classList.toggle("error", on);
    if (on) b.title = lastError.message;
    else b.removeAttribute("title");
  }
  for (const path of editors.keys()) updateGutter(path);
}

// ---------------------------------------------------------------------------------------
// Editors and the tree

function updateGutter(path) {
  const ed = editors.get(path);
  if (!ed) return;
  const lines = ed.textarea.value.split("\n").length;
  const errLine = errorFile() === path ? lastError.line : null;
  const spans = [];
  for (let i = 1; i <= lines; i++) {
    const s = document.createElement("span");
    s.textContent = String(i);
    if (i === errLine) {
      s.className = "error";
      s.title = lastError.detail;
    }
    spans.push(s);
  }
  // Room for the horizontal scrollbar of the textarea.
  spans.push(Object.assign(document.createElement("span"), { textContent: " " }));
  ed.gutter.replaceChildren(...spans);
  ed.gutter.scrollTop = ed.textarea.scrollTop;
}

function createEditor(path) {
  const box = document.createElement("div");
  box.className = "editor";
  box.dataset.path = path;
  box.hidden = true;
  const gutter = document.createElement("pre");
  gutter.className = "gutter";
  gutter.setAttribute("aria-hidden", "true");
  const textarea = document.createElement("textarea");
  textarea.value = state.files[path];
  textarea.spellcheck = false;
  textarea.wrap = "off";
  textarea.setAttribute("autocapitalize", "off");
  textarea.setAttribute("autocomplete", "off");
  textarea.setAttribute("aria-label", path);
  textarea.addEventListener("input", () => {
    const p = box.dataset.path;
    state.files[p] = textarea.value;
    updateGutter(p);
    scheduleBuild();
    scheduleHash();
  });
  textarea.addEventListener("scroll", () => {
    gutter.scrollTop = textarea.scrollTop;
  });
  textarea.addEventListener("keydown", (e) => {
    if (e.key === "Tab" && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      textarea.setRangeText("  ", textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input"));
    }
  });
  box.append(gutter, textarea);
  $("editors").append(box);
  editors.set(path, { box, gutter, textarea });
  updateGutter(path);
}

function dirOf(path) {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

function renderTree() {
  const items = [];
  const dirsShown = new Set();
  for (const path of Object.keys(state.files).sort()) {
    const dir = dirOf(path);
    // Each directory level not shown yet gets a row.
    const parts = dir ? dir.split("/") : [];
    for (let i = 1; i <= parts.length; i++) {
      const d = parts.slice(0, i).join("/");
      if (!dirsShown.has(d)) {
        dirsShown.add(d);
        const li = document.createElement("li");
        li.className = "dir";
        li.style.paddingLeft = `${10 + (i - 1) * 12}px`;
        li.textContent = `${parts[i - 1]}/`;
        items.push(li);
      }
    }
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.className = "file";
    b.dataset.path = path;
    b.style.paddingLeft = `${10 + parts.length * 12}px`;
    b.textContent = path.slice(dir ? dir.length + 1 : 0);
    b.classList.toggle("selected", path === state.selected);
    b.addEventListener("click", () => select(path));
    li.append(b);
    items.push(li);
  }
  $("tree").replaceChildren(...items);
  markErrors();
}

function select(path, line, column) {
  if (!Object.hasOwn(state.files, path)) return;
  state.selected = path;
  for (const [p, ed] of editors) ed.box.hidden = p !== path;
  for (const b of document.querySelectorAll("#tree button.file")) b.classList.toggle("selected", b.dataset.path === path);
  $("editor-title").textContent = path;
  const { textarea } = editors.get(path);
  if (line) {
    // Caret at line:column (1-based), and the line scrolled into view.
    const lines = textarea.value.split("\n");
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
    offset += Math.max(0, Math.min((column || 1) - 1, (lines[line - 1] ?? "").length));
    textarea.focus();
    textarea.setSelectionRange(offset, offset);
    const lh = parseFloat(getComputedStyle(textarea).lineHeight) || 19;
    textarea.scrollTop = Math.max(0, (line - 4) * lh);
  }
  scheduleHash();
}

function rootChoices() {
  const dirs = new Set();
  for (const path of Object.keys(state.files)) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (KUSTOMIZATION_FILES.includes(name)) dirs.add(dirOf(path) || ".");
  }
  dirs.add(state.root);
  return [...dirs].sort();
}

function renderRoots() {
  const sel = $("root");
  sel.replaceChildren(...rootChoices().map((d) => new Option(d === "." ? "/ (the top)" : d, d)));
  sel.value = state.root;
}

/** Shows `s` (a state as in the URL) from scratch. */
function load(s) {
  const files = s && typeof s.files === "object" && s.files ? s.files : presets[defaultPreset].files;
  state = {
    files: Object.fromEntries(Object.entries(files).filter(([, v]) => typeof v === "string")),
    root: typeof s?.root === "string" ? s.root : ".",
    options: { reorder: "", loadRestrictor: "", enableManagedbyLabel: false, ...(s?.options ?? {}) },
    selected: s?.selected,
    preset: s?.preset ?? "",
  };
  for (const ed of editors.values()) ed.box.remove();
  editors.clear();
  for (const path of Object.keys(state.files).sort()) createEditor(path);
  if (!Object.hasOwn(state.files, state.selected)) {
    const k = `${state.root === "." ? "" : `${state.root}/`}kustomization.yaml`;
    state.selected = Object.hasOwn(state.files, k) ? k : Object.keys(state.files).sort()[0];
  }
  $("preset").value = state.preset;
  $("reorder").value = state.options.reorder;
  $("restrictor").value = state.options.loadRestrictor;
  $("managedby").checked = !!state.options.enableManagedbyLabel;
  lastError = null;
  renderTree();
  renderRoots();
  if (state.selected) select(state.selected);
  requestBuild();
}

function loadPreset(id) {
  const p = presets[id];
  load({ files: structuredClone(p.files), root: p.root, preset: id });
  scheduleHash();
}

// ---------------------------------------------------------------------------------------
// The URL

let hashTimer = 0;
let writtenHash = null;
function scheduleHash() {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(writeHash, 300);
}

async function writeHash() {
  clearTimeout(hashTimer);
  const h = await encodeState({ files: state.files, root: state.root, options: state.options, selected: state.selected, preset: state.preset });
  writtenHash = `#${h}`;
  history.replaceState(null, "", writtenHash);
}

async function loadFromHash() {
  try {
    const s = await decodeState(location.hash);
    if (s) {
      load(s);
      return true;
    }
  } catch (e) {
    setStatus(`cannot read the link: ${e.message}`, true);
  }
  return false;
}

window.addEventListener("hashchange", () => {
  if (location.hash !== writtenHash) loadFromHash();
});

// ---------------------------------------------------------------------------------------
// Controls

function markModified() {
  if (state.preset) {
    state.preset = "";
    $("preset").value = "";
  }
}

$("preset").append(new Option("(custom)", ""), ...Object.entries(presets).map(([id, p]) => new Option(p.title, id)));
$("preset").addEventListener("change", (e) => {
  if (e.target.value) loadPreset(e.target.value);
});
$("root").addEventListener("change", (e) => {
  state.root = e.target.value;
  requestBuild();
  scheduleHash();
});
$("reorder").addEventListener("change", (e) => {
  state.options.reorder = e.target.value;
  requestBuild();
  scheduleHash();
});
$("restrictor").addEventListener("change", (e) => {
  state.options.loadRestrictor = e.target.value;
  requestBuild();
  scheduleHash();
});
$("managedby").addEventListener("change", (e) => {
  state.options.enableManagedbyLabel = e.target.checked;
  requestBuild();
  scheduleHash();
});
$("editors").addEventListener("input", markModified);

$("error-goto").addEventListener("click", () => {
  const file = errorFile();
  if (file) select(file, lastError.line, lastError.column);
});

$("share").addEventListener("click", async () => {
  await writeHash();
  try {
    await navigator.clipboard.writeText(location.href);
    setStatus("link copied");
  } catch {
    window.prompt("Copy this link:", location.href);
  }
});

function cleanPath(p) {
  return p.trim().replace(/\\/g, "/").replace(/^\/+/, "").replace(/\/{2,}/g, "/");
}

$("new-file").addEventListener("click", () => {
  const dir = state.selected ? dirOf(state.selected) : "";
  const p = cleanPath(window.prompt("Path of the new file:", dir ? `${dir}/new.yaml` : "new.yaml") ?? "");
  if (!p || p.endsWith("/")) return;
  if (Object.hasOwn(state.files, p)) return select(p);
  state.files[p] = "";
  createEditor(p);
  markModified();
  renderTree();
  renderRoots();
  select(p);
  requestBuild();
});

$("rename-file").addEventListener("click", () => {
  const old = state.selected;
  if (!old) return;
  const p = cleanPath(window.prompt(`Rename ${old} to:`, old) ?? "");
  if (!p || p === old || p.endsWith("/") || Object.hasOwn(state.files, p)) return;
  state.files[p] = state.files[old];
  delete state.files[old];
  const ed = editors.get(old);
  editors.delete(old);
  editors.set(p, ed);
  ed.box.dataset.path = p;
  ed.textarea.setAttribute("aria-label", p);
  markModified();
  renderTree();
  renderRoots();
  select(p);
  requestBuild();
});

$("delete-file").addEventListener("click", () => {
  const old = state.selected;
  if (!old || !window.confirm(`Delete ${old}?`)) return;
  delete state.files[old];
  editors.get(old).box.remove();
  editors.delete(old);
  state.selected = Object.keys(state.files).sort()[0];
  markModified();
  renderTree();
  renderRoots();
  if (state.selected) select(state.selected);
  else $("editor-title").textContent = "";
  requestBuild();
});

// ---------------------------------------------------------------------------------------

if (!(await loadFromHash())) loadPreset(defaultPreset);
