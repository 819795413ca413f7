import type { RemediationRequest } from "@kubernaut/crds";
import { createTestNamespace, type TestNamespace } from "@kubernaut/testing/kube";
import { waitFor } from "@kubernaut/testing/wait";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  Informer,
  type InformerEvent,
  type KubeObject,
  type ListerWatcher,
  ResourceClient,
  resourceListerWatcher,
} from "../../src/index.js";
import { remediationRequest, remediationRequests, startTcpProxy, throughPort } from "./helpers.js";

type Proxy = Awaited<ReturnType<typeof startTcpProxy>>;

const describeEvent = ({ type, object }: InformerEvent<KubeObject>) =>
  `${type} ${object.metadata?.name}${type === "deleted" ? "" : ` ${(object as RemediationRequest).status?.phase ?? "-"}`}`;

describe("informer recovery", () => {
  let namespace: TestNamespace;
  let proxy: Proxy;
  let informer: Informer<KubeObject> | undefined;
  let requests: ResourceClient<RemediationRequest>;
  let lists: number;
  let expireWatches: boolean;
  let events: string[];

  beforeEach(async () => {
    namespace = await createTestNamespace({ prefix: "informer" });
    const server = new URL(namespace.kubeConfig.getCurrentCluster()?.server ?? "");
    proxy = await startTcpProxy(server);
    requests = new ResourceClient<RemediationRequest>(namespace.kubeConfig, remediationRequests);
    lists = 0;
    expireWatches = false;
    events = [];
    const real = resourceListerWatcher<KubeObject>(
      throughPort(namespace.kubeConfig, proxy.port),
      remediationRequests,
      {
        namespace: namespace.name,
      },
    );
    // The real list/watch, counting lists, and able to watch from an expired version until the next list.
    const source: ListerWatcher<KubeObject> = {
      list: () => {
        lists++;
        expireWatches = false;
        return real.list();
      },
      watch: (resourceVersion, onEvent, signal) =>
        real.watch(expireWatches ? "1" : resourceVersion, onEvent, signal),
    };
    informer = new Informer(source, { name: "recovery", backoff: { baseMs: 100, capMs: 400 } });
    informer.on((event) => events.push(describeEvent(event)));
  });

  afterEach(async () => {
    await informer?.stop();
    await proxy.close();
    await namespace.delete();
  });

  const key = (name: string) => ({ namespace: namespace.name, name });

  it("resumes after the connection breaks and delivers the changes made meanwhile, without listing again", async () => {
    await requests.create(remediationRequest(namespace.name, "a"));
    informer?.start();
    await informer?.waitForSync();
    expect(events).toEqual(["added a -"]);
    expect(proxy.openConnections).toBeGreaterThan(0);

    proxy.cut();
    await requests.patchStatus(key("a"), { phase: "processing" });
    await requests.create(remediationRequest(namespace.name, "b"));
    // The changes are made while the informer cannot reach the API server: it tries to reconnect and fails.
    const refused = proxy.refused;
    await waitFor("a reconnect to be refused", () => proxy.refused > refused, 15_000);
    proxy.restore();

    await waitFor("the changes made while disconnected", () => events.length >= 3, 15_000);
    expect(events).toEqual(["added a -", "updated a processing", "added b -"]);
    expect(lists).toBe(1);
    expect(informer?.get(namespace.name, "a")?.metadata?.resourceVersion).toBe(
      (await requests.get(key("a")))?.metadata?.resourceVersion,
    );
  });

  it("lists again when the watch's resourceVersion has expired (410) and reports every difference", async () => {
    await requests.create(remediationRequest(namespace.name, "a"));
    await requests.create(remediationRequest(namespace.name, "c"));
    informer?.start();
    await informer?.waitForSync();

    proxy.cut();
    expireWatches = true;
    await requests.patchStatus(key("a"), { phase: "analyzing" });
    await requests.delete(key("c"));
    await requests.create(remediationRequest(namespace.name, "b"));
    proxy.restore();

    await waitFor("a second list after 410 Gone", () => lists === 2 && events.length >= 5, 15_000);
    expect(events.slice(0, 2).sort()).toEqual(["added a -", "added c -"]);
    expect(events.slice(2).sort()).toEqual(["added b -", "deleted c", "updated a analyzing"]);
    expect(
      informer
        ?.list()
        .map((object) => object.metadata?.name)
        .sort(),
    ).toEqual(["a", "b"]);

    // Watching continues from the fresh list.
    await requests.patchStatus(key("b"), { phase: "processing" });
    await waitFor("an update after the re-list", () => events.includes("updated b processing"), 10_000);
  });
});
