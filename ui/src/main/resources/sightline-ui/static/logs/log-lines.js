import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { controls } from '../components/styles.js';
import { href } from '../lib/router.js';
import { formatTime } from '../lib/time.js';
import { levelVariable } from './log-levels.js';

/**
 * Log lines as Grafana Explore lists them: time, a level colour bar, the line. A click (or Enter) on a line opens its
 * details: stream labels, structured metadata and parsed labels, each with "filter for value" and "filter out value"
 * buttons, which fire `filter` with {name, value, op, kind} (kind: stream | metadata | parsed | labels) for the page
 * to edit its query. A trace_id is a link to its trace, a span_id to that span in it.
 *
 *   .entries  [{key, ms, nanos, line, level, stream, metadata, parsed}]; `labels` instead of the three when they come
 *             uncategorized (live tail)
 */
export class LogLines extends LitElement {
  static properties = { entries: { attribute: false }, open: { state: true } };
  static styles = [controls, css`
    :host { display: block; }
    .entry { border-bottom: 1px solid var(--border); }
    .summary { all: unset; box-sizing: border-box; display: flex; gap: 10px; width: 100%; padding: 2px 6px 2px 0;
      cursor: pointer; font-family: var(--mono); font-size: 13px; line-height: 1.5; }
    .summary:hover { background: var(--bg-hover); }
    .summary:focus-visible { outline: 2px solid var(--focus); outline-offset: -2px; }
    .bar { flex: none; width: 4px; align-self: stretch; border-radius: 1px; }
    time { flex: none; color: var(--fg-muted); white-space: nowrap; }
    .level { flex: none; width: 7ch; overflow: hidden; text-overflow: ellipsis; }
    .text { white-space: pre-wrap; word-break: break-all; }
    .details { padding: 6px 12px 10px 24px; background: var(--bg-panel); }
    .details h3 { font-size: 12px; color: var(--fg-muted); margin: 6px 0 2px; font-weight: 600; }
    .details table { width: auto; }
    .details th, .details td { font-family: var(--mono); font-size: 12px; padding: 2px 8px; }
    .details th { font-weight: normal; color: var(--fg-muted); }
    .details td.actions { white-space: nowrap; padding: 1px 4px; }
    .details td.actions button { padding: 0 6px; font-size: 12px; line-height: 18px; }
  `];

  constructor() {
    super();
    this.entries = [];
    this.open = new Set();
  }

  render() {
    return html`<div role="list" aria-label="Log lines">
      ${repeat(this.entries, (e) => e.key, (e) => this.entry(e))}
    </div>`;
  }

  entry(e) {
    const open = this.open.has(e.key);
    const colour = levelVariable(e.level);
    return html`<div class="entry" role="listitem" data-level=${e.level}>
      <button class="summary" aria-expanded=${open} @click=${() => this.toggle(e.key)}>
        <span class="bar" style="background:${colour}"></span>
        <time datetime=${new Date(e.ms).toISOString()}>${formatTime(e.ms)}.${String(e.ms % 1000).padStart(3, '0')}</time>
        <span class="level" style="color:${e.level === 'unknown' ? 'var(--fg-muted)' : colour}">${e.level}</span>
        <span class="text">${e.line}</span>
      </button>
      ${open ? this.details(e) : ''}
    </div>`;
  }

  details(e) {
    const all = { ...e.labels, ...e.stream, ...e.metadata, ...e.parsed };
    const sections = e.labels
      ? [['Labels', 'labels', e.labels]]
      : [['Stream labels', 'stream', e.stream], ['Structured metadata', 'metadata', e.metadata],
        ['Parsed labels', 'parsed', e.parsed]];
    return html`<div class="details">
      ${sections.filter(([, , labels]) => labels && Object.keys(labels).length).map(([title, kind, labels]) => html`
        <h3>${title}</h3>
        <table class=${kind}>
          ${Object.entries(labels).map(([name, value]) => html`<tr>
            <td class="actions">
              <button title="Filter for value" aria-label="Filter for ${name}=${value}"
                @click=${() => this.filter(name, value, '=', kind)}>⊕</button>
              <button title="Filter out value" aria-label="Filter out ${name}=${value}"
                @click=${() => this.filter(name, value, '!=', kind)}>⊖</button>
            </td>
            <th scope="row">${name}</th>
            <td>${this.value(name, value, all)}</td>
          </tr>`)}
        </table>`)}
    </div>`;
  }

  value(name, value, all) {
    if (name === 'trace_id' && value) return html`<a class="trace-link" href=${href(`/trace/${value}`)}>${value}</a>`;
    if (name === 'span_id' && value && all.trace_id) {
      return html`<a class="span-link" href=${href(`/trace/${all.trace_id}`, { span: value })}>${value}</a>`;
    }
    return value;
  }

  toggle(key) {
    const open = new Set(this.open);
    if (open.has(key)) open.delete(key); else open.add(key);
    this.open = open;
  }

  filter(name, value, op, kind) {
    this.dispatchEvent(new CustomEvent('filter', { detail: { name, value, op, kind }, bubbles: true, composed: true }));
  }
}
customElements.define('sl-log-lines', LogLines);
