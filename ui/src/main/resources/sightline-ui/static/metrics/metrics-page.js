import { LitElement, html, css } from 'lit';
import { controls } from '../components/styles.js';
import '../components/graph.js';
import '../components/query-editor.js';
import '../components/status.js';
import '../components/time-picker.js';
import { prom } from '../lib/api.js';
import { href, setParams } from '../lib/router.js';
import { formatTime, promDuration, rangeOf, resolveRange, stepSeconds } from '../lib/time.js';
import { promqlCompletion } from './promql-completion.js';
import { unitOf } from './query-unit.js';
import './result-table.js';

const SYNTAX_CHECK_DELAY_MS = 350;

/**
 * The Metrics explore page, like Prometheus' graph page and Grafana Explore: a PromQL query, a time range, a graph
 * (range query) or a table (instant query at the range's end), exemplars on the graph linking to their traces.
 *
 * Everything the page shows follows from its URL parameters: `query`, `from`, `to`, `refresh` (an auto-refresh
 * interval), `tab` (graph | table), `exemplars` (true shows them), `columns` (true: labels as table columns). The
 * page queries whenever they change, so the back button, a reload and a shared link all give the same view.
 */
export class MetricsPage extends LitElement {
  static properties = {
    params: { attribute: false }, routeArgs: { attribute: false },
    draft: { state: true }, loading: { state: true }, view: { state: true }, error: { state: true },
    parseError: { state: true }, warnings: { state: true }, stats: { state: true },
  };
  static styles = [controls, css`
    :host { display: flex; flex-direction: column; gap: var(--gap); }
    .toolbar { justify-content: space-between; }
    h1 { font-size: 16px; margin: 0; }
    .editor { display: flex; gap: var(--gap); align-items: flex-start; }
    sl-query-editor { flex: 1; min-width: 0; }
    .tabs { display: flex; gap: 2px; }
    .tabs button { border-color: transparent; background: none; border-radius: 0; border-bottom: 2px solid transparent; }
    .tabs button[aria-selected="true"] { border-bottom-color: var(--accent); font-weight: 600; }
    label.toggle { display: inline-flex; align-items: center; gap: 4px; font-size: 13px; color: var(--fg-muted); }
    .stats { margin-left: auto; font-size: 12px; color: var(--fg-muted); display: inline-flex; gap: 8px;
      align-items: center; }
    .warnings { color: var(--warn); border: 1px solid var(--warn); border-radius: var(--radius); padding: 6px 10px;
      font-size: 13px; }
    .warnings div { white-space: pre-wrap; }
    .warnings div.info { color: var(--fg-muted); }
    .result { min-height: 120px; }
    .hint { color: var(--fg-muted); padding: 24px; text-align: center; }
    .hint code { font-family: var(--mono); color: var(--fg); }
    .at { font-size: 12px; color: var(--fg-muted); margin-bottom: 4px; }
  `];

  constructor() {
    super();
    this.params = {};
    this.draft = '';
    this.loading = false;
    this.view = null;
    this.warnings = [];
    this.complete = promqlCompletion(() => resolveRange(rangeOf(this.params ?? {})));
  }

  get editor() {
    return this.renderRoot.querySelector('sl-query-editor');
  }

  get tab() {
    return this.params?.tab === 'table' ? 'table' : 'graph';
  }

  get showExemplars() {
    return this.params?.exemplars === 'true';
  }

  firstUpdated() {
    // Explore pages are for typing: the cursor starts in the query.
    this.editor.updateComplete.then(() => this.editor.focus());
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.stopRefresh();
    this.refreshSetting = undefined;
    this.running?.abort();
    this.checking?.abort();
  }

  willUpdate(changed) {
    if (!changed.has('params')) return;
    const p = this.params ?? {};
    const query = p.query ?? '';
    // The URL's query replaces the draft only when the URL changed it (back button, a link), never while typing.
    if (query !== this.urlQuery) {
      this.urlQuery = query;
      this.draft = query;
    }
    const key = JSON.stringify([query, p.from, p.to, this.tab, this.showExemplars]);
    if (key !== this.runKey) {
      this.runKey = key;
      queueMicrotask(() => this.run());
    }
    if ((p.refresh ?? '') !== this.refreshSetting) {
      this.refreshSetting = p.refresh ?? '';
      this.startRefresh(this.refreshSetting);
    }
  }

