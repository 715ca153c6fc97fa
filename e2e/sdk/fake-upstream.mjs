// A fake of the four providers for the SDK check (e2e/sdk/run): answers each route the SDKs call
// with the recorded wire formats in proxy/src/test/resources/fixtures (JSON, SSE with the provider's
// line endings, gzip where Google compresses, chunked binary audio, Replicate's prediction life
// cycle). It also records what reached it, so the check can prove the gateway forwarded the
// requests unchanged and without the attribution headers (GET /__requests).
//
//   node e2e/sdk/fake-upstream.mjs PORT     (prints "fake-upstream listening on PORT" when ready)
import http from 'node:http';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../proxy/src/test/resources/fixtures');
const fixture = (provider, name) => fs.readFileSync(path.join(fixtures, provider, name));
const port = Number(process.argv[2] || 0);

// what reached the fake: method, path, the headers' names and the attribution headers if any leaked
const seen = [];
// Replicate predictions created here, by id
const predictions = new Map();

// An audio body: an ID3 tag and MPEG frame headers, enough bytes to arrive in several chunks.
const audio = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'),
  ...Array.from({ length: 64 }, (_, i) => Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), crypto.randomBytes(413)]))]);

function json(res, status, body, headers = {}) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length, ...headers });
  res.end(bytes);
}

function gzipJson(req, res, body, headers = {}) {
  // Google compresses when the client accepts it, as the real API does
  if (/\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
    const z = zlib.gzipSync(body);
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'gzip',
      'content-length': z.length, vary: 'Origin, X-Origin, Referer', ...headers });
    res.end(z);
  } else {
    json(res, 200, body, headers);
  }
}

// SSE: one event per write, with a short pause between, as a real stream arrives
async function sse(res, bytes, separator, headers = {}) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  const events = bytes.toString('utf8').split(separator).filter(e => e.trim().length > 0);
  for (const e of events) {
    res.write(e + separator);
    await new Promise(r => setTimeout(r, 5));
  }
  res.end();
}

