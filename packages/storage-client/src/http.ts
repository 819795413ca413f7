import { failureReason } from "@kubernaut/common";
import { FieldError } from "@kubernaut/schema/contracts";
import type { z } from "zod";
import {
  StorageApiError,
  StorageClientError,
  StorageResponseError,
  StorageTimeoutError,
  StorageUnavailableError,
} from "./errors.js";
import type { TokenSource } from "./token.js";

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  /** Aborts the request early (for example on shutdown); the timeout still applies. */
  signal?: AbortSignal;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
}

export interface HttpRequest extends RequestOptions {
  method: "GET" | "POST";
  path: string;
  query?: Query;
  /** A JSON text; sent with `Content-Type: application/json`. */
  body?: string;
  accept?: string;
}

export interface HttpTransportOptions {
  baseUrl: string;
  timeoutMs: number;
  token?: TokenSource;
  fetch: typeof fetch;
}

/** One HTTP exchange with the service, mapping every failure to a typed error. */
export class HttpTransport {
  private readonly baseUrl: string;

  constructor(private readonly options: HttpTransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
  }

  /** Sends a request and validates the JSON answer against `schema`. */
  async json<T>(request: HttpRequest, schema: z.ZodType<T>): Promise<T> {
    const { status, text } = await this.exchange({ accept: "application/json", ...request });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new StorageResponseError(
        `${request.method} ${request.path} answered ${status} with a body that is not JSON`,
        status,
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
      throw new StorageResponseError(
        `${request.method} ${request.path} answered ${status} with an unexpected body: ${issues.join("; ")}`,
        status,
      );
    }
    return parsed.data;
  }

  /** Sends a request and returns the answer's text (for CSV). */
  async text(request: HttpRequest): Promise<string> {
    return (await this.exchange(request)).text;
  }

  private async exchange(request: HttpRequest): Promise<{ status: number; text: string }> {
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const { signal, unlink } = eitherSignal(timeout, request.signal);
    const headers: Record<string, string> = {};
    if (request.accept) headers.accept = request.accept;
    if (request.body !== undefined) headers["content-type"] = "application/json";
    if (this.options.token) headers.authorization = `Bearer ${await this.options.token.token()}`;

    const described = `${request.method} ${request.path}`;
    try {
      const response = await this.options.fetch(this.url(request.path, request.query), {
        method: request.method,
        headers,
        body: request.body,
        signal,
      });
      const text = await response.text();
      if (response.ok) return { status: response.status, text };
      if (response.status === 401) this.options.token?.invalidate?.();
      throw apiError(request, response, text);
    } catch (error) {
      if (error instanceof StorageClientError) throw error;
      if (request.signal?.aborted) throw request.signal.reason;
      if (timeout.aborted) {
        throw new StorageTimeoutError(`${described} got no answer within ${timeoutMs} ms`, timeoutMs);
      }
      throw new StorageUnavailableError(`${described} failed: ${failureReason(error)}`, { cause: error });
    } finally {
      unlink();
    }
  }

  private url(path: string, query: Query | undefined): string {
    const url = `${this.baseUrl}${path}`;
    if (!query) return url;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const search = params.toString();
    return search ? `${url}?${search}` : url;
  }
}

/**
 * A signal that aborts with whichever of the two aborts first. Unlike `AbortSignal.any`, it leaves nothing
 * attached to the caller's long-lived signal (the publisher's, which lives as long as the process).
 */
function eitherSignal(timeout: AbortSignal, caller: AbortSignal | undefined) {
  if (!caller) return { signal: timeout, unlink: () => {} };
  const controller = new AbortController();
  const fromCaller = () => controller.abort(caller.reason);
  const fromTimeout = () => controller.abort(timeout.reason);
  if (caller.aborted) fromCaller();
  caller.addEventListener("abort", fromCaller, { once: true });
  timeout.addEventListener("abort", fromTimeout, { once: true });
  return {
    signal: controller.signal,
    unlink: () => {
      caller.removeEventListener("abort", fromCaller);
      timeout.removeEventListener("abort", fromTimeout);
    },
  };
}

function apiError(request: HttpRequest, response: Response, text: string): StorageApiError {
  const problem = readProblem(text);
  return new StorageApiError({
    method: request.method,
    path: request.path,
    status: response.status,
    title: problem.title ?? (response.statusText || `HTTP ${response.status}`),
    detail: problem.detail ?? (problem.title === undefined ? text.slice(0, 500) || undefined : undefined),
    type: problem.type,
    errors: problem.errors,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
  });
}

/** Reads what it can of an RFC 7807 body; a proxy's HTML error page yields nothing. */
function readProblem(text: string): {
  title?: string;
  detail?: string;
  type?: string;
  errors?: FieldError[];
} {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof body !== "object" || body === null) return {};
  const fields = body as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const errors = Array.isArray(fields.errors)
    ? fields.errors.flatMap((e) => {
        const parsed = FieldError.safeParse(e);
        return parsed.success ? [parsed.data] : [];
      })
    : undefined;
  return { title: str(fields.title), detail: str(fields.detail), type: str(fields.type), errors };
}

/** `Retry-After` is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
