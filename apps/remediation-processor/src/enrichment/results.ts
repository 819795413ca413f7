import type { EnrichmentResults } from "@kubernaut/crds";
import { formatGoDuration } from "@kubernaut/schema/contracts";
import type { PodContext, SignalContext, WorkloadContext } from "./context.js";

/** The status keeps a short text; the full context is what AI analysis would fetch again. */
export const SUMMARY_MAX_CHARS = 2048;
const ANNOTATION_VALUE_MAX_CHARS = 256;
const MAX_ANNOTATIONS = 32;
/** Annotations that hold whole manifests and tell nothing about the environment. */
const NOISY_ANNOTATIONS = new Set(["kubectl.kubernetes.io/last-applied-configuration"]);

export interface EnrichmentOutcome {
  results: EnrichmentResults;
  degradedMode: boolean;
  failedSources: { name: string; reason: string }[];
}

/** Share of the asked sources that answered, 0..1. */
export function contextQuality(context: SignalContext): number {
  const outcomes = Object.values(context.outcomes);
  if (outcomes.length === 0) return 0;
  return outcomes.filter((o) => o?.ok).length / outcomes.length;
}

/** Bytes of the serialised context: what would be handed on if the whole context travelled. */
export function contextSizeBytes(context: SignalContext): number {
  return Buffer.byteLength(JSON.stringify(context), "utf8");
}

/** The status block of the enriching phase, derived from what the sources answered. */
export function enrichmentOutcome(
  context: SignalContext,
  durationNs: number,
  completedAt: Date,
): EnrichmentOutcome {
  const failedSources = Object.entries(context.outcomes).flatMap(([name, outcome]) =>
    outcome && !outcome.ok ? [{ name, reason: outcome.reason }] : [],
  );
  const answered = Object.entries(context.outcomes).flatMap(([name, outcome]) => (outcome?.ok ? [name] : []));
  const results: EnrichmentResults = {
    completedAt: completedAt.toISOString(),
    duration: formatGoDuration(durationNs),
    enrichmentQuality: contextQuality(context),
    contextSizeBytes: contextSizeBytes(context),
    contextSources: answered,
    targetResourceFound: context.workload !== undefined,
    relatedEventCount: context.events?.length ?? 0,
    summary: summarise(context, failedSources),
  };
  if (context.namespace) {
    results.namespaceLabels = context.namespace.labels;
    results.namespaceAnnotations = boundedAnnotations(context.namespace.annotations);
  }
  if (context.workload) results.targetResourceLabels = context.workload.labels;
  return { results, degradedMode: failedSources.length > 0, failedSources };
}

/** A few lines a human (or the AI investigator) can read: workload health, container failures, events. */
export function summarise(context: SignalContext, failedSources: { name: string; reason: string }[]): string {
  const lines: string[] = [];
  if (context.workload) lines.push(describeWorkload(context.workload));
  for (const pod of context.pods ?? []) lines.push(...describePod(pod));
  for (const event of context.events ?? []) {
    const times = event.count > 1 ? ` x${event.count}` : "";
    lines.push(`event ${event.involvedObject}: ${event.type} ${event.reason}${times}: ${event.message}`);
  }
  if (context.namespace) {
    const labels = Object.entries(context.namespace.labels).map(([k, v]) => `${k}=${v}`);
    lines.push(`namespace ${context.namespace.name}${labels.length ? `: ${labels.join(", ")}` : ""}`);
  }
  for (const failed of failedSources) lines.push(`unavailable ${failed.name}: ${failed.reason}`);
  return truncate(lines.join("\n"), SUMMARY_MAX_CHARS);
}

function describeWorkload(workload: WorkloadContext): string {
  const ready =
    workload.replicas === undefined ? "" : `: ${workload.readyReplicas ?? 0}/${workload.replicas} ready`;
  const containers = workload.containers.map((c) => {
    const resources = [formatResources("requests", c.requests), formatResources("limits", c.limits)].filter(
      Boolean,
    );
    return resources.length > 0 ? `${c.name}(${resources.join(" ")})` : c.name;
  });
  const facts = workload.facts?.length ? `; ${workload.facts.join("; ")}` : "";
  return `${workload.kind} ${workload.name}${ready}${containers.length ? `; containers ${containers.join(" ")}` : ""}${facts}`;
}

function formatResources(label: string, values: Record<string, string> | undefined): string {
  if (!values || Object.keys(values).length === 0) return "";
  return `${label} ${Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join(",")}`;
}

function describePod(pod: PodContext): string[] {
  return pod.containers.map((c) => {
    const last =
      c.lastTerminationReason === undefined
        ? ""
        : `, last terminated ${c.lastTerminationReason}${c.lastExitCode === undefined ? "" : ` (exit ${c.lastExitCode})`}`;
    return `pod ${pod.name} (${pod.phase}) container ${c.name}: ${c.state}, restarts ${c.restartCount}${last}`;
  });
}

function boundedAnnotations(annotations: Record<string, string>): Record<string, string> {
  const kept = Object.entries(annotations)
    .filter(([key]) => !NOISY_ANNOTATIONS.has(key))
    .slice(0, MAX_ANNOTATIONS)
    .map(([key, value]) => [key, truncate(value, ANNOTATION_VALUE_MAX_CHARS)] as const);
  return Object.fromEntries(kept);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
