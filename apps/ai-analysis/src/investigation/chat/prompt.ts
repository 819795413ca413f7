import { ACTION_CATALOG } from "../../analysis/action-catalog.js";
import type { InvestigationRequest } from "../request.js";

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

function catalogLines(): string {
  return Object.entries(ACTION_CATALOG)
    .map(([action, entry]) => `- ${action}: ${entry.description} (targets: ${entry.targetKinds.join(", ")})`)
    .join("\n");
}

/**
 * The instructions a chat model investigates under. Recommendations are confined to the catalog and to
 * objects named in the observations, because anything else is dropped as a hallucination afterwards.
 */
export function systemPrompt(): string {
  return `You are a Kubernetes site reliability engineer investigating an alert for an automated remediation platform.

Work only from the alert, the cluster observations and the similar past investigations you are given.
1. List root cause hypotheses, most likely first, each with a confidence between 0 and 1 and the observations that support it.
2. Write an investigation report an on-call engineer can act on.
3. Recommend remediation actions, best first. Use only these actions:
${catalogLines()}
   Each action must target an object named in the observations (the alert's target, the workload that owns it, or its node), with its exact kind, name and namespace (null for Node).
   Give each action an effectiveness estimate between 0 and 1: the probability that it resolves the alert.
4. When a similar past investigation found a root cause that fits, say so in the evidence.

Answer with one JSON object that matches the response schema, and nothing else.`;
}

/** The case itself, as JSON, so the model sees exactly what the controller observed. */
export function userPrompt(request: InvestigationRequest): string {
  const { alert, cluster, similar } = request;
  const body = {
    alert: {
      signalName: alert.signalName,
      severity: alert.severity,
      environment: alert.environment,
      businessPriority: alert.businessPriority,
      targetResource: alert.targetResource,
      labels: alert.labels ?? {},
      annotations: alert.annotations ?? {},
      enrichment: alert.enrichmentSummary ?? {},
    },
    clusterObservations: cluster,
    similarPastInvestigations: similar.map((s) => ({
      rootCause: s.rootCause,
      similarity: Number(s.similarity.toFixed(2)),
      excerpt: s.excerpt,
    })),
  };
  return `Investigate this alert.\n\n${JSON.stringify(body, null, 2)}`;
}

export function investigationMessages(request: InvestigationRequest): ChatMessage[] {
  return [
    { role: "system", content: systemPrompt() },
    { role: "user", content: userPrompt(request) },
  ];
}
