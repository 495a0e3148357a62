import { LitElement, html, css } from 'lit';
import { controls } from '../components/styles.js';
import '../components/status.js';
import { tempo } from '../lib/api.js';
import { href, setParams } from '../lib/router.js';
import { formatDuration, formatTime } from '../lib/time.js';
import { buildTrace } from './trace-model.js';
import { diffTraces, flatten } from './trace-diff.js';

const CHANGE_LABEL = {
  'only-a': 'only in A', 'only-b': 'only in B', count: 'different counts', errors: 'different errors', same: 'same',
};

/** Two traces side by side and their structural difference (Jaeger's trace diff); `?a=&b=` are the trace ids. */
export class TraceCompare extends LitElement {
  static properties = {
    params: { attribute: false }, routeArgs: { attribute: false },
    sides: { state: true }, draftA: { state: true }, draftB: { state: true },
  };
  static styles = [controls, css`
    :host { display: flex; flex-direction: column; gap: var(--gap); }
    form { display: flex; gap: var(--gap); align-items: flex-end; flex-wrap: wrap; }
    label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--fg-muted); }
    label input { width: 300px; font-family: var(--mono); font-size: 13px; }
    .sides { display: grid; grid-template-columns: 1fr 1fr; gap: var(--gap); }
    .side h2 { margin: 0 0 4px; font-size: 15px; }
    .side .tag { font-family: var(--mono); font-weight: 700; margin-right: 6px; }
    .errors { color: var(--error); font-weight: 600; }
    td.num { font-family: var(--mono); text-align: right; width: 90px; }
    tr.only-a td:first-child { box-shadow: inset 4px 0 0 var(--error); }
    tr.only-b td:first-child { box-shadow: inset 4px 0 0 var(--ok); }
    tr.count td:first-child, tr.errors td:first-child { box-shadow: inset 4px 0 0 var(--warn); }
    tr.only-a { background: var(--error-bg); }
    .change { font-size: 12px; }
    tr.only-a .change, .err-diff { color: var(--error); }
    tr.only-b .change { color: var(--ok); }
    tr.count .change, tr.errors .change { color: var(--warn); font-weight: 600; }
    .legend { gap: 16px; font-size: 12px; }
  `];

  constructor() {
    super();
    this.sides = {};
  }

  willUpdate(changed) {
    if (!changed.has('params')) return;
    const { a = '', b = '' } = this.params ?? {};
    this.draftA = a;
    this.draftB = b;
    for (const [side, id] of [['a', a], ['b', b]]) {
      if (this.sides[side]?.id !== id) this.load(side, id);
    }
  }

  async load(side, id) {
    this.sides = { ...this.sides, [side]: { id, loading: !!id } };
    if (!id) return;
    let result;
    try {
      const trace = buildTrace(await tempo.trace(id));
      result = trace ? { id, trace } : { id, error: `Trace ${id} not found` };
    } catch (e) {
      result = { id, error: e.status === 404 ? `Trace ${id} not found` : e.message };
    }
    if (this.sides[side]?.id === id) this.sides = { ...this.sides, [side]: result };
  }

  render() {
    const { a, b } = this.sides;
    return html`
      <form class="panel" @submit=${(e) => { e.preventDefault(); setParams({ a: this.draftA.trim(), b: this.draftB.trim() }, { push: true }); }}>
        <label>Trace A<input name="a" placeholder="trace id" .value=${this.draftA ?? ''} @input=${(e) => (this.draftA = e.target.value)}></label>
        <label>Trace B<input name="b" placeholder="trace id" .value=${this.draftB ?? ''} @input=${(e) => (this.draftB = e.target.value)}></label>
        <button class="primary" type="submit">Compare</button>
        <a href=${href('/traces')}>Find traces</a>
      </form>
      <div class="sides">${this.renderSide('A', a)}${this.renderSide('B', b)}</div>
      ${a?.trace && b?.trace ? this.renderDiff(a.trace, b.trace) : ''}
    `;
  }

  renderSide(label, side) {
    const cls = `panel side side-${label.toLowerCase()}`;
    if (!side?.id) return html`<div class="${cls} muted">Enter the id of trace ${label}.</div>`;
    if (side.loading) return html`<div class=${cls}><sl-loading>Loading trace ${label}…</sl-loading></div>`;
    if (side.error) return html`<div class=${cls}><sl-error .message=${side.error}></sl-error></div>`;
    const t = side.trace;
    return html`
      <section class=${cls} aria-label="Trace ${label}">
        <h2><span class="tag">${label}</span><a href=${href(`/trace/${t.traceId}`)}>${t.root.service}: ${t.root.name}</a></h2>
        <div class="mono muted">${t.traceId}</div>
        <div class="row">
          <span>${formatTime(t.startMs)}</span><span>${formatDuration(t.duration)}</span>
          <span class="span-count">${t.spans.length} spans</span>
          <span class=${t.errorCount ? 'errors' : 'muted'}>${t.errorCount} ${t.errorCount === 1 ? 'error' : 'errors'}</span>
        </div>
      </section>`;
  }

  renderDiff(a, b) {
    const rows = flatten(diffTraces(a, b));
    const changed = rows.filter((r) => r.change !== 'same').length;
    return html`
      <section class="panel diff" aria-label="Differences">
        <div class="row legend">
          <strong class="diff-summary">${changed === 0 ? 'No structural differences' : `${changed} of ${rows.length} nodes differ`}</strong>
          <span class="err-diff">▌only in A</span><span style="color:var(--ok)">▌only in B</span>
          <span style="color:var(--warn)">▌different counts or errors</span>
        </div>
        <table>
          <thead><tr><th>Service: operation</th><th class="num">A spans</th><th class="num">B spans</th>
            <th class="num">A errors</th><th class="num">B errors</th><th class="num">A time</th><th class="num">B time</th><th>Change</th></tr></thead>
          <tbody>
            ${rows.map((r) => html`
              <tr class="node ${r.change}" data-change=${r.change}>
                <td style="padding-left:${8 + r.depth * 16}px"><strong>${r.service}</strong>: ${r.name}</td>
                <td class="num">${r.a}</td><td class="num">${r.b}</td>
                <td class="num ${r.errorsA ? 'errors' : ''}">${r.errorsA}</td><td class="num ${r.errorsB ? 'errors' : ''}">${r.errorsB}</td>
                <td class="num">${r.a ? formatDuration(r.durationA / r.a) : '—'}</td>
                <td class="num">${r.b ? formatDuration(r.durationB / r.b) : '—'}</td>
                <td class="change">${CHANGE_LABEL[r.change]}</td>
              </tr>`)}
          </tbody>
        </table>
      </section>`;
  }
}
customElements.define('sl-trace-compare', TraceCompare);
