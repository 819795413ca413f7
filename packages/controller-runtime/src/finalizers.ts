import type { JsonPatchOperation, ResourceClient } from "./client.js";
import { statusCodeOf } from "./errors.js";
import { type KubeObject, objectKeyOf } from "./objects.js";

export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return object.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** Adds `finalizer` to the object; answers the updated object (or `object` when it already had it). */
export function addFinalizer<T extends KubeObject>(client: ResourceClient<T>, object: T, finalizer: string) {
  return updateFinalizers(client, object, (finalizers) =>
    finalizers.includes(finalizer) ? undefined : [...finalizers, finalizer],
  );
}

/**
 * Removes `finalizer`; answers the updated object, or `undefined` when the object is gone (which is
 * what happens when this was the last finalizer of an object being deleted).
 */
export function removeFinalizer<T extends KubeObject>(
  client: ResourceClient<T>,
  object: T,
  finalizer: string,
) {
  return updateFinalizers(client, object, (finalizers) =>
    finalizers.includes(finalizer) ? finalizers.filter((candidate) => candidate !== finalizer) : undefined,
  );
}

/**
 * Writes the finalizer list with a JSON patch guarded by a `test` of metadata.resourceVersion, so a
 * concurrent writer's finalizer is never lost; on a stale version it re-reads and tries again.
 */
async function updateFinalizers<T extends KubeObject>(
  client: ResourceClient<T>,
  object: T,
  change: (finalizers: string[]) => string[] | undefined,
  attempts = 5,
): Promise<T | undefined> {
  const key = objectKeyOf(object);
  let current: T | undefined = object;
  for (let attempt = 1; current; attempt++) {
    const finalizers = change(current.metadata?.finalizers ?? []);
    if (!finalizers) return current;
    const resourceVersion = current.metadata?.resourceVersion;
    if (!resourceVersion)
      throw new Error(`${client.kind.kind} ${key.namespace}/${key.name} has no resourceVersion`);
    const operations: JsonPatchOperation[] = [
      { op: "test", path: "/metadata/resourceVersion", value: resourceVersion },
      {
        op: current.metadata?.finalizers ? "replace" : "add",
        path: "/metadata/finalizers",
        value: finalizers,
      },
    ];
    try {
      return await client.jsonPatch(key, operations);
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 404) return undefined;
      // A failed `test` is answered 422 by some API server versions and 409 by others.
      if ((status !== 409 && status !== 422) || attempt >= attempts) throw error;
    }
    current = await client.get(key);
  }
  return undefined;
}
