import { LitElement, html, css } from 'lit';
import { controls } from '../components/styles.js';
import '../components/graph.js';
import '../components/query-editor.js';
import '../components/status.js';
import '../components/time-picker.js';
import { ApiError, loki } from '../lib/api.js';
import { setParams } from '../lib/router.js';
import { rangeOf, resolveRange, stepSeconds } from '../lib/time.js';
import { LEVEL_ORDER, levelColor, levelOf } from './log-levels.js';
import { compareNanos, LiveTail } from './live-tail.js';
import { logqlCompletion } from './logql-completion.js';
import { isLogQuery, volumeQuery, volumeStep, withLabelFilter, withStreamMatcher } from './logql-query.js';
import './log-lines.js';

const LIMITS = [100, 500, 1000, 5000];
const DEFAULT_LIMIT = 100;
/** Lines a live tail keeps; older ones leave the page as new ones arrive. */
export const LIVE_CAP = 1000;
const REFRESH_MS = { '5s': 5e3, '10s': 10e3, '30s': 30e3, '1m': 60e3, '5m': 300e3 };

/**
 * Explore for logs: a LogQL editor, the time range, and below them the result. A log query shows Grafana's logs
 * volume (lines per level over the range, drag to zoom) and the lines; a metric query shows a graph; "Live" tails
 * the query over a WebSocket. All of it is in the URL: query, from, to, limit, direction, live (and refresh).
 */
export class LogsPage extends LitElement {
  static properties = {
    params: { attribute: false }, routeArgs: { attribute: false },
    draft: { state: true }, loading: { state: true }, queryError: { state: true }, entries: { state: true },
    volume: { state: true }, volumeError: { state: true }, volumeLoading: { state: true }, series: { state: true },
    range: { state: true }, live: { state: true },
  };
  static styles = [controls, css`
    :host { display: flex; flex-direction: column; gap: var(--gap); }
    .toolbar { justify-content: space-between; }
    .toolbar .row { gap: 6px; }
    label { display: inline-flex; align-items: center; gap: 4px; color: var(--fg-muted); font-size: 13px; }
    h2 { font-size: 13px; margin: 0 0 4px; color: var(--fg-muted); font-weight: 600; display: flex; gap: 8px;
      align-items: center; }
    .hint { color: var(--fg-muted); padding: 16px; }
    button.live[aria-pressed="true"] { background: var(--ok); color: var(--bg); border-color: var(--ok); }
    .live-status { font-size: 13px; }
  `];

  constructor() {
    super();
    this.params = {};
    this.draft = '';
    this.entries = [];
    this.volume = [];
    this.series = undefined;
    this.live = undefined;
    this.complete = logqlCompletion(() => resolveRange(rangeOf(this.params)));
    this.onTheme = () => { this.volume = this.volume.map((s) => ({ ...s, color: levelColor(s.name) })); };
  }

  connectedCallback() {
    super.connectedCallback();
    addEventListener('sl-theme-change', this.onTheme);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('sl-theme-change', this.onTheme);
    this.controller?.abort();
    this.stopTail();
    clearInterval(this.refreshTimer);
    this.lastKey = undefined;
    this.lastTailKey = undefined;
  }

  get query() { return this.params.query ?? ''; }
  get limit() { return Number(this.params.limit) || DEFAULT_LIMIT; }
  get direction() { return this.params.direction === 'forward' ? 'forward' : 'backward'; }
  get isLive() { return this.params.live === '1' || this.params.live === 'true'; }

  willUpdate(changed) {
    if (!changed.has('params')) return;
    if (this.params.query !== this.urlQuery) {
      this.urlQuery = this.params.query;
      this.draft = this.query;
    }
    const { from, to } = rangeOf(this.params);
    const key = JSON.stringify([this.query, from, to, this.limit, this.direction, this.isLive]);
    if (key !== this.lastKey) {
      this.lastKey = key;
      queueMicrotask(() => (this.isLive ? this.startTail() : this.run()));
    }
    this.schedule(this.params.refresh);
  }

