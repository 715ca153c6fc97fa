// Calls to the dashboard API. Errors become ApiError with a message in words; a 401 asks for the
// API token once (token.js) and retries; the token is sent as "Authorization: Bearer …".

import { askForToken, storedToken, forgetToken } from './token.js';

export class ApiError extends Error {
  /**
   * @param {string} message what went wrong, in words
   * @param {number} status the HTTP status; 0 when the API could not be reached
   * @param {string} code the API's error code, e.g. "invalid_parameter"
   */
  constructor(message, status, code) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

// Keys whose numbers are exact decimals in the API (money and ratios): kept as their JSON text, so
// "0.10789625" is shown and exported as sent, not as the nearest binary double.
const DECIMAL_KEY = /(_usd|utilization|_ratio|_rate|^avg_tokens_per_article)$/;

export function parseJson(text) {
  return JSON.parse(text, (key, value, context) => {
    if (typeof value === 'number' && DECIMAL_KEY.test(key)) {
      return context && typeof context.source === 'string' ? context.source : String(value);
    }
    return value;
  });
}

function headers(token, accept) {
  const h = { Accept: accept };
  if (token) {
    h.Authorization = `Bearer ${token}`;
  }
  return h;
}

async function errorOf(response) {
  let code = `http_${response.status}`;
  let message = `the API answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  try {
    const body = await response.json();
    if (body && body.error && body.error.message) {
      code = body.error.code || code;
      message = body.error.message;
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(message, response.status, code);
}

/** GET with the token; on 401 asks for a token (once for all callers) and tries again. */
async function request(path, accept) {
  for (;;) {
    const token = storedToken();
    let response;
    try {
      response = await fetch(path, { headers: headers(token, accept), cache: 'no-store' });
    } catch {
      throw new ApiError(`The API is unreachable: no answer from ${location.origin} (is the gateway running?).`, 0,
        'unreachable');
    }
    if (response.status !== 401) {
      if (!response.ok) {
        throw await errorOf(response);
      }
      return response;
    }
    const error = await errorOf(response);
    if (storedToken() !== token) {
      continue; // another call got a new token meanwhile
    }
    if (token) {
      forgetToken(token);
    }
    await askForToken(token ? `That token was not accepted: ${error.message}` : null);
  }
}

/** The JSON answer of GET `path`, money as decimal strings. */
export async function getJson(path) {
  const response = await request(path, 'application/json');
  const text = await response.text();
  try {
    return parseJson(text);
  } catch {
    throw new ApiError(`The API sent an answer that is not JSON for ${path}.`, response.status, 'not_json');
  }
}

/** The body of GET `path` as a Blob (the CSV export when a token must be sent). */
export async function getBlob(path, accept) {
  const response = await request(path, accept);
  return response.blob();
}

/** Query string of the window and the filters, e.g. "window=7d&provider=openai". */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') {
      q.append(k, v);
    }
  }
  return q.toString();
}
