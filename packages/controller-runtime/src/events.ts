import {
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { toKubeApiError } from "./errors.js";
import { errorFields, type Logger, silentLogger } from "./logger.js";
import type { KubeObject } from "./objects.js";

export type EventType = "Normal" | "Warning";

interface SeenEvent {
  name: string;
  count: number;
  firstTimestamp: Date;
}

/** Repeats of one event within this window raise its count instead of creating a new Event. */
const aggregationWindowMs = 10 * 60_000;

/**
 * Records core/v1 Events about objects, as `kubectl describe` shows them. A repeat of the same
 * (object, type, reason, message) patches the existing Event's `count` and `lastTimestamp`.
 * Events are best effort: a failure is logged, never thrown, so it cannot fail a reconcile.
 */
export class EventRecorder {
  private readonly api: CoreV1Api;
  private readonly seen = new Map<string, SeenEvent>();

  constructor(
    kubeConfig: KubeConfig,
    private readonly component: string,
    private readonly logger: Logger = silentLogger,
    private readonly instance: string = process.env.HOSTNAME ?? component,
  ) {
    this.api = kubeConfig.makeApiClient(CoreV1Api);
  }

  async event(object: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    try {
      await this.record(object, type, reason, message);
    } catch (error) {
      this.logger.warn(
        { component: this.component, reason, ...errorFields(error) },
        "could not record event",
      );
    }
  }

  private async record(object: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const { name, namespace, uid, resourceVersion } = object.metadata ?? {};
    if (!name || !namespace)
      throw new Error("an event needs an object with metadata.name and metadata.namespace");
    const key = [uid ?? `${namespace}/${name}`, type, reason, message].join("\u0000");
    const now = new Date();
    this.forgetBefore(now.getTime() - aggregationWindowMs);
    const seen = this.seen.get(key);
    if (seen) {
      seen.count += 1;
      try {
        await this.api.patchNamespacedEvent(
          { name: seen.name, namespace, body: { count: seen.count, lastTimestamp: now.toISOString() } },
          setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
        );
        return;
      } catch {
        this.seen.delete(key); // the Event expired or was deleted: create a new one
      }
    }
    const body: CoreV1Event = {
      metadata: {
        name: `${name}.${now.getTime().toString(16)}${Math.random().toString(16).slice(2, 6)}`,
        namespace,
      },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name,
        namespace,
        uid,
        resourceVersion,
      },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.instance,
    };
    try {
      const created = await this.api.createNamespacedEvent({ namespace, body });
      this.seen.set(key, {
        name: created.metadata?.name ?? body.metadata?.name ?? "",
        count: 1,
        firstTimestamp: now,
      });
    } catch (error) {
      throw toKubeApiError(error, `create event ${reason} for ${object.kind} ${namespace}/${name}`);
    }
  }

  private forgetBefore(cutoff: number): void {
    for (const [key, seen] of this.seen) if (seen.firstTimestamp.getTime() < cutoff) this.seen.delete(key);
  }
}
