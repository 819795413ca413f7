import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpSource } from "../../src/http-source.js";

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A service that answers `statuses` in turn (each with `Retry-After: 0`), then a checkpoint. */
async function service(statuses: number[]): Promise<{ url: string; asked: () => number }> {
  let asked = 0;
  const server = createServer((_req, res) => {
    const status = statuses[asked++];
    if (status !== undefined) {
      res.writeHead(status, { "content-type": "application/problem+json", "retry-after": "0" });
      res.end(JSON.stringify({ status, detail: "busy for a moment" }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ note: "checkpoint note" }));
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked: () => asked };
}

describe("HttpSource", () => {
  it("asks again after a 503 or 429, up to three times", async () => {
    const busy = await service([503, 429, 503]);
    await expect(new HttpSource(busy.url).latestCheckpoint()).resolves.toBe("checkpoint note");
    expect(busy.asked()).toBe(4);
  });

  it("gives up on the fourth 503, naming the status", async () => {
    const down = await service([503, 503, 503, 503]);
    await expect(new HttpSource(down.url).latestCheckpoint()).rejects.toThrow(/503 busy for a moment/);
    expect(down.asked()).toBe(4);
  });
});

describe("HttpSource leaves", () => {
  /** A service whose leaf answers hold `items`. */
  async function leaves(items: unknown[]): Promise<string> {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ items, next_start: null }));
    });
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const good = {
    leaf_index: 0,
    event_id: "e-0",
    leaf_hash: Buffer.alloc(32, 1).toString("base64"),
    record: null,
  };

  it("reads well-formed leaves", async () => {
    const source = new HttpSource(await leaves([good]));
    const [leaf] = await source.incidentLeaves({ fingerprint: "fp" }, 1);
    expect(leaf).toMatchObject({ leafIndex: 0, eventId: "e-0", record: null });
  });

  it("names the leaf, its event and the answer when a leaf is malformed", async () => {
    const hash = new HttpSource(
      await leaves([good, { ...good, leaf_index: 7, event_id: "e-7", leaf_hash: "xx" }]),
    );
    await expect(hash.leafRange(0, 8)).rejects.toThrow(
      /\/api\/v1\/audit\/leaves\?start=0&limit=10000&tree_size=8: leaf 7 \(event "e-7"\) is malformed: not a base64 SHA-256 hash/,
    );
    const proof = new HttpSource(await leaves([{ ...good, leaf_index: 3, inclusion_proof: ["AA=="] }]));
    await expect(proof.incidentLeaves({ correlationId: "rr" }, 4)).rejects.toThrow(/leaf 3 .* is malformed/);
    const index = new HttpSource(await leaves([{ ...good, leaf_index: "3" }]));
    await expect(index.incidentLeaves({ correlationId: "rr" }, 4)).rejects.toThrow(
      /leaf "3" .* is malformed: leaf_index "3" is not a leaf index/,
    );
  });
});
