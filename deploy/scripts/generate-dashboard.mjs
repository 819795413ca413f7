// Writes the Grafana dashboard for the seeds' audit metrics and the storage API's metrics.
// Run: node deploy/scripts/generate-dashboard.mjs
import { writeFileSync } from "node:fs";

const controllers = [
  {
    title: "Orchestrator",
    attempts: "kubernaut_orchestrator_audit_publish_attempts_total",
    failures: "kubernaut_orchestrator_audit_publish_failures_total",
    duration: "kubernaut_orchestrator_audit_publish_duration_seconds",
    pending: "kubernaut_orchestrator_pending_audit_records",
    dropped: "kubernaut_orchestrator_audit_records_dropped_total",
  },
  {
    title: "Alert processor",
    attempts: "kubernaut_alertprocessor_audit_storage_attempts_total",
    failures: "kubernaut_alertprocessor_audit_storage_failures_total",
    duration: "kubernaut_alertprocessor_audit_storage_duration_seconds",
    pending: "kubernaut_alertprocessor_pending_audit_records",
    dropped: "kubernaut_alertprocessor_audit_records_dropped_total",
  },
  {
    title: "AI analysis",
    attempts: "kubernaut_aianalysis_audit_publish_attempts_total",
    failures: "kubernaut_aianalysis_audit_publish_failures_total",
    duration: "kubernaut_aianalysis_audit_publish_duration_seconds",
    pending: "kubernaut_aianalysis_pending_audit_records",
    dropped: "kubernaut_aianalysis_audit_records_dropped_total",
  },
];

let id = 0;
const panels = [];
const panel = (title, targets, x, y, unit = "short", w = 8) => {
  panels.push({
    id: ++id,
    type: "timeseries",
    title,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's dashboard variable, not a JS template
    datasource: { type: "prometheus", uid: "${datasource}" },
    gridPos: { h: 8, w, x, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    targets: targets.map(([expr, legendFormat], i) => ({
      refId: String.fromCharCode(65 + i),
      expr,
      legendFormat,
    })),
  });
};
const row = (title, y) =>
  panels.push({ id: ++id, type: "row", title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y } });

let y = 0;
for (const c of controllers) {
  row(`${c.title}: audit publishing`, y++);
  panel(
    "Publish attempts by status",
    [[`sum by (status) (rate(${c.attempts}[5m]))`, "{{status}}"]],
    0,
    y,
    "ops",
    6,
  );
  panel(
    "Success rate",
    [
      [
        `sum(rate(${c.attempts}{status="success"}[5m])) / clamp_min(sum(rate(${c.attempts}[5m])), 1e-9)`,
        "success rate",
      ],
    ],
    6,
    y,
    "percentunit",
    6,
  );
  panel(
    "Failures and drops",
    [
      [`sum(rate(${c.failures}[5m]))`, "failures"],
      [`sum by (reason) (rate(${c.dropped}[5m]))`, "dropped {{reason}}"],
    ],
    12,
    y,
    "ops",
    6,
  );
  panel("Pending records", [[`sum(${c.pending})`, "pending"]], 18, y, "short", 6);
  y += 8;
  panel(
    "Publish duration p50 / p95",
    [
      [`histogram_quantile(0.5, sum by (le) (rate(${c.duration}_bucket[5m])))`, "p50"],
      [`histogram_quantile(0.95, sum by (le) (rate(${c.duration}_bucket[5m])))`, "p95"],
    ],
    0,
    y,
    "s",
    24,
  );
  y += 8;
}
row("Data Storage Service", y++);
panel(
  "Requests by route and status",
  [["sum by (route, status) (rate(datastorage_http_requests_total[5m]))", "{{route}} {{status}}"]],
  0,
  y,
  "reqps",
);
panel(
  "Request duration p95 by route",
  [
    [
      "histogram_quantile(0.95, sum by (le, route) (rate(datastorage_http_request_duration_seconds_bucket[5m])))",
      "{{route}}",
    ],
  ],
  8,
  y,
  "s",
);
panel(
  "Audit writes by source and outcome",
  [
    ["sum by (source, outcome) (rate(datastorage_audit_writes_total[5m]))", "{{source}} {{outcome}}"],
    ["sum(rate(datastorage_audit_duplicates_total[5m]))", "duplicates"],
  ],
  16,
  y,
  "ops",
);
y += 8;
panel(
  "Batch size p50 / p95",
  [
    ["histogram_quantile(0.5, sum by (le) (rate(datastorage_audit_batch_records_bucket[5m])))", "p50"],
    ["histogram_quantile(0.95, sum by (le) (rate(datastorage_audit_batch_records_bucket[5m])))", "p95"],
  ],
  0,
  y,
);
panel(
  "Retention: rows archived",
  [["sum by (table) (increase(datastorage_retention_rows_moved_total[1h]))", "{{table}}"]],
  8,
  y,
);
panel("Database pool", [["sum by (state) (datastorage_db_pool_connections)", "{{state}}"]], 16, y);
y += 8;
row("Controllers", y++);
panel(
  "Reconciles by result",
  [
    [
      "sum by (controller, result) (rate(controller_runtime_reconcile_total[5m]))",
      "{{controller}} {{result}}",
    ],
  ],
  0,
  y,
  "ops",
);
panel(
  "Reconcile duration p95",
  [
    [
      "histogram_quantile(0.95, sum by (le, controller) (rate(controller_runtime_reconcile_time_seconds_bucket[5m])))",
      "{{controller}}",
    ],
  ],
  8,
  y,
  "s",
);
panel("Work queue depth", [["sum by (name) (workqueue_depth)", "{{name}}"]], 16, y);

const dashboard = {
  uid: "kubernaut-audit",
  title: "Kubernaut Audit",
  tags: ["kubernaut", "audit"],
  timezone: "browser",
  schemaVersion: 39,
  version: 1,
  refresh: "30s",
  time: { from: "now-6h", to: "now" },
  templating: {
    list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Data source" }],
  },
  panels,
};
writeFileSync(
  new URL("../overlays/prod/dashboards/kubernaut-audit.json", import.meta.url),
  `${JSON.stringify(dashboard, null, 2)}\n`,
);
