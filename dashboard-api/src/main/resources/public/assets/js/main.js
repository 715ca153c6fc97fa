// The GenLedger dashboard: tabs, window and filters in the URL; each change loads the tab's data
// from the dashboard API and redraws it.

import * as api from './api.js';
import { storedToken, TokenCancelled } from './token.js';
import { TABS, WINDOWS, FILTERS, readState, toSearch, apiParams, windowLabel } from './state.js';
import * as charts from './charts.js';
import { h } from './dom.js';
import * as fmt from './format.js';
import { save } from './csv.js';
import * as spend from './tabs/spend.js';
import * as performance from './tabs/performance.js';
import * as content from './tabs/content.js';

const VIEWS = { spend, performance, content };

let state = readState(location.search);
let loadSeq = 0;
let lineageSeq = 0;
let shown = null; // { tab, data } last rendered, to re-sort without asking the API again

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ state and URL

function href(next) {
  return location.pathname + toSearch(next);
}

/**
 * Changes the view: the URL first (so it can be shared), then what changed is loaded.
 *
 * @param patch   { tab, window, filters, article, sort }
 * @param options { replace: true to not add a history entry, focusSort: sort button to refocus }
 */
function setState(patch, options = {}) {
  const next = { ...state, ...patch };
  if (next.tab !== 'content') {
    next.article = null;
  }
  const before = state;
  state = next;
  const url = href(next);
  if (url !== location.pathname + location.search) {
    (options.replace ? history.replaceState : history.pushState).call(history, null, '', url);
  }
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const dataChanged = before.tab !== next.tab || before.window !== next.window || !same(before.filters, next.filters);
  if (dataChanged) {
    load();
    return;
  }
  if (before.sort !== next.sort && shown && shown.tab === 'content') {
    render(shown.data);
    if (options.focusSort) {
      document.querySelector(`#content-articles button[data-sort="${options.focusSort}"]`)?.focus();
    }
  }
  if (before.article !== next.article) {
    loadLineage();
  }
}

function ctx() {
  const filters = Object.entries(state.filters).map(([k, v]) => `-${k}-${v}`).join('');
  return {
    state,
    setState,
    href: (patch) => href({ ...state, ...patch }),
    file: (name) => `${state.tab}-${name}-${state.window}${filters}.csv`.replace(/[^\w.=-]+/g, '_'),
  };
}

// ------------------------------------------------------------------ controls

