import { createTestNamespace, statusCodeOf, type TestNamespace } from "@kubernaut/testing/kube";
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { group, kinds, version } from "../../src/index.js";
import {
  fullAIAnalysis,
  fullRemediationProcessing,
  fullRemediationRequest,
  fullWorkflowExecution,
} from "../fixtures.js";

interface Stored {
  spec: unknown;
  status?: unknown;
}

describe("the API server and the zod schemas agree", () => {
  let namespace: TestNamespace;
  let api: CustomObjectsApi;

  beforeAll(async () => {
    namespace = await createTestNamespace({ prefix: "crds" });
    api = namespace.kubeConfig.makeApiClient(CustomObjectsApi);
  });

  afterAll(async () => {
    await namespace.delete();
  });

  const cases = [
    ["RemediationRequest", kinds.remediationRequest.plural, fullRemediationRequest],
    ["RemediationProcessing", kinds.remediationProcessing.plural, fullRemediationProcessing],
    ["AIAnalysis", kinds.aiAnalysis.plural, fullAIAnalysis],
    ["WorkflowExecution", kinds.workflowExecution.plural, fullWorkflowExecution],
  ] as const;

  it.each(cases)(
    "a fully populated %s is stored without losing or changing a field",
    async (_, plural, build) => {
      const object = build(namespace.name);
      const { status, ...withoutStatus } = object;
      const path = { group, version, namespace: namespace.name, plural };
      await api.createNamespacedCustomObject({ ...path, body: withoutStatus });
      await api.patchNamespacedCustomObjectStatus(
        { ...path, name: object.metadata.name ?? "", body: { status } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      const stored = (await api.getNamespacedCustomObject({
        ...path,
        name: object.metadata.name ?? "",
      })) as Stored;
      // Pruning would drop any field the generated schema lacks, so equality proves the two schemas match.
      expect(stored.spec).toEqual(object.spec);
      expect(stored.status).toEqual(status);
    },
  );

  it("keeps empty strings, which conditions and messages often are", async () => {
    const request = fullRemediationRequest(namespace.name);
    const path = { group, version, namespace: namespace.name, plural: kinds.remediationRequest.plural };
    const status = {
      errorMessage: "",
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "Done",
          message: "",
          lastTransitionTime: "2025-01-15T10:00:00Z",
        },
      ],
    };
    await api.createNamespacedCustomObject({
      ...path,
      body: { ...request, metadata: { name: "empty-strings" }, status: undefined },
    });
    await api.patchNamespacedCustomObjectStatus(
      { ...path, name: "empty-strings", body: { status } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    const stored = (await api.getNamespacedCustomObject({ ...path, name: "empty-strings" })) as Stored;
    expect(stored.status).toEqual(status);
  });

  it("rejects what the zod schema rejects: a bad enum, a probability above 1, a missing required field", async () => {
    const path = { group, version, namespace: namespace.name, plural: kinds.remediationRequest.plural };
    const request = fullRemediationRequest(namespace.name);
    const badSeverity = {
      ...request,
      metadata: { name: "bad-severity" },
      spec: { ...request.spec, severity: "urgent" },
    };
    const error = await api
      .createNamespacedCustomObject({ ...path, body: badSeverity })
      .catch((caught: unknown) => caught);
    expect(statusCodeOf(error)).toBe(422);
    expect(String((error as { body?: unknown }).body)).toContain("spec.severity");

    const { signalName: _, ...specWithoutName } = request.spec;
    const missing = { ...request, metadata: { name: "missing-name" }, spec: specWithoutName };
    expect(
      statusCodeOf(
        await api.createNamespacedCustomObject({ ...path, body: missing }).catch((caught: unknown) => caught),
      ),
    ).toBe(422);

    const analysis = fullAIAnalysis(namespace.name);
    const analysisPath = { ...path, plural: kinds.aiAnalysis.plural };
    await api.createNamespacedCustomObject({
      ...analysisPath,
      body: { ...analysis, metadata: { name: "bounds" }, status: undefined },
    });
    const overConfident = await api
      .patchNamespacedCustomObjectStatus(
        { ...analysisPath, name: "bounds", body: { status: { confidenceScore: 1.5 } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      )
      .catch((caught: unknown) => caught);
    expect(statusCodeOf(overConfident)).toBe(422);
  });

  it("checks durations with Go's grammar, as the storage service does: a negative one is refused", async () => {
    const path = { group, version, namespace: namespace.name, plural: kinds.remediationRequest.plural };
    const request = fullRemediationRequest(namespace.name);
    const withTimeout = (name: string, overall: string) => ({
      ...request,
      metadata: { name },
      spec: { ...request.spec, timeouts: { overall } },
      status: undefined,
    });
    for (const [i, overall] of ["1h2m3.5s", ".5s", "5.s", "12µs", "0"].entries()) {
      await api.createNamespacedCustomObject({ ...path, body: withTimeout(`go-duration-${i}`, overall) });
    }
    for (const [i, overall] of ["-5s", "5", "1d", ".s"].entries()) {
      const refused = await api
        .createNamespacedCustomObject({ ...path, body: withTimeout(`not-go-duration-${i}`, overall) })
        .catch((caught: unknown) => caught);
      expect(statusCodeOf(refused), overall).toBe(422);
      expect(String((refused as { body?: unknown }).body)).toContain("spec.timeouts.overall");
    }
  });
});
