/** The owner reference fields of `metav1.OwnerReference`. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** The `metav1.ObjectMeta` fields the runtime reads; times are RFC 3339 strings as the API sends them. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
}

/** Any Kubernetes object as JSON. The types of `@kubernaut/crds` satisfy it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** Identifies one namespaced object: what a reconcile is asked to converge. */
export interface ObjectKey {
  namespace: string;
  name: string;
}

/** A resource served under `/apis/<group>/<version>/<plural>` (custom resources and other non-core groups). */
export interface ResourceKind {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

export function apiVersionOf(kind: ResourceKind): string {
  return `${kind.group}/${kind.version}`;
}

export function objectKeyOf(object: KubeObject): ObjectKey {
  const name = object.metadata?.name;
  const namespace = object.metadata?.namespace;
  if (!name || !namespace) {
    throw new Error(`object ${object.kind ?? "?"} has no metadata.name or metadata.namespace`);
  }
  return { namespace, name };
}

/** `namespace/name`, the work queue key. */
export function formatObjectKey(key: ObjectKey): string {
  return `${key.namespace}/${key.name}`;
}

export function parseObjectKey(key: string): ObjectKey {
  const slash = key.indexOf("/");
  if (slash <= 0 || slash === key.length - 1) throw new Error(`object key "${key}" is not namespace/name`);
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
