import {
  AIAnalysisAuditPage,
  AIAnalysisAuditRecord,
  AlertProcessingAuditPage,
  AlertProcessingAuditRecord,
  ANALYTICS_RESPONSES,
  type AnalyticsName,
  type AnalyticsResponse,
  AuditTimeline,
  Limits,
  RemediationAuditPage,
  RemediationAuditRecord,
  SimilarInvestigations,
  StoredInvestigationEmbedding,
  WriteResult,
} from "@kubernaut/schema/contracts";
import type { z } from "zod";
import type {
  AIAnalysisAuditEventInput,
  AIAnalysisListQuery,
  AnalyticsParams,
  AuditRecordInput,
  RemediationOrchestrationAuditInput,
  RemediationOrchestrationListQuery,
  RemediationProcessingAuditInput,
  RemediationProcessingListQuery,
  SearchInvestigationsInput,
  StoreInvestigationEmbeddingInput,
  TimelineQuery,
} from "./client-types.js";
import { StorageApiError } from "./errors.js";
import { HttpTransport, type Query, type RequestOptions } from "./http.js";
import { type TokenOption, tokenSource } from "./token.js";

export interface StorageClientOptions {
  /** e.g. `http://datastorage.kubernaut-system:8085`. */
  baseUrl: string;
  /** Per-request timeout. Default 5 s. */
  timeoutMs?: number;
  /** A bearer token, a token file (re-read when it changes), or a custom source. */
  token?: TokenOption;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/** What the audit publisher needs from the service. */
export interface AuditTransport {
  storeSerializedBatch(records: readonly string[], options?: RequestOptions): Promise<WriteResult>;
  limits(options?: RequestOptions): Promise<Limits>;
}

const AUDIT = "/api/v1/audit";

/**
 * Typed client of the Data Storage Service: one method per endpoint, answers validated against the
 * shared contracts. Failures are `StorageApiError` (the service answered an error),
 * `StorageUnavailableError`, `StorageTimeoutError`, or `StorageResponseError` (unreadable answer).
 */
export class StorageClient implements AuditTransport {
  private readonly http: HttpTransport;

  constructor(options: StorageClientOptions) {
    const timeoutMs = options.timeoutMs ?? 5_000;
    if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
    const baseUrl = URL.canParse(options.baseUrl) ? new URL(options.baseUrl) : undefined;
    if (baseUrl?.protocol !== "http:" && baseUrl?.protocol !== "https:") {
      throw new TypeError(`baseUrl must be an http(s) URL, got ${JSON.stringify(options.baseUrl)}`);
    }
    this.http = new HttpTransport({
      baseUrl: baseUrl.href,
      timeoutMs,
      token: options.token === undefined ? undefined : tokenSource(options.token),
      fetch: options.fetch ?? globalThis.fetch,
    });
  }

  // ---- writes ----

  /** `POST /api/v1/audit/remediation-orchestration`. */
  storeRemediationOrchestrationAudit(audit: RemediationOrchestrationAuditInput, options?: RequestOptions) {
    return this.post(`${AUDIT}/remediation-orchestration`, JSON.stringify(audit), WriteResult, options);
  }

  /** `POST /api/v1/audit/alert-processing`. */
  storeRemediationProcessingAudit(audit: RemediationProcessingAuditInput, options?: RequestOptions) {
    return this.post(`${AUDIT}/alert-processing`, JSON.stringify(audit), WriteResult, options);
  }

  /** `POST /api/v1/audit/ai-analysis`. */
  storeAIAnalysisAuditEvent(event: AIAnalysisAuditEventInput, options?: RequestOptions) {
    return this.post(`${AUDIT}/ai-analysis`, JSON.stringify(event), WriteResult, options);
  }

  /** `POST /api/v1/audit/batch`: all records in one transaction; one invalid record rejects the batch. */
  storeBatch(records: readonly AuditRecordInput[], options?: RequestOptions) {
    return this.post(`${AUDIT}/batch`, JSON.stringify({ records }), WriteResult, options);
  }

  /** `POST /api/v1/audit/batch` with records already serialised to JSON, as the publisher buffers them. */
  storeSerializedBatch(records: readonly string[], options?: RequestOptions) {
    return this.post(`${AUDIT}/batch`, `{"records":[${records.join(",")}]}`, WriteResult, options);
  }

  /** `GET /api/v1/limits`: the batch and body size the service accepts. */
  limits(options?: RequestOptions) {
    return this.get("/api/v1/limits", undefined, Limits, options);
  }

  // ---- reads ----

  /** `GET /api/v1/audit/timeline/{alert_fingerprint}`: the three controllers' events for one alert, in order. */
  timeline(alertFingerprint: string, query: TimelineQuery = {}, options?: RequestOptions) {
    return this.get(
      `${AUDIT}/timeline/${encodeURIComponent(alertFingerprint)}`,
      { ...query },
      AuditTimeline,
      options,
    );
  }

