import { Problem } from "@kubernaut/schema";

export const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});

export const TAGS = ["audit log"];
