// Grafana's template variables: where their options come from, and how their values are written into queries.
import { prom, loki } from '../lib/api.js';
import { promDuration } from '../lib/time.js';

export const ALL = '$__all';

/** The data source kind ("prometheus" or "loki") of a panel, target or variable, as Grafana's JSON names it. */
export function datasourceType(ds, fallback = 'prometheus') {
  const text = typeof ds === 'string' ? ds : ds?.type ?? ds?.uid ?? '';
  if (/loki/i.test(text)) return 'loki';
  if (/prom/i.test(text)) return 'prometheus';
  return fallback;
}

/** The query text of a variable: a string, or the object newer Grafana versions write ({query}, {label, stream}). */
function queryText(variable) {
  const q = variable.query ?? variable.definition ?? '';
  if (typeof q === 'string') return q;
  if (q.query) return q.query;
  if (q.label) return q.stream ? `label_values(${q.stream}, ${q.label})` : `label_values(${q.label})`;
  return '';
}

/**
 * The options of one variable: [{text, value}]. `resolve` writes the variables before this one into its query,
 * so chained variables (`label_values(up{job="$job"}, instance)`) work as in Grafana.
 */
export async function loadOptions(variable, resolve, range, opts) {
  const type = variable.type ?? 'query';
  if (type === 'custom' || type === 'interval') {
    const fromQuery = queryText(variable).split(',').map((s) => s.trim()).filter(Boolean);
    const values = fromQuery.length ? fromQuery : (variable.options ?? []).map((o) => o.value);
    return values.filter((v) => v !== 'auto').map((v) => ({ text: v, value: v }));
  }
  if (type === 'constant' || type === 'textbox') {
    const v = String(queryText(variable));
    return [{ text: v, value: v }];
  }
  if (type !== 'query') throw new Error(`unsupported variable type ${type}`);
  const text = resolve(queryText(variable)).trim();
  const m = /^label_values\(\s*(?:(.+?)\s*,\s*)?([a-zA-Z_][a-zA-Z0-9_.]*)\s*\)$/s.exec(text);
  let values;
  if (datasourceType(variable.datasource) === 'loki') {
    if (!m) throw new Error(`unsupported Loki variable query ${text}: use label_values(label) or label_values({stream}, label)`);
    const answer = await loki.labelValues(m[2], range.start, range.end, m[1], opts);
    values = answer.data ?? [];
  } else if (m) {
    const answer = await prom.labelValues(m[2], m[1], range.start, range.end, opts);
    values = answer.data ?? [];
  } else if (/^label_names\(\s*\)$/.test(text)) {
    values = (await prom.labels(undefined, range.start, range.end, opts)).data ?? [];
  } else if (/^metrics\((.*)\)$/.test(text)) {
    const re = new RegExp(/^metrics\((.*)\)$/.exec(text)[1].trim() || '.*');
    values = ((await prom.labelValues('__name__', undefined, range.start, range.end, opts)).data ?? [])
      .filter((n) => re.test(n));
  } else {
    // query_result(expr) and a bare expression: the values of the series, as Grafana lists them.
    const expr = /^query_result\((.*)\)$/s.exec(text)?.[1] ?? text;
    const answer = await prom.query(expr, range.end, opts);
    values = (answer.data?.result ?? []).map((r) => formatSeriesText(r.metric, r.value?.[1]));
  }
  if (variable.regex) {
    const re = regexOf(variable.regex);
    values = values.flatMap((v) => {
      const hit = re.exec(v);
      if (!hit) return [];
      return [hit.groups?.value ?? hit[1] ?? v];
    });
  }
  values = [...new Set(values)];
  if (variable.sort) values.sort((a, b) => (variable.sort % 2 ? 1 : -1) * a.localeCompare(b, undefined, { numeric: variable.sort >= 3 }));
  return values.map((v) => ({ text: v, value: v }));
}

function formatSeriesText(metric = {}, value) {
  const { __name__: name = '', ...rest } = metric;
  return `${name}{${Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(', ')}} ${value ?? ''}`.trim();
}

/** "/re/flags" as Grafana writes variable regexes, or a bare pattern. */
function regexOf(text) {
  const m = /^\/(.*)\/([gimsuy]*)$/s.exec(text);
  return m ? new RegExp(m[1], m[2].replace('g', '')) : new RegExp(text);
}

/** The time variables Grafana defines for every query. */
export function timeVariables(range, stepSec) {
  const rangeSec = Math.max(1, Math.round((range.end - range.start) / 1000));
  // Grafana's $__rate_interval: at least four scrape intervals (15 s by default), and one step more than one.
  const rateSec = Math.max(stepSec + 15, 60);
  return {
    __range: promDuration(rangeSec), __range_s: String(rangeSec), __range_ms: String(rangeSec * 1000),
    __interval: promDuration(stepSec), __interval_ms: String(stepSec * 1000), __rate_interval: promDuration(rateSec),
    __from: String(Math.round(range.start)), __to: String(Math.round(range.end)),
  };
}

/** Regex special characters escaped for a regex inside a PromQL or LogQL double-quoted string (so doubled). */
function regexEscape(value) {
  return String(value).replace(/[\\^$*+?.()|[\]{}]/g, (c) => `\\\\${c}`);
}

/**
 * Writes variables into a query as Grafana does: `$name`, `${name}`, `${name:format}` and `[[name]]`. `values` maps
 * a name to {values, multi, includeAll, isAll, allValue}, or to a plain string for the time variables. A multi-value
 * or include-all variable is regex-escaped and joined as `(a|b)`; a custom all value is written as it is.
 */
export function interpolate(text, values) {
  if (typeof text !== 'string') return text;
  return text.replace(/\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)(?::(\w+))?\]\]|\$(\w+)/g, (whole, a, fa, b, fb, c) => {
    const name = a ?? b ?? c;
    const format = fa ?? fb;
    const v = values[name];
    if (v === undefined) return whole;
    if (typeof v === 'string') return v;
    if (v.isAll && v.allValue) return v.allValue;
    const list = v.values;
    switch (format) {
      case 'raw': case 'text': return list.join(',');
      case 'csv': return list.join(',');
      case 'pipe': return list.join('|');
      case 'regex': return list.length > 1 ? `(${list.map(regexEscape).join('|')})` : regexEscape(list[0] ?? '');
      default:
        if (!v.multi && !v.includeAll) return list[0] ?? '';
        return list.length > 1 ? `(${list.map(regexEscape).join('|')})` : regexEscape(list[0] ?? '');
    }
  });
}
