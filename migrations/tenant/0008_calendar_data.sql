CREATE TABLE `calendar_day_overrides` (
	`date` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `date_shifts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` text NOT NULL,
	`ref_type` text NOT NULL,
	`ref_id` text NOT NULL,
	`title` text NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`created_at` text NOT NULL,
	`digest_day` text
);
--> statement-breakpoint
CREATE INDEX `date_shifts_member_digest` ON `date_shifts` (`member_id`,`digest_day`);--> statement-breakpoint
ALTER TABLE `checklist_items` ADD `preset` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `calendar_provisional` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `issues` ADD `calendar_provisional` integer DEFAULT false NOT NULL;