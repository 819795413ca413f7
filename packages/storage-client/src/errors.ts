import type { FieldError } from "@kubernaut/schema/contracts";

/** Base of every error the storage client throws. */
export class StorageClientError extends Error {
  override name = "StorageClientError";
}

/**
 * The service answered with an error status. The fields come from its RFC 7807 body when there is one,
 * so callers can tell a rejected record (4xx, with field `errors`) from an overloaded service (429, 5xx).
 */
export class StorageApiError extends StorageClientError {
  override name = "StorageApiError";
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly type: string | undefined;
  readonly errors: readonly FieldError[];
  /** From `Retry-After`, when the service sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    method: string;
    path: string;
    status: number;
    title: string;
    detail?: string | undefined;
    type?: string | undefined;
    errors?: readonly FieldError[] | undefined;
    retryAfterMs?: number | undefined;
  }) {
    super(
      `${init.method} ${init.path} answered ${init.status} ${init.title}${init.detail ? `: ${init.detail}` : ""}`,
    );
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.type = init.type;
    this.errors = init.errors ?? [];
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The service could not be reached: connection refused, reset, DNS failure. */
export class StorageUnavailableError extends StorageClientError {
  override name = "StorageUnavailableError";
}

/** The service did not answer within the request timeout. */
export class StorageTimeoutError extends StorageClientError {
  override name = "StorageTimeoutError";
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number) {
    super(message);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The service answered with a success status but a body that does not match the contract:
 * the request took effect, the answer cannot be read.
 */
export class StorageResponseError extends StorageClientError {
  override name = "StorageResponseError";
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/** The bearer token could not be read (missing or unreadable token file). */
export class StorageTokenError extends StorageClientError {
  override name = "StorageTokenError";
}
