import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../env.js";
import { HttpProblem } from "../errors.js";

/** A body over MAX_BODY_BYTES is refused with a 413 before it is read into memory. */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpProblem({
        status: 413,
        detail: `request body exceeds ${maxBytes} bytes (MAX_BODY_BYTES)`,
      });
    },
  });
}
