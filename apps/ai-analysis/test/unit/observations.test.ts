import type { CoreV1Event, V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { observeEvents, observeNode, observePod } from "../../src/kube/observations.js";

describe("cluster observations", () => {
  it("reads each container's state, last termination and limits from a pod", () => {
    const pod: V1Pod = {
      metadata: { name: "api-1", namespace: "payments" },
      spec: {
        nodeName: "node-1",
        containers: [
          { name: "api", image: "registry/api:1", resources: { limits: { memory: "256Mi", cpu: "500m" } } },
          { name: "sidecar", image: "registry/proxy:2" },
        ],
      },
      status: {
        phase: "Running",
        containerStatuses: [
          {
            name: "api",
            image: "registry/api:1",
            imageID: "",
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 137, reason: "OOMKilled" } },
          },
          { name: "sidecar", image: "", imageID: "", ready: true, restartCount: 0, state: { running: {} } },
        ],
      },
    };
    expect(observePod(pod)).toEqual({
      name: "api-1",
      namespace: "payments",
      phase: "Running",
      nodeName: "node-1",
      containers: [
        {
          name: "api",
          ready: false,
          restartCount: 4,
          waitingReason: "CrashLoopBackOff",
          lastTerminatedReason: "OOMKilled",
          lastExitCode: 137,
          image: "registry/api:1",
          memoryLimit: "256Mi",
          cpuLimit: "500m",
        },
        { name: "sidecar", ready: true, restartCount: 0, image: "registry/proxy:2" },
      ],
    });
  });

  it("lists a node's true pressure conditions and NotReady", () => {
    const node: V1Node = {
      metadata: { name: "node-1" },
      spec: { unschedulable: true },
      status: {
        conditions: [
          { type: "Ready", status: "Unknown" },
          { type: "DiskPressure", status: "True" },
          { type: "MemoryPressure", status: "False" },
        ],
      },
    };
    expect(observeNode(node)).toEqual({
      name: "node-1",
      unschedulable: true,
      problems: ["NotReady", "DiskPressure"],
    });
  });

  it("keeps the newest events first", () => {
    const event = (reason: string, at: string): CoreV1Event => ({
      metadata: {},
      involvedObject: {},
      reason,
      message: reason,
      type: "Warning",
      lastTimestamp: new Date(at),
    });
    const events = [
      event("A", "2025-01-15T10:00:00Z"),
      event("B", "2025-01-15T10:05:00Z"),
      event("C", "2025-01-15T09:00:00Z"),
    ];
    expect(observeEvents(events, 2).map((e) => e.reason)).toEqual(["B", "A"]);
  });
});
