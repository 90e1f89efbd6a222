ALTER TABLE "certificates" ADD COLUMN "search" text GENERATED ALWAYS AS (lower(coalesce(substring(request_dn from '^(.*?),O='), request_dn) || ' ' || coalesce(user_mail, '') || ' ' || serial::text)) STORED;--> statement-breakpoint
CREATE INDEX "requests_institution" ON "requests" USING btree ("institution_id","id");--> statement-breakpoint
CREATE INDEX "certificates_list" ON "certificates" USING btree ("institution_id","id") WHERE kind = 'subscriber' and state = 'issued';--> statement-breakpoint
CREATE INDEX "certificates_list_revoked" ON "certificates" USING btree ("institution_id","id") WHERE kind = 'subscriber' and state = 'issued' and revoked_at is not null;--> statement-breakpoint
CREATE INDEX "certificates_list_awaiting" ON "certificates" USING btree ("institution_id","id") WHERE kind = 'subscriber' and state = 'issued' and revoked_at is null and renewed_by is not null;--> statement-breakpoint
CREATE INDEX "certificates_search" ON "certificates" USING gin ("search" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "outbox_serial" ON "outbox" USING btree ("serial") WHERE serial is not null;--> statement-breakpoint
CREATE INDEX "outbox_request" ON "outbox" USING btree ("request_id") WHERE request_id is not null;--> statement-breakpoint
CREATE INDEX "audit_object" ON "audit_log" USING btree ("object","id");