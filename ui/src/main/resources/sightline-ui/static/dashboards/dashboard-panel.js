import { LitElement, html, css, svg } from 'lit';
import { controls } from '../components/styles.js';
import { formatValue, seriesName } from '../components/graph.js';
import { prom, loki } from '../lib/api.js';
import { href } from '../lib/router.js';
import { formatTime, stepSeconds } from '../lib/time.js';
import { datasourceType, interpolate, timeVariables } from './variables.js';
import '../components/graph.js';
import '../components/status.js';

export const PANEL_TYPES = new Set(['timeseries', 'graph', 'stat', 'table', 'logs', 'row']);

/** Grafana unit ids the shared formatter does not know, as the suffix they read as. */
const UNIT_SUFFIX = { reqps: ' req/s', rps: ' req/s', ops: ' ops/s', percent: '%', none: '' };

/** Grafana unit ids as the graph's axis writes them. */
const GRAPH_UNIT = { reqps: 'req/s', rps: 'req/s', ops: 'ops/s', percent: '%', none: '', short: '' };

export function formatUnit(v, unit) {
  if (unit in UNIT_SUFFIX) return formatValue(v, '') + UNIT_SUFFIX[unit];
  if (unit === 'ms') return formatValue(v / 1000, 's');
  return formatValue(v, unit);
}

/** A series' legend: Grafana's `{{label}}` template over its labels, or the label set. */
function legend(format, labels) {
  if (!format || format === '__auto') return seriesName(labels);
  return format.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name) => labels[name] ?? '');
}

/**
 * One panel of a dashboard: it runs its own queries (so one slow or failing panel never holds up the others) and
 * shows its own loading indicator and the API's error message. Re-queries when the range, the variables or the
 * refresh tick change.
 *
 *   .panel    the panel's JSON (Grafana's model)
 *   .values   the variables for interpolate(): name -> {values, multi, includeAll, isAll, allValue}
 *   .range    {start, end} epoch ms
 *   .tick     changes on every refresh
 */
export class DashboardPanel extends LitElement {
  static properties = {
    panel: { attribute: false }, values: { attribute: false }, range: { attribute: false }, tick: {},
    loading: { state: true }, error: { state: true }, result: { state: true },
  };
  static styles = [controls, css`
    :host { display: flex; flex-direction: column; min-height: 0; min-width: 0; background: var(--bg-panel);
      border: 1px solid var(--border); border-radius: var(--radius); }
    header { display: flex; align-items: center; gap: 8px; padding: 4px 8px; font-weight: 600; min-height: 24px; }
    header h2 { font-size: 13px; margin: 0; flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .body { flex: 1; min-height: 0; overflow: auto; padding: 0 8px 8px; position: relative; }
    .stat { display: flex; flex-direction: column; justify-content: center; align-items: center; height: 100%; }
    .stat .number { font-size: 32px; font-weight: 600; color: var(--accent); }
    .stat svg { width: 100%; height: 28px; }
    .unsupported { color: var(--warn); padding: 12px; }
    .logs { font-family: var(--mono); font-size: 12px; }
    .logs div { display: flex; gap: 8px; padding: 1px 0; border-bottom: 1px solid var(--border); }
    .logs time { color: var(--fg-muted); white-space: nowrap; }
    .logs .line { white-space: pre-wrap; word-break: break-all; flex: 1; }
    .logs .error { color: var(--error); }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    .empty { color: var(--fg-muted); padding: 12px; text-align: center; }
  `];

  constructor() {
    super();
    this.loading = false;
  }

