// The service graph's data: edges from the metrics generator's service-graph series over a range, the nodes they
// connect, and a left-to-right layered layout.
import { prom } from '../lib/api.js';
import { promDuration } from '../lib/time.js';

const BY = 'client, server, connection_type';

/**
 * Edges over [start, end]: {client, server, connectionType, requests, failed, rate (per second), errorRatio, p95
 * (seconds, or NaN)}. Counts are increases over the whole range, so a short burst of traffic still shows.
 */
export async function loadEdges({ start, end }, opts) {
  const seconds = Math.max(1, Math.round((end - start) / 1000));
  const window = promDuration(seconds);
  const [total, failed, p95] = await Promise.all([
    prom.query(`sum by (${BY}) (increase(traces_service_graph_request_total[${window}]))`, end, opts),
    prom.query(`sum by (${BY}) (increase(traces_service_graph_request_failed_total[${window}]))`, end, opts),
    prom.query(`histogram_quantile(0.95, sum by (${BY}, le) (increase(traces_service_graph_request_server_seconds_bucket[${window}])))`,
      end, opts),
  ]);
  const key = (m) => `${m.client}\u0000${m.server}\u0000${m.connection_type ?? ''}`;
  const valueMap = (answer) => new Map((answer.data?.result ?? []).map((r) => [key(r.metric), Number(r.value[1])]));
  const failedBy = valueMap(failed);
  const p95By = valueMap(p95);
  return (total.data?.result ?? [])
    .map((r) => {
      const k = key(r.metric);
      // increase() extrapolates to the window's edges; requests are whole, so the counts are rounded, but the ratio
      // is taken of the increases themselves, which both carry the same extrapolation.
      const increase = Number(r.value[1]);
      const failedIncrease = failedBy.get(k) ?? 0;
      const requests = Math.round(increase);
      const errors = Math.round(failedIncrease);
      return {
        id: k, client: r.metric.client, server: r.metric.server, connectionType: r.metric.connection_type ?? '',
        requests, failed: errors, rate: increase / seconds, errorRatio: increase > 0 ? failedIncrease / increase : 0,
        p95: p95By.get(k) ?? NaN,
      };
    })
    .filter((e) => e.client && e.server && e.requests > 0)
    .sort((a, b) => a.client.localeCompare(b.client) || a.server.localeCompare(b.server));
}

/**
 * The nodes of the edges. A node is virtual (not an instrumented service) when it only ever calls over virtual edges
 * (the `user` that starts traces) or is only ever called over virtual or database edges (PostgreSQL, an external
 * API); its kind then says which.
 */
export function nodesOf(edges) {
  const nodes = new Map();
  const node = (id) => {
    if (!nodes.has(id)) nodes.set(id, { id, in: 0, out: 0, failedIn: 0, asClient: [], asServer: [] });
    return nodes.get(id);
  };
  for (const e of edges) {
    const c = node(e.client);
    const s = node(e.server);
    c.out += e.requests;
    c.asClient.push(e.connectionType);
    s.in += e.requests;
    s.failedIn += e.failed;
    s.asServer.push(e.connectionType);
  }
  for (const n of nodes.values()) {
    const onlyVirtualClient = n.asServer.length === 0 && n.asClient.every((t) => t === 'virtual_node');
    const onlyCalled = n.asClient.length === 0 && n.asServer.length > 0
      && n.asServer.every((t) => t === 'virtual_node' || t === 'database' || t === 'messaging_system');
    n.kind = n.asServer.includes('database') && onlyCalled ? 'database'
      : n.asServer.includes('messaging_system') && onlyCalled ? 'messaging'
        : onlyVirtualClient || onlyCalled ? 'virtual' : 'service';
    n.errorRatio = n.in > 0 ? n.failedIn / n.in : 0;
  }
  return [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Positions that read left to right: a node's column is the longest chain of calls leading to it (cycles are cut
 * after as many rounds as there are nodes), and nodes in a column are ordered by the mean row of their callers so
 * edges cross little.
 */
export function layeredLayout(nodes, edges, { columnGap = 240, rowGap = 110 } = {}) {
  const layer = new Map(nodes.map((n) => [n.id, 0]));
  for (let round = 0; round < nodes.length; round++) {
    let changed = false;
    for (const e of edges) {
      if (e.client === e.server) continue;
      const next = layer.get(e.client) + 1;
      if (next > layer.get(e.server) && next < nodes.length) {
        layer.set(e.server, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = [];
  for (const n of nodes) (columns[layer.get(n.id)] ??= []).push(n.id);
  const row = new Map();
  const positions = {};
  columns.forEach((ids = [], c) => {
    const score = (id) => {
      const callers = edges.filter((e) => e.server === id && row.has(e.client)).map((e) => row.get(e.client));
      return callers.length ? callers.reduce((a, b) => a + b, 0) / callers.length : 0;
    };
    ids.sort((a, b) => score(a) - score(b) || a.localeCompare(b));
    ids.forEach((id, r) => {
      row.set(id, r);
      positions[id] = { x: c * columnGap, y: (r - (ids.length - 1) / 2) * rowGap };
    });
  });
  return positions;
}