function buildControls() {
  const tabs = $('tabs');
  tabs.replaceChildren(...TABS.map((t) => h('button', {
    type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}`, dataset: { tab: t.id },
    onclick: () => setState({ tab: t.id }),
  }, t.label)));
  tabs.addEventListener('keydown', (e) => {
    const i = TABS.findIndex((t) => t.id === state.tab);
    const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
    if (step) {
      e.preventDefault();
      const next = TABS[(i + step + TABS.length) % TABS.length].id;
      setState({ tab: next });
      $(`tab-${next}`).focus();
    }
  });

  $('controls').addEventListener('submit', (e) => e.preventDefault());
  const windowSelect = $('window');
  windowSelect.addEventListener('change', () => setState({ window: windowSelect.value }));

  const filters = $('filters');
  filters.replaceChildren(...FILTERS.map((f) => h('div', { class: 'field' },
    h('label', { for: `filter-${f.id}` }, f.label),
    h('select', {
      id: `filter-${f.id}`, name: f.id, dataset: { filter: f.id },
      onchange: (e) => {
        const next = { ...state.filters };
        if (e.target.value) {
          next[f.id] = e.target.value;
        } else {
          delete next[f.id];
        }
        setState({ filters: next });
      },
    }, h('option', { value: '' }, f.all)))));
  $('clear-filters').addEventListener('click', () => setState({ filters: {} }));

  // the API's CSV: a plain link streams it; with a token the page fetches it with the header
  document.addEventListener('click', (e) => {
    const link = e.target.closest('a.api-csv');
    if (!link || !storedToken() || e.button !== 0) {
      return;
    }
    e.preventDefault();
    const name = link.dataset.apiCsv === 'article' ? `generations-${state.article}.csv` : `generations-${state.window}.csv`;
    api.getBlob(link.getAttribute('href'), 'text/csv')
      .then((blob) => save(name.replace(/[^\w.=-]+/g, '_'), blob))
      .catch((err) => setStatus(`The CSV export failed: ${err.message}`, true));
  });

  $('lineage-close').addEventListener('click', () => $('lineage-dialog').close());
  $('lineage-dialog').addEventListener('close', () => {
    if (state.article) {
      setState({ article: null });
    }
  });

  window.addEventListener('popstate', () => {
    state = readState(location.search);
    load();
  });
  let frame = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => charts.resize($(`panel-${state.tab}`)));
  });
}

/** Puts the state into the controls. */
function syncControls() {
  for (const t of TABS) {
    const b = $(`tab-${t.id}`);
    const active = t.id === state.tab;
    b.setAttribute('aria-selected', String(active));
    b.tabIndex = active ? 0 : -1;
    $(`panel-${t.id}`).hidden = !active;
  }
  const windowSelect = $('window');
  const known = [...WINDOWS, { id: 'mtd', label: 'Month to date' }];
  const options = WINDOWS.map((w) => h('option', { value: w.id }, w.label));
  if (!WINDOWS.some((w) => w.id === state.window)) {
    const k = known.find((w) => w.id === state.window);
    options.push(h('option', { value: state.window }, k ? k.label : `${state.window} (from the link)`));
  }
  windowSelect.replaceChildren(...options);
  windowSelect.value = state.window;
  for (const f of FILTERS) {
    const select = $(`filter-${f.id}`);
    const v = state.filters[f.id] ?? '';
    if (v && ![...select.options].some((o) => o.value === v)) {
      select.append(h('option', { value: v }, v));
    }
    select.value = v;
  }
  $('clear-filters').disabled = Object.keys(state.filters).length === 0;
  const csv = $('generations-csv');
  csv.href = `/api/v1/generations?${api.query({ format: 'csv', ...apiParams(state) })}`;
  const tab = TABS.find((t) => t.id === state.tab);
  document.title = `${tab.label} · ${windowLabel(state.window)} — GenLedger`;
}

/** The filter choices: the values present in the window, whatever the other filters. */
function fillFilterOptions(all) {
  const values = {
    provider: all.by_provider.map((r) => r.provider),
    model: all.by_model.map((r) => r.model),
    task: all.by_task.map((r) => r.task),
    category: all.by_category.map((r) => r.category),
    content_product: all.by_content_product.map((r) => r.content_product),
  };
  for (const f of FILTERS) {
    const select = $(`filter-${f.id}`);
    const current = state.filters[f.id] ?? '';
    const list = [...new Set(values[f.id].filter((v) => v !== null && v !== ''))].sort((a, b) => a.localeCompare(b));
    const options = [h('option', { value: '' }, f.all), ...list.map((v) => h('option', { value: v }, v))];
    if (current && !list.includes(current)) {
      options.push(h('option', { value: current }, `${current} (no data in this window)`));
    }
    select.replaceChildren(...options);
    select.value = current;
  }
}

// ------------------------------------------------------------------ loading

function setStatus(text, isError = false) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('status-error', isError);
}

function setBusy(panel, busy) {
  panel.setAttribute('aria-busy', String(busy));
  panel.classList.toggle('is-loading', busy);
  if (busy) {
    panel.dataset.state = 'loading';
  }
}

async function load() {
  const my = ++loadSeq;
  syncControls();
  const view = VIEWS[state.tab];
  const panel = $(`panel-${state.tab}`);
  const tab = TABS.find((t) => t.id === state.tab);
  setBusy(panel, true);
  if (!panel.firstElementChild) {
    panel.replaceChildren(h('p', { class: 'loading-placeholder' }, 'Loading…'));
  }
  setStatus(`Loading ${tab.label.toLowerCase()} for the ${windowLabel(state.window)}…`);
  // one answer per URL per load: with no filters the Spend tab and the filter choices share it
  const answers = new Map();
  const get = (path) => {
    if (!answers.has(path)) {
      answers.set(path, api.getJson(path));
    }
    return answers.get(path);
  };
  try {
    const [data, all] = await Promise.all([view.load(state, get), get(`/api/v1/spend?${api.query({ window: state.window })}`)]);
    if (my !== loadSeq) {
      return;
    }
    fillFilterOptions(all);
    showWindow(all.window);
    shown = { tab: state.tab, data };
    render(data);
    setStatus('');
  } catch (error) {
    if (my !== loadSeq) {
      return;
    }
    shown = null;
    showError(panel, tab, error);
  }
}

function showWindow(w) {
  $('window-info').textContent = w ? `${fmt.windowEdge(w.from)} → ${fmt.windowEdge(w.to)}` : '';
}

function render(data) {
  const panel = $(`panel-${state.tab}`);
  charts.dispose(panel);
  panel.replaceChildren(...VIEWS[state.tab].render(data, ctx()).filter(Boolean));
  panel.hidden = false;
  charts.draw(panel);
  setBusy(panel, false);
  panel.dataset.state = 'ready';
  showLineage(state.tab === 'content' ? data.lineage : null);
}

function showError(panel, tab, error) {
  charts.dispose(panel);
  const cancelled = error instanceof TokenCancelled;
  const detail = cancelled ? null
    : error.status === 0 ? 'No connection to the API'
      : error.status ? `HTTP ${error.status}${error.code ? ` · ${error.code}` : ''}` : error.name;
  panel.replaceChildren(h('div', { class: 'error-box', role: 'alert', dataset: { error: error.code ?? 'error' } },
    h('h2', {}, `Could not load the ${tab.label.toLowerCase()} view`),
    h('p', { class: 'error-message' }, error.message),
    detail ? h('p', { class: 'error-detail' }, detail) : null,
    h('button', { type: 'button', class: 'primary', onclick: () => load() }, cancelled ? 'Enter token' : 'Try again')));
  setBusy(panel, false);
  panel.dataset.state = 'error';
  setStatus('Not loaded', true);
  if ($('lineage-dialog').open) {
    $('lineage-dialog').close();
  }
}

// ------------------------------------------------------------------ lineage

function showLineage(lineage) {
  const dialog = $('lineage-dialog');
  if (!state.article || !lineage) {
    if (dialog.open) {
      dialog.close();
    }
    return;
  }
  $('lineage-body').replaceChildren(...content.renderLineage(lineage, ctx()));
  dialog.dataset.state = 'ready';
  dialog.setAttribute('aria-busy', 'false');
  if (!dialog.open) {
    dialog.showModal();
  }
  $('lineage-close').focus();
}

async function loadLineage() {
  const my = ++lineageSeq;
  const dialog = $('lineage-dialog');
  if (!state.article) {
    if (dialog.open) {
      dialog.close();
    }
    return;
  }
  $('lineage-body').replaceChildren(h('h2', { id: 'lineage-title' }, `Article ${state.article}`),
    h('p', { class: 'loading-placeholder' }, 'Loading its lineage…'));
  dialog.dataset.state = 'loading';
  dialog.setAttribute('aria-busy', 'true');
  if (!dialog.open) {
    dialog.showModal();
  }
  const id = state.article;
  const lineage = await api.getJson(`/api/v1/articles/${encodeURIComponent(id)}`)
    .then((article) => ({ article }), (error) => ({ error }));
  if (my === lineageSeq && state.article === id) {
    if (shown && shown.tab === 'content') {
      shown.data.lineage = lineage;
    }
    showLineage(lineage);
  }
}

buildControls();
// the address bar shows the whole view from the start, ready to be shared
history.replaceState(null, '', href(state));
load();
