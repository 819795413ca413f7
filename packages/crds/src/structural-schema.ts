import { z } from "zod";

/** The subset of an OpenAPI v3 schema that Kubernetes accepts as a structural schema and that the CRDs use. */
export interface StructuralSchema {
  type: "object" | "array" | "string" | "number" | "integer" | "boolean";
  description?: string;
  properties?: Record<string, StructuralSchema>;
  required?: string[];
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  enum?: (string | number | boolean)[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
}

type JsonSchemaNode = Record<string, unknown>;

const passThroughKeys = new Set([
  "type",
  "description",
  "required",
  "enum",
  "format",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "nullable",
]);

/**
 * Converts a zod schema to a structural OpenAPI v3 schema for a CustomResourceDefinition.
 * Anything Kubernetes would reject or silently misread (unions, untyped nodes, tuples) throws,
 * naming the path, so a schema change cannot produce a manifest that drifts from the zod type.
 */
export function toStructuralSchema(schema: z.ZodType): StructuralSchema {
  const json = z.toJSONSchema(schema, { target: "openapi-3.0", io: "input", unrepresentable: "throw" });
  return convert(json as JsonSchemaNode, "");
}

function convert(node: JsonSchemaNode, path: string): StructuralSchema {
  const where = path === "" ? "the root" : path;
  const out: JsonSchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (passThroughKeys.has(key)) {
      out[key] = value;
    } else if (key === "const") {
      out.enum = [value];
    } else if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchemaNode>).map(([name, child]) => [
          name,
          convert(child, `${path}.${name}`),
        ]),
      );
    } else if (key === "items") {
      out.items = convert(value as JsonSchemaNode, `${path}[]`);
    } else if (key === "additionalProperties") {
      // `false` is what zod writes for closed objects; structural schemas express that by pruning instead.
      if (value !== false) out.additionalProperties = convert(value as JsonSchemaNode, `${path}.*`);
    } else if (key === "propertyNames" || key === "$schema") {
      // Record key constraints have no structural form; the zod schema still enforces them.
    } else {
      throw new Error(`cannot express "${key}" at ${where} in a structural schema`);
    }
  }
  if (typeof out.type !== "string") throw new Error(`schema at ${where} has no single type`);
  if (out.format === "date-time") delete out.pattern; // the apiserver validates the format itself
  // Some kube-apiserver builds (Debian's 1.20 among them) validate "" as null and reject it for a plain
  // string; marking strings that may be empty nullable keeps "" valid there. zod still rejects null.
  if (out.type === "string" && !out.enum && !out.format && !((out.minLength as number | undefined) ?? 0)) {
    out.nullable = true;
  }
  if (out.type === "integer") {
    if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
    if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
  }
  if (out.type === "object" && out.properties && out.additionalProperties) {
    throw new Error(`object at ${where} has both properties and additionalProperties`);
  }
  return out as unknown as StructuralSchema;
}
