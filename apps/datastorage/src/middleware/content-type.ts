import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../env.js";
import { HttpProblem } from "../errors.js";

/** A JSON media type and its parameters, in the form the routes' request validation accepts (no empty parameter). */
const JSON_TYPE = /^application\/([a-z.-]+\+)?json(;\s*[a-z0-9-]+=[^;]+)*$/i;
const CHARSET = /;\s*charset=\s*"?([^";\s]*)/i;

/**
 * Every request with a body must send JSON, in UTF-8 and uncompressed: anything else is a 415 naming what was sent.
 * An unknown route is left to answer 404, whatever its content type.
 */
export const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  // DELETE too: releasing a legal hold says who releases it, in a JSON body.
  const hasBody = ["POST", "PUT", "PATCH", "DELETE"].includes(c.req.method);
  if (hasBody && matchedRoutes(c).some((route) => route.method !== "ALL")) {
    const contentType = c.req.header("content-type");
    if (!contentType || !JSON_TYPE.test(contentType)) {
      throw new HttpProblem({
        status: 415,
        detail: `Content-Type must be application/json, got ${contentType ? `"${contentType}"` : "none"}`,
      });
    }
    const charset = CHARSET.exec(contentType)?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
      throw new HttpProblem({
        status: 415,
        detail: `charset "${charset}" is not accepted: send the JSON body in UTF-8`,
      });
    }
    // Bodies are read as they arrive, within MAX_BODY_BYTES: a compressed one would be taken for JSON text.
    const encoding = c.req.header("content-encoding")?.trim().toLowerCase();
    if (encoding && encoding !== "identity") {
      throw new HttpProblem({
        status: 415,
        detail: `Content-Encoding "${encoding}" is not accepted: send the JSON body uncompressed`,
      });
    }
  }
  await next();
};
