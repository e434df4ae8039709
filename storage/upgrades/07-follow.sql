-- v8: Members follow talks

-- A member following a published talk: a direct message before it starts,
-- and one when it moves or leaves the programme. lang is the member's
-- language when they asked.
CREATE TABLE follow (
    user_id     TEXT   NOT NULL,
    proposal_id BIGINT NOT NULL REFERENCES proposal (id) ON DELETE CASCADE,
    lang        TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, proposal_id)
);
CREATE INDEX follow_proposal_idx ON follow (proposal_id);
