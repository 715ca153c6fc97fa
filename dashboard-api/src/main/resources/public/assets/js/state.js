// The view's whole state lives in the URL (?tab=content&window=7d&provider=openai&article=A1),
// so a view can be shared, bookmarked and reloaded.

export const TABS = [
  { id: 'spend', label: 'Spend' },
  { id: 'performance', label: 'Performance' },
  { id: 'content', label: 'Content' },
];

export const WINDOWS = [
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: '90d', label: 'Last 90 days' },
  { id: 'all', label: 'All time' },
];

export const DEFAULT_WINDOW = '30d';

/** The filters every chart applies: API parameter and label. */
export const FILTERS = [
  { id: 'provider', label: 'Provider', all: 'All providers' },
  { id: 'model', label: 'Model', all: 'All models' },
  { id: 'task', label: 'Task', all: 'All tasks' },
  { id: 'category', label: 'Category', all: 'All categories' },
  { id: 'content_product', label: 'Content product', all: 'All products' },
];

export const DEFAULT_SORT = '-total_usd';

/** The state in a URL's query string. */
export function readState(search) {
  const q = new URLSearchParams(search);
  const tab = TABS.some((t) => t.id === q.get('tab')) ? q.get('tab') : 'spend';
  const filters = {};
  for (const f of FILTERS) {
    const v = q.get(f.id);
    if (v) {
      filters[f.id] = v;
    }
  }
  return {
    tab,
    // an unknown window is kept and sent: the API's answer says what is expected
    window: q.get('window') || DEFAULT_WINDOW,
    filters,
    article: tab === 'content' ? q.get('article') || null : null,
    sort: q.get('sort') || DEFAULT_SORT,
  };
}

/**
 * The query string of a state. Tab and window are always written, so a shared link keeps its
 * window even if the default changes; the sort only when it is not the default.
 */
export function toSearch(state) {
  const q = new URLSearchParams();
  q.set('tab', state.tab);
  q.set('window', state.window);
  for (const f of FILTERS) {
    if (state.filters[f.id]) {
      q.set(f.id, state.filters[f.id]);
    }
  }
  if (state.tab === 'content' && state.article) {
    q.set('article', state.article);
  }
  if (state.tab === 'content' && state.sort !== DEFAULT_SORT) {
    q.set('sort', state.sort);
  }
  return `?${q}`;
}

/** The API parameters of a state: the window and the filters. */
export function apiParams(state) {
  return { window: state.window, ...state.filters };
}

export function windowLabel(id) {
  const w = WINDOWS.find((x) => x.id === id);
  return w ? w.label.toLowerCase() : `window "${id}"`;
}
