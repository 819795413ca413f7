import { aiAnalysisDefinition } from "./ai-analysis.js";
import { remediationProcessingDefinition } from "./remediation-processing.js";
import { remediationRequestDefinition } from "./remediation-request.js";
import type { CustomResourceDefinitionSource, PrinterColumn } from "./resource.js";
import { type StructuralSchema, toStructuralSchema } from "./structural-schema.js";
import { workflowExecutionDefinition } from "./workflow-execution.js";

/** An `apiextensions.k8s.io/v1` CustomResourceDefinition as plain JSON. */
export interface CustomResourceDefinitionManifest {
  apiVersion: "apiextensions.k8s.io/v1";
  kind: "CustomResourceDefinition";
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames: string[];
      categories: string[];
    };
    scope: "Namespaced";
    versions: {
      name: string;
      served: true;
      storage: true;
      subresources: { status: Record<string, never> };
      additionalPrinterColumns: PrinterColumn[];
      schema: { openAPIV3Schema: StructuralSchema };
    }[];
  };
}

export const customResourceDefinitions: readonly CustomResourceDefinitionSource[] = [
  remediationRequestDefinition,
  remediationProcessingDefinition,
  aiAnalysisDefinition,
  workflowExecutionDefinition,
];

export function crdManifest(source: CustomResourceDefinitionSource): CustomResourceDefinitionManifest {
  const { kind } = source;
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${kind.plural}.${kind.group}`,
      labels: { "app.kubernetes.io/part-of": "kubernaut" },
    },
    spec: {
      group: kind.group,
      names: {
        kind: kind.kind,
        listKind: kind.listKind,
        plural: kind.plural,
        singular: kind.singular,
        shortNames: [...kind.shortNames],
        categories: ["kubernaut"],
      },
      scope: "Namespaced",
      versions: [
        {
          name: kind.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [...source.printerColumns],
          schema: {
            openAPIV3Schema: {
              type: "object",
              description: source.description,
              required: ["spec"],
              properties: {
                apiVersion: { type: "string" },
                kind: { type: "string" },
                metadata: { type: "object" },
                spec: toStructuralSchema(source.spec),
                status: toStructuralSchema(source.status),
              },
            },
          },
        },
      ],
    },
  };
}

/** The CustomResourceDefinitions of all kinds, generated from their zod schemas. */
export function crdManifests(): CustomResourceDefinitionManifest[] {
  return customResourceDefinitions.map(crdManifest);
}
