WITH appended_rows AS (SELECT *
  FROM jsonb_to_recordset($1::jsonb) AS r(event_id uuid, correlation_id text, alert_fingerprint text, event_type text, source text, occurred_at timestamptz, payload jsonb)),
appended_ids AS (INSERT INTO audit_event_ids (event_id)
  SELECT r.event_id
  FROM appended_rows r
  ORDER BY r.event_id
  ON CONFLICT DO NOTHING
  RETURNING event_id),
appended AS (INSERT INTO audit_events (event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at, received_at, payload)
  SELECT r.event_id, r.correlation_id, r.alert_fingerprint, r.event_type, r.source, r.occurred_at, $2::timestamptz, r.payload
  FROM appended_rows r JOIN appended_ids USING (event_id)
  ORDER BY r.event_id
  RETURNING event_id),
projected_0_rows AS MATERIALIZED (SELECT *
  FROM jsonb_to_recordset($3::jsonb) AS r(event_id uuid, ord integer, crd_name text, crd_namespace text, alert_fingerprint text, environment text, severity text, investigation_start timestamptz, investigation_end timestamptz, investigation_duration_ms bigint, root_cause_count integer, investigation_report text, analysis_start timestamptz, analysis_end timestamptz, analysis_duration_ms bigint, confidence_score numeric, hallucination_detected boolean, recommendation_start timestamptz, recommendation_end timestamptz, recommendations jsonb, top_recommendation text, effectiveness_probability numeric, historical_success_rate numeric, workflow_crd_name text, workflow_crd_namespace text, completion_status text, failure_reason text, remediation_id text, last_event_at timestamptz)
  WHERE r.event_id IN (SELECT event_id FROM appended)),
projected_0_keys AS (INSERT INTO ai_analysis_audit_keys AS k (alert_fingerprint, crd_namespace, crd_name, created_at)
  SELECT DISTINCT r.alert_fingerprint, r.crd_namespace, r.crd_name, $4::timestamptz
  FROM projected_0_rows r
  ORDER BY r.alert_fingerprint, r.crd_namespace, r.crd_name
  ON CONFLICT (alert_fingerprint, crd_namespace, crd_name)
  DO UPDATE SET created_at = k.created_at
  RETURNING alert_fingerprint, crd_namespace, crd_name, created_at, retained),