  willUpdate(changed) {
    if (changed.has('panel') || changed.has('values') || changed.has('range') || changed.has('tick')) this.run();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  get unit() {
    return this.panel?.fieldConfig?.defaults?.unit ?? this.panel?.yaxes?.[0]?.format ?? '';
  }

  get kind() {
    return datasourceType(this.panel.datasource ?? this.panel.targets?.find((t) => t.datasource)?.datasource,
      this.panel.type === 'logs' ? 'loki' : 'prometheus');
  }

  async run() {
    this.abort?.abort();
    const type = this.panel?.type;
    if (!PANEL_TYPES.has(type) || type === 'row' || !this.range || !this.values) return;
    const controller = (this.abort = new AbortController());
    const opts = { signal: controller.signal };
    const targets = (this.panel.targets ?? []).filter((t) => !t.hide && (t.expr ?? '').trim());
    const step = stepSeconds(this.range.start, this.range.end, this.getBoundingClientRect().width || 600);
    const values = { ...this.values, ...timeVariables(this.range, step) };
    this.loading = true;
    this.error = '';
    try {
      let result;
      const exprs = targets.map((t) => interpolate(t.expr, values));
      if (type === 'logs') result = await this.logs(exprs, opts);
      else if (type === 'table') result = await this.table(targets, exprs, opts);
      else if (type === 'stat' && targets.every((t) => t.instant) && this.kind === 'prometheus') {
        result = await this.instant(exprs, opts);
      } else result = await this.series(targets, exprs, step, opts);
      if (controller.signal.aborted) return;
      this.result = result;
    } catch (e) {
      if (e.name === 'AbortError') return;
      this.error = e.message;
      this.result = undefined;
    } finally {
      if (!controller.signal.aborted) this.loading = false;
    }
  }

  async series(targets, exprs, step, opts) {
    const answers = await Promise.all(exprs.map((q) => (this.kind === 'loki'
      ? loki.queryRange(q, this.range.start, this.range.end, { step: `${step}s` }, opts)
      : prom.queryRange(q, this.range.start, this.range.end, step, opts))));
    return answers.flatMap((a, i) => (a.data?.result ?? []).map((r) => ({
      name: legend(targets[i].legendFormat, r.metric ?? r.stream ?? {}),
      labels: r.metric ?? {},
      points: (r.values ?? []).map(([t, v]) => [t * 1000, Number(v)]),
    })));
  }

  /** A stat's instant queries (Grafana's "Instant" option): one point each, at the end of the range. */
  async instant(exprs, opts) {
    const answers = await Promise.all(exprs.map((q) => prom.query(q, this.range.end, opts)));
    return answers.flatMap((a) => (a.data?.result ?? []).map((r) => ({
      labels: r.metric ?? {}, points: [[this.range.end, Number(r.value?.[1])]],
    })));
  }

  /** Instant queries joined on their labels (Grafana's "merge" transformation): one value column per query. */
  async table(targets, exprs, opts) {
    const answers = await Promise.all(exprs.map((q) => prom.query(q, this.range.end, opts)));
    const rows = new Map();
    const labelNames = new Set();
    answers.forEach((a, i) => {
      for (const r of a.data?.result ?? []) {
        const { __name__, ...labels } = r.metric ?? {};
        Object.keys(labels).forEach((k) => labelNames.add(k));
        const key = JSON.stringify(Object.entries(labels).sort());
        if (!rows.has(key)) rows.set(key, { labels, values: [] });
        rows.get(key).values[i] = Number(r.value?.[1] ?? r.value);
      }
    });
    const columns = targets.map((t) => ({
      title: t.legendFormat && !t.legendFormat.includes('{{') ? t.legendFormat
        : targets.length === 1 ? 'Value' : `Value #${t.refId ?? String.fromCharCode(65 + targets.indexOf(t))}`,
      unit: t.unit ?? this.unit,
    }));
    const labels = [...labelNames].sort();
    const list = [...rows.values()].sort((a, b) => (b.values[0] ?? 0) - (a.values[0] ?? 0)
      || labels.map((l) => String(a.labels[l] ?? '').localeCompare(b.labels[l] ?? '')).find((c) => c) || 0);
    return { labels, columns, rows: list };
  }

  async logs(exprs, opts) {
    const limit = this.panel.maxDataPoints ?? this.panel.options?.maxLines ?? 100;
    const answers = await Promise.all(exprs.map((q) => loki.queryRange(q, this.range.start, this.range.end,
      { limit, direction: 'backward' }, opts)));
    const lines = [];
    for (const a of answers) {
      for (const s of a.data?.result ?? []) {
        for (const [ts, line, meta] of s.values ?? []) {
          lines.push({ ns: BigInt(ts), line, stream: s.stream ?? {}, meta: meta?.structuredMetadata ?? meta ?? {} });
        }
      }
    }
    lines.sort((a, b) => (b.ns > a.ns ? 1 : b.ns < a.ns ? -1 : 0));
    return lines.slice(0, limit);
  }

  render() {
    const p = this.panel ?? {};
    return html`
      <header>
        <h2 title=${p.description ?? ''}>${p.title ?? ''}</h2>
        ${this.loading ? html`<sl-loading></sl-loading>` : ''}
      </header>
      <div class="body">
        ${this.error ? html`<sl-error .message=${this.error}></sl-error>` : this.content(p)}
      </div>
    `;
  }

  content(p) {
    if (!PANEL_TYPES.has(p.type)) return html`<div class="unsupported" role="note">unsupported panel type ${p.type}</div>`;
    if (this.result === undefined) return '';
    if (p.type === 'stat') return this.stat();
    if (p.type === 'table') return this.tableView();
    if (p.type === 'logs') return this.logsView();
    const height = Math.max(80, (p.gridPos?.h ?? 8) * 38 - 8 - 34 - 56);
    return html`<sl-graph .series=${this.result} .range=${this.range} unit=${GRAPH_UNIT[this.unit] ?? this.unit} height=${height}
      kind=${p.bars || p.fieldConfig?.defaults?.custom?.drawStyle === 'bars' ? 'bars' : 'line'}></sl-graph>`;
  }

  stat() {
    const first = this.result[0];
    const points = (first?.points ?? []).filter(([, v]) => Number.isFinite(v));
    if (!points.length) return html`<div class="stat"><span class="number muted">No data</span></div>`;
    const calc = this.panel.options?.reduceOptions?.calcs?.[0] ?? 'lastNotNull';
    const vs = points.map(([, v]) => v);
    const value = { mean: vs.reduce((a, b) => a + b, 0) / vs.length, max: Math.max(...vs), min: Math.min(...vs),
      sum: vs.reduce((a, b) => a + b, 0), first: vs[0] }[calc] ?? vs[vs.length - 1];
    const sparkline = this.panel.options?.graphMode !== 'none' && points.length > 1;
    return html`<div class="stat">
      <span class="number" data-value=${value}>${formatUnit(value, this.unit)}</span>
      ${sparkline ? this.sparkline(points) : ''}
    </div>`;
  }

  sparkline(points) {
    const xs = points.map(([t]) => t);
    const ys = points.map(([, v]) => v);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    const d = points.map(([t, v]) => `${((t - x0) / (x1 - x0 || 1)) * 100},${28 - ((v - y0) / (y1 - y0 || 1)) * 26 - 1}`)
      .join(' ');
    return html`<svg viewBox="0 0 100 28" preserveAspectRatio="none" aria-hidden="true">
      ${svg`<polyline points=${d} fill="none" stroke="var(--accent)" stroke-width="1.5" vector-effect="non-scaling-stroke"></polyline>`}
    </svg>`;
  }

  tableView() {
    const { labels, columns, rows } = this.result;
    if (!rows.length) return html`<div class="empty">No data</div>`;
    return html`<table>
      <thead><tr>${labels.map((l) => html`<th scope="col">${l}</th>`)}
        ${columns.map((c) => html`<th scope="col" class="num">${c.title}</th>`)}</tr></thead>
      <tbody>${rows.map((r) => html`<tr>
        ${labels.map((l) => html`<td>${r.labels[l] ?? ''}</td>`)}
        ${columns.map((c, i) => html`<td class="num">${r.values[i] === undefined ? '' : formatUnit(r.values[i], c.unit)}</td>`)}
      </tr>`)}</tbody>
    </table>`;
  }

  logsView() {
    if (!this.result.length) return html`<div class="empty">No logs</div>`;
    return html`<div class="logs" role="log">
      ${this.result.map((l) => {
        const traceId = l.meta.trace_id ?? l.stream.trace_id;
        const error = /\b(error|ERROR|fatal|FATAL)\b/.test(l.line) || l.stream.level === 'error';
        return html`<div>
          <time>${formatTime(Number(l.ns / 1000000n))}</time>
          <span class="line ${error ? 'error' : ''}">${l.line}</span>
          ${traceId ? html`<a href=${href(`/trace/${traceId}`)} title="Open the trace">trace</a>` : ''}
        </div>`;
      })}
    </div>`;
  }
}
customElements.define('sl-dashboard-panel', DashboardPanel);
