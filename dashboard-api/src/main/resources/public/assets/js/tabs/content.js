// Content: what each piece of content costs. /api/v1/content with the window and filters, and an
// article's lineage from /api/v1/articles/{id}.

import { query } from '../api.js';
import { h, kpi, card, empty, table } from '../dom.js';
import * as charts from '../charts.js';
import * as fmt from '../format.js';
import { saveCsv } from '../csv.js';
import { apiParams } from '../state.js';

export const ARTICLE_LIMIT = 200;
const TOP = 10;

export async function load(state, get) {
  const content = get(`/api/v1/content?${query({ ...apiParams(state), limit: ARTICLE_LIMIT })}`);
  // a missing article is shown in its dialog; it does not fail the tab
  const article = state.article
    ? get(`/api/v1/articles/${encodeURIComponent(state.article)}`).then((a) => ({ article: a }), (error) => ({ error }))
    : Promise.resolve(null);
  return { content: await content, lineage: await article };
}

const ARTICLE_COLUMNS = ['article_id', 'title', 'category', 'content_product', 'total_usd', 'tokens', 'generations',
  'unpriced_generations'];

function title(a) {
  return a.title || a.article_id;
}

const SORTS = {
  title: (a, b) => title(a).localeCompare(title(b)),
  category: (a, b) => fmt.label(a.category).localeCompare(fmt.label(b.category)),
  content_product: (a, b) => fmt.label(a.content_product).localeCompare(fmt.label(b.content_product)),
  total_usd: (a, b) => Number(a.total_usd) - Number(b.total_usd),
  tokens: (a, b) => a.tokens - b.tokens,
  generations: (a, b) => a.generations - b.generations,
};

/** The articles in the order of `sort` ("-total_usd": cost, highest first); ties by id. */
export function sortArticles(rows, sort) {
  const key = sort.replace(/^-/, '');
  const compare = SORTS[key] ?? SORTS.total_usd;
  const sign = sort.startsWith('-') ? -1 : 1;
  return [...rows].sort((a, b) => sign * compare(a, b) || a.article_id.localeCompare(b.article_id));
}

export function render({ content: c }, ctx) {
  const noData = c.articles === 0;
  const none = () => empty('No content costs in this window and filters.');
  const byProduct = c.by_content_product.slice(0, TOP);
  const byCategory = c.by_category.slice(0, TOP);
  const barsHeight = (n) => Math.max(120, 26 * n + 24);
  return [
    h('div', { class: 'kpis' },
      kpi('total_content_usd', 'Content cost', fmt.usd(c.total_content_usd), `${fmt.count(c.generations)} generations`),
      kpi('articles', 'Articles', fmt.count(c.articles), 'with generations in the window'),
      kpi('avg_cost_per_article_usd', 'Average cost per article', fmt.usd(c.avg_cost_per_article_usd)),
      kpi('avg_tokens_per_article', 'Average tokens per article', fmt.decimal(c.avg_tokens_per_article, 1)),
      h('button', {
        type: 'button', class: 'csv-button kpi-csv', dataset: { csv: 'summary' }, 'aria-label': 'Download the content summary as CSV',
        onclick: () => saveCsv(ctx.file('summary'), [{ name: 'metric' }, { name: 'value' }],
          ['total_content_usd', 'articles', 'generations', 'unpriced_generations', 'avg_cost_per_article_usd',
            'avg_tokens_per_article'].map((k) => ({ metric: k, value: c[k] }))),
      }, 'CSV')),
    h('div', { class: 'grid' },
      card({
        id: 'by-content-product', span: 6, title: 'Cost by content product',
        csv: () => saveCsv(ctx.file('by-content-product'), ['content_product', 'total_usd', 'articles', 'generations',
          'unpriced_generations'].map((name) => ({ name })), c.by_content_product),
        body: noData ? none() : charts.chart(charts.horizontalBars(byProduct, (r) => fmt.label(r.content_product),
          [{ name: 'Cost', key: 'total_usd', format: fmt.usd }]), 'Cost by content product', barsHeight(byProduct.length)),
      }),
      card({
        id: 'by-category', span: 6, title: 'Cost by editorial category',
        csv: () => saveCsv(ctx.file('by-category'), ['category', 'total_usd', 'articles', 'generations',
          'unpriced_generations'].map((name) => ({ name })), c.by_category),
        body: noData ? none() : charts.chart(charts.horizontalBars(byCategory, (r) => fmt.label(r.category),
          [{ name: 'Cost', key: 'total_usd', format: fmt.usd }]), 'Cost by editorial category', barsHeight(byCategory.length)),
      }),
      articlesCard(c, ctx)),
  ];
}

