import { execute, retryTransient } from "@kubernaut/db";
import type { SQL } from "drizzle-orm";
import type { Db } from "../../env.js";

/**
 * Runs a raw read and answers its rows. A read changes nothing, so one that fails for a moment (a connection
 * lost when the server restarted, a serialization failure) is simply run again; if it keeps failing, the caller
 * answers 503 (`databaseProblem`).
 */
export async function selectRows<T extends object>(db: Pick<Db, "execute">, query: SQL): Promise<T[]> {
  return retryTransient(() => execute<T>(db, query));
}
