import { execute } from "@kubernaut/db";
import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** node-postgres answers a `bigint` as text, PGlite as a number or a JS `bigint`: raw rows answer one shape. */
describe("bigint values in raw rows", () => {
  let t: TestDatabase;

  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(() => t.close());

  it("answers counts, bigint columns, bigint arrays and nulls as numbers, the same on both drivers", async () => {
    const query = sql`
      SELECT count(*) AS n, 42::bigint AS b, (-5)::int8 AS neg, NULL::bigint AS none,
             9007199254740991::bigint AS max_safe, (-9007199254740991)::bigint AS min_safe,
             ARRAY[1, NULL, 3]::bigint[] AS arr, ARRAY[[1, 2], [3, 4]]::bigint[] AS nested,
             max(x) AS top, 7::int AS i, 2.5::numeric AS d
      FROM generate_series(1::bigint, 3::bigint) AS x`;
    const expected = {
      n: 3,
      b: 42,
      neg: -5,
      none: null,
      max_safe: Number.MAX_SAFE_INTEGER,
      min_safe: Number.MIN_SAFE_INTEGER,
      arr: [1, null, 3],
      nested: [
        [1, 2],
        [3, 4],
      ],
      top: 3,
      i: 7,
      d: "2.5",
    };

    expect(await execute(t.db, query)).toEqual([expected]);
    expect(await t.database.execute(query)).toEqual([expected]);
    expect(await t.database.executePrepared(query)).toEqual([expected]);
    expect(await t.database.transaction((tx) => execute(tx, query))).toEqual([expected]);
  });

  it("throws, naming the column, for a bigint a JS number cannot hold exactly (beyond ±(2^53 - 1))", async () => {
    for (const value of ["9007199254740992", "-9007199254740993", "9223372036854775807"]) {
      await expect(execute(t.db, sql`SELECT ${value}::bigint AS big`)).rejects.toThrow(
        new RangeError(
          `column "big" holds the bigint ${value}, beyond what a JS number holds exactly (±(2^53 - 1)): ` +
            "cast it to text or numeric in the query",
        ),
      );
    }
    await expect(t.database.execute(sql`SELECT ARRAY[1, 9007199254740992]::bigint[] AS arr`)).rejects.toThrow(
      RangeError,
    );
    // Cast to text, the exact value is answered.
    expect(await execute(t.db, sql`SELECT 9223372036854775807::bigint::text AS big`)).toEqual([
      { big: "9223372036854775807" },
    ]);
  });
});
