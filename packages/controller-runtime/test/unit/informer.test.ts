import { waitFor } from "@kubernaut/testing/wait";
import { describe, expect, it } from "vitest";
import { KubeApiError } from "../../src/errors.js";
import { Informer, type InformerEvent } from "../../src/informer.js";
import type { ListerWatcher, WatchEvent } from "../../src/list-watch.js";
import type { KubeObject } from "../../src/objects.js";

const object = (name: string, resourceVersion: string): KubeObject => ({
  metadata: { namespace: "ns", name, resourceVersion },
});

type Step =
  | { list: KubeObject[]; listVersion: string }
  | { events: WatchEvent<KubeObject>[]; end: "close" | Error };

/** A scripted list/watch source: each step answers one list or one watch call; then it waits until stopped. */
function scripted(steps: Step[]) {
  const watchedFrom: string[] = [];
  let lists = 0;
  const source: ListerWatcher<KubeObject> = {
    list: async () => {
      lists++;
      const step = steps.shift();
      if (!step || !("list" in step)) throw new Error("unexpected list");
      return { items: step.list, resourceVersion: step.listVersion };
    },
    watch: (resourceVersion, onEvent, signal) => {
      watchedFrom.push(resourceVersion);
      const step = steps.shift();
      if (!step) return new Promise((resolve) => signal.addEventListener("abort", () => resolve()));
      if (!("events" in step)) throw new Error("unexpected watch");
      for (const event of step.events) onEvent(event);
      return step.end === "close" ? Promise.resolve() : Promise.reject(step.end);
    },
  };
  return { source, watchedFrom, lists: () => lists, remaining: () => steps.length };
}

/** Waits for the informer to consume every scripted step and open the expected watches. */
const until = (what: string, condition: () => boolean) =>
  waitFor(what, condition, { timeoutMs: 2_000, intervalMs: 2 });

const describeEvent = (event: InformerEvent<KubeObject>) =>
  `${event.type} ${event.object.metadata?.name}@${event.object.metadata?.resourceVersion}`;

describe("Informer", () => {
  it("lists, then watches from the list's version, resuming from the last version seen after a broken watch", async () => {
    const { source, watchedFrom, remaining } = scripted([
      { list: [object("a", "10")], listVersion: "10" },
      {
        events: [
          { type: "MODIFIED", object: object("a", "11") },
          { type: "BOOKMARK", object: { metadata: { resourceVersion: "15" } } },
        ],
        end: new Error("connection reset"),
      },
      { events: [{ type: "ADDED", object: object("b", "16") }], end: "close" },
    ]);
    const informer = new Informer(source, { name: "test", backoff: { baseMs: 1, capMs: 1 } });
    const events: string[] = [];
    informer.on((event) => events.push(describeEvent(event)));
    informer.start();
    await informer.waitForSync();
    await until("every step and three watches", () => remaining() === 0 && watchedFrom.length === 3);
    await informer.stop();
    expect(watchedFrom).toEqual(["10", "15", "16"]);
    expect(events).toEqual(["added a@10", "updated a@11", "added b@16"]);
    expect(informer.list().map((cached) => cached.metadata?.name)).toEqual(["a", "b"]);
  });

  it("lists again on 410 Gone and reports what changed meanwhile as updates and deletions", async () => {
    const { source, watchedFrom, lists, remaining } = scripted([
      { list: [object("a", "10"), object("b", "10"), object("c", "10")], listVersion: "10" },
      { events: [], end: new KubeApiError("too old resource version", 410, "Expired") },
      { list: [object("a", "10"), object("b", "20"), object("d", "21")], listVersion: "21" },
    ]);
    const informer = new Informer(source, { name: "test", backoff: { baseMs: 1, capMs: 1 } });
    const events: string[] = [];
    informer.on((event) => events.push(describeEvent(event)));
    informer.start();
    await until("every step and two watches", () => remaining() === 0 && watchedFrom.length === 2);
    await informer.stop();
    expect(lists()).toBe(2);
    expect(watchedFrom).toEqual(["10", "21"]);
    expect(events.slice(3)).toEqual(["deleted c@10", "updated b@20", "added d@21"]);
    expect(informer.get("ns", "b")?.metadata?.resourceVersion).toBe("20");
    expect(informer.get("ns", "c")).toBeUndefined();
  });

  it("keeps going when a handler throws", async () => {
    const { source } = scripted([{ list: [object("a", "1"), object("b", "1")], listVersion: "1" }]);
    const informer = new Informer(source, { name: "test" });
    const seen: string[] = [];
    informer.on(() => {
      throw new Error("bad handler");
    });
    informer.on((event) => seen.push(describeEvent(event)));
    informer.start();
    await informer.waitForSync();
    await informer.stop();
    expect(seen).toEqual(["added a@1", "added b@1"]);
  });
});
