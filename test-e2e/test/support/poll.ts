/** Thrown by a probe of `eventually` when waiting longer cannot help (the awaited state was passed for good). */
export class GaveUp extends Error {}

/**
 * Polls `probe` with backoff (200 ms doubling to 3 s) until it answers a value; throws naming `what`, with the
 * probe's last error. A probe that throws `GaveUp` ends the wait at once.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 200;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof GaveUp) throw new Error(`gave up waiting for ${what}: ${error.message}`);
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 3_000);
  }
}
