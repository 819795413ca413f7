/** A failed Kubernetes API call, with the HTTP status and the `reason` of the server's Status. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly reason: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "KubeApiError";
  }
}

/** The HTTP status of an error from this package or from client-node (ApiException, Watch errors). */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof statusCode === "number") return statusCode;
  return typeof code === "number" ? code : undefined;
}

export const isNotFound = (error: unknown): boolean => statusCodeOf(error) === 404;
export const isConflict = (error: unknown): boolean => statusCodeOf(error) === 409;
export const isGone = (error: unknown): boolean => statusCodeOf(error) === 410;

/** Wraps a client-node error so its message says what was attempted and what the server answered. */
export function toKubeApiError(error: unknown, operation: string): KubeApiError {
  if (error instanceof KubeApiError) return error;
  const statusCode = statusCodeOf(error);
  const status = serverStatus(error);
  const detail = status?.message ?? (error instanceof Error ? error.message.split("\n")[0] : String(error));
  const code = statusCode === undefined ? "" : ` (${statusCode}${status?.reason ? ` ${status.reason}` : ""})`;
  return new KubeApiError(`${operation} failed${code}: ${detail}`, statusCode, status?.reason, {
    cause: error,
  });
}

function serverStatus(error: unknown): { message?: string; reason?: string } | undefined {
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as { message?: string; reason?: string };
    } catch {
      return body ? { message: body } : undefined;
    }
  }
  return typeof body === "object" && body !== null
    ? (body as { message?: string; reason?: string })
    : undefined;
}

/** Runs a read-modify-write `attempt` again (up to `attempts` times) while the server answers 409 Conflict. */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = 5): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConflict(error) || tries >= attempts) throw error;
    }
  }
}
