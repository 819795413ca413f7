import { describe, expect, it } from "vitest";
import { type AccessReviews, createTokenReviewAuthorizer } from "../../src/auth/index.js";
import { HttpProblem } from "../../src/errors.js";

/** A scripted reviewer: knows two tokens; "writer" may create, both may get. Counts calls. */
function scriptedReviews() {
  const calls = { token: 0, access: 0 };
  const reviews: AccessReviews = {
    async reviewToken(token) {
      calls.token++;
      if (token === "broken") throw new Error("connection refused");
      if (token === "writer-token") return { username: "system:serviceaccount:ns:writer" };
      if (token === "reader-token") return { username: "system:serviceaccount:ns:reader" };
      return null;
    },
    async reviewAccess(user, verb) {
      calls.access++;
      return verb === "get" || user.username.endsWith(":writer");
    },
  };
  return { reviews, calls };
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (err) {
    if (err instanceof HttpProblem) return err.status;
    throw err;
  }
}

describe("TokenReview authorizer", () => {
  it("401 without or with an unknown token, 403 when RBAC says no, the user name when allowed", async () => {
    const { reviews } = scriptedReviews();
    const authorizer = createTokenReviewAuthorizer({ reviews });
    expect(await statusOf(authorizer.authorize(undefined, "get"))).toBe(401);
    expect(await statusOf(authorizer.authorize("nobody", "get"))).toBe(401);
    expect(await statusOf(authorizer.authorize("reader-token", "create"))).toBe(403);
    expect(await authorizer.authorize("reader-token", "get")).toBe("system:serviceaccount:ns:reader");
    expect(await authorizer.authorize("writer-token", "create")).toBe("system:serviceaccount:ns:writer");
  });

  it("logs each RBAC refusal of a known caller once per decision, naming the user and the verb", async () => {
    const { reviews } = scriptedReviews();
    const warnings: { fields: object; message?: string }[] = [];
    const logger = { warn: (fields: object, message?: string) => warnings.push({ fields, message }) };
    const authorizer = createTokenReviewAuthorizer({
      reviews,
      logger: logger as unknown as Parameters<typeof createTokenReviewAuthorizer>[0]["logger"],
    });
    for (let i = 0; i < 3; i++) await statusOf(authorizer.authorize("reader-token", "create"));
    await statusOf(authorizer.authorize("nobody", "get"));
    await authorizer.authorize("writer-token", "create");
    expect(warnings).toEqual([
      {
        fields: {
          user: "system:serviceaccount:ns:reader",
          verb: "create",
          resource: "services/data-storage",
        },
        message: "access refused by RBAC",
      },
    ]);
  });

  it("503 when the API server cannot answer, and that is not cached", async () => {
    const { reviews, calls } = scriptedReviews();
    const authorizer = createTokenReviewAuthorizer({ reviews });
    expect(await statusOf(authorizer.authorize("broken", "get"))).toBe(503);
    expect(await statusOf(authorizer.authorize("broken", "get"))).toBe(503);
    expect(calls.token).toBe(2);
  });

  it("reuses a decision for the TTL, per token and verb, and keeps the cache bounded", async () => {
    let clock = 0;
    const { reviews, calls } = scriptedReviews();
    const authorizer = createTokenReviewAuthorizer({
      reviews,
      ttlMs: 10_000,
      maxEntries: 2,
      now: () => clock,
    });
    await authorizer.authorize("writer-token", "create");
    await authorizer.authorize("writer-token", "create");
    expect(calls).toEqual({ token: 1, access: 1 });
    await authorizer.authorize("writer-token", "get");
    expect(calls.token).toBe(2);
    clock = 10_001;
    await authorizer.authorize("writer-token", "create");
    expect(calls.token).toBe(3);
    // Two entries at most: a third evicts the oldest ("get"), which is then reviewed again.
    await authorizer.authorize("reader-token", "get");
    await authorizer.authorize("writer-token", "get");
    expect(calls.token).toBe(5);
  });
});

describe("legal-hold verbs", () => {
  it("are decided apart from the plain verbs and refused with what the caller lacks", async () => {
    const asked: string[] = [];
    const reviews: AccessReviews = {
      async reviewToken(token) {
        return token === "holder-token" || token === "writer-token"
          ? { username: `system:serviceaccount:ns:${token.replace("-token", "")}` }
          : null;
      },
      async reviewAccess(user, verb) {
        asked.push(`${user.username.split(":").at(-1)} ${verb}`);
        return verb === "create" || user.username.endsWith(":holder");
      },
    };
    const authorizer = createTokenReviewAuthorizer({ reviews });
    expect(await authorizer.authorize("writer-token", "create")).toBe("system:serviceaccount:ns:writer");
    const refused = await authorizer
      .authorize("writer-token", "legal-hold:create")
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(HttpProblem);
    expect((refused as HttpProblem).status).toBe(403);
    expect((refused as HttpProblem).detail).toMatch(
      /^system:serviceaccount:ns:writer may not create services\/data-storage\/legal-holds \(placing a legal hold needs/,
    );
    expect(await authorizer.authorize("holder-token", "legal-hold:delete")).toBe(
      "system:serviceaccount:ns:holder",
    );
    expect(asked).toEqual(["writer create", "writer legal-hold:create", "holder legal-hold:delete"]);
  });
});
