CREATE TABLE `notification_prefs` (
	`member_id` text PRIMARY KEY NOT NULL,
	`muted_categories` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reminder_deliveries` (
	`key` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`day` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`message_id` text,
	`subject` text,
	`items` integer NOT NULL,
	`error` text,
	`claimed_at` text NOT NULL,
	`sent_at` text
);
--> statement-breakpoint
CREATE INDEX `reminder_deliveries_day` ON `reminder_deliveries` (`day`);--> statement-breakpoint
CREATE TABLE `reminder_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`send_hour` integer NOT NULL,
	`lead_days` text NOT NULL,
	`escalate_after_days` integer NOT NULL,
	`shortfall_window_days` integer NOT NULL,
	`working_days_only` integer NOT NULL,
	`summary_weekday` integer NOT NULL,
	`updated_at` text NOT NULL
);