projected_0 AS (INSERT INTO ai_analysis_audit AS t (crd_name, crd_namespace, alert_fingerprint, environment, severity, investigation_start, investigation_end, investigation_duration_ms, root_cause_count, investigation_report, analysis_start, analysis_end, analysis_duration_ms, confidence_score, hallucination_detected, recommendation_start, recommendation_end, recommendations, top_recommendation, effectiveness_probability, historical_success_rate, workflow_crd_name, workflow_crd_namespace, completion_status, failure_reason, remediation_id, last_event_at, created_at, retained, updated_at)
  SELECT r.crd_name, r.crd_namespace, r.alert_fingerprint, r.environment, r.severity, r.investigation_start, r.investigation_end, r.investigation_duration_ms, r.root_cause_count, r.investigation_report, r.analysis_start, r.analysis_end, r.analysis_duration_ms, r.confidence_score, r.hallucination_detected, r.recommendation_start, r.recommendation_end, r.recommendations, r.top_recommendation, r.effectiveness_probability, r.historical_success_rate, r.workflow_crd_name, r.workflow_crd_namespace, r.completion_status, r.failure_reason, r.remediation_id, r.last_event_at, k.created_at, k.retained, $5::timestamptz
  FROM projected_0_rows r JOIN projected_0_keys k USING (alert_fingerprint, crd_namespace, crd_name)
  ORDER BY r.alert_fingerprint, r.crd_namespace, r.crd_name
  ON CONFLICT (alert_fingerprint, crd_namespace, crd_name, retained, created_at)
  DO UPDATE SET environment = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.environment, t.environment) ELSE COALESCE(t.environment, excluded.environment) END,
    severity = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.severity, t.severity) ELSE COALESCE(t.severity, excluded.severity) END,
    investigation_start = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.investigation_start, t.investigation_start) ELSE COALESCE(t.investigation_start, excluded.investigation_start) END,
    investigation_end = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.investigation_end, t.investigation_end) ELSE COALESCE(t.investigation_end, excluded.investigation_end) END,
    investigation_duration_ms = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.investigation_duration_ms, t.investigation_duration_ms) ELSE COALESCE(t.investigation_duration_ms, excluded.investigation_duration_ms) END,
    root_cause_count = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.root_cause_count, t.root_cause_count) ELSE COALESCE(t.root_cause_count, excluded.root_cause_count) END,
    investigation_report = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.investigation_report, t.investigation_report) ELSE COALESCE(t.investigation_report, excluded.investigation_report) END,
    analysis_start = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.analysis_start, t.analysis_start) ELSE COALESCE(t.analysis_start, excluded.analysis_start) END,
    analysis_end = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.analysis_end, t.analysis_end) ELSE COALESCE(t.analysis_end, excluded.analysis_end) END,
    analysis_duration_ms = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.analysis_duration_ms, t.analysis_duration_ms) ELSE COALESCE(t.analysis_duration_ms, excluded.analysis_duration_ms) END,
    confidence_score = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.confidence_score, t.confidence_score) ELSE COALESCE(t.confidence_score, excluded.confidence_score) END,
    hallucination_detected = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.hallucination_detected, t.hallucination_detected) ELSE COALESCE(t.hallucination_detected, excluded.hallucination_detected) END,
    recommendation_start = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.recommendation_start, t.recommendation_start) ELSE COALESCE(t.recommendation_start, excluded.recommendation_start) END,
    recommendation_end = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.recommendation_end, t.recommendation_end) ELSE COALESCE(t.recommendation_end, excluded.recommendation_end) END,
    recommendations = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.recommendations, t.recommendations) ELSE COALESCE(t.recommendations, excluded.recommendations) END,
    top_recommendation = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.top_recommendation, t.top_recommendation) ELSE COALESCE(t.top_recommendation, excluded.top_recommendation) END,
    effectiveness_probability = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.effectiveness_probability, t.effectiveness_probability) ELSE COALESCE(t.effectiveness_probability, excluded.effectiveness_probability) END,
    historical_success_rate = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.historical_success_rate, t.historical_success_rate) ELSE COALESCE(t.historical_success_rate, excluded.historical_success_rate) END,
    workflow_crd_name = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.workflow_crd_name, t.workflow_crd_name) ELSE COALESCE(t.workflow_crd_name, excluded.workflow_crd_name) END,
    workflow_crd_namespace = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.workflow_crd_namespace, t.workflow_crd_namespace) ELSE COALESCE(t.workflow_crd_namespace, excluded.workflow_crd_namespace) END,
    completion_status = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.completion_status, t.completion_status) ELSE COALESCE(t.completion_status, excluded.completion_status) END,
    failure_reason = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.failure_reason, t.failure_reason) ELSE COALESCE(t.failure_reason, excluded.failure_reason) END,
    remediation_id = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.remediation_id, t.remediation_id) ELSE COALESCE(t.remediation_id, excluded.remediation_id) END, last_event_at = GREATEST(t.last_event_at, excluded.last_event_at), updated_at = excluded.updated_at
  RETURNING 1),
projected_1_rows AS MATERIALIZED (SELECT *
  FROM jsonb_to_recordset($6::jsonb) AS r(event_id uuid, ord integer, remediation_id text, alert_fingerprint text, processing_phases jsonb, enrichment_quality double precision, enrichment_sources jsonb, context_size_bytes integer, environment text, confidence double precision, business_priority text, sla_requirement text, routed_to_service text, routing_priority integer, completed_at timestamptz, status text, error_message text, last_event_at timestamptz)
  WHERE r.event_id IN (SELECT event_id FROM appended)),
projected_1_keys AS (INSERT INTO alert_processing_audit_keys AS k (alert_fingerprint, remediation_id, created_at)
  SELECT DISTINCT r.alert_fingerprint, r.remediation_id, $7::timestamptz
  FROM projected_1_rows r
  ORDER BY r.alert_fingerprint, r.remediation_id
  ON CONFLICT (alert_fingerprint, remediation_id)
  DO UPDATE SET created_at = k.created_at
  RETURNING alert_fingerprint, remediation_id, created_at, retained),
