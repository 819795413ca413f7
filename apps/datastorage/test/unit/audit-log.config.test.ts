import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSignerKey, openCheckpoint, parseVerifierKey, sha256, signCheckpoint } from "@kubernaut/tlog";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_CHECKPOINT_ORIGIN,
  GENERATED_KEY_FILE,
  loadCheckpointSigner,
  SigningKeyError,
} from "../../src/audit-log/signing-key.js";
import { loadConfig } from "../../src/config.js";
import { problemsOf } from "../support/config.js";

describe("audit log settings", () => {
  it("defaults: sealing every second (at most 30 s behind writes), a checkpoint every 1000 records or minute", () => {
    expect(loadConfig({})).toMatchObject({
      SEALER_ENABLED: true,
      SEAL_INTERVAL: 1000,
      SEAL_MAX_LAG: 30_000,
      SEAL_BATCH_SIZE: 1000,
      CHECKPOINT_EVERY: 1000,
      CHECKPOINT_INTERVAL: 60_000,
    });
    expect(loadConfig({ SEAL_MAX_LAG: "0" }).SEAL_MAX_LAG).toBe(0);
    expect(loadConfig({ SEAL_MAX_LAG: "2m" }).SEAL_MAX_LAG).toBe(120_000);
  });

  it("names what is wrong", () => {
    expect(
      problemsOf({
        CHECKPOINT_ORIGIN: "has space",
        CHECKPOINT_EVERY: "0",
        CHECKPOINT_INTERVAL: "500ms",
        CHECKPOINT_WEBHOOK_URL: "ftp://x",
        SEAL_MAX_LAG: "-1s",
      }),
    ).toEqual([
      "SEAL_MAX_LAG: must be from 0 to 9007199254740991 ns (about 104 days); a negative duration is refused",
      "CHECKPOINT_EVERY: must be at least 1",
      "CHECKPOINT_INTERVAL: must be at least 1s",
      "CHECKPOINT_ORIGIN: must be a key name: no spaces or +, e.g. audit.example.com/prod",
      "CHECKPOINT_WEBHOOK_URL: expected an http(s) URL",
    ]);
  });
});

describe("the checkpoint signing key", () => {
  let dir: string;
  const logger = pino({ level: "silent" });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "signing-key-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("unset: generated once beside the data (mode 0600), then reused", async () => {
    const dataDir = join(dir, "data");
    const first = await loadCheckpointSigner(loadConfig({ DATA_DIR: dataDir }), logger);
    expect(first.name).toBe(DEFAULT_CHECKPOINT_ORIGIN);
    const file = join(dataDir, GENERATED_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, "utf8")).toMatch(/^PRIVATE\+KEY\+kubernaut\.ai\/audit\+[0-9a-f]{8}\+/);
    const again = await loadCheckpointSigner(loadConfig({ DATA_DIR: dataDir }), logger);
    expect(again.verifierKey).toBe(first.verifierKey);
    // What it signs, its public key opens.
    const note = signCheckpoint({ origin: first.name, size: 1, root: sha256() }, again);
    expect(openCheckpoint(note, parseVerifierKey(first.verifierKey)).size).toBe(1);
  });

  it("with DATA_DIR memory://: generated in memory for this process, never written to disk", async () => {
    const config = loadConfig({ DATA_DIR: "memory://", CHECKPOINT_ORIGIN: "example.com/log" });
    const first = await loadCheckpointSigner(config, logger);
    const second = await loadCheckpointSigner(config, logger);
    expect(first.name).toBe("example.com/log");
    expect(second.verifierKey).not.toBe(first.verifierKey);
    await expect(stat(join(process.cwd(), "memory:"))).rejects.toThrow(/ENOENT/);
  });

  it("from CHECKPOINT_SIGNING_KEY_FILE; the key's name is the origin, and CHECKPOINT_ORIGIN must agree", async () => {
    const key = generateSignerKey("audit.example.com/prod");
    const file = join(dir, "signing.key");
    await writeFile(file, key.signerKey);
    const signer = await loadCheckpointSigner(loadConfig({ CHECKPOINT_SIGNING_KEY_FILE: file }), logger);
    expect(signer.verifierKey).toBe(key.verifierKey);
    await expect(
      loadCheckpointSigner(
        loadConfig({ CHECKPOINT_SIGNING_KEY_FILE: file, CHECKPOINT_ORIGIN: "other/log" }),
        logger,
      ),
    ).rejects.toThrow(
      /CHECKPOINT_ORIGIN is other\/log but the signing key is named audit\.example\.com\/prod/,
    );
    await writeFile(file, key.verifierKey);
    await expect(
      loadCheckpointSigner(loadConfig({ CHECKPOINT_SIGNING_KEY_FILE: file }), logger),
    ).rejects.toThrow(SigningKeyError);
    await expect(
      loadCheckpointSigner(loadConfig({ CHECKPOINT_SIGNING_KEY_FILE: join(dir, "absent") }), logger),
    ).rejects.toThrow(/CHECKPOINT_SIGNING_KEY_FILE: cannot read/);
  });
});
