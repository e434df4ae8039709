-- v9: The outbox sends state events too

-- Set for a state event (the programme widget), with this state key; NULL
-- for a message.
ALTER TABLE outbox ADD COLUMN state_key TEXT;
