export {
  AuditedManager,
  type AuditedManagerOptions,
  type ControllerStartOptions,
  type RunningAuditedManager,
  type StopSteps,
} from "./audited-manager.js";
export {
  ConfigError,
  type ControllerConfig,
  controllerEnv,
  envBool,
  envDurationMs,
  envHttpUrl,
  envInt,
  envText,
  loadControllerConfig,
  managerOptionsFrom,
  storageConnectionFrom,
} from "./controller-config.js";
export {
  type ControllerProcessOptions,
  type RunningProcess,
  runControllerProcess,
} from "./controller-process.js";
