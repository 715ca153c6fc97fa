// Spend: where the money goes. /api/v1/spend with the window and filters, /api/v1/pricing for the
// models without a price.

import { query } from '../api.js';
import { h, kpi, card, empty, table } from '../dom.js';
import * as charts from '../charts.js';
import * as fmt from '../format.js';
import { saveCsv } from '../csv.js';
import { apiParams } from '../state.js';

const TOP_MODELS = 10;

export async function load(state, get) {
  const [spend, pricing] = await Promise.all([
    get(`/api/v1/spend?${query(apiParams(state))}`),
    get('/api/v1/pricing'),
  ]);
  return { spend, pricing };
}

export function modelName(row) {
  return `${row.provider}/${row.model ?? '(no model)'}`;
}

export function render({ spend: s, pricing }, ctx) {
  const noData = s.generations === 0;
  return [
    unpricedWarning(s, pricing),
    h('div', { class: 'kpis' },
      kpi('total_usd', 'Total spend', fmt.usd(s.total_usd), `${fmt.count(s.generations)} generations`),
      kpi('llm_usd', 'LLM', fmt.usd(s.llm_usd), 'text and embeddings'),
      kpi('media_usd', 'Media', fmt.usd(s.media_usd), 'image, audio and video'),
      kpi('generations', 'Generations', fmt.count(s.generations),
        `${fmt.count(s.unpriced_generations)} unpriced · ${fmt.count(s.pending_generations)} pending`),
      kpi('cost_per_generation_usd', 'Cost per generation', fmt.usd(s.cost_per_generation_usd), 'over priced generations'),
      h('button', {
        type: 'button', class: 'csv-button kpi-csv', dataset: { csv: 'summary' }, 'aria-label': 'Download the spend summary as CSV',
        onclick: () => saveCsv(ctx.file('summary'), [{ name: 'metric' }, { name: 'value' }],
          ['total_usd', 'llm_usd', 'media_usd', 'generations', 'unpriced_generations', 'pending_generations',
            'cost_per_generation_usd', 'input_tokens', 'output_tokens', 'input_cost_usd', 'output_cost_usd']
            .map((k) => ({ metric: k, value: s[k] }))),
      }, 'CSV')),
    h('div', { class: 'grid' },
      card({
        id: 'daily', span: 8, title: 'Daily spend', subtitle: 'LLM and media, stacked, per UTC day',
        csv: () => saveCsv(ctx.file('daily'), ['day', 'total_usd', 'llm_usd', 'media_usd', 'generations',
          'unpriced_generations', 'cost_per_generation_usd'].map((name) => ({ name })), s.daily),
        body: noData ? empty('No generations in this window and filters.')
          : charts.chart(charts.stackedDays(s.daily, [
            { name: 'LLM', key: 'llm_usd', color: charts.LLM_COLOR },
            { name: 'Media', key: 'media_usd', color: charts.MEDIA_COLOR },
          ], 'total_usd'), `Daily spend from ${s.daily[0]?.day} to ${s.daily.at(-1)?.day}, LLM and media stacked`, 230),
      }),
      budgetCard(s.budget, ctx)),
    h('div', { class: 'grid' },
      card({
        id: 'by-model', span: 7, title: 'Cost by model',
        subtitle: s.by_model.length > TOP_MODELS ? `Top ${TOP_MODELS} of ${s.by_model.length} models; all in the table below` : null,
        body: s.by_model.length === 0 ? empty('No models in this window and filters.')
          : charts.chart(charts.horizontalBars(s.by_model.slice(0, TOP_MODELS), modelName,
            [{ name: 'Cost', key: 'total_usd', format: fmt.usd }]), 'Cost by model',
          Math.max(120, 26 * Math.min(TOP_MODELS, s.by_model.length) + 24)),
      }),
      card({
        id: 'by-provider', span: 5, title: 'Cost by provider',
        csv: () => saveCsv(ctx.file('by-provider'), ['provider', 'total_usd', 'generations', 'unpriced_generations']
          .map((name) => ({ name })), s.by_provider),
        body: s.by_provider.length === 0 ? empty('No providers in this window and filters.')
          : [charts.chart(charts.donut(s.by_provider, (r) => r.provider, 'total_usd', fmt.usd), 'Cost by provider', 200),
            table({
              id: 'spend-providers', caption: 'Cost by provider',
              columns: [
                { key: 'provider', label: 'Provider' },
                { key: 'total_usd', label: 'Cost', num: true, format: (r) => fmt.usd(r.total_usd) },
                { key: 'generations', label: 'Generations', num: true, format: (r) => fmt.count(r.generations) },
              ],
              rows: s.by_provider,
            })],
      }),
      card({
        id: 'models', span: 12, title: 'Models',
        csv: () => saveCsv(ctx.file('models'), ['provider', 'model', 'total_usd', 'generations', 'unpriced_generations',
          'input_tokens', 'output_tokens'].map((name) => ({ name })), s.by_model),
        body: s.by_model.length === 0 ? empty('No models in this window and filters.') : table({
          id: 'spend-models', caption: 'Spend by model',
          columns: [
            { key: 'model', label: 'Model', format: modelName },
            { key: 'total_usd', label: 'Cost', num: true, format: (r) => fmt.usd(r.total_usd) },
            { key: 'generations', label: 'Generations', num: true, format: (r) => fmt.count(r.generations) },
            { key: 'unpriced_generations', label: 'Unpriced', num: true, format: (r) => fmt.count(r.unpriced_generations) },
            { key: 'input_tokens', label: 'Input tokens', num: true, format: (r) => fmt.count(r.input_tokens) },
            { key: 'output_tokens', label: 'Output tokens', num: true, format: (r) => fmt.count(r.output_tokens) },
          ],
          rows: s.by_model,
          rowAttrs: (r) => ({ dataset: { model: modelName(r) } }),
        }),
      })),
  ];
}

