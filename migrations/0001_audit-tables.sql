CREATE TABLE "ai_analysis_audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"crd_name" varchar(255) NOT NULL,
	"crd_namespace" varchar(255) NOT NULL,
	"alert_fingerprint" varchar(64) NOT NULL,
	"environment" varchar(50) NOT NULL,
	"severity" varchar(20) NOT NULL,
	"investigation_start" timestamp with time zone,
	"investigation_end" timestamp with time zone,
	"investigation_duration_ms" integer,
	"root_cause_count" integer,
	"investigation_report" text,
	"analysis_start" timestamp with time zone,
	"analysis_end" timestamp with time zone,
	"analysis_duration_ms" integer,
	"confidence_score" numeric(3, 2),
	"hallucination_detected" boolean,
	"recommendation_start" timestamp with time zone,
	"recommendation_end" timestamp with time zone,
	"recommendations" jsonb,
	"top_recommendation" varchar(255),
	"effectiveness_probability" numeric(3, 2),
	"historical_success_rate" numeric(3, 2),
	"workflow_crd_name" varchar(255),
	"workflow_crd_namespace" varchar(255),
	"completion_status" varchar(50),
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT NOW(),
	"remediation_id" varchar(255),
	"updated_at" timestamp with time zone DEFAULT NOW(),
	"last_event_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ai_analysis_audit_archive" (
	"id" uuid PRIMARY KEY NOT NULL,
	"crd_name" varchar(255) NOT NULL,
	"crd_namespace" varchar(255) NOT NULL,
	"alert_fingerprint" varchar(64) NOT NULL,
	"environment" varchar(50) NOT NULL,
	"severity" varchar(20) NOT NULL,
	"investigation_start" timestamp with time zone,
	"investigation_end" timestamp with time zone,
	"investigation_duration_ms" integer,
	"root_cause_count" integer,
	"investigation_report" text,
	"analysis_start" timestamp with time zone,
	"analysis_end" timestamp with time zone,
	"analysis_duration_ms" integer,
	"confidence_score" numeric(3, 2),
	"hallucination_detected" boolean,
	"recommendation_start" timestamp with time zone,
	"recommendation_end" timestamp with time zone,
	"recommendations" jsonb,
	"top_recommendation" varchar(255),
	"effectiveness_probability" numeric(3, 2),
	"historical_success_rate" numeric(3, 2),
	"workflow_crd_name" varchar(255),
	"workflow_crd_namespace" varchar(255),
	"completion_status" varchar(50),
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT NOW(),
	"remediation_id" varchar(255),
	"updated_at" timestamp with time zone DEFAULT NOW(),
	"last_event_at" timestamp with time zone,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai_investigation_embeddings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_fingerprint" varchar(64) NOT NULL,
	"investigation_text" text NOT NULL,
	"embedding" vector(1536),
	"root_cause" varchar(255),
	"confidence_score" numeric(3, 2),
	"environment" varchar(50),
	"created_at" timestamp with time zone DEFAULT NOW(),
	"embedding_model" varchar(255) NOT NULL,
	"embedding_dimensions" integer DEFAULT 1536 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_processing_audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"remediation_id" varchar(255) NOT NULL,
	"alert_fingerprint" varchar(64) NOT NULL,
	"processing_phases" jsonb NOT NULL,
	"enrichment_quality" double precision,
	"enrichment_sources" text[],
	"context_size_bytes" integer,
	"environment" varchar(50),
	"confidence" double precision,
	"business_priority" varchar(20),
	"sla_requirement" varchar(50),
	"routed_to_service" varchar(255),
	"routing_priority" integer,
	"completed_at" timestamp with time zone,
	"status" varchar(50) NOT NULL,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
	"updated_at" timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
	"last_event_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "alert_processing_audit_archive" (
	"id" uuid PRIMARY KEY NOT NULL,
	"remediation_id" varchar(255) NOT NULL,
	"alert_fingerprint" varchar(64) NOT NULL,
	"processing_phases" jsonb NOT NULL,
	"enrichment_quality" double precision,
	"enrichment_sources" text[],
	"context_size_bytes" integer,
	"environment" varchar(50),
	"confidence" double precision,
	"business_priority" varchar(20),
	"sla_requirement" varchar(50),
	"routed_to_service" varchar(255),
	"routing_priority" integer,
	"completed_at" timestamp with time zone,
	"status" varchar(50) NOT NULL,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
	"updated_at" timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
	"last_event_at" timestamp with time zone,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"correlation_id" varchar(255) NOT NULL,
	"alert_fingerprint" varchar(64) NOT NULL,
	"event_type" varchar(100) NOT NULL,
	"source" varchar(20) NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remediation_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_fingerprint" varchar(64) NOT NULL,
	"remediation_name" varchar(255) NOT NULL,
	"overall_phase" varchar(50) NOT NULL,
	"start_time" timestamp with time zone NOT NULL,
	"completion_time" timestamp with time zone,
	"alert_processing_name" varchar(255),
	"ai_analysis_name" varchar(255),
	"workflow_execution_name" varchar(255),
	"kubernetes_execution_name" varchar(255),
	"service_crd_statuses" jsonb,
	"timeout_phase" varchar(50),
	"timeout_time" timestamp with time zone,
	"failure_phase" varchar(50),
	"failure_reason" text,
	"duplicate_count" integer DEFAULT 0,
	"last_duplicate_time" timestamp with time zone,
	"retention_expiry_time" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
	"updated_at" timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
	"last_event_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "remediation_audit_archive" (
	"id" bigint PRIMARY KEY NOT NULL,
	"alert_fingerprint" varchar(64) NOT NULL,
	"remediation_name" varchar(255) NOT NULL,
	"overall_phase" varchar(50) NOT NULL,
	"start_time" timestamp with time zone NOT NULL,
	"completion_time" timestamp with time zone,
	"alert_processing_name" varchar(255),
	"ai_analysis_name" varchar(255),
	"workflow_execution_name" varchar(255),
	"kubernetes_execution_name" varchar(255),
	"service_crd_statuses" jsonb,
	"timeout_phase" varchar(50),
	"timeout_time" timestamp with time zone,
	"failure_phase" varchar(50),
	"failure_reason" text,
	"duplicate_count" integer DEFAULT 0,
	"last_duplicate_time" timestamp with time zone,
	"retention_expiry_time" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
	"updated_at" timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
	"last_event_at" timestamp with time zone,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retention_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trigger" varchar(20) NOT NULL,
	"dry_run" boolean NOT NULL,
	"retention_days" integer NOT NULL,
	"cutoff" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" varchar(20) NOT NULL,
	"moved" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "uq_ai_analysis_audit_crd" ON "ai_analysis_audit" USING btree ("crd_namespace","crd_name");--> statement-breakpoint
CREATE INDEX "idx_ai_analysis_audit_fingerprint" ON "ai_analysis_audit" USING btree ("alert_fingerprint");--> statement-breakpoint
CREATE INDEX "idx_ai_analysis_audit_environment" ON "ai_analysis_audit" USING btree ("environment");--> statement-breakpoint
CREATE INDEX "idx_ai_analysis_audit_created_at" ON "ai_analysis_audit" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_ai_analysis_audit_top_recommendation" ON "ai_analysis_audit" USING btree ("top_recommendation","environment");--> statement-breakpoint
CREATE INDEX "idx_ai_analysis_audit_archive_fingerprint" ON "ai_analysis_audit_archive" USING btree ("alert_fingerprint");--> statement-breakpoint
CREATE INDEX "idx_ai_analysis_audit_archive_created_at" ON "ai_analysis_audit_archive" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_ai_investigation_embeddings_embedding" ON "ai_investigation_embeddings" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "idx_ai_investigation_embeddings_fingerprint" ON "ai_investigation_embeddings" USING btree ("alert_fingerprint");--> statement-breakpoint
CREATE INDEX "idx_ai_investigation_embeddings_environment" ON "ai_investigation_embeddings" USING btree ("environment");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_alert_processing_audit_remediation_id" ON "alert_processing_audit" USING btree ("remediation_id");--> statement-breakpoint
CREATE INDEX "idx_alert_processing_audit_alert_fingerprint" ON "alert_processing_audit" USING btree ("alert_fingerprint","completed_at");--> statement-breakpoint
CREATE INDEX "idx_alert_processing_audit_completed_at" ON "alert_processing_audit" USING btree ("completed_at");--> statement-breakpoint
CREATE INDEX "idx_alert_processing_audit_environment" ON "alert_processing_audit" USING btree ("environment");--> statement-breakpoint
CREATE INDEX "idx_alert_processing_audit_created_at" ON "alert_processing_audit" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_alert_processing_audit_archive_alert_fingerprint" ON "alert_processing_audit_archive" USING btree ("alert_fingerprint");--> statement-breakpoint
CREATE INDEX "idx_alert_processing_audit_archive_created_at" ON "alert_processing_audit_archive" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_audit_events_fingerprint_occurred" ON "audit_events" USING btree ("alert_fingerprint","occurred_at");--> statement-breakpoint
CREATE INDEX "idx_audit_events_correlation" ON "audit_events" USING btree ("correlation_id","occurred_at");--> statement-breakpoint
CREATE INDEX "idx_audit_events_received_at" ON "audit_events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "idx_remediation_audit_alert_fingerprint" ON "remediation_audit" USING btree ("alert_fingerprint");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_remediation_audit_remediation_name" ON "remediation_audit" USING btree ("remediation_name");--> statement-breakpoint
CREATE INDEX "idx_remediation_audit_overall_phase" ON "remediation_audit" USING btree ("overall_phase");--> statement-breakpoint
CREATE INDEX "idx_remediation_audit_retention_expiry" ON "remediation_audit" USING btree ("retention_expiry_time");--> statement-breakpoint
CREATE INDEX "idx_remediation_audit_created_at" ON "remediation_audit" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_remediation_audit_archive_alert_fingerprint" ON "remediation_audit_archive" USING btree ("alert_fingerprint");--> statement-breakpoint
CREATE INDEX "idx_remediation_audit_archive_created_at" ON "remediation_audit_archive" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_retention_runs_started_at" ON "retention_runs" USING btree ("started_at");