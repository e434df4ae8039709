-- v6: A proposal's conference is conference_id, not event_id

-- event_id means a Matrix event everywhere else (handled_event, outbox).
ALTER TABLE proposal RENAME COLUMN event_id TO conference_id;
DROP INDEX proposal_event_idx;
CREATE INDEX proposal_conference_idx ON proposal (conference_id, state, id);
