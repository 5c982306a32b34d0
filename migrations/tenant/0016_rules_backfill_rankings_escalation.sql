CREATE TABLE `problem_escalations` (
	`issue_id` text NOT NULL,
	`clock` text NOT NULL,
	`step` integer NOT NULL,
	`told_on` text NOT NULL,
	PRIMARY KEY(`issue_id`, `clock`)
);
--> statement-breakpoint
ALTER TABLE `task_settings` ADD `ranking_names` text DEFAULT 'hidden' NOT NULL;--> statement-breakpoint
ALTER TABLE `tasks` ADD `backfill_reason` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `backfill_by` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `backfill_at` text;--> statement-breakpoint
ALTER TABLE `reminder_settings` ADD `escalation_ladder` text DEFAULT '["supervisor","road_chief","admin"]' NOT NULL;