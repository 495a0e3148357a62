import { LitElement, html, css } from 'lit';
import { controls } from './styles.js';

/**
 * A query box with completion, shared by PromQL, LogQL and TraceQL. The language lives in the page's completion
 * provider, so this element only knows text, a cursor and a list:
 *
 *   .complete = async (text, cursor, { explicit }) => ({ from, to, items: [{ label, insert?, detail?, kind? }] })
 *
 * `explicit` is true when the user asked (Ctrl+Space), so a provider may offer everything where typing would not.
 * `from`..`to` is the part of the text an item replaces. Enter runs the query (`run` event), Shift+Enter is a new
 * line, Ctrl+Space asks for completions, arrows and Tab/Enter pick one, Escape closes the list. Every edit fires
 * `query-input` with {value}. `.error` is shown under the box (a parse error from the server, say).
 */
export class QueryEditor extends LitElement {
  static properties = {
    value: {}, placeholder: {}, error: {}, label: {}, complete: { attribute: false },
    items: { state: true }, active: { state: true },
  };
  static styles = [controls, css`
    :host { display: block; position: relative; }
    textarea { width: 100%; box-sizing: border-box; resize: vertical; min-height: 34px; font-family: var(--mono);
      font-size: 13px; line-height: 1.5; padding: 6px 8px; }
    textarea[aria-invalid="true"] { border-color: var(--error); }
    ul { position: absolute; z-index: 30; left: 0; top: 100%; margin: 2px 0 0; padding: 2px 0; list-style: none;
      min-width: 280px; max-width: 640px; max-height: 260px; overflow: auto; background: var(--bg-panel);
      border: 1px solid var(--border); border-radius: var(--radius); box-shadow: 0 4px 16px #0003; }
    li { padding: 2px 8px; cursor: pointer; display: flex; gap: 12px; justify-content: space-between;
      font-family: var(--mono); font-size: 13px; }
    li[aria-selected="true"] { background: var(--accent); color: var(--accent-fg); }
    li .detail { color: var(--fg-muted); font-family: var(--font); font-size: 12px; }
    li[aria-selected="true"] .detail { color: inherit; }
    .error { margin-top: 4px; color: var(--error); font-family: var(--mono); font-size: 12px; white-space: pre-wrap; }
  `];

  constructor() {
    super();
    this.value = '';
    this.items = [];
    this.active = 0;
    this.range = { from: 0, to: 0 };
    this.requestSeq = 0;
  }

  render() {
    const open = this.items.length > 0;
    return html`
      <textarea rows="1" spellcheck="false" autocomplete="off" aria-label=${this.label ?? 'Query'}
        placeholder=${this.placeholder ?? ''} .value=${this.value ?? ''} aria-invalid=${this.error ? 'true' : 'false'}
        role="combobox" aria-expanded=${open} aria-autocomplete="list" aria-controls="completions"
        @input=${this.onInput} @keydown=${this.onKeyDown} @blur=${() => setTimeout(() => this.close(), 150)}></textarea>
      ${open ? html`<ul id="completions" role="listbox">
        ${this.items.map((item, i) => html`
          <li role="option" aria-selected=${i === this.active} @mousedown=${(e) => { e.preventDefault(); this.accept(i); }}>
            <span>${item.label}</span><span class="detail">${item.detail ?? item.kind ?? ''}</span>
          </li>`)}
      </ul>` : ''}
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : ''}
    `;
  }

  get textarea() {
    return this.renderRoot.querySelector('textarea');
  }

  focus() {
    this.textarea?.focus();
  }

  onInput(e) {
    this.value = e.target.value;
    this.autosize();
    this.dispatchEvent(new CustomEvent('query-input', { detail: { value: this.value }, bubbles: true, composed: true }));
    this.suggest();
  }

  autosize() {
    const t = this.textarea;
    t.style.height = 'auto';
    t.style.height = `${Math.min(240, t.scrollHeight + 2)}px`;
  }

  updated(changed) {
    if (changed.has('value') && this.textarea) this.autosize();
    this.renderRoot.querySelector('li[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }

  async suggest(explicit = false) {
    if (!this.complete) return;
    const seq = ++this.requestSeq;
    const text = this.textarea.value;
    const cursor = this.textarea.selectionStart;
    let result;
    try {
      result = await this.complete(text, cursor, { explicit });
    } catch {
      result = undefined; // completion is a help: a failed lookup must not get in the way of typing
    }
    if (seq !== this.requestSeq) return; // an older answer arriving after a newer keystroke
    const items = result?.items ?? [];
    this.range = { from: result?.from ?? cursor, to: result?.to ?? cursor };
    const typed = text.slice(this.range.from, cursor);
    // Nothing to offer when the only candidate is what is already typed.
    this.items = items.length === 1 && (items[0].insert ?? items[0].label) === typed ? [] : items.slice(0, 200);
    this.active = 0;
  }

  onKeyDown(e) {
    const open = this.items.length > 0;
    if (e.key === ' ' && e.ctrlKey) { e.preventDefault(); this.suggest(true); return; }
    if (open && e.key === 'ArrowDown') { e.preventDefault(); this.active = (this.active + 1) % this.items.length; return; }
    if (open && e.key === 'ArrowUp') {
      e.preventDefault();
      this.active = (this.active - 1 + this.items.length) % this.items.length;
      return;
    }
    if (open && (e.key === 'Tab' || (e.key === 'Enter' && !e.shiftKey))) { e.preventDefault(); this.accept(this.active); return; }
    if (open && e.key === 'Escape') { e.preventDefault(); this.close(); return; }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      this.close();
      this.dispatchEvent(new CustomEvent('run', { detail: { value: this.textarea.value }, bubbles: true, composed: true }));
    }
  }

  accept(i) {
    const item = this.items[i];
    if (!item) return;
    const t = this.textarea;
    const insert = item.insert ?? item.label;
    const text = t.value.slice(0, this.range.from) + insert + t.value.slice(this.range.to);
    const caret = this.range.from + (item.caret ?? insert.length);
    this.value = text;
    t.value = text;
    t.setSelectionRange(caret, caret);
    this.close();
    this.dispatchEvent(new CustomEvent('query-input', { detail: { value: text }, bubbles: true, composed: true }));
    t.focus();
    // Accepting a metric name often leads straight to its labels: ask again at the new cursor.
    if (item.again) this.suggest();
  }

  close() {
    this.items = [];
    this.requestSeq++; // an answer still on its way must not open the list again (Escape, Enter, blur)
  }
}
customElements.define('sl-query-editor', QueryEditor);
