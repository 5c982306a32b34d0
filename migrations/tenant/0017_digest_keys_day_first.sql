-- Digest keys day first, `digest:<day>:<member>` (ADR 0030): a morning's claims then sit side by side in the key's index.
UPDATE `reminder_deliveries` SET `key` = 'digest:' || `day` || ':' || `member_id` WHERE `key` = 'digest:' || `member_id` || ':' || `day`;
