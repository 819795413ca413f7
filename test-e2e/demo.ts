// `pnpm demo`: the whole system on this machine, one remediation of an OOMKilled pod, and its audit trail.
// It runs what the end-to-end specs run in local mode (test/support): a private API server (or the cluster of
// $KUBECONFIG), the built storage service on PGlite and the three built controllers as processes.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Cluster } from "./test/support/cluster.js";
import { setup as startApiServer } from "./test/support/global-setup.js";
import { startLocalSystem } from "./test/support/local-system.js";
import { hasEveryTrailEvent, StorageReader, type TimelineEvent } from "./test/support/storage.js";
import type { SystemUnderTest } from "./test/support/system.js";

const started = Date.now();
const say = (message: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);

type Row = Record<string, unknown>;
const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));

/** One line about an audit record: what a reviewer reads first in its payload. */
function summary(event: TimelineEvent): string {
  const p = event.payload;
  const [, kind] = event.event_type.split(".");
  if (
    event.source === "remediation-orchestrator" ||
    event.event_type.startsWith("remediation-orchestration.")
  ) {
    const child: Record<string, string> = {
      processing: `created RemediationProcessing ${text(p.remediation_processing_name)}`,
      analyzing: `created AIAnalysis ${text(p.ai_analysis_name)}`,
      executing: `WorkflowExecution ${text(p.workflow_execution_name)} runs`,
      completed: `CRD kept until ${text(p.retention_expiry_time)}`,
    };
    return [`phase ${text(p.overall_phase)}`, child[kind ?? ""]].filter(Boolean).join(", ");
  }
  if (event.event_type.startsWith("alert-processing.")) {
    const sources = Array.isArray(p.enrichment_sources) ? p.enrichment_sources.join("+") : "";
    return `${text(p.status)}: ${text(p.environment)} ${text(p.business_priority)} (SLA ${text(p.sla_requirement)}), enriched from ${sources}, routed to ${text(p.routed_to_service)}`;
  }
  switch (kind) {
    case "investigation_complete": {
      // The rule-based investigator's report lists its hypotheses one per line, most likely first.
      const hypothesis = /^- (.+)$/m.exec(text(p.investigation_report))?.[1];
      return `${text(p.root_cause_count)} root cause in ${text(p.investigation_duration_ms)} ms: ${text(hypothesis)}`;
    }
    case "analysis_complete":
      return `confidence ${text(p.confidence_score)}, hallucination ${p.hallucination_detected ? "detected" : "none"}`;
    case "recommendations_generated": {
      const count = Array.isArray(p.recommendations) ? p.recommendations.length : 0;
      return `top ${text(p.top_recommendation)} (effectiveness ${text(p.effectiveness_probability)}) of ${count} ranked`;
    }
    case "workflow_created":
      return `created WorkflowExecution ${text(p.workflow_crd_name)}`;
    default:
      return "";
  }
}

/** A projection row, one `column  value` line per column. */
function record(title: string, rows: readonly Row[], columns: readonly string[]): string {
  const width = Math.max(...columns.map((c) => c.length));
  const lines = rows.flatMap((row, i) => [
    ...(rows.length > 1 ? [`  #${i + 1}`] : []),
    ...columns.map((c) => `    ${c.padEnd(width)}  ${text(row[c])}`),
  ]);
  return [`\n${title}`, ...(lines.length ? lines : ["    (no row)"])].join("\n");
}

function table(rows: readonly Row[], columns: readonly string[]): string {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  return [line(columns), ...rows.map((r) => line(columns.map((c) => text(r[c]))))]
    .map((l) => `    ${l}`.trimEnd())
    .join("\n");
}

let stopApiServer: (() => Promise<void>) | undefined;
let system: SystemUnderTest | undefined;
let cluster: Cluster | undefined;
let namespace: string | undefined;
let stopping: Promise<void> | undefined;

/** Stops everything this run started, once, whichever way it ends. */
function shutdown(): Promise<void> {
  stopping ??= (async () => {
    if (!stopApiServer) return;
    say("shutting down: the controllers (SIGTERM), the storage service, the API server");
    if (cluster && namespace) await cluster.deleteNamespace(namespace);
    await system?.stop();
    await stopApiServer?.();
    say("stopped");
  })();
  return stopping;
}

process.once("SIGINT", () => {
  console.log("");
  say("interrupted");
  shutdown().then(
    () => process.exit(130),
    (error: unknown) => {
      console.error(error);
      process.exit(130);
    },
  );
});

/**
 * With neither KUBECONFIG nor KUBEBUILDER_ASSETS set, asks the project's test-dependency provisioning for etcd and
 * kube-apiserver (built once and cached; it says what to install or set when it cannot) and takes its line.
 */
