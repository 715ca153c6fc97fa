// After the SDK checks (e2e/sdk/run): what did GenLedger make of those calls? Reads the ledger
// through the API, prints one line per row of the SDK checks' articles, and counts problems:
// a failed status, a prediction still pending, a row without its model, a successful LLM or
// embedding call without tokens, a priced model without a cost. Then asks the fake upstream what
// reached it: no attribution header may have been forwarded.
//
//   API_PORT=… FAKE_PORT=… node e2e/sdk/ledger-check.mjs
const api = `http://127.0.0.1:${process.env.API_PORT}`;
const fake = `http://127.0.0.1:${process.env.FAKE_PORT}`;

async function getJson(url) {
  const r = await fetch(url);
  if (!r.ok) {
    throw new Error(`${url}: ${r.status} ${await r.text()}`);
  }
  return r.json();
}

async function sdkRows() {
  const rows = [];
  let cursor = null;
  do {
    const page = await getJson(`${api}/api/v1/generations?window=all&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    rows.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return rows.filter(r => (r.article_id || '').startsWith('sdk-'));
}

// The ledger is written in batches: wait until two reads a second apart agree.
let rows = await sdkRows();
for (let i = 0; i < 20; i++) {
  await new Promise(r => setTimeout(r, 1000));
  const again = await sdkRows();
  const settled = again.length === rows.length && again.every(r => r.state !== 'pending');
  rows = again;
  if (settled) {
    break;
  }
}
rows.sort((a, b) => (a.article_id + a.started_at).localeCompare(b.article_id + b.started_at));

const problems = [];
const text = v => (v === null || v === undefined ? '-' : String(v));
console.log(['article', 'operation', 'model', 'status', 'streamed', 'in', 'out', 'chars', 'seconds', 'cost_usd', 'state']
  .join('\t'));
for (const r of rows) {
  console.log([r.article_id, r.operation, r.model, r.status, r.streamed, r.input_tokens, r.output_tokens,
    r.characters, r.media_seconds, r.cost_usd, r.state].map(text).join('\t'));
  const where = `${r.article_id} ${r.operation} ${r.id}`;
  if (r.status >= 400) {
    problems.push(`${where}: status ${r.status} ${text(r.error)}`);
  }
  if (r.state === 'pending') {
    problems.push(`${where}: still pending`);
  }
  if (!r.model) {
    problems.push(`${where}: no model`);
  }
  if (r.status < 300 && (r.modality === 'text' || r.modality === 'embedding') && !(r.input_tokens > 0)) {
    problems.push(`${where}: no input tokens`);
  }
  if (r.priced && (r.cost_usd === null || r.cost_usd === undefined)) {
    problems.push(`${where}: priced without a cost`);
  }
}
const articles = new Set(rows.map(r => r.article_id));
for (const expected of ['sdk-node-openai', 'sdk-node-gemini', 'sdk-node-elevenlabs', 'sdk-node-replicate']) {
  if (!articles.has(expected)) {
    problems.push(`${expected}: no ledger row`);
  }
}

const seen = await getJson(`${fake}/__requests`);
const attribution = ['x-article-id', 'x-task', 'x-tags', 'x-category', 'x-content-product', 'x-pipeline-step',
  'x-parent-generation-id'];
for (const s of seen) {
  const leaked = s.headers.filter(h => attribution.includes(h));
  if (leaked.length > 0) {
    problems.push(`upstream got ${s.method} ${s.path} with ${leaked.join(', ')}`);
  }
}
const unpriced = rows.filter(r => !r.priced).map(r => r.model);
if (unpriced.length > 0) {
  console.log(`not in the price catalog (kept unpriced, as the design says): ${[...new Set(unpriced)].join(', ')}`);
}
console.log(`upstream received ${seen.length} requests; the ledger holds ${rows.length} rows for the SDK checks`);
for (const p of problems) {
  console.log(`PROBLEM ${p}`);
}
console.log(`ledger_rows=${rows.length} ledger_problems=${problems.length}`);
process.exit(problems.length > 0 ? 1 : 0);
