import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { controls } from '../components/styles.js';
import { formatDuration } from '../lib/time.js';
import { criticalPath, serviceColours } from './trace-model.js';
import './span-details.js';

const TICKS = 5;

/**
 * The waterfall: one row per span in tree order, its name indented under its parent and its bar placed on the
 * trace's time axis. Subtrees collapse; the selected span's details open under its row. The tree is one tab stop
 * (roving tabindex): arrows move and fold, Enter opens the details. Fires `span-select` with {spanId} ('' closes).
 */
export class TraceWaterfall extends LitElement {
  static properties = {
    trace: { attribute: false }, selected: {}, showCritical: { type: Boolean },
    collapsed: { state: true }, focusId: { state: true },
  };
  static styles = [controls, css`
    :host { display: block; }
    .tools { margin-bottom: 6px; }
    .grid { border: 1px solid var(--border); border-radius: var(--radius); background: var(--bg-panel); }
    .line { display: grid; grid-template-columns: minmax(280px, 32%) 1fr; align-items: stretch; }
    .ruler { border-bottom: 1px solid var(--border); font-size: 11px; color: var(--fg-muted); height: 22px; }
    .ruler .label { padding: 3px 8px; }
    .axis { position: relative; }
    .tick { position: absolute; top: 0; bottom: 0; border-left: 1px solid var(--border); padding: 3px 4px;
      white-space: nowrap; }
    .tick.last { transform: translateX(-100%); border-left: none; border-right: 1px solid var(--border); }
    [role="treeitem"] { cursor: pointer; border-bottom: 1px solid var(--border); outline: none; }
    [role="treeitem"]:hover { background: var(--bg-hover); }
    [role="treeitem"][aria-selected="true"] { background: var(--bg-hover); box-shadow: inset 3px 0 0 var(--accent); }
    [role="treeitem"]:focus-visible { box-shadow: inset 0 0 0 2px var(--focus); }
    .name { display: flex; align-items: center; gap: 4px; padding: 2px 6px; min-width: 0; white-space: nowrap;
      border-right: 1px solid var(--border); font-size: 13px; }
    .name .svc { font-weight: 600; }
    .name .op { overflow: hidden; text-overflow: ellipsis; color: var(--fg-muted); }
    .swatch { width: 4px; align-self: stretch; border-radius: 2px; flex: none; }
    .toggle { border: none; background: none; padding: 0 2px; width: 18px; color: var(--fg-muted); flex: none; }
    .spacer { width: 18px; flex: none; }
    .err { color: var(--error); font-weight: 700; }
    .timeline { position: relative; height: 24px; }
    .bar { position: absolute; top: 6px; height: 12px; min-width: 1px; border-radius: 2px; opacity: 0.85; }
    .bar.error { outline: 2px solid var(--error); }
    .dur { position: absolute; top: 4px; font-size: 11px; color: var(--fg-muted); white-space: nowrap; padding: 0 4px; }
    .cp { position: absolute; top: 10px; height: 4px; background: var(--fg); border-radius: 1px; }
    .critical .op { color: var(--fg); }
    .dim .bar { opacity: 0.35; }
    .details { border-bottom: 1px solid var(--border); padding: 10px 12px; background: var(--bg); }
    .hint { font-size: 12px; }
  `];

  constructor() {
    super();
    this.collapsed = new Set();
  }

  willUpdate(changed) {
    if (changed.has('trace') && this.trace) {
      this.colours = serviceColours(this.trace.services);
      this.collapsed = new Set();
      this.focusId = this.trace.spans[0]?.spanId;
    }
    if ((changed.has('trace') || changed.has('showCritical')) && this.trace) {
      this.segments = this.showCritical ? criticalPath(this.trace) : [];
      this.onPath = new Set(this.segments.map((s) => s.spanId));
    }
    if (changed.has('selected') && this.selected && this.trace?.byId.has(this.selected)) {
      // A span selected from the URL must be visible: unfold its ancestors.
      const open = new Set(this.collapsed);
      for (let p = this.trace.byId.get(this.selected); p; p = this.trace.byId.get(p.parentId)) {
        if (p.spanId !== this.selected) open.delete(p.spanId);
      }
      this.collapsed = open;
      this.focusId = this.selected;
    }
  }

