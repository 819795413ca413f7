import { describe, expect, it } from "vitest";
import { databaseProblem } from "../../src/errors.js";

const pgError = (code: string, message: string, fields: Record<string, string> = {}) =>
  // As Drizzle throws it: its own error, the driver's as the cause.
  new Error("Failed query: …", { cause: Object.assign(new Error(message), { code, ...fields }) });

describe("databaseProblem", () => {
  it("answers a data exception 400, naming the SQLSTATE and the column", () => {
    const problem = databaseProblem(
      pgError("22003", 'value "3000000000" is out of range for type integer', { column: "duplicate_count" }),
    );
    expect(problem?.toJSON()).toEqual({
      type: "https://kubernaut.ai/problems/unstorable-value",
      title: "The database refused a value",
      status: 400,
      detail:
        'the database refused a value of the request (SQLSTATE 22003, column duplicate_count): value "3000000000" is out of range for type integer',
    });
  });

  it("answers a collision with stored data 409: a unique violation, a row under legal hold", () => {
    const held = databaseProblem(
      pgError("23001", "a row of audit_events is under legal hold 42: it cannot be deleted"),
    );
    expect(held?.status).toBe(409);
    expect(held?.detail).toBe(
      "the database found the request in conflict with stored data (SQLSTATE 23001): a row of audit_events is under legal hold 42: it cannot be deleted",
    );
    expect(
      databaseProblem(pgError("23505", "duplicate key", { constraint: "legal_holds_pkey" }))?.detail,
    ).toContain("(SQLSTATE 23505, constraint legal_holds_pkey)");
  });

  it("answers a transient failure 503 with Retry-After, and leaves anything else to the 500", () => {
    for (const error of [
      pgError("40P01", "deadlock detected"),
      new Error("Connection terminated unexpectedly"),
    ]) {
      const problem = databaseProblem(error);
      expect(problem?.status).toBe(503);
      expect(problem?.headers).toEqual({ "Retry-After": "1" });
    }
    expect(databaseProblem(pgError("42P01", 'relation "x" does not exist'))).toBeUndefined();
    expect(databaseProblem(new Error("boom"))).toBeUndefined();
  });
});
