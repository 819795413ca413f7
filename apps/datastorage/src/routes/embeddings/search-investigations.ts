import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { SearchInvestigations, SimilarInvestigations } from "@kubernaut/schema";
import { CLIENT_SUPPLIED_MODEL } from "../../embeddings/embedder.js";
import { findSimilarInvestigations } from "../../embeddings/similarity-search.js";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";
import { noQuery } from "../queries/params.js";
import { embeddingProblems, requireVisibleText } from "./problems.js";

export const searchInvestigationsRoute = createRoute({
  method: "post",
  path: "/api/v1/embeddings/investigations/search",
  tags: ["embeddings"],
  summary: "The k stored investigations most similar (cosine) to a query text or vector, of the same model",
  request: {
    query: noQuery,
    body: { required: true, content: { "application/json": { schema: SearchInvestigations } } },
  },
  responses: {
    200: {
      description: "the matches, most similar first, newest first on ties",
      content: { "application/json": { schema: SimilarInvestigations } },
    },
    ...embeddingProblems,
  },
});

export function registerSearchInvestigationsRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(searchInvestigationsRoute, async (c) => {
    const query = c.req.valid("json");
    const { db, embedder } = c.var.deps;

    let vector: number[];
    let model: string;
    if (query.text !== undefined) {
      requireVisibleText(query.text, "text");
      if (query.embedding_model !== undefined && query.embedding_model !== embedder.model) {
        throw HttpProblem.validation([
          {
            path: "embedding_model",
            message: `text queries are embedded by ${embedder.model}; search ${query.embedding_model} rows with a vector`,
          },
        ]);
      }
      const [computed] = await embedder.embed([query.text]);
      if (!computed) throw new Error(`embedder ${embedder.model} answered no vector`);
      vector = computed;
      model = embedder.model;
    } else if (query.vector !== undefined) {
      vector = query.vector;
      model = query.embedding_model ?? CLIENT_SUPPLIED_MODEL;
    } else {
      throw HttpProblem.validation([{ path: "text", message: "give exactly one of text or vector" }]);
    }

    const results = await findSimilarInvestigations(db, {
      vector,
      model,
      k: query.k,
      environment: query.environment,
      minSimilarity: query.min_similarity,
    });
    return c.json({ embedding_model: model, results }, 200);
  });
}
