import { css } from 'lit';

/** The controls every page uses, so buttons, inputs and panels look the same everywhere. */
export const controls = css`
  :host { font: inherit; color: var(--fg); }
  button, select, input, textarea {
    font: inherit; color: var(--fg); background: var(--bg-input);
    border: 1px solid var(--border); border-radius: var(--radius); padding: 4px 8px;
  }
  button { cursor: pointer; background: var(--bg-panel); }
  button:hover { background: var(--bg-hover); }
  button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
  button:disabled { opacity: 0.5; cursor: default; }
  :focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
  a { color: var(--accent); text-decoration: none; }
  a:hover { text-decoration: underline; }
  .panel { background: var(--bg-panel); border: 1px solid var(--border); border-radius: var(--radius); padding: var(--gap); }
  .row { display: flex; gap: var(--gap); align-items: center; flex-wrap: wrap; }
  .muted { color: var(--fg-muted); }
  .mono { font-family: var(--mono); font-size: 13px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--border); vertical-align: top; }
  th { color: var(--fg-muted); font-weight: 600; }
`;