function articlesCard(c, ctx) {
  const rows = sortArticles(c.top_articles, ctx.state.sort);
  const shown = c.top_articles.length;
  return card({
    id: 'articles', span: 12, title: 'Articles by cost',
    subtitle: c.articles > shown ? `The ${fmt.count(shown)} most expensive of ${fmt.count(c.articles)} articles; choose one to see its lineage`
      : 'Choose an article to see its lineage: every generation behind it, in order',
    csv: () => saveCsv(ctx.file('articles'), ARTICLE_COLUMNS.map((name) => ({ name })), rows),
    body: c.top_articles.length === 0
      ? empty('No generations with an article in this window and filters. Send X-Article-Id with a request to attribute it to a piece of content.')
      : table({
      id: 'content-articles', caption: 'Articles by cost',
      sort: ctx.state.sort,
      onSort: (sort) => ctx.setState({ sort }, { replace: true, focusSort: sort.replace(/^-/, '') }),
      columns: [
        {
          key: 'title', label: 'Article',
          format: (r) => h('a', {
            href: ctx.href({ article: r.article_id }), class: 'article-link', dataset: { article: r.article_id },
            onclick: (e) => {
              if (e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey) {
                e.preventDefault();
                ctx.setState({ article: r.article_id });
              }
            },
          }, title(r)),
        },
        { key: 'category', label: 'Category', format: (r) => fmt.label(r.category) },
        { key: 'content_product', label: 'Product', format: (r) => fmt.label(r.content_product) },
        { key: 'total_usd', label: 'Cost', num: true, format: (r) => fmt.usd(r.total_usd) },
        { key: 'tokens', label: 'Tokens', num: true, format: (r) => fmt.count(r.tokens) },
        { key: 'generations', label: 'Generations', num: true, format: (r) => fmt.count(r.generations) },
      ],
      rows,
      rowAttrs: (r) => ({ dataset: { articleRow: r.article_id } }),
    }),
  });
}

function cost(g) {
  if (g.cost_usd !== null) {
    return fmt.usd(g.cost_usd);
  }
  return g.state === 'pending' ? 'pending' : 'unpriced';
}

const LINEAGE_COLUMNS = ['id', 'started_at', 'task', 'pipeline_step', 'provider', 'model', 'cost_usd', 'latency_ms',
  'parent_id', 'status', 'state', 'priced', 'input_tokens', 'output_tokens'];

