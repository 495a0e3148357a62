import { LitElement, html, css } from 'lit';
import { controls } from './components/styles.js';
import { href, navigate, onRouteChange, route } from './lib/router.js';
import './components/status.js';

// Each view is a module of its own, loaded the first time it is opened, so the first page only pays for itself.
// A route maps the path below /ui to the module and the element it defines; `:name` segments become the page's
// `routeArgs`.
const ROUTES = [
  { pattern: '/metrics', module: './metrics/metrics-page.js', tag: 'sl-metrics-page', nav: 'Metrics' },
  { pattern: '/traces', module: './traces/traces-page.js', tag: 'sl-traces-page', nav: 'Traces' },
  { pattern: '/trace/:id', module: './traces/trace-page.js', tag: 'sl-trace-page', section: '/traces' },
  { pattern: '/compare', module: './traces/trace-compare.js', tag: 'sl-trace-compare', section: '/traces' },
  { pattern: '/logs', module: './logs/logs-page.js', tag: 'sl-logs-page', nav: 'Logs' },
  { pattern: '/services', module: './services/service-graph-page.js', tag: 'sl-service-graph-page', nav: 'Service graph' },
  { pattern: '/dashboards', module: './dashboards/dashboards-page.js', tag: 'sl-dashboards-page', nav: 'Dashboards' },
  { pattern: '/dashboards/:uid', module: './dashboards/dashboard-page.js', tag: 'sl-dashboard-page', section: '/dashboards' },
];

/** The route for a path and its arguments, or undefined. */
export function match(path) {
  const parts = path.split('/').filter(Boolean);
  for (const r of ROUTES) {
    const pattern = r.pattern.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const args = {};
    if (pattern.every((p, i) => (p.startsWith(':') ? (args[p.slice(1)] = decodeURIComponent(parts[i])) : p === parts[i]))) {
      return { ...r, args };
    }
  }
  return undefined;
}

export class App extends LitElement {
  static properties = { current: { state: true }, error: { state: true }, theme: { state: true } };
  static styles = [controls, css`
    :host { display: flex; flex-direction: column; min-height: 100vh; }
    header { display: flex; align-items: center; gap: 4px; padding: 0 12px; height: 44px;
      border-bottom: 1px solid var(--border); background: var(--bg-panel); }
    .brand { font-weight: 700; margin-right: 16px; color: var(--fg); display: flex; align-items: center; gap: 6px; }
    nav { display: flex; gap: 2px; flex: 1; }
    nav a { color: var(--fg-muted); padding: 6px 10px; border-radius: var(--radius); }
    nav a:hover { background: var(--bg-hover); text-decoration: none; }
    nav a[aria-current="page"] { color: var(--fg); background: var(--bg-hover); font-weight: 600; }
    main { flex: 1; padding: 12px; min-width: 0; }
  `];

  constructor() {
    super();
    this.theme = document.documentElement.dataset.theme;
    this.current = route();
    onRouteChange((r) => (this.current = r));
    addEventListener('keydown', (e) => this.shortcut(e));
  }

  render() {
    let { path } = this.current;
    if (path === '/') {
      queueMicrotask(() => history.replaceState(null, '', href('/metrics')) || (this.current = route()));
      path = '/metrics';
    }
    const r = match(path);
    const section = r?.section ?? r?.pattern;
    return html`
      <header>
        <a class="brand" href=${href('/metrics')}>◉ Sightline</a>
        <nav aria-label="Main">
          ${ROUTES.filter((x) => x.nav).map((x, i) => html`
            <a href=${href(x.pattern)} aria-current=${section === x.pattern ? 'page' : 'false'}
              title="${x.nav} (Alt+${i + 1})">${x.nav}</a>`)}
        </nav>
        <button class="theme" title="Switch light or dark theme" aria-label="Switch theme"
          @click=${this.toggleTheme}>${this.theme === 'dark' ? '☀' : '☾'}</button>
      </header>
      <main>${r ? this.page(r) : html`<sl-error .message=${`No page at ${path}`}></sl-error>`}</main>
    `;
  }

  page(r) {
    if (!customElements.get(r.tag)) {
      import(r.module).then(() => this.requestUpdate(), (e) => (this.error = `cannot load ${r.module}: ${e.message}`));
      return this.error ? html`<sl-error .message=${this.error}></sl-error>` : html`<sl-loading></sl-loading>`;
    }
    // One element per route: going back to a page keeps nothing stale, because every page renders from its URL.
    if (this.pageElement?.localName !== r.tag) this.pageElement = document.createElement(r.tag);
    this.pageElement.routeArgs = r.args;
    this.pageElement.params = Object.fromEntries(this.current.params);
    return this.pageElement;
  }

  toggleTheme() {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = this.theme;
    localStorage.setItem('sightline.theme', this.theme);
    // Canvas-drawn graphs read their colours once; they redraw on this.
    dispatchEvent(new CustomEvent('sl-theme-change', { detail: this.theme }));
  }

  shortcut(e) {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const nav = ROUTES.filter((x) => x.nav);
    const i = Number(e.key) - 1;
    if (i >= 0 && i < nav.length) {
      e.preventDefault();
      navigate(nav[i].pattern);
    }
  }
}
customElements.define('sl-app', App);
