// The archpolicy playground: two editors, the engine compiled to WebAssembly
// (bindings/wasm), and the state in the URL's fragment. No framework: the
// page is this file, index.html and playground.css (docs/playground.md).
import init, * as engine from './pkg/archpolicy_wasm.js';

const PROPOSAL = 'proposal.arch.yaml';
const POLICY = 'org.policy';

const DEFAULT_PROPOSAL = `# A proposal: one service on one pattern (docs/model.md).
name: catalog-api
pattern: lambda_api_gateway
environment: production
tags: { team: catalog, tier: standard }

workload:
  requests_per_month: 20000000
  avg_duration: 90ms
  max_request_duration: 3s
  peak_rps: 300

gateway:
  api: rest
  endpoint: regional
  authorizer: cognito
  waf: true
  throttle: { rate: 500, burst: 1000 }

function:
  runtime: python3.13
  memory: 1024MiB
  timeout: 10s
  architecture: arm64
  vpc: { subnets: private }

data:
  - { kind: dynamodb }
observability: { logs: cloudwatch, tracing: xray }
`;

const DEFAULT_POLICY = `# Your organization's policies, checked beside the standard pack (docs/language.md).
param idle_budget: money = $50  "monthly spend allowed at zero traffic"

policy idle-budget: warn {
  title   "A service costs little at zero traffic"
  require cost.idle_monthly <= idle_budget
          else "at zero traffic it costs {cost.idle_monthly} a month"
  help    "Scale to zero, or raise \`idle_budget\` for this service."
}
`;

const $ = (id) => document.getElementById(id);
const editors = {
  [PROPOSAL]: editor($('proposal-editor'), $('proposal')),
  [POLICY]: editor($('policy-editor'), $('policy')),
};
const standard = $('standard');
let firstVerdict = null;

// ---- the state in the URL: deflate-raw, then base64url, after `#z` ----

