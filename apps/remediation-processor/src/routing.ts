export interface RoutingDecision {
  routedToService: string;
  /** 0 is the most urgent, matching the P-number of the business priority. */
  routingPriority: number;
  routingKey: string;
}

/** Every classified signal goes on to AI analysis; the priority orders the work there. */
export const AI_ANALYSIS_SERVICE = "ai-analysis";

/** `<environment>.<priority>.<fingerprint>`, e.g. `production.P0.mem-pressure-prod-123`. */
export function routingKey(environment: string, priority: string, fingerprint: string): string {
  return `${environment}.${priority}.${fingerprint}`;
}

/** The lowest priority, for a business priority that is not P0–P3. */
const LOWEST_PRIORITY = 3;

export function route(input: {
  environment: string;
  businessPriority: string;
  fingerprint: string;
}): RoutingDecision {
  const digit = /^P([0-3])$/.exec(input.businessPriority)?.[1];
  return {
    routedToService: AI_ANALYSIS_SERVICE,
    routingPriority: digit === undefined ? LOWEST_PRIORITY : Number(digit),
    routingKey: routingKey(input.environment, input.businessPriority, input.fingerprint),
  };
}
