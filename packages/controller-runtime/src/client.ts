import {
  type ConfigurationOptions,
  CustomObjectsApi,
  type KubeConfig,
  type ObservableMiddleware,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { isNotFound, toKubeApiError } from "./errors.js";
import {
  apiVersionOf,
  formatObjectKey,
  type KubeObject,
  type ObjectKey,
  objectKeyOf,
  type ResourceKind,
} from "./objects.js";

/** One RFC 6902 JSON patch operation. */
export type JsonPatchOperation =
  | { op: "add" | "replace" | "test"; path: string; value: unknown }
  | { op: "remove"; path: string };

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

type StatusOf<T> = T extends { status?: infer S } ? NonNullable<S> : Record<string, unknown>;

/** A merge patch of `S`: the fields to set, or `null` to remove one. */
export type MergePatch<S> = { [K in keyof S]?: S[K] | null };

const withContentType = (contentType: string): ConfigurationOptions<ObservableMiddleware> =>
  setHeaderOptions("Content-Type", contentType);

/**
 * Typed access to one namespaced resource kind. Every failure is a `KubeApiError` whose message names
 * the operation and the object; `get` answers `undefined` for an object that does not exist.
 */
export class ResourceClient<T extends KubeObject> {
  private readonly api: CustomObjectsApi;
  private readonly path: { group: string; version: string; plural: string };

  constructor(
    kubeConfig: KubeConfig,
    readonly kind: ResourceKind,
  ) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
    this.path = { group: kind.group, version: kind.version, plural: kind.plural };
  }

  async get(key: ObjectKey): Promise<T | undefined> {
    try {
      return (await this.api.getNamespacedCustomObject({ ...this.path, ...key })) as T;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toKubeApiError(error, `get ${this.describe(key)}`);
    }
  }

  /** Lists one namespace, or all namespaces when `namespace` is omitted. */
  async list(options: { namespace?: string; labelSelector?: string } = {}): Promise<ListResult<T>> {
    const { namespace, labelSelector } = options;
    try {
      const list = (
        namespace
          ? await this.api.listNamespacedCustomObject({ ...this.path, namespace, labelSelector })
          : await this.api.listClusterCustomObject({ ...this.path, labelSelector })
      ) as { items?: T[]; metadata?: { resourceVersion?: string } };
      return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? "" };
    } catch (error) {
      throw toKubeApiError(error, `list ${this.kind.plural}${namespace ? ` in ${namespace}` : ""}`);
    }
  }

  /** Creates `object`; `apiVersion` and `kind` are filled in when missing. */
  async create(object: T, options: { dryRun?: boolean } = {}): Promise<T> {
    const key = objectKeyOf(object);
    const body = { ...object, apiVersion: apiVersionOf(this.kind), kind: this.kind.kind };
    try {
      return (await this.api.createNamespacedCustomObject({
        ...this.path,
        namespace: key.namespace,
        body,
        dryRun: options.dryRun ? "All" : undefined,
      })) as T;
    } catch (error) {
      throw toKubeApiError(error, `create ${this.describe(key)}`);
    }
  }

  /** PUT of the whole object; fails with 409 when `metadata.resourceVersion` is stale. Status is ignored. */
  async replace(object: T): Promise<T> {
    const key = objectKeyOf(object);
    try {
      return (await this.api.replaceNamespacedCustomObject({ ...this.path, ...key, body: object })) as T;
    } catch (error) {
      throw toKubeApiError(error, `replace ${this.describe(key)}`);
    }
  }

  /** Deletes the object; answers false when it did not exist. Finalizers may keep it until they are removed. */
  async delete(key: ObjectKey): Promise<boolean> {
    try {
      await this.api.deleteNamespacedCustomObject({ ...this.path, ...key });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw toKubeApiError(error, `delete ${this.describe(key)}`);
    }
  }

  /** RFC 7386 merge patch of the object (status excluded: use `patchStatus`). */
  async mergePatch(key: ObjectKey, patch: object): Promise<T> {
    try {
      return (await this.api.patchNamespacedCustomObject(
        { ...this.path, ...key, body: patch },
        withContentType(PatchStrategy.MergePatch),
      )) as T;
    } catch (error) {
      throw toKubeApiError(error, `merge-patch ${this.describe(key)}`);
    }
  }

  /** RFC 6902 JSON patch; a failing `test` operation rejects the whole patch. */
  async jsonPatch(key: ObjectKey, operations: JsonPatchOperation[]): Promise<T> {
    try {
      return (await this.api.patchNamespacedCustomObject(
        { ...this.path, ...key, body: operations },
        withContentType(PatchStrategy.JsonPatch),
      )) as T;
    } catch (error) {
      throw toKubeApiError(error, `json-patch ${this.describe(key)}`);
    }
  }

  /**
   * Merge patch of `/status` with `{ status }`: only the given fields change (`null` removes one) and
   * there is no resourceVersion precondition, so concurrent writers of different fields never conflict.
   */
  async patchStatus(key: ObjectKey, status: MergePatch<StatusOf<T>>): Promise<T> {
    try {
      return (await this.api.patchNamespacedCustomObjectStatus(
        { ...this.path, ...key, body: { status } },
        withContentType(PatchStrategy.MergePatch),
      )) as T;
    } catch (error) {
      throw toKubeApiError(error, `patch status of ${this.describe(key)}`);
    }
  }

  private describe(key: ObjectKey): string {
    return `${this.kind.kind} ${formatObjectKey(key)}`;
  }
}