  render() {
    const range = rangeOf(this.params);
    return html`
      <div class="row toolbar">
        <div class="row">
          <label>Line limit
            <select class="limit" .value=${String(this.limit)}
              @change=${(e) => setParams({ limit: e.target.value }, { push: true })}>
              ${[...new Set([...LIMITS, this.limit])].map((n) => html`<option value=${n} ?selected=${n === this.limit}>${n}</option>`)}
            </select>
          </label>
          <label>Order
            <select class="direction" .value=${this.direction}
              @change=${(e) => setParams({ direction: e.target.value === 'forward' ? 'forward' : '' }, { push: true })}>
              <option value="backward" ?selected=${this.direction === 'backward'}>Newest first</option>
              <option value="forward" ?selected=${this.direction === 'forward'}>Oldest first</option>
            </select>
          </label>
        </div>
        <div class="row">
          <sl-time-picker .from=${range.from} .to=${range.to} .refresh=${this.params.refresh ?? ''}
            @range-change=${(e) => setParams({ from: e.detail.from, to: e.detail.to }, { push: true })}
            @refresh-change=${(e) => setParams({ refresh: e.detail.refresh })}></sl-time-picker>
          <button class="primary run" @click=${() => this.submit()} title="Run query (Enter)">Run query</button>
          <button class="live" aria-pressed=${this.isLive} title="Tail the query as lines arrive"
            @click=${() => setParams({ live: this.isLive ? '' : '1' }, { push: true })}>
            ${this.isLive ? '■ Stop live' : '▶ Live'}</button>
        </div>
      </div>
      <sl-query-editor label="LogQL query" placeholder='{service_name="checkout"} |= "error"   (Enter runs, Ctrl+Space completes)'
        .value=${this.draft} .error=${this.queryError} .complete=${this.complete}
        @query-input=${(e) => (this.draft = e.detail.value)} @run=${(e) => this.submit(e.detail.value)}></sl-query-editor>
      ${this.isLive ? this.renderLive() : this.renderResult()}
    `;
  }

  renderResult() {
    if (!this.query.trim()) {
      return html`<div class="hint">Pick a stream: type <code>{</code> for its labels, or Ctrl+Space.</div>`;
    }
    if (this.queryError) return ''; // the editor shows it, in the server's words
    if (!isLogQuery(this.query)) {
      return html`<section class="panel metric" aria-label="Graph">
        <h2>Graph ${this.loading ? html`<sl-loading></sl-loading>` : ''}</h2>
        ${this.series ? html`<sl-graph .series=${this.series} .range=${this.range} @zoom=${this.zoom}></sl-graph>` : ''}
      </section>`;
    }
    return html`
      <section class="panel volume" aria-label="Logs volume">
        <h2>Logs volume ${this.volumeLoading ? html`<sl-loading></sl-loading>` : ''}</h2>
        ${this.volumeError ? html`<sl-error .message=${this.volumeError}></sl-error>`
          : html`<sl-graph kind="bars" stacked height="110" .series=${this.volume} .range=${this.range}
            @zoom=${this.zoom}></sl-graph>`}
      </section>
      <section class="panel lines" aria-label="Logs">
        <h2>Logs ${this.loading ? html`<sl-loading></sl-loading>`
          : html`<span class="count">${this.entries.length} ${this.entries.length === 1 ? 'line' : 'lines'}${
            this.entries.length >= this.limit ? ` (the line limit; raise it to see more)` : ''}</span>`}</h2>
        ${!this.loading && !this.entries.length && !this.queryError ? html`<div class="hint">No lines in this range.</div>` : ''}
        <sl-log-lines .entries=${this.entries} @filter=${this.filter}></sl-log-lines>
      </section>`;
  }

  renderLive() {
    const live = this.live ?? { state: 'connecting', entries: [], paused: false, pending: [] };
    const failed = !['connecting', 'live', 'closed'].includes(live.state);
    return html`<section class="panel lines" aria-label="Live logs">
      <h2>
        <span class="live-status" role="status">${failed ? '' : live.paused ? 'Paused'
          : live.state === 'live' ? 'Live: new lines appear at the top' : live.state === 'closed' ? 'Tail closed' : 'Connecting…'}</span>
        <span class="count">${live.entries.length} ${live.entries.length === 1 ? 'line' : 'lines'}</span>
        <button class="pause" @click=${() => this.togglePause()}>${live.paused
          ? `Resume${live.pending.length ? ` (${live.pending.length} new)` : ''}` : 'Pause'}</button>
        <button class="stop" @click=${() => setParams({ live: '' }, { push: true })}>Stop</button>
      </h2>
      ${failed ? html`<sl-error .message=${live.state}></sl-error>` : ''}
      <sl-log-lines .entries=${live.entries} @filter=${this.filter}></sl-log-lines>
    </section>`;
  }

  /** Enter or "Run query": the typed query goes to the URL, which runs it; the same query again runs once more. */
  submit(value = this.draft) {
    this.draft = value;
    if (value === this.query) {
      if (this.isLive) this.startTail(); else this.run();
    } else {
      setParams({ query: value }, { push: true });
    }
  }

