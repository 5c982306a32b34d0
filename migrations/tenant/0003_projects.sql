CREATE TABLE `issue_categories` (
	`key` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`ack_days` integer NOT NULL,
	`ack_unit` text NOT NULL,
	`resolve_days` integer NOT NULL,
	`resolve_unit` text NOT NULL,
	`active` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `issue_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`issue_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `issue_comments_issue` ON `issue_comments` (`issue_id`,`id`);--> statement-breakpoint
CREATE TABLE `issue_events` (
	`id` text PRIMARY KEY NOT NULL,
	`issue_id` text NOT NULL,
	`seq` integer NOT NULL,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor_id` text NOT NULL,
	`note` text,
	`data` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `issue_events_issue_seq` ON `issue_events` (`issue_id`,`seq`);--> statement-breakpoint
CREATE TABLE `issue_followers` (
	`issue_id` text NOT NULL,
	`member_id` text NOT NULL,
	PRIMARY KEY(`issue_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `issue_followers_member` ON `issue_followers` (`member_id`);--> statement-breakpoint
CREATE TABLE `issue_units` (
	`issue_id` text NOT NULL,
	`unit` text NOT NULL,
	PRIMARY KEY(`issue_id`, `unit`)
);
--> statement-breakpoint
CREATE INDEX `issue_units_unit` ON `issue_units` (`unit`);--> statement-breakpoint
CREATE TABLE `issues` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`log_id` text,
	`title` text NOT NULL,
	`description` text,
	`category` text NOT NULL,
	`handler_id` text NOT NULL,
	`supervisor_id` text,
	`status` text NOT NULL,
	`raised_at` text NOT NULL,
	`raised_by` text NOT NULL,
	`ack_days` integer NOT NULL,
	`ack_unit` text NOT NULL,
	`resolve_days` integer NOT NULL,
	`resolve_unit` text NOT NULL,
	`ack_due_at` text NOT NULL,
	`resolve_due_at` text NOT NULL,
	`acknowledged_at` text,
	`resolved_at` text,
	`verified_at` text,
	`closed_at` text,
	`resolution` text,
	`return_count` integer NOT NULL,
	`transfer_count` integer NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `issues_project_status_raised` ON `issues` (`project_id`,`status`,`raised_at`);--> statement-breakpoint
CREATE INDEX `issues_handler_status` ON `issues` (`handler_id`,`status`);--> statement-breakpoint
CREATE INDEX `issues_supervisor` ON `issues` (`supervisor_id`);--> statement-breakpoint
CREATE INDEX `issues_log` ON `issues` (`log_id`);--> statement-breakpoint
CREATE INDEX `issues_raised` ON `issues` (`raised_at`);--> statement-breakpoint
CREATE INDEX `issues_status_resolve_due` ON `issues` (`status`,`resolve_due_at`);--> statement-breakpoint
CREATE TABLE `project_branches` (
	`project_id` text NOT NULL,
	`branch_id` text NOT NULL,
	PRIMARY KEY(`project_id`, `branch_id`)
);
--> statement-breakpoint
CREATE INDEX `project_branches_branch` ON `project_branches` (`branch_id`);--> statement-breakpoint
CREATE TABLE `project_logs` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`kind` text NOT NULL,
	`visited_at` text NOT NULL,
	`ended_at` text,
	`participant_ids` text NOT NULL,
	`other_participants` text NOT NULL,
	`summary` text NOT NULL,
	`attachments` text NOT NULL,
	`location` text,
	`corrects_id` text,
	`correction_reason` text,
	`author_id` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `project_logs_project_visited` ON `project_logs` (`project_id`,`visited_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `project_logs_corrects` ON `project_logs` (`corrects_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`district` text,
	`road_section` text,
	`start_date` text,
	`end_date` text,
	`status` text NOT NULL,
	`road_chief_id` text,
	`tags` text NOT NULL,
	`description` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `projects_road_chief` ON `projects` (`road_chief_id`);--> statement-breakpoint
CREATE INDEX `projects_name_id` ON `projects` (`name`,`id`);--> statement-breakpoint
CREATE INDEX `projects_status` ON `projects` (`status`);--> statement-breakpoint
CREATE TABLE `pledge_evaluations` (
	`id` text PRIMARY KEY NOT NULL,
	`pledge_id` text NOT NULL,
	`kind` text NOT NULL,
	`slot` text NOT NULL,
	`evaluator_id` text NOT NULL,
	`score` integer NOT NULL,
	`comment` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pledge_evaluations_slot` ON `pledge_evaluations` (`pledge_id`,`slot`);--> statement-breakpoint
CREATE INDEX `pledge_evaluations_evaluator` ON `pledge_evaluations` (`evaluator_id`);--> statement-breakpoint
CREATE TABLE `pledge_public_ratings` (
	`id` text PRIMARY KEY NOT NULL,
	`pledge_id` text NOT NULL,
	`stars` integer NOT NULL,
	`client_hash` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pledge_public_ratings_pledge` ON `pledge_public_ratings` (`pledge_id`);--> statement-breakpoint
CREATE TABLE `pledge_rate_limits` (
	`bucket` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pledge_rate_limits_expires` ON `pledge_rate_limits` (`expires_at`);--> statement-breakpoint
CREATE TABLE `pledge_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`weight_self` integer NOT NULL,
	`weight_leader` integer NOT NULL,
	`weight_peer` integer NOT NULL,
	`weight_public` integer NOT NULL,
	`public_board` integer NOT NULL,
	`public_names` text NOT NULL,
	`public_ratings` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE TABLE `pledge_updates` (
	`id` text PRIMARY KEY NOT NULL,
	`pledge_id` text NOT NULL,
	`version` integer NOT NULL,
	`author_id` text NOT NULL,
	`note` text NOT NULL,
	`progress` text NOT NULL,
	`attachments` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pledge_updates_pledge` ON `pledge_updates` (`pledge_id`,`id`);--> statement-breakpoint
CREATE TABLE `pledge_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`pledge_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`title` text NOT NULL,
	`content` text NOT NULL,
	`category` text NOT NULL,
	`targets` text NOT NULL,
	`due_date` text NOT NULL,
	`project_id` text,
	`checklist_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`submitted_at` text,
	`reviewed_at` text,
	`reviewer_id` text,
	`review_note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pledge_versions_pledge_version` ON `pledge_versions` (`pledge_id`,`version`);--> statement-breakpoint
CREATE TABLE `pledges` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`branch_id` text,
	`kind` text NOT NULL,
	`year` integer NOT NULL,
	`current_version` integer NOT NULL,
	`current_status` text NOT NULL,
	`approved_version` integer,
	`approved_at` text,
	`due_date` text NOT NULL,
	`public_display` integer DEFAULT false NOT NULL,
	`progress_percent` real DEFAULT 0 NOT NULL,
	`update_count` integer DEFAULT 0 NOT NULL,
	`last_progress_at` text,
	`outcome` text,
	`closed_at` text,
	`closed_by` text,
	`closing_note` text,
	`score` real,
	`score_detail` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pledges_member_year` ON `pledges` (`member_id`,`year`);--> statement-breakpoint
CREATE INDEX `pledges_branch_year` ON `pledges` (`branch_id`,`year`);--> statement-breakpoint
CREATE INDEX `pledges_year` ON `pledges` (`year`);--> statement-breakpoint
CREATE INDEX `pledges_due` ON `pledges` (`due_date`);--> statement-breakpoint
CREATE INDEX `pledges_current_status` ON `pledges` (`current_status`);