async function chunkedAudio(res, headers) {
  res.writeHead(200, { 'content-type': 'audio/mpeg', ...headers });
  for (let i = 0; i < audio.length; i += 4096) {
    res.write(audio.subarray(i, i + 4096));
    await new Promise(r => setTimeout(r, 2));
  }
  res.end();
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    req.on('data', c => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function parseJson(body) {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return {};
  }
}

function prediction(id, status, model) {
  const done = parseJson(fixture('replicate', 'replicate_prediction_succeeded.json'));
  const base = `https://api.replicate.com/v1/predictions/${id}`;
  const p = { ...done, id, status, model: model || done.model,
    urls: { get: base, cancel: `${base}/cancel`, stream: `https://stream.replicate.com/v1/files/${id}` } };
  if (status !== 'succeeded') {
    Object.assign(p, { output: null, logs: '', metrics: {}, started_at: null, completed_at: null });
  }
  return p;
}

async function openai(req, res, route, body) {
  const request = parseJson(body);
  const ids = { 'x-request-id': 'req_' + crypto.randomBytes(16).toString('hex'), 'openai-processing-ms': '12',
    'openai-version': '2020-10-01' };
  switch (route) {
    case '/v1/chat/completions':
      if (request.stream) {
        const withUsage = request.stream_options && request.stream_options.include_usage;
        return sse(res, fixture('openai', withUsage ? 'openai_chat_stream.sse' : 'openai_chat_stream_no_usage.sse'),
          '\n\n', ids);
      }
      return json(res, 200, fixture('openai', 'openai_chat.json'), ids);
    case '/v1/responses':
      if (request.stream) {
        return sse(res, fixture('openai', 'openai_responses_stream.sse'), '\n\n', ids);
      }
      return json(res, 200, fixture('openai', 'openai_responses.json'), ids);
    case '/v1/embeddings': {
      const answer = parseJson(fixture('openai', 'openai_embeddings.json'));
      if (request.encoding_format === 'base64') {
        // what the API sends the Node SDK by default: each vector as little-endian float32, base64
        for (const d of answer.data) {
          d.embedding = Buffer.from(new Float32Array(d.embedding).buffer).toString('base64');
        }
      }
      return json(res, 200, answer, ids);
    }
    case '/v1/images/generations':
      return json(res, 200, fixture('openai', 'openai_image_gpt-image-1.json'), ids);
    case '/v1/audio/speech':
      return chunkedAudio(res, ids);
    case '/v1/audio/transcriptions':
      return json(res, 200, fixture('openai', 'openai_transcription_gpt-4o-transcribe.json'), ids);
    default:
      return json(res, 404, { error: { message: `fake: no route ${route}`, type: 'invalid_request_error' } });
  }
}

async function gemini(req, res, route) {
  const m = /^\/v1(?:beta|alpha)?\/models\/([^:]+):(\w+)$/.exec(route);
  const method = m && m[2];
  switch (method) {
    case 'generateContent':
      return gzipJson(req, res, fixture('gemini', 'gemini_generate.json'));
    case 'streamGenerateContent':
      return sse(res, fixture('gemini', 'gemini_stream.sse'), '\r\n\r\n', { 'content-disposition': 'attachment' });
    case 'embedContent':
      return gzipJson(req, res, fixture('gemini', 'gemini_embed.json'));
    case 'batchEmbedContents': // what @google/genai's embedContent calls
      return gzipJson(req, res, fixture('gemini', 'gemini_batch_embed.json'));
    case 'countTokens':
      return gzipJson(req, res, fixture('gemini', 'gemini_count_tokens.json'));
    default:
      return json(res, 404, { error: { code: 404, message: `fake: no route ${route}`, status: 'NOT_FOUND' } });
  }
}

async function elevenlabs(req, res, route, body) {
  const text = parseJson(body).text || '';
  const headers = { 'request-id': crypto.randomBytes(10).toString('hex'), 'character-cost': String(text.length),
    'history-item-id': crypto.randomBytes(10).toString('hex') };
  if (/^\/v1\/text-to-speech\/[^/]+(\/stream)?$/.test(route)) {
    return chunkedAudio(res, headers);
  }
  return json(res, 404, { detail: { status: 'not_found', message: `fake: no route ${route}` } });
}

async function replicate(req, res, route, body) {
  const create = /^\/v1\/(?:models\/([^/]+\/[^/]+)\/)?predictions$/.exec(route);
  if (req.method === 'POST' && create) {
    const request = parseJson(body);
    const id = crypto.randomBytes(13).toString('hex').slice(0, 26);
    const model = create[1] || (request.version && request.version.includes('/') ? request.version.split(':')[0] : null);
    predictions.set(id, model);
    const wait = /\bwait\b/.test(req.headers.prefer || '');
    const headers = wait ? { 'preference-applied': 'wait' } : {};
    return json(res, 201, prediction(id, wait ? 'succeeded' : 'starting', model), headers);
  }
  const get = /^\/v1\/predictions\/([^/]+)$/.exec(route);
  if (req.method === 'GET' && get && predictions.has(get[1])) {
    return json(res, 200, prediction(get[1], 'succeeded', predictions.get(get[1])));
  }
  return json(res, 404, { title: 'Not found', detail: `fake: no route ${req.method} ${route}`, status: 404 });
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://fake');
    const body = await readBody(req);
    if (url.pathname === '/__requests') {
      return json(res, 200, seen);
    }
    // Each provider has its own fake upstream URL prefix, so one server can be all four.
    const m = /^\/(openai|gemini|elevenlabs|replicate)(\/.*)$/.exec(url.pathname);
    if (!m) {
      return json(res, 404, { error: `fake: unknown provider in ${url.pathname}` });
    }
    const [, provider, route] = m;
    seen.push({ provider, method: req.method, path: route, query: url.search, headers: Object.keys(req.headers),
      bodyBytes: body.length });
    const handlers = { openai, gemini, elevenlabs, replicate };
    await handlers[provider](req, res, route, body);
  } catch (e) {
    if (!res.headersSent) {
      json(res, 500, { error: String(e) });
    } else {
      res.destroy(e);
    }
  }
});
server.listen(port, '127.0.0.1', () => console.log(`fake-upstream listening on ${server.address().port}`));
