CREATE TABLE "institutions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "institutions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name_ja" text NOT NULL,
	"name_en" text NOT NULL,
	"o" text NOT NULL,
	"l" text NOT NULL,
	"st" text,
	"domains" jsonb NOT NULL,
	"review" text DEFAULT 'complete' NOT NULL,
	"approval_expires" date,
	"status" text DEFAULT 'active' NOT NULL,
	"whois_org" text,
	"profiles" jsonb NOT NULL,
	"methods" jsonb NOT NULL,
	"key_algorithm" text DEFAULT 'RSA-2048' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "institutions_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "officers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "officers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"institution_id" bigint,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"institution_id" bigint,
	"upload_id" bigint,
	"officer_id" bigint,
	"kind" text NOT NULL,
	"seq" integer,
	"state" text NOT NULL,
	"dn" text NOT NULL,
	"cn_ou_key" text NOT NULL,
	"profile" integer,
	"method" integer NOT NULL,
	"admin_name" text,
	"admin_affiliation" text,
	"admin_mail" text,
	"user_name" text,
	"user_affiliation" text,
	"user_mail" text NOT NULL,
	"p12_file_name" text,
	"renewal_of" text,
	"pin_hash" "bytea",
	"pin_enc" "bytea",
	"pin_url_id" bigint,
	"pickup_url_id" bigint,
	"pin_retrieved_at" timestamp with time zone,
	"issued_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"extra" jsonb
);
--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "uploads_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"institution_id" bigint NOT NULL,
	"officer_id" bigint,
	"kind" text NOT NULL,
	"mode" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"lang" text NOT NULL,
	"lines" integer NOT NULL,
	"registered" integer NOT NULL,
	"rejected" integer NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "url_tokens" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "url_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"purpose" text NOT NULL,
	"token_hash" "bytea" NOT NULL,
	"state" text NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "certificates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ca" text DEFAULT 'issuing' NOT NULL,
	"serial" numeric(40, 0) NOT NULL,
	"state" text NOT NULL,
	"kind" text NOT NULL,
	"request_id" bigint,
	"institution_id" bigint,
	"officer_id" bigint,
	"profile" integer,
	"request_dn" text NOT NULL,
	"cn_ou_key" text,
	"user_mail" text,
	"spki_sha256" text NOT NULL,
	"csr_sha256" text,
	"csr_der" "bytea",
	"der" "bytea",
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"issued_at" timestamp with time zone,
	"renewal_of" numeric(40, 0),
	"renewed_by" numeric(40, 0),
	"revoked_at" timestamp with time zone,
	"revocation_reason" integer,
	"revocation_comment" text,
	"revoked_by" text,
	"reminders_sent" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ca_entities" (
	"name" text PRIMARY KEY NOT NULL,
	"certificate" "bytea" NOT NULL,
	"encrypted_key" "bytea",
	"meta" jsonb,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crls" (
	"ca" text NOT NULL,
	"crl_number" bigint NOT NULL,
	"this_update" timestamp with time zone NOT NULL,
	"next_update" timestamp with time zone NOT NULL,
	"der" "bytea" NOT NULL,
	CONSTRAINT "crls_ca_crl_number_pk" PRIMARY KEY("ca","crl_number")
);
--> statement-breakpoint
CREATE TABLE "mailbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mailbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"message_id" text NOT NULL,
	"recipients" jsonb NOT NULL,
	"subject" text NOT NULL,
	"raw" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mailbox_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"institution_id" bigint,
	"recipients" jsonb NOT NULL,
	"data" jsonb NOT NULL,
	"message_id" text NOT NULL,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"request_id" bigint,
	"serial" text,
	CONSTRAINT "outbox_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE TABLE "audit_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"last_id" bigint NOT NULL,
	"last_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"institution_id" bigint,
	"action" text NOT NULL,
	"object" text,
	"details" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "whois_cache" (
	"domain" text PRIMARY KEY NOT NULL,
	"server" text NOT NULL,
	"organisation" text,
	"fetched_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "officers" ADD CONSTRAINT "officers_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_officer_id_officers_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."officers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_pin_url_id_url_tokens_id_fk" FOREIGN KEY ("pin_url_id") REFERENCES "public"."url_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_pickup_url_id_url_tokens_id_fk" FOREIGN KEY ("pickup_url_id") REFERENCES "public"."url_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_officer_id_officers_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."officers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_officer_id_officers_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."officers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "officers_email_live" ON "officers" USING btree ("email") WHERE status <> 'revoked';--> statement-breakpoint
CREATE INDEX "officers_institution" ON "officers" USING btree ("institution_id");--> statement-breakpoint
CREATE INDEX "requests_institution_cnou" ON "requests" USING btree ("institution_id","cn_ou_key");--> statement-breakpoint
CREATE INDEX "requests_upload" ON "requests" USING btree ("upload_id");--> statement-breakpoint
CREATE INDEX "requests_pin_url" ON "requests" USING btree ("pin_url_id");--> statement-breakpoint
CREATE INDEX "requests_pickup_url" ON "requests" USING btree ("pickup_url_id");--> statement-breakpoint
CREATE INDEX "requests_renewal_of" ON "requests" USING btree ("renewal_of") WHERE renewal_of is not null;--> statement-breakpoint
CREATE INDEX "requests_state" ON "requests" USING btree ("state");--> statement-breakpoint
CREATE INDEX "uploads_institution" ON "uploads" USING btree ("institution_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "url_tokens_hash" ON "url_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_ca_serial" ON "certificates" USING btree ("ca","serial");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_spki" ON "certificates" USING btree ("spki_sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_request" ON "certificates" USING btree ("request_id") WHERE request_id is not null;--> statement-breakpoint
CREATE INDEX "certificates_institution" ON "certificates" USING btree ("institution_id","not_after");--> statement-breakpoint
CREATE INDEX "certificates_cnou" ON "certificates" USING btree ("institution_id","cn_ou_key");--> statement-breakpoint
CREATE INDEX "certificates_revoked" ON "certificates" USING btree ("ca","revoked_at") WHERE revoked_at is not null;--> statement-breakpoint
CREATE INDEX "certificates_officer" ON "certificates" USING btree ("officer_id");--> statement-breakpoint
CREATE INDEX "mailbox_created" ON "mailbox" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_due" ON "outbox" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_institution" ON "outbox" USING btree ("institution_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_institution" ON "audit_log" USING btree ("institution_id","id");