-- v2: Talk proposals, reviews, proposal dialogs, direct chats and the outbox

-- A talk proposed for the event. The number people type (!voir 12) is id.
CREATE TABLE proposal (
    id             INTEGER PRIMARY KEY,
    author         TEXT    NOT NULL,
    lang           TEXT    NOT NULL,
    minutes        INTEGER NOT NULL,
    title          TEXT    NOT NULL,
    abstract       TEXT    NOT NULL,
    administration TEXT    NOT NULL DEFAULT '',
    speakers       TEXT    NOT NULL DEFAULT '',
    software       TEXT    NOT NULL DEFAULT '',
    -- submitted, accepted, rejected or withdrawn; a scheduled talk is an
    -- accepted one with a slot.
    state          TEXT    NOT NULL,
    decision_note  TEXT    NOT NULL DEFAULT '',
    decided_by     TEXT    NOT NULL DEFAULT '',
    decided_at     BIGINT,
    -- Counts decisions, so that each one is told under its own key.
    decision_seq   INTEGER NOT NULL DEFAULT 0,
    confirmed_at   BIGINT,
    slot_start     BIGINT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX proposal_author_idx ON proposal (author);
CREATE INDEX proposal_state_idx ON proposal (state, id);

-- Each organiser's private score and comment on a proposal.
CREATE TABLE review (
    proposal_id INTEGER NOT NULL REFERENCES proposal (id) ON DELETE CASCADE,
    reviewer    TEXT    NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment     TEXT    NOT NULL DEFAULT '',
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (proposal_id, reviewer)
);

-- A proposal being written field by field in a direct chat.
CREATE TABLE dialog (
    user_id    TEXT   PRIMARY KEY,
    lang       TEXT   NOT NULL,
    step       TEXT   NOT NULL,
    draft      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The direct chat the bot opened with each user.
CREATE TABLE direct_room (
    user_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL
);

-- Messages to send exactly once: stored in the transaction that decides
-- them, sent when due with a transaction ID derived from the key, and
-- marked sent with the event ID.
CREATE TABLE outbox (
    key        TEXT    PRIMARY KEY,
    room_id    TEXT    NOT NULL DEFAULT '',
    user_id    TEXT    NOT NULL DEFAULT '',
    event_type TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    -- Calendar time (the rehearsal clock when set), Unix ms; 0 = at once.
    due_at     BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL,
    sent_at    BIGINT,
    event_id   TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending_idx ON outbox (due_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_event_idx ON outbox (event_id);
