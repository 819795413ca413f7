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
