import { loki } from '../lib/api.js';
import { stringEnd } from './logql-query.js';

// Completion for <sl-query-editor> in LogQL: label names and values inside the stream selector (from Loki's label
// API), pipeline stages and line filters after `|`, label filter values, range durations after `[`, and the range
// functions and aggregations of metric queries where an expression starts.

const STAGES = [
  { label: 'json', detail: 'parser: JSON fields as labels' },
  { label: 'logfmt', detail: 'parser: key=value fields as labels' },
  { label: 'regexp', insert: 'regexp ""', quoted: true, detail: 'parser: named groups of a regex' },
  { label: 'pattern', insert: 'pattern ""', quoted: true, detail: 'parser: <name> placeholders' },
  { label: 'unpack', detail: 'parser: packed JSON' },
  { label: 'line_format', insert: 'line_format ""', quoted: true, detail: 'rewrite the line from a template' },
  { label: 'label_format', insert: 'label_format ', detail: 'rename or template labels' },
  { label: 'drop', insert: 'drop ', detail: 'remove labels' },
  { label: 'keep', insert: 'keep ', detail: 'keep only these labels' },
  { label: 'decolorize', detail: 'strip ANSI colours' },
  { label: 'unwrap', insert: 'unwrap ', detail: 'a label as the sample value' },
];

const LINE_FILTERS = [
  { label: '|=', insert: '|= ""', caret: 4, detail: 'line contains' },
  { label: '!=', insert: '!= ""', caret: 4, detail: 'line does not contain' },
  { label: '|~', insert: '|~ ""', caret: 4, detail: 'line matches regex' },
  { label: '!~', insert: '!~ ""', caret: 4, detail: 'line does not match regex' },
];

/** Labels every OTLP log entry has as structured metadata, which the label API (stream labels only) leaves out. */
const METADATA_LABELS = ['detected_level', 'trace_id', 'span_id', 'severity_text', 'severity_number'];
const LEVELS = ['critical', 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'unknown'];

const RANGE_FUNCTIONS = ['rate', 'count_over_time', 'bytes_over_time', 'bytes_rate', 'rate_counter', 'sum_over_time',
  'avg_over_time', 'min_over_time', 'max_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time',
  'first_over_time', 'last_over_time', 'absent_over_time'];
const AGGREGATIONS = ['sum', 'avg', 'min', 'max', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'sort', 'sort_desc'];
const FUNCTIONS = [
  ...RANGE_FUNCTIONS.map((f) => ({ label: f, insert: `${f}(`, detail: 'range function' })),
  ...AGGREGATIONS.map((f) => ({ label: f, insert: `${f}(`, detail: 'aggregation' })),
];
const DURATIONS = ['1m', '5m', '10m', '1h', '30s'];

const CACHE_MS = 30_000;

/**
 * A completion provider; `range()` gives the {start, end} (epoch ms) the label lookups cover, normally the page's
 * time range.
 */
