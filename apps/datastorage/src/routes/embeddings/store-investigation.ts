import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import {
  aiInvestigationEmbeddings,
  Problem,
  StoredInvestigationEmbedding,
  StoreInvestigationEmbedding,
} from "@kubernaut/schema";
import { CLIENT_SUPPLIED_MODEL } from "../../embeddings/embedder.js";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";
import { noQuery } from "../queries/params.js";
import { embeddingProblems, requireVisibleText } from "./problems.js";

export const storeInvestigationRoute = createRoute({
  method: "post",
  path: "/api/v1/embeddings/investigations",
  tags: ["embeddings"],
  summary: "Stores an investigation's text with its embedding, computed by the service unless supplied",
  request: {
    query: noQuery,
    body: { required: true, content: { "application/json": { schema: StoreInvestigationEmbedding } } },
  },
  responses: {
    201: {
      description: "stored",
      content: { "application/json": { schema: StoredInvestigationEmbedding } },
    },
    ...embeddingProblems,
    409: {
      description: "an investigation embedding with this id already exists for this alert",
      content: { "application/problem+json": { schema: Problem } },
    },
  },
});

export function registerStoreInvestigationRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(storeInvestigationRoute, async (c) => {
    const body = c.req.valid("json");
    const { db, embedder, clock } = c.var.deps;
    requireVisibleText(body.investigation_text, "investigation_text");

    let embedding: number[];
    let model: string;
    if (body.embedding) {
      embedding = body.embedding;
      model = body.embedding_model ?? CLIENT_SUPPLIED_MODEL;
    } else if (body.embedding_model !== undefined) {
      throw HttpProblem.validation([
        {
          path: "embedding_model",
          message: "names the model of a supplied embedding: send embedding with it",
        },
      ]);
    } else {
      const [computed] = await embedder.embed([body.investigation_text]);
      if (!computed) throw new Error(`embedder ${embedder.model} answered no vector`);
      embedding = computed;
      model = embedder.model;
    }

    const [stored] = await db
      .insert(aiInvestigationEmbeddings)
      .values({
        ...(body.id === undefined ? {} : { id: body.id }),
        alertFingerprint: body.alert_fingerprint,
        investigationText: body.investigation_text,
        embedding,
        rootCause: body.root_cause ?? null,
        confidenceScore: body.confidence_score ?? null,
        environment: body.environment ?? null,
        createdAt: clock(),
        embeddingModel: model,
        embeddingDimensions: embedding.length,
      })
      // Keys lead with the alert's fingerprint, the table's distribution column (docs/design.md, "Scale-out").
      .onConflictDoNothing({
        target: [aiInvestigationEmbeddings.alertFingerprint, aiInvestigationEmbeddings.id],
      })
      .returning({ id: aiInvestigationEmbeddings.id });
    if (!stored)
      throw HttpProblem.conflict(
        `an investigation embedding with id ${body.id} already exists for alert ${body.alert_fingerprint}`,
      );

    return c.json({ id: stored.id, embedding_model: model, embedding_dimensions: embedding.length }, 201);
  });
}
