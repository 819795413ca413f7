import { goDurationText } from "@kubernaut/schema/wire";
import { z } from "zod";

/** RFC 3339 time with an optional offset, as Kubernetes and Go write it (any sub-second precision). */
export const rfc3339Schema = z.iso.datetime({ offset: true }).describe("RFC 3339 time");

/**
 * A Go `time.Duration` string such as `"2.5s"`, `"1m30s"` or `"150ms"`: Go's grammar without a minus sign, from the
 * one module that owns it, so the API server refuses what the storage service would.
 */
export const goDurationSchema = goDurationText.describe("Go duration string, e.g. 2.5s or 1m30s");

export const severitySchema = z.enum(["critical", "warning", "info"]);
export type Severity = z.infer<typeof severitySchema>;

/** A namespaced object this resource points at (a parent or a child custom resource). */
export const objectReferenceSchema = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
});
export type ObjectReference = z.infer<typeof objectReferenceSchema>;

/** The Kubernetes object the signal is about; `namespace` is absent for cluster-scoped kinds such as Node. */
export const targetResourceSchema = z.object({
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
});
export type TargetResource = z.infer<typeof targetResourceSchema>;

/** Kinds a signal can name that live outside any namespace. */
export const CLUSTER_SCOPED_KINDS: readonly string[] = [
  "Node",
  "PersistentVolume",
  "Namespace",
  "StorageClass",
  "PriorityClass",
  "IngressClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
];

export const targetScopeSchema = z.enum(["Namespaced", "Cluster"]);
export type TargetScope = z.infer<typeof targetScopeSchema>;

/** Whether the target is cluster-scoped (a Node, a PersistentVolume, …) or lives in a namespace. */
export function targetScopeOf(target: TargetResource): TargetScope {
  return CLUSTER_SCOPED_KINDS.includes(target.kind) ? "Cluster" : "Namespaced";
}

export const stringMapSchema = z.record(z.string(), z.string());

/** The shape of `metav1.Condition`. */
export const conditionSchema = z.object({
  type: z.string().min(1),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string().min(1),
  message: z.string(),
  lastTransitionTime: rfc3339Schema,
  observedGeneration: z.int().min(0).optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

/** The time each phase was entered, keyed by phase name (`status.phaseTransitions.<phase>`). */
export function phaseTransitionsSchema<const P extends readonly [string, ...string[]]>(phases: P) {
  const shape = Object.fromEntries(phases.map((phase) => [phase, rfc3339Schema.optional()]));
  return z
    .object(shape as { [K in P[number]]: z.ZodOptional<typeof rfc3339Schema> })
    .describe("time each phase was entered");
}
