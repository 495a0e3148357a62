import { LitElement, html, css } from 'lit';

/** A spinner shown while a query runs; role=status so screen readers and tests can find it. */
export class Loading extends LitElement {
  static styles = css`
    :host { display: inline-flex; align-items: center; gap: 6px; color: var(--fg-muted); }
    .spin { width: 12px; height: 12px; border: 2px solid var(--border); border-top-color: var(--accent);
      border-radius: 50%; animation: spin 0.8s linear infinite; }
    @keyframes spin { to { transform: rotate(360deg); } }
  `;
  render() {
    return html`<span class="spin" role="status" aria-label="loading"></span><slot>Loading…</slot>`;
  }
}
customElements.define('sl-loading', Loading);

/** A query error, shown right where the query is: the message the API sent, in the API's words. */
export class ErrorBox extends LitElement {
  static properties = { message: {} };
  static styles = css`
    :host { display: block; }
    div { color: var(--error); background: var(--error-bg); border: 1px solid var(--error);
      border-radius: var(--radius); padding: 6px 10px; font-family: var(--mono); font-size: 13px; white-space: pre-wrap; }
  `;
  render() {
    return this.message ? html`<div role="alert" class="error">${this.message}</div>` : '';
  }
}
customElements.define('sl-error', ErrorBox);
