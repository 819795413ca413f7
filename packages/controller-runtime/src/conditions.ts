/** The shape of `metav1.Condition`. */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export type ConditionInput = Omit<Condition, "lastTransitionTime">;

/**
 * Returns `conditions` with `condition` set (a new array; the input is not changed). `lastTransitionTime`
 * moves to `now` only when the status changes, so it records when the condition last flipped.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  condition: ConditionInput,
  now: Date = new Date(),
): Condition[] {
  const current = conditions?.find((candidate) => candidate.type === condition.type);
  const lastTransitionTime =
    current && current.status === condition.status ? current.lastTransitionTime : now.toISOString();
  const updated: Condition = { ...condition, lastTransitionTime };
  if (!current) return [...(conditions ?? []), updated];
  return (conditions ?? []).map((candidate) => (candidate.type === condition.type ? updated : candidate));
}

export function getCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((candidate) => candidate.type === type);
}

export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return getCondition(conditions, type)?.status === "True";
}

export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((candidate) => candidate.type !== type);
}
