import { describe, expect, it } from "vitest";
import { classifyDatabaseError, retryTransient } from "../../src/errors.js";

const pgError = (code: string, message = `error ${code}`) => Object.assign(new Error(message), { code });

describe("classifyDatabaseError", () => {
  it("takes data exceptions and value-caused integrity violations for input errors", () => {
    for (const code of ["22P02", "22003", "22008", "22P05", "22021", "23502", "23514", "54001"]) {
      expect(classifyDatabaseError(pgError(code))?.kind, code).toBe("input");
    }
  });

  it("takes unique and exclusion violations, and a held row's refused delete, for conflicts", () => {
    for (const code of ["23505", "23P01", "23001"]) {
      expect(classifyDatabaseError(pgError(code))?.kind, code).toBe("conflict");
    }
  });

  it("keeps the column, constraint and table the server named", () => {
    const checked = Object.assign(pgError("23514", 'violates check constraint "name_shape"'), {
      constraint: "name_shape",
      table: "remediation_audit",
      column: undefined,
    });
    expect(classifyDatabaseError(checked)).toEqual({
      kind: "input",
      code: "23514",
      message: 'violates check constraint "name_shape"',
      constraint: "name_shape",
      table: "remediation_audit",
    });
  });

  it("takes deadlocks, serialization failures and connection troubles for transient ones", () => {
    for (const code of ["40P01", "40001", "57P01", "57P03", "08006", "08001", "53300"]) {
      expect(classifyDatabaseError(pgError(code))?.kind, code).toBe("transient");
    }
    expect(classifyDatabaseError(new Error("Connection terminated unexpectedly"))?.kind).toBe("transient");
    expect(classifyDatabaseError(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }))?.kind).toBe(
      "transient",
    );
  });

  it("follows the cause chain of a wrapped error (Drizzle's query error)", () => {
    const wrapped = new Error("Failed query: INSERT …", { cause: pgError("40P01", "deadlock detected") });
    expect(classifyDatabaseError(wrapped)).toEqual({
      kind: "transient",
      code: "40P01",
      message: "deadlock detected",
    });
  });

  it("leaves other SQLSTATEs as other, and errors without one unclassified", () => {
    expect(classifyDatabaseError(pgError("42P01"))?.kind).toBe("other");
    expect(classifyDatabaseError(new Error("boom"))).toBeUndefined();
    expect(classifyDatabaseError("not an error")).toBeUndefined();
  });
});

describe("retryTransient", () => {
  it("retries a transient failure and answers the later success", async () => {
    let calls = 0;
    const answer = await retryTransient(
      async () => {
        calls++;
        if (calls < 3) throw pgError("40P01");
        return "done";
      },
      { baseDelayMs: 1 },
    );
    expect([answer, calls]).toEqual(["done", 3]);
  });

  it("tells onRetry of each transient failure it retries, with its SQLSTATE", async () => {
    const told: [string | undefined, number][] = [];
    let calls = 0;
    await retryTransient(
      async () => {
        if (++calls < 3) throw pgError(calls === 1 ? "40P01" : "40001");
      },
      { baseDelayMs: 1, onRetry: (error, attempt) => told.push([error.code, attempt]) },
    );
    expect(told).toEqual([
      ["40P01", 1],
      ["40001", 2],
    ]);
  });

  it("throws an input error at once, and a transient one after the last attempt", async () => {
    let calls = 0;
    await expect(
      retryTransient(async () => {
        calls++;
        throw pgError("22003");
      }),
    ).rejects.toThrow("error 22003");
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retryTransient(
        async () => {
          calls++;
          throw pgError("40001");
        },
        { attempts: 3, baseDelayMs: 1 },
      ),
    ).rejects.toThrow("error 40001");
    expect(calls).toBe(3);
  });
});