  updated(changed) {
    // A span chosen in a shared link may be far down a long trace.
    if (changed.has('selected') && this.selected) {
      this.renderRoot.querySelector(`[data-span-id="${this.selected}"]`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  /** The spans whose rows show: those with no collapsed ancestor. */
  get visible() {
    const out = [];
    const hidden = new Set();
    for (const s of this.trace.spans) {
      if (hidden.has(s.parentId)) { hidden.add(s.spanId); continue; }
      out.push(s);
      if (this.collapsed.has(s.spanId)) hidden.add(s.spanId);
    }
    return out;
  }

  render() {
    if (!this.trace) return '';
    const total = Math.max(this.trace.duration, 1e-6);
    const pct = (ms) => `${(ms / total) * 100}%`;
    const withChildren = this.trace.spans.filter((s) => s.children.length);
    return html`
      <div class="row tools">
        <button class="collapse-all" @click=${() => (this.collapsed = new Set(withChildren.map((s) => s.spanId)))}>Collapse all</button>
        <button class="expand-all" @click=${() => (this.collapsed = new Set())}>Expand all</button>
        <span class="muted hint">↑↓ move · ←→ fold · Enter details</span>
      </div>
      <div class="grid">
        <div class="line ruler" aria-hidden="true">
          <div class="label">Service &amp; operation</div>
          <div class="axis">
            ${Array.from({ length: TICKS }, (_, i) => html`
              <span class="tick ${i === TICKS - 1 ? 'last' : ''}" style="left:${i === TICKS - 1 ? '100%' : pct((total * i) / (TICKS - 1))}">
                ${formatDuration((total * i) / (TICKS - 1))}</span>`)}
          </div>
        </div>
        <div role="tree" aria-label="Spans" @keydown=${this.onKeyDown}>
          ${repeat(this.visible, (s) => s.spanId, (s) => this.renderSpan(s, pct))}
        </div>
      </div>
    `;
  }

  renderSpan(s, pct) {
    const open = !this.collapsed.has(s.spanId);
    const selected = s.spanId === this.selected;
    const critical = this.onPath.has(s.spanId);
    const colour = this.colours.get(s.service);
    const nearEnd = s.end / Math.max(this.trace.duration, 1e-6) > 0.8;
    return html`
      <div class="line span ${critical ? 'critical' : ''} ${this.showCritical && !critical ? 'dim' : ''}" role="treeitem"
        data-span-id=${s.spanId} aria-level=${s.depth + 1} aria-selected=${selected}
        aria-expanded=${ifDefined(s.children.length ? String(open) : undefined)} tabindex=${s.spanId === this.focusId ? 0 : -1}
        @click=${() => this.select(s)} @focus=${() => (this.focusId = s.spanId)}>
        <div class="name" style="padding-left:${6 + s.depth * 16}px">
          ${s.children.length
            ? html`<button class="toggle" tabindex="-1" aria-label="${open ? 'Collapse' : 'Expand'} ${s.name}"
                @click=${(e) => { e.stopPropagation(); this.toggle(s); }}>${open ? '▾' : '▸'}</button>`
            : html`<span class="spacer"></span>`}
          <span class="swatch" style="background:${colour}"></span>
          ${s.error ? html`<span class="err" title="error: ${s.status.message}" aria-label="error">!</span>` : ''}
          <span class="svc">${s.service}</span>
          <span class="op">${s.name}</span>
        </div>
        <div class="timeline">
          <div class="bar ${s.error ? 'error' : ''}" style="left:${pct(s.start)};width:${pct(s.duration)};background:${colour}"
            title="${s.name}: ${formatDuration(s.duration)}"></div>
          ${(this.segments ?? []).filter((c) => c.spanId === s.spanId).map((c) => html`
            <div class="cp" style="left:${pct(c.start)};width:${pct(c.end - c.start)}"></div>`)}
          <span class="dur" style=${nearEnd ? `right:calc(100% - ${pct(s.start)})` : `left:${pct(s.end)}`}>${formatDuration(s.duration)}</span>
        </div>
      </div>
      ${selected ? html`<div class="details"><sl-span-details .span=${s} .trace=${this.trace}></sl-span-details></div>` : ''}
    `;
  }

  toggle(s) {
    const next = new Set(this.collapsed);
    if (next.has(s.spanId)) next.delete(s.spanId); else next.add(s.spanId);
    this.collapsed = next;
  }

  select(s) {
    this.focusId = s.spanId;
    this.dispatchEvent(new CustomEvent('span-select', {
      detail: { spanId: s.spanId === this.selected ? '' : s.spanId }, bubbles: true, composed: true,
    }));
  }

  onKeyDown(e) {
    const rows = this.visible;
    const i = rows.findIndex((s) => s.spanId === this.focusId);
    const s = rows[i];
    if (!s) return;
    const move = (target) => {
      if (!target) return;
      this.focusId = target.spanId;
      this.updateComplete.then(() => this.renderRoot.querySelector(`[data-span-id="${target.spanId}"]`)?.focus());
    };
    const handled = {
      ArrowDown: () => move(rows[i + 1]),
      ArrowUp: () => move(rows[i - 1]),
      Home: () => move(rows[0]),
      End: () => move(rows[rows.length - 1]),
      ArrowRight: () => (s.children.length && this.collapsed.has(s.spanId) ? this.toggle(s) : move(rows[i + 1]?.parentId === s.spanId ? rows[i + 1] : undefined)),
      ArrowLeft: () => (s.children.length && !this.collapsed.has(s.spanId) ? this.toggle(s) : move(this.trace.byId.get(s.parentId))),
      Enter: () => this.select(s),
      ' ': () => this.select(s),
    }[e.key];
    if (handled && e.target.getAttribute('role') === 'treeitem') {
      e.preventDefault();
      handled();
    }
  }
}
customElements.define('sl-trace-waterfall', TraceWaterfall);
