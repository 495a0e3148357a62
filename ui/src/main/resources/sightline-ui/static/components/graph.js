import { LitElement, html, css } from 'lit';
import uPlot from 'uplot';
import { formatTime } from '../lib/time.js';

// uPlot's stylesheet sits beside its module in the WebJar; resolving it through the import map keeps the version in
// one place (ui/pom.xml).
const UPLOT_CSS = import.meta.resolve('uplot').replace(/uPlot\.esm\.js$/, 'uPlot.min.css');

export const PALETTE = ['#7eb26d', '#eab839', '#6ed0e0', '#ef843c', '#e24d42', '#1f78c1', '#ba43a9', '#705da0',
  '#508642', '#cca300', '#447ebc', '#c15c17', '#890f02', '#0a437c', '#6d1f62', '#584477', '#b7dbab', '#f4d598'];

/** The label set of a series as Prometheus writes it: name{a="1", b="2"}. */
export function seriesName(labels = {}) {
  const { __name__: name = '', ...rest } = labels;
  const inner = Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(', ');
  return inner || !name ? `${name}{${inner}}` : name;
}

/**
 * A time-series graph on uPlot.
 *
 *   .series     [{name, labels, points: [[epochMs, value], ...], color?}]  color: #rrggbb, else the palette's
 *   .exemplars  [{ts: epochMs, value, labels, seriesLabels}]  drawn as dots; a click fires `exemplar-click`,
 *               hovering shows their labels
 *   .exemplarHref  exemplar => URL: makes the dots links (to the exemplar's trace, say)
 *   .range      {start, end} epoch ms: the x axis, so an empty stretch still shows as empty
 *   unit, height, kind ("line" | "bars"), stacked (each series drawn on top of the ones before it, as Grafana's logs
 *   volume; the legend and hover values stay each series' own)
 *
 * Dragging across the plot fires `zoom` with {start, end} (epoch ms); the page decides what that does (normally:
 * writes the new range in the URL and queries again).
 */
export class Graph extends LitElement {
  static properties = {
    series: { attribute: false }, exemplars: { attribute: false }, range: { attribute: false },
    exemplarHref: { attribute: false },
    unit: {}, height: { type: Number }, kind: {}, stacked: { type: Boolean }, hidden: { state: true },
  };
  static styles = css`
    :host { display: block; position: relative; }
    .plot { position: relative; }
    .legend { display: flex; flex-wrap: wrap; gap: 2px 12px; max-height: 140px; overflow: auto; font-size: 12px;
      margin-top: 4px; }
    .legend button { all: unset; cursor: pointer; display: inline-flex; align-items: center; gap: 4px;
      font-family: var(--mono); color: var(--fg); }
    .legend button.off { opacity: 0.35; }
    .legend button:focus-visible { outline: 2px solid var(--focus); }
    .swatch { width: 12px; height: 3px; display: inline-block; }
    .value { color: var(--fg-muted); }
    .empty { color: var(--fg-muted); padding: 24px; text-align: center; }
    .exemplar { position: absolute; width: 9px; height: 9px; margin: -5px 0 0 -5px; transform: rotate(45deg);
      border: 1px solid var(--bg); cursor: pointer; padding: 0; z-index: 5; }
    .exemplar:hover, .exemplar:focus-visible { outline: 2px solid var(--fg); }
    .exemplar-tip { position: absolute; z-index: 6; pointer-events: none; background: var(--bg-panel);
      border: 1px solid var(--border); border-radius: var(--radius); padding: 6px 8px; font-family: var(--mono);
      font-size: 12px; box-shadow: 0 4px 16px #0003; white-space: nowrap; }
    .exemplar-tip .head { font-family: var(--font); font-weight: 600; margin-bottom: 2px; }
    .exemplar-tip .muted { color: var(--fg-muted); margin-top: 2px; }
    .u-legend { display: none; }
  `;

  constructor() {
    super();
    this.series = [];
    this.exemplars = [];
    this.height = 280;
    this.kind = 'line';
    this.hidden = new Set();
    this.cursorIdx = null;
    this.resizeObserver = new ResizeObserver(() => this.plot?.setSize({ width: this.plotWidth(), height: this.height }));
    // The canvas took its axis and grid colours from the theme when it was built: a new theme needs a new plot.
    this.onThemeChange = () => this.build();
  }

  connectedCallback() {
    super.connectedCallback();
    this.resizeObserver.observe(this);
    addEventListener('sl-theme-change', this.onThemeChange);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
    removeEventListener('sl-theme-change', this.onThemeChange);
    this.plot?.destroy();
    this.plot = null;
  }

