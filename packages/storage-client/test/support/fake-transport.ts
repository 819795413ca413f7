import type { Limits, WriteResult } from "@kubernaut/schema/contracts";
import type { AuditTransport, RequestOptions } from "../../src/index.js";
import { StorageApiError, StorageUnavailableError } from "../../src/index.js";

type Behaviour = (records: readonly string[], options: RequestOptions | undefined) => Promise<WriteResult>;

/**
 * An in-memory stand-in for the service, for unit tests of the publisher's logic: it records every send,
 * stores records by `event_id` as the service does, and answers each send by the next scripted behaviour.
 */
export class FakeTransport implements AuditTransport {
  readonly sends: string[][] = [];
  /** `Date.now()` of each send (the fake clock's, under fake timers). */
  readonly sentAt: number[] = [];
  readonly stored = new Map<string, Record<string, unknown>>();
  readonly script: Behaviour[] = [];
  limitsAnswer: () => Promise<Limits> = () =>
    Promise.resolve({ max_batch_records: 1000, max_body_bytes: 1 << 20 });
  limitsCalls = 0;

  storeSerializedBatch(records: readonly string[], options?: RequestOptions): Promise<WriteResult> {
    this.sends.push([...records]);
    this.sentAt.push(Date.now());
    const behaviour = this.script.shift() ?? accept;
    return behaviour(records, options).then((result) => {
      for (const json of records) {
        const record = JSON.parse(json) as Record<string, unknown>;
        this.stored.set(String(record.event_id), record);
      }
      return result;
    });
  }

  limits(): Promise<Limits> {
    this.limitsCalls++;
    return this.limitsAnswer();
  }

  /** Scripts the next `n` sends. */
  next(behaviour: Behaviour, n = 1): this {
    for (let i = 0; i < n; i++) this.script.push(behaviour);
    return this;
  }
}

export const accept: Behaviour = (records) =>
  Promise.resolve({
    inserted: records.length,
    duplicates: 0,
    event_ids: records.map((r) => String((JSON.parse(r) as { event_id: string }).event_id)),
  });

export function answer(
  status: number,
  extra: { retryAfterMs?: number; errors?: { path: string; message: string }[] } = {},
): Behaviour {
  return () =>
    Promise.reject(
      new StorageApiError({
        method: "POST",
        path: "/api/v1/audit/batch",
        status,
        title: `status ${status}`,
        ...extra,
      }),
    );
}

export const unreachable: Behaviour = () =>
  Promise.reject(new StorageUnavailableError("POST /api/v1/audit/batch failed: ECONNREFUSED"));

/** Never answers; rejects when the request is aborted. */
export const hang: Behaviour = (_records, options) =>
  new Promise((_resolve, reject) => {
    options?.signal?.addEventListener("abort", () => reject(options.signal?.reason), { once: true });
  });

export function eventIdsOf(records: readonly string[]): string[] {
  return records.map((r) => String((JSON.parse(r) as { event_id: string }).event_id));
}
