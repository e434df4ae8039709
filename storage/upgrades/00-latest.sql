-- v0 -> v1: The bot's state and the messages it answered

-- Small values the bot keeps between runs: its device, access token, sync
-- token, and when it first started.
CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Messages already answered, so that none is answered twice, even when a
-- sync batch is processed again after a crash.
CREATE TABLE handled_event (
    event_id   TEXT   PRIMARY KEY,
    room_id    TEXT   NOT NULL,
    sender     TEXT   NOT NULL,
    handled_at BIGINT NOT NULL
);
CREATE INDEX handled_event_time_idx ON handled_event (handled_at);
