DROP INDEX "api_tokens_hash";--> statement-breakpoint
DROP INDEX "api_tokens_member";--> statement-breakpoint
DROP INDEX "audit_entity";--> statement-breakpoint
DROP INDEX "audit_at";--> statement-breakpoint
DROP INDEX "branches_parent";--> statement-breakpoint
DROP INDEX "branches_path";--> statement-breakpoint
DROP INDEX "branches_secretary";--> statement-breakpoint
DROP INDEX "invitations_hash";--> statement-breakpoint
DROP INDEX "invitations_member";--> statement-breakpoint
DROP INDEX "members_email";--> statement-breakpoint
DROP INDEX "members_branch";--> statement-breakpoint
DROP INDEX "members_second_branch";--> statement-breakpoint
DROP INDEX "members_name_id";--> statement-breakpoint
DROP INDEX "password_resets_hash";--> statement-breakpoint
DROP INDEX "password_resets_member";--> statement-breakpoint
DROP INDEX "refresh_tokens_family";--> statement-breakpoint
DROP INDEX "refresh_tokens_member";--> statement-breakpoint
DROP INDEX "checklist_items_checklist";--> statement-breakpoint
DROP INDEX "checklists_year_kind";--> statement-breakpoint
DROP INDEX "checklists_branch";--> statement-breakpoint
DROP INDEX "task_assignees_task";--> statement-breakpoint
DROP INDEX "task_assignees_member";--> statement-breakpoint
DROP INDEX "task_assignees_branch";--> statement-breakpoint
DROP INDEX "task_records_task";--> statement-breakpoint
DROP INDEX "task_reviews_task";--> statement-breakpoint
DROP INDEX "tasks_occurrence";--> statement-breakpoint
DROP INDEX "tasks_checklist";--> statement-breakpoint
DROP INDEX "tasks_due";--> statement-breakpoint
DROP INDEX "issue_comments_issue";--> statement-breakpoint
DROP INDEX "issue_events_issue_seq";--> statement-breakpoint
DROP INDEX "issue_followers_member";--> statement-breakpoint
DROP INDEX "issue_units_unit";--> statement-breakpoint
DROP INDEX "issues_project_status_raised";--> statement-breakpoint
DROP INDEX "issues_handler_status";--> statement-breakpoint
DROP INDEX "issues_supervisor";--> statement-breakpoint
DROP INDEX "issues_log";--> statement-breakpoint
DROP INDEX "issues_raised";--> statement-breakpoint
DROP INDEX "issues_status_resolve_due";--> statement-breakpoint
DROP INDEX "project_branches_branch";--> statement-breakpoint
DROP INDEX "project_logs_project_visited";--> statement-breakpoint
DROP INDEX "project_logs_corrects";--> statement-breakpoint
DROP INDEX "projects_road_chief";--> statement-breakpoint
DROP INDEX "projects_name_id";--> statement-breakpoint
DROP INDEX "projects_status";--> statement-breakpoint
DROP INDEX "pledge_evaluations_slot";--> statement-breakpoint
DROP INDEX "pledge_evaluations_evaluator";--> statement-breakpoint
DROP INDEX "pledge_public_ratings_pledge";--> statement-breakpoint
DROP INDEX "pledge_rate_limits_expires";--> statement-breakpoint
DROP INDEX "pledge_updates_pledge";--> statement-breakpoint
DROP INDEX "pledge_versions_pledge_version";--> statement-breakpoint
DROP INDEX "pledges_member_year";--> statement-breakpoint
DROP INDEX "pledges_branch_year";--> statement-breakpoint
DROP INDEX "pledges_year";--> statement-breakpoint
DROP INDEX "pledges_due";--> statement-breakpoint
DROP INDEX "pledges_current_status";--> statement-breakpoint
DROP INDEX "reminder_deliveries_day";--> statement-breakpoint
DROP INDEX "calendar_feeds_token_hash";--> statement-breakpoint
DROP INDEX "date_shifts_member_digest";--> statement-breakpoint
DROP INDEX "file_links_file";--> statement-breakpoint
DROP INDEX "file_links_scope";--> statement-breakpoint
DROP INDEX "files_sha256";--> statement-breakpoint
DROP INDEX "files_unattached";--> statement-breakpoint
ALTER TABLE `members` ALTER COLUMN "email" TO "email" text;--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_member` ON `api_tokens` (`member_id`);--> statement-breakpoint
CREATE INDEX `audit_entity` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `branches_parent` ON `branches` (`parent_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `branches_path` ON `branches` (`path`);--> statement-breakpoint
CREATE INDEX `branches_secretary` ON `branches` (`secretary_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_hash` ON `invitations` (`token_hash`);--> statement-breakpoint
CREATE INDEX `invitations_member` ON `invitations` (`member_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `members_email` ON `members` (`email`);--> statement-breakpoint
CREATE INDEX `members_branch` ON `members` (`branch_id`);--> statement-breakpoint
CREATE INDEX `members_second_branch` ON `members` (`second_branch_id`);--> statement-breakpoint
CREATE INDEX `members_name_id` ON `members` (`name`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `password_resets_hash` ON `password_resets` (`token_hash`);--> statement-breakpoint
CREATE INDEX `password_resets_member` ON `password_resets` (`member_id`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_family` ON `refresh_tokens` (`family_id`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_member` ON `refresh_tokens` (`member_id`);--> statement-breakpoint
CREATE INDEX `checklist_items_checklist` ON `checklist_items` (`checklist_id`);--> statement-breakpoint
CREATE INDEX `checklists_year_kind` ON `checklists` (`year`,`kind`);--> statement-breakpoint
CREATE INDEX `checklists_branch` ON `checklists` (`branch_id`);--> statement-breakpoint
CREATE INDEX `task_assignees_task` ON `task_assignees` (`task_id`);--> statement-breakpoint
CREATE INDEX `task_assignees_member` ON `task_assignees` (`member_id`,`task_id`);--> statement-breakpoint
CREATE INDEX `task_assignees_branch` ON `task_assignees` (`branch_id`,`task_id`);--> statement-breakpoint
CREATE INDEX `task_records_task` ON `task_records` (`task_id`);--> statement-breakpoint
CREATE INDEX `task_reviews_task` ON `task_reviews` (`task_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_occurrence` ON `tasks` (`item_id`,`assignee_key`,`nominal_date`);--> statement-breakpoint
CREATE INDEX `tasks_checklist` ON `tasks` (`checklist_id`);--> statement-breakpoint
CREATE INDEX `tasks_due` ON `tasks` (`due_date`);--> statement-breakpoint
CREATE INDEX `issue_comments_issue` ON `issue_comments` (`issue_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `issue_events_issue_seq` ON `issue_events` (`issue_id`,`seq`);--> statement-breakpoint
CREATE INDEX `issue_followers_member` ON `issue_followers` (`member_id`);--> statement-breakpoint
CREATE INDEX `issue_units_unit` ON `issue_units` (`unit`);--> statement-breakpoint
CREATE INDEX `issues_project_status_raised` ON `issues` (`project_id`,`status`,`raised_at`);--> statement-breakpoint
CREATE INDEX `issues_handler_status` ON `issues` (`handler_id`,`status`);--> statement-breakpoint
CREATE INDEX `issues_supervisor` ON `issues` (`supervisor_id`);--> statement-breakpoint
CREATE INDEX `issues_log` ON `issues` (`log_id`);--> statement-breakpoint
CREATE INDEX `issues_raised` ON `issues` (`raised_at`);--> statement-breakpoint
CREATE INDEX `issues_status_resolve_due` ON `issues` (`status`,`resolve_due_at`);--> statement-breakpoint
CREATE INDEX `project_branches_branch` ON `project_branches` (`branch_id`);--> statement-breakpoint
CREATE INDEX `project_logs_project_visited` ON `project_logs` (`project_id`,`visited_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `project_logs_corrects` ON `project_logs` (`corrects_id`);--> statement-breakpoint
CREATE INDEX `projects_road_chief` ON `projects` (`road_chief_id`);--> statement-breakpoint
CREATE INDEX `projects_name_id` ON `projects` (`name`,`id`);--> statement-breakpoint
CREATE INDEX `projects_status` ON `projects` (`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `pledge_evaluations_slot` ON `pledge_evaluations` (`pledge_id`,`slot`);--> statement-breakpoint
CREATE INDEX `pledge_evaluations_evaluator` ON `pledge_evaluations` (`evaluator_id`);--> statement-breakpoint
CREATE INDEX `pledge_public_ratings_pledge` ON `pledge_public_ratings` (`pledge_id`);--> statement-breakpoint
CREATE INDEX `pledge_rate_limits_expires` ON `pledge_rate_limits` (`expires_at`);--> statement-breakpoint
CREATE INDEX `pledge_updates_pledge` ON `pledge_updates` (`pledge_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `pledge_versions_pledge_version` ON `pledge_versions` (`pledge_id`,`version`);--> statement-breakpoint
CREATE INDEX `pledges_member_year` ON `pledges` (`member_id`,`year`);--> statement-breakpoint
CREATE INDEX `pledges_branch_year` ON `pledges` (`branch_id`,`year`);--> statement-breakpoint
CREATE INDEX `pledges_year` ON `pledges` (`year`);--> statement-breakpoint
CREATE INDEX `pledges_due` ON `pledges` (`due_date`);--> statement-breakpoint
CREATE INDEX `pledges_current_status` ON `pledges` (`current_status`);--> statement-breakpoint
CREATE INDEX `reminder_deliveries_day` ON `reminder_deliveries` (`day`);--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token_hash` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE INDEX `date_shifts_member_digest` ON `date_shifts` (`member_id`,`digest_day`);--> statement-breakpoint
CREATE INDEX `file_links_file` ON `file_links` (`file_id`);--> statement-breakpoint
CREATE INDEX `file_links_scope` ON `file_links` (`scope_type`,`scope_id`);--> statement-breakpoint
CREATE INDEX `files_sha256` ON `files` (`sha256`);--> statement-breakpoint
CREATE INDEX `files_unattached` ON `files` (`attached_at`,`created_at`);