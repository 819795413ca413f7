import { describe, expect, it } from "vitest";
import {
  controllerOwnerOf,
  formatObjectKey,
  type KubeObject,
  ownerReferenceFor,
  parseObjectKey,
  setControllerReference,
} from "../../src/index.js";

const owner: KubeObject = {
  apiVersion: "kubernaut.ai/v1alpha1",
  kind: "RemediationRequest",
  metadata: { name: "rr", namespace: "ns", uid: "uid-1" },
};

describe("owner references", () => {
  it("make the owner the controller of a child", () => {
    const child: KubeObject = setControllerReference(owner, {
      kind: "RemediationProcessing",
      metadata: { name: "rp", namespace: "ns" },
    });
    expect(controllerOwnerOf(child)).toEqual({
      apiVersion: "kubernaut.ai/v1alpha1",
      kind: "RemediationRequest",
      name: "rr",
      uid: "uid-1",
      controller: true,
      blockOwnerDeletion: true,
    });
    setControllerReference(owner, child);
    expect(child.metadata?.ownerReferences).toHaveLength(1);
  });

  it("refuse a second controller, and an owner without a uid", () => {
    const child = setControllerReference(owner, { metadata: { name: "rp", namespace: "ns" } });
    const other = { ...owner, metadata: { ...owner.metadata, uid: "uid-2", name: "other" } };
    expect(() => setControllerReference(other, child)).toThrow(/already controlled by RemediationRequest rr/);
    expect(() => ownerReferenceFor({ ...owner, metadata: { name: "rr" } })).toThrow(/metadata.uid/);
  });

  it("keep plain owner references apart from the controller one", () => {
    const child: KubeObject = {
      metadata: { ownerReferences: [ownerReferenceFor(owner, { controller: false })] },
    };
    expect(controllerOwnerOf(child)).toBeUndefined();
  });
});

describe("object keys", () => {
  it("round-trip namespace/name and reject malformed keys", () => {
    expect(parseObjectKey(formatObjectKey({ namespace: "ns", name: "a" }))).toEqual({
      namespace: "ns",
      name: "a",
    });
    expect(() => parseObjectKey("no-slash")).toThrow(/not namespace\/name/);
    expect(() => parseObjectKey("/name")).toThrow(/not namespace\/name/);
  });
});
