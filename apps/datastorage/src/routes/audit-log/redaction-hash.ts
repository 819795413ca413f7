import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { redactedValue, redactionKeyOf } from "@kubernaut/tlog";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";
import { problem, TAGS } from "./responses.js";

const RedactionHashRequest = z.strictObject({
  value: z
    .unknown()
    .refine((value) => value !== undefined, { error: "required: the value to redact (any JSON)" })
    .meta({ description: "The value a redacted field may hold: any JSON" }),
});
const RedactionHash = z.object({
  redacted: z
    .string()
    .meta({ description: "What an export's redact= writes for this value", example: "hmac-sha256:…" }),
});

export const redactionHashRoute = createRoute({
  method: "post",
  path: "/api/v1/audit/redaction-hash",
  tags: TAGS,
  summary: "The redacted text of a value, to match the fields of an export made with redact=",
  description:
    "A reader who holds a value (a token, a name) learns whether a redacted export field holds it, without the export revealing the values it does not know. A read: it needs the reader permission.",
  request: { body: { required: true, content: { "application/json": { schema: RedactionHashRequest } } } },
  responses: {
    200: { description: "The redacted text", content: { "application/json": { schema: RedactionHash } } },
    400: problem('the body is not {"value": …}'),
    404: problem("this service signs no checkpoints, so it has no redaction key"),
  },
});

export function registerRedactionHashRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(redactionHashRoute, (c) => {
    const signer = c.var.deps.checkpointSigner;
    if (signer === undefined) throw HttpProblem.notFound("this service signs no checkpoints");
    const { value } = c.req.valid("json");
    return c.json({ redacted: redactedValue(redactionKeyOf(signer), value) }, 200);
  });
}
