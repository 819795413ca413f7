import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Connection pool figures, read at scrape time. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/**
 * The service's metrics, in a private registry (one per app instance, so tests never share counters).
 * `route` is always the matched route pattern, never the raw path, to keep label cardinality bounded.
 */
export function createServiceMetrics(registry: Registry = new Registry()) {
  const registers = [registry];
  const metrics = {
    registry,
    httpRequests: new Counter({
      name: "datastorage_http_requests_total",
      help: "HTTP requests by method, matched route pattern and status",
      labelNames: ["method", "route", "status"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "datastorage_http_request_duration_seconds",
      help: "HTTP request duration by method, matched route pattern and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    auditWrites: new Counter({
      name: "datastorage_audit_writes_total",
      help: "Audit records received, by source controller and outcome (inserted, duplicate, rejected, throttled, failed)",
      labelNames: ["source", "outcome"] as const,
      registers,
    }),
    auditDuplicates: new Counter({
      name: "datastorage_audit_duplicates_total",
      help: "Audit records whose event_id was already stored (retries), by source controller",
      labelNames: ["source"] as const,
      registers,
    }),
    batchSize: new Histogram({
      name: "datastorage_audit_batch_records",
      help: "Records per accepted POST /api/v1/audit/batch",
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    }),
    dbRetries: new Counter({
      name: "datastorage_db_retries_total",
      help: "Statements run again after a transient database failure, by SQLSTATE (40P01 deadlock, 40001 serialization failure, …; connection when the connection was lost)",
      labelNames: ["code"] as const,
      registers,
    }),
    retentionRowsMoved: new Counter({
      name: "datastorage_retention_rows_moved_total",
      help: "Rows moved from an audit table to its archive by the retention job",
      labelNames: ["table"] as const,
      registers,
    }),
    auditLogLeaves: new Counter({
      name: "datastorage_audit_log_leaves_total",
      help: "Audit records sealed into the tamper-evident log by this process",
      registers,
    }),
    auditLogTreeSize: new Gauge({
      name: "datastorage_audit_log_tree_size",
      help: "Leaves of the audit log's Merkle tree, as this process last sealed or read it",
      registers,
    }),
    auditLogCheckpoints: new Counter({
      name: "datastorage_audit_log_checkpoints_total",
      help: "Signed checkpoints written (outcome written), and published outside the database (published, publish_failed)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    dbPoolConnections: new Gauge({
      name: "datastorage_db_pool_connections",
      help: "Database pool connections by state (total, idle, waiting clients)",
      labelNames: ["state"] as const,
      registers,
    }),
  };
  return metrics;
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;

/**
 * Process metrics (CPU, memory, event loop lag) in the same registry; once per process, not per test app.
 * `nodejs_version_info` tells a scraper which runtime (and so which known vulnerabilities) the service runs: it is
 * left out unless `runtimeInfo` (`METRICS_RUNTIME_INFO=true`) asks for it.
 */
export function collectProcessMetrics(registry: Registry, options: { runtimeInfo?: boolean } = {}): void {
  collectDefaultMetrics({ register: registry });
  if (!options.runtimeInfo) registry.removeSingleMetric("nodejs_version_info");
}

/** Refreshes the pool gauges just before a scrape. */
export function recordPoolStats(metrics: ServiceMetrics, stats: PoolStats): void {
  metrics.dbPoolConnections.set({ state: "total" }, stats.total);
  metrics.dbPoolConnections.set({ state: "idle" }, stats.idle);
  metrics.dbPoolConnections.set({ state: "waiting" }, stats.waiting);
}
