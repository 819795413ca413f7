CREATE TABLE "legal_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"correlation_id" varchar(255),
	"alert_fingerprint" varchar(64),
	"from_time" timestamp with time zone,
	"to_time" timestamp with time zone,
	"reason" text NOT NULL,
	"requested_by" varchar(255) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"released_by" varchar(255),
	"release_reason" text,
	CONSTRAINT "legal_holds_one_scope" CHECK (num_nonnulls("legal_holds"."correlation_id", "legal_holds"."alert_fingerprint", "legal_holds"."from_time") = 1 AND ("legal_holds"."from_time" IS NULL) = ("legal_holds"."to_time" IS NULL)),
	CONSTRAINT "legal_holds_range_order" CHECK ("legal_holds"."to_time" >= "legal_holds"."from_time"),
	CONSTRAINT "legal_holds_release" CHECK (("legal_holds"."released_at" IS NULL) = ("legal_holds"."released_by" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "retention_runs" ADD COLUMN "held" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_legal_holds_created_at" ON "legal_holds" USING btree ("created_at");