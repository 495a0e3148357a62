import { LitElement, html, css } from 'lit';
import { controls } from '../components/styles.js';
import '../components/status.js';
import { tempo } from '../lib/api.js';
import { href, setParams } from '../lib/router.js';
import { formatDuration, formatTime } from '../lib/time.js';
import { buildTrace, criticalPath, serviceColours } from './trace-model.js';
import { logsForTrace, redMetricsOf } from './trace-links.js';
import './trace-waterfall.js';

/**
 * One trace, as the Jaeger UI shows it: a header with what the trace is, and the waterfall. `?span=` selects a span
 * and `?cp=1` turns the critical path on, so both survive a shared link.
 */
export class TracePage extends LitElement {
  static properties = {
    params: { attribute: false }, routeArgs: { attribute: false },
    trace: { state: true }, loading: { state: true }, error: { state: true }, notFound: { state: true },
  };
  static styles = [controls, css`
    :host { display: flex; flex-direction: column; gap: var(--gap); }
    header { display: flex; flex-direction: column; gap: 6px; }
    h1 { font-size: 18px; margin: 0; }
    h1 .id { font-family: var(--mono); font-size: 13px; color: var(--fg-muted); font-weight: 400; margin-left: 8px; }
    dl { display: flex; gap: 20px; margin: 0; flex-wrap: wrap; }
    dl div { display: flex; gap: 6px; align-items: baseline; }
    dt { color: var(--fg-muted); font-size: 12px; }
    dd { margin: 0; font-weight: 600; }
    .svc { display: inline-flex; align-items: center; gap: 4px; margin-right: 10px; font-weight: 400; }
    .svc i { width: 10px; height: 10px; border-radius: 2px; display: inline-block; }
    .errors { color: var(--error); }
    .actions { gap: 12px; }
    button[aria-pressed="true"] { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
    .not-found { padding: 24px; text-align: center; }
    .not-found h2 { margin: 0 0 8px; font-size: 16px; }
  `];

  willUpdate(changed) {
    const id = this.routeArgs?.id;
    if (changed.has('routeArgs') && id !== this.loadedId) this.load(id);
  }

  async load(id) {
    this.loadedId = id;
    this.trace = undefined;
    this.error = '';
    this.notFound = false;
    this.loading = true;
    try {
      const json = await tempo.trace(id);
      if (this.loadedId !== id) return;
      this.trace = buildTrace(json);
      if (!this.trace) this.notFound = true;
    } catch (e) {
      if (this.loadedId !== id) return;
      if (e.status === 404) this.notFound = true; else this.error = e.message;
    } finally {
      if (this.loadedId === id) this.loading = false;
    }
  }

  render() {
    const id = this.routeArgs?.id ?? '';
    if (this.loading) return html`<sl-loading>Loading trace ${id}…</sl-loading>`;
    if (this.notFound) {
      return html`<div class="panel not-found" role="alert">
        <h2>Trace not found</h2>
        <p>No trace with id <span class="mono">${id}</span> is stored (it may be older than the retention, or not sent yet).</p>
        <a href=${href('/traces')}>Search traces</a>
      </div>`;
    }
    if (this.error) return html`<sl-error .message=${this.error}></sl-error>`;
    const t = this.trace;
    if (!t) return '';
    const p = this.params ?? {};
    const critical = p.cp === '1';
    const colours = serviceColours(t.services);
    const onPath = critical ? new Set(criticalPath(t).map((s) => s.spanId)).size : 0;
    return html`
      <header class="panel">
        <h1>${t.root.service}: ${t.root.name}<span class="id">${t.traceId}</span></h1>
        <dl>
          <div><dt>Start</dt><dd class="start">${formatTime(t.startMs)}</dd></div>
          <div><dt>Duration</dt><dd class="duration">${formatDuration(t.duration)}</dd></div>
          <div><dt>Spans</dt><dd class="span-count">${t.spans.length}</dd></div>
          <div><dt>Errors</dt><dd class=${t.errorCount ? 'errors' : ''}>${t.errorCount}</dd></div>
          <div><dt>Services</dt><dd class="services">${t.services.map((s) => html`
            <span class="svc"><i style="background:${colours.get(s)}"></i>${s}</span>`)}</dd></div>
        </dl>
        <div class="row actions">
          <button class="critical-path" aria-pressed=${critical} title="Highlight the spans the trace's duration waits on"
            @click=${() => setParams({ cp: critical ? '' : '1' })}>Critical path</button>
          ${critical ? html`<span class="muted cp-summary">${onPath} of ${t.spans.length} spans on the critical path</span>` : ''}
          <a class="logs-trace" href=${logsForTrace(t)}>Logs for this trace</a>
          <a class="red-root" href=${redMetricsOf(t.root.service)}>RED metrics of ${t.root.service}</a>
          <a class="compare" href=${href('/compare', { a: t.traceId })}>Compare with another trace</a>
        </div>
      </header>
      <sl-trace-waterfall .trace=${t} .selected=${p.span ?? ''} ?showCritical=${critical}
        @span-select=${(e) => setParams({ span: e.detail.spanId }, { push: true })}></sl-trace-waterfall>
    `;
  }
}
customElements.define('sl-trace-page', TracePage);
