import type {
  AuditCheckpointList,
  AuditConsistencyProof,
  AuditInclusionProof,
  AuditLogPublicKey,
} from "@kubernaut/schema";
import {
  hashFromBase64,
  openCheckpoint,
  parseVerifierKey,
  recordLeafHash,
  toBase64,
  verifyConsistency,
  verifyInclusion,
} from "@kubernaut/tlog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sealer } from "../../src/audit-log/sealer.js";
import { type AuditLogApp, ORIGIN, openAuditLogApp } from "../support/audit-log.js";

let t: AuditLogApp;

beforeAll(async () => {
  t = await openAuditLogApp();
});
afterAll(async () => {
  await t.close();
});

describe("the sealed audit log", () => {
  it("seals every record once, in leaf order, and signs a checkpoint the public key opens", async () => {
    expect((await t.get("/api/v1/audit/checkpoints/latest")).status).toBe(404);
    const first = await t.writeIncident("rr-a", 5);
    const outcome = await t.seal();
    expect(outcome).toMatchObject({ sealed: 5, treeSize: 5, checkpoints: [5], busy: false });
    expect(await t.seal()).toMatchObject({ sealed: 0, treeSize: 5, checkpoints: [] });

    const key = await t.json<AuditLogPublicKey>("/api/v1/audit/checkpoints/public-key");
    expect(key).toMatchObject({ origin: ORIGIN, algorithm: "ed25519", verifier_key: t.signer.verifierKey });
    const latest = await t.latest();
    const checkpoint = openCheckpoint(latest.note, parseVerifierKey(key.verifier_key));
    expect(checkpoint).toMatchObject({ origin: ORIGIN, size: 5 });
    expect(latest).toMatchObject({ origin: ORIGIN, tree_size: 5, root_hash: toBase64(checkpoint.root) });

    // Every record's proof verifies against the signed root, from the record itself.
    const leafIndexes: number[] = [];
    for (const id of first) {
      const proof = await t.json<AuditInclusionProof>(`/api/v1/audit/events/${id}/proof`);
      expect(proof.tree_size).toBe(5);
      const leafHash = recordLeafHash(proof.record);
      expect(toBase64(leafHash)).toBe(proof.leaf_hash);
      verifyInclusion(
        proof.leaf_index,
        5,
        leafHash,
        proof.inclusion_proof.map(hashFromBase64),
        checkpoint.root,
      );
      leafIndexes.push(proof.leaf_index);
    }
    expect(leafIndexes.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("a later tree is consistent with every earlier checkpoint; the list pages oldest first", async () => {
    await t.writeIncident("rr-b", 3);
    await t.seal();
    await t.writeIncident("rr-c", 9);
    await t.seal();
    const list = await t.json<AuditCheckpointList>("/api/v1/audit/checkpoints?limit=2");
    expect(list.items.map((c) => c.tree_size)).toEqual([5, 8]);
    expect(list.next_after).toBe(8);
    const rest = await t.json<AuditCheckpointList>("/api/v1/audit/checkpoints?after=8");
    expect(rest).toMatchObject({ items: [{ tree_size: 17 }], next_after: null });
    const verifier = parseVerifierKey(t.signer.verifierKey);
    const roots = new Map(
      [...list.items, ...rest.items].map((c) => [c.tree_size, openCheckpoint(c.note, verifier).root]),
    );
    for (const [from, to] of [
      [5, 8],
      [8, 17],
      [5, 17],
    ] as const) {
      const proof = await t.json<AuditConsistencyProof>(`/api/v1/audit/consistency?from=${from}&to=${to}`);
      verifyConsistency(
        from,
        to,
        proof.consistency_proof.map(hashFromBase64),
        roots.get(from)!,
        roots.get(to)!,
      );
    }
    const byDefault = await t.json<AuditConsistencyProof>("/api/v1/audit/consistency?from=5");
    expect(byDefault.to).toBe(17);
  });

  it("an incident's leaves come with proofs; a range listing pages by leaf index", async () => {
    const incident = await t.leaves("correlation_id=rr-c");
    expect(incident.items).toHaveLength(9);
    const root = hashFromBase64((await t.latest()).root_hash);
    for (const leaf of incident.items) {
      verifyInclusion(
        leaf.leaf_index,
        incident.tree_size,
        recordLeafHash(leaf.record),
        (leaf.inclusion_proof ?? []).map(hashFromBase64),
        root,
      );
    }
    const page = await t.leaves("start=3&limit=10");
    expect(page.items.map((l) => l.leaf_index)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(page.next_start).toBe(13);
    expect((await t.leaves("start=13&limit=10")).next_start).toBeNull();
  });

  it("verify: an untouched incident verifies, with each record counted", async () => {
    expect(await t.verify("rr-c")).toMatchObject({
      verified: true,
      records: 9,
      leaves: 9,
      problems: [],
      log_problems: [],
      checkpoint: { tree_size: 17 },
    });
  });

  it("verify: a scope with no record and no leaf is not verified (nothing to verify)", async () => {
    expect(await t.verify("rr-mistyped")).toMatchObject({
      verified: false,
      records: 0,
      leaves: 0,
      problems: [],
      log_problems: ["nothing to verify: no record and no sealed leaf in this scope"],
    });
  });

  it("records not sealed yet, or sealed past the latest checkpoint, are named as such", async () => {
    const [late] = await t.writeIncident("rr-late", 1);
    expect(await t.verify("rr-late")).toMatchObject({
      verified: false,
      problems: [{ event_id: late, leaf_index: null, problem: "not_sealed" }],
    });
    expect((await t.get(`/api/v1/audit/events/${late}/proof`)).status).toBe(404);
  });

  it("bad parameters are 400s naming the problem", async () => {
    const bad = async (path: string) => {
      const res = await t.get(path);
      expect(res.status, path).toBe(400);
      return JSON.stringify(await res.json());
    };
    expect(await bad("/api/v1/audit/verify")).toMatch(/exactly one of correlation_id and fingerprint/);
    expect(await bad("/api/v1/audit/consistency?from=9&to=5")).toMatch(/must not exceed/);
    expect(await bad("/api/v1/audit/consistency?from=1&to=999999")).toMatch(/larger than the log/);
    expect(await bad("/api/v1/audit/events/not-a-uuid/proof")).toMatch(/UUID/);
    expect(await bad("/api/v1/audit/leaves?correlation_id=a&fingerprint=b")).toMatch(/not both/);
  });

  it("waits while this replica's writes are under way, but never falls more than SEAL_MAX_LAG behind", async () => {
    let now = new Date("2026-12-01T10:00:00Z");
    const app = await openAuditLogApp({ clock: () => now, env: { SEAL_MAX_LAG: "30s" } });
    try {
      await app.writeIncident("rr-burst", 3);
      let busy = true;
      const sealer = new Sealer(
        {
          ...app.deps,
          writer: {
            get busy() {
              return busy;
            },
          },
        },
        app.signer,
      );
      expect(await sealer.sealPending()).toMatchObject({ sealed: 0, deferred: true });
      now = new Date(now.getTime() + 29_000);
      expect(await sealer.sealPending()).toMatchObject({ sealed: 0, deferred: true });
      now = new Date(now.getTime() + 1_000);
      expect(await sealer.sealPending()).toMatchObject({ sealed: 3, treeSize: 3 });

      await app.writeIncident("rr-burst", 2);
      busy = false;
      expect(await sealer.sealPending()).toMatchObject({ sealed: 2, treeSize: 5 });
      expect((await app.verify("rr-burst")).verified).toBe(true);
    } finally {
      await app.close();
    }
  });
});