  render() {
    const empty = !this.series?.length;
    return html`
      <link rel="stylesheet" href=${UPLOT_CSS}>
      ${empty ? html`<div class="empty">No data</div>` : ''}
      <div class="plot" ?hidden=${empty}></div>
      ${empty ? '' : html`<div class="legend" role="list" aria-label="Legend">
        ${this.series.map((s, i) => html`
          <button role="listitem" class=${this.hidden.has(i) ? 'off' : ''} title="Click to show or hide"
            @click=${() => this.toggle(i)}>
            <span class="swatch" style="background:${this.color(i)}"></span>
            ${s.name ?? seriesName(s.labels)}
            <span class="value">${this.valueAtCursor(i)}</span>
          </button>`)}
      </div>`}
    `;
  }

  updated(changed) {
    if (changed.has('series') || changed.has('range') || changed.has('kind') || changed.has('height') || changed.has('unit')
      || changed.has('stacked')) {
      this.build();
    } else if (changed.has('exemplars')) {
      this.placeExemplars();
    }
  }

  plotWidth() {
    return Math.max(200, this.getBoundingClientRect().width || 800);
  }

  /** Series on one shared x axis (uPlot's layout): the union of timestamps, null where a series has no point. */
  aligned() {
    const times = new Set();
    for (const s of this.series) for (const [t] of s.points) times.add(t);
    const xs = [...times].sort((a, b) => a - b);
    const index = new Map(xs.map((t, i) => [t, i]));
    const ys = this.series.map((s) => {
      const col = new Array(xs.length).fill(null);
      for (const [t, v] of s.points) col[index.get(t)] = Number.isFinite(v) ? v : null;
      return col;
    });
    this.own = ys;
    return [xs.map((t) => t / 1000), ...(this.stacked ? this.stack(ys) : ys)];
  }

  /** Running sums over the shown series; a hidden series or a missing point adds nothing and draws nothing. */
  stack(ys) {
    const sums = new Array(ys[0]?.length ?? 0).fill(0);
    return ys.map((col, i) => col.map((v, j) => {
      if (v === null || this.hidden.has(i)) return null;
      sums[j] += v;
      return sums[j];
    }));
  }

  color(i) {
    return this.series[i]?.color ?? PALETTE[i % PALETTE.length];
  }

