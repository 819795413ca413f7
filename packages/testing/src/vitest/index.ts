import type { ViteUserConfig } from "vitest/config";

/** Where a package keeps its unit tests: `test/unit/`, and beside the code in `src/`. */
const UNIT_TESTS = ["test/unit/**/*.test.ts", "src/**/*.test.ts"];
const INTEGRATION_TESTS = ["test/integration/**/*.test.ts"];

export interface UnitConfigOptions {
  /** The test files; default `test/unit/**` and `src/**` `*.test.ts`. */
  include?: string[];
  /** Module aliases, e.g. this package's fixtures from source for a package the harness is built on. */
  alias?: Record<string, string>;
}

/** The `vitest.unit.ts` of a package: its unit tests, in parallel files, with vitest's default timeouts. */
export function unitConfig(options: UnitConfigOptions = {}): ViteUserConfig {
  return {
    ...(options.alias ? { resolve: { alias: options.alias } } : {}),
    test: { include: options.include ?? UNIT_TESTS },
  };
}

export interface IntegrationConfigOptions {
  /** The test files; default `test/integration/**` `*.test.ts`. */
  include?: string[];
  /** Per test. */
  testTimeout: number;
  /** Per hook (a `beforeAll` that starts a database, an API server or a child process). */
  hookTimeout: number;
  /** Modules run once around the whole run (e.g. one API server for every file). */
  globalSetup?: string[];
  /** Module aliases, e.g. a package's own source for a harness that cannot be its dependency. */
  alias?: Record<string, string>;
}

/**
 * The `vitest.integration.ts` of a package: its integration tests, one file at a time (they share a database
 * server, an API server and the machine's two cores).
 */
export function integrationConfig(options: IntegrationConfigOptions): ViteUserConfig {
  return {
    ...(options.alias ? { resolve: { alias: options.alias } } : {}),
    test: {
      include: options.include ?? INTEGRATION_TESTS,
      ...(options.globalSetup ? { globalSetup: options.globalSetup } : {}),
      testTimeout: options.testTimeout,
      hookTimeout: options.hookTimeout,
      fileParallelism: false,
    },
  };
}
