import { connect, createServer, type Socket } from "node:net";
import { apiVersion, kinds, type RemediationProcessing, type RemediationRequest } from "@kubernaut/crds";
import { KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { Manager, type ManagerOptions, silentLogger } from "../../src/index.js";

export function remediationRequest(namespace: string, name: string): RemediationRequest {
  return {
    apiVersion,
    kind: "RemediationRequest",
    metadata: { name, namespace },
    spec: {
      signalFingerprint: `fp-${name}`,
      signalName: "HighMemoryUsage",
      severity: "warning",
      targetResource: { kind: "Deployment", name: "payments", namespace },
      firingTime: new Date().toISOString(),
    },
  };
}

export function remediationProcessing(
  namespace: string,
  name: string,
  parent: RemediationRequest,
): RemediationProcessing {
  return {
    apiVersion,
    kind: "RemediationProcessing",
    metadata: { name, namespace },
    spec: {
      remediationRequestRef: { name: parent.metadata.name ?? "", namespace },
      signal: {
        fingerprint: parent.spec.signalFingerprint,
        name: parent.spec.signalName,
        severity: parent.spec.severity,
        targetResource: parent.spec.targetResource,
      },
    },
  };
}

/** A Manager on the test API server, watching one namespace, that does not exit the test process. */
export function testManager(
  kubeConfig: KubeConfig,
  namespace: string,
  options: Partial<ManagerOptions> = {},
): Manager {
  return new Manager({
    kubeConfig,
    registry: new Registry(),
    logger: silentLogger,
    namespace,
    onStoppedLeading: () => {},
    ...options,
  });
}

export const remediationRequests = kinds.remediationRequest;
export const remediationProcessings = kinds.remediationProcessing;

/**
 * A TCP proxy in front of the API server: `cut()` drops every open connection (as a network failure
 * does) and refuses new ones until `restore()`.
 */
export async function startTcpProxy(target: URL) {
  const sockets = new Set<Socket>();
  let refusing = false;
  let refused = 0;
  const server = createServer((client) => {
    if (refusing) {
      refused++;
      return client.destroy();
    }
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    /** Connections made through the proxy since it started or since the last `cut()`. */
    get openConnections() {
      return sockets.size;
    },
    /** Connections refused between a `cut()` and the next `restore()`, since the proxy started. */
    get refused() {
      return refused;
    },
    cut() {
      refusing = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A copy of `kubeConfig` whose server is reached through `127.0.0.1:port` (TLS still verifies 127.0.0.1). */
export function throughPort(kubeConfig: KubeConfig, port: number): KubeConfig {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error("no current cluster");
  const server = new URL(cluster.server);
  server.port = String(port);
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kubeConfig.clusters.map((candidate) =>
      candidate.name === cluster.name
        ? { ...candidate, server: server.toString().replace(/\/$/, "") }
        : candidate,
    ),
    users: kubeConfig.users,
    contexts: kubeConfig.contexts,
    currentContext: kubeConfig.currentContext,
  });
  return copy;
}
