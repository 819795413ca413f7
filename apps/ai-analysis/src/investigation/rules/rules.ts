import type { RecommendedAction, RootCauseFinding } from "../findings.js";
import type { InvestigationRequest } from "../request.js";
import {
  containers,
  deploymentTarget,
  eventsWithReason,
  nodeTarget,
  podTarget,
  recommend,
  reportedText,
  scalableTarget,
  workloadTarget,
} from "./signals.js";

export interface RuleDiagnosis {
  rootCause: RootCauseFinding;
  recommendations: RecommendedAction[];
}

/** One known failure pattern: it diagnoses the signal when its evidence is present, else answers undefined. */
export interface InvestigationRule {
  readonly name: string;
  diagnose(request: InvestigationRequest): RuleDiagnosis | undefined;
}

/**
 * Evidence seen in the cluster (container states, node conditions, events) is worth more than a symptom that
 * only the alert's name reports.
 */
function confidenceOf(observed: readonly string[], observedConfidence: number, reportedConfidence: number) {
  return observed.length > 0 ? observedConfidence : reportedConfidence;
}

const oomKilled: InvestigationRule = {
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

const crashLoop: InvestigationRule = {
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

const highCpu: InvestigationRule = {
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

const highMemory: InvestigationRule = {
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

const diskPressure: InvestigationRule = {
  name: "disk-pressure",
  diagnose(request) {
    const observed = [
      ...(request.cluster.node?.problems.includes("DiskPressure")
        ? [`node ${request.cluster.node.name} reports DiskPressure`]
        : []),
      ...eventsWithReason(request, ["EvictionThresholdMet", "FreeDiskSpaceFailed", "ImageGCFailed"]),
    ];
    if (observed.length === 0 && !/disk|filesystem|ephemeral/.test(reportedText(request))) return undefined;
    return {
      rootCause: {
        hypothesis: "node disk nearly full (images, logs or ephemeral storage)",
        confidence: confidenceOf(observed, 0.85, 0.65),
        evidence:
          observed.length > 0 ? observed : [`signal ${request.alert.signalName} reports low disk space`],
      },
      recommendations: [
        ...recommend(
          "clean-disk",
          nodeTarget(request),
          0.75,
          "Unused images and rotated logs are usually what fills a node's disk.",
        ),
        ...recommend(
          "cordon-node",
          nodeTarget(request),
          0.4,
          "Stops new pods landing on the node until it is cleaned.",
        ),
      ],
    };
  },
};

const PULL_FAILURES = ["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"];

const imagePull: InvestigationRule = {
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

const nodeNotReady: InvestigationRule = {
  name: "node-not-ready",
  diagnose(request) {
    const node = request.cluster.node;
    const observed = node?.problems.includes("NotReady") ? [`node ${node.name} is NotReady`] : [];
    if (observed.length === 0 && !/node.{0,40}(not ?ready|unreachable)/.test(reportedText(request))) {
      return undefined;
    }
    return {
      rootCause: {
        hypothesis: "node not ready (kubelet down, node out of resources, or network partition)",
        confidence: confidenceOf(observed, 0.85, 0.65),
        evidence:
          observed.length > 0 ? observed : [`signal ${request.alert.signalName} reports a node not ready`],
      },
      recommendations: [
        ...recommend(
          "cordon-node",
          nodeTarget(request),
          0.7,
          "Keeps new pods off the node while it is unhealthy.",
        ),
        ...recommend("drain-node", nodeTarget(request), 0.65, "Moves the node's workloads to healthy nodes."),
      ],
    };
  },
};

/** The known failure patterns, most specific first. */
export const INVESTIGATION_RULES: readonly InvestigationRule[] = [
  oomKilled,
  crashLoop,
  imagePull,
  diskPressure,
  nodeNotReady,
  highMemory,
  highCpu,
];
