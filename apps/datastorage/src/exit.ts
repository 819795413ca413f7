import { classifyDatabaseError, DataDirLockedError, MigrationsFolderError } from "@kubernaut/db";
import { PublishDirError } from "./audit-log/publish.js";
import { SigningKeyError } from "./audit-log/signing-key.js";
import { ConfigError } from "./config.js";

/** The system errors of a connection that never reached the database: a host not found, a port closed. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
]);

/** The port is taken by another process. */
export class PortInUseError extends Error {
  constructor(host: string, port: number) {
    super(`port ${port} on ${host} is already in use by another process: stop it or set PORT`);
    this.name = "PortInUseError";
  }
}

/**
 * What ends one of the service's processes (server, migrate, retention), as the line it prints. A failure an
 * operator fixes with a setting (configuration, a port or data directory in use, the signing key, the publish or
 * migrations folder, a database that cannot be reached or refuses the service's login) is its own message; anything
 * else is a defect and keeps its stack.
 */
export function exitMessage(err: unknown): string {
  if (
    err instanceof ConfigError ||
    err instanceof DataDirLockedError ||
    err instanceof MigrationsFolderError ||
    err instanceof SigningKeyError ||
    err instanceof PublishDirError ||
    err instanceof PortInUseError
  ) {
    return err.message;
  }
  // A file or folder a setting names that cannot be used (DATA_DIR a file, a folder not writable): the system's
  // message names the path and what failed.
  if (err instanceof Error && "syscall" in err && "path" in err) return err.message;
  const connection = connectionFailure(err);
  if (connection) return `cannot connect to the database of DATABASE_URL: ${connection}`;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** The message of a failure to connect or log in, or undefined when the database was reached and accepted us. */
function connectionFailure(err: unknown): string | undefined {
  for (let current = err, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && UNREACHABLE.has(code)) return current.message;
    current = current.cause;
  }
  const classified = classifyDatabaseError(err);
  // 08: the connection failed; 28: the login was refused; 3D000: the database does not exist.
  if (classified?.code && /^(08|28)|^3D000$/.test(classified.code)) return classified.message;
  return undefined;
}
