import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabase } from "@kubernaut/db";
import type { StorageService } from "@kubernaut/testing/storage";
import { generateSignerKey, parseSignerKey, sha256, signCheckpoint } from "@kubernaut/tlog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, type SealedService, startSealedService } from "../support/service.js";

/**
 * `kubernaut-audit verify` against the real storage service (a child process, PGlite or TEST_DATABASE_URL), its
 * checkpoints published to a directory. The tampering is done in the service's database with every trigger
 * bypassed (session_replication_role = replica), while the service is down, as an administrator would.
 */
const ORIGIN = "audit.test/cli";
let service: SealedService;
let KEY: SealedService["key"];
let storage: StorageService;
let published: string;
let dir: string;
const incidents = new Map<string, string[]>();

async function post(records: unknown[]): Promise<void> {
  const res = await fetch(`${storage.url}/api/v1/audit/batch`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ records }),
  });
  expect(res.status, await res.text()).toBe(201);
}

/** `count` records of remediation `name`, one second apart. */
async function writeIncident(name: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await post(
    ids.map((event_id, i) => ({
      kind: "remediation-orchestration",
      event_id,
      alert_fingerprint: `fp-${name}`,
      remediation_name: name,
      overall_phase: i === count - 1 ? "completed" : "processing",
      start_time: "2026-11-20T10:00:00Z",
      occurred_at: new Date(Date.UTC(2026, 10, 20, 10, 0, i)).toISOString(),
    })),
  );
  incidents.set(name, ids);
  return ids;
}

const verify = (...scope: string[]) =>
  cli("verify", "--key", KEY.verifierKey, "--url", storage.url, "--checkpoints", published, ...scope);

/** Stops the service hard, runs `statements` in its database with the triggers bypassed, starts it again. */
async function tamper(...statements: string[]): Promise<void> {
  await storage.kill();
  const database = await createDatabase(service.pg ? { url: service.pg.url } : { dataDir: service.dataDir });
  try {
    await database.transaction(async (tx) => {
      await tx.execute("SET LOCAL session_replication_role = replica");
      for (const statement of statements) await tx.execute(statement);
    });
  } finally {
    await database.close();
  }
  await storage.restart();
}

beforeAll(async () => {
  service = await startSealedService(ORIGIN);
  ({ key: KEY, storage, published, dir } = service);
  await writeIncident("rr-ok", 4);
  await writeIncident("rr-alter", 5);
  await writeIncident("rr-delete", 5);
  await writeIncident("rr-swap", 5);
  await service.waitForCheckpoint(19);
});
afterAll(async () => {
  await service?.close();
});

