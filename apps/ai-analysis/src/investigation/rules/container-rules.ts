// Failure patterns of a workload's containers: memory, crashes, images and CPU.

import type { InvestigationRule } from "./rules.js";
import {
  confidenceOf,
  containers,
  deploymentTarget,
  eventsWithReason,
  podTarget,
  recommend,
  reportedText,
  scalableTarget,
  workloadTarget,
} from "./signals.js";

export const oomKilled: InvestigationRule = {
  name: "oom-killed",
  diagnose(request) {
    const observed = [
      ...containers(request)
        .filter((c) => c.lastTerminatedReason === "OOMKilled" || c.terminatedReason === "OOMKilled")
        .map(
          (c) =>
            `container ${c.name} was OOMKilled (restarts ${c.restartCount}, memory limit ${c.memoryLimit ?? "unset"})`,
        ),
      ...eventsWithReason(request, ["OOMKilling", "OOMKilled"]),
    ];
    const reported = /oom/.test(reportedText(request));
    if (observed.length === 0 && !reported) return undefined;
    const container =
      containers(request).find((c) => c.lastTerminatedReason === "OOMKilled") ?? containers(request)[0];
    const parameters: Record<string, string> = { increasePercent: "50" };
    if (container) parameters.container = container.name;
    if (container?.memoryLimit) parameters.currentLimit = container.memoryLimit;
    return {
      rootCause: {
        hypothesis: "memory limit too low",
        confidence: confidenceOf(observed, 0.9, 0.7),
        evidence: observed.length > 0 ? observed : [`signal ${request.alert.signalName} reports an OOM kill`],
      },
      recommendations: [
        ...recommend(
          "increase-memory-limit",
          workloadTarget(request),
          0.85,
          "The kernel killed the container for exceeding its memory limit; a higher limit removes the cause.",
          parameters,
        ),
        ...recommend(
          "restart-pod",
          podTarget(request),
          0.35,
          "A restart relieves the symptom, but the container will reach the same limit again.",
        ),
      ],
    };
  },
};

export const crashLoop: InvestigationRule = {
  name: "crash-loop-back-off",
  diagnose(request) {
    const looping = containers(request).filter(
      (c) => c.waitingReason === "CrashLoopBackOff" && c.lastTerminatedReason !== "OOMKilled",
    );
    const observed = [
      ...looping.map(
        (c) => `container ${c.name} is in CrashLoopBackOff (exit code ${c.lastExitCode ?? "unknown"})`,
      ),
      ...eventsWithReason(request, ["BackOff"]),
    ];
    const oomLoop = containers(request).some((c) => c.lastTerminatedReason === "OOMKilled");
    if (oomLoop || (looping.length === 0 && !/crashloop/.test(reportedText(request)))) return undefined;
    return {
      rootCause: {
        hypothesis: "application exits on start-up (bad release or configuration)",
        confidence: looping.length > 0 ? 0.75 : 0.6,
        evidence:
          observed.length > 0 ? observed : [`signal ${request.alert.signalName} reports a crash loop`],
      },
      recommendations: [
        ...recommend(
          "rollback-deployment",
          deploymentTarget(request),
          0.7,
          "Crash loops most often follow a new release; the previous revision is known to start.",
        ),
        ...recommend(
          "restart-pod",
          podTarget(request),
          0.3,
          "Clears a transient start-up failure such as an unavailable dependency.",
        ),
      ],
    };
  },
};

const PULL_FAILURES = ["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"];

export const imagePull: InvestigationRule = {
  name: "image-pull-error",
  diagnose(request) {
    const failing = containers(request).filter(
      (c) => c.waitingReason && PULL_FAILURES.includes(c.waitingReason),
    );
    const observed = [
      ...failing.map((c) => `container ${c.name} cannot pull ${c.image ?? "its image"} (${c.waitingReason})`),
      ...eventsWithReason(request, ["ErrImagePull", "ImagePullBackOff"]),
    ];
    if (observed.length === 0 && !/imagepull|errimagepull|image pull/.test(reportedText(request)))
      return undefined;
    const parameters: Record<string, string> = {};
    if (failing[0]) parameters.container = failing[0].name;
    if (failing[0]?.image) parameters.image = failing[0].image;
    return {
      rootCause: {
        hypothesis: "image cannot be pulled (wrong name or tag, or missing pull credentials)",
        confidence: confidenceOf(observed, 0.9, 0.65),
        evidence:
          observed.length > 0
            ? observed
            : [`signal ${request.alert.signalName} reports an image pull failure`],
      },
      recommendations: [
        ...recommend(
          "fix-image-reference",
          workloadTarget(request),
          0.8,
          "The pod can only start once its image reference resolves.",
          parameters,
        ),
        ...recommend(
          "rollback-deployment",
          deploymentTarget(request),
          0.6,
          "The previous revision's image was pullable.",
        ),
      ],
    };
  },
};

export const highMemory: InvestigationRule = {
  name: "high-memory",
  diagnose(request) {
    const text = reportedText(request);
    if (!/memory/.test(text) || /oom/.test(text)) return undefined;
    if (containers(request).some((c) => c.lastTerminatedReason === "OOMKilled")) return undefined;
    return {
      rootCause: {
        hypothesis: "memory usage near the limit (leak or undersized limit)",
        confidence: 0.65,
        evidence: [`signal ${request.alert.signalName} reports high memory usage`],
      },
      recommendations: [
        ...recommend(
          "increase-memory-limit",
          workloadTarget(request),
          0.7,
          "Headroom prevents the OOM kill that would follow.",
          { increasePercent: "25" },
        ),
        ...recommend(
          "restart-pod",
          podTarget(request),
          0.5,
          "Releases memory held by a leak until it is fixed.",
        ),
        ...recommend(
          "scale-deployment",
          scalableTarget(request),
          0.4,
          "Spreads per-request memory over replicas.",
          {
            replicaIncrease: "1",
          },
        ),
      ],
    };
  },
};

export const highCpu: InvestigationRule = {
  name: "high-cpu",
  diagnose(request) {
    if (!/cpu/.test(reportedText(request))) return undefined;
    const limits = containers(request)
      .filter((c) => c.cpuLimit)
      .map((c) => `container ${c.name} CPU limit ${c.cpuLimit}`);
    return {
      rootCause: {
        hypothesis: "CPU limit too low for the current load",
        confidence: 0.7,
        evidence: [`signal ${request.alert.signalName} reports high CPU usage or throttling`, ...limits],
      },
      recommendations: [
        ...recommend(
          "increase-cpu-limit",
          workloadTarget(request),
          0.7,
          "Throttled containers respond slowly; a higher limit gives them the CPU the load needs.",
          { increasePercent: "50" },
        ),
        ...recommend(
          "scale-deployment",
          scalableTarget(request),
          0.65,
          "More replicas spread the load when it is traffic-driven.",
          { replicaIncrease: "1" },
        ),
      ],
    };
  },
};
