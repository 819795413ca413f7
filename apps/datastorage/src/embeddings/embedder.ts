import type { Config } from "../config.js";
import { createOfflineEmbedder } from "./offline.js";
import { createOpenAIEmbedder } from "./openai.js";

/**
 * Turns texts into embeddings. `model` and `dimensions` are stored with every vector, so rows from
 * different models are never compared.
 */
export interface Embedder {
  readonly model: string;
  readonly dimensions: number;
  /** One vector per text, in the order given. */
  embed(texts: string[]): Promise<number[][]>;
}

export type EmbedderConfig = Pick<
  Config,
  "EMBEDDER" | "EMBEDDINGS_URL" | "EMBEDDINGS_API_KEY" | "EMBEDDINGS_MODEL"
>;

/** The model name of a vector a client supplies without naming its model, both when storing and searching. */
export const CLIENT_SUPPLIED_MODEL = "client-supplied";

/** The remote model asked for when `EMBEDDER=openai` names none. */
export const DEFAULT_OPENAI_MODEL = "text-embedding-3-small";

/**
 * The embedder `EMBEDDER` selects: the deterministic offline one by default (its model name is fixed, since it
 * names the algorithm), or an OpenAI-compatible API asked for `EMBEDDINGS_MODEL`.
 */
export function createEmbedder(config: EmbedderConfig): Embedder {
  if (config.EMBEDDER === "offline") {
    return createOfflineEmbedder();
  }
  if (!config.EMBEDDINGS_URL) throw new Error("EMBEDDER=openai needs EMBEDDINGS_URL");
  return createOpenAIEmbedder({
    url: config.EMBEDDINGS_URL,
    apiKey: config.EMBEDDINGS_API_KEY,
    model: config.EMBEDDINGS_MODEL ?? DEFAULT_OPENAI_MODEL,
  });
}