  async run() {
    this.stopTail();
    this.controller?.abort(); // a newer query makes the older answer useless
    const controller = new AbortController();
    this.controller = controller;
    const signal = controller.signal;
    const query = this.query;
    const { start, end } = resolveRange(rangeOf(this.params));
    this.range = { start, end };
    this.queryError = '';
    if (!query.trim()) {
      this.entries = [];
      this.series = undefined;
      return;
    }
    this.loading = true;
    try {
      if (isLogQuery(query)) {
        await Promise.all([this.runLines(query, start, end, signal), this.runVolume(query, start, end, signal)]);
      } else {
        const step = stepSeconds(start, end, this.getBoundingClientRect().width || 1000);
        const r = await loki.queryRange(query, start, end, { step }, { signal });
        this.series = (r.data?.result ?? []).map((s) => ({
          labels: s.metric, points: (s.values ?? []).map(([t, v]) => [t * 1000, Number(v)]),
        }));
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
      this.queryError = e instanceof ApiError ? e.message : String(e);
      this.entries = [];
      this.series = undefined;
    } finally {
      if (this.controller === controller) this.loading = false;
    }
  }

  async runLines(query, start, end, signal) {
    const r = await loki.queryRange(query, start, end,
      { limit: this.limit, direction: this.direction, categorize: true }, { signal });
    const entries = [];
    const keys = new Set();
    (r.data?.result ?? []).forEach((s) => (s.values ?? []).forEach(([nanos, line, extra]) => {
      // A key from what the entry is, so a line stays open when a filter or a refresh keeps it in the result.
      let key = `${nanos} ${JSON.stringify(s.stream)} ${line}`;
      while (keys.has(key)) key += '+';
      keys.add(key);
      const entry = { key, nanos, ms: Number(BigInt(nanos) / 1000000n), line, stream: s.stream,
        metadata: extra?.structuredMetadata ?? {}, parsed: extra?.parsed ?? {} };
      entry.level = levelOf(entry);
      entries.push(entry);
    }));
    const sign = this.direction === 'forward' ? 1 : -1;
    entries.sort((a, b) => sign * compareNanos(a.nanos, b.nanos));
    this.entries = entries;
  }

  /** The volume is a second query; if it fails the lines still show, with its error where the bars would be. */
  async runVolume(query, start, end, signal) {
    const step = volumeStep(start, end);
    this.volumeError = '';
    this.volumeLoading = true;
    try {
      const r = await loki.queryRange(volumeQuery(query, `${step}s`), start, end, { step }, { signal });
      const rank = (level) => { const i = LEVEL_ORDER.indexOf(level); return i < 0 ? LEVEL_ORDER.length : i; };
      this.volume = (r.data?.result ?? [])
        .map((s) => {
          const level = s.metric?.detected_level || 'unknown';
          return { name: level, labels: s.metric, color: levelColor(level),
            points: (s.values ?? []).map(([t, v]) => [t * 1000, Number(v)]) };
        })
        .sort((a, b) => rank(a.name) - rank(b.name));
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      this.volume = [];
      this.volumeError = `logs volume: ${e.message}`;
    } finally {
      this.volumeLoading = false;
    }
  }

  zoom(e) {
    setParams({ from: String(e.detail.start), to: String(e.detail.end) }, { push: true });
  }

  /** "Filter for/out value": a stream label goes into the selector, anything else becomes a label filter. */
  filter(e) {
    const { name, value, op, kind } = e.detail;
    const query = kind === 'stream' ? withStreamMatcher(this.query, name, value, op)
      : withLabelFilter(this.query, name, value, op);
    setParams({ query }, { push: true });
  }

  startTail() {
    this.stopTail();
    this.controller?.abort();
    this.loading = false;
    this.queryError = '';
    if (!isLogQuery(this.query)) {
      this.queryError = 'Live tailing needs a log query (one that starts with its {stream selector}).';
      return;
    }
    const session = { state: 'connecting', entries: [], paused: false, pending: [] };
    // Callbacks of a tail that was stopped or replaced change nothing.
    const update = (change) => {
      if (this.session !== session) return;
      Object.assign(session, change);
      this.live = { ...session };
    };
    this.session = session;
    this.live = { ...session };
    this.tail = new LiveTail(this.query, {
      limit: this.limit,
      onState: (state) => update({ state }),
      onEntries: (entries) => {
        for (const entry of entries) entry.level = levelOf({ stream: entry.labels });
        const target = session.paused ? 'pending' : 'entries';
        // Newest at the top; the cap keeps a long tail from growing the page without end.
        update({ [target]: [...entries.reverse(), ...session[target]].slice(0, LIVE_CAP) });
      },
    });
  }

  togglePause() {
    const s = this.session;
    if (!s) return;
    this.live = { ...Object.assign(s, s.paused
      ? { paused: false, entries: [...s.pending, ...s.entries].slice(0, LIVE_CAP), pending: [] }
      : { paused: true }) };
  }

  stopTail() {
    this.tail?.stop();
    this.tail = undefined;
    this.session = undefined;
    this.live = undefined;
  }

  /** Auto-refresh re-runs the query (a relative range moves with it); a live tail needs none. */
  schedule(refresh) {
    if (refresh === this.refreshEvery) return;
    this.refreshEvery = refresh;
    clearInterval(this.refreshTimer);
    const ms = REFRESH_MS[refresh];
    if (ms) this.refreshTimer = setInterval(() => { if (!this.isLive) this.run(); }, ms);
  }
}
customElements.define('sl-logs-page', LogsPage);
