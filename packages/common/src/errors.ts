/**
 * Why a request failed, in one line: for a `fetch` that never got an answer, the cause's code and message
 * (`ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:8085)`), which undici hides behind "fetch failed".
 */
export function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}
