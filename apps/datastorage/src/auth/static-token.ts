import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { Logger } from "pino";
import { type Authorizer, authUnavailable, unauthorized } from "./authorizer.js";

export interface StaticTokenOptions {
  token?: string | undefined;
  /** Wins over `token`; re-read whenever the file changes (a rotated Kubernetes Secret, for example). */
  tokenFile?: string | undefined;
  logger?: Logger;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * One shared bearer token (AUTH_MODE=token), compared in constant time. Both sides are hashed first so
 * neither the comparison time nor an early length check tells anything about the expected token.
 */
export function createStaticTokenAuthorizer(options: StaticTokenOptions): Authorizer {
  const expected = options.tokenFile ? watchedToken(options.tokenFile, options.logger) : fixed(options.token);
  return {
    async authorize(token) {
      if (!token) throw unauthorized("a bearer token is required (Authorization: Bearer <token>)");
      const want = expected();
      if (!timingSafeEqual(digest(token), want)) throw unauthorized("the bearer token is not valid");
      return "token";
    },
  };
}

function fixed(token: string | undefined): () => Buffer {
  if (!token) throw new Error("AUTH_MODE=token needs AUTH_TOKEN or AUTH_TOKEN_FILE");
  const value = digest(token);
  return () => value;
}

/** Reads the token file now (failing start-up if it is unusable), then again whenever its stat changes. */
function watchedToken(path: string, logger: Logger | undefined): () => Buffer {
  let stamp = "";
  let value = Buffer.alloc(0);
  const load = (): Buffer => {
    const stat = statSync(path);
    const next = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    if (next === stamp) return value;
    const token = readFileSync(path, "utf8").trim();
    if (!token) throw new Error(`AUTH_TOKEN_FILE ${path} is empty`);
    if (stamp) logger?.info({ path }, "bearer token reloaded");
    stamp = next;
    value = digest(token);
    return value;
  };
  try {
    load();
  } catch (err) {
    throw new Error(`AUTH_TOKEN_FILE: cannot read a token from ${path}: ${(err as Error).message}`);
  }
  return () => {
    try {
      return load();
    } catch (err) {
      logger?.error({ err, path }, "cannot read AUTH_TOKEN_FILE");
      throw authUnavailable("the server cannot read its token file");
    }
  };
}
