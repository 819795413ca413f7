import type { BackoffOptions } from "@kubernaut/common";
import type { Informer, InformerEvent } from "./informer.js";
import type { Logger } from "./logger.js";
import type { RuntimeMetrics } from "./metrics.js";
import {
  apiVersionOf,
  formatObjectKey,
  type KubeObject,
  type ObjectKey,
  parseObjectKey,
  type ResourceKind,
} from "./objects.js";
import { controllerOwnerOf } from "./owners.js";
import { WorkQueue } from "./workqueue.js";

export interface ReconcileResult {
  /** Reconcile the same key again after this many ms. */
  requeueAfter?: number;
}

/**
 * Converges one object. It must be idempotent: it is called for every change of the object or of
 * an object it owns, after failures, and on start-up for every existing object. Throwing retries
 * the key with backoff.
 */
export interface Reconciler {
  reconcile(key: ObjectKey): Promise<ReconcileResult>;
}

/**
 * Another kind whose changes reconcile primary objects: `map` names the primary objects (keys of the `for`
 * kind) that a change of `object` concerns, e.g. through a reference in its spec. It sees every added,
 * updated and deleted object (the last state for a deleted one).
 */
export interface Watch<T extends KubeObject = KubeObject> {
  kind: ResourceKind;
  map(object: T): readonly ObjectKey[];
}

export interface ControllerOptions {
  /** Used as the `controller` metric label, the queue name and in logs. */
  name: string;
  /** The primary kind: each change of one of its objects reconciles that object. */
  for: ResourceKind;
  /** Child kinds: a change of a child reconciles the primary object that is its controller owner. */
  owns?: readonly ResourceKind[];
  /** Other kinds (the primary kind too) whose changes enqueue the primary keys their `map` names. */
  watches?: readonly Watch[];
  reconciler: Reconciler;
  /** Keys reconciled at the same time; default 2. */
  concurrency?: number;
  /** Retry delays after failures; default base 100 ms, cap 60 s. */
  backoff?: Partial<BackoffOptions>;
}

/** Wires informers to a work queue and a reconciler, recording the reconcile metrics. */
export class Controller {
  readonly queue: WorkQueue;
  private readonly unsubscribers: (() => void)[] = [];

  constructor(
    readonly options: ControllerOptions,
    informers: {
      primary: Informer<KubeObject>;
      owned: readonly Informer<KubeObject>[];
      /** The informers of `options.watches`, each with its map. */
      watched?: readonly { informer: Informer<KubeObject>; watch: Watch }[];
    },
    private readonly metrics: RuntimeMetrics,
    private readonly logger: Logger,
  ) {
    const name = options.name;
    this.queue = new WorkQueue((key) => this.reconcileKey(key), {
      name,
      concurrency: options.concurrency ?? 2,
      backoff: options.backoff,
      logger,
      onDepthChange: (depth) => metrics.workqueueDepth.set({ name }, depth),
    });
    metrics.workqueueDepth.set({ name }, 0);
    this.unsubscribers.push(informers.primary.on((event) => this.enqueuePrimary(event)));
    for (const owned of informers.owned) {
      this.unsubscribers.push(owned.on((event) => this.enqueueOwner(event)));
    }
    for (const { informer, watch } of informers.watched ?? []) {
      this.unsubscribers.push(informer.on(({ object }) => this.enqueueMapped(watch, object)));
    }
  }

  get name(): string {
    return this.options.name;
  }

  /** Starts reconciling; keys collected before wait for this. */
  start(): void {
    this.queue.start();
  }

  /** Stops taking keys and waits for the reconciles in flight. */
  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    await this.queue.shutdown();
  }

  private enqueuePrimary({ object }: InformerEvent<KubeObject>): void {
    const { namespace, name } = object.metadata ?? {};
    if (namespace && name) this.queue.add(formatObjectKey({ namespace, name }));
  }

  private enqueueOwner({ object }: InformerEvent<KubeObject>): void {
    const owner = controllerOwnerOf(object);
    const namespace = object.metadata?.namespace;
    if (!owner || !namespace) return;
    if (
      owner.kind !== this.options.for.kind ||
      owner.apiVersion.split("/")[0] !== apiVersionOf(this.options.for).split("/")[0]
    ) {
      return;
    }
    this.queue.add(formatObjectKey({ namespace, name: owner.name }));
  }

  private enqueueMapped(watch: Watch, object: KubeObject): void {
    for (const key of watch.map(object)) this.queue.add(formatObjectKey(key));
  }

  private async reconcileKey(key: string): Promise<ReconcileResult> {
    const controller = this.options.name;
    const end = this.metrics.reconcileTime.startTimer({ controller });
    try {
      const result = await this.options.reconciler.reconcile(parseObjectKey(key));
      this.logger.debug({ controller, key, requeueAfter: result.requeueAfter }, "reconciled");
      const requeued = result.requeueAfter !== undefined;
      this.metrics.reconcileTotal.inc({ controller, result: requeued ? "requeue_after" : "success" });
      return result;
    } catch (error) {
      this.metrics.reconcileTotal.inc({ controller, result: "error" });
      this.metrics.reconcileErrors.inc({ controller });
      throw error; // the queue logs it and retries the key with backoff
    } finally {
      end();
    }
  }
}
