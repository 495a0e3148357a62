// What the logs page needs to know about a LogQL query without a parser of its own: whether it returns lines, where
// its stream selector ends, and how to add a matcher or a label filter to it (the "filter for value" buttons).
// Strings are skipped as LogQL lexes them: "..." with backslash escapes and `...` raw.

/** A log query starts with its stream selector; anything else (rate(...), sum by ...) returns samples. */
export function isLogQuery(query) {
  return /^\s*\{/.test(query ?? '');
}

/** The index just past the `}` that closes the first stream selector, or -1 when it is not closed. */
export function selectorEnd(query) {
  const open = query.indexOf('{');
  if (open < 0) return -1;
  for (let i = open + 1; i < query.length; i++) {
    const c = query[i];
    if (c === '"' || c === '`') i = stringEnd(query, i);
    else if (c === '}') return i + 1;
  }
  return -1;
}

/** The index of the closing quote of the string that opens at `start` (or the text's length if it is open). */
export function stringEnd(text, start) {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

/** A value as a LogQL double-quoted string (JSON's escapes are Go's). */
export function quote(value) {
  return JSON.stringify(String(value));
}

const MATCHER = /([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)/g;

/**
 * The query with `name op "value"` in its stream selector. "Filter for" replaces every matcher on that label;
 * "filter out" takes out only the one that asked for exactly that value, which would leave nothing.
 */
export function withStreamMatcher(query, name, value, op = '=') {
  const end = selectorEnd(query);
  if (end < 0) return query;
  const open = query.indexOf('{');
  const matchers = [...query.slice(open + 1, end - 1).matchAll(MATCHER)]
    .map((m) => ({ name: m[1], op: m[2], text: `${m[1]}${m[2]}${m[3]}` }))
    .filter((m) => m.name !== name || (op !== '=' && m.text !== `${name}=${quote(value)}`));
  const wanted = `${name}${op}${quote(value)}`;
  if (!matchers.some((m) => m.text === wanted)) matchers.push({ text: wanted, op });
  // Loki refuses a selector that every stream matches ({a!="x"}); the label filter says the same and is allowed.
  if (!matchers.some((m) => m.op === '=' || m.op === '=~')) return withLabelFilter(query, name, value, op);
  return `${query.slice(0, open)}{${matchers.map((m) => m.text).join(', ')}}${query.slice(end)}`;
}

/**
 * The query with a label filter stage at its end: `| name="value"` or `| name!="value"`; the stage saying the
 * opposite of the new one is taken out, so "filter out" after "filter for" does not leave both.
 */
export function withLabelFilter(query, name, value, op = '=') {
  const stage = (o) => `| ${name}${o}${quote(value)}`;
  const opposite = stage(op === '=' ? '!=' : '=');
  let q = query.trimEnd();
  const at = q.indexOf(opposite);
  if (at >= 0) q = (q.slice(0, at).trimEnd() + ' ' + q.slice(at + opposite.length).trimStart()).trimEnd();
  return q.endsWith(stage(op)) ? q : `${q} ${stage(op)}`;
}

/**
 * Grafana's logs volume for a log query: lines per detected level in each step, a metric query over the same
 * selector and filters.
 */
export function volumeQuery(query, step) {
  return `sum by (detected_level) (count_over_time(${query.trim()} [${step}]))`;
}

const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** A round step in seconds that cuts the range into about `bars` bars. */
export function volumeStep(startMs, endMs, bars = 100) {
  const raw = (endMs - startMs) / 1000 / bars;
  return NICE_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 86400) * 86400;
}
