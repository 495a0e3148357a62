import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { controls } from '../components/styles.js';
import '../components/status.js';
import '../components/time-picker.js';
import '../components/query-editor.js';
import { jaeger, tempo } from '../lib/api.js';
import { href, setParams } from '../lib/router.js';
import { formatDuration, formatTime, rangeOf, resolveRange } from '../lib/time.js';
import { parseLogfmt, summaryOfJaegerTrace, summaryOfTempoTrace } from './trace-model.js';
import { traceqlCompletion } from './traceql-complete.js';

// The URL parameters a search is made of: when they change, the search runs again.
const SEARCH_KEYS = ['tab', 'service', 'operation', 'tags', 'minDuration', 'maxDuration', 'limit', 'q', 'from', 'to'];
const DEFAULT_LIMIT = '20';

/**
 * Trace search, as Jaeger's search form (service, operation, tags, durations, limit) or as TraceQL (Grafana's Tempo
 * explore). The form asks Jaeger's /api/traces, whose whole traces give span and error counts; TraceQL goes to
 * Tempo's /api/search. Everything typed lives in the URL once run.
 */
export class TracesPage extends LitElement {
  static properties = {
    params: { attribute: false }, routeArgs: { attribute: false },
    draft: { state: true }, services: { state: true }, operations: { state: true }, results: { state: true },
    loading: { state: true }, error: { state: true }, queryError: { state: true }, tagsError: { state: true },
    selected: { state: true },
  };
  static styles = [controls, css`
    :host { display: flex; flex-direction: column; gap: var(--gap); }
    .top { justify-content: space-between; }
    [role="tablist"] { display: flex; gap: 2px; }
    [role="tab"] { border-radius: var(--radius) var(--radius) 0 0; border-bottom-width: 2px; }
    [role="tab"][aria-selected="true"] { border-bottom-color: var(--accent); font-weight: 600; }
    form { display: flex; gap: var(--gap); flex-wrap: wrap; align-items: flex-end; }
    label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--fg-muted); }
    label input, label select { min-width: 140px; }
    label.tags input { min-width: 320px; font-family: var(--mono); font-size: 13px; }
    label.short input { min-width: 0; width: 80px; }
    .field-error { color: var(--error); font-size: 12px; }
    .traceql { display: flex; gap: var(--gap); align-items: flex-start; }
    .traceql sl-query-editor { flex: 1; }
    ol { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
    li.result { display: grid; grid-template-columns: 24px minmax(260px, 2fr) 90px 80px 170px minmax(200px, 3fr);
      gap: var(--gap); align-items: center; padding: 6px 8px; border: 1px solid var(--border);
      border-radius: var(--radius); background: var(--bg-panel); }
    li.result:hover { background: var(--bg-hover); }
    .title { font-weight: 600; }
    .id { font-family: var(--mono); font-size: 12px; color: var(--fg-muted); }
    .errors { color: var(--error); font-weight: 600; }
    .bar { position: relative; height: 14px; background: var(--bg-hover); border-radius: 2px; }
    .bar span { position: absolute; left: 0; top: 0; bottom: 0; background: var(--accent); border-radius: 2px; }
    .bar.error span { background: var(--error); }
    .duration { display: flex; align-items: center; gap: 6px; }
    .duration .bar { flex: 1; }
    .duration .text { min-width: 64px; text-align: right; font-family: var(--mono); font-size: 12px; }
    .summary { justify-content: space-between; }
  `];

  constructor() {
    super();
    this.params = {};
    this.draft = {};
    this.services = [];
    this.operations = [];
    this.results = undefined;
    this.selected = [];
    this.complete = traceqlCompletion();
  }

  connectedCallback() {
    super.connectedCallback();
    jaeger.services().then((r) => (this.services = (r.data ?? r ?? []).slice().sort()), (e) => (this.error = e.message));
  }

  willUpdate(changed) {
    if (!changed.has('params')) return;
    const p = this.params ?? {};
    this.draft = { ...p, limit: p.limit ?? DEFAULT_LIMIT };
    if (p.service !== this.operationsOf) this.loadOperations(p.service);
    this.scheduleRefresh(p.refresh);
    const key = JSON.stringify(SEARCH_KEYS.map((k) => p[k] ?? ''));
    if (key !== this.searchKey) {
      this.searchKey = key;
      this.search(p);
    }
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.scheduleRefresh('');
  }

  /** Auto-refresh runs the search in the URL again every interval ("10s", "1m"); a relative range moves on. */
  scheduleRefresh(refresh) {
    if (refresh === this.refreshEvery) return;
    clearInterval(this.refreshTimer);
    this.refreshEvery = refresh;
    const m = /^(\d+)(s|m)$/.exec(refresh ?? '');
    if (m) this.refreshTimer = setInterval(() => !this.loading && this.search(this.params, { keep: true }), Number(m[1]) * (m[2] === 'm' ? 60e3 : 1e3));
  }