function provideApiServer(): boolean {
  say("no KUBECONFIG or KUBEBUILDER_ASSETS: provisioning etcd + kube-apiserver (scripts/test-deps.sh kube)");
  const script = fileURLToPath(new URL("../scripts/test-deps.sh", import.meta.url));
  const run = spawnSync(script, ["kube"], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  const line = /^(KUBEBUILDER_ASSETS|KUBECONFIG)=(.+)$/m.exec(run.stdout ?? "");
  if (run.status !== 0 || !line?.[1] || !line[2]) {
    console.error(
      "pnpm demo needs a Kubernetes API server: set KUBECONFIG or KUBEBUILDER_ASSETS (see README, Tests).",
    );
    return false;
  }
  process.env[line[1]] = line[2];
  return true;
}

async function demo(): Promise<void> {
  if (!process.env.KUBECONFIG && !process.env.KUBEBUILDER_ASSETS && !provideApiServer()) {
    process.exitCode = 1;
    return;
  }
  say(
    process.env.KUBECONFIG
      ? `using the cluster of KUBECONFIG=${process.env.KUBECONFIG}`
      : `starting a private API server (etcd + kube-apiserver from ${process.env.KUBEBUILDER_ASSETS})`,
  );
  stopApiServer = await startApiServer();
  say("API server ready, CRDs installed; starting the storage service (PGlite) and the three controllers");
  system = await startLocalSystem();
  say(`storage service at ${system.storageUrl}; controllers running under their ServiceAccounts`);

  const kube = new Cluster(system.kubeConfig);
  cluster = kube;
  const ns = await kube.productionNamespace("demo");
  namespace = ns;
  const name = "api-oom";
  const fingerprint = `oom-${ns}`;
  say(`namespace ${ns}: Pod ${name}-pod, OOMKilled (exit 137) and now in CrashLoopBackOff`);
  await kube.oomKilledPod(ns, `${name}-pod`);
  await kube.createRemediation(ns, name, fingerprint, `${name}-pod`);
  say(`RemediationRequest ${name} created (signal PodOOMKilled, fingerprint ${fingerprint})`);

  // Follows the request's phase while the controllers work, so that the run shows its progress.
  let following = true;
  const follow = (async () => {
    let last: string | undefined;
    for (;;) {
      const stop = !following; // one last look after the request completed
      const phase = await kube.phaseOf(ns, name).catch(() => undefined);
      if (phase && phase !== last) say(`  RemediationRequest ${name}: phase ${phase}`);
      last = phase ?? last;
      if (stop) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  try {
    const workflow = await kube.runWorkflow(ns, name);
    say(
      `  playing the workflow engine: WorkflowExecution ${workflow.metadata.name} (${workflow.spec.action}) → completed`,
    );
    await kube.reaches(ns, name, ["completed"]);
  } finally {
    following = false;
    await follow;
  }

  say("waiting for the audit trail of all three controllers in the storage service");
  const storage = new StorageReader(system.storageUrl, system.storageToken);
  const events = await storage.settledTimeline(fingerprint, hasEveryTrailEvent);
  console.log(`\nAudit timeline of ${fingerprint} (GET /api/v1/audit/timeline/${fingerprint}):`);
  console.log(
    table(
      events.map((e) => ({
        time: new Date(e.occurred_at).toISOString().slice(11, 23),
        source: e.source,
        event: e.event_type,
        summary: summary(e),
      })),
      ["time", "source", "event", "summary"],
    ),
  );

  console.log(
    record(
      "remediation_audit (GET /api/v1/audit/remediation-orchestration):",
      await storage.rows("remediation-orchestration", fingerprint),
      [
        "remediation_name",
        "overall_phase",
        "start_time",
        "completion_time",
        "alert_processing_name",
        "ai_analysis_name",
        "workflow_execution_name",
        "retention_expiry_time",
      ],
    ),
  );
  console.log(
    record(
      "alert_processing_audit (GET /api/v1/audit/alert-processing):",
      await storage.rows("alert-processing", fingerprint),
      [
        "remediation_id",
        "status",
        "environment",
        "business_priority",
        "sla_requirement",
        "enrichment_quality",
        "routed_to_service",
        "completed_at",
      ],
    ),
  );
  console.log(
    record(
      "ai_analysis_audit (GET /api/v1/audit/ai-analysis):",
      await storage.rows("ai-analysis", fingerprint),
      [
        "crd_name",
        "completion_status",
        "root_cause_count",
        "confidence_score",
        "top_recommendation",
        "effectiveness_probability",
        "hallucination_detected",
        "workflow_crd_name",
      ],
    ),
  );
  console.log("");
}

demo()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(() => shutdown())
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
