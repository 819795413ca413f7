/**
 * One PostgreSQL + pgvector container per test process, started on first use; each test gets a database
 * of its own on it. testcontainers' reaper removes the container when the process exits.
 */
export const CONTAINER_IMAGE = "pgvector/pgvector:pg16";

let server: Promise<string> | undefined;

/** The admin URL of the process's container, starting it on the first call. */
export function containerServerUrl(): Promise<string> {
  server ??= (async () => {
    // Imported here so that processes that never use a container do not load testcontainers.
    const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
    const started = await new PostgreSqlContainer(CONTAINER_IMAGE).start();
    return started.getConnectionUri();
  })();
  return server;
}
