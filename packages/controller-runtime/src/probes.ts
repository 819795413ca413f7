import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { errorFields } from "./logger.js";

/** One readiness condition; it fails by answering false or throwing (the message is shown on /readyz). */
export interface HealthCheck {
  name: string;
  check(): boolean | Promise<boolean>;
}

export interface ProbeServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 0.0.0.0, so the kubelet can reach it. */
  host?: string;
  registry: Registry;
  /** Checks of `/readyz`, read on each request so checks added later count. */
  readinessChecks: () => readonly HealthCheck[];
  /** Checks of `/healthz`; by default the process answering is enough. */
  livenessChecks?: () => readonly HealthCheck[];
}

export interface ProbeServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `/healthz` and `/readyz` (200 `ok`, or 503 listing each failed check as `[-]name failed`,
 * like the API server does; `?verbose` lists the passing ones too) and `/metrics` from the given Registry.
 */
export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://probe");
    const checks =
      url.pathname === "/readyz"
        ? options.readinessChecks()
        : url.pathname === "/healthz"
          ? (options.livenessChecks?.() ?? [])
          : undefined;
    if (checks) {
      void runChecks(checks).then(({ ok, lines }) => {
        const body =
          ok && !url.searchParams.has("verbose") ? "ok" : `${lines.join("\n")}\n${ok ? "ok" : "failed"}`;
        response.writeHead(ok ? 200 : 503, { "Content-Type": "text/plain; charset=utf-8" }).end(body);
      });
    } else if (url.pathname === "/metrics") {
      options.registry.metrics().then(
        (metrics) => response.writeHead(200, { "Content-Type": options.registry.contentType }).end(metrics),
        (error: unknown) => response.writeHead(500).end(errorFields(error).err),
      );
    } else {
      response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function runChecks(checks: readonly HealthCheck[]): Promise<{ ok: boolean; lines: string[] }> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        return (await check()) ? `[+]${name} ok` : `[-]${name} failed`;
      } catch (error) {
        return `[-]${name} failed: ${errorFields(error).err}`;
      }
    }),
  );
  return { ok: results.every((line) => line.startsWith("[+]")), lines: results };
}