  get tab() {
    return this.params?.tab === 'traceql' ? 'traceql' : 'search';
  }

  render() {
    const range = rangeOf(this.params ?? {});
    return html`
      <div class="row top">
        <div role="tablist" aria-label="Query type">
          ${[['search', 'Search'], ['traceql', 'TraceQL']].map(([id, label]) => html`
            <button role="tab" aria-selected=${this.tab === id} @click=${() => this.switchTab(id)}>${label}</button>`)}
        </div>
        <sl-time-picker .from=${range.from} .to=${range.to} .refresh=${this.params?.refresh ?? ''}
          @range-change=${(e) => setParams({ from: e.detail.from, to: e.detail.to }, { push: true })}
          @refresh-change=${(e) => setParams({ refresh: e.detail.refresh })}></sl-time-picker>
      </div>
      <div class="panel" role="tabpanel">${this.tab === 'traceql' ? this.renderTraceql() : this.renderForm()}</div>
      ${this.error ? html`<sl-error .message=${this.error}></sl-error>` : ''}
      ${this.renderResults()}
    `;
  }

  renderForm() {
    const d = this.draft;
    const set = (k) => (e) => (this.draft = { ...this.draft, [k]: e.target.value });
    return html`
      <form @submit=${this.submitForm}>
        <label>Service
          <select name="service" .value=${d.service ?? ''} @change=${(e) => {
            this.draft = { ...this.draft, service: e.target.value, operation: '' };
            this.loadOperations(e.target.value);
          }}>
            <option value="">All services</option>
            ${this.services.map((s) => html`<option value=${s} ?selected=${s === d.service}>${s}</option>`)}
          </select>
        </label>
        <label>Operation
          <select name="operation" .value=${d.operation ?? ''} @change=${set('operation')}>
            <option value="">All operations</option>
            ${this.operations.map((o) => html`<option value=${o} ?selected=${o === d.operation}>${o}</option>`)}
          </select>
        </label>
        <label class="tags">Tags
          <input name="tags" placeholder="http.response.status_code=502 error=true" .value=${d.tags ?? ''}
            aria-invalid=${this.tagsError ? 'true' : 'false'} @input=${set('tags')}>
          ${this.tagsError ? html`<span class="field-error" role="alert">${this.tagsError}</span>` : ''}
        </label>
        <label class="short">Min duration<input name="minDuration" placeholder="100ms" .value=${d.minDuration ?? ''} @input=${set('minDuration')}></label>
        <label class="short">Max duration<input name="maxDuration" placeholder="1.2s" .value=${d.maxDuration ?? ''} @input=${set('maxDuration')}></label>
        <label class="short">Limit<input name="limit" type="number" min="1" .value=${d.limit ?? DEFAULT_LIMIT} @input=${set('limit')}></label>
        <button class="primary" type="submit">Find traces</button>
      </form>`;
  }

  renderTraceql() {
    return html`
      <div class="traceql">
        <sl-query-editor label="TraceQL query" placeholder='{ resource.service.name = "order-service" && status = error }'
          .value=${this.draft.q ?? ''} .error=${this.queryError ?? ''} .complete=${this.complete}
          @query-input=${(e) => (this.draft = { ...this.draft, q: e.detail.value })}
          @run=${(e) => this.runTraceql(e.detail.value)}></sl-query-editor>
        <label class="short">Limit<input name="limit" type="number" min="1" .value=${this.draft.limit ?? DEFAULT_LIMIT}
          @input=${(e) => (this.draft = { ...this.draft, limit: e.target.value })}></label>
        <button class="primary run" @click=${() => this.runTraceql(this.draft.q ?? '')}>Run query</button>
      </div>`;
  }