projected_1 AS (INSERT INTO alert_processing_audit AS t (remediation_id, alert_fingerprint, processing_phases, enrichment_quality, enrichment_sources, context_size_bytes, environment, confidence, business_priority, sla_requirement, routed_to_service, routing_priority, completed_at, status, error_message, last_event_at, created_at, retained, updated_at)
  SELECT r.remediation_id, r.alert_fingerprint, COALESCE(r.processing_phases, '[]'::jsonb), r.enrichment_quality, CASE WHEN r.enrichment_sources IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(r.enrichment_sources)) END, r.context_size_bytes, r.environment, r.confidence, r.business_priority, r.sla_requirement, r.routed_to_service, r.routing_priority, r.completed_at, r.status, r.error_message, r.last_event_at, k.created_at, k.retained, $8::timestamptz
  FROM projected_1_rows r JOIN projected_1_keys k USING (alert_fingerprint, remediation_id)
  ORDER BY r.alert_fingerprint, r.remediation_id
  ON CONFLICT (alert_fingerprint, remediation_id, retained, created_at)
  DO UPDATE SET processing_phases = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(NULLIF(excluded.processing_phases, '[]'::jsonb), t.processing_phases) ELSE COALESCE(t.processing_phases, NULLIF(excluded.processing_phases, '[]'::jsonb)) END,
    enrichment_quality = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.enrichment_quality, t.enrichment_quality) ELSE COALESCE(t.enrichment_quality, excluded.enrichment_quality) END,
    enrichment_sources = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.enrichment_sources, t.enrichment_sources) ELSE COALESCE(t.enrichment_sources, excluded.enrichment_sources) END,
    context_size_bytes = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.context_size_bytes, t.context_size_bytes) ELSE COALESCE(t.context_size_bytes, excluded.context_size_bytes) END,
    environment = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.environment, t.environment) ELSE COALESCE(t.environment, excluded.environment) END,
    confidence = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.confidence, t.confidence) ELSE COALESCE(t.confidence, excluded.confidence) END,
    business_priority = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.business_priority, t.business_priority) ELSE COALESCE(t.business_priority, excluded.business_priority) END,
    sla_requirement = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.sla_requirement, t.sla_requirement) ELSE COALESCE(t.sla_requirement, excluded.sla_requirement) END,
    routed_to_service = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.routed_to_service, t.routed_to_service) ELSE COALESCE(t.routed_to_service, excluded.routed_to_service) END,
    routing_priority = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.routing_priority, t.routing_priority) ELSE COALESCE(t.routing_priority, excluded.routing_priority) END,
    completed_at = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.completed_at, t.completed_at) ELSE COALESCE(t.completed_at, excluded.completed_at) END,
    status = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.status, t.status) ELSE COALESCE(t.status, excluded.status) END,
    error_message = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.error_message, t.error_message) ELSE COALESCE(t.error_message, excluded.error_message) END, last_event_at = GREATEST(t.last_event_at, excluded.last_event_at), updated_at = excluded.updated_at
  RETURNING 1),
projected_2_rows AS MATERIALIZED (SELECT *
  FROM jsonb_to_recordset($9::jsonb) AS r(event_id uuid, ord integer, alert_fingerprint text, remediation_name text, overall_phase text, start_time timestamptz, completion_time timestamptz, alert_processing_name text, ai_analysis_name text, workflow_execution_name text, kubernetes_execution_name text, service_crd_statuses jsonb, timeout_phase text, timeout_time timestamptz, failure_phase text, failure_reason text, duplicate_count integer, last_duplicate_time timestamptz, retention_expiry_time timestamptz, deleted_at timestamptz, last_event_at timestamptz)
  WHERE r.event_id IN (SELECT event_id FROM appended)),
