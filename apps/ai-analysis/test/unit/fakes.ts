import { formatObjectKey, KubeApiError, type ObjectKey } from "@kubernaut/controller-runtime";
import type { AIAnalysis, AIAnalysisStatus, TargetResource, WorkflowExecution } from "@kubernaut/crds";
import { silentLogger } from "@kubernaut/storage-client";
import { Registry } from "prom-client";
import type { AIAnalysisAuditRecord } from "../../src/audit/audit-events.js";
import type { InvestigationFindings } from "../../src/investigation/findings.js";
import type { ClusterObservations, InvestigationProvider } from "../../src/investigation/request.js";
import { RuleBasedInvestigationProvider } from "../../src/investigation/rules/rule-based-provider.js";
import { analysisMetrics } from "../../src/metrics.js";
import type { ActionHistory } from "../../src/recommending/ranking.js";
import type { AnalysisReconcilerDeps } from "../../src/reconcile/ports.js";
import { observations } from "./builders.js";

type Json = Record<string, unknown>;

/** RFC 7386 merge patch: objects merge, anything else replaces, null deletes. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const result: Json =
    typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (value !== undefined) result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** AIAnalyses held in memory, patched the way the API server patches them. */
export class FakeAnalyses {
  readonly objects = new Map<string, AIAnalysis>();
  statusWrites = 0;
  failNextStatusWrite = false;

  constructor(...analyses: AIAnalysis[]) {
    for (const a of analyses)
      this.objects.set(`${a.metadata.namespace}/${a.metadata.name}`, structuredClone(a));
  }

  async get(key: ObjectKey) {
    const found = this.objects.get(formatObjectKey(key));
    return found && structuredClone(found);
  }

  async patchStatus(key: ObjectKey, status: AIAnalysisStatus) {
    if (this.failNextStatusWrite) {
      this.failNextStatusWrite = false;
      throw new KubeApiError("patch status failed (500)", 500, "InternalError");
    }
    this.statusWrites++;
    return this.patch(key, { status });
  }

  private patch(key: ObjectKey, patch: object): AIAnalysis {
    const current = this.objects.get(formatObjectKey(key));
    if (!current) throw new KubeApiError("not found", 404, "NotFound");
    const patched = mergePatch(current, JSON.parse(JSON.stringify(patch))) as AIAnalysis;
    this.objects.set(formatObjectKey(key), patched);
    return structuredClone(patched);
  }
}

export class FakeWorkflows {
  readonly objects = new Map<string, WorkflowExecution>();
  creates = 0;

  async get(key: ObjectKey) {
    return this.objects.get(formatObjectKey(key));
  }

  async create(object: WorkflowExecution) {
    this.creates++;
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    if (this.objects.has(key))
      throw new KubeApiError(`create ${key} failed (409 AlreadyExists)`, 409, "AlreadyExists");
    this.objects.set(key, structuredClone(object));
    return object;
  }
}

/** A provider that fails `failures` times with `error`, then answers with the rule-based findings. */
export function flakyProvider(failures: number, error: Error): InvestigationProvider & { calls: number } {
  const rules = new RuleBasedInvestigationProvider();
  return {
    name: "flaky",
    calls: 0,
    async investigate(request) {
      this.calls++;
      if (this.calls <= failures) throw error;
      return rules.investigate(request);
    },
  };
}

export function fixedProvider(findings: InvestigationFindings): InvestigationProvider {
  return { name: "fixed", investigate: async () => findings };
}

export interface Harness {
  deps: AnalysisReconcilerDeps;
  analyses: FakeAnalyses;
  workflows: FakeWorkflows;
  audits: AIAnalysisAuditRecord[];
  remembered: string[];
  registry: Registry;
  clock: { now: Date };
}

export function harness(
  analysis: AIAnalysis,
  options: {
    provider?: InvestigationProvider;
    cluster?: ClusterObservations;
    existing?: TargetResource[];
    history?: Record<string, ActionHistory>;
  } = {},
): Harness {
  const analyses = new FakeAnalyses(analysis);
  const workflows = new FakeWorkflows();
  const audits: AIAnalysisAuditRecord[] = [];
  const remembered: string[] = [];
  const registry = new Registry();
  const clock = { now: new Date("2025-01-15T10:30:00.000Z") };
  const existing = options.existing ?? [
    { kind: "Pod", name: "api-7d9f-abcde", namespace: "payments" },
    { kind: "Deployment", name: "api", namespace: "payments" },
  ];
  const deps: AnalysisReconcilerDeps = {
    analyses,
    workflows,
    cluster: {
      observe: async () => options.cluster ?? observations(),
      exists: async (t) =>
        existing.some(
          (e) => e.kind === t.kind && e.name === t.name && (e.namespace ?? "") === (t.namespace ?? ""),
        ),
    },
    provider: options.provider ?? new RuleBasedInvestigationProvider(),
    memory: {
      recall: async () => [],
      remember: (_analysis, _symptoms, findings) => {
        remembered.push(findings.rootCauseHypotheses[0]?.hypothesis ?? "");
      },
    },
    history: { historyFor: async () => new Map(Object.entries(options.history ?? {})) },
    audit: {
      publish: (record) => {
        audits.push(record);
        return true;
      },
    },
    metrics: analysisMetrics(registry),
    logger: silentLogger,
    retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 },
    priorWeight: 10,
    now: () => {
      clock.now = new Date(clock.now.getTime() + 100);
      return clock.now;
    },
    shutdown: new AbortController().signal,
  };
  return { deps, analyses, workflows, audits, remembered, registry, clock };
}
