// Completion for TraceQL in <sl-query-editor>: scopes and attribute names (from /api/v2/search/tags), intrinsics,
// and after a comparison operator the values of the attribute on its left (from /api/v2/search/tag/<tag>/values).

import { tempo } from '../lib/api.js';

const INTRINSICS = [
  ['duration', 'span duration'], ['name', 'span name'], ['status', 'span status'], ['statusMessage', 'status message'],
  ['kind', 'span kind'], ['rootName', 'root span name'], ['rootServiceName', 'root service'],
  ['traceDuration', 'trace duration'], ['span:id', 'span id'], ['trace:id', 'trace id'],
];
const ENUMS = {
  status: ['error', 'ok', 'unset'],
  kind: ['server', 'client', 'producer', 'consumer', 'internal', 'unspecified'],
};
const DURATIONS = ['100ms', '500ms', '1s', '5s'];
const OPERATOR = /(=~|!~|!=|>=|<=|=|>|<)\s*$/;

/** A completion provider for <sl-query-editor>; names are fetched once, values once per attribute. */
export function traceqlCompletion() {
  let names;
  const values = new Map();

  const loadNames = async () => {
    if (!names) {
      names = tempo.tags().then((r) => (r.scopes ?? []).filter((s) => s.name !== 'intrinsic')
        .flatMap((s) => (s.tags ?? []).map((t) => ({ label: `${s.name}.${t}`, detail: `${s.name} attribute`, kind: s.name }))))
        .catch((e) => { names = undefined; throw e; });
    }
    return names;
  };
  const loadValues = (tag) => {
    if (!values.has(tag)) {
      values.set(tag, tempo.tagValues(tag).then((r) => r.tagValues ?? []).catch((e) => { values.delete(tag); throw e; }));
    }
    return values.get(tag);
  };

  return async (text, cursor) => {
    const before = text.slice(0, cursor);
    const insideBraces = before.lastIndexOf('{') > before.lastIndexOf('}');
    if (!insideBraces) {
      // A new span set only where one can start: at the beginning or after a span set operator.
      const startsSet = /(^|&&|\|\||\||>>|<<|~|\()\s*$/.test(before) && !/}\s*$/.test(before);
      return startsSet ? { from: cursor, to: cursor, items: [{ label: '{ }', insert: '{  }', caret: 2, detail: 'span set' }] } : undefined;
    }
    const word = /"?[\w.:\-/]*$/.exec(before)[0];
    const from = cursor - word.length;
    const op = OPERATOR.exec(before.slice(0, from));
    if (op) {
      const attr = /([\w.:\-/]+)\s*$/.exec(before.slice(0, from).replace(OPERATOR, ''))?.[1];
      if (!attr) return undefined;
      const typed = word.replace(/^"/, '');
      if (ENUMS[attr]) return { from, to: cursor, items: ENUMS[attr].filter((v) => v.startsWith(typed)).map((v) => ({ label: v, kind: attr })) };
      if (attr === 'duration' || attr === 'traceDuration') return { from, to: cursor, items: DURATIONS.map((v) => ({ label: v })) };
      const found = await loadValues(attr);
      return {
        from, to: cursor,
        items: found.filter((v) => String(v.value).startsWith(typed)).map((v) => ({
          label: v.type === 'string' ? `"${v.value}"` : String(v.value), detail: v.type,
        })),
      };
    }
    const intrinsics = INTRINSICS.map(([label, detail]) => ({ label, detail, kind: 'intrinsic' }));
    const scopes = [{ label: 'span.', detail: 'span attributes', again: true }, { label: 'resource.', detail: 'resource attributes', again: true }];
    const all = [...intrinsics, ...scopes, ...(await loadNames())];
    const typed = word.startsWith('.') ? word.slice(1) : word;
    return { from, to: cursor, items: all.filter((i) => i.label.startsWith(typed) || i.label.split('.').slice(1).join('.').startsWith(typed)) };
  };
}
