export interface BackoffOptions {
  /** First delay ceiling. Default 100 ms. */
  baseMs?: number;
  /** Largest delay, also the longest `Retry-After` honoured. Default 30 s. */
  capMs?: number;
}

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(cap, base·2^attempt)), so that many
 * publishers recovering from the same outage do not retry in step. A server's `Retry-After` is a floor.
 */
export function backoffDelay(
  attempt: number,
  options: Required<BackoffOptions>,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 52));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, options.capMs));
}
