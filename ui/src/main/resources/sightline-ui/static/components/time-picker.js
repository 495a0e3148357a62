import { LitElement, html, css } from 'lit';
import { controls } from './styles.js';
import { PRESETS, describeRange, formatTime, parseTime, resolveRange } from '../lib/time.js';

// Drawn, not a glyph: an emoji clock shows as an empty box where no emoji font is installed.
const CLOCK = html`<svg class="clock" viewBox="0 0 16 16" width="13" height="13" aria-hidden="true"><circle cx="8" cy="8"
  r="6.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M8 4.5V8l2.5 1.5" fill="none"
  stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>`;

const REFRESH = [['', 'Off'], ['5s', '5s'], ['10s', '10s'], ['30s', '30s'], ['1m', '1m'], ['5m', '5m']];

/**
 * The range picker Grafana users know: presets, absolute from/to (any of "now-2h", an ISO date, epoch ms) and an
 * auto-refresh interval. Fires `range-change` with {from, to} and `refresh-change` with {refresh}; the page owns the
 * state (in the URL) and passes it back in.
 */
export class TimePicker extends LitElement {
  static properties = {
    from: {}, to: {}, refresh: {},
    open: { state: true }, draftFrom: { state: true }, draftTo: { state: true }, invalid: { state: true },
  };
  static styles = [controls, css`
    :host { position: relative; display: inline-flex; gap: 4px; }
    .menu { position: absolute; right: 0; top: 100%; margin-top: 4px; z-index: 20; display: flex; gap: 16px;
      background: var(--bg-panel); border: 1px solid var(--border); border-radius: var(--radius); padding: 12px;
      box-shadow: 0 4px 16px #0003; }
    .presets { display: flex; flex-direction: column; min-width: 150px; }
    .presets button { border: none; text-align: left; background: none; }
    .presets button[aria-pressed="true"] { color: var(--accent); font-weight: 600; }
    label { display: flex; flex-direction: column; gap: 2px; margin-bottom: 8px; font-size: 12px; color: var(--fg-muted); }
    .clock { vertical-align: -2px; }
    .abs { display: flex; flex-direction: column; min-width: 220px; }
  `];

  constructor() {
    super();
    this.from = 'now-1h';
    this.to = 'now';
    this.refresh = '';
    this.open = false;
  }

  render() {
    return html`
      <button class="range" aria-haspopup="true" aria-expanded=${this.open} title="Time range"
        @click=${this.toggle}>${CLOCK} ${describeRange({ from: this.from, to: this.to })}</button>
      <button class="zoom-out" title="Zoom out (twice the range)" @click=${this.zoomOut}>⊖</button>
      <select class="refresh" title="Auto refresh" aria-label="Auto refresh" .value=${this.refresh ?? ''}
        @change=${(e) => this.emit('refresh-change', { refresh: e.target.value })}>
        ${REFRESH.map(([v, label]) => html`<option value=${v} ?selected=${v === (this.refresh ?? '')}>${label}</option>`)}
      </select>
      ${this.open ? html`
        <div class="menu" @keydown=${(e) => e.key === 'Escape' && (this.open = false)}>
          <div class="abs">
            <label>From <input name="from" .value=${this.draftFrom} @input=${(e) => (this.draftFrom = e.target.value)}></label>
            <label>To <input name="to" .value=${this.draftTo} @input=${(e) => (this.draftTo = e.target.value)}
              @keydown=${(e) => e.key === 'Enter' && this.applyAbsolute()}></label>
            ${this.invalid ? html`<sl-error .message=${this.invalid}></sl-error>` : ''}
            <button class="primary apply" @click=${this.applyAbsolute}>Apply time range</button>
          </div>
          <div class="presets" role="menu">
            ${PRESETS.map(([from, label]) => html`
              <button role="menuitem" aria-pressed=${from === this.from && this.to === 'now'}
                @click=${() => this.pick(from, 'now')}>${label}</button>`)}
          </div>
        </div>` : ''}
    `;
  }

  toggle() {
    this.open = !this.open;
    if (this.open) {
      const { start, end } = resolveRange({ from: this.from, to: this.to });
      this.draftFrom = this.from.startsWith('now') ? this.from : formatTime(start);
      this.draftTo = this.to.startsWith('now') ? this.to : formatTime(end);
      this.invalid = '';
      this.updateComplete.then(() => this.renderRoot.querySelector('.presets button')?.focus());
    }
  }

  applyAbsolute() {
    const from = this.normalize(this.draftFrom);
    const to = this.normalize(this.draftTo);
    if (from === null || to === null) { this.invalid = 'Use now-1h, 2026-12-03 10:00 or epoch milliseconds'; return; }
    if (parseTime(from) >= parseTime(to)) { this.invalid = '"From" must be before "To"'; return; }
    this.pick(from, to);
  }

  normalize(text) {
    const s = text.trim();
    if (/^now(-\d+(\.\d+)?(ms|s|m|h|d|w|y))?$/.test(s)) return s;
    const ms = parseTime(s.replace(' ', 'T'));
    return Number.isNaN(ms) ? null : String(ms);
  }

  pick(from, to) {
    this.open = false;
    this.emit('range-change', { from, to });
  }

  zoomOut() {
    const { start, end } = resolveRange({ from: this.from, to: this.to });
    const half = (end - start) / 2;
    const now = Date.now();
    this.emit('range-change', { from: String(Math.round(start - half)), to: String(Math.round(Math.min(now, end + half))) });
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
customElements.define('sl-time-picker', TimePicker);
