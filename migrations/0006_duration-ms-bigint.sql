ALTER TABLE "ai_analysis_audit" ALTER COLUMN "investigation_duration_ms" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "ai_analysis_audit" ALTER COLUMN "analysis_duration_ms" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "ai_analysis_audit_archive" ALTER COLUMN "investigation_duration_ms" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "ai_analysis_audit_archive" ALTER COLUMN "analysis_duration_ms" SET DATA TYPE bigint;