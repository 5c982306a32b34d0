ALTER TABLE `api_tokens` ADD `scope` text DEFAULT 'read_write' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `unsubscribe_version` integer DEFAULT 0 NOT NULL;