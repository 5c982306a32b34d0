CREATE TABLE `invitation_sends` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` text NOT NULL,
	`claimed_at` text,
	`sent_at` text,
	`channel` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `invitation_sends_pending` ON `invitation_sends` (`sent_at`,`claimed_at`);--> statement-breakpoint
CREATE INDEX `invitation_sends_member` ON `invitation_sends` (`member_id`);--> statement-breakpoint
ALTER TABLE `members` ADD `name_initials` text;--> statement-breakpoint
CREATE UNIQUE INDEX `members_phone` ON `members` (`phone`);