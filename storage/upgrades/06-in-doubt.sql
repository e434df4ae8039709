-- v7: Sends in doubt

-- The room a send was attempted in and not yet recorded as done: the
-- homeserver may have stored the message. Before sending again, the bot
-- looks there for its own event carrying the item's key.
ALTER TABLE outbox ADD COLUMN tried_room TEXT NOT NULL DEFAULT '';