export function logqlCompletion(range) {
  const cache = new Map();
  const cached = (key, load) => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = load().catch((e) => { cache.delete(key); throw e; });
    cache.set(key, { at: Date.now(), value });
    return value;
  };
  const labelNames = () => cached('labels', () => {
    const { start, end } = range();
    return loki.labels(start, end).then((r) => r.data ?? []);
  });
  // `selector` narrows the values to the streams the matchers typed before this one select, as Grafana does.
  const labelValues = (name, selector) => cached(`values:${name}:${selector ?? ''}`, () => {
    if (name === 'detected_level') return Promise.resolve(LEVELS);
    const { start, end } = range();
    return loki.labelValues(name, start, end, selector).then((r) => r.data ?? []);
  });


  return async (text, cursor) => {
    const before = text.slice(0, cursor);
    const ctx = scan(before);
    let m;
    if (ctx.selector >= 0) {
      // Inside {...}: a value in quotes, a value after an operator, or a label name.
      if (ctx.string >= 0) {
        m = /([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*$/.exec(before.slice(0, ctx.string));
        if (!m) return undefined;
        const closes = text[cursor] === before[ctx.string] ? 1 : 0;
        return filtered(await labelValues(m[1], earlier(before, ctx.selector, m.index)), before.slice(ctx.string + 1),
          ctx.string + 1, cursor + closes, (v) => `${escape(v)}"`);
      }
      if ((m = /([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*$/.exec(before))) {
        return filtered(await labelValues(m[1], earlier(before, ctx.selector, m.index)), '', cursor, cursor,
          (v) => `"${escape(v)}"`);
      }
      if ((m = /[{,]\s*(\w*)$/.exec(before))) {
        const items = (await labelNames()).map((n) => ({ label: n, insert: `${n}=`, detail: 'label', again: true }));
        return byPrefix(items, m[1], cursor - m[1].length, cursor);
      }
      return undefined;
    }
    if (ctx.string >= 0) {
      // A label filter's value in quotes: `| detected_level="err`.
      m = /\|\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*$/.exec(before.slice(0, ctx.string));
      if (!m) return undefined;
      const closes = text[cursor] === before[ctx.string] ? 1 : 0;
      return filtered(await labelValues(m[1]).catch(() => []), before.slice(ctx.string + 1), ctx.string + 1,
        cursor + closes, (v) => `${escape(v)}"`);
    }
    if ((m = /\[(\w*)$/.exec(before))) {
      return byPrefix(DURATIONS.map((d) => ({ label: d, insert: `${d}]`, detail: 'range' })), m[1],
        cursor - m[1].length, cursor);
    }
    if ((m = /\b(?:by|without)\s*\(([\w\s,]*?)(\w*)$/.exec(before))) {
      const names = [...await labelNames(), ...METADATA_LABELS].map((n) => ({ label: n, detail: 'label' }));
      return byPrefix(names, m[2], cursor - m[2].length, cursor);
    }
    if (ctx.pastSelector) {
      if ((m = /\|\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*$/.exec(before))) {
        const values = await labelValues(m[1]).catch(() => []);
        return filtered(values, '', cursor, cursor, (v) => `"${escape(v)}"`);
      }
      if ((m = /(\|\s*)(\w*)$/.exec(before))) {
        // After a pipe: a stage, a label filter, or (nothing typed yet) one of the line filters.
        const from = cursor - m[0].length;
        const names = [...METADATA_LABELS, ...await labelNames().catch(() => [])];
        const items = [
          ...STAGES.map((s) => stage(s)),
          ...names.map((n) => ({ label: n, insert: `| ${n}=`, detail: 'label filter', again: true })),
        ];
        const word = m[2];
        return { from, to: cursor, items: [...(word ? [] : LINE_FILTERS), ...match(items, word)] };
      }
      if ((m = /!$/.exec(before))) {
        return { from: cursor - 1, to: cursor, items: LINE_FILTERS.filter((f) => f.label.startsWith('!')) };
      }
      return undefined;
    }
    // Where an expression starts: a function, or a stream selector.
    if ((m = /(?:^|[\s(,])([A-Za-z_]\w*)?$/.exec(before))) {
      const word = m[1] ?? '';
      const items = [...(word ? [] : [{ label: '{', insert: '{', detail: 'stream selector', again: true }]), ...FUNCTIONS];
      return byPrefix(items, word, cursor - word.length, cursor);
    }
    return undefined;
  };
}

/** The matchers typed before the one at `matcherAt`, as a selector, or undefined when there are none. */
function earlier(text, selectorAt, matcherAt) {
  const others = text.slice(selectorAt + 1, matcherAt).replace(/,\s*$/, '').trim();
  return others ? `{${others}}` : undefined;
}

/**
 * Where the cursor is: `selector` is the index of an unclosed `{` (-1 outside), `string` the index of the quote of
 * an unclosed string (-1 outside), `pastSelector` whether a selector was closed before the cursor in the current
 * expression (so `|` means a pipeline stage).
 */
function scan(text) {
  let selector = -1;
  let pastSelector = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '`') {
      const end = stringEnd(text, i);
      if (end >= text.length) return { selector, string: i, pastSelector };
      i = end;
    } else if (c === '{') {
      selector = i;
    } else if (c === '}') {
      selector = -1;
      pastSelector = true;
    } else if (c === '[' || c === ')') {
      pastSelector = false; // past the range or the call, the pipeline is over
    }
  }
  return { selector, string: -1, pastSelector };
}

/** A stage as inserted after the pipe; a stage that takes a string leaves the cursor between its quotes. */
function stage(s) {
  const insert = `| ${s.insert ?? s.label}`;
  return { ...s, insert, caret: s.quoted ? insert.length - 1 : insert.length };
}

function escape(value) {
  return JSON.stringify(String(value)).slice(1, -1);
}

/** Items whose label starts with what is typed first, then those that contain it. */
function match(items, typed) {
  const t = typed.toLowerCase();
  if (!t) return items;
  const starts = items.filter((i) => i.label.toLowerCase().startsWith(t));
  const contains = items.filter((i) => !i.label.toLowerCase().startsWith(t) && i.label.toLowerCase().includes(t));
  return [...starts, ...contains];
}

function byPrefix(items, typed, from, to) {
  return { from, to, items: match(items, typed) };
}

function filtered(values, typed, from, to, insert) {
  return { from, to, items: match(values.map((v) => ({ label: v, insert: insert(v), detail: 'value' })), typed) };
}
