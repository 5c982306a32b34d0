CREATE TABLE `publish_chunks` (
	`checklist_id` text NOT NULL,
	`attempt` text NOT NULL,
	`seq` integer NOT NULL,
	`tasks` text NOT NULL,
	`assignees` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`attempt`, `seq`)
);
