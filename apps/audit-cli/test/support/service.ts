import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createFreshDatabase,
  type FreshDatabase,
  type StorageService,
  startStorageService,
} from "@kubernaut/testing/storage";
import { generateSignerKey } from "@kubernaut/tlog";
import { expect, vi } from "vitest";
import { run } from "../../src/main.js";

/** What `kubernaut-audit` printed and its exit code. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the command in this process, as its bin would. */
export async function cli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The real storage service (PGlite, or a fresh database at TEST_DATABASE_URL) signing a checkpoint per batch. */
export interface SealedService {
  storage: StorageService;
  /** The signing key's text forms. */
  key: { signerKey: string; verifierKey: string };
  /** A scratch directory, removed by `close`. */
  dir: string;
  /** Where the service publishes its checkpoints. */
  published: string;
  /** The service's PGlite directory (when no TEST_DATABASE_URL) or its PostgreSQL database. */
  dataDir: string;
  pg: FreshDatabase | undefined;
  /** Waits until the latest checkpoint has `size` leaves. */
  waitForCheckpoint(size: number): Promise<void>;
  latestSize(): Promise<number>;
  close(): Promise<void>;
}

export async function startSealedService(origin: string): Promise<SealedService> {
  const key = generateSignerKey(origin);
  const dir = await mkdtemp(join(tmpdir(), "kubernaut-audit-cli-"));
  const published = join(dir, "published");
  const dataDir = join(dir, "data");
  await mkdir(published);
  await writeFile(join(dir, "signing.key"), `${key.signerKey}\n`, { mode: 0o600 });
  const server = process.env.TEST_DATABASE_URL;
  const pg = server ? await createFreshDatabase(server) : undefined;
  const storage = await startStorageService({
    env: {
      DATA_DIR: dataDir,
      ...(pg ? { DATABASE_URL: pg.url } : {}),
      CHECKPOINT_SIGNING_KEY_FILE: join(dir, "signing.key"),
      CHECKPOINT_PUBLISH_DIR: published,
      CHECKPOINT_EVERY: "1",
      SEAL_INTERVAL: "1s",
    },
  });
  const latestSize = async () => {
    const res = await fetch(`${storage.url}/api/v1/audit/checkpoints/latest`);
    if (res.status === 404) return 0;
    return ((await res.json()) as { tree_size: number }).tree_size;
  };
  return {
    storage,
    key,
    dir,
    published,
    dataDir,
    pg,
    latestSize,
    async waitForCheckpoint(size) {
      await vi.waitFor(async () => expect(await latestSize()).toBe(size), { timeout: 60_000, interval: 200 });
    },
    async close() {
      await storage.stop();
      await pg?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
