import { LitElement, html, css } from 'lit';
import cytoscape from 'cytoscape';
import { controls } from '../components/styles.js';
import { formatValue } from '../components/graph.js';
import { href, setParams } from '../lib/router.js';
import { rangeOf, resolveRange } from '../lib/time.js';
import { layeredLayout, loadEdges, nodesOf } from './service-graph.js';
import '../components/time-picker.js';
import '../components/status.js';

const REFRESH_MS = { '5s': 5e3, '10s': 10e3, '30s': 30e3, '1m': 60e3, '5m': 300e3 };

/** Requests per second, or per minute when that reads better (a quiet service makes a few a minute). */
export function formatRate(perSecond) {
  const short = (v) => (v >= 1000 ? formatValue(v) : String(+v.toPrecision(v >= 10 ? 3 : 2)));
  if (perSecond >= 1 || perSecond === 0) return `${short(perSecond)} req/s`;
  return `${short(perSecond * 60)} req/min`;
}

const percent = (ratio) => `${+(ratio * 100).toPrecision(3)}%`;

/**
 * The service graph (`/services`), like Tempo's service graph in Grafana and Jaeger's system architecture: services
 * and the virtual nodes they call (databases, external APIs, the user) from the metrics generator's service-graph
 * series, with request rate, error rate and p95 on the edges; failing edges in the error colour. A click on a node
 * (or its row in the table below, which lists everything the canvas draws for keyboard and screen-reader users)
 * opens its links: the RED dashboard and its traces. State in the URL: `from`, `to`, `refresh`, `node`.
 */
export class ServiceGraphPage extends LitElement {
  static properties = {
    params: { attribute: false }, routeArgs: { attribute: false },
    edges: { state: true }, loading: { state: true }, error: { state: true },
  };
  static styles = [controls, css`
    :host { display: block; }
    .toolbar { display: flex; gap: 8px; align-items: center; margin-bottom: 8px; }
    h1 { font-size: 18px; margin: 0; flex: 1; display: flex; gap: 8px; align-items: center; }
    .stage { position: relative; }
    .canvas { height: 460px; border: 1px solid var(--border); border-radius: var(--radius); background: var(--bg-panel); }
    .details { position: absolute; top: 8px; right: 8px; width: 260px; z-index: 10; box-shadow: 0 4px 16px #0003; }
    .details h2 { font-size: 15px; margin: 0 0 4px; display: flex; justify-content: space-between; gap: 8px; }
    .details h2 button { border: none; background: none; padding: 0 4px; }
    .details ul { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-direction: column; gap: 4px; }
    .legend { display: flex; gap: 16px; font-size: 12px; color: var(--fg-muted); margin: 6px 0 12px; }
    .legend span::before { content: ''; display: inline-block; width: 10px; height: 10px; border-radius: 50%;
      margin-right: 4px; vertical-align: -1px; background: var(--swatch); }
    h2.section { font-size: 14px; margin: 16px 0 4px; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    tr.failing td.errors { color: var(--error); font-weight: 600; }
    tr[aria-selected="true"] td { background: var(--bg-hover); }
    .empty { padding: 40px; text-align: center; color: var(--fg-muted); }
  `];

  constructor() {
    super();
    this.onTheme = () => this.styleGraph();
  }

  connectedCallback() {
    super.connectedCallback();
    addEventListener('sl-theme-change', this.onTheme);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('sl-theme-change', this.onTheme);
    clearInterval(this.timer);
    this.abort?.abort();
    this.cy?.destroy();
    this.cy = null;
  }

  get range() {
    return rangeOf(this.params ?? {});
  }

  get selectedNode() {
    return this.params?.node ?? '';
  }

  willUpdate(changed) {
    if (!changed.has('params')) return;
    const key = `${this.range.from}|${this.range.to}`;
    if (key !== this.rangeKey) {
      this.rangeKey = key;
      this.load();
    }
    const refresh = this.params?.refresh ?? '';
    if (refresh !== this.refreshEvery) {
      this.refreshEvery = refresh;
      clearInterval(this.timer);
      if (REFRESH_MS[refresh]) this.timer = setInterval(() => this.load(), REFRESH_MS[refresh]);
    }
  }

  async load() {
    this.abort?.abort();
    const controller = (this.abort = new AbortController());
    this.loading = true;
    try {
      const edges = await loadEdges(resolveRange(this.range), { signal: controller.signal });
      if (controller.signal.aborted) return;
      this.edges = edges;
      this.error = '';
    } catch (e) {
      if (e.name === 'AbortError') return;
      this.error = e.message;
    } finally {
      if (!controller.signal.aborted) this.loading = false;
    }
  }

