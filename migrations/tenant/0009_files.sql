CREATE TABLE `file_links` (
	`file_id` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`scope_type` text NOT NULL,
	`scope_id` text NOT NULL,
	`position` integer NOT NULL,
	`reused_from_type` text,
	`reused_from_id` text,
	`created_at` text NOT NULL,
	PRIMARY KEY(`entity_type`, `entity_id`, `file_id`)
);
--> statement-breakpoint
CREATE INDEX `file_links_file` ON `file_links` (`file_id`);--> statement-breakpoint
CREATE INDEX `file_links_scope` ON `file_links` (`scope_type`,`scope_id`);--> statement-breakpoint
CREATE TABLE `files` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`kind` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`width` integer,
	`height` integer,
	`taken_at` text,
	`uploaded_by` text NOT NULL,
	`created_at` text NOT NULL,
	`attached_at` text
);
--> statement-breakpoint
CREATE INDEX `files_sha256` ON `files` (`sha256`);--> statement-breakpoint
CREATE INDEX `files_unattached` ON `files` (`attached_at`,`created_at`);