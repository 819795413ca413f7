import { Problem } from "@kubernaut/schema";
import { HttpProblem } from "../../errors.js";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});

/** The error answers both embedding routes document. */
export const embeddingProblems = {
  400: problem("invalid request: field errors name each problem"),
  413: problem("the body is larger than MAX_BODY_BYTES"),
  415: problem("Content-Type is not application/json"),
  502: problem("the remote embeddings service refused the request or answered something unusable"),
  503: problem("the remote embeddings service is unreachable, timed out or overloaded; retry later"),
};

/** Blank text has nothing to embed; the contract's length check alone lets whitespace through. */
export function requireVisibleText(text: string, path: string): void {
  if (text.trim() === "") throw HttpProblem.validation([{ path, message: "must not be blank" }]);
}
