// Apache ECharts (served by the gateway from its webjar at /vendor/echarts/echarts.min.js) behind a
// few chart builders. A chart is declared while the view is built and drawn once the view is in
// the page and visible, so ECharts can measure it.

import { h } from './dom.js';
import * as fmt from './format.js';

export const COLORS = ['#2563eb', '#d97706', '#0f766e', '#7c3aed', '#dc2626', '#0891b2', '#65a30d', '#db2777',
  '#475569', '#ca8a04'];
export const LLM_COLOR = '#2563eb';
export const MEDIA_COLOR = '#d97706';
const TEXT = '#1f2933';
const MUTED = '#52606d';
const GRID_LINE = '#e4e7eb';

const pending = new WeakMap();

export function available() {
  return typeof window.echarts !== 'undefined';
}

/** A chart placeholder; drawn by draw(). `label` describes it for screen readers. */
export function chart(option, label, height = 240) {
  const el = h('div', { class: 'chart', role: 'img', 'aria-label': label, style: `height:${height}px` });
  pending.set(el, option);
  return el;
}

/** Draws the placeholders under `root`; when ECharts did not load, says so in their place. */
export function draw(root) {
  for (const el of root.querySelectorAll('.chart')) {
    const option = pending.get(el);
    if (!option) {
      continue;
    }
    pending.delete(el);
    if (!available()) {
      el.classList.add('chart-missing');
      el.textContent = 'Charts are unavailable: /vendor/echarts/echarts.min.js did not load. The tables show the same numbers.';
      continue;
    }
    const c = window.echarts.init(el, null, { renderer: 'canvas' });
    c.setOption({
      color: COLORS,
      textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', color: TEXT },
      animation: false,
      aria: { enabled: true },
      ...option,
    });
  }
}

/** Disposes the ECharts instances under `root` before it is rebuilt. */
export function dispose(root) {
  if (!available()) {
    return;
  }
  for (const el of root.querySelectorAll('.chart')) {
    const c = window.echarts.getInstanceByDom(el);
    if (c) {
      c.dispose();
    }
  }
}

export function resize(root) {
  if (!available()) {
    return;
  }
  for (const el of root.querySelectorAll('.chart')) {
    const c = window.echarts.getInstanceByDom(el);
    if (c) {
      c.resize();
    }
  }
}

function valueAxis(formatter) {
  return {
    type: 'value',
    axisLabel: { formatter, color: MUTED },
    splitLine: { lineStyle: { color: GRID_LINE } },
  };
}

function categoryAxis(names, { axisLabel = {}, ...extra } = {}) {
  return {
    type: 'category',
    data: names,
    axisLabel: { color: MUTED, ...axisLabel },
    axisTick: { show: false },
    axisLine: { lineStyle: { color: GRID_LINE } },
    ...extra,
  };
}

/** A short axis label for dollars: "$0.50", "$1.2K". */
function axisUsd(v) {
  return v >= 1000 ? fmt.compactUsd(v) : fmt.usd(String(v));
}

const LABEL_WIDTH = 170;

function truncate(s, n = 28) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/**
 * Stacked bars by day.
 *
 * @param days   [{ day, ... }]
 * @param stacks [{ name, key, color }]: the values are the API's strings at `key`
 * @param total  key of the day's total, shown in the tooltip as the API sent it
 */
export function stackedDays(days, stacks, total) {
  return {
    grid: { left: 64, right: 16, top: 36, bottom: 28 },
    legend: { top: 0, right: 0, textStyle: { color: MUTED } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const d = days[params[0].dataIndex];
        const lines = stacks.map((s) => `${s.name}: ${fmt.usd(d[s.key])}`);
        return [`<b>${d.day}</b>`, ...lines, `Total: ${fmt.usd(d[total])}`, `Generations: ${fmt.count(d.generations)}`]
          .join('<br>');
      },
    },
    xAxis: categoryAxis(days.map((d) => fmt.shortDay(d.day))),
    yAxis: valueAxis(axisUsd),
    series: stacks.map((s) => ({
      name: s.name,
      type: 'bar',
      stack: 'total',
      barMaxWidth: 28,
      itemStyle: { color: s.color },
      data: days.map((d) => Number(d[s.key])),
    })),
  };
}

/**
 * Horizontal bars, largest on top.
 *
 * @param rows   the API's rows, already in the order to show
 * @param name   row → label
 * @param series [{ name, key, format, color }]; more than one stacks them
 */
