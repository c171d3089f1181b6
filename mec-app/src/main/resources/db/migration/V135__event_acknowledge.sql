-- Alarm handling on the event log (issue 19: acknowledge and clear). A warning or alarm event is active until an
-- operator clears it; acknowledging and clearing are independent (ISA-18.2: an alarm may clear before anyone has
-- acknowledged it). Who and when are stored in the row itself, so the change replicates to the cloud as an update
-- of the same key (the cloud mirror keeps columns it lacks in `extra`); the action is also an operator event.
ALTER TABLE events
    ADD COLUMN acked_at   timestamptz,
    ADD COLUMN acked_by   text,
    ADD COLUMN cleared_at timestamptz,
    ADD COLUMN cleared_by text;

-- "What is wrong now" and the active list read only uncleared warnings and alarms: a small partial index keeps them
-- cheap however long the history is.
CREATE INDEX events_active_idx ON events (id DESC) WHERE cleared_at IS NULL AND severity IN ('warning', 'alarm');
