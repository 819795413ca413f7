import { z } from "zod";
import { InvestigationFindings } from "../findings.js";

const probability = z.number().min(0).max(1);

/**
 * What the chat model must answer. Every field is required and no object allows extra keys, as OpenAI's
 * strict structured output demands; parameters are a list of pairs because strict mode has no free-form maps.
 */
export const ChatInvestigationOutput = z.strictObject({
  rootCauseHypotheses: z
    .array(
      z.strictObject({
        hypothesis: z.string().describe("the root cause, in a short phrase such as 'memory limit too low'"),
        confidence: probability.describe("probability that this is the root cause"),
        evidence: z.array(z.string()).describe("observations that support the hypothesis"),
      }),
    )
    .min(1),
  investigationReport: z.string().describe("a few paragraphs a site reliability engineer can act on"),
  recommendations: z.array(
    z.strictObject({
      action: z.string().describe("one action name of the catalog"),
      targetResource: z.strictObject({
        kind: z.string(),
        name: z.string(),
        namespace: z.string().nullable().describe("null for cluster-scoped kinds such as Node"),
      }),
      effectivenessEstimate: probability.describe("probability that the action resolves the signal"),
      rationale: z.string(),
      parameters: z.array(z.strictObject({ name: z.string(), value: z.string() })),
    }),
  ),
});
export type ChatInvestigationOutput = z.infer<typeof ChatInvestigationOutput>;

/** The JSON schema sent as `response_format.json_schema.schema`. */
export function chatOutputJsonSchema(): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(ChatInvestigationOutput, { target: "draft-7" });
  return schema;
}

/** Reads the model's answer into findings; the error names the first fields that do not fit. */
export function parseChatOutput(content: string): InvestigationFindings {
  let json: unknown;
  try {
    json = JSON.parse(stripCodeFence(content));
  } catch {
    throw new SyntaxError(`the model's answer is not JSON: ${JSON.stringify(content.slice(0, 200))}`);
  }
  const output = ChatInvestigationOutput.safeParse(json);
  if (!output.success)
    throw new TypeError(`the model's answer does not fit the schema: ${issues(output.error)}`);
  const findings = InvestigationFindings.safeParse({
    ...output.data,
    recommendations: output.data.recommendations.map((r) => ({
      ...r,
      parameters: Object.fromEntries(r.parameters.map((p) => [p.name, p.value])),
    })),
  });
  if (!findings.success)
    throw new TypeError(`the model's answer does not fit the schema: ${issues(findings.error)}`);
  return findings.data;
}

/** Some models wrap JSON in a Markdown code fence even when asked for bare JSON. */
function stripCodeFence(content: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(content);
  return fenced?.[1] ?? content;
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}
