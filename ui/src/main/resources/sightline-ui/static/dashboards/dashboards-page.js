import { LitElement, html, css } from 'lit';
import { controls } from '../components/styles.js';
import { ui } from '../lib/api.js';
import { href, navigate, setParams } from '../lib/router.js';
import '../components/status.js';

/**
 * The dashboards list (`/dashboards`): built-in, provisioned and imported dashboards, searchable by title or tag
 * (`?search=`, `?tag=`), and the import of a Grafana dashboard JSON, pasted or read from a file.
 */
export class DashboardsPage extends LitElement {
  static properties = {
    params: { attribute: false }, routeArgs: { attribute: false },
    dashboards: { state: true }, error: { state: true },
    importing: { state: true }, importError: { state: true }, busy: { state: true },
  };
  static styles = [controls, css`
    :host { display: block; max-width: 1100px; }
    .toolbar { display: flex; gap: 8px; align-items: center; margin-bottom: 12px; }
    h1 { font-size: 18px; margin: 0; flex: 1; }
    input[type="search"] { width: 320px; }
    .tag { display: inline-block; border: 1px solid var(--border); border-radius: 10px; padding: 0 8px; margin-right: 4px;
      font-size: 12px; color: var(--fg-muted); background: var(--bg); cursor: pointer; }
    .tag[aria-pressed="true"] { border-color: var(--accent); color: var(--accent); }
    dialog { background: var(--bg-panel); color: var(--fg); border: 1px solid var(--border); border-radius: var(--radius);
      width: min(800px, 90vw); }
    dialog::backdrop { background: #0007; }
    dialog h2 { margin-top: 0; font-size: 16px; }
    textarea { width: 100%; box-sizing: border-box; height: 320px; font-family: var(--mono); font-size: 12px; }
    .actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 8px; align-items: center; }
    .actions label { flex: 1; }
    .source { font-size: 12px; }
  `];

  constructor() {
    super();
    this.load();
  }

  async load() {
    try {
      this.dashboards = (await ui.request('/ui/api/dashboards')).dashboards;
      this.error = '';
    } catch (e) {
      this.error = e.message;
    }
  }

  get filtered() {
    const search = (this.params?.search ?? '').toLowerCase();
    const tag = this.params?.tag ?? '';
    return (this.dashboards ?? []).filter((d) => (!tag || d.tags.includes(tag))
      && (!search || d.title.toLowerCase().includes(search) || d.tags.some((t) => t.toLowerCase().includes(search))));
  }

  render() {
    return html`
      <div class="toolbar">
        <h1>Dashboards</h1>
        <input type="search" aria-label="Search dashboards by title or tag" placeholder="Search by title or tag"
          .value=${this.params?.search ?? ''} @input=${(e) => setParams({ search: e.target.value })}>
        ${this.params?.tag ? html`<button class="tag" aria-pressed="true" title="Remove the tag filter"
          @click=${() => setParams({ tag: '' })}>${this.params.tag} ✕</button>` : ''}
        <button class="primary" @click=${this.openImport}>Import</button>
      </div>
      ${this.error ? html`<sl-error .message=${this.error}></sl-error>` : ''}
      ${this.dashboards === undefined && !this.error ? html`<sl-loading></sl-loading>` : this.table()}
      ${this.dialog()}
    `;
  }

  table() {
    const list = this.filtered;
    if (this.dashboards && !list.length) return html`<p class="muted">No dashboard matches.</p>`;
    return html`<table aria-label="Dashboards">
      <thead><tr><th scope="col">Title</th><th scope="col">Tags</th><th scope="col">Source</th></tr></thead>
      <tbody>${list.map((d) => html`<tr>
        <td><a href=${href(`/dashboards/${encodeURIComponent(d.uid)}`)}>${d.title}</a></td>
        <td>${d.tags.map((t) => html`<button class="tag" aria-pressed=${this.params?.tag === t}
          title="Show only dashboards tagged ${t}" @click=${() => setParams({ tag: t })}>${t}</button>`)}</td>
        <td class="source muted">${d.source}</td>
      </tr>`)}</tbody>
    </table>`;
  }

  dialog() {
    return html`<dialog aria-labelledby="import-title" @close=${() => (this.importing = false)}>
      <h2 id="import-title">Import a Grafana dashboard</h2>
      <p class="muted">Paste the dashboard JSON (Grafana's "Export → Save to file", or the JSON model) or pick the file.
        Time series, stat, table and logs panels over Prometheus and Loki queries are drawn.</p>
      <textarea aria-label="Dashboard JSON" spellcheck="false"></textarea>
      ${this.importError ? html`<sl-error .message=${this.importError}></sl-error>` : ''}
      <div class="actions">
        <label>Or upload a file <input type="file" accept=".json,application/json" @change=${this.readFile}></label>
        <button @click=${() => this.renderRoot.querySelector('dialog').close()}>Cancel</button>
        <button class="primary" ?disabled=${this.busy} @click=${this.submit}>Import dashboard</button>
      </div>
    </dialog>`;
  }

  openImport() {
    this.importError = '';
    const dialog = this.renderRoot.querySelector('dialog');
    dialog.querySelector('textarea').value = '';
    dialog.showModal();
    dialog.querySelector('textarea').focus();
  }

  async readFile(e) {
    const file = e.target.files?.[0];
    if (!file) return;
    this.renderRoot.querySelector('textarea').value = await file.text();
  }

  async submit() {
    const text = this.renderRoot.querySelector('textarea').value;
    if (!text.trim()) {
      this.importError = 'Paste a dashboard JSON or pick a file first';
      return;
    }
    // The server checks the same and answers 400; checking here first answers at once, without a failed request.
    const problem = precheck(text);
    if (problem) {
      this.importError = problem;
      return;
    }
    this.busy = true;
    this.importError = '';
    try {
      const saved = await ui.request('/ui/api/dashboards', {}, { method: 'POST', body: text, contentType: 'application/json' });
      this.renderRoot.querySelector('dialog').close();
      await this.load();
      navigate(`/dashboards/${encodeURIComponent(saved.uid)}`);
    } catch (e) {
      this.importError = e.status === 413 ? `Too large: ${e.message}` : e.message;
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('sl-dashboards-page', DashboardsPage);

/** What the server would refuse in a pasted dashboard (in its words), or '' when it looks importable. */
export function precheck(text) {
  let root;
  try {
    root = JSON.parse(text);
  } catch (e) {
    return `not valid JSON: ${e.message}`;
  }
  const d = root && typeof root.dashboard === 'object' && root.dashboard !== null ? root.dashboard : root;
  if (!d || typeof d !== 'object' || Array.isArray(d)) return 'a dashboard is a JSON object';
  if (typeof d.title !== 'string' || !d.title.trim()) return 'the dashboard has no title';
  if (d.panels !== undefined && d.panels !== null && !Array.isArray(d.panels)) return '"panels" must be a list';
  return '';
}