  renderResults() {
    if (!this.results) return this.loading ? html`<sl-loading>Searching traces…</sl-loading>` : '';
    const longest = Math.max(1, ...this.results.map((r) => r.durationMs));
    const [a, b] = this.selected;
    return html`
      <div class="row summary">
        <span><span class="count">${this.results.length} ${this.results.length === 1 ? 'trace' : 'traces'}</span>
          ${this.loading ? html`<sl-loading>refreshing</sl-loading>` : ''}</span>
        <span class="row">
          <span class="muted">${this.selected.length}/2 selected</span>
          ${this.selected.length === 2
            ? html`<a class="compare" role="button" href=${href('/compare', { a, b })}>Compare</a>`
            : html`<button class="compare" disabled title="Tick two traces to compare them">Compare</button>`}
        </span>
      </div>
      ${this.results.length === 0 ? html`<p class="muted">No traces match.</p>` : html`
        <ol aria-label="Traces">
          ${repeat(this.results, (r) => r.traceId, (r) => html`
            <li class="result" data-trace-id=${r.traceId}>
              <input type="checkbox" aria-label="Select ${r.traceId} to compare" .checked=${this.selected.includes(r.traceId)}
                ?disabled=${this.selected.length >= 2 && !this.selected.includes(r.traceId)}
                @change=${(e) => this.toggleSelected(r.traceId, e.target.checked)}>
              <div>
                <a class="title" href=${href(`/trace/${r.traceId}`)}>${r.rootService}: ${r.rootName || '<root span not yet received>'}</a>
                <div class="id">${r.traceId}</div>
              </div>
              <span class="spans">${r.spanCount} ${r.spanCount === 1 ? 'span' : 'spans'}</span>
              <span class=${r.errorCount ? 'errors' : 'muted'}>${r.errorCount ? `${r.errorCount} ${r.errorCount === 1 ? 'error' : 'errors'}` : 'no errors'}</span>
              <span class="start muted">${formatTime(r.startMs)}</span>
              <div class="duration">
                <div class="bar ${r.errorCount ? 'error' : ''}" aria-hidden="true"><span style="width:${(r.durationMs / longest) * 100}%"></span></div>
                <span class="text">${formatDuration(r.durationMs)}</span>
              </div>
            </li>`)}
        </ol>`}
    `;
  }

  switchTab(tab) {
    setParams({ tab: tab === 'traceql' ? 'traceql' : '' }, { push: true });
  }

  submitForm(e) {
    e.preventDefault();
    const d = this.draft;
    try {
      parseLogfmt(d.tags ?? '');
    } catch (err) {
      this.tagsError = err.message;
      return;
    }
    this.tagsError = '';
    setParams({
      tab: '', q: '', service: d.service, operation: d.operation, tags: d.tags?.trim(), minDuration: d.minDuration?.trim(),
      maxDuration: d.maxDuration?.trim(), limit: d.limit === DEFAULT_LIMIT ? '' : d.limit,
    }, { push: true });
    // The same search again (a refresh) still runs.
    this.searchKey = undefined;
    this.requestUpdate('params');
  }

  runTraceql(q) {
    setParams({ tab: 'traceql', q, limit: this.draft.limit === DEFAULT_LIMIT ? '' : this.draft.limit }, { push: true });
    this.searchKey = undefined;
    this.requestUpdate('params');
  }

  async loadOperations(service) {
    this.operationsOf = service;
    if (!service) { this.operations = []; return; }
    try {
      const r = await jaeger.operations(service);
      if (this.operationsOf === service) this.operations = (r.data ?? []).slice().sort();
    } catch (e) {
      this.error = e.message;
    }
  }

  toggleSelected(id, on) {
    this.selected = on ? [...this.selected.filter((x) => x !== id), id].slice(-2) : this.selected.filter((x) => x !== id);
  }

  /** Runs the search of the URL parameters; `keep` leaves the old results up while it runs (auto-refresh). */
  async search(p, { keep = false } = {}) {
    this.abort?.abort();
    if (!keep) this.results = undefined;
    const abort = (this.abort = new AbortController());
    const { start, end } = resolveRange(rangeOf(p));
    const limit = Number(p.limit || DEFAULT_LIMIT);
    this.loading = true;
    this.error = '';
    this.queryError = '';
    try {
      let results;
      if (p.tab === 'traceql') {
        const r = await tempo.search({ q: p.q?.trim() || '{}', limit, start, end }, { signal: abort.signal });
        results = (r.traces ?? []).map(summaryOfTempoTrace);
      } else {
        let tags;
        try {
          tags = parseLogfmt(p.tags ?? '');
        } catch (err) {
          this.tagsError = err.message;
          this.results = undefined;
          return;
        }
        const r = await jaeger.traces({
          service: p.service, operation: p.operation, tags: Object.keys(tags).length ? JSON.stringify(tags) : undefined,
          minDuration: p.minDuration, maxDuration: p.maxDuration, limit, start: start * 1000, end: end * 1000,
        }, { signal: abort.signal });
        results = (r.data ?? []).map(summaryOfJaegerTrace);
      }
      results.sort((x, y) => y.startMs - x.startMs);
      this.results = results;
      this.selected = this.selected.filter((id) => results.some((r) => r.traceId === id));
    } catch (e) {
      if (e.name === 'AbortError') return;
      this.results = undefined;
      if (p.tab === 'traceql') this.queryError = pointAt(p.q ?? '', e.message); else this.error = e.message;
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }
}
customElements.define('sl-traces-page', TracesPage);

/** Tempo's "parse error at line L, col C" with the query's line and a caret under column C, as compilers show it. */
function pointAt(query, message) {
  const m = /line (\d+), col (\d+)/.exec(message);
  const line = m && query.split('\n')[Number(m[1]) - 1];
  if (line === undefined || line === null) return message;
  return `${message}\n${line}\n${' '.repeat(Math.max(0, Number(m[2]) - 1))}^`;
}
