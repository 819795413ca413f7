import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@kubernaut/testing/wait";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTransport, unreachable } from "../support/fake-transport.js";
import { publisherFor } from "../support/publisher.js";
import { orchestrationRecord } from "../support/records.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "publisher-spool-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fast = { flushIntervalMs: 20, backoff: { baseMs: 5, capMs: 40 } };
const names = (transport: FakeTransport) =>
  [...transport.stored.values()].map((r) => String(r.remediation_name)).sort();
const expected = (n: number) => Array.from({ length: n }, (_, i) => `rr-${i}`).sort();

/** Fails every send until `up()` is called. */
function outage(transport: FakeTransport) {
  let down = true;
  transport.storeSerializedBatch = ((original) => (records, options) => {
    if (down) {
      transport.sends.push([...records]);
      return unreachable(records, options);
    }
    return original(records, options);
  })(transport.storeSerializedBatch.bind(transport));
  return () => {
    down = false;
  };
}

describe("AuditPublisher with a spool", () => {
  it("spools what overflows during an outage and delivers every record once the service is back", async () => {
    const transport = new FakeTransport();
    const up = outage(transport);
    const { publisher } = publisherFor(transport, { ...fast, capacity: 10, spoolDir: dir });

    for (let i = 0; i < 100; i++) expect(publisher.publish(orchestrationRecord(i))).toBe(true);
    await waitFor(
      "records spooled",
      () => publisher.stats().pending === 100 && transport.sends.length > 2,
      10_000,
    );
    expect(publisher.stats()).toMatchObject({ dropped: 0, spooled: 90 });
    expect((await readdir(dir)).length).toBeGreaterThan(0);

    up();
    await waitFor("every record delivered", () => transport.stored.size === 100, 10_000);
    expect(names(transport)).toEqual(expected(100));
    await expect(publisher.close(1_000)).resolves.toEqual({ sent: 0, unsent: 0, spooled: 0 });
    expect(await readdir(dir)).toEqual([]);
  });

  it("writes unsent records to the spool at close and the next publisher delivers them", async () => {
    const down = new FakeTransport();
    outage(down);
    const first = publisherFor(down, { ...fast, spoolDir: dir }).publisher;
    for (let i = 0; i < 25; i++) first.publish(orchestrationRecord(i));

    await expect(first.close(200)).resolves.toEqual({ sent: 0, unsent: 25, spooled: 25 });
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    const spooledIds = (await readFile(join(dir, files[0] ?? ""), "utf8"))
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { event_id: string }).event_id);

    const transport = new FakeTransport();
    const second = publisherFor(transport, { ...fast, spoolDir: dir }).publisher;
    await waitFor("spooled records replayed", () => transport.stored.size === 25, 10_000);
    expect(names(transport)).toEqual(expected(25));
    expect([...transport.stored.keys()]).toEqual(spooledIds);
    await waitFor(
      "spool segment removed after delivery",
      async () => (await readdir(dir)).length === 0,
      10_000,
    );
    await expect(second.close(1_000)).resolves.toEqual({ sent: 0, unsent: 0, spooled: 0 });
  });

  it("spools nothing at close when everything is delivered", async () => {
    const transport = new FakeTransport();
    const { publisher } = publisherFor(transport, { ...fast, spoolDir: dir });
    for (let i = 0; i < 5; i++) publisher.publish(orchestrationRecord(i));

    await expect(publisher.close(1_000)).resolves.toEqual({ sent: 5, unsent: 0, spooled: 0 });
    expect(await readdir(dir)).toEqual([]);
  });

  it("goes on without the spool when its directory cannot be used", async () => {
    const file = join(dir, "not-a-directory");
    await writeFile(file, "");
    const transport = new FakeTransport();
    outage(transport);
    const { publisher, logger } = publisherFor(transport, { ...fast, capacity: 2, spoolDir: file });
    await waitFor(
      "spool error",
      () => logger.entries.some((e) => e.message.includes("cannot open the audit spool")),
      10_000,
    );

    for (let i = 0; i < 3; i++) publisher.publish(orchestrationRecord(i));
    expect(publisher.stats()).toMatchObject({ dropped: 1, spooled: 0 });
    await publisher.close(100);
  });
});
