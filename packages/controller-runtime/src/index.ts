export { type BackoffOptions, exponentialDelay, sleep } from "@kubernaut/common";
export { type JsonPatchOperation, type ListResult, type MergePatch, ResourceClient } from "./client.js";
export {
  type Condition,
  type ConditionInput,
  getCondition,
  isConditionTrue,
  removeCondition,
  setCondition,
} from "./conditions.js";
export { KubeConfigError, loadKubeConfig } from "./config.js";
export {
  Controller,
  type ControllerOptions,
  type ReconcileResult,
  type Reconciler,
  type Watch,
} from "./controller.js";
export {
  isConflict,
  isGone,
  isNotFound,
  KubeApiError,
  retryOnConflict,
  statusCodeOf,
  toKubeApiError,
} from "./errors.js";
export { EventRecorder, type EventType } from "./events.js";
export { addFinalizer, hasFinalizer, removeFinalizer } from "./finalizers.js";
export { FirstSight, type FirstSightOptions } from "./first-sight.js";
export { Informer, type InformerEvent, type InformerOptions } from "./informer.js";
export { type LeaderCallbacks, type LeaderElectionOptions, LeaderElector } from "./leader-election.js";
export {
  type ListerWatcher,
  type ResourceListerWatcherOptions,
  resourceListerWatcher,
  type WatchEvent,
} from "./list-watch.js";
export { type Logger, silentLogger, stderrLogger } from "./logger.js";
export { Manager, type ManagerOptions, runManager } from "./manager.js";
export { RuntimeMetrics } from "./metrics.js";
export {
  apiVersionOf,
  formatObjectKey,
  type KubeObject,
  type ObjectKey,
  type ObjectMeta,
  type OwnerReference,
  objectKeyOf,
  parseObjectKey,
  type ResourceKind,
} from "./objects.js";
export { controllerOwnerOf, ownerReferenceFor, setControllerReference } from "./owners.js";
export { type HealthCheck, type ProbeServer, type ProbeServerOptions, startProbeServer } from "./probes.js";
export { type ProcessResult, WorkQueue, type WorkQueueOptions } from "./workqueue.js";