function unpricedWarning(s, pricing) {
  const models = pricing.unpriced_models.map((m) => ({
    name: `${m.provider}/${m.model ?? '(no model)'}`,
    note: `${fmt.count(m.unpriced_generations)} unpriced, last on ${m.last_day}`,
  }));
  for (const seen of pricing.unpriced_models_seen) {
    if (!models.some((m) => m.name === seen)) {
      models.push({ name: seen, note: 'seen by this gateway since it started' });
    }
  }
  if (s.unpriced_generations === 0 && models.length === 0) {
    return null;
  }
  const n = s.unpriced_generations;
  return h('div', { class: n > 0 ? 'warning' : 'notice', dataset: { warning: 'unpriced' } },
    h('p', {}, h('strong', { class: 'unpriced-count' }, n === 0 ? 'No unpriced generations in this view.'
      : `${fmt.count(n)} unpriced generation${n === 1 ? '' : 's'} in this view`),
    n > 0 ? ' — their cost is not in the totals (never guessed).' : '',
    models.length > 0 ? ' Models without a price in the catalog:' : ''),
    models.length > 0 ? h('ul', { class: 'unpriced-models' },
      models.map((m) => h('li', {}, h('code', {}, m.name), ` (${m.note})`))) : null,
    h('p', { class: 'hint' }, 'Add their prices with a pricing file (GENLEDGER_PRICING_FILE); history can be re-priced.'));
}

function budgetCard(b, ctx) {
  if (!b) {
    return card({
      id: 'budget', span: 4, title: 'Budget',
      body: h('div', { class: 'no-budget', dataset: { budget: 'none' } },
        h('p', { class: 'empty' }, 'No budget set.'),
        h('p', { class: 'hint' }, 'Set GENLEDGER_MONTHLY_BUDGET_USD to see this month\'s spend against a budget, with a month-end projection.')),
    });
  }
  return card({
    id: 'budget', span: 4, title: 'Budget this month', subtitle: `${b.month}, UTC; all spend, whatever the filters`,
    csv: () => saveCsv(ctx.file('budget'), ['month', 'monthly_usd', 'month_to_date_usd', 'utilization',
      'projected_month_usd', 'projected_utilization', 'hard_cap_reached'].map((name) => ({ name })), [b]),
    body: [
      charts.chart(charts.budgetGauge(b), `Budget used: ${fmt.percent(b.utilization)}`
        + (b.projected_utilization === null ? '' : `, projected at month end: ${fmt.percent(b.projected_utilization)}`), 170),
      h('p', { class: 'legend-note' }, 'Arc: spent so far · needle: projected month-end'),
      h('dl', { class: 'budget-facts' },
        h('dt', {}, 'Month to date'),
        h('dd', { dataset: { budget: 'month_to_date' } },
          `${fmt.usd(b.month_to_date_usd)} of ${fmt.usd(b.monthly_usd)} (${fmt.percent(b.utilization)})`),
        h('dt', {}, 'Projected month-end'),
        h('dd', { dataset: { budget: 'projected' } }, b.projected_month_usd === null ? 'not yet known'
          : `${fmt.usd(b.projected_month_usd)} (${fmt.percent(b.projected_utilization)} of budget)`)),
      b.hard_cap_reached ? h('p', { class: 'warning small' }, 'Hard cap reached: month-to-date spend has reached the budget.') : null,
    ],
  });
}
