// Performance: what is slow or wasteful. /api/v1/performance with the window and filters.

import { query } from '../api.js';
import { h, card, empty, table } from '../dom.js';
import * as charts from '../charts.js';
import * as fmt from '../format.js';
import { saveCsv } from '../csv.js';
import { apiParams } from '../state.js';
import { modelName } from './spend.js';

const TOP = 10;

export async function load(state, get) {
  return { performance: await get(`/api/v1/performance?${query(apiParams(state))}`) };
}

const TASK_COLUMNS = ['task', 'generations', 'avg_latency_ms', 'p95_latency_ms', 'avg_ttfb_ms', 'error_rate'];
const MODEL_COLUMNS = ['provider', 'model', 'generations', 'avg_latency_ms', 'p95_latency_ms', 'output_tokens_per_second',
  'output_tokens_per_usd', 'input_cost_usd', 'output_cost_usd', 'input_output_cost_ratio', 'error_rate'];

/** Rows with a positive value at `key` (audio has no output tokens), largest first, at most TOP. */
function topBy(rows, key) {
  return rows.filter((r) => r[key] !== null && r[key] !== undefined && Number(r[key]) > 0)
    .sort((a, b) => Number(b[key]) - Number(a[key]))
    .slice(0, TOP);
}

export function render({ performance: p }, ctx) {
  const noData = p.generations === 0;
  const none = () => empty('No generations in this window and filters.');
  const taskName = (r) => fmt.label(r.task, '(no task)');
  const perSecond = topBy(p.by_model, 'output_tokens_per_second');
  const perUsd = topBy(p.by_model, 'output_tokens_per_usd');
  const costs = p.by_model.slice(0, TOP);
  const barsHeight = (n) => Math.max(120, 26 * n + 40);
  return [
    h('p', { class: 'summary', dataset: { kpi: 'generations' } },
      h('strong', { class: 'kpi-value' }, fmt.count(p.generations)), ' generations',
      p.p95_method ? ` · P95 ${p.p95_method === 'exact' ? 'computed exactly from the rows' : 'from latency histograms (within 2.5 %)'}` : ''),
    h('div', { class: 'grid' },
      card({
        id: 'latency-by-task', span: 6, title: 'Latency per task', subtitle: 'Average and P95, milliseconds',
        csv: () => saveCsv(ctx.file('latency-by-task'), TASK_COLUMNS.map((name) => ({ name })), p.by_task),
        body: noData || p.by_task.length === 0 ? none() : charts.chart(charts.groupedBars(p.by_task.slice(0, 12), taskName, [
          { name: 'Average', key: 'avg_latency_ms', format: fmt.ms },
          { name: 'P95', key: 'p95_latency_ms', format: fmt.ms, color: charts.MEDIA_COLOR },
        ], (v) => `${fmt.decimal(v, 0)} ms`), 'Average and P95 latency per task', 250),
      }),
      card({
        id: 'input-output-cost', span: 6, title: 'Input vs output cost by model',
        subtitle: p.by_model.length > TOP ? `Top ${TOP} of ${p.by_model.length} models by cost` : null,
        csv: () => saveCsv(ctx.file('input-output-cost'), ['provider', 'model', 'input_cost_usd', 'output_cost_usd',
          'input_output_cost_ratio'].map((name) => ({ name })), p.by_model),
        body: noData ? none() : charts.chart(charts.horizontalBars(costs, modelName, [
          { name: 'Input', key: 'input_cost_usd', format: fmt.usd, color: charts.LLM_COLOR },
          { name: 'Output', key: 'output_cost_usd', format: fmt.usd, color: charts.MEDIA_COLOR },
        ], { stack: true }), 'Input and output cost by model', barsHeight(costs.length)),
      }),
      card({
        id: 'tokens-per-second', span: 6, title: 'Output tokens per second by model',
        subtitle: 'Text generations, generation time after the first byte',
        csv: () => saveCsv(ctx.file('tokens-per-second'), ['provider', 'model', 'output_tokens_per_second']
          .map((name) => ({ name })), perSecond),
        body: perSecond.length === 0 ? empty('No text generations with output tokens in this window and filters.')
          : charts.chart(charts.horizontalBars(perSecond, modelName, [
            { name: 'Output tokens per second', key: 'output_tokens_per_second', format: fmt.tokensPerSecond },
          ], { axis: (v) => fmt.decimal(v, 0) }), 'Output tokens per second by model', barsHeight(perSecond.length)),
      }),
      card({
        id: 'tokens-per-usd', span: 6, title: 'Output tokens per dollar by model',
        csv: () => saveCsv(ctx.file('tokens-per-usd'), ['provider', 'model', 'output_tokens_per_usd']
          .map((name) => ({ name })), perUsd),
        body: perUsd.length === 0 ? empty('No priced generations with output tokens in this window and filters.')
          : charts.chart(charts.horizontalBars(perUsd, modelName, [
            { name: 'Output tokens per dollar', key: 'output_tokens_per_usd', format: fmt.tokensPerUsd },
          ], { axis: (v) => fmt.decimal(v, 0) }), 'Output tokens per dollar by model', barsHeight(perUsd.length)),
      }),
      card({
        id: 'tasks', span: 12, title: 'Tasks',
        csv: () => saveCsv(ctx.file('tasks'), TASK_COLUMNS.map((name) => ({ name })), p.by_task),
        body: p.by_task.length === 0 ? none() : table({
          id: 'performance-tasks', caption: 'Latency per task',
          columns: [
            { key: 'task', label: 'Task', format: taskName },
            { key: 'generations', label: 'Generations', num: true, format: (r) => fmt.count(r.generations) },
            { key: 'avg_latency_ms', label: 'Avg latency', num: true, format: (r) => fmt.ms(r.avg_latency_ms) },
            { key: 'p95_latency_ms', label: 'P95 latency', num: true, format: (r) => fmt.ms(r.p95_latency_ms) },
            { key: 'avg_ttfb_ms', label: 'Avg time to first byte', num: true, format: (r) => fmt.ms(r.avg_ttfb_ms) },
            { key: 'error_rate', label: 'Errors', num: true, format: (r) => fmt.percent(r.error_rate) },
          ],
          rows: p.by_task,
          rowAttrs: (r) => ({ dataset: { task: taskName(r) } }),
        }),
      }),
      card({
        id: 'models', span: 12, title: 'Models',
        csv: () => saveCsv(ctx.file('models'), MODEL_COLUMNS.map((name) => ({ name })), p.by_model),
        body: p.by_model.length === 0 ? none() : table({
          id: 'performance-models', caption: 'Performance by model',
          columns: [
            { key: 'model', label: 'Model', format: modelName },
            { key: 'generations', label: 'Generations', num: true, format: (r) => fmt.count(r.generations) },
            { key: 'avg_latency_ms', label: 'Avg latency', num: true, format: (r) => fmt.ms(r.avg_latency_ms) },
            { key: 'p95_latency_ms', label: 'P95 latency', num: true, format: (r) => fmt.ms(r.p95_latency_ms) },
            { key: 'output_tokens_per_second', label: 'Output tok/s', num: true, format: (r) => fmt.decimal(r.output_tokens_per_second, 1) },
            { key: 'output_tokens_per_usd', label: 'Output tok/$', num: true, format: (r) => fmt.decimal(r.output_tokens_per_usd, 0) },
            { key: 'input_cost_usd', label: 'Input cost', num: true, format: (r) => fmt.usd(r.input_cost_usd) },
            { key: 'output_cost_usd', label: 'Output cost', num: true, format: (r) => fmt.usd(r.output_cost_usd) },
            { key: 'error_rate', label: 'Errors', num: true, format: (r) => fmt.percent(r.error_rate) },
          ],
          rows: p.by_model,
          rowAttrs: (r) => ({ dataset: { model: modelName(r) } }),
        }),
      })),
  ];
}
