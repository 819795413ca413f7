import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { checkStorableJson } from "@kubernaut/schema";
import { redactedValue, redactionKeyOf } from "@kubernaut/tlog";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";
import { noQuery } from "../queries/params.js";
import { problem, TAGS } from "./responses.js";

const RedactionHashRequest = z.strictObject({
  value: z
    .unknown()
    .refine((value) => value !== undefined, {
      error: "required: the value to redact (any JSON)",
      abort: true,
    })
    // What a record may hold: a lone surrogate or a number beyond a double has no canonical JSON to hash.
    .superRefine((value, ctx) => checkStorableJson(value, ctx))
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
  request: {
    query: noQuery,
    body: { required: true, content: { "application/json": { schema: RedactionHashRequest } } },
  },
  responses: {
    200: { description: "The redacted text", content: { "application/json": { schema: RedactionHash } } },
    400: problem('the body is not {"value": …}'),
    413: problem("the body is larger than MAX_BODY_BYTES"),
    415: problem("Content-Type is not application/json"),
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
