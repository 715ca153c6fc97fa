// Small DOM helpers: elements, cards, KPI tiles and data tables.

/** Creates an element: h('a', { href: '/x', class: 'link' }, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k === 'class') {
      el.className = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(el, c);
    } else {
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
}

/** A KPI tile; `name` is the API key it shows (data-kpi). */
export function kpi(name, title, value, note) {
  return h('div', { class: 'kpi', dataset: { kpi: name } },
    h('div', { class: 'kpi-title' }, title),
    h('div', { class: 'kpi-value' }, value),
    note ? h('div', { class: 'kpi-note' }, note) : null);
}

/**
 * A card: a titled box with an optional CSV button.
 *
 * @param {object} o { id, title, subtitle, csv: () => void, span: grid columns of 12, body: Node or [Node] }
 */
export function card(o) {
  const head = h('header', { class: 'card-head' },
    h('div', {}, h('h2', { id: `${o.id}-title` }, o.title), o.subtitle ? h('p', { class: 'card-sub' }, o.subtitle) : null),
    o.csv ? h('button', {
      type: 'button', class: 'csv-button', dataset: { csv: o.id }, 'aria-label': `Download ${o.title} as CSV`,
      onclick: o.csv,
    }, 'CSV') : null);
  return h('section', { class: `card ${o.span ? `span-${o.span}` : ''}`, dataset: { card: o.id }, 'aria-labelledby': `${o.id}-title` },
    head, o.body);
}

/** The message shown instead of a chart or table that has nothing to show. */
export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

/**
 * A data table.
 *
 * @param {object} o { id, caption, columns: [{ key, label, num, format(row) → text|Node }],
 *                     rows, sort: "-key", onSort(sort), rowAttrs(row) }
 */
export function table(o) {
  const sortKey = o.sort ? o.sort.replace(/^-/, '') : null;
  const descending = o.sort ? o.sort.startsWith('-') : false;
  const head = h('tr', {}, o.columns.map((c) => {
    const cls = c.num ? 'num' : null;
    if (!o.onSort) {
      return h('th', { scope: 'col', class: cls }, c.label);
    }
    const active = c.key === sortKey;
    const next = active && descending ? c.key : `-${c.key}`;
    return h('th', {
      scope: 'col', class: cls,
      'aria-sort': active ? (descending ? 'descending' : 'ascending') : 'none',
    }, h('button', {
      type: 'button', class: 'sort', dataset: { sort: c.key },
      title: `Sort by ${c.label}`,
      onclick: () => o.onSort(next),
    }, c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (descending ? ' ▼' : ' ▲') : '')));
  }));
  const body = o.rows.map((row) => h('tr', o.rowAttrs ? o.rowAttrs(row) : {},
    o.columns.map((c, i) => h(i === 0 ? 'th' : 'td', { class: c.num ? 'num' : null, scope: i === 0 ? 'row' : null },
      c.format ? c.format(row) : row[c.key]))));
  return h('div', { class: 'table-wrap' },
    h('table', { id: o.id, class: 'data' },
      o.caption ? h('caption', { class: 'visually-hidden' }, o.caption) : null,
      h('thead', {}, head), h('tbody', {}, body)));
}
