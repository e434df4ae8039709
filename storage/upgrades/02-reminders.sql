-- v3: Reminders fired and members' reminder preferences

-- Each planned reminder, once handled: sent (its messages are in the
-- outbox) or skipped (too late, expired, or before the first start).
CREATE TABLE reminder_fired (
    id       TEXT   PRIMARY KEY,
    decision TEXT   NOT NULL,
    fired_at BIGINT NOT NULL
);

-- Members who asked for reminders by direct chat (on), or asked not to
-- get them even as speakers (off).
CREATE TABLE reminder_pref (
    user_id    TEXT    PRIMARY KEY,
    enabled    BOOLEAN NOT NULL,
    lang       TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL
);
