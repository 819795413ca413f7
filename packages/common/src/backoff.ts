export interface BackoffOptions {
  /** Delay before the first retry (or its ceiling, with jitter), in ms. */
  baseMs: number;
  /** Upper bound of every delay, in ms. */
  capMs: number;
}

/** The delay before retry number `retry` (1 after the first failure): `baseMs · 2^(retry−1)`, at most `capMs`; 0 for `retry ≤ 0`. */
export function exponentialDelay(retry: number, { baseMs, capMs }: BackoffOptions): number {
  if (retry <= 0) return 0;
  return Math.min(capMs, baseMs * 2 ** Math.min(retry - 1, 52));
}

/**
 * Exponential backoff with full jitter: a whole number of ms drawn uniformly from [0, `exponentialDelay`), so
 * that many clients recovering from the same outage do not retry in step. `floorMs` (e.g. a server's
 * `Retry-After`) is a lower bound, itself at most `capMs`.
 */
export function jitteredDelay(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
  floorMs?: number,
): number {
  const jittered = Math.floor(random() * exponentialDelay(retry, options));
  return floorMs === undefined ? jittered : Math.max(jittered, Math.min(floorMs, options.capMs));
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