  build() {
    this.plot?.destroy();
    this.plot = null;
    const root = this.renderRoot.querySelector('.plot');
    if (!root || !this.series?.length) return;
    const data = this.aligned();
    // Stacked, the tallest (last) series is drawn first, so each lower one is painted over it.
    const order = this.series.map((s, i) => i);
    if (this.stacked) order.reverse();
    const style = getComputedStyle(this);
    const fg = style.getPropertyValue('--fg-muted').trim() || '#888';
    const grid = style.getPropertyValue('--border').trim() || '#ccc';
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const bars = this.kind === 'bars' ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined;
    const opts = {
      width: this.plotWidth(),
      height: this.height,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false } },
      scales: {
        x: { time: true, ...(this.range ? { range: () => [this.range.start / 1000, this.range.end / 1000] } : {}) },
        y: { range: (u, min, max) => (min === max ? [min - 1, max + 1] : [Math.min(0, min), max]) },
      },
      // The y axis is as wide as its longest label ("-512 KiB" needs more room than "5K").
      axes: [axis, { ...axis, values: (u, ticks) => ticks.map((v) => formatValue(v, this.unit)),
        size: (u, values) => 30 + 7.5 * Math.max(3, ...(values ?? []).map((v) => String(v).length)) }],
      series: [{}, ...order.map((i) => ({
        label: this.series[i].name ?? seriesName(this.series[i].labels),
        stroke: this.color(i),
        fill: bars ? this.color(i) + 'aa' : undefined,
        width: 1.5,
        paths: bars,
        points: { show: !bars && data[0].length < 60 },
        show: !this.hidden.has(i),
        spanGaps: false,
      }))],
      hooks: {
        setSelect: [(u) => {
          if (u.select.width < 3) return;
          const start = u.posToVal(u.select.left, 'x') * 1000;
          const end = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          this.dispatchEvent(new CustomEvent('zoom', { detail: { start: Math.round(start), end: Math.round(end) },
            bubbles: true, composed: true }));
        }],
        setCursor: [(u) => {
          this.cursorIdx = u.cursor.idx;
          this.requestUpdate();
        }],
        draw: [() => this.placeExemplars()],
      },
    };
    this.plot = new uPlot(opts, [data[0], ...order.map((i) => data[i + 1])], root);
  }

  /**
   * Exemplars are buttons laid over the canvas, so they can be focused, hovered and clicked like any control. With
   * `.exemplarHref` (exemplar => URL or undefined) they are links instead, which also open in a new tab.
   */
  placeExemplars() {
    const root = this.renderRoot.querySelector('.plot');
    if (!root) return;
    root.querySelectorAll('.exemplar, .exemplar-tip').forEach((n) => n.remove());
    const u = this.plot;
    if (!u || !this.exemplars?.length) return;
    const over = u.over;
    const left = over.offsetLeft;
    const top = over.offsetTop;
    for (const ex of this.exemplars) {
      const x = u.valToPos(ex.ts / 1000, 'x');
      const y = u.valToPos(ex.value, 'y');
      if (!(x >= 0 && x <= over.clientWidth && y >= 0 && y <= over.clientHeight)) continue;
      const link = this.exemplarHref?.(ex);
      const dot = document.createElement(link ? 'a' : 'button');
      if (link) dot.href = link;
      dot.className = 'exemplar';
      dot.style.left = `${left + x}px`;
      dot.style.top = `${top + y}px`;
      dot.style.background = 'var(--accent)';
      const traceId = ex.labels?.trace_id ?? ex.labels?.traceID ?? '';
      dot.setAttribute('aria-label', `exemplar ${formatValue(ex.value, this.unit)}${traceId ? ` trace_id=${traceId}` : ''}`);
      dot.dataset.traceId = traceId;
      dot.addEventListener('click', () => this.dispatchEvent(new CustomEvent('exemplar-click',
        { detail: ex, bubbles: true, composed: true })));
      const show = () => this.showExemplarTip(root, ex, left + x, top + y);
      dot.addEventListener('mouseenter', show);
      dot.addEventListener('focus', show);
      dot.addEventListener('mouseleave', () => root.querySelector('.exemplar-tip')?.remove());
      dot.addEventListener('blur', () => root.querySelector('.exemplar-tip')?.remove());
      root.appendChild(dot);
    }
  }

  /** The card beside a hovered exemplar: its value, time, own labels and the labels of its series. */
  showExemplarTip(root, ex, x, y) {
    root.querySelector('.exemplar-tip')?.remove();
    const tip = document.createElement('div');
    tip.className = 'exemplar-tip';
    tip.setAttribute('role', 'tooltip');
    const line = (text, cls) => {
      const div = document.createElement('div');
      div.textContent = text;
      if (cls) div.className = cls;
      tip.appendChild(div);
    };
    line(`Exemplar ${formatValue(ex.value, this.unit)} at ${formatTime(ex.ts)}`, 'head');
    for (const [k, v] of Object.entries(ex.labels ?? {})) line(`${k}="${v}"`);
    if (ex.seriesLabels) line(seriesName(ex.seriesLabels), 'muted');
    const flip = x > root.clientWidth * 0.6;
    tip.style.top = `${y + 10}px`;
    if (flip) tip.style.right = `${root.clientWidth - x + 10}px`; else tip.style.left = `${x + 10}px`;
    root.appendChild(tip);
  }

  toggle(i) {
    const hidden = new Set(this.hidden);
    if (hidden.has(i)) hidden.delete(i); else hidden.add(i);
    this.hidden = hidden;
    if (this.stacked) this.build(); // the sums above the toggled series change
    else this.plot?.setSeries(i + 1, { show: !hidden.has(i) });
  }

  valueAtCursor(i) {
    if (this.cursorIdx === null || this.cursorIdx === undefined || !this.plot) return '';
    const v = this.own?.[i]?.[this.cursorIdx];
    return v === null || v === undefined ? '' : formatValue(v, this.unit);
  }
}
customElements.define('sl-graph', Graph);

/** Values as Grafana's "short" unit writes them (1.2K, 3.4M), or with a unit: seconds, bytes, percent. */
export function formatValue(v, unit = '') {
  if (v === null || v === undefined || !Number.isFinite(v)) return String(v);
  if (unit === 's') {
    const a = Math.abs(v);
    if (a === 0) return '0s';
    if (a < 1e-3) return `${+(v * 1e6).toPrecision(3)}µs`;
    if (a < 1) return `${+(v * 1e3).toPrecision(3)}ms`;
    return `${+v.toPrecision(3)}s`;
  }
  if (unit === 'percentunit') return `${+(v * 100).toPrecision(3)}%`;
  const a = Math.abs(v);
  const suffixes = unit === 'bytes' ? [[2 ** 40, ' TiB'], [2 ** 30, ' GiB'], [2 ** 20, ' MiB'], [2 ** 10, ' KiB']]
    : [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];
  for (const [size, suffix] of suffixes) if (a >= size) return `${+(v / size).toPrecision(3)}${suffix}`;
  const tail = unit === 'bytes' ? ' B' : unit && unit !== 'short' ? ` ${unit}` : '';
  return `${a !== 0 && a < 0.01 ? v.toExponential(2) : +v.toPrecision(4)}${tail}`;
}
