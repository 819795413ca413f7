import { appendFile, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Spool } from "../../src/spool.js";
import { recordingLogger } from "../support/logger.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "spool-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (n: number) => JSON.stringify({ kind: "remediation-orchestration", event_id: `id-${n}`, n });

describe("Spool", () => {
  it("appends JSON lines to numbered segments of bounded size", async () => {
    const spool = new Spool(dir, 3, recordingLogger());
    const segments = await spool.append([1, 2, 3, 4, 5].map(line), false);

    expect(segments.map((s) => s.seq)).toEqual([1, 1, 1, 2, 2]);
    expect(await readdir(dir)).toEqual(["000000000001.jsonl", "000000000002.jsonl"]);
    expect(await readFile(join(dir, "000000000001.jsonl"), "utf8")).toBe(
      `${[1, 2, 3].map(line).join("\n")}\n`,
    );
    expect(spool.backlog()).toBe(5);
    expect(spool.unsettled()).toBe(5);
    await spool.close();
  });

  it("groups concurrent appends and keeps their order", async () => {
    const spool = new Spool(dir, 100, recordingLogger());
    await Promise.all(Array.from({ length: 20 }, (_, i) => spool.append([line(i)], false)));
    await spool.close();

    const text = await readFile(join(dir, "000000000001.jsonl"), "utf8");
    expect(text.trim().split("\n")).toEqual(Array.from({ length: 20 }, (_, i) => line(i)));
  });

  it("deletes a segment once every record in it is settled", async () => {
    const spool = new Spool(dir, 2, recordingLogger());
    const [first] = await spool.append([line(1), line(2), line(3)], true);
    if (!first) throw new Error("no segment");
    spool.settle(first);
    spool.settle(first);
    await spool.close();

    expect(await readdir(dir)).toEqual(["000000000002.jsonl"]);
    expect(spool.unsettled()).toBe(1);
  });

  it("replays segments left by an earlier run, skipping a line cut short by a kill", async () => {
    const before = new Spool(dir, 10, recordingLogger());
    await before.append([line(1), line(2)], false);
    await before.close();
    await appendFile(join(dir, "000000000001.jsonl"), '{"kind":"remediation-orch');

    const logger = recordingLogger();
    const after = new Spool(dir, 10, logger);
    await after.ready;
    expect(after.backlog()).toBe(2);
    const segment = after.nextSealed();
    if (!segment) throw new Error("no sealed segment");
    const loaded = await after.load(segment);
    expect(loaded.map((r) => r.json)).toEqual([line(1), line(2)]);
    expect(loaded[0]?.identity).toEqual({ kind: "remediation-orchestration", event_id: "id-1" });
    expect(logger.entries.some((e) => e.fields.skipped === 1)).toBe(true);

    after.settle(segment, 2);
    await after.close();
    expect(await readdir(dir)).toEqual([]);
  });

  it("continues numbering after the segments it finds", async () => {
    const first = new Spool(dir, 10, recordingLogger());
    await first.append([line(1)], false);
    await first.close();

    const second = new Spool(dir, 10, recordingLogger());
    const [segment] = await second.append([line(2)], false);
    expect(segment?.seq).toBe(2);
    await second.close();
  });
});