  render() {
    const p = this.params ?? {};
    const range = rangeOf(p);
    return html`
      <div class="row toolbar">
        <h1>Metrics</h1>
        <sl-time-picker .from=${range.from} .to=${range.to} .refresh=${p.refresh ?? ''}
          @range-change=${(e) => setParams({ from: e.detail.from, to: e.detail.to }, { push: true })}
          @refresh-change=${(e) => setParams({ refresh: e.detail.refresh || undefined })}></sl-time-picker>
      </div>
      <div class="editor">
        <sl-query-editor label="PromQL query" .value=${this.draft} .error=${this.parseError ?? ''}
          placeholder="PromQL, e.g. sum by (job) (rate(shop_http_requests_total[5m])) — Enter runs, Shift+Enter is a new line"
          .complete=${this.complete} @query-input=${this.onQueryInput} @run=${(e) => this.submit(e.detail.value)}>
        </sl-query-editor>
        <button class="primary run" @click=${() => this.submit(this.editor.textarea.value)}>Run query</button>
      </div>
      <div class="row">
        <div class="tabs" role="tablist" aria-label="Result view">
          ${[['graph', 'Graph'], ['table', 'Table']].map(([id, label]) => html`
            <button role="tab" aria-selected=${this.tab === id} aria-controls="result"
              @click=${() => setParams({ tab: id }, { push: true })}>${label}</button>`)}
        </div>
        ${this.tab === 'graph' ? html`<label class="toggle"><input type="checkbox" name="exemplars"
            .checked=${this.showExemplars}
            @change=${(e) => setParams({ exemplars: e.target.checked ? 'true' : undefined }, { push: true })}>
            Show exemplars</label>`
          : html`<label class="toggle"><input type="checkbox" name="columns" .checked=${p.columns === 'true'}
            @change=${(e) => setParams({ columns: e.target.checked ? 'true' : undefined })}>
            Labels as columns</label>`}
        <span class="stats" aria-live="polite">
          ${this.loading ? html`<sl-loading>Querying…</sl-loading>` : ''}
          ${this.stats ? html`<span class="stat">${this.describeStats()}</span>` : ''}
        </span>
      </div>
      ${this.warnings.length ? html`<div class="warnings" role="status">
        ${this.warnings.map((w) => html`<div class=${w.level}>${w.level === 'info' ? 'ⓘ' : '⚠'} ${w.text}</div>`)}
      </div>` : ''}
      ${this.error ? html`<sl-error .message=${this.error}></sl-error>` : ''}
      <div class="result panel" id="result" role="tabpanel" ?hidden=${this.error && !this.view}>
        ${this.renderResult(p)}</div>
    `;
  }

  renderResult(p) {
    if (!(p.query ?? '').trim()) {
      return html`<div class="hint">Type a PromQL query and press Enter, for example
        <code>rate(shop_http_requests_total[5m])</code>. Ctrl+Space lists what can come next.</div>`;
    }
    const v = this.view;
    if (!v) return this.loading ? html`<div class="hint"><sl-loading></sl-loading></div>` : '';
    if (v.tab === 'table') {
      return html`<div class="at">Instant query at ${formatTime(v.time)}</div>
        <sl-result-table .result=${v.data} ?columns=${p.columns === 'true'}></sl-result-table>`;
    }
    return html`<sl-graph .series=${v.series} .range=${v.range} .exemplars=${v.exemplars}
      .exemplarHref=${traceLink} .unit=${v.unit} height="320" @zoom=${this.onZoom}></sl-graph>`;
  }

  describeStats() {
    const s = this.stats;
    const parts = [s.series === undefined ? `${s.type} result` : `${s.series} series`];
    if (s.step) parts.push(`step ${promDuration(s.step)}`);
    if (s.exemplars !== undefined) parts.push(`${s.exemplars} exemplars`);
    parts.push(`${s.ms} ms`);
    return parts.join(' · ');
  }

  onQueryInput(e) {
    this.draft = e.detail.value;
    clearTimeout(this.syntaxTimer);
    this.syntaxTimer = setTimeout(() => this.checkSyntax(this.draft), SYNTAX_CHECK_DELAY_MS);
  }

  /** Asks the server to parse the draft, so a mistake shows under the editor, in the server's words, as it is made. */
  async checkSyntax(query) {
    this.checking?.abort();
    if (!query.trim()) { this.parseError = ''; return; }
    const controller = new AbortController();
    this.checking = controller;
    try {
      await prom.formatQuery(query, { signal: controller.signal });
      if (this.draft === query) this.parseError = '';
    } catch (e) {
      if (e.name === 'AbortError' || this.draft !== query) return;
      // Only a parse error belongs under the editor; an unreachable server shows when the query runs.
      if (e.type === 'bad_data') this.parseError = e.message;
    }
  }

  /** Enter or Run: a new query becomes a history entry; the same query again just runs again. */
  submit(value) {
    const query = value.trim();
    clearTimeout(this.syntaxTimer);
    if (query === (this.params?.query ?? '')) this.run();
    else setParams({ query: query || undefined }, { push: true });
  }