  /** `GET /api/v1/audit/remediation-orchestration`: a page of `remediation_audit`, newest first. */
  listRemediationOrchestrationAudits(
    query: RemediationOrchestrationListQuery = {},
    options?: RequestOptions,
  ) {
    return this.get(`${AUDIT}/remediation-orchestration`, { ...query }, RemediationAuditPage, options);
  }

  /** `GET /api/v1/audit/alert-processing`: a page of `alert_processing_audit`, newest first. */
  listRemediationProcessingAudits(query: RemediationProcessingListQuery = {}, options?: RequestOptions) {
    return this.get(`${AUDIT}/alert-processing`, { ...query }, AlertProcessingAuditPage, options);
  }

  /** `GET /api/v1/audit/ai-analysis`: a page of `ai_analysis_audit`, newest first. */
  listAIAnalysisAudits(query: AIAnalysisListQuery = {}, options?: RequestOptions) {
    return this.get(`${AUDIT}/ai-analysis`, { ...query }, AIAnalysisAuditPage, options);
  }

  /** `GET /api/v1/audit/remediation-orchestration/{id}`; `null` if there is no such record. */
  getRemediationOrchestrationAudit(id: number | string, options?: RequestOptions) {
    return this.find(
      `${AUDIT}/remediation-orchestration/${encodeURIComponent(id)}`,
      RemediationAuditRecord,
      options,
    );
  }

  /** `GET /api/v1/audit/alert-processing/{id}`; `null` if there is no such record. */
  getRemediationProcessingAudit(id: string, options?: RequestOptions) {
    return this.find(
      `${AUDIT}/alert-processing/${encodeURIComponent(id)}`,
      AlertProcessingAuditRecord,
      options,
    );
  }

  /** `GET /api/v1/audit/ai-analysis/{id}`; `null` if there is no such record. */
  getAIAnalysisAudit(id: string, options?: RequestOptions) {
    return this.find(`${AUDIT}/ai-analysis/${encodeURIComponent(id)}`, AIAnalysisAuditRecord, options);
  }

  // ---- analytics ----

  /** `GET /api/v1/analytics/{name}`: one of the seeds' analytics queries over a time window. */
  analytics<N extends AnalyticsName>(
    name: N,
    params: AnalyticsParams<N> = {} as AnalyticsParams<N>,
    options?: RequestOptions,
  ): Promise<AnalyticsResponse<N>> {
    const schema = ANALYTICS_RESPONSES[name] as unknown as z.ZodType<AnalyticsResponse<N>>;
    if (!schema) return Promise.reject(new RangeError(`unknown analytics ${JSON.stringify(name)}`));
    return this.get(`/api/v1/analytics/${name}`, { ...params }, schema, options);
  }

  /** The same rows as `analytics()`, as RFC 4180 CSV with a header row. */
  analyticsCsv<N extends AnalyticsName>(
    name: N,
    params: AnalyticsParams<N> = {} as AnalyticsParams<N>,
    options?: RequestOptions,
  ): Promise<string> {
    if (!(name in ANALYTICS_RESPONSES))
      return Promise.reject(new RangeError(`unknown analytics ${JSON.stringify(name)}`));
    return this.http.text({
      method: "GET",
      path: `/api/v1/analytics/${name}`,
      query: { ...params },
      accept: "text/csv",
      ...options,
    });
  }

  // ---- embeddings ----

  /** `POST /api/v1/embeddings/investigations`; without `embedding` the service computes one. */
  storeInvestigationEmbedding(investigation: StoreInvestigationEmbeddingInput, options?: RequestOptions) {
    return this.post(
      "/api/v1/embeddings/investigations",
      JSON.stringify(investigation),
      StoredInvestigationEmbedding,
      options,
    );
  }

  /** `POST /api/v1/embeddings/investigations/search`: the top-k past investigations by cosine similarity. */
  searchInvestigations(search: SearchInvestigationsInput, options?: RequestOptions) {
    return this.post(
      "/api/v1/embeddings/investigations/search",
      JSON.stringify(search),
      SimilarInvestigations,
      options,
    );
  }

  private post<T>(path: string, body: string, schema: z.ZodType<T>, options?: RequestOptions): Promise<T> {
    return this.http.json({ method: "POST", path, body, ...options }, schema);
  }

  private get<T>(path: string, query: Query | undefined, schema: z.ZodType<T>, options?: RequestOptions) {
    return this.http.json({ method: "GET", path, query, ...options }, schema);
  }

  private async find<T>(path: string, schema: z.ZodType<T>, options?: RequestOptions): Promise<T | null> {
    try {
      return await this.get(path, undefined, schema, options);
    } catch (error) {
      if (error instanceof StorageApiError && error.status === 404) return null;
      throw error;
    }
  }
}
