/**
 * What names an audit record in logs, so a dropped or rejected record can be traced back to its
 * remediation: the kind, the event id and whichever correlation fields the kind has.
 */
export interface RecordIdentity {
  kind: string;
  event_id: string;
  remediation_name: string | undefined;
  remediation_id: string | undefined;
  crd_namespace: string | undefined;
  crd_name: string | undefined;
  alert_fingerprint: string | undefined;
}

/** Called on every publish, so it builds one fixed-shape object; absent fields are `undefined` (not logged). */
export function identityOf(record: Readonly<Record<string, unknown>>): RecordIdentity {
  return {
    kind: String(record.kind),
    event_id: String(record.event_id),
    remediation_name: text(record.remediation_name),
    remediation_id: text(record.remediation_id),
    crd_namespace: text(record.crd_namespace),
    crd_name: text(record.crd_name),
    alert_fingerprint: text(record.alert_fingerprint),
  };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
