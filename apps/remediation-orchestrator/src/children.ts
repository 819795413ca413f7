import { createHash } from "node:crypto";
import {
  type AIAnalysis,
  type AlertContext,
  aiAnalysisKind,
  type OwnerReference,
  type RemediationProcessing,
  type RemediationRequest,
  remediationProcessingKind,
  remediationRequestKind,
  targetScopeOf,
} from "@kubernaut/crds";
import { FINGERPRINT_LABEL, REMEDIATION_LABEL } from "./lifecycle.js";

const MAX_NAME = 253;

/**
 * The child's name: `<rr>-<suffix>`, the same on every reconcile so that creating it twice is harmless.
 * A name too long for Kubernetes is shortened and made unique again with a hash of the full name.
 */
export function childName(rrName: string, suffix: string): string {
  const name = `${rrName}-${suffix}`;
  if (name.length <= MAX_NAME) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${rrName.slice(0, MAX_NAME - suffix.length - hash.length - 2)}-${hash}-${suffix}`;
}

export const processingName = (rr: RemediationRequest) => childName(name(rr), "processing");
export const analysisName = (rr: RemediationRequest) => childName(name(rr), "analysis");

function name(rr: RemediationRequest): string {
  if (!rr.metadata.name) throw new Error("RemediationRequest has no metadata.name");
  return rr.metadata.name;
}

function namespace(rr: RemediationRequest): string {
  if (!rr.metadata.namespace)
    throw new Error(`RemediationRequest ${rr.metadata.name} has no metadata.namespace`);
  return rr.metadata.namespace;
}

/** Makes the RemediationRequest the controller of a child: deleting it deletes the child, and its changes wake it. */
export function controllerReference(rr: RemediationRequest): OwnerReference {
  if (!rr.metadata.uid) throw new Error(`RemediationRequest ${rr.metadata.name} has no metadata.uid`);
  return {
    apiVersion: remediationRequestKind.apiVersion,
    kind: remediationRequestKind.kind,
    name: name(rr),
    uid: rr.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function childMetadata(rr: RemediationRequest, childName: string) {
  return {
    name: childName,
    namespace: namespace(rr),
    labels: {
      [REMEDIATION_LABEL]: name(rr),
      ...(rr.metadata.labels?.[FINGERPRINT_LABEL]
        ? { [FINGERPRINT_LABEL]: rr.metadata.labels[FINGERPRINT_LABEL] }
        : {}),
    },
    ownerReferences: [controllerReference(rr)],
  };
}

/** The RemediationProcessing that enriches, classifies and routes the request's signal. */
export function buildProcessing(rr: RemediationRequest): RemediationProcessing {
  const spec = rr.spec;
  const signal: RemediationProcessing["spec"]["signal"] = {
    fingerprint: spec.signalFingerprint,
    name: spec.signalName,
    severity: spec.severity,
    targetResource: spec.targetResource,
    targetScope: targetScopeOf(spec.targetResource),
    // A cluster-scoped target (a Node) has no namespace: the request's stands for the environment it serves.
    namespace: spec.targetResource.namespace ?? namespace(rr),
    firingTime: spec.firingTime,
  };
  if (spec.environment) signal.environment = spec.environment;
  if (spec.signalLabels) signal.labels = spec.signalLabels;
  if (spec.signalAnnotations) signal.annotations = spec.signalAnnotations;
  return {
    apiVersion: remediationProcessingKind.apiVersion,
    kind: remediationProcessingKind.kind,
    metadata: childMetadata(rr, processingName(rr)),
    spec: { remediationRequestRef: { name: name(rr), namespace: namespace(rr) }, signal },
  };
}

/**
 * The AIAnalysis of the signal, carrying what processing found: the environment and business priority
 * from classification, and the enrichment summary (quality, size, namespace labels, context text).
 */
export function buildAnalysis(
  rr: RemediationRequest,
  processing: RemediationProcessing | undefined,
): AIAnalysis {
  const spec = rr.spec;
  const status = processing?.status;
  const classification = status?.environmentClassification;
  const alertContext: AlertContext = {
    fingerprint: spec.signalFingerprint,
    environment: classification?.environment ?? spec.environment ?? "unknown",
    severity: spec.severity,
    signalName: spec.signalName,
    targetResource: spec.targetResource,
  };
  if (spec.targetResource.namespace) alertContext.namespace = spec.targetResource.namespace;
  if (classification) alertContext.businessPriority = classification.businessPriority;
  if (spec.signalLabels) alertContext.labels = spec.signalLabels;
  if (spec.signalAnnotations) alertContext.annotations = spec.signalAnnotations;
  const enrichment = status?.enrichmentResults;
  if (enrichment) {
    alertContext.enrichmentSummary = {};
    if (enrichment.enrichmentQuality !== undefined) {
      alertContext.enrichmentSummary.enrichmentQuality = enrichment.enrichmentQuality;
    }
    if (enrichment.contextSizeBytes !== undefined) {
      alertContext.enrichmentSummary.contextSizeBytes = enrichment.contextSizeBytes;
    }
    if (enrichment.namespaceLabels)
      alertContext.enrichmentSummary.namespaceLabels = enrichment.namespaceLabels;
    if (enrichment.summary) alertContext.enrichmentSummary.summary = enrichment.summary;
  }
  return {
    apiVersion: aiAnalysisKind.apiVersion,
    kind: aiAnalysisKind.kind,
    metadata: childMetadata(rr, analysisName(rr)),
    spec: {
      remediationRequestRef: { name: name(rr), namespace: namespace(rr) },
      analysisRequest: { alertContext },
    },
  };
}