export function horizontalBars(rows, name, series, { stack = false, axis = axisUsd } = {}) {
  return {
    grid: { left: LABEL_WIDTH + 12, right: stack ? 24 : 84, top: series.length > 1 ? 28 : 8, bottom: 24 },
    legend: series.length > 1 ? { top: 0, right: 0, textStyle: { color: MUTED } } : undefined,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const r = rows[params[0].dataIndex];
        return [`<b>${name(r)}</b>`, ...series.map((s) => `${s.name}: ${s.format(r[s.key])}`)].join('<br>');
      },
    },
    xAxis: { ...valueAxis(axis), splitNumber: 3 },
    yAxis: categoryAxis(rows.map(name), {
      inverse: true,
      axisLabel: { width: LABEL_WIDTH, overflow: 'truncate', ellipsis: '…' },
    }),
    series: series.map((s, i) => ({
      name: s.name,
      type: 'bar',
      stack: stack ? 'total' : undefined,
      barMaxWidth: 18,
      itemStyle: { color: s.color ?? COLORS[i] },
      label: !stack ? {
        show: true, position: 'right', color: MUTED, formatter: (p) => s.format(rows[p.dataIndex][s.key]),
      } : undefined,
      data: rows.map((r) => (r[s.key] === null || r[s.key] === undefined ? null : Number(r[s.key]))),
    })),
  };
}

/** Grouped vertical bars by category, e.g. average and P95 latency per task. */
export function groupedBars(rows, name, series, axis) {
  return {
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, right: 0, textStyle: { color: MUTED } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const r = rows[params[0].dataIndex];
        return [`<b>${name(r)}</b>`, ...series.map((s) => `${s.name}: ${s.format(r[s.key])}`)].join('<br>');
      },
    },
    xAxis: categoryAxis(rows.map((r) => truncate(name(r), 16)), { axisLabel: { interval: 0, rotate: rows.length > 5 ? 30 : 0 } }),
    yAxis: valueAxis(axis),
    series: series.map((s, i) => ({
      name: s.name,
      type: 'bar',
      barMaxWidth: 22,
      itemStyle: { color: s.color ?? COLORS[i] },
      data: rows.map((r) => (r[s.key] === null ? null : Number(r[s.key]))),
    })),
  };
}

/** A donut of shares, e.g. cost by provider. */
export function donut(rows, name, key, format) {
  return {
    tooltip: { trigger: 'item', formatter: (p) => `<b>${name(rows[p.dataIndex])}</b><br>${format(rows[p.dataIndex][key])}` },
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle', textStyle: { color: MUTED } },
    series: [{
      type: 'pie',
      radius: ['45%', '72%'],
      center: ['38%', '50%'],
      avoidLabelOverlap: true,
      label: { show: true, color: TEXT, formatter: (p) => `${format(rows[p.dataIndex][key])}` },
      data: rows.map((r) => ({ name: name(r), value: Number(r[key]) })),
    }],
  };
}

/**
 * The budget gauge: month-to-date utilisation as the arc, the month-end projection as the needle.
 * Both are the API's ratios (utilization, projected_utilization).
 */
export function budgetGauge(budget) {
  const used = Number(budget.utilization) * 100;
  const projected = budget.projected_utilization === null ? null : Number(budget.projected_utilization) * 100;
  const max = Math.max(100, Math.ceil(Math.max(used, projected ?? 0) / 50) * 50);
  const over = (projected ?? used) > 100;
  const common = {
    type: 'gauge', min: 0, max, startAngle: 200, endAngle: -20, radius: '96%', center: ['50%', '64%'],
    splitNumber: max / 25 > 8 ? 4 : max / 25,
  };
  return {
    series: [
      {
        ...common,
        progress: { show: true, width: 12, itemStyle: { color: used > 100 ? '#dc2626' : LLM_COLOR } },
        axisLine: { lineStyle: { width: 12, color: [[100 / max, '#e4e7eb'], [1, '#fde2e2']] } },
        axisTick: { show: false },
        splitLine: { length: 6, distance: 2, lineStyle: { color: '#9aa5b1', width: 1 } },
        axisLabel: { distance: 16, color: MUTED, fontSize: 10, formatter: (v) => `${Math.round(v)}%` },
        pointer: { show: false },
        anchor: { show: false },
        title: { show: false },
        detail: { show: false },
        data: [{ value: used, name: 'Month to date' }],
      },
      ...(projected === null ? [] : [{
        ...common,
        axisLine: { show: false },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        progress: { show: false },
        pointer: { show: true, length: '62%', width: 4, itemStyle: { color: over ? '#dc2626' : '#52606d' } },
        anchor: { show: true, size: 9, itemStyle: { color: over ? '#dc2626' : '#52606d' } },
        title: { show: false },
        detail: { show: false },
        data: [{ value: projected, name: 'Projected month-end' }],
      }]),
    ],
  };
}
