import { LitElement, html, css } from 'lit';
import { controls } from '../components/styles.js';
import { formatDuration } from '../lib/time.js';
import { logsForSpan, redMetricsOf, traceLink } from './trace-links.js';

/** Everything about one span, as Jaeger's expanded span row: ids, kind, status, attributes, resource, events, links. */
export class SpanDetails extends LitElement {
  static properties = { span: { attribute: false }, trace: { attribute: false } };
  static styles = [controls, css`
    :host { display: block; }
    .head { justify-content: space-between; margin-bottom: 6px; }
    h3 { margin: 0; font-size: 15px; }
    h4 { margin: 10px 0 4px; font-size: 13px; color: var(--fg-muted); }
    .links { gap: 12px; }
    dl { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 12px; margin: 0; font-size: 13px; }
    dt { color: var(--fg-muted); }
    dd { margin: 0; font-family: var(--mono); font-size: 12px; overflow-wrap: anywhere; }
    table { font-size: 13px; }
    td.key { font-family: var(--mono); font-size: 12px; color: var(--fg-muted); width: 30%; }
    td.value { font-family: var(--mono); font-size: 12px; overflow-wrap: anywhere; }
    .status-error { color: var(--error); font-weight: 600; }
    .status-ok { color: var(--ok); }
    .event { border-left: 3px solid var(--border); padding-left: 8px; margin-bottom: 6px; }
    .event.exception { border-left-color: var(--error); }
    .event .when { font-family: var(--mono); font-size: 12px; color: var(--fg-muted); margin-right: 8px; }
  `];

  render() {
    const s = this.span;
    if (!s) return '';
    return html`
      <div class="row head">
        <h3>${s.service}: ${s.name}</h3>
        <span class="row links">
          <a class="logs-span" href=${logsForSpan(this.trace, s)}>Logs for this span</a>
          <a class="red" href=${redMetricsOf(s.service)}>RED metrics of this service</a>
        </span>
      </div>
      <dl>
        <dt>Kind</dt><dd class="kind">${s.kind}</dd>
        <dt>Status</dt><dd class="status status-${s.status.code}">${s.status.code}${s.status.message ? html`: ${s.status.message}` : ''}</dd>
        <dt>Span ID</dt><dd class="span-id">${s.spanId}</dd>
        <dt>Parent ID</dt><dd>${s.parentId || '—'}</dd>
        <dt>Start</dt><dd>+${formatDuration(s.start)}</dd>
        <dt>Duration</dt><dd>${formatDuration(s.duration)}</dd>
        <dt>Trace ID</dt><dd>${s.traceId}</dd>
        <dt>Scope</dt><dd>${s.scope}${s.scopeVersion ? ` ${s.scopeVersion}` : ''}</dd>
      </dl>
      ${this.table('Attributes', 'attributes', s.attributes)}
      ${this.table('Resource', 'resource', s.resource)}
      <section class="events" aria-label="Events">
        <h4>Events (${s.events.length})</h4>
        ${s.events.map((e) => html`
          <div class="event ${e.name === 'exception' ? 'exception' : ''}">
            <div><span class="when" title="after the span's start">+${formatDuration(e.offset)}</span><strong>${e.name}</strong></div>
            ${e.attributes.length ? this.pairs(e.attributes) : ''}
          </div>`)}
      </section>
      <section class="links-section" aria-label="Links">
        <h4>Links (${s.links.length})</h4>
        ${s.links.map((l) => html`
          <div><a href=${traceLink(l.traceId, l.spanId)}>${l.traceId} / ${l.spanId}</a>
            ${l.attributes.length ? this.pairs(l.attributes) : ''}</div>`)}
      </section>
    `;
  }

  table(title, name, pairs) {
    return html`<section class=${name} aria-label=${title}><h4>${title} (${pairs.length})</h4>${this.pairs(pairs)}</section>`;
  }

  pairs(pairs) {
    return html`<table><tbody>${pairs.map(([k, v]) => html`<tr><td class="key">${k}</td><td class="value">${v}</td></tr>`)}</tbody></table>`;
  }
}
customElements.define('sl-span-details', SpanDetails);
