CREATE TABLE `checklist_items` (
	`id` text PRIMARY KEY NOT NULL,
	`checklist_id` text NOT NULL,
	`module` text NOT NULL,
	`title` text NOT NULL,
	`guidance` text,
	`recurrence` text,
	`due_date` text,
	`roll_policy` text NOT NULL,
	`assignee_mode` text NOT NULL,
	`assignees` text NOT NULL,
	`min_count` integer NOT NULL,
	`points` integer NOT NULL,
	`late_points` integer NOT NULL,
	`return_penalty` integer NOT NULL,
	`evidence_required` integer NOT NULL,
	`review_required` integer NOT NULL,
	`sort_order` integer NOT NULL,
	`archived_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `checklist_items_checklist` ON `checklist_items` (`checklist_id`);--> statement-breakpoint
CREATE TABLE `checklists` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`kind` text NOT NULL,
	`year` integer NOT NULL,
	`branch_id` text,
	`description` text,
	`status` text NOT NULL,
	`published_at` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `checklists_year_kind` ON `checklists` (`year`,`kind`);--> statement-breakpoint
CREATE INDEX `checklists_branch` ON `checklists` (`branch_id`);--> statement-breakpoint
CREATE TABLE `task_assignees` (
	`task_id` text NOT NULL,
	`member_id` text,
	`branch_id` text
);
--> statement-breakpoint
CREATE INDEX `task_assignees_task` ON `task_assignees` (`task_id`);--> statement-breakpoint
CREATE INDEX `task_assignees_member` ON `task_assignees` (`member_id`,`task_id`);--> statement-breakpoint
CREATE INDEX `task_assignees_branch` ON `task_assignees` (`branch_id`,`task_id`);--> statement-breakpoint
CREATE TABLE `task_records` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`member_id` text NOT NULL,
	`done_on` text NOT NULL,
	`summary` text NOT NULL,
	`note` text,
	`attachments` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `task_records_task` ON `task_records` (`task_id`);--> statement-breakpoint
CREATE TABLE `task_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`reviewer_id` text NOT NULL,
	`decision` text NOT NULL,
	`reason` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `task_reviews_task` ON `task_reviews` (`task_id`);--> statement-breakpoint
CREATE TABLE `task_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`due_soon_days` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`checklist_id` text NOT NULL,
	`item_id` text NOT NULL,
	`assignee_key` text NOT NULL,
	`module` text NOT NULL,
	`title` text NOT NULL,
	`period_start` text NOT NULL,
	`nominal_date` text NOT NULL,
	`due_date` text NOT NULL,
	`state` text NOT NULL,
	`done_count` integer DEFAULT 0 NOT NULL,
	`min_count` integer NOT NULL,
	`evidence_required` integer NOT NULL,
	`review_required` integer NOT NULL,
	`submitted_at` text,
	`completed_at` text,
	`completed_late` integer DEFAULT false NOT NULL,
	`return_count` integer DEFAULT 0 NOT NULL,
	`points` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_occurrence` ON `tasks` (`item_id`,`assignee_key`,`nominal_date`);--> statement-breakpoint
CREATE INDEX `tasks_checklist` ON `tasks` (`checklist_id`);--> statement-breakpoint
CREATE INDEX `tasks_due` ON `tasks` (`due_date`);