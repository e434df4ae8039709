-- v4: Proposals belong to an event

-- '' is the single event of a config with one event: block.
ALTER TABLE proposal ADD COLUMN event_id TEXT NOT NULL DEFAULT '';
CREATE INDEX proposal_event_idx ON proposal (event_id, state, id);
