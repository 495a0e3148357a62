import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { controls } from '../components/styles.js';
import { ui } from '../lib/api.js';
import { href, route, setParams } from '../lib/router.js';
import { rangeOf, resolveRange } from '../lib/time.js';
import { ALL, loadOptions, interpolate } from './variables.js';
import '../components/time-picker.js';
import '../components/status.js';
import './dashboard-panel.js';

const REFRESH_MS = { '5s': 5e3, '10s': 10e3, '30s': 30e3, '1m': 60e3, '5m': 300e3 };

/**
 * One dashboard (`/dashboards/:uid`) in Grafana's JSON model: its variables as selects, the time picker and
 * refresh, and its panels on Grafana's 24-column grid. Everything the user changes is in the URL: `from`, `to`,
 * `refresh` and one `var-<name>` per variable value, as Grafana writes them.
 */
export class DashboardPage extends LitElement {
  static properties = {
    params: { attribute: false }, routeArgs: { attribute: false },
    dashboard: { state: true }, error: { state: true }, options: { state: true }, optionErrors: { state: true },
    collapsed: { state: true }, tick: { state: true },
  };
  static styles = [controls, css`
    :host { display: block; }
    .toolbar { display: flex; gap: 12px; align-items: flex-end; flex-wrap: wrap; margin-bottom: 8px; }
    h1 { font-size: 18px; margin: 0; flex: 1; display: flex; gap: 8px; align-items: baseline; }
    h1 a { font-size: 13px; font-weight: normal; }
    .vars { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 8px; }
    .vars label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--fg-muted); }
    .vars select[multiple] { min-width: 180px; }
    .grid { display: grid; grid-template-columns: repeat(24, minmax(0, 1fr)); grid-auto-rows: 30px; gap: 8px;
      grid-auto-flow: row; }
    .rowhead { grid-column: 1 / -1; display: flex; align-items: center; }
    .rowhead button { border: none; background: none; font-weight: 600; font-size: 14px; padding: 2px 4px; }
    sl-dashboard-panel { overflow: hidden; }
  `];

