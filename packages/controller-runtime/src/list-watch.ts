import { type KubeConfig, Watch } from "@kubernetes/client-node";
import { ResourceClient } from "./client.js";
import { KubeApiError } from "./errors.js";
import type { KubeObject, ResourceKind } from "./objects.js";

export interface WatchEvent<T> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";
  object: T;
}

/** The two calls an informer makes; the real one talks to the API server, tests may wrap it. */
export interface ListerWatcher<T extends KubeObject> {
  list(): Promise<{ items: T[]; resourceVersion: string }>;
  /**
   * Streams changes after `resourceVersion` to `onEvent`. Resolves when the server ends the watch
   * normally or `signal` aborts; rejects on a broken connection or an ERROR event (410 when expired).
   */
  watch(resourceVersion: string, onEvent: (event: WatchEvent<T>) => void, signal: AbortSignal): Promise<void>;
}

export interface ResourceListerWatcherOptions {
  /** Watch one namespace; all namespaces when omitted. */
  namespace?: string;
  labelSelector?: string;
  /** The server ends each watch after this long (default 300 s); the informer then watches again. */
  watchTimeoutSeconds?: number;
}

/** List and watch of a resource kind through the API server, with watch bookmarks. */
export function resourceListerWatcher<T extends KubeObject>(
  kubeConfig: KubeConfig,
  kind: ResourceKind,
  options: ResourceListerWatcherOptions = {},
): ListerWatcher<T> {
  const client = new ResourceClient<T>(kubeConfig, kind);
  const watcher = new Watch(kubeConfig);
  const timeoutSeconds = options.watchTimeoutSeconds ?? 300;
  const path = `/apis/${kind.group}/${kind.version}${options.namespace ? `/namespaces/${options.namespace}` : ""}/${kind.plural}`;
  return {
    list: () => client.list({ namespace: options.namespace, labelSelector: options.labelSelector }),
    watch: (resourceVersion, onEvent, signal) =>
      new Promise<void>((resolve, reject) => {
        let request: AbortController | undefined;
        let settled = false;
        const finish = (error?: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(stalled);
          signal.removeEventListener("abort", onAbort);
          request?.abort();
          if (error) reject(error);
          else resolve();
        };
        const onAbort = () => finish();
        // A connection that dies without a FIN never ends the stream; the server's own timeout bounds a healthy one.
        const stalled = setTimeout(
          () => finish(new Error(`watch of ${kind.plural} stalled past its ${timeoutSeconds} s timeout`)),
          (timeoutSeconds + 30) * 1_000,
        );
        signal.addEventListener("abort", onAbort, { once: true });
        if (signal.aborted) return finish();
        watcher
          .watch(
            path,
            {
              resourceVersion,
              allowWatchBookmarks: true,
              timeoutSeconds,
              labelSelector: options.labelSelector,
            },
            (type: string, object: unknown) => {
              if (settled) return;
              if (type === "ERROR") {
                const status = object as { code?: number; reason?: string; message?: string };
                const message = `watch of ${kind.plural} failed (${status.code} ${status.reason}): ${status.message}`;
                return finish(new KubeApiError(message, status.code, status.reason));
              }
              try {
                onEvent({ type: type as WatchEvent<T>["type"], object: object as T });
              } catch (error) {
                finish(error);
              }
            },
            (error: unknown) => finish(error ?? undefined),
          )
          .then(
            (controller) => {
              request = controller;
              if (settled) controller.abort();
            },
            (error: unknown) => finish(error),
          );
      }),
  };
}
