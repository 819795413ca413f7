import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  containerResources,
  eventContext,
  labelSelectorString,
  podContext,
  recentEvents,
} from "../../src/enrichment/kube-objects.js";

describe("podContext", () => {
  it("keeps each container's state, restarts and last termination reason", () => {
    const pod: V1Pod = {
      metadata: { name: "api-1" },
      status: {
        phase: "Running",
        containerStatuses: [
          {
            name: "app",
            image: "app:1",
            imageID: "",
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 137, reason: "OOMKilled" } },
          },
          {
            name: "sidecar",
            image: "s:1",
            imageID: "",
            ready: true,
            restartCount: 0,
            state: { running: {} },
          },
        ],
      },
    };
    expect(podContext(pod)).toEqual({
      name: "api-1",
      phase: "Running",
      containers: [
        {
          name: "app",
          ready: false,
          restartCount: 4,
          state: "CrashLoopBackOff",
          lastTerminationReason: "OOMKilled",
          lastExitCode: 137,
        },
        { name: "sidecar", ready: true, restartCount: 0, state: "Running" },
      ],
    });
  });
});

describe("containerResources", () => {
  it("keeps requests and limits as written", () => {
    expect(
      containerResources([
        { name: "app", resources: { requests: { cpu: "100m" }, limits: { memory: "256Mi" } } },
        { name: "bare" },
      ]),
    ).toEqual([{ name: "app", requests: { cpu: "100m" }, limits: { memory: "256Mi" } }, { name: "bare" }]);
  });
});

describe("events", () => {
  it("describes an event and orders them newest first", () => {
    const old = eventContext({
      metadata: {},
      involvedObject: { kind: "Pod", name: "api-1" },
      reason: "Killing",
      message: "OOM",
      type: "Warning",
      lastTimestamp: new Date("2025-01-01T00:00:00Z"),
    });
    const recent = { ...old, reason: "BackOff", lastSeen: "2025-01-02T00:00:00.000Z" };
    expect(old).toEqual({
      type: "Warning",
      reason: "Killing",
      message: "OOM",
      count: 1,
      involvedObject: "Pod/api-1",
      lastSeen: "2025-01-01T00:00:00.000Z",
    });
    expect(recentEvents([old, recent], 1)).toEqual([recent]);
  });
});

describe("labelSelectorString", () => {
  it("writes matchLabels and matchExpressions in list-call form", () => {
    expect(
      labelSelectorString({
        matchLabels: { app: "api" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["web", "api"] },
          { key: "canary", operator: "DoesNotExist" },
        ],
      }),
    ).toBe("app=api,tier in (web,api),!canary");
    expect(labelSelectorString(undefined)).toBeUndefined();
    expect(labelSelectorString({})).toBeUndefined();
  });
});
