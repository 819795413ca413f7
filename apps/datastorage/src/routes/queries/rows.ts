import type { SQL } from "drizzle-orm";
import type { Db } from "../../env.js";
import { rowsOf } from "../../write/rows.js";

/** Runs a raw query and answers its rows. */
export async function selectRows<T>(db: Pick<Db, "execute">, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}
