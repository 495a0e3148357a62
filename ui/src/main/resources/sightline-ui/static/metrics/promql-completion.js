import { prom } from '../lib/api.js';
import { DURATIONS, GROUPING, WORDS } from './promql-vocabulary.js';

// PromQL completion for <sl-query-editor>: it finds out where the cursor is (a word, a label matcher inside {...},
// a range after "[", a "by (...)" list) from the text before it, and asks the server only for what that place needs.
// Lookups are cached per metric for a few seconds, so typing a selector asks once, not once a key.

const CACHE_MS = 5000;
const IDENT = /[a-zA-Z_:][\w:]*$/;

/**
 * A completion provider. `range()` gives the {start, end} (epoch ms) the names and values should come from, so the
 * lists match what the graph will show.
 */
export function promqlCompletion(range = () => ({})) {
  const cache = new Map();

  // A failed lookup is dropped from the cache, so the next keystroke tries again.
  function cached(key, load) {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = load().catch((e) => {
      cache.delete(key);
      throw e;
    });
    cache.set(key, { at: Date.now(), value });
    return value;
  }

  const metricNames = () => cached('__name__', async () => {
    const r = range();
    const [names, metadata] = await Promise.all([
      prom.labelValues('__name__', undefined, r.start, r.end),
      prom.metadata().catch(() => ({ data: {} })),
    ]);
    return names.data.map((name) => ({ name, type: metadata.data?.[name]?.[0]?.type }));
  });
  const labelNames = (metric) => cached(`labels:${metric}`, async () => {
    const r = range();
    const names = (await prom.labels(metric || undefined, r.start, r.end)).data;
    return names.filter((n) => n !== '__name__');
  });
  const labelValues = (metric, label) => cached(`values:${metric}:${label}`, async () => {
    const r = range();
    return (await prom.labelValues(label, metric || undefined, r.start, r.end)).data;
  });

  return async function complete(text, cursor, { explicit = false } = {}) {
    const before = text.slice(0, cursor);
    const after = text.slice(cursor);
    const place = locate(before);

    if (place.kind === 'string' && place.opener?.char !== '{') return undefined;
    if (place.opener?.char === '{') {
      const metric = metricBefore(text.slice(0, place.opener.at));
      return matcherCompletion(before.slice(place.opener.at + 1), after, cursor, place.kind === 'string', metric,
        { labelNames, labelValues });
    }
    if (place.opener?.char === '[') {
      const typed = /[\w]*$/.exec(before)[0];
      const closed = after.startsWith(']');
      return {
        from: cursor - typed.length, to: cursor,
        items: filter(DURATIONS, typed).map((d) => (closed ? { ...d, insert: d.label } : d)),
      };
    }
    const word = IDENT.exec(before)?.[0] ?? '';
    const rest = /^[\w:]*/.exec(after)[0];
    const from = cursor - word.length;
    if (place.opener?.char === '(' && GROUPING.has(wordBefore(text.slice(0, place.opener.at)))) {
      const metric = firstMetric(text);
      const names = await labelNames(metric);
      return { from, to: cursor + rest.length, items: filter(names.map((n) => ({ label: n, kind: 'label' })), word) };
    }
    // An empty word offers everything only when asked for (Ctrl+Space): a list after every "(" would get in the way.
    if ((!word && !explicit) || /\d$/.test(before.slice(0, from))) return undefined;
    const metrics = (await metricNames()).map(({ name, type }) =>
      ({ label: name, detail: type ? `metric · ${type}` : 'metric', kind: 'metric' }));
    return { from, to: cursor + rest.length, items: filter([...metrics, ...WORDS], word) };
  };
}

/** Completion inside a selector's braces: label names, then (after an operator) the values of that label. */
async function matcherCompletion(inside, after, cursor, inString, metric, { labelNames, labelValues }) {
  const matcher = inside.slice(lastComma(inside) + 1);
  const value = /([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*)?$/.exec(matcher);
  if (value) {
    const [, label, , quoted] = value;
    const typed = inString ? quoted.slice(1) : '';
    // Inside the quotes the item replaces the rest of the string and its closing quote; before them it adds both.
    const rest = inString ? /^(?:[^"\\]|\\.)*"?/.exec(after)[0] : '';
    const values = await labelValues(metric, label);
    const items = values.map((v) => {
      const escaped = v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
      return { label: v, insert: inString ? `${escaped}"` : `"${escaped}"`, kind: 'value', detail: label };
    });
    return { from: cursor - typed.length, to: cursor + rest.length, items: filter(items, typed) };
  }
  if (inString) return undefined;
  const name = /^\s*([a-zA-Z_]\w*)?$/.exec(matcher);
  if (!name) return undefined;
  const typed = name[1] ?? '';
  const rest = /^\w*/.exec(after)[0];
  const hasOperator = /^\w*\s*(=~|!~|!=|=)/.test(after);
  const names = await labelNames(metric);
  const items = names.map((n) => (hasOperator ? { label: n, kind: 'label' }
    : { label: n, insert: `${n}="`, kind: 'label', detail: 'label', again: true }));
  return { from: cursor - typed.length, to: cursor + rest.length, items: filter(items, typed) };
}

/**
 * Where the end of `text` is: inside a string or not, and the innermost bracket still open ({, [ or ( with its
 * position). Strings are skipped, so a "{" in a label value opens nothing.
 */
export function locate(text) {
  const open = [];
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return { kind: 'comment' };
      i = nl;
    } else if (c === '{' || c === '[' || c === '(') {
      open.push({ char: c, at: i });
    } else if (c === '}' || c === ']' || c === ')') {
      open.pop();
    }
  }
  return { kind: quote ? 'string' : 'code', opener: open[open.length - 1] };
}

function lastComma(inside) {
  let quote = false;
  let last = -1;
  for (let i = 0; i < inside.length; i++) {
    const c = inside[i];
    if (quote && c === '\\') i++;
    else if (c === '"') quote = !quote;
    else if (!quote && c === ',') last = i;
  }
  return last;
}

/** The metric name written just before a selector's "{", or '' for a bare {...}. */
function metricBefore(text) {
  const name = /([a-zA-Z_:][\w:]*)\s*$/.exec(text)?.[1] ?? '';
  return GROUPING.has(name) ? '' : name;
}

function wordBefore(text) {
  return /([a-zA-Z_]\w*)\s*$/.exec(text)?.[1] ?? '';
}

/** The first metric name in a query, for the labels a "by (...)" can name. */
function firstMetric(text) {
  const words = WORDS.map((w) => w.label);
  // Label names (in braces and groupings) and durations are not metric names.
  const bare = text.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\{[^}]*\}?/g, '{}')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)?/g, '').replace(/\[[^\]]*\]?/g, '[]');
  for (const m of bare.matchAll(/(?<![\w:.])[a-zA-Z_:][\w:]*/g)) {
    const following = bare.slice(m.index + m[0].length).trimStart()[0];
    if (!words.includes(m[0]) && following !== '(' && following !== '=') return m[0];
  }
  return '';
}

/** Items starting with what was typed first, then those containing it; case does not matter. */
function filter(items, typed) {
  if (!typed) return items;
  const t = typed.toLowerCase();
  const starts = [];
  const contains = [];
  for (const item of items) {
    const label = item.label.toLowerCase();
    if (label.startsWith(t)) starts.push(item); else if (label.includes(t)) contains.push(item);
  }
  return [...starts, ...contains];
}
