CREATE TABLE `exam_answers` (
	`attempt_id` text NOT NULL,
	`position` integer NOT NULL,
	`question_id` text NOT NULL,
	`answer` text NOT NULL,
	`rev` integer NOT NULL,
	`saved_at` text NOT NULL,
	`correct` integer,
	`points` integer,
	PRIMARY KEY(`attempt_id`, `position`)
);
--> statement-breakpoint
CREATE INDEX `exam_answers_question` ON `exam_answers` (`question_id`);--> statement-breakpoint
CREATE TABLE `exam_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`paper_id` text NOT NULL,
	`member_id` text NOT NULL,
	`branch_id` text,
	`number` integer NOT NULL,
	`items` text NOT NULL,
	`started_at` text NOT NULL,
	`deadline` text NOT NULL,
	`accept_until` text NOT NULL,
	`status` text NOT NULL,
	`submitted_at` text,
	`score` integer,
	`max_score` integer NOT NULL,
	`passed` integer,
	`task_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exam_attempts_number` ON `exam_attempts` (`paper_id`,`member_id`,`number`);--> statement-breakpoint
CREATE INDEX `exam_attempts_member` ON `exam_attempts` (`member_id`);--> statement-breakpoint
CREATE TABLE `exam_papers` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`status` text NOT NULL,
	`mode` text NOT NULL,
	`questions` text NOT NULL,
	`draws` text NOT NULL,
	`points_per_type` text NOT NULL,
	`question_count` integer NOT NULL,
	`max_score` integer NOT NULL,
	`pass_mark` integer NOT NULL,
	`time_limit_minutes` integer NOT NULL,
	`opens_at` text NOT NULL,
	`closes_at` text NOT NULL,
	`attempts_allowed` integer NOT NULL,
	`grace_seconds` integer NOT NULL,
	`shuffle_questions` integer NOT NULL,
	`shuffle_options` integer NOT NULL,
	`result_release` text NOT NULL,
	`branch_id` text,
	`checklist_item_id` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `exam_papers_closes` ON `exam_papers` (`status`,`closes_at`);--> statement-breakpoint
CREATE INDEX `exam_papers_item` ON `exam_papers` (`checklist_item_id`);--> statement-breakpoint
CREATE TABLE `exam_question_versions` (
	`question_id` text NOT NULL,
	`version` integer NOT NULL,
	`type` text NOT NULL,
	`stem` text NOT NULL,
	`options` text NOT NULL,
	`answer` text NOT NULL,
	`explanation` text,
	`tags` text NOT NULL,
	`difficulty` integer NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`question_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `exam_questions` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`type` text NOT NULL,
	`stem` text NOT NULL,
	`options` text NOT NULL,
	`answer` text NOT NULL,
	`explanation` text,
	`tags` text NOT NULL,
	`difficulty` integer NOT NULL,
	`archived_at` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `exam_questions_type` ON `exam_questions` (`type`,`archived_at`);