-- v10: Messages in a thread

-- The key of the message this one is a thread reply to (each talk of a
-- published programme, under the programme, for ⭐ to follow it); '' for
-- none. It is sent once the root has its event ID.
ALTER TABLE outbox ADD COLUMN thread_of TEXT NOT NULL DEFAULT '';