  onZoom(e) {
    setParams({ from: String(e.detail.start), to: String(e.detail.end) }, { push: true });
  }

  /** Runs the URL's query; a newer run aborts this one, so only the latest answer is ever shown. */
  async run() {
    this.running?.abort();
    const p = this.params ?? {};
    const query = (p.query ?? '').trim();
    if (!query) {
      this.view = null;
      this.stats = null;
      this.error = '';
      this.warnings = [];
      return;
    }
    const controller = new AbortController();
    this.running = controller;
    const signal = controller.signal;
    const { start, end } = resolveRange(rangeOf(p));
    const tab = this.tab;
    const began = performance.now();
    this.loading = true;
    try {
      if (tab === 'graph') {
        const width = this.renderRoot.querySelector('.result')?.clientWidth || 1000;
        const step = stepSeconds(start, end, width);
        const [data, exemplars] = await Promise.all([
          prom.queryRange(query, start, end, step, { signal }),
          this.showExemplars ? this.fetchExemplars(query, start, end, signal) : undefined,
        ]);
        // A series without labels (a scalar expression, sum without by) is named by the query, as Grafana does.
        const series = data.data.result.map((s) => ({
          name: Object.keys(s.metric).length ? undefined : query,
          labels: s.metric,
          points: s.values.map(([t, v]) => [t * 1000, Number(v)]),
        }));
        this.view = { tab, series, range: { start, end }, exemplars: exemplars?.list ?? [], unit: unitOf(query) };
        this.warnings = [...warningsOf(data),
          ...(exemplars?.error ? [{ text: `exemplars: ${exemplars.error}`, level: 'warning' }] : [])];
        this.stats = { series: series.length, step, exemplars: exemplars?.list.length,
          ms: Math.round(performance.now() - began) };
      } else {
        const data = await prom.query(query, end, { signal });
        const result = data.data;
        this.view = { tab, data: result, time: end };
        this.warnings = warningsOf(data);
        const single = result.resultType === 'scalar' || result.resultType === 'string';
        this.stats = { series: single ? undefined : result.result.length, type: result.resultType,
          ms: Math.round(performance.now() - began) };
      }
      this.error = '';
      if (this.draft.trim() === query) this.parseError = '';
    } catch (e) {
      if (e.name === 'AbortError') return;
      this.view = null;
      this.stats = null;
      this.warnings = [];
      // A query the server cannot parse is shown where it was typed; anything else above the result.
      if (e.type === 'bad_data') {
        this.parseError = e.message;
        this.error = '';
      } else {
        if (this.draft.trim() === query) this.parseError = '';
        this.error = e.message;
      }
    } finally {
      if (this.running === controller) this.loading = false;
    }
  }

  /** The exemplars of the query's selectors, flattened for <sl-graph>; a failure is a warning, not a lost graph. */
  async fetchExemplars(query, start, end, signal) {
    try {
      const data = await prom.exemplars(query, start, end, { signal });
      const list = [];
      for (const group of data.data ?? []) {
        for (const ex of group.exemplars ?? []) {
          list.push({ ts: ex.timestamp * 1000, value: Number(ex.value), labels: ex.labels, seriesLabels: group.seriesLabels });
        }
      }
      return { list };
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      return { list: [], error: e.message };
    }
  }

  startRefresh(refresh) {
    this.stopRefresh();
    const ms = intervalMs(refresh);
    // A slow query is not stacked on itself: a tick while one runs is skipped.
    if (ms) this.refreshTimer = setInterval(() => this.loading || this.run(), ms);
  }

  stopRefresh() {
    clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
  }
}
customElements.define('sl-metrics-page', MetricsPage);

/** An exemplar's trace in the trace view; Tempo's metrics generator names the label traceID. */
function traceLink(exemplar) {
  const id = exemplar.labels?.trace_id ?? exemplar.labels?.traceID;
  return id ? href(`/trace/${id}`) : undefined;
}

/** The API's warnings and Prometheus 3's infos, in its words; infos are hints, so they are shown quieter. */
function warningsOf(response) {
  return [...(response.warnings ?? []).map((text) => ({ text, level: 'warning' })),
    ...(response.infos ?? []).map((text) => ({ text, level: 'info' }))];
}

/** "30s", "1m", "2h" in milliseconds; 0 for off or anything else. */
function intervalMs(text) {
  const m = /^(\d+)(s|m|h)$/.exec(text ?? '');
  return m ? Number(m[1]) * { s: 1e3, m: 60e3, h: 3600e3 }[m[2]] : 0;
}
