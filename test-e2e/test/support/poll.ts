import type { WaitOptions } from "@kubernaut/testing/wait";

/**
 * How a spec waits on the system: probes back off from 200 ms to 3 s, and a probe that throws is probed again
 * (its last error is in the timeout's message) while the cluster converges. For `waitFor` of
 * `@kubernaut/testing/wait`; a probe that throws `GaveUp` still ends the wait at once.
 */
export function onTheSystem(timeoutMs = 180_000): WaitOptions {
  return { timeoutMs, intervalMs: 200, maxIntervalMs: 3_000, retryErrors: true };
}
