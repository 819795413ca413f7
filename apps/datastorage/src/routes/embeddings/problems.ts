import { Problem } from "@kubernaut/schema";
import { HttpProblem } from "../../errors.js";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});

/** The error answers both embedding routes document. */
export const embeddingProblems = {
  400: problem("invalid request: field errors name each problem"),
  502: problem("the remote embeddings service refused the request or answered something unusable"),
  503: problem("the remote embeddings service is unreachable, timed out or overloaded; retry later"),
};

/** Cosine similarity is undefined for a zero vector, so such a vector can be neither stored nor searched with. */
export function requireNonZero(vector: readonly number[], path: string): void {
  if (vector.every((value) => value === 0)) {
    throw HttpProblem.validation([
      { path, message: "must not be all zeros: it has no direction to compare" },
    ]);
  }
}

/** Blank text has nothing to embed; the contract's length check alone lets whitespace through. */
export function requireVisibleText(text: string, path: string): void {
  if (text.trim() === "") throw HttpProblem.validation([{ path, message: "must not be blank" }]);
}
