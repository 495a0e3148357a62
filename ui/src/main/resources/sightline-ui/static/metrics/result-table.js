import { LitElement, html, css } from 'lit';
import { controls } from '../components/styles.js';
import { seriesName } from '../components/graph.js';
import { formatTime } from '../lib/time.js';

/**
 * The Table tab: an instant query's result as Prometheus' table shows it, one row per series. `.result` is the
 * API's `data` ({resultType, result}); `.columns` puts each label in a column of its own instead of name{...}.
 */
export class ResultTable extends LitElement {
  static properties = { result: { attribute: false }, columns: { type: Boolean } };
  static styles = [controls, css`
    :host { display: block; overflow: auto; }
    td.value, th.value { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.series { font-family: var(--mono); font-size: 13px; word-break: break-all; }
    .samples { font-family: var(--mono); font-size: 13px; white-space: pre; text-align: right; }
    .empty { color: var(--fg-muted); padding: 24px; text-align: center; }
  `];

  render() {
    const { resultType, result } = this.result ?? {};
    if (resultType === 'scalar' || resultType === 'string') {
      return html`<table aria-label="Result"><thead><tr><th>Type</th><th class="value">Value</th></tr></thead>
        <tbody><tr><td class="series">${resultType}</td>
          <td class="value" title=${result[1]}>${resultType === 'string' ? result[1] : formatNumber(result[1])}</td></tr></tbody>
      </table>`;
    }
    if (!result?.length) return html`<div class="empty">Empty result</div>`;
    const labels = this.columns ? labelColumns(result) : [];
    return html`<table aria-label="Result">
      <thead><tr>
        ${this.columns ? labels.map((l) => html`<th>${l}</th>`) : html`<th>Series</th>`}
        <th class="value">${resultType === 'matrix' ? 'Samples' : 'Value'}</th>
      </tr></thead>
      <tbody>${result.map((s) => html`<tr>
        ${this.columns ? labels.map((l) => html`<td class="series">${s.metric[l] ?? ''}</td>`)
          : html`<td class="series">${seriesName(s.metric)}</td>`}
        ${resultType === 'matrix'
          ? html`<td class="samples">${s.values.map(([t, v]) => `${formatNumber(v)} @ ${formatTime(t * 1000)}`).join('\n')}</td>`
          : html`<td class="value" title=${s.value[1]}>${formatNumber(s.value[1])}</td>`}
      </tr>`)}</tbody>
    </table>`;
  }
}
customElements.define('sl-result-table', ResultTable);

/** The labels of all rows, the metric name first, so rows line up. */
function labelColumns(result) {
  const names = new Set();
  for (const s of result) for (const k of Object.keys(s.metric)) names.add(k);
  return [...names].sort((a, b) => (a === '__name__' ? -1 : b === '__name__' ? 1 : a.localeCompare(b)));
}

/** A sample value as the API sent it, grouped in thousands and with at most six decimals: 214,531,072 or 0.254167. */
export function formatNumber(text) {
  const v = Number(text);
  if (!Number.isFinite(v)) return String(text);
  if (v !== 0 && Math.abs(v) < 1e-6) return v.toExponential(3);
  return v.toLocaleString('en-US', { maximumFractionDigits: 6 });
}
