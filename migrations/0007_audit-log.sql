CREATE TABLE "audit_log_checkpoints" (
	"tree_size" bigint PRIMARY KEY NOT NULL,
	"root_hash" "bytea" NOT NULL,
	"note" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log_leaves" (
	"leaf_index" bigint PRIMARY KEY NOT NULL,
	"leaf_hash" "bytea" NOT NULL,
	"event_id" uuid NOT NULL,
	"correlation_id" varchar(255) NOT NULL,
	"alert_fingerprint" varchar(64) NOT NULL,
	"event_seq" bigint NOT NULL,
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log_nodes" (
	"level" smallint NOT NULL,
	"node_index" bigint NOT NULL,
	"hash" "bytea" NOT NULL,
	CONSTRAINT "audit_log_nodes_level_node_index_pk" PRIMARY KEY("level","node_index"),
	CONSTRAINT "audit_log_nodes_level" CHECK ("audit_log_nodes"."level" BETWEEN 1 AND 63)
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_audit_log_leaves_event_id" ON "audit_log_leaves" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "idx_audit_log_leaves_correlation" ON "audit_log_leaves" USING btree ("correlation_id","leaf_index");--> statement-breakpoint
CREATE INDEX "idx_audit_log_leaves_fingerprint" ON "audit_log_leaves" USING btree ("alert_fingerprint","leaf_index");--> statement-breakpoint
CREATE INDEX "idx_audit_events_seq" ON "audit_events" USING btree ("seq");