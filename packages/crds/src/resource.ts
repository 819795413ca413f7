import { z } from "zod";

export const group = "kubernaut.ai";
export const version = "v1alpha1";
export const apiVersion = `${group}/${version}` as const;

/** Names a custom resource kind the way the API server addresses it. */
export interface CustomResourceKind<K extends string = string> {
  readonly group: typeof group;
  readonly version: typeof version;
  readonly apiVersion: typeof apiVersion;
  readonly kind: K;
  readonly listKind: `${K}List`;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
}

export function customResourceKind<K extends string>(
  kind: K,
  names: { plural: string; singular: string; shortNames: readonly string[] },
): CustomResourceKind<K> {
  return { group, version, apiVersion, kind, listKind: `${kind}List`, ...names };
}

export const ownerReferenceSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof ownerReferenceSchema>;

/** The fields of `metav1.ObjectMeta` the controllers use; the server's other fields pass through untouched. */
export const objectMetaSchema = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(ownerReferenceSchema).optional(),
});
export type ObjectMeta = z.infer<typeof objectMetaSchema>;

/** The zod schema of a whole object of `kind`: `apiVersion`, `kind`, `metadata`, `spec` and optional `status`. */
export function customResourceSchema<K extends string, Spec extends z.ZodType, Status extends z.ZodType>(
  kind: CustomResourceKind<K>,
  spec: Spec,
  status: Status,
) {
  return z.object({
    apiVersion: z.literal(kind.apiVersion),
    kind: z.literal(kind.kind),
    metadata: objectMetaSchema,
    spec,
    status: status.optional(),
  });
}

export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description?: string;
  priority?: number;
}

export const ageColumn: PrinterColumn = {
  name: "Age",
  type: "date",
  jsonPath: ".metadata.creationTimestamp",
};
export const phaseColumn: PrinterColumn = { name: "Phase", type: "string", jsonPath: ".status.phase" };

/** Everything needed to generate one CustomResourceDefinition. */
export interface CustomResourceDefinitionSource {
  kind: CustomResourceKind;
  spec: z.ZodType;
  status: z.ZodType;
  printerColumns: readonly PrinterColumn[];
  description: string;
}
