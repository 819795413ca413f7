import { describe, expect, it } from "vitest";
import { z } from "zod";
import { rfc3339Schema, toStructuralSchema } from "../../src/index.js";

describe("toStructuralSchema", () => {
  it("keeps types, bounds, enums, required fields and string maps", () => {
    const schema = z.object({
      name: z.string().min(1).describe("the name"),
      score: z.number().min(0).max(1),
      count: z.int().min(0),
      severity: z.enum(["critical", "warning"]),
      kind: z.literal("Pod"),
      labels: z.record(z.string(), z.string()).optional(),
      items: z.array(z.object({ id: z.string() })).optional(),
      at: rfc3339Schema.optional(),
    });
    expect(toStructuralSchema(schema)).toEqual({
      type: "object",
      properties: {
        name: { type: "string", minLength: 1, description: "the name" },
        score: { type: "number", minimum: 0, maximum: 1 },
        count: { type: "integer", minimum: 0 },
        severity: { type: "string", enum: ["critical", "warning"] },
        kind: { type: "string", enum: ["Pod"] },
        labels: { type: "object", additionalProperties: { type: "string", nullable: true } },
        items: {
          type: "array",
          items: { type: "object", properties: { id: { type: "string", nullable: true } }, required: ["id"] },
        },
        at: { type: "string", format: "date-time", description: "RFC 3339 time" },
      },
      required: ["name", "score", "count", "severity", "kind"],
    });
  });

  it("marks only strings that may be empty as nullable", () => {
    const schema = toStructuralSchema(
      z.object({ message: z.string(), name: z.string().min(1), phase: z.enum(["a"]), at: rfc3339Schema }),
    );
    expect(
      Object.entries(schema.properties ?? {}).map(([name, property]) => [name, property.nullable ?? false]),
    ).toEqual([
      ["message", true],
      ["name", false],
      ["phase", false],
      ["at", false],
    ]);
  });

  it("rejects a union, naming where it is", () => {
    const schema = z.object({ spec: z.object({ size: z.union([z.string(), z.number()]) }) });
    expect(() => toStructuralSchema(schema)).toThrow(/"anyOf" at \.spec\.size/);
  });

  it("rejects an untyped node", () => {
    expect(() => toStructuralSchema(z.object({ blob: z.unknown() }))).toThrow(/at \.blob has no single type/);
  });
});