  get nodes() {
    if (this.nodeList === undefined || this.nodesFor !== this.edges) {
      this.nodesFor = this.edges;
      this.nodeList = nodesOf(this.edges ?? []);
    }
    return this.nodeList;
  }

  select(id) {
    setParams({ node: id }, { push: true });
  }

  render() {
    const nodes = this.nodes;
    const selected = nodes.find((n) => n.id === this.selectedNode);
    return html`
      <div class="toolbar">
        <h1>Service graph ${this.loading ? html`<sl-loading></sl-loading>` : ''}</h1>
        <sl-time-picker .from=${this.range.from} .to=${this.range.to} .refresh=${this.params?.refresh ?? ''}
          @range-change=${(e) => setParams({ from: e.detail.from, to: e.detail.to }, { push: true })}
          @refresh-change=${(e) => setParams({ refresh: e.detail.refresh })}></sl-time-picker>
      </div>
      ${this.error ? html`<sl-error .message=${this.error}></sl-error>` : ''}
      <div class="stage">
        <div class="canvas" role="img"
          aria-label="Service graph: ${nodes.length} nodes and ${this.edges?.length ?? 0} edges, listed in the tables below"></div>
        ${this.edges && !this.edges.length ? html`<div class="empty">No service-graph series in this range. The metrics
          generator writes them (processor service-graphs) from traces whose client and server spans both arrive.</div>` : ''}
        ${selected ? this.details(selected) : ''}
      </div>
      <div class="legend">
        <span style="--swatch: var(--accent)">service</span>
        <span style="--swatch: var(--fg-muted)">virtual node (user, database, external API)</span>
        <span style="--swatch: var(--error)">edge or service with errors</span>
      </div>
      ${this.tables(nodes)}
    `;
  }

  details(n) {
    return html`<section class="details panel" aria-label="Node ${n.id}"
      @keydown=${(e) => e.key === 'Escape' && this.select('')}>
      <h2>${n.id} <button title="Close" aria-label="Close" @click=${() => this.select('')}>✕</button></h2>
      <div class="muted">${n.kind === 'service' ? 'service' : `virtual node (${n.kind})`}</div>
      <div>${n.in > 0 ? html`${formatValue(n.in)} requests in, ${percent(n.errorRatio)} failed` : 'calls only'}</div>
      ${this.links(n)}
    </section>`;
  }

  links(n) {
    if (n.kind !== 'service') return html`<p class="muted">Not instrumented: no RED dashboard or traces of its own.</p>`;
    return html`<ul>
      <li><a class="red" href=${href('/dashboards/services', { 'var-service': n.id, from: this.range.from, to: this.range.to })}>RED dashboard</a></li>
      <li><a class="traces" href=${href('/traces', { service: n.id, from: this.range.from, to: this.range.to })}>Traces</a></li>
    </ul>`;
  }

  tables(nodes) {
    if (!this.edges?.length) return '';
    return html`
      <h2 class="section" id="edges-title">Edges</h2>
      <table aria-labelledby="edges-title" class="edges">
        <thead><tr><th scope="col">Client</th><th scope="col">Server</th><th scope="col">Connection</th>
          <th scope="col" class="num">Requests</th><th scope="col" class="num">Rate</th>
          <th scope="col" class="num">Errors</th><th scope="col" class="num">p95</th></tr></thead>
        <tbody>${this.edges.map((e) => html`<tr class=${e.failed > 0 ? 'failing' : ''}
          data-client=${e.client} data-server=${e.server}>
          <td>${e.client}</td><td>${e.server}</td><td>${e.connectionType || 'service'}</td>
          <td class="num requests">${formatValue(e.requests)}</td><td class="num rate">${formatRate(e.rate)}</td>
          <td class="num errors">${percent(e.errorRatio)}</td>
          <td class="num">${Number.isFinite(e.p95) ? formatValue(e.p95, 's') : ''}</td></tr>`)}</tbody>
      </table>
      <h2 class="section" id="nodes-title">Nodes</h2>
      <table aria-labelledby="nodes-title" class="nodes">
        <thead><tr><th scope="col">Node</th><th scope="col">Kind</th><th scope="col" class="num">Requests in</th>
          <th scope="col" class="num">Requests out</th><th scope="col" class="num">Errors in</th>
          <th scope="col">Links</th></tr></thead>
        <tbody>${nodes.map((n) => html`<tr data-node=${n.id} aria-selected=${n.id === this.selectedNode}
          class=${n.failedIn > 0 ? 'failing' : ''}>
          <td><button class="select" title="Show on the graph" @click=${() => this.select(n.id)}>${n.id}</button></td>
          <td>${n.kind}</td><td class="num">${formatValue(n.in)}</td><td class="num">${formatValue(n.out)}</td>
          <td class="num errors">${n.in > 0 ? percent(n.errorRatio) : ''}</td>
          <td>${n.kind === 'service' ? html`
            <a href=${href('/dashboards/services', { 'var-service': n.id, from: this.range.from, to: this.range.to })}>RED dashboard</a> ·
            <a href=${href('/traces', { service: n.id, from: this.range.from, to: this.range.to })}>Traces</a>` : ''}</td>
        </tr>`)}</tbody>
      </table>
    `;
  }

