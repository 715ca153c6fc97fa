// check.mjs — drives a running GenLedger gateway with the OFFICIAL Node SDKs of the four providers
// (openai, @google/genai, @elevenlabs/elevenlabs-js, replicate), pointed at the gateway by their
// base-URL option and tagged with the attribution headers (X-Article-Id sdk-node-<provider>,
// X-Task sdk_check, X-Tags). Each call asserts that the SDK parsed what came back (text, usage,
// audio bytes, prediction status) and that the gateway added X-Generation-Id where the SDK exposes
// response headers. Retries are off (or, for replicate, watched) so that a gateway error shows.
//
// e2e/sdk/run starts the fake upstream and the gateway, installs these SDKs (npm ci here) and runs
//   GW_PORT=<proxy port> node e2e/sdk/clients/check.mjs
// Prints `PASS node <sdk> <call>` or `FAIL node <sdk> <call>: <error>` per call, a summary, and
// exits 1 if any call failed.
import OpenAI, { toFile } from 'openai';
import { GoogleGenAI } from '@google/genai';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import Replicate from 'replicate';

if (!process.env.GW_PORT) {
  console.error('check.mjs: set GW_PORT to the gateway proxy port');
  process.exit(2);
}
const GW = `http://127.0.0.1:${process.env.GW_PORT}`;
const TIMEOUT_MS = 20000; // per request, given to each SDK
const WATCHDOG_MS = 45000; // per check, in case a stream stalls after its headers arrived
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const attribution = (article) => ({ 'X-Article-Id': article, 'X-Task': 'sdk_check', 'X-Tags': 'sdk=node,suite=e2e' });

let passed = 0;
let failed = 0;

