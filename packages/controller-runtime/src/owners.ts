import type { KubeObject, OwnerReference } from "./objects.js";

/** An owner reference to `owner`; by default the controller reference, which blocks the owner's foreground deletion. */
export function ownerReferenceFor(
  owner: KubeObject,
  options: { controller?: boolean; blockOwnerDeletion?: boolean } = {},
): OwnerReference {
  const { apiVersion, kind } = owner;
  const { name, uid } = owner.metadata ?? {};
  if (!apiVersion || !kind || !name || !uid) {
    throw new Error(
      "an owner needs apiVersion, kind, metadata.name and metadata.uid (use the object read from the API)",
    );
  }
  return {
    apiVersion,
    kind,
    name,
    uid,
    controller: options.controller ?? true,
    blockOwnerDeletion: options.blockOwnerDeletion ?? true,
  };
}

/**
 * Makes `owner` the controller of `child` (in place, and returns `child`). Kubernetes garbage-collects
 * the child with its owner, and the runtime reconciles the owner when the child changes.
 * Throws when another object already controls the child.
 */
export function setControllerReference<T extends KubeObject>(owner: KubeObject, child: T): T {
  const reference = ownerReferenceFor(owner);
  const existing = controllerOwnerOf(child);
  if (existing && existing.uid !== reference.uid) {
    throw new Error(
      `${child.kind ?? "object"} ${child.metadata?.name ?? ""} is already controlled by ${existing.kind} ${existing.name}`,
    );
  }
  const metadata = child.metadata ?? {};
  const others = (metadata.ownerReferences ?? []).filter((candidate) => candidate.uid !== reference.uid);
  child.metadata = { ...metadata, ownerReferences: [...others, reference] };
  return child;
}

/** The owner reference with `controller: true`, if any. */
export function controllerOwnerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata?.ownerReferences?.find((reference) => reference.controller === true);
}