function base64url(bytes) {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function unbase64url(text) {
  const raw = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function through(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return 'z' + base64url(await through(json, new CompressionStream('deflate-raw')));
}

async function decodeState(fragment) {
  if (!fragment.startsWith('z')) return null;
  try {
    const json = await through(unbase64url(fragment.slice(1)), new DecompressionStream('deflate-raw'));
    const state = JSON.parse(new TextDecoder().decode(json));
    return typeof state.proposal === 'string' && typeof state.policy === 'string' ? state : null;
  } catch {
    return null; // a damaged link opens the defaults rather than nothing
  }
}

function currentState() {
  return { proposal: $('proposal').value, policy: $('policy').value, standard: standard.checked };
}

let saving = Promise.resolve();
function saveState() {
  saving = saving.then(async () => {
    history.replaceState(null, '', '#' + (await encodeState(currentState())));
  });
  return saving;
}

// ---- editors: a textarea over a layer that underlines spans, and a gutter ----

function editor(root, textarea) {
  return { root, textarea, gutter: root.querySelector('.gutter'), marks: root.querySelector('.marks'),
    list: root.querySelector('.diagnostics'), diagnostics: [] };
}

const SEVERITY_ORDER = ['info', 'warn', 'deny', 'error'];
const worse = (a, b) => (SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b);

// The engine counts UTF-8 bytes; the textarea counts UTF-16 code units.
function indexOfByte(text, byte) {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byte) {
    const cp = text.codePointAt(i);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

function lineRange(text, line) {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return [text.length, text.length];
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return [start, end < 0 ? text.length : end];
}

const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function paint(ed) {
  const text = ed.textarea.value;
  const lines = text.split('\n').length;
  const byLine = new Map();
  for (const d of ed.diagnostics) {
    const e = byLine.get(d.line);
    byLine.set(d.line, { severity: e ? worse(e.severity, d.severity) : d.severity, titles: [...(e?.titles ?? []), d.text] });
  }
  ed.gutter.innerHTML = Array.from({ length: lines }, (_, i) => {
    const mark = byLine.get(i + 1);
    return mark
      ? `<div class="${mark.severity}" data-line="${i + 1}" title="${escape(mark.titles.join('\n'))}">${i + 1}</div>`
      : `<div>${i + 1}</div>`;
  }).join('');
  // Underlines: spans in order, an overlapping one folded into the one before.
  const spans = ed.diagnostics.map((d) => ({ ...d })).sort((a, b) => a.start - b.start);
  let html = '';
  let at = 0;
  for (const s of spans) {
    const start = Math.max(s.start, at);
    const end = Math.max(s.end, start + 1);
    if (start >= text.length) continue;
    html += escape(text.slice(at, start));
    html += `<mark class="${s.severity}">${escape(text.slice(start, Math.min(end, text.length)))}</mark>`;
    at = Math.min(end, text.length);
  }
  ed.marks.innerHTML = html + escape(text.slice(at)) + '\n ';
  ed.list.innerHTML = ed.diagnostics
    .slice()
    .sort((a, b) => a.line - b.line)
    .map((d, i) => `<li class="${d.severity}" data-i="${i}" data-line="${d.line}">${escape(`${d.line}:${d.column}  ${d.text}`)}</li>`)
    .join('');
  ed.list.querySelectorAll('li').forEach((li, i) => {
    const d = ed.diagnostics.slice().sort((a, b) => a.line - b.line)[i];
    li.addEventListener('click', () => {
      ed.textarea.focus();
      ed.textarea.setSelectionRange(d.start, Math.max(d.end, d.start));
    });
  });
  sync(ed);
}

function sync(ed) {
  ed.marks.scrollTop = ed.textarea.scrollTop;
  ed.marks.scrollLeft = ed.textarea.scrollLeft;
  ed.gutter.scrollTop = ed.textarea.scrollTop;
}

// ---- the engine's answers, drawn ----

function today() {
  return new Date().toISOString().slice(0, 10);
}

function diagnosticAt(file, location, severity, text) {
  const ed = editors[file];
  if (!ed || !location) return false;
  const source = ed.textarea.value;
  let start;
  let end;
  if (location.offset !== undefined) {
    start = indexOfByte(source, location.offset);
    end = indexOfByte(source, location.offset + location.length);
  } else {
    [start, end] = lineRange(source, location.line);
    if (end === start) end = start + 1;
  }
  ed.diagnostics.push({ line: location.line, column: location.column ?? 1, start, end, severity, text });
  return true;
}

function findingItem(f) {
  const at = (l) => (l ? `${l.file}:${l.line}:${l.column}` : '');
  const values = f.values.map((v) => `<li><code>${escape(v.name)} = ${escape(v.value)}</code> <span>(${escape(v.from)})</span></li>`).join('');
  const waived = f.waiver?.applied ? ` <em>waived until ${escape(f.waiver.expires)}: ${escape(f.waiver.reason)}</em>` : '';
  return `<li class="${f.severity}" data-policy="${escape(f.policy)}">
    <div class="head ${f.severity}">${f.severity}(${escape(f.policy)})${waived}</div>
    <div class="message">${escape(f.message)}</div>
    <div class="where">at ${escape(at(f.proposal_location))}${f.policy_location ? ` · required by <code>${escape(f.policy)}</code>: ${escape(f.title)} (${escape(at(f.policy_location))})` : ''}</div>
    ${f.help ? `<div class="help">help: ${escape(f.help)}</div>` : ''}
    ${values ? `<ul class="help">${values}</ul>` : ''}
  </li>`;
}

function errorItem(e) {
  const at = e.line ? `${e.file}:${e.line}:${e.column}` : e.file;
  return `<li class="error"><div class="head">error[${escape(e.code ?? 'archpolicy')}]</div>
    <div class="message">${escape(e.message)}</div><div class="where">at ${escape(at)}</div>
    ${e.help ? `<div class="help">help: ${escape(e.help)}</div>` : ''}</li>`;
}

function drawCheck(report) {
  for (const ed of Object.values(editors)) ed.diagnostics = [];
  const findings = report.proposals.flatMap((p) => p.findings);
  for (const f of findings) {
    const severity = f.waiver?.applied ? 'info' : f.severity;
    const text = `${f.severity}(${f.policy}) ${f.message}`;
    diagnosticAt(PROPOSAL, f.proposal_location, severity, text);
    diagnosticAt(f.policy_location?.file, f.policy_location, severity, text);
  }
  for (const e of report.errors) {
    diagnosticAt(e.file, e.line ? { line: e.line, column: e.column } : { line: 1, column: 1 }, 'error', `error[${e.code}] ${e.message}`);
  }
  Object.values(editors).forEach(paint);
  const items = report.errors.map(errorItem).concat(findings.map(findingItem));
  $('findings').innerHTML = items.length ? items.join('') : '<li class="empty">no findings: every policy that applies passes</li>';

  const s = report.summary;
  const verdict = $('verdict');
  let state;
  let words;
  if (report.errors.length) {
    state = 'error';
    words = `error: ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}, nothing checked`;
  } else {
    state = s.deny ? 'deny' : s.warn ? 'warn' : 'pass';
    words = `${state}: ${s.deny} deny, ${s.warn} warn, ${s.info} info${s.waived ? `, ${s.waived} waived` : ''} · ${s.policies} policies`;
  }
  verdict.dataset.state = state;
  verdict.textContent = words;
}

const money = (m) => `$${m}`;
const grouped = (q) => String(q).replace(/^(\d+)(\d{3})/, (_, a, b) => a.replace(/\B(?=(\d{3})+$)/g, ',') + ',' + b);

function itemsTable(estimate) {
  if (!estimate.items.length) return '<p>(nothing is charged)</p>';
  const rows = estimate.items
    .map((i) => `<tr><td>${escape(i.item)}</td><td class="num">${grouped(i.quantity)} ${escape(i.unit)}</td><td class="num">$${escape(i.unit_price)} / ${escape(i.price_unit)}</td><td class="num">${money(i.monthly)}</td></tr>`)
    .join('');
  return `<table><tr><th>item</th><th class="num">quantity</th><th class="num">unit price</th><th class="num">monthly</th></tr>${rows}</table>`;
}

function drawCost(cost) {
  if (cost.errors) {
    $('cost').innerHTML = '<p>no cost while the inputs have errors</p>';
    return;
  }
  const marks = (c) => [
    c.cheapest && 'cheapest', c.proposed && 'proposed', c.beyond_capacity && 'beyond capacity',
    c.cannot_carry?.length && 'cannot carry it', c.denied_by?.length && 'denied by the policies',
  ].filter(Boolean).join(', ');
  const comparison = cost.comparison
    .map((c) => `<tr class="${c.proposed ? 'proposed' : ''}"><td><code>${escape(c.pattern)}</code></td><td class="num">${money(c.monthly)}</td><td class="num">${money(c.idle_monthly)}</td><td class="num">${money(c.per_million_requests)}</td><td>${escape(marks(c))}</td></tr>`)
    .join('');
  // Why a pattern is not marked, as `policy cost` lists it under its table.
  const reasons = cost.comparison
    .map((c) => {
      const why = [...(c.cannot_carry ?? []), ...(c.beyond_capacity ? [c.beyond_capacity] : []), ...(c.denied_by ?? [])];
      if (c.not_cheapest) why.unshift(`not marked: ${c.not_cheapest}`);
      if (c.settings?.length) why.push(`set for the policies: ${c.settings.join(', ')}`);
      return why.length ? `<li><code>${escape(c.pattern)}</code>: ${why.map(escape).join('; ')}</li>` : '';
    })
    .join('');
  $('cost').innerHTML = `
    <p>at the declared workload (${grouped(cost.declared.requests_per_month)} requests a month):</p>
    ${itemsTable(cost.declared)}
    <p class="total">total: ${money(cost.declared.monthly)} a month · at zero traffic ${money(cost.idle.monthly)} · one million more requests add ${money(cost.per_million_requests)}</p>
    <p>the same workload on each pattern:</p>
    <table class="comparison"><tr><th>pattern</th><th class="num">monthly</th><th class="num">idle</th><th class="num">per 1M requests</th><th></th></tr>${comparison}</table>
    ${reasons ? `<ul class="reasons">${reasons}</ul>` : ''}
    <p class="help">prices: ${escape(cost.prices)} (read ${escape(cost.prices_read)}); a month is 730 hours</p>`;
}

function provenance(p) {
  switch (p.kind) {
    case 'declared': return `line ${p.line}`;
    case 'default': return p.source ? `AWS default: ${p.source.what}` : 'default';
    case 'derived': return `derived from ${p.from.join(', ')}`;
    default: return p.kind;
  }
}

function drawFacts(facts) {
  if (facts.errors) {
    $('facts').innerHTML = '<p>no facts while the proposal has errors</p>';
    return;
  }
  const rows = Object.entries(facts.facts)
    .map(([path, f]) => `<tr><td>${escape(path)}</td><td>${escape(f.display)}</td><td class="from">${escape(provenance(f.provenance))}</td></tr>`)
    .join('');
  $('facts').innerHTML = `<table class="facts-table"><colgroup><col style="width: 36%"><col style="width: 24%"><col></colgroup><tr><th>fact</th><th>value</th><th>from</th></tr>${rows}</table>`;
}

function run() {
  const proposal = $('proposal').value;
  const policy = $('policy').value;
  const day = today();
  const report = JSON.parse(engine.check(PROPOSAL, proposal, POLICY, policy, standard.checked, day));
  drawCheck(report);
  drawCost(JSON.parse(engine.cost(PROPOSAL, proposal, POLICY, policy, standard.checked, day)));
  drawFacts(JSON.parse(engine.facts(PROPOSAL, proposal, day)));
  if (firstVerdict === null) {
    // Since the navigation started (performance's time origin): load, compile, first check.
    firstVerdict = performance.now();
    window.archpolicyFirstVerdictMs = firstVerdict;
    $('footer').textContent = `archpolicy-wasm ${engine.version()} · first verdict ${Math.round(firstVerdict)} ms after the page was asked for · nothing leaves this page`;
  }
}

let pending = 0;
function schedule() {
  clearTimeout(pending);
  pending = setTimeout(() => {
    run();
    saveState();
  }, 120);
}

async function main() {
  const state = (await decodeState(location.hash.slice(1))) ?? {
    proposal: DEFAULT_PROPOSAL, policy: DEFAULT_POLICY, standard: true,
  };
  $('proposal').value = state.proposal;
  $('policy').value = state.policy;
  standard.checked = state.standard !== false;
  await init();
  run();
  for (const ed of Object.values(editors)) {
    ed.textarea.addEventListener('input', () => { paint(ed); schedule(); });
    ed.textarea.addEventListener('scroll', () => sync(ed));
  }
  standard.addEventListener('change', schedule);
  $('format').addEventListener('click', () => {
    const answer = JSON.parse(engine.fmt(POLICY, $('policy').value));
    if (answer.formatted !== undefined) {
      $('policy').value = answer.formatted;
      schedule();
    } else {
      run(); // its errors are shown where they are
    }
  });
  $('share').addEventListener('click', async () => {
    await saveState();
    await navigator.clipboard?.writeText(location.href).catch(() => {});
    $('share').textContent = 'link copied';
    setTimeout(() => { $('share').textContent = 'copy link'; }, 1500);
  });
  window.archpolicyReady = true;
}

main().catch((error) => {
  const verdict = $('verdict');
  verdict.dataset.state = 'error';
  verdict.textContent = `the engine did not start: ${error}`;
});
