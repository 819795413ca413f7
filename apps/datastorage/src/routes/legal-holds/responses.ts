import { Problem } from "@kubernaut/schema";

export const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});

/** The refusals every legal-hold route documents. */
export const authResponses = {
  401: problem("missing or unknown bearer token"),
  403: problem("the caller lacks the permission (names what is missing)"),
} as const;