  constructor() {
    super();
    this.options = {};
    this.optionErrors = {};
    this.collapsed = new Set();
    this.tick = 0;
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  get range() {
    return rangeOf(this.params ?? {});
  }

  willUpdate(changed) {
    if (changed.has('routeArgs') && this.routeArgs?.uid !== this.loadedUid) this.load(this.routeArgs.uid);
    if (changed.has('params')) {
      const key = `${this.range.from}|${this.range.to}`;
      if (key !== this.rangeKey) {
        this.rangeKey = key;
        this.resolved = resolveRange(this.range);
        if (this.dashboard) this.loadVariables();
      }
      this.schedule(this.params?.refresh ?? '');
    }
  }

  schedule(refresh) {
    if (refresh === this.refreshEvery) return;
    this.refreshEvery = refresh;
    clearInterval(this.timer);
    if (REFRESH_MS[refresh]) this.timer = setInterval(() => this.refreshNow(), REFRESH_MS[refresh]);
  }

  refreshNow() {
    this.resolved = resolveRange(this.range);
    this.tick += 1;
  }

  async load(uid) {
    this.loadedUid = uid;
    this.dashboard = undefined;
    this.error = '';
    this.options = {};
    try {
      const d = await ui.request(`/ui/api/dashboards/${encodeURIComponent(uid)}`);
      if (this.loadedUid !== uid) return;
      this.dashboard = d;
      this.collapsed = new Set((d.panels ?? []).filter((p) => p.type === 'row' && p.collapsed).map((p) => p.id));
      // A dashboard's own time range and refresh apply until the URL says otherwise, as in Grafana.
      const p = this.params ?? {};
      if ((!p.from && d.time?.from) || (p.refresh === undefined && d.refresh)) {
        setParams({ from: p.from || d.time?.from, to: p.to || d.time?.to, refresh: p.refresh ?? (d.refresh || '') });
      }
      this.loadVariables();
    } catch (e) {
      if (this.loadedUid === uid) this.error = e.message;
    }
  }

  get variables() {
    return (this.dashboard?.templating?.list ?? []).filter((v) => v.name && v.type !== 'adhoc' && v.type !== 'datasource');
  }

  /** Options of every variable, in order: each may use the ones before it. */
  async loadVariables() {
    const generation = (this.variablesGeneration = (this.variablesGeneration ?? 0) + 1);
    const options = {};
    const errors = {};
    for (const v of this.variables) {
      try {
        const list = await loadOptions(v, (q) => interpolate(q, this.valuesWith(options)), this.resolved);
        options[v.name] = v.includeAll ? [{ text: 'All', value: ALL }, ...list] : list;
      } catch (e) {
        options[v.name] = [];
        errors[v.name] = e.message;
      }
      if (generation !== this.variablesGeneration) return;
    }
    this.options = options;
    this.optionErrors = errors;
    this.writeDefaults();
  }

  /** The selected values of a variable: from the URL, else the dashboard's saved choice, else the first option. */
  selected(v, options = this.options) {
    const fromUrl = route().params.getAll(`var-${v.name}`);
    if (fromUrl.length) return fromUrl;
    const list = options[v.name] ?? [];
    const saved = [].concat(v.current?.value ?? []).map((x) => (x === '$__all' ? ALL : x));
    const known = saved.filter((x) => list.some((o) => o.value === x));
    if (known.length) return v.multi ? known : known.slice(0, 1);
    return list.length ? [list[0].value] : [];
  }

  /** Variables with no value in the URL get theirs written there, so the link shows what is on screen. */
  writeDefaults() {
    const missing = {};
    for (const v of this.variables) {
      if (!route().params.getAll(`var-${v.name}`).length) {
        const s = this.selected(v);
        if (s.length) missing[`var-${v.name}`] = s;
      }
    }
    if (Object.keys(missing).length) setParams(this.allVarParams(missing));
  }

  /** Every var- parameter (repeated values kept), with `changes` laid over them. */
  allVarParams(changes) {
    const out = {};
    for (const v of this.variables) out[`var-${v.name}`] = route().params.getAll(`var-${v.name}`);
    return { ...out, ...changes };
  }

  /** What interpolate() needs for every variable resolved so far. */
  valuesWith(options) {
    const out = {};
    for (const v of this.variables) {
      if (!options[v.name]) continue;
      const picked = this.selected(v, options);
      const isAll = picked.includes(ALL);
      const values = isAll ? options[v.name].filter((o) => o.value !== ALL).map((o) => o.value) : picked;
      out[v.name] = { values, multi: !!v.multi, includeAll: !!v.includeAll, isAll, allValue: v.allValue };
    }
    return out;
  }

  pick(v, select) {
    const values = [...select.selectedOptions].map((o) => o.value);
    setParams(this.allVarParams({ [`var-${v.name}`]: values }), { push: true });
    // Variables after this one may depend on it.
    this.loadVariables();
  }

  render() {
    if (this.error) return html`<sl-error .message=${this.error}></sl-error>`;
    const d = this.dashboard;
    if (!d) return html`<sl-loading>Loading dashboard…</sl-loading>`;
    const ready = this.variables.every((v) => this.options[v.name]);
    const values = ready ? this.memoValues() : undefined;
    return html`
      <div class="toolbar">
        <h1>${d.title} <a href=${href('/dashboards')}>all dashboards</a></h1>
        <sl-time-picker .from=${this.range.from} .to=${this.range.to} .refresh=${this.params?.refresh ?? ''}
          @range-change=${(e) => setParams({ from: e.detail.from, to: e.detail.to }, { push: true })}
          @refresh-change=${(e) => setParams({ refresh: e.detail.refresh })}></sl-time-picker>
        <button class="refresh-now" title="Run the queries again" @click=${this.refreshNow}>↻ Refresh</button>
      </div>
      ${this.variables.length ? html`<div class="vars">${this.variables.filter((v) => v.hide !== 2).map((v) => this.variable(v))}</div>` : ''}
      ${values ? this.grid(d, values) : html`<sl-loading>Loading variables…</sl-loading>`}
    `;
  }

  variable(v) {
    const list = this.options[v.name];
    const picked = new Set(list ? this.selected(v) : []);
    return html`<label>${v.label || v.name}
      <select name=${`var-${v.name}`} ?multiple=${!!v.multi} size=${v.multi ? Math.min(4, list?.length || 1) : 1}
        ?disabled=${!list} @change=${(e) => this.pick(v, e.target)}>
        ${(list ?? []).map((o) => html`<option value=${o.value} ?selected=${picked.has(o.value)}>${o.text}</option>`)}
      </select>
      ${this.optionErrors[v.name] ? html`<sl-error .message=${this.optionErrors[v.name]}></sl-error>` : ''}
    </label>`;
  }

  /** The same object while nothing changed, so panels query again only when a variable did. */
  memoValues() {
    const values = this.valuesWith(this.options);
    const key = JSON.stringify(values);
    if (key !== this.valuesKey) {
      this.valuesKey = key;
      this.values = values;
    }
    return this.values;
  }

  /** Panels in reading order; a collapsed row hides its panels (nested in it, or up to the next row). */
  visiblePanels(d) {
    const sorted = [...(d.panels ?? [])].sort((a, b) => (a.gridPos?.y ?? 0) - (b.gridPos?.y ?? 0)
      || (a.gridPos?.x ?? 0) - (b.gridPos?.x ?? 0));
    const out = [];
    let hidden = false;
    for (const p of sorted) {
      if (p.type === 'row') {
        hidden = this.collapsed.has(p.id);
        out.push(p);
        if (!hidden) out.push(...(p.panels ?? []));
      } else if (!hidden) {
        out.push(p);
      }
    }
    return out;
  }

  grid(d, values) {
    return html`<div class="grid">
      ${repeat(this.visiblePanels(d), (p, i) => p.id ?? `i${i}`, (p) => (p.type === 'row' ? this.row(p) : html`
        <sl-dashboard-panel data-title=${p.title ?? ''} .panel=${p} .values=${values} .range=${this.resolved}
          .tick=${this.tick}
          style="grid-column: ${Math.min(24, (p.gridPos?.x ?? 0) + 1)} / span ${Math.min(24, p.gridPos?.w ?? 12)};
            grid-row: span ${p.gridPos?.h ?? 8}"></sl-dashboard-panel>`))}
    </div>`;
  }

  row(p) {
    const collapsed = this.collapsed.has(p.id);
    return html`<div class="rowhead">
      <button aria-expanded=${!collapsed} @click=${() => this.toggleRow(p.id)}>${collapsed ? '▸' : '▾'}
        ${interpolate(p.title ?? '', this.values ?? {})}</button>
    </div>`;
  }

  toggleRow(id) {
    const next = new Set(this.collapsed);
    if (next.has(id)) next.delete(id); else next.add(id);
    this.collapsed = next;
  }
}
customElements.define('sl-dashboard-page', DashboardPage);
