import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../env.js";
import { HttpProblem } from "../errors.js";

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A body over MAX_BODY_BYTES is refused with a 413 before more of it is read into memory: at once when its
 * Content-Length says so, else as soon as the bytes read pass the limit.
 *
 * Under `@hono/node-server` the body is read straight from Node's request and handed to Hono's body cache as
 * text (`c.req.json()` parses it), without building a web `Request` and its stream for every request: the
 * per-request cost that bounded single writes. Elsewhere (`app.request()`, other runtimes) Hono's own body limit
 * does the same through the web `Request`.
 */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  const tooLarge = () =>
    new HttpProblem({ status: 413, detail: `request body exceeds ${maxBytes} bytes (MAX_BODY_BYTES)` });
  const portable = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return async (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (incoming === undefined) {
      return portable(c, async () => {
        if (METHODS_WITH_BODY.has(c.req.method) && c.req.raw.body !== null) {
          setBodyText(c, new Uint8Array(await c.req.raw.arrayBuffer()));
        }
        await next();
      });
    }
    if (!METHODS_WITH_BODY.has(c.req.method)) return next();
    const declared = Number(incoming.headers["content-length"] ?? Number.NaN);
    if (declared > maxBytes) throw tooLarge();
    const body = await readBody(incoming, maxBytes);
    if (body === null) throw tooLarge();
    setBodyText(c, body);
    return next();
  };
}

/** UTF-8, a byte order mark dropped; a malformed sequence throws instead of becoming U+FFFD. */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Hands the body to Hono's body cache as text (`c.req.json()` parses it; Hono keeps the promise of each body it
 * has read in `bodyCache`, and its type says the value). A body that is not UTF-8 is a 400: stored with its bytes
 * replaced, the trail would hold something other than what was sent.
 */
function setBodyText(c: Context<AppEnv>, body: Uint8Array): void {
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    throw new HttpProblem({ status: 400, detail: "the request body is not valid UTF-8" });
  }
  refuseProtoKeys(text);
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
}

/** Text that may hold a key named `__proto__`, written as it is or with escapes. */
const MAY_NAME_PROTO = /__proto__|\\u/;

class ProtoKey extends Error {}

/**
 * A key named `__proto__` cannot be kept as data: parsed objects drop it or take its value as their prototype, so
 * the record stored would not be the one sent. Such a body is a 400. Only text that may hold one is parsed here.
 */
function refuseProtoKeys(text: string): void {
  if (!MAY_NAME_PROTO.test(text)) return;
  try {
    JSON.parse(text, (key, value) => {
      if (key === "__proto__") throw new ProtoKey();
      return value;
    });
  } catch (error) {
    if (!(error instanceof ProtoKey)) return; // Malformed JSON: the route's validation says so.
    throw new HttpProblem({
      status: 400,
      detail: 'a JSON key named "__proto__" is not accepted: it cannot be stored as data',
    });
  }
}

/**
 * The whole body, or null as soon as it passes `maxBytes`. The rest is left unread but the stream whole, for the
 * server to drain after the 413 (destroying it would close the socket before the answer). A client that goes away
 * before the end of its body gets a 400, which its closed socket never receives: the request stores nothing.
 */
function readBody(incoming: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onCut);
      incoming.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      settle();
      incoming.pause();
      resolve(null);
    };
    const onEnd = () => {
      settle();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onCut = () => {
      settle();
      reject(new HttpProblem({ status: 400, detail: "the request body ended before it was complete" }));
    };
    // Closed without "end" (the client went away mid-body); after "end" the listeners are gone.
    const onClose = () => onCut();
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onCut);
    incoming.on("close", onClose);
  });
}
