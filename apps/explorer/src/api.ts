import type {
  AIAnalysisAuditPage,
  AlertProcessingAuditPage,
  AnalyticsName,
  AnalyticsResponse,
  AuditTimeline,
  AuditVerification,
  RemediationAuditPage,
  SimilarInvestigations,
} from "@kubernaut/schema";
import { readToken } from "./token.js";

/**
 * A typed client for the storage API endpoints the explorer reads, over `fetch` on the page's own origin.
 * (`@kubernaut/storage-client` is for controllers: it loads prom-client and Node modules.)
 */

/** A field of the request the service refused, as its problem's `errors[]` names it (`query.since`). */
export interface FieldError {
  path: string;
  message: string;
}

export type ApiFailure =
  | { kind: "unauthorized"; detail: string }
  | { kind: "forbidden"; detail: string }
  | { kind: "unreachable"; detail: string }
  | { kind: "http"; status: number; detail: string; errors: FieldError[] };

export class ApiError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.detail);
    this.name = "ApiError";
  }
}

export const LIST_PATHS = {
  orchestrator: "remediation-orchestration",
  processor: "alert-processing",
  "ai-analysis": "ai-analysis",
} as const;

export interface ListPages {
  orchestrator: RemediationAuditPage;
  processor: AlertProcessingAuditPage;
  "ai-analysis": AIAnalysisAuditPage;
}

export type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === "" ? path : `${path}?${text}`;
}

async function problemDetail(response: Response): Promise<{ detail: string; errors: FieldError[] }> {
  try {
    const body = (await response.json()) as { detail?: string; title?: string; errors?: FieldError[] };
    const errors = Array.isArray(body.errors) ? body.errors : [];
    const fields = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    return {
      detail: [body.detail ?? body.title ?? response.statusText, fields].filter(Boolean).join(" — "),
      errors,
    };
  } catch {
    return { detail: `HTTP ${response.status}`, errors: [] };
  }
}

/** One request with the session's token; every failure becomes an `ApiError` saying what went wrong. */
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = readToken();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    throw new ApiError({
      kind: "unreachable",
      detail: `the storage service does not answer (${error instanceof Error ? error.message : String(error)})`,
    });
  }
  if (response.ok) return response;
  const { detail, errors } = await problemDetail(response);
  if (response.status === 401) throw new ApiError({ kind: "unauthorized", detail });
  if (response.status === 403) throw new ApiError({ kind: "forbidden", detail });
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    throw new ApiError({ kind: "unreachable", detail: `HTTP ${response.status}: ${detail}` });
  }
  throw new ApiError({ kind: "http", status: response.status, detail, errors });
}

async function getJson<T>(path: string, query?: Query): Promise<T> {
  const response = await request(withQuery(path, query), { headers: { Accept: "application/json" } });
  return (await response.json()) as T;
}

export function listRecords<S extends keyof ListPages>(source: S, query: Query): Promise<ListPages[S]> {
  return getJson(`/api/v1/audit/${LIST_PATHS[source]}`, query);
}

export function timeline(fingerprint: string, limit = 10_000): Promise<AuditTimeline> {
  return getJson(`/api/v1/audit/timeline/${encodeURIComponent(fingerprint)}`, { limit });
}

export function analyticsPath(name: AnalyticsName, query: Query): string {
  return withQuery(`/api/v1/analytics/${name}`, query);
}

export function analytics<N extends AnalyticsName>(name: N, query: Query): Promise<AnalyticsResponse<N>> {
  return getJson(`/api/v1/analytics/${name}`, query);
}

/** The same rows as `analytics(name, query)`, as the service's CSV. */
export async function analyticsCsv(name: AnalyticsName, query: Query): Promise<string> {
  const response = await request(analyticsPath(name, query), { headers: { Accept: "text/csv" } });
  return response.text();
}

/** The `k` stored investigations most similar to `text`, none weaker than `minSimilarity` (−1…1). */
export async function similarInvestigations(
  text: string,
  k: number,
  minSimilarity: number,
): Promise<SimilarInvestigations> {
  const response = await request("/api/v1/embeddings/investigations/search", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ text, k, min_similarity: minSimilarity }),
  });
  return (await response.json()) as SimilarInvestigations;
}

/** An incident: one remediation (its name), or every record of an alert. */
export type IncidentScope = { correlation_id: string } | { fingerprint: string };

/** The service's check of an incident's records against its tamper-evident log and latest signed checkpoint. */
export function verification(scope: IncidentScope): Promise<AuditVerification> {
  return getJson("/api/v1/audit/verify", scope);
}

/** The incident's verified export (NDJSON: each record with its proof, then the checkpoint and signed manifest). */
export async function verifiedExport(scope: IncidentScope): Promise<string> {
  const response = await request(withQuery("/api/v1/audit/export", scope), {
    headers: { Accept: "application/x-ndjson" },
  });
  return response.text();
}