/** The lineage dialog's content: the article and its generations in time order, each with its parent. */
export function renderLineage(lineage, ctx) {
  if (lineage.error) {
    return [h('h2', { id: 'lineage-title' }, `Article ${ctx.state.article}`),
      h('p', { class: 'error', role: 'alert' }, lineage.error.message)];
  }
  const a = lineage.article;
  const gens = a.generations;
  const step = new Map(gens.map((g, i) => [g.id, i + 1]));
  const depth = new Map();
  for (const g of gens) {
    depth.set(g.id, g.parent_id && depth.has(g.parent_id) ? depth.get(g.parent_id) + 1 : 0);
  }
  const parent = (g) => {
    if (!g.parent_id) {
      return h('span', { class: 'muted' }, 'source');
    }
    const n = step.get(g.parent_id);
    return n ? `#${n} ${fmt.label(gens[n - 1].task, '(no task)')}`
      : h('span', { title: g.parent_id }, `${g.parent_id.slice(0, 8)}… (outside this article)`);
  };
  const csvHref = `/api/v1/generations?${query({ format: 'csv', window: 'all', article_id: a.article_id })}`;
  return [
    h('h2', { id: 'lineage-title' }, `Lineage: ${a.title || a.article_id}`),
    h('p', { class: 'lineage-meta' },
      `Article ${a.article_id}`,
      a.category ? ` · ${a.category}` : '',
      a.content_product ? ` · ${a.content_product}` : ''),
    a.url || a.published_at ? h('p', { class: 'lineage-published', dataset: { published: a.article_id } },
      'Published',
      a.published_at ? ` ${fmt.instant(a.published_at)}` : '',
      a.url ? [' at ', /^https?:\/\//i.test(a.url)
        ? h('a', { href: a.url, rel: 'noopener noreferrer', target: '_blank' }, a.url) : a.url] : '') : null,
    h('div', { class: 'kpis small' },
      h('div', { class: 'kpi', dataset: { kpi: 'lineage_total_usd' } }, h('div', { class: 'kpi-title' }, 'Cost'),
        h('div', { class: 'kpi-value' }, fmt.usd(a.total_usd))),
      h('div', { class: 'kpi', dataset: { kpi: 'lineage_tokens' } }, h('div', { class: 'kpi-title' }, 'Tokens'),
        h('div', { class: 'kpi-value' }, fmt.count(a.tokens))),
      h('div', { class: 'kpi', dataset: { kpi: 'lineage_generations' } }, h('div', { class: 'kpi-title' }, 'Generations'),
        h('div', { class: 'kpi-value' }, fmt.count(gens.length)),
        a.unpriced_generations > 0 ? h('div', { class: 'kpi-note' }, `${fmt.count(a.unpriced_generations)} unpriced`) : null)),
    gens.length === 0 ? empty('No generations recorded for this article yet.') : table({
      id: 'lineage-table', caption: 'Generations of the article in time order, each with its parent',
      columns: [
        { key: 'step', label: '#', num: true, format: (g) => `#${step.get(g.id)}` },
        { key: 'started_at', label: 'Started', format: (g) => fmt.instant(g.started_at) },
        {
          key: 'task', label: 'Task',
          format: (g) => h('span', { class: 'task', style: `padding-left:${depth.get(g.id) * 1.1}rem` },
            depth.get(g.id) > 0 ? h('span', { class: 'muted', 'aria-hidden': 'true' }, '↳ ') : null,
            fmt.label(g.task, '(no task)')),
        },
        { key: 'model', label: 'Model', format: (g) => `${g.provider}/${g.model ?? '(no model)'}` },
        { key: 'cost_usd', label: 'Cost', num: true, format: cost },
        { key: 'latency_ms', label: 'Latency', num: true, format: (g) => fmt.ms(g.latency_ms) },
        { key: 'parent', label: 'Parent', format: parent },
        { key: 'status', label: 'Status', format: (g) => (g.status >= 400 || g.error ? h('span', { class: 'bad' }, `${g.status} ${g.error ?? ''}`) : String(g.status)) },
      ],
      rows: gens,
      rowAttrs: (g) => ({ dataset: { generation: g.id } }),
    }),
    h('p', { class: 'lineage-actions' },
      h('button', {
        type: 'button', class: 'csv-button', dataset: { csv: 'lineage' },
        onclick: () => saveCsv(`lineage-${a.article_id.replace(/[^\w.-]+/g, '_')}.csv`, LINEAGE_COLUMNS.map((name) => ({ name })), gens),
      }, 'Lineage CSV'),
      ' ',
      h('a', { href: csvHref, class: 'api-csv', dataset: { apiCsv: 'article' } }, 'All of its generations (CSV from the API)')),
  ];
}
