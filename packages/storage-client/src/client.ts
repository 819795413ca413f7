import {
  type AIAnalysisAuditEvent,
  type AuditRecord,
  Limits,
  type RemediationOrchestrationAudit,
  type RemediationProcessingAudit,
  WriteResult,
} from "@kubernaut/schema";
import type { z } from "zod";
import { HttpTransport, type RequestOptions } from "./http.js";
import { type TokenOption, tokenSource } from "./token.js";

export type RemediationOrchestrationAuditInput = z.input<typeof RemediationOrchestrationAudit>;
export type RemediationProcessingAuditInput = z.input<typeof RemediationProcessingAudit>;
export type AIAnalysisAuditEventInput = z.input<typeof AIAnalysisAuditEvent>;
export type AuditRecordInput = z.input<typeof AuditRecord>;

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

/**
 * Typed client of the Data Storage Service: one method per endpoint, answers validated against the
 * shared contracts. Failures are `StorageApiError` (the service answered an error),
 * `StorageUnavailableError`, `StorageTimeoutError`, or `StorageResponseError` (unreadable answer).
 */
export class StorageClient implements AuditTransport {
  protected readonly http: HttpTransport;

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

  /** `POST /api/v1/audit/remediation-orchestration`. */
  storeRemediationOrchestrationAudit(
    audit: RemediationOrchestrationAuditInput,
    options?: RequestOptions,
  ): Promise<WriteResult> {
    return this.write("/api/v1/audit/remediation-orchestration", JSON.stringify(audit), options);
  }

  /** `POST /api/v1/audit/alert-processing`. */
  storeRemediationProcessingAudit(
    audit: RemediationProcessingAuditInput,
    options?: RequestOptions,
  ): Promise<WriteResult> {
    return this.write("/api/v1/audit/alert-processing", JSON.stringify(audit), options);
  }

  /** `POST /api/v1/audit/ai-analysis`. */
  storeAIAnalysisAuditEvent(
    event: AIAnalysisAuditEventInput,
    options?: RequestOptions,
  ): Promise<WriteResult> {
    return this.write("/api/v1/audit/ai-analysis", JSON.stringify(event), options);
  }

  /** `POST /api/v1/audit/batch`: all records in one transaction; one invalid record rejects the batch. */
  storeBatch(records: readonly AuditRecordInput[], options?: RequestOptions): Promise<WriteResult> {
    return this.write("/api/v1/audit/batch", JSON.stringify({ records }), options);
  }

  /** `POST /api/v1/audit/batch` with records already serialised to JSON, as the publisher buffers them. */
  storeSerializedBatch(records: readonly string[], options?: RequestOptions): Promise<WriteResult> {
    return this.write("/api/v1/audit/batch", `{"records":[${records.join(",")}]}`, options);
  }

  /** `GET /api/v1/limits`: the batch and body size the service accepts. */
  limits(options?: RequestOptions): Promise<Limits> {
    return this.http.json({ method: "GET", path: "/api/v1/limits", ...options }, Limits);
  }

  private write(path: string, body: string, options: RequestOptions | undefined): Promise<WriteResult> {
    return this.http.json({ method: "POST", path, body, ...options }, WriteResult);
  }
}
