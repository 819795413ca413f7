export interface BackoffOptions {
  /** Delay after the first failure, in ms. */
  baseMs: number;
  /** Upper bound of the delay, in ms. */
  maxMs: number;
}

/** `baseMs * 2^(failures-1)`, capped at `maxMs`. */
export function exponentialDelay(failures: number, { baseMs, maxMs }: BackoffOptions): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 52));
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
