CREATE TABLE `door_throttles` (
	`bucket` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`last_at` text NOT NULL,
	`expires_at` text NOT NULL
);
