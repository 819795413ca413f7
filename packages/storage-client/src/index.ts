export type { BackoffOptions } from "@kubernaut/common";
export { type AuditTransport, StorageClient, type StorageClientOptions } from "./client.js";
export type {
  AIAnalysisAuditEventInput,
  AIAnalysisListQuery,
  AnalyticsParams,
  AnalyticsWindowParams,
  AuditRecordInput,
  RemediationOrchestrationAuditInput,
  RemediationOrchestrationListQuery,
  RemediationProcessingAuditInput,
  RemediationProcessingListQuery,
  SearchInvestigationsInput,
  StoreInvestigationEmbeddingInput,
  TimelineQuery,
} from "./client-types.js";
export {
  StorageApiError,
  StorageClientError,
  StorageResponseError,
  StorageTimeoutError,
  StorageTokenError,
  StorageUnavailableError,
} from "./errors.js";
export type { RequestOptions } from "./http.js";
export { consoleJsonLogger, type Logger, type LogLevel, silentLogger } from "./logger.js";
export {
  AUDIT_METRIC_NAMES,
  type AuditMetrics,
  type AuditMetricsPreset,
  auditMetrics,
  type DropReason,
} from "./metrics.js";
export {
  AuditPublisher,
  type CloseResult,
  type FlushResult,
  type PublisherStats,
} from "./publisher.js";
export type { AuditPublisherOptions, OverflowPolicy } from "./publisher-options.js";
export type { RecordIdentity } from "./record-identity.js";
export {
  FileToken,
  type FileTokenOptions,
  StaticToken,
  type TokenOption,
  type TokenSource,
} from "./token.js";
