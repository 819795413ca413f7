import { existsSync } from "node:fs";
import { request } from "node:http";
import { homedir } from "node:os";
import { join } from "node:path";

/** Whether a container runtime answers, and where, or why not. */
export type ContainerRuntimeProbe =
  | { available: true; endpoint: string }
  | { available: false; reason: string };

const PING_TIMEOUT_MS = 400;

/**
 * Asks the Docker-compatible API `GET /_ping` at `DOCKER_HOST` or at the usual sockets, answering within about
 * half a second. testcontainers would find the same runtime, but takes many seconds to give up when none runs.
 */
export async function probeContainerRuntime(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ContainerRuntimeProbe> {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) {
    const target = endpointOf(dockerHost);
    if (!target)
      return { available: false, reason: `DOCKER_HOST=${dockerHost} is neither unix:// nor tcp://` };
    return (await ping(target))
      ? { available: true, endpoint: dockerHost }
      : { available: false, reason: `nothing answers at DOCKER_HOST=${dockerHost}` };
  }
  const sockets = candidateSockets(env).filter((path) => existsSync(path));
  if (sockets.length === 0) return { available: false, reason: "no docker socket and DOCKER_HOST is unset" };
  for (const socketPath of sockets) {
    if (await ping({ socketPath })) return { available: true, endpoint: `unix://${socketPath}` };
  }
  return { available: false, reason: `no daemon answers at ${sockets.join(", ")}` };
}

type Endpoint = { socketPath: string } | { host: string; port: number };

function endpointOf(dockerHost: string): Endpoint | undefined {
  if (dockerHost.startsWith("unix://")) return { socketPath: dockerHost.slice("unix://".length) };
  if (dockerHost.startsWith("tcp://")) {
    const url = new URL(dockerHost.replace(/^tcp:/, "http:"));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  return undefined;
}

function candidateSockets(env: NodeJS.ProcessEnv): string[] {
  const runtimeDir = env.XDG_RUNTIME_DIR;
  return [
    "/var/run/docker.sock",
    join(homedir(), ".docker", "run", "docker.sock"),
    ...(runtimeDir ? [join(runtimeDir, "docker.sock"), join(runtimeDir, "podman", "podman.sock")] : []),
  ];
}

/** True when the endpoint answers `/_ping` with 200 in time. A TLS daemon answers 400 to plain HTTP: still up. */
function ping(endpoint: Endpoint): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ ...endpoint, path: "/_ping", method: "GET", timeout: PING_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}
