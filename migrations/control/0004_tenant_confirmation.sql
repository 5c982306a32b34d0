ALTER TABLE `tenants` ADD `confirmation_pending_since` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `confirmation_token_hash` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `confirmation_expires_at` text;