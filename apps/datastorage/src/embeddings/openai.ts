import { EMBEDDING_DIMENSIONS, FLOAT4_MAX, float4SquaredNorm } from "@kubernaut/schema";
import { z } from "zod";
import { HttpProblem } from "../errors.js";
import type { Embedder } from "./embedder.js";

export interface OpenAIEmbedderOptions {
  /** The API base (`https://api.openai.com/v1`) or the full `…/embeddings` endpoint. */
  url: string;
  apiKey?: string | undefined;
  model: string;
  /** Sent as `dimensions` and required of every returned vector. */
  dimensions?: number;
  /** Covers the whole exchange, answer body included. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

const EmbeddingsResponse = z.object({
  data: z.array(z.object({ index: z.int().min(0), embedding: z.array(z.number()) })),
});

/**
 * A client of an OpenAI-compatible `POST /v1/embeddings` endpoint. Failures of the remote side become problems
 * naming it: 503 when it cannot be reached, times out or says it is overloaded (429, 5xx), so callers may retry;
 * 502 when it refuses the request (other 4xx: wrong key or model) or answers something that is not embeddings.
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const base = options.url.replace(/\/+$/, "");
  const endpoint = base.endsWith("/embeddings") ? base : `${base}/embeddings`;
  const upstream = new URL(endpoint).origin;
  const dimensions = options.dimensions ?? EMBEDDING_DIMENSIONS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const fail = (status: 502 | 503, detail: string): HttpProblem =>
    new HttpProblem({
      status,
      type: "embeddings-upstream",
      title: "Embeddings service failed",
      detail: `embeddings service ${upstream} (model ${options.model}): ${detail}`,
    });

  async function exchange(texts: string[]): Promise<{ status: number; body: string }> {
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: options.model, input: texts, dimensions }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      if (error instanceof Error && error.name === "TimeoutError") {
        throw fail(503, `no answer within ${timeoutMs} ms`);
      }
      throw fail(503, `unreachable (${describe(error)})`);
    }
  }

  return {
    model: options.model,
    dimensions,
    async embed(texts) {
      if (texts.length === 0) return [];
      const { status, body } = await exchange(texts);
      if (status < 200 || status > 299) {
        const retryable = status === 429 || status >= 500;
        throw fail(retryable ? 503 : 502, `answered HTTP ${status}${upstreamMessage(body)}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw fail(502, "answered a body that is not JSON");
      }
      const parsed = EmbeddingsResponse.safeParse(json);
      if (!parsed.success) throw fail(502, "answered JSON without data[].index and data[].embedding");

      const vectors: number[][] = new Array(texts.length);
      for (const item of parsed.data.data) {
        if (item.index >= texts.length || vectors[item.index] !== undefined) {
          throw fail(502, `answered an unexpected or repeated index ${item.index}`);
        }
        if (item.embedding.length !== dimensions) {
          throw fail(502, `answered ${item.embedding.length} dimensions, expected ${dimensions}`);
        }
        if (!comparable(item.embedding)) {
          throw fail(502, `answered a vector for input ${item.index} that float4 cannot hold or compare`);
        }
        vectors[item.index] = item.embedding;
      }
      for (let i = 0; i < texts.length; i++) {
        if (vectors[i] === undefined) throw fail(502, `answered no embedding for input ${i}`);
      }
      return vectors;
    },
  };
}

/**
 * Whether pgvector can store `vector` and compute its cosine similarity: float4 elements, and a squared length
 * (summed in float4, as pgvector does) that is neither 0 nor beyond half the float4 range. The contract of a
 * client-supplied embedding asks the same (`EmbeddingVector`).
 */
function comparable(vector: number[]): boolean {
  const squared = float4SquaredNorm(vector);
  return vector.every((x) => Math.abs(x) <= FLOAT4_MAX) && squared > 0 && squared <= FLOAT4_MAX / 2;
}

/** The `error.message` of an OpenAI-style error body, when there is one. */
function upstreamMessage(body: string): string {
  try {
    const json: unknown = JSON.parse(body);
    const parsed = z.object({ error: z.object({ message: z.string() }) }).safeParse(json);
    if (parsed.success) return `: ${parsed.data.error.message.slice(0, 300)}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return "";
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    return cause ?? error.message;
  }
  return String(error);
}