  updated() {
    this.draw();
  }

  /** Rebuilds the canvas when the edges changed, and marks the selected node. */
  draw() {
    const container = this.renderRoot.querySelector('.canvas');
    if (!container || !this.edges) return;
    if (this.drawnEdges !== this.edges) {
      this.drawnEdges = this.edges;
      const nodes = this.nodes;
      const positions = layeredLayout(nodes, this.edges);
      const elements = [
        ...nodes.map((n) => ({ data: { id: n.id, label: n.id, kind: n.kind, failing: n.failedIn > 0 ? 1 : 0 },
          position: positions[n.id] })),
        ...this.edges.map((e) => ({ data: {
          id: e.id, source: e.client, target: e.server, failing: e.failed > 0 ? 1 : 0,
          label: `${formatRate(e.rate)}\n${percent(e.errorRatio)} errors${Number.isFinite(e.p95) ? ` · p95 ${formatValue(e.p95, 's')}` : ''}`,
        } })),
      ];
      if (!this.cy) {
        this.cy = cytoscape({ container, elements, layout: { name: 'preset' }, wheelSensitivity: 0.3,
          minZoom: 0.2, maxZoom: 3, boxSelectionEnabled: false, autoungrabify: false });
        this.cy.on('tap', 'node', (e) => this.select(e.target.id()));
        this.cy.on('tap', (e) => e.target === this.cy && this.selectedNode && this.select(''));
      } else {
        this.cy.elements().remove();
        this.cy.add(elements);
      }
      this.styleGraph();
      this.cy.fit(undefined, 40);
    }
    this.cy.nodes().unselect();
    if (this.selectedNode) this.cy.$id(this.selectedNode).select();
  }

  /** Cytoscape draws on a canvas, so it gets the theme's colours as values, again when the theme changes. */
  styleGraph() {
    if (!this.cy) return;
    const s = getComputedStyle(this);
    const v = (name) => s.getPropertyValue(name).trim();
    this.cy.style([
      { selector: 'node', style: {
        'background-color': v('--accent'), label: 'data(label)', color: v('--fg'), 'font-size': 12,
        'text-valign': 'bottom', 'text-margin-y': 6, width: 34, height: 34, 'border-width': 2,
        'border-color': v('--bg-panel'), 'text-background-color': v('--bg-panel'), 'text-background-opacity': 0.8,
        'text-background-padding': 2 } },
      { selector: 'node[kind != "service"]', style: { 'background-color': v('--fg-muted'), shape: 'round-rectangle' } },
      { selector: 'node[kind = "database"]', style: { shape: 'barrel' } },
      { selector: 'node[failing = 1]', style: { 'border-color': v('--error'), 'border-width': 4 } },
      { selector: 'node:selected', style: { 'overlay-color': v('--accent'), 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
      { selector: 'edge', style: {
        width: 2, 'curve-style': 'bezier', 'line-color': v('--fg-muted'), 'target-arrow-color': v('--fg-muted'), 'line-opacity': 0.6,
        'target-arrow-shape': 'triangle', label: 'data(label)', 'font-size': 10, color: v('--fg-muted'),
        'text-wrap': 'wrap', 'text-background-color': v('--bg-panel'), 'text-background-opacity': 0.9,
        'text-background-padding': 2, 'text-rotation': 'none' } },
      { selector: 'edge[failing = 1]', style: { 'line-color': v('--error'), 'target-arrow-color': v('--error'),
        color: v('--error'), width: 3 } },
    ]);
  }

  /** Where a node is drawn, in page coordinates: lets a test click it on the canvas as a user would. */
  nodeCenter(id) {
    const n = this.cy?.$id(id);
    if (!n?.length) return null;
    const box = this.renderRoot.querySelector('.canvas').getBoundingClientRect();
    const p = n.renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y };
  }
}
customElements.define('sl-service-graph-page', ServiceGraphPage);
