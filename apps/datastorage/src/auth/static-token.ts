import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { Logger } from "pino";
import { ConfigError, MIN_TOKEN_LENGTH } from "../config.js";
import { type Authorizer, authUnavailable, forbidden, legalHoldVerb, unauthorized } from "./authorizer.js";

export interface StaticTokenOptions {
  token?: string | undefined;
  /** Wins over `token`; re-read whenever the file changes (a rotated Kubernetes Secret, for example). */
  tokenFile?: string | undefined;
  /** The separate token that may place and release legal holds; without it (or its file) nobody may. */
  legalHoldToken?: string | undefined;
  legalHoldTokenFile?: string | undefined;
  logger?: Logger;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * One shared bearer token (AUTH_MODE=token), compared in constant time. Both sides are hashed first so
 * neither the comparison time nor an early length check tells anything about the expected token.
 * Placing or releasing a legal hold takes the legal-hold token instead (it stands for the writer too); the
 * service token there is refused with 403.
 */
export function createStaticTokenAuthorizer(options: StaticTokenOptions): Authorizer {
  const expected = options.tokenFile
    ? watchedToken("AUTH_TOKEN_FILE", options.tokenFile, options.logger)
    : fixed("AUTH_TOKEN", options.token);
  const legalHold = options.legalHoldTokenFile
    ? watchedToken("LEGAL_HOLD_TOKEN_FILE", options.legalHoldTokenFile, options.logger)
    : options.legalHoldToken
      ? fixed("LEGAL_HOLD_TOKEN", options.legalHoldToken)
      : null;
  // Legal holds need a token of their own: the configuration checks the inline values, this the files'.
  const shared = () => legalHold !== null && timingSafeEqual(legalHold(), expected());
  if (shared()) {
    throw new ConfigError([
      "LEGAL_HOLD_TOKEN_FILE: the same token as the service's (AUTH_TOKEN or AUTH_TOKEN_FILE): legal holds need a token of their own",
    ]);
  }
  return {
    async authorize(token, verb) {
      if (!token) throw unauthorized("a bearer token is required (Authorization: Bearer <token>)");
      const given = digest(token);
      const hold = legalHoldVerb(verb);
      // A file rotated to the service's token since start-up: nobody may hold records until it differs again.
      if (hold && shared()) {
        throw forbidden(
          "the legal-hold token is now the service's token (a token file was rotated to it): legal holds need a token of their own",
        );
      }
      if (hold && legalHold && timingSafeEqual(given, legalHold())) return "legal-hold-token";
      if (!timingSafeEqual(given, expected())) throw unauthorized("the bearer token is not valid");
      if (!hold) return "token";
      const what = hold === "create" ? "placing" : "releasing";
      throw forbidden(
        legalHold
          ? `${what} a legal hold needs the legal-hold token (LEGAL_HOLD_TOKEN), not the service token`
          : `${what} a legal hold needs a legal-hold token, and none is configured: set LEGAL_HOLD_TOKEN or LEGAL_HOLD_TOKEN_FILE`,
      );
    },
  };
}

function fixed(name: string, token: string | undefined): () => Buffer {
  if (!token) throw new ConfigError([`AUTH_MODE=token needs ${name}`]);
  const value = digest(token);
  return () => value;
}

/** Reads the token file now (failing start-up if it is unusable), then again whenever its stat changes. */
function watchedToken(name: string, path: string, logger: Logger | undefined): () => Buffer {
  let stamp = "";
  let value = Buffer.alloc(0);
  const load = (): Buffer => {
    const stat = statSync(path);
    const next = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    if (next === stamp) return value;
    const token = readFileSync(path, "utf8").trim();
    if (!token) throw new Error(`${name} ${path} is empty`);
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new Error(`${name} ${path} holds a token shorter than ${MIN_TOKEN_LENGTH} characters`);
    }
    if (stamp) logger?.info({ path }, "bearer token reloaded");
    stamp = next;
    value = digest(token);
    return value;
  };
  try {
    load();
  } catch (err) {
    throw new ConfigError([`${name}: cannot read a token from ${path}: ${(err as Error).message}`]);
  }
  return () => {
    try {
      return load();
    } catch (err) {
      logger?.error({ err, path }, `cannot read ${name}`);
      throw authUnavailable("the server cannot read its token file");
    }
  };
}
