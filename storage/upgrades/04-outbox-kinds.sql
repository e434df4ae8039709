-- v5: Outbox items say what they are, and may carry a file

-- What a queued message is, so that the sender never reads it from the key:
-- reply, announcement, reminder, decision (a proposal's fate, confirmed by
-- reacting ✅) or notice (a change organisers or speakers are told of).
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'reply';
-- Pinned in its room once sent (announcements, with announcements.pin).
ALTER TABLE outbox ADD COLUMN pin BOOLEAN NOT NULL DEFAULT false;
-- The proposal a decision is about.
ALTER TABLE outbox ADD COLUMN proposal_id BIGINT NOT NULL DEFAULT 0;
-- A file is uploaded when the message is sent; content is then its m.file
-- event without the URL.
ALTER TABLE outbox ADD COLUMN file_name TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN file_mime TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN file_data BYTEA;

UPDATE outbox SET kind='reminder' WHERE key LIKE 'reminder:%';
UPDATE outbox SET kind='announcement' WHERE key LIKE 'announce:%' OR key LIKE 'reminder:announce-%';
UPDATE outbox SET kind='notice' WHERE key LIKE 'forget:%' OR key LIKE 'programme-change:%';
-- only: postgres for next 1 lines
UPDATE outbox SET kind='decision', proposal_id=CAST(split_part(key, ':', 2) AS BIGINT) WHERE key LIKE 'decision:%';
-- only: sqlite for next 1 lines
UPDATE outbox SET kind='decision', proposal_id=CAST(substr(key, 10, instr(substr(key, 10), ':') - 1) AS INTEGER) WHERE key LIKE 'decision:%';
