import type { Db } from "@kubernaut/db";
import type { NoteSigner } from "@kubernaut/tlog";
import type { Logger } from "pino";
import type { Authorizer } from "./auth/authorizer.js";
import type { Config } from "./config.js";
import type { Embedder } from "./embeddings/embedder.js";
import type { PoolStats, ServiceMetrics } from "./metrics.js";
import type { GroupCommitWriter } from "./write/group-commit.js";

/** The typed Drizzle database, over PGlite or node-postgres. */
export type { Db };

/** What the operations routes need to know about the database beyond queries. */
export interface DatabaseProbe {
  /** Resolves when the database answers and every migration is applied; rejects with the reason otherwise. */
  checkReady(): Promise<void>;
  /** Connection pool figures (PGlite: one connection). */
  poolStats(): PoolStats;
}

/** Mutable process state shared with the listener: set `shuttingDown` on SIGTERM so /readyz answers 503. */
export interface Lifecycle {
  shuttingDown: boolean;
}

/** Everything a handler may use, built once at start-up (nothing is built at import time). */
export interface AppDeps {
  db: Db;
  /** The audit write path over `db` (see `createAuditWriter`). */
  writer: GroupCommitWriter;
  database: DatabaseProbe;
  config: Config;
  logger: Logger;
  metrics: ServiceMetrics;
  clock: () => Date;
  embedder: Embedder;
  lifecycle: Lifecycle;
  /** The key checkpoints are signed with (`loadCheckpointSigner`); its verifier key is served. */
  checkpointSigner?: NoteSigner;
  /**
   * Who may call `/api/`: absent means "as AUTH_MODE says" (`createAuthorizer`), null means no
   * authentication (AUTH_MODE=none, loopback only).
   */
  authorizer?: Authorizer | null;
}

/** The Hono Env of the app: handlers read their dependencies from `c.var.deps`. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    /** A child logger bound to this request's id. */
    log: Logger;
    /** Who the bearer token belongs to (a ServiceAccount, `token`, `legal-hold-token`); unset with AUTH_MODE=none. */
    principal?: string;
  };
}
