// Jaeger's trace diff: both traces' span trees folded into one tree keyed by the (service, operation) path from
// the root, so spans that play the same part meet in one node whatever their ids. Each node counts its spans (and
// errors) in A and in B.

/** The merged tree: [{service, name, a, b, errorsA, errorsB, durationA, durationB, change, children}]. */
export function diffTraces(a, b) {
  const roots = new Map();
  const add = (trace, side) => {
    const visit = (span, siblings) => {
      const key = `${span.service}\u0000${span.name}`;
      let node = siblings.get(key);
      if (!node) {
        node = { service: span.service, name: span.name, a: 0, b: 0, errorsA: 0, errorsB: 0, durationA: 0, durationB: 0,
          childMap: new Map() };
        siblings.set(key, node);
      }
      node[side] += 1;
      node[side === 'a' ? 'errorsA' : 'errorsB'] += span.error ? 1 : 0;
      node[side === 'a' ? 'durationA' : 'durationB'] += span.duration;
      span.children.forEach((c) => visit(c, node.childMap));
    };
    trace.roots.forEach((r) => visit(r, roots));
  };
  add(a, 'a');
  add(b, 'b');
  const finish = (map) => [...map.values()].map((n) => {
    const { childMap, ...rest } = n;
    return { ...rest, change: changeOf(n), children: finish(childMap) };
  });
  return finish(roots);
}

function changeOf(n) {
  if (n.b === 0) return 'only-a';
  if (n.a === 0) return 'only-b';
  if (n.a !== n.b) return 'count';
  if (n.errorsA !== n.errorsB) return 'errors';
  return 'same';
}

/** The merged tree's nodes in display order with their depth. */
export function flatten(nodes, depth = 0, out = []) {
  for (const n of nodes) {
    out.push({ ...n, depth });
    flatten(n.children, depth + 1, out);
  }
  return out;
}
