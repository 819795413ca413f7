export { type BackoffOptions, exponentialDelay, jitteredDelay, sleep } from "./backoff.js";
export { type Logger, silentLogger } from "./logger.js";
