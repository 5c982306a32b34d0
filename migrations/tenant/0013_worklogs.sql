CREATE TABLE `worklog_assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`assigned_by` text NOT NULL,
	`title` text NOT NULL,
	`detail` text,
	`due_date` text,
	`status` text NOT NULL,
	`done_date` text,
	`done_note` text,
	`done_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `worklog_assignments_member` ON `worklog_assignments` (`member_id`,`status`);--> statement-breakpoint
CREATE INDEX `worklog_assignments_by` ON `worklog_assignments` (`assigned_by`,`status`);--> statement-breakpoint
CREATE TABLE `worklog_closed_months` (
	`month` text PRIMARY KEY NOT NULL,
	`closed_by` text NOT NULL,
	`closed_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `worklog_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`kind` text NOT NULL,
	`entry_id` text,
	`month` text,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `worklog_comments_entry` ON `worklog_comments` (`entry_id`);--> statement-breakpoint
CREATE INDEX `worklog_comments_member_month` ON `worklog_comments` (`member_id`,`month`);--> statement-breakpoint
CREATE TABLE `worklog_corrections` (
	`id` text PRIMARY KEY NOT NULL,
	`entry_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`items` text NOT NULL,
	`hours` real,
	`reason` text NOT NULL,
	`author_id` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `worklog_corrections_entry_seq` ON `worklog_corrections` (`entry_id`,`seq`);--> statement-breakpoint
CREATE TABLE `worklog_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`date` text NOT NULL,
	`kind` text NOT NULL,
	`items` text NOT NULL,
	`hours` real,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `worklog_entries_member_date` ON `worklog_entries` (`member_id`,`date`);--> statement-breakpoint
CREATE TABLE `worklog_leaders` (
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`leader_id` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`subject_type`, `subject_id`)
);
--> statement-breakpoint
CREATE INDEX `worklog_leaders_leader` ON `worklog_leaders` (`leader_id`);--> statement-breakpoint
CREATE TABLE `worklog_months` (
	`member_id` text NOT NULL,
	`month` text NOT NULL,
	`days_written` integer NOT NULL,
	`leave_days` integer NOT NULL,
	`working_days` integer NOT NULL,
	`summary` text,
	`summary_at` text,
	`score` integer,
	`score_items` text,
	`score_comment` text,
	`rubric_version` integer,
	`scored_by` text,
	`scored_at` text,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`member_id`, `month`)
);
--> statement-breakpoint
CREATE INDEX `worklog_months_month` ON `worklog_months` (`month`);--> statement-breakpoint
CREATE TABLE `worklog_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`categories` text NOT NULL,
	`rubric` text NOT NULL,
	`rubric_version` integer NOT NULL,
	`weight` integer NOT NULL,
	`remind_missing` integer NOT NULL,
	`updated_at` text NOT NULL
);
