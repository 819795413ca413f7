// Failure patterns of a node: a full disk and a node that stopped reporting.

import type { InvestigationRule } from "./rules.js";
import { confidenceOf, eventsWithReason, nodeTarget, recommend, reportedText } from "./signals.js";

export const diskPressure: InvestigationRule = {
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

export const nodeNotReady: InvestigationRule = {
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