describe("kubernaut-audit verify", () => {
  it("an untouched trail verifies: checkpoints, consistency, every record (exit 0, also as the bin)", async () => {
    const incident = await verify("--correlation-id", "rr-ok");
    expect(incident.code, incident.out).toBe(0);
    expect(incident.out).toMatch(/ok {4}correlation id rr-ok: 4 records, each in the tree of 19 leaves/);
    expect(incident.out).toMatch(/\nverified$/);
    const all = await verify("--all");
    expect(all.code, all.out).toBe(0);
    expect(all.out).toMatch(/all 19 records rebuild the signed root/);
    const bin = join(dirname(fileURLToPath(import.meta.url)), "../../dist/cli.js");
    const child = spawnSync(
      process.execPath,
      [
        bin,
        "verify",
        "--key",
        KEY.verifierKey,
        "--url",
        storage.url,
        "--checkpoints",
        published,
        "--fingerprint",
        "fp-rr-ok",
      ],
      { encoding: "utf8" },
    );
    expect(child.status, child.stdout + child.stderr).toBe(0);
  });

  it("a scope with no records is not verified: a mistyped fingerprint fails, naming it", async () => {
    const none = await verify("--fingerprint", "fp-rr-okk");
    expect(none.code, none.out).toBe(1);
    expect(none.out).toMatch(
      /FAIL {2}fingerprint fp-rr-okk: no records sealed in the tree of 19 leaves: nothing to verify/,
    );
    expect(none.out).toMatch(/\nNOT verified$/);
  });

  it("a forged checkpoint is named: altered text, or signed by another key of the same name", async () => {
    const forged = join(dir, "forged");
    await mkdir(forged);
    const [first] = (await readdir(published)).sort();
    const note = await readFile(join(published, first as string), "utf8");
    await writeFile(
      join(forged, "altered.checkpoint"),
      note.replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 1}\n`),
    );
    const stranger = parseSignerKey(generateSignerKey(ORIGIN).signerKey);
    await writeFile(
      join(forged, "stranger.checkpoint"),
      signCheckpoint({ origin: ORIGIN, size: 3, root: sha256(Buffer.from("x")) }, stranger),
    );
    await copyFile(join(published, first as string), join(forged, "genuine.checkpoint"));
    const result = await cli(
      "verify",
      "--key",
      KEY.verifierKey,
      "--url",
      storage.url,
      "--checkpoints",
      forged,
      "--all",
    );
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /FAIL {2}forged checkpoint: .*altered\.checkpoint: the signature of audit\.test\/cli .* does not verify/,
    );
    expect(result.out).toMatch(
      /FAIL {2}forged checkpoint: .*stranger\.checkpoint: the note carries no signature by a known key/,
    );
    expect(result.out).toMatch(/ok {4}.*genuine\.checkpoint/);
  });

  it("a changed field, a deleted row and two swapped rows are each named by event and leaf", async () => {
    const [alter, del, swap] = [
      incidents.get("rr-alter"),
      incidents.get("rr-delete"),
      incidents.get("rr-swap"),
    ] as string[][];
    await tamper(
      `UPDATE audit_events SET payload = jsonb_set(payload, '{overall_phase}', '"failed"') WHERE event_id = '${alter?.[1]}'`,
      `DELETE FROM audit_events WHERE event_id = '${del?.[2]}'`,
      `UPDATE audit_events SET occurred_at = CASE event_id WHEN '${swap?.[0]}' THEN x.b ELSE x.a END
       FROM (SELECT (SELECT occurred_at FROM audit_events WHERE event_id = '${swap?.[0]}') AS a,
                    (SELECT occurred_at FROM audit_events WHERE event_id = '${swap?.[3]}') AS b) x
       WHERE event_id IN ('${swap?.[0]}', '${swap?.[3]}')`,
    );
    const altered = await verify("--correlation-id", "rr-alter");
    expect(altered.code).toBe(1);
    expect(altered.out).toMatch(
      new RegExp(
        `FAIL {2}altered: event ${alter?.[1]} \\(leaf \\d+\\): the record no longer hashes to its sealed leaf`,
      ),
    );
    const deleted = await verify("--fingerprint", "fp-rr-delete");
    expect(deleted.out).toMatch(
      new RegExp(
        `FAIL {2}missing: event ${del?.[2]} \\(leaf \\d+\\): sealed, but the service at .* has no record for it`,
      ),
    );
    const swapped = await verify("--correlation-id", "rr-swap");
    expect(swapped.out).toMatch(
      new RegExp(`FAIL {2}out of order: event ${swap?.[0]} \\(leaf \\d+\\) swapped with event ${swap?.[3]}`),
    );
    expect((await verify("--correlation-id", "rr-ok")).code).toBe(0);
    const all = await verify("--all");
    expect(all.code).toBe(1);
    expect(
      all.out
        .split("\n")
        .filter((l) => l.startsWith("FAIL"))
        .map((l) => l.split(":")[0]),
    ).toEqual(["FAIL  missing", "FAIL  out of order", "FAIL  altered"]);

    // A leaf rewritten as well: the rewrite is named, and each record fault beside it still is.
    const leaf = `(SELECT event_id FROM audit_log_leaves WHERE event_id = '${incidents.get("rr-ok")?.[0]}')`;
    // The first byte of its hash flipped, then flipped back below.
    const flip = `UPDATE audit_log_leaves SET leaf_hash = set_byte(leaf_hash, 0, get_byte(leaf_hash, 0) # 1) WHERE event_id = ${leaf}`;
    await tamper(flip);
    const rewritten = await verify("--all");
    expect(rewritten.code).toBe(1);
    const faults = rewritten.out.split("\n").filter((l) => l.startsWith("FAIL"));
    expect(faults[0]).toMatch(/do not form the signed tree of \d+ leaves: the log was rewritten/);
    expect(faults.slice(1).map((l) => l.split(":")[0])).toEqual([
      "FAIL  missing",
      "FAIL  out of order",
      "FAIL  altered",
      "FAIL  altered",
    ]);
    await tamper(flip);
  });

  it("the newest records deleted with their leaves and checkpoints: rolled back, then not consistent once it regrows", async () => {
    const before = await service.latestSize();
    await tamper(
      "DELETE FROM audit_log_checkpoints WHERE tree_size > 12",
      "DELETE FROM audit_log_nodes WHERE (node_index + 1) * (2 ^ level)::bigint > 12",
      "DELETE FROM audit_events WHERE event_id IN (SELECT event_id FROM audit_log_leaves WHERE leaf_index >= 12)",
      "DELETE FROM audit_log_leaves WHERE leaf_index >= 12",
    );
    // Restarted, the service signs its tree of 12 leaves again.
    await service.waitForCheckpoint(12);
    const rolledBack = await verify("--correlation-id", "rr-ok");
    expect(rolledBack.code, `${rolledBack.out}\n${rolledBack.err}`).toBe(1);
    expect(rolledBack.out).toMatch(
      new RegExp(
        `FAIL {2}rolled back: the service at .* has a tree of 12 leaves, fewer than the ${before} of .*`,
      ),
    );
    await writeIncident("rr-after", 9);
    await service.waitForCheckpoint(21);
    const rewritten = await verify("--correlation-id", "rr-after");
    expect(rewritten.code).toBe(1);
    expect(rewritten.out).toMatch(
      new RegExp(
        `FAIL {2}not consistent: the tree of 21 leaves .* does not extend the tree of ${before} leaves`,
      ),
    );
  });

  it("bad arguments exit 2 naming the problem", async () => {
    expect(await cli("verify", "--url", storage.url, "--all")).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--key is required/),
    });
    expect(await cli("verify", "--key", KEY.verifierKey, "--url", storage.url)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/exactly one of --correlation-id, --fingerprint and --all/),
    });
    expect(await cli("verify", "--key", "nonsense", "--url", storage.url, "--all")).toMatchObject({
      code: 2,
    });
    expect(
      await cli("verify", "--key", KEY.verifierKey, "--url", "http://127.0.0.1:1", "--all"),
    ).toMatchObject({
      code: 2,
      err: expect.stringMatching(/cannot read the log/),
    });
  });
});
