import type { KubeConfig } from "@kubernetes/client-node";
import type { ApiHold } from "./api-proxy.js";

export type ControllerName = "remediation-orchestrator" | "remediation-processor" | "ai-analysis";
export const controllerNames: readonly ControllerName[] = [
  "remediation-orchestrator",
  "remediation-processor",
  "ai-analysis",
];

/**
 * The running system as the specs see it, the same in both modes: `local` runs the built apps as processes
 * next to a private API server; `kind` uses what the dev overlay deployed into a kind cluster.
 */
export interface SystemUnderTest {
  readonly mode: "local" | "kind";
  readonly kubeConfig: KubeConfig;
  /** Base URL of the Data Storage Service. */
  readonly storageUrl: string;
  /**
   * Bearer token for the storage API when it authenticates callers (kind: `AUTH_MODE=tokenreview`, a token of a
   * ServiceAccount bound to the reader and writer roles); absent when it does not (local: loopback, no auth).
   */
  readonly storageToken?: string;
  /** Takes the storage service down and waits until it answers `/readyz` again. */
  restartStorage(): Promise<void>;
  /** Kills a controller without warning (SIGKILL, or a pod deleted with no grace period). */
  killController(name: ControllerName): Promise<void>;
  /** Brings a killed controller back (in kind the Deployment does it; this waits for the new pod). */
  startController(name: ControllerName): Promise<void>;
  /**
   * Makes the storage service stop answering, its connections open, until the returned function is called:
   * the controllers' storage requests wait out their timeouts. Local mode only (the process is frozen).
   */
  holdStorage?(): () => void;
  /**
   * Holds a controller's API requests that `match` (method, path), unanswered, from now until `release()`: a
   * write a reconcile awaits pins a kill inside that reconcile. Local mode only (each controller reaches the API
   * server through a proxy of the spec's).
   */
  holdApiRequests?(name: ControllerName, match: (method: string, path: string) => boolean): ApiHold;
  stop(): Promise<void>;
}

/** The system selected by `E2E_MODE` (`local`, the default, or `kind`). */
export async function startSystem(): Promise<SystemUnderTest> {
  const mode = process.env.E2E_MODE ?? "local";
  if (mode === "local") return (await import("./local-system.js")).startLocalSystem();
  if (mode === "kind") return (await import("./kind-system.js")).connectKindSystem();
  throw new Error(`E2E_MODE must be local or kind, not ${JSON.stringify(mode)}`);
}
