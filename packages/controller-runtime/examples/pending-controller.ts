import { kinds, type RemediationRequest } from "@kubernaut/crds";
import { Registry } from "prom-client";
import { Manager, type ObjectKey, runManager, setCondition } from "../src/index.js";

// Marks every new RemediationRequest "pending", and reconciles it again whenever a child changes.
const manager = new Manager({
  registry: new Registry(),
  leaderElection: { name: "pending-controller", namespace: process.env.POD_NAMESPACE ?? "default" },
  probes: { port: 8081 },
});
const requests = manager.client<RemediationRequest>(kinds.remediationRequest);
const events = manager.eventRecorder("pending-controller");

manager.addController({
  name: "pending-controller",
  for: kinds.remediationRequest,
  owns: [kinds.remediationProcessing, kinds.aiAnalysis],
  reconciler: {
    async reconcile(key: ObjectKey) {
      const request = await requests.get(key);
      if (!request || request.status?.phase) return {};
      const now = new Date();
      await requests.patchStatus(key, {
        phase: "pending",
        startTime: now.toISOString(),
        phaseTransitions: { pending: now.toISOString() },
        conditions: setCondition(request.status?.conditions, {
          type: "Ready",
          status: "False",
          reason: "Pending",
          message: "waiting for processing",
        }),
      });
      await events.event(request, "Normal", "Pending", `signal ${request.spec.signalName} accepted`);
      return { requeueAfter: 60_000 };
    },
  },
});
await runManager(manager);
