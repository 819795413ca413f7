import type { Severity } from "@kubernaut/crds";
import type { ClassificationMethod } from "@kubernaut/schema/contracts";

export type BusinessPriority = "P0" | "P1" | "P2" | "P3";

/** The environments the priority table knows; a namespace label may name any other, which ranks as "unknown". */
export type KnownEnvironment = "production" | "staging" | "development" | "testing" | "unknown";

export interface EnvironmentClassification {
  environment: string;
  confidence: number;
  businessPriority: BusinessPriority;
  slaRequirement: string;
  classificationMethod: ClassificationMethod;
}

/** Labels an operator sets on a namespace to state its environment, the first one present wins. */
export const ENVIRONMENT_LABELS = ["kubernaut.ai/environment", "environment"] as const;

/**
 * How sure each method is. An explicit label is the operator's word; a name pattern is a convention that
 * usually holds; the fallback is a guess.
 */
export const CONFIDENCE = {
  "namespace-label": 0.95,
  pattern: 0.75,
  fallbackWithHint: 0.5,
  fallback: 0.3,
} as const;

/** Spellings of each environment, in namespace names and label values. Production is checked first. */
const ALIASES: ReadonlyArray<readonly [KnownEnvironment, readonly string[]]> = [
  ["production", ["production", "prod", "prd"]],
  ["staging", ["staging", "stage", "stg"]],
  ["development", ["development", "dev"]],
  ["testing", ["testing", "test", "qa"]],
];

/** Business priority by severity × environment: a critical alert in production is the most urgent. */
const PRIORITY_TABLE: Record<Severity, Record<KnownEnvironment, BusinessPriority>> = {
  critical: { production: "P0", staging: "P1", unknown: "P1", development: "P2", testing: "P2" },
  warning: { production: "P1", staging: "P2", unknown: "P2", development: "P3", testing: "P3" },
  info: { production: "P2", staging: "P3", unknown: "P3", development: "P3", testing: "P3" },
};

/** How soon a remediation of each priority must be under way. */
export const SLA_BY_PRIORITY: Record<BusinessPriority, string> = { P0: "5m", P1: "15m", P2: "1h", P3: "4h" };

/** The known environment a spelling stands for (`prod` → production), if any. */
export function normaliseEnvironment(value: string): KnownEnvironment | undefined {
  const v = value.trim().toLowerCase();
  return ALIASES.find(([, spellings]) => spellings.includes(v))?.[0];
}

/**
 * Finds the environment of a namespace: its environment label, else a well-known word in its name
 * (`payments-prod`), else the signal's own environment hint, else "unknown". Unknown ranks between staging
 * and development in priority: a guess must not silently make an alert less urgent than staging.
 */
export function classifyEnvironment(input: {
  namespace: string | undefined;
  namespaceLabels: Record<string, string> | undefined;
  environmentHint: string | undefined;
}): { environment: string; confidence: number; classificationMethod: ClassificationMethod } {
  for (const label of ENVIRONMENT_LABELS) {
    const value = input.namespaceLabels?.[label]?.trim();
    if (value) {
      return {
        environment: normaliseEnvironment(value) ?? value.toLowerCase().slice(0, 50),
        confidence: CONFIDENCE["namespace-label"],
        classificationMethod: "namespace-label",
      };
    }
  }
  const fromName = input.namespace ? environmentFromName(input.namespace) : undefined;
  if (fromName)
    return { environment: fromName, confidence: CONFIDENCE.pattern, classificationMethod: "pattern" };
  const hint = input.environmentHint ? normaliseEnvironment(input.environmentHint) : undefined;
  if (hint)
    return { environment: hint, confidence: CONFIDENCE.fallbackWithHint, classificationMethod: "fallback" };
  return { environment: "unknown", confidence: CONFIDENCE.fallback, classificationMethod: "fallback" };
}

/** The environment a namespace name states as a whole or as a `-`, `_` or `.` separated segment. */
export function environmentFromName(namespace: string): KnownEnvironment | undefined {
  const segments = namespace.toLowerCase().split(/[-_.]/);
  return ALIASES.find(([, spellings]) => segments.some((s) => spellings.includes(s)))?.[0];
}

export function businessPriority(severity: Severity, environment: string): BusinessPriority {
  const known: KnownEnvironment = normaliseEnvironment(environment) ?? "unknown";
  return PRIORITY_TABLE[severity][known];
}

/** The whole classifying phase: environment, then priority and SLA from it. */
export function classify(input: {
  namespace: string | undefined;
  namespaceLabels: Record<string, string> | undefined;
  environmentHint: string | undefined;
  severity: Severity;
}): EnvironmentClassification {
  const found = classifyEnvironment(input);
  const priority = businessPriority(input.severity, found.environment);
  return { ...found, businessPriority: priority, slaRequirement: SLA_BY_PRIORITY[priority] };
}