async function check(sdk, call, fn) {
  let timer;
  const watchdog = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result after ${WATCHDOG_MS} ms`)), WATCHDOG_MS);
  });
  try {
    await Promise.race([fn(), watchdog]);
    passed++;
    console.log(`PASS node ${sdk} ${call}`);
  } catch (e) {
    failed++;
    const status = e && e.status ? ` (HTTP ${e.status})` : '';
    const message = String((e && e.message) || e).replace(/\s+/g, ' ').slice(0, 400);
    console.log(`FAIL node ${sdk} ${call}: ${message}${status}`);
  } finally {
    clearTimeout(timer);
  }
}

function assert(condition, message) {
  if (!condition) {
    throw new Error(`assertion failed: ${message}`);
  }
}

// headers: a fetch Headers object or a plain record
function generationId(headers) {
  const value = headers && (typeof headers.get === 'function' ? headers.get('x-generation-id') : headers['x-generation-id']);
  assert(UUID.test(value || ''), `x-generation-id is a UUID (got ${JSON.stringify(value)})`);
  return value;
}

// reads a web ReadableStream (or any async iterable of byte chunks) to the end, returns the byte count
async function countBytes(stream) {
  let n = 0;
  for await (const chunk of stream) {
    n += chunk.length;
  }
  return n;
}

// ---------------------------------------------------------------- openai
{
  const openai = new OpenAI({
    baseURL: `${GW}/openai/v1`, // the SDK appends /chat/completions etc. to it
    apiKey: 'sk-test',
    defaultHeaders: attribution('sdk-node-openai'),
    maxRetries: 0,
    timeout: TIMEOUT_MS,
  });
  const sdk = 'openai';
  const model = 'gpt-4o-mini';
  const messages = [{ role: 'user', content: 'Say hello.' }];

  await check(sdk, 'chat.completions.create', async () => {
    const { data, response } = await openai.chat.completions.create({ model, messages }).withResponse();
    assert(data.choices[0].message.content === 'Hello! How can I assist you today?',
      `content (got ${JSON.stringify(data.choices[0].message.content)})`);
    assert(data.usage && data.usage.prompt_tokens === 19, `usage.prompt_tokens === 19 (got ${data.usage && data.usage.prompt_tokens})`);
    assert(data.usage.completion_tokens === 10, `usage.completion_tokens === 10 (got ${data.usage.completion_tokens})`);
    generationId(response.headers);
  });

  await check(sdk, 'chat.completions.create stream', async () => {
    // no stream_options: the gateway asks upstream for usage itself and must hide that chunk
    const stream = await openai.chat.completions.create({ model, messages, stream: true });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      assert(!chunk.usage, `no usage chunk without include_usage (got ${JSON.stringify(chunk.usage)})`);
      assert(chunk.choices.length > 0, 'no chunk with empty choices (that is the usage chunk)');
      text += chunk.choices[0].delta.content || '';
    }
    assert(chunks > 1, `several chunks (got ${chunks})`);
    assert(text.length > 0, 'streamed text is not empty');
  });

  await check(sdk, 'chat.completions.create stream include_usage', async () => {
    const stream = await openai.chat.completions.create({
      model, messages, stream: true, stream_options: { include_usage: true },
    });
    let text = '';
    let usage = null;
    for await (const chunk of stream) {
      if (chunk.usage) {
        usage = chunk.usage;
      }
      text += (chunk.choices[0] && chunk.choices[0].delta.content) || '';
    }
    assert(text.length > 0, 'streamed text is not empty');
    assert(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0, `a usage chunk arrived (got ${JSON.stringify(usage)})`);
  });

  await check(sdk, 'responses.create', async () => {
    const response = await openai.responses.create({ model, input: 'Tell me a one-sentence story.' });
    assert(typeof response.output_text === 'string' && response.output_text.length > 0, 'output_text is not empty');
    assert(response.usage && response.usage.input_tokens === 36, `usage.input_tokens === 36 (got ${response.usage && response.usage.input_tokens})`);
  });

  await check(sdk, 'responses.create stream', async () => {
    const stream = await openai.responses.create({ model, input: 'Say hello.', stream: true });
    let text = '';
    let usage = null;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') {
        text += event.delta;
      } else if (event.type === 'response.completed') {
        usage = event.response.usage;
      }
    }
    assert(text.length > 0, 'streamed text is not empty');
    assert(usage && usage.input_tokens > 0, `response.completed carries usage (got ${JSON.stringify(usage)})`);
  });

  await check(sdk, 'embeddings.create', async () => {
    // encoding_format 'float' explicitly: without it this SDK asks for base64 and decodes the answer
    const response = await openai.embeddings.create({
      model: 'text-embedding-3-small', input: 'The food was delicious.', encoding_format: 'float',
    });
    assert(response.data[0].embedding.length === 3, `vector length 3 (got ${response.data[0].embedding.length})`);
    assert(response.usage.prompt_tokens === 8, `usage.prompt_tokens === 8 (got ${response.usage.prompt_tokens})`);
  });

  await check(sdk, 'embeddings.create default-encoding', async () => {
    // the SDK's default request (encoding_format: "base64"), decoded by the SDK into floats
    const response = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'The food was delicious.' });
    assert(response.data.length === 1 && response.data[0].embedding.length === 3,
      `one embedding of 3 values (got ${JSON.stringify(response.data)})`);
    assert(response.usage.prompt_tokens === 8, `usage.prompt_tokens === 8 (got ${response.usage.prompt_tokens})`);
  });

  await check(sdk, 'images.generate', async () => {
    const response = await openai.images.generate({ model: 'gpt-image-1', prompt: 'A lighthouse at dusk', size: '1024x1024' });
    assert(response.data[0].b64_json, 'data[0].b64_json is present');
    assert(response.usage && response.usage.output_tokens === 1056, `usage.output_tokens === 1056 (got ${response.usage && response.usage.output_tokens})`);
  });

  await check(sdk, 'audio.speech.create', async () => {
    const response = await openai.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input: 'Hello there.' });
    const bytes = Buffer.from(await response.arrayBuffer()).length;
    assert(bytes > 0, `audio bytes > 0 (got ${bytes})`);
  });

  await check(sdk, 'audio.transcriptions.create', async () => {
    const audio = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.alloc(2048, 0xff)]);
    const file = await toFile(audio, 'hello.mp3', { type: 'audio/mpeg' });
    const transcription = await openai.audio.transcriptions.create({ model: 'gpt-4o-transcribe', file });
    assert(typeof transcription.text === 'string' && transcription.text.length > 0, 'text is not empty');
    assert(transcription.usage && transcription.usage.input_tokens === 14, `usage.input_tokens === 14 (got ${JSON.stringify(transcription.usage)})`);
  });
}

// ---------------------------------------------------------------- @google/genai
{
  // The SDK builds <baseUrl>/<apiVersion>/models/<model>:<method>, apiVersion v1beta by default.
  // It does not retry unless httpOptions.retryOptions is given.
  const ai = new GoogleGenAI({
    apiKey: 'test-key',
    httpOptions: { baseUrl: `${GW}/gemini`, headers: attribution('sdk-node-gemini'), timeout: TIMEOUT_MS },
  });
  const sdk = 'gemini';

  await check(sdk, 'models.generateContent', async () => {
    const response = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'Where is Google headquartered?' });
    assert(typeof response.text === 'string' && response.text.length > 0, 'text is not empty');
    assert(response.usageMetadata && response.usageMetadata.promptTokenCount === 7,
      `usageMetadata.promptTokenCount === 7 (got ${JSON.stringify(response.usageMetadata)})`);
    generationId(response.sdkHttpResponse && response.sdkHttpResponse.headers);
  });

  await check(sdk, 'models.generateContentStream', async () => {
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Why is the sky blue?' });
    let text = '';
    let usage = null;
    for await (const chunk of stream) {
      text += chunk.text || ''; // thought-only chunks have no text
      usage = chunk.usageMetadata || usage;
    }
    assert(text.length > 0, 'streamed text is not empty');
    assert(usage && usage.totalTokenCount > 0, `usageMetadata on the chunks (got ${JSON.stringify(usage)})`);
  });

  await check(sdk, 'models.embedContent', async () => {
    // on the Gemini API this SDK calls :batchEmbedContents, even for one content
    const response = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: 'What is the meaning of life?' });
    assert(response.embeddings && response.embeddings.length > 0 && response.embeddings[0].values.length > 0,
      `an embedding with values (got ${JSON.stringify(response.embeddings)})`);
  });

  await check(sdk, 'models.countTokens', async () => {
    const response = await ai.models.countTokens({ model: 'gemini-2.0-flash', contents: 'The quick brown fox jumps over the lazy dog.' });
    assert(response.totalTokens === 10, `totalTokens === 10 (got ${response.totalTokens})`);
  });
}

// ---------------------------------------------------------------- @elevenlabs/elevenlabs-js
{
  // baseUrl replaces https://api.elevenlabs.io; the SDK appends v1/text-to-speech/<voice>[/stream].
  const elevenlabs = new ElevenLabsClient({
    apiKey: 'test', baseUrl: `${GW}/elevenlabs`, maxRetries: 0, timeoutInSeconds: TIMEOUT_MS / 1000,
  });
  const sdk = 'elevenlabs';
  const voiceId = '21m00Tcm4TlvDq8ikWAM';
  const requestOptions = { headers: attribution('sdk-node-elevenlabs'), maxRetries: 0, timeoutInSeconds: TIMEOUT_MS / 1000 };

  await check(sdk, 'textToSpeech.convert', async () => {
    const { data, rawResponse } = await elevenlabs.textToSpeech
      .convert(voiceId, { text: 'The first move is what sets everything in motion.', modelId: 'eleven_multilingual_v2' }, requestOptions)
      .withRawResponse();
    const bytes = await countBytes(data);
    assert(bytes > 0, `audio bytes > 0 (got ${bytes})`);
    assert(rawResponse.headers.get('character-cost'), 'the character-cost header reaches the client');
    generationId(rawResponse.headers);
  });

  await check(sdk, 'textToSpeech.stream', async () => {
    const audio = await elevenlabs.textToSpeech.stream(voiceId,
      { text: 'Streaming, one chunk at a time.', modelId: 'eleven_flash_v2_5' }, requestOptions);
    const bytes = await countBytes(audio);
    assert(bytes > 0, `audio bytes > 0 (got ${bytes})`);
  });
}

// ---------------------------------------------------------------- replicate
{
  // The replicate client has no per-request or default header option, and no way to turn its
  // retries off (POST retried on 429, GET on 429/5xx, and a thrown fetch is retried too, up to 5
  // times). So its fetch is wrapped: the wrapper adds the attribution headers and a timeout, and
  // records every exchange so a check can fail on any error response or retry the SDK would hide.
  const exchanges = [];
  const attributedFetch = async (url, init = {}) => {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(attribution('sdk-node-replicate'))) {
      headers.set(name, value);
    }
    const method = init.method || 'GET';
    try {
      const response = await fetch(url, { ...init, headers, signal: init.signal || AbortSignal.timeout(TIMEOUT_MS) });
      exchanges.push({ method, url: String(url), status: response.status, generationId: response.headers.get('x-generation-id') });
      return response;
    } catch (e) {
      exchanges.push({ method, url: String(url), error: String((e && e.message) || e) });
      throw e;
    }
  };
  function checkExchanges() {
    const bad = exchanges.filter((x) => x.error || x.status >= 400);
    assert(bad.length === 0, `no failed exchange (got ${JSON.stringify(bad)})`);
    for (const x of exchanges) {
      assert(UUID.test(x.generationId || ''), `x-generation-id on ${x.method} ${x.url} (got ${JSON.stringify(x.generationId)})`);
    }
  }
  // baseUrl replaces https://api.replicate.com/v1; routes are resolved relative to it
  const replicate = new Replicate({ auth: 'r8_test', baseUrl: `${GW}/replicate/v1`, useFileOutput: false, fetch: attributedFetch });
  const sdk = 'replicate';

  await check(sdk, 'predictions.create+wait', async () => {
    exchanges.length = 0;
    const created = await replicate.predictions.create({
      version: '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b',
      input: { prompt: 'a studio photo of a rainbow colored corgi', width: 512, height: 512 },
    });
    assert(created.id && created.status === 'starting', `created, status starting (got ${created.status})`);
    const prediction = await replicate.wait(created, { interval: 250 }); // polls GET /predictions/<id>
    assert(prediction.status === 'succeeded', `status succeeded (got ${prediction.status})`);
    assert(prediction.metrics && prediction.metrics.predict_time > 0, `metrics.predict_time > 0 (got ${JSON.stringify(prediction.metrics)})`);
    assert(exchanges.filter((x) => x.method === 'POST').length === 1, `one POST (got ${JSON.stringify(exchanges)})`);
    checkExchanges();
  });

  await check(sdk, 'run', async () => {
    exchanges.length = 0;
    // run() sends `Prefer: wait` to POST /models/<owner>/<name>/predictions and polls if still running
    const output = await replicate.run('black-forest-labs/flux-schnell', { input: { prompt: 'a red bicycle', num_outputs: 1 } });
    assert(Array.isArray(output) && output.length > 0 && typeof output[0] === 'string' && output[0].startsWith('https://'),
      `output is a list of URLs (got ${JSON.stringify(output)})`);
    checkExchanges();
  });
}

console.log(`SUMMARY node passed=${passed} failed=${failed}`);
// exit explicitly: keep-alive sockets (and a stalled stream after a watchdog) must not hold the process
process.exit(failed > 0 ? 1 : 0);
