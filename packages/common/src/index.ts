export { type BackoffOptions, exponentialDelay, jitteredDelay, sleep } from "./backoff.js";
export { failureReason } from "./errors.js";
export { type Logger, silentLogger } from "./logger.js";
