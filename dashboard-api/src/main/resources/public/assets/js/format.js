// Display formatting. The page never does arithmetic on money: amounts arrive from the API as
// exact decimal strings (see api.js) and are only rounded for display here. Fixed locale, so a
// number reads the same for everyone looking at a shared view.

const LOCALE = 'en-US';
export const DASH = '—';

const cache = new Map();
function numberFormat(options) {
  const key = JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE, options);
    cache.set(key, f);
  }
  return f;
}

function missing(v) {
  return v === null || v === undefined || v === '';
}

/**
 * Decimal places for a dollar amount: 2 from $1 up (and for zero); below $1 enough places for three
 * significant digits (a generation can cost $0.00037), at most 10 (the API's precision of ratios).
 */
export function usdDecimals(value) {
  const text = String(value).replace(/^[-+]/, '');
  const n = Number(text);
  if (n === 0 || n >= 1 || !Number.isFinite(n)) {
    return 2;
  }
  let zeros;
  const plain = /^0?\.(0*)[1-9]/.exec(text);
  if (plain) {
    zeros = plain[1].length;
  } else {
    zeros = -Math.floor(Math.log10(n)) - 1;
  }
  return Math.min(10, Math.max(2, zeros + 3));
}

/** US dollars: "$1,234.57", "$0.863", "$0.00037"; "—" for no value. */
export function usd(value) {
  if (missing(value)) {
    return DASH;
  }
  const digits = usdDecimals(value);
  // format() takes the decimal string as an exact decimal (no binary floating point on the way)
  return numberFormat({ style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: digits })
    .format(String(value));
}

/** A chart axis tick in dollars: "$1.2K". */
export function compactUsd(value) {
  return numberFormat({ style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 })
    .format(String(value));
}

/** A whole count: "8,850". */
export function count(value) {
  if (missing(value)) {
    return DASH;
  }
  return numberFormat({ maximumFractionDigits: 0 }).format(String(value));
}

/** A number with at most `digits` decimal places: "1,683.3". */
export function decimal(value, digits) {
  if (missing(value)) {
    return DASH;
  }
  return numberFormat({ minimumFractionDigits: 0, maximumFractionDigits: digits }).format(String(value));
}

/** Milliseconds: "1,234 ms". */
export function ms(value) {
  return missing(value) ? DASH : `${decimal(value, 0)} ms`;
}

/** A fraction as a percentage: 0.187567 → "18.8%". */
export function percent(value) {
  if (missing(value)) {
    return DASH;
  }
  return numberFormat({ style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 1 }).format(String(value));
}

/** Output tokens per second: "52.3 tok/s". */
export function tokensPerSecond(value) {
  return missing(value) ? DASH : `${decimal(value, 1)} tok/s`;
}

/** Output tokens per dollar: "98,765 tok/$". */
export function tokensPerUsd(value) {
  return missing(value) ? DASH : `${decimal(value, 0)} tok/$`;
}

/** An ISO instant as "2026-11-19 10:00:00 UTC". */
export function instant(iso) {
  if (missing(iso)) {
    return DASH;
  }
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11-13" as "Nov 13". */
export function shortDay(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  return m ? `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}` : String(day);
}

/** An ISO instant as "Nov 13, 2026 12:34 UTC". */
export function windowEdge(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})/.exec(iso ?? '');
  return m ? `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}, ${m[1]} ${m[4]} UTC` : String(iso);
}

/** A dimension value for display: null becomes a readable placeholder. */
export function label(value, none = '(none)') {
  return missing(value) ? none : String(value);
}
