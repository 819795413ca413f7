import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { sleep } from "@kubernaut/common";
import { CoordinationV1Api, type KubeConfig, type V1Lease, V1MicroTime } from "@kubernetes/client-node";
import { isConflict, isNotFound, toKubeApiError } from "./errors.js";
import { errorFields, type Logger, silentLogger } from "./logger.js";

export interface LeaderElectionOptions {
  /** Name of the coordination.k8s.io/v1 Lease. */
  name: string;
  namespace: string;
  /** Unique per process; default `<hostname>_<uuid>`. */
  identity?: string;
  /** How long a lease holds without renewal before others may take it; default 15 s. */
  leaseDurationMs?: number;
  /** The leader gives up when it could not renew for this long; default 10 s (< lease duration). */
  renewDeadlineMs?: number;
  /** Pause between attempts to acquire or renew; default 2 s. */
  retryPeriodMs?: number;
}

export interface LeaderCallbacks {
  onStartedLeading(): void;
  /** Leadership was lost (not given up by `stop()`). */
  onStoppedLeading(): void;
  onNewLeader?(identity: string): void;
}

/**
 * Leader election on a Lease, as client-go does it. A candidate takes the lease when it is free or
 * when its holder has not renewed it for a lease duration, measured on the candidate's own clock
 * from the moment it last saw the lease change (so clock skew between nodes does not matter).
 * Every write is an update guarded by resourceVersion, so two candidates never both win.
 */
export class LeaderElector {
  readonly identity: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly api: CoordinationV1Api;
  private observedVersion: string | undefined;
  private observedAt = 0;
  private lastSeenLeader: string | undefined;
  private leading = false;
  private abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    kubeConfig: KubeConfig,
    private readonly options: LeaderElectionOptions,
    private readonly callbacks: LeaderCallbacks,
    private readonly logger: Logger = silentLogger,
  ) {
    this.identity = options.identity ?? `${hostname()}_${randomUUID()}`;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.leaseDurationMs) {
      throw new Error("leader election: renewDeadlineMs must be shorter than leaseDurationMs");
    }
    if (this.retryPeriodMs >= this.renewDeadlineMs) {
      throw new Error("leader election: retryPeriodMs must be shorter than renewDeadlineMs");
    }
    this.api = kubeConfig.makeApiClient(CoordinationV1Api);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns in the background until `stop()` or until leadership is lost. */
  run(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.campaign(this.abort.signal);
  }

  /** Stops campaigning; the holder hands the lease back (`release`, default true) so another takes over at once. */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.abort.abort();
    await this.running;
    this.running = undefined;
    // Not only when leading: an acquire that completed while stopping holds the lease too.
    if (options.release ?? true) await this.release();
    this.leading = false;
  }

  private async campaign(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !(await this.attempt(this.retryPeriodMs))) {
      await sleep(this.retryPeriodMs * (1 + Math.random() * 0.2), signal);
    }
    if (signal.aborted) return;
    this.leading = true;
    this.logger.info({ lease: this.options.name, identity: this.identity }, "acquired leadership");
    this.callbacks.onStartedLeading();
    let renewedAt = Date.now();
    while (!signal.aborted) {
      await sleep(this.retryPeriodMs, signal);
      if (signal.aborted) return;
      const remaining = this.renewDeadlineMs - (Date.now() - renewedAt);
      if (await this.attempt(Math.max(remaining, 1))) {
        renewedAt = Date.now();
      } else if (Date.now() - renewedAt >= this.renewDeadlineMs) {
        this.leading = false;
        this.logger.error({ lease: this.options.name, identity: this.identity }, "lost leadership");
        this.callbacks.onStoppedLeading();
        return;
      }
    }
  }

  /** One acquire-or-renew, abandoned after `timeoutMs` so a hung request cannot outlive the renew deadline. */
  private async attempt(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.tryAcquireOrRenew(), timeout]);
    } catch (error) {
      this.logger.warn({ lease: this.options.name, ...errorFields(error) }, "lease update failed");
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { name, namespace } = this.options;
    const now = new V1MicroTime();
    const leaseDurationSeconds = Math.ceil(this.leaseDurationMs / 1_000);
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!isNotFound(error)) throw toKubeApiError(error, `read lease ${namespace}/${name}`);
      const spec = {
        holderIdentity: this.identity,
        leaseDurationSeconds,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: 0,
      };
      try {
        this.observe(
          await this.api.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec } }),
        );
        return true;
      } catch (createError) {
        if (isConflict(createError)) return false;
        throw toKubeApiError(createError, `create lease ${namespace}/${name}`);
      }
    }
    this.observe(lease);
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity;
    if (holder && holder !== this.identity) {
      const heldForMs = (spec.leaseDurationSeconds ?? leaseDurationSeconds) * 1_000;
      if (this.observedAt + heldForMs > Date.now()) return false;
    }
    const renewing = holder === this.identity;
    lease.spec = {
      ...spec,
      holderIdentity: this.identity,
      leaseDurationSeconds,
      acquireTime: renewing ? spec.acquireTime : now,
      renewTime: now,
      leaseTransitions: (spec.leaseTransitions ?? 0) + (renewing ? 0 : 1),
    };
    try {
      this.observe(await this.api.replaceNamespacedLease({ name, namespace, body: lease }));
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw toKubeApiError(error, `update lease ${namespace}/${name}`);
    }
  }

  /** Remembers when the lease last changed, on this process's clock. */
  private observe(lease: V1Lease): void {
    const version = lease.metadata?.resourceVersion;
    if (version !== this.observedVersion) {
      this.observedVersion = version;
      this.observedAt = Date.now();
    }
    const holder = lease.spec?.holderIdentity;
    if (holder && holder !== this.lastSeenLeader) {
      this.lastSeenLeader = holder;
      this.callbacks.onNewLeader?.(holder);
    }
  }

  private async release(): Promise<void> {
    const { name, namespace } = this.options;
    try {
      const lease = await this.api.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity !== this.identity) return;
      lease.spec = {
        ...lease.spec,
        holderIdentity: undefined,
        leaseDurationSeconds: 1,
        renewTime: new V1MicroTime(),
      };
      await this.api.replaceNamespacedLease({ name, namespace, body: lease });
      this.logger.info({ lease: name, identity: this.identity }, "released leadership");
    } catch (error) {
      this.logger.warn(
        { lease: name, ...errorFields(error) },
        "could not release the lease; it expires by itself",
      );
    }
  }
}
