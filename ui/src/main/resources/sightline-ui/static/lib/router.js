// The UI's whole state lives in the URL (path + query string), so every view can be shared as a link and the
// back button works. Pages read their state with params() and write it with setParams().

const listeners = new Set();

export const BASE = '/ui';

/** The current route: the path below /ui (always starting with '/') and the query parameters. */
export function route() {
  let path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  if (path === '') path = '/';
  return { path, params: new URLSearchParams(location.search) };
}

/** Query parameters of the current URL as a plain object (the last value wins for repeated names). */
export function params() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

/**
 * A link to a UI path with parameters, for href attributes. Empty and undefined values are left out; an array is
 * written as the parameter repeated (Grafana's `var-x=a&var-x=b`).
 */
export function href(path, values = {}) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (Array.isArray(v)) v.filter((x) => x !== undefined && x !== null && x !== '').forEach((x) => search.append(k, String(x)));
    else if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  }
  const qs = search.toString();
  return BASE + path + (qs ? '?' + qs : '');
}

/** Goes to another view (a new history entry). */
export function navigate(path, values = {}) {
  history.pushState(null, '', href(path, values));
  notify();
}

/**
 * Changes parameters of the current view. replace (the default) keeps typing or zooming from filling the history;
 * pass {push: true} for a change the user would want to go back from (running a query, picking a range).
 */
export function setParams(values, { push = false } = {}) {
  const merged = { ...params(), ...values };
  const url = href(route().path, merged);
  if (url === location.pathname + location.search) return;
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  notify();
}

export function onRouteChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify() {
  for (const l of listeners) l(route());
}

addEventListener('popstate', notify);

// Same-origin links inside the app move without a page load. Shadow roots hide the <a> from event.target, so the
// composed path is searched.
addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const a = event.composedPath().find((n) => n instanceof HTMLAnchorElement);
  if (!a || a.target || a.origin !== location.origin || !a.pathname.startsWith(BASE)) return;
  event.preventDefault();
  history.pushState(null, '', a.pathname + a.search);
  notify();
});