projected_2_keys AS (INSERT INTO remediation_audit_keys AS k (alert_fingerprint, remediation_name, created_at)
  SELECT DISTINCT r.alert_fingerprint, r.remediation_name, $10::timestamptz
  FROM projected_2_rows r
  ORDER BY r.alert_fingerprint, r.remediation_name
  ON CONFLICT (alert_fingerprint, remediation_name)
  DO UPDATE SET created_at = k.created_at
  RETURNING alert_fingerprint, remediation_name, created_at, retained),
projected_2 AS (INSERT INTO remediation_audit AS t (alert_fingerprint, remediation_name, overall_phase, start_time, completion_time, alert_processing_name, ai_analysis_name, workflow_execution_name, kubernetes_execution_name, service_crd_statuses, timeout_phase, timeout_time, failure_phase, failure_reason, duplicate_count, last_duplicate_time, retention_expiry_time, deleted_at, last_event_at, created_at, retained, updated_at)
  SELECT r.alert_fingerprint, r.remediation_name, r.overall_phase, r.start_time, r.completion_time, r.alert_processing_name, r.ai_analysis_name, r.workflow_execution_name, r.kubernetes_execution_name, r.service_crd_statuses, r.timeout_phase, r.timeout_time, r.failure_phase, r.failure_reason, COALESCE(r.duplicate_count, 0), r.last_duplicate_time, r.retention_expiry_time, r.deleted_at, r.last_event_at, k.created_at, k.retained, $11::timestamptz
  FROM projected_2_rows r JOIN projected_2_keys k USING (alert_fingerprint, remediation_name)
  ORDER BY r.alert_fingerprint, r.remediation_name
  ON CONFLICT (alert_fingerprint, remediation_name, retained, created_at)
  DO UPDATE SET overall_phase = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.overall_phase, t.overall_phase) ELSE COALESCE(t.overall_phase, excluded.overall_phase) END,
    start_time = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.start_time, t.start_time) ELSE COALESCE(t.start_time, excluded.start_time) END,
    completion_time = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.completion_time, t.completion_time) ELSE COALESCE(t.completion_time, excluded.completion_time) END,
    alert_processing_name = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.alert_processing_name, t.alert_processing_name) ELSE COALESCE(t.alert_processing_name, excluded.alert_processing_name) END,
    ai_analysis_name = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.ai_analysis_name, t.ai_analysis_name) ELSE COALESCE(t.ai_analysis_name, excluded.ai_analysis_name) END,
    workflow_execution_name = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.workflow_execution_name, t.workflow_execution_name) ELSE COALESCE(t.workflow_execution_name, excluded.workflow_execution_name) END,
    kubernetes_execution_name = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.kubernetes_execution_name, t.kubernetes_execution_name) ELSE COALESCE(t.kubernetes_execution_name, excluded.kubernetes_execution_name) END,
    service_crd_statuses = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.service_crd_statuses, t.service_crd_statuses) ELSE COALESCE(t.service_crd_statuses, excluded.service_crd_statuses) END,
    timeout_phase = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.timeout_phase, t.timeout_phase) ELSE COALESCE(t.timeout_phase, excluded.timeout_phase) END,
    timeout_time = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.timeout_time, t.timeout_time) ELSE COALESCE(t.timeout_time, excluded.timeout_time) END,
    failure_phase = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.failure_phase, t.failure_phase) ELSE COALESCE(t.failure_phase, excluded.failure_phase) END,
    failure_reason = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.failure_reason, t.failure_reason) ELSE COALESCE(t.failure_reason, excluded.failure_reason) END,
    duplicate_count = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.duplicate_count, t.duplicate_count) ELSE COALESCE(t.duplicate_count, excluded.duplicate_count) END,
    last_duplicate_time = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.last_duplicate_time, t.last_duplicate_time) ELSE COALESCE(t.last_duplicate_time, excluded.last_duplicate_time) END,
    retention_expiry_time = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.retention_expiry_time, t.retention_expiry_time) ELSE COALESCE(t.retention_expiry_time, excluded.retention_expiry_time) END,
    deleted_at = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.deleted_at, t.deleted_at) ELSE COALESCE(t.deleted_at, excluded.deleted_at) END, last_event_at = GREATEST(t.last_event_at, excluded.last_event_at), updated_at = excluded.updated_at
  RETURNING 1)
  SELECT event_id::text AS event_id
  FROM appended
