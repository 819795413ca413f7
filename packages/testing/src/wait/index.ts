/** Thrown by a probe when waiting longer cannot help (the awaited state was passed for good): ends the wait. */
export class GaveUp extends Error {}

export interface WaitOptions {
  /** How long to wait; default 60 s. */
  timeoutMs?: number;
  /** Between probes; default 100 ms. */
  intervalMs?: number;
  /** When set, the interval doubles after each probe, up to this. */
  maxIntervalMs?: number;
  /**
   * Whether a probe that throws is probed again (its last error then ends the timeout's message), as for a
   * service that is still starting. Default: the first error ends the wait. `GaveUp` always ends it.
   */
  retryErrors?: boolean;
}

/** What a probe answers while the awaited state has not come: `undefined`, or `false` for a yes/no probe. */
type NotYet = undefined | false;

/**
 * Probes until `probe` answers something other than `undefined` or `false`, and answers that; fails naming
 * `what` after the timeout. `options` is the timeout in ms, or `WaitOptions`.
 *
 * ```ts
 * const row = await waitFor("the audit row", () => rows().then((r) => r[0]), 30_000);
 * await waitFor("three runs", () => runs.length === 3, { intervalMs: 10 });
 * ```
 */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => T | NotYet | Promise<T | NotYet>,
  options: number | WaitOptions = {},
): Promise<Exclude<T, NotYet>> {
  const {
    timeoutMs = 60_000,
    intervalMs = 100,
    maxIntervalMs,
    retryErrors = false,
  } = typeof options === "number" ? { timeoutMs: options } : options;
  const name = () => (typeof what === "string" ? what : what());
  const deadline = Date.now() + timeoutMs;
  let delay = intervalMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as Exclude<T, NotYet>;
    } catch (error) {
      if (error instanceof GaveUp) throw new Error(`gave up waiting for ${name()}: ${error.message}`);
      if (!retryErrors) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const last = lastError === undefined ? "" : ` (last error: ${String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${name()}${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (maxIntervalMs !== undefined) delay = Math.min(delay * 2, maxIntervalMs);
  }
}
