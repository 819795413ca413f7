import { retryTransient } from "@kubernaut/db";
import type { SQL } from "drizzle-orm";
import type { Db } from "../../env.js";
import { rowsOf } from "../../write/rows.js";

/**
 * Runs a raw read and answers its rows. A read changes nothing, so one that fails for a moment (a connection
 * lost when the server restarted, a serialization failure) is simply run again; if it keeps failing, the caller
 * answers 503 (`databaseProblem`).
 */
export async function selectRows<T>(db: Pick<Db, "execute">, query: SQL): Promise<T[]> {
  return rowsOf<T>(await retryTransient(() => db.execute(query)));
}
