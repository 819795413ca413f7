/**
 * What names an audit record in logs, so a dropped or rejected record can be traced back to its
 * remediation: the kind, the event id and whichever correlation fields the kind has.
 */
export interface RecordIdentity {
  kind: string;
  event_id: string;
  remediation_name?: string;
  remediation_id?: string;
  crd_namespace?: string;
  crd_name?: string;
  alert_fingerprint?: string;
}

const CORRELATION_FIELDS = [
  "remediation_name",
  "remediation_id",
  "crd_namespace",
  "crd_name",
  "alert_fingerprint",
] as const;

export function identityOf(record: Readonly<Record<string, unknown>>): RecordIdentity {
  const identity: RecordIdentity = {
    kind: String(record.kind),
    event_id: String(record.event_id),
  };
  for (const field of CORRELATION_FIELDS) {
    const value = record[field];
    if (typeof value === "string" && value !== "") identity[field] = value;
  }
  return identity;
}